"""Run one command and measure it: wall time, CPU time and peak RSS of its whole process tree.

A thread polls psutil every few milliseconds and sums the resident set size of the process and
all its descendants (dbt, DuckDB and calamine all run inside them), keeping every sample with
its wall-clock time, so the peak of any phase the command reports (start, duration) can be
read off afterwards. CPU time (user + system) comes from the kernel's accounting of the
waited-for children, which is exact however busy the machine is.
"""

from __future__ import annotations

import bisect
import os
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from scripts.build.phase_timer import children_cpu_seconds

SAMPLE_SECONDS = 0.02
MIB = 1024 * 1024


@dataclass
class Measured:
    """One command's run."""

    returncode: int
    started: float  # wall clock (time.time()) when the process was started
    seconds: float  # wall time until it exited
    cpu_seconds: float  # user + system of the whole tree
    peak_rss: int  # bytes, sum over the process tree, largest sample
    samples_t: list[float] = field(default_factory=list, repr=False)
    samples_rss: list[int] = field(default_factory=list, repr=False)

    def peak_between(self, start: float, end: float) -> int:
        """Largest process-tree RSS sampled between two wall-clock times (nearest sample when
        the window is shorter than the sampling interval)."""
        if not self.samples_t:
            return 0
        low = bisect.bisect_left(self.samples_t, start)
        high = bisect.bisect_right(self.samples_t, end)
        if low < high:
            return max(self.samples_rss[low:high])
        nearest = min(low, len(self.samples_t) - 1)
        return self.samples_rss[nearest]


def tree_rss(process: psutil.Process) -> int:
    """RSS of a process and all its live descendants, in bytes."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    for member in members:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def run_measured(
    command: Sequence[str],
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Measured:
    """Run command to completion (stdout and stderr to log) while sampling its memory."""
    log.parent.mkdir(parents=True, exist_ok=True)
    samples_t: list[float] = []
    samples_rss: list[int] = []
    cpu_before = children_cpu_seconds()
    with log.open("w", encoding="utf-8") as out:
        started, perf_started = time.time(), time.perf_counter()
        popen = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=env if env is not None else os.environ.copy(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        process = psutil.Process(popen.pid)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss = tree_rss(process)
                if rss:
                    samples_t.append(time.time())
                    samples_rss.append(rss)
                done.wait(SAMPLE_SECONDS)

        sampler = threading.Thread(target=sample, name="rss-sampler", daemon=True)
        sampler.start()
        try:
            returncode = popen.wait()
        finally:
            done.set()
            sampler.join()
        seconds = time.perf_counter() - perf_started
    return Measured(
        returncode=returncode,
        started=started,
        seconds=seconds,
        cpu_seconds=children_cpu_seconds() - cpu_before,
        peak_rss=max(samples_rss, default=0),
        samples_t=samples_t,
        samples_rss=samples_rss,
    )
