"""Run one command and measure it: wall time, CPU time and peak RSS of its whole process tree.

A thread polls psutil every few milliseconds and sums the resident set size of the process and
all its descendants (dbt, DuckDB and calamine all run inside them), keeping every sample with
its wall-clock time, so the peak of any phase the command reports (start, duration) can be
read off afterwards. The peaks of the Java processes (Spark's JVM) and of the rest are kept apart
as well. CPU time (user + system) comes from the kernel's accounting of the
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
    peak_java_rss: int = 0  # bytes, largest sample of the tree's Java processes alone
    peak_other_rss: int = 0  # bytes, largest sample of every other process of the tree
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


def tree_rss(process: psutil.Process) -> tuple[int, int]:
    """RSS of the Java processes and of the other processes among a process and all its live
    descendants, in bytes."""
    java = other = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    for member in members:
        try:
            rss = member.memory_info().rss
            is_java = member.name() == "java"
        except psutil.Error:
            continue
        if is_java:
            java += rss
        else:
            other += rss
    return java, other


def run_measured(
    command: Sequence[str],
    log: Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    sample_seconds: float = SAMPLE_SECONDS,
) -> Measured:
    """Run command to completion (stdout and stderr to log) while sampling its memory every
    sample_seconds."""
    log.parent.mkdir(parents=True, exist_ok=True)
    samples_t: list[float] = []
    samples_rss: list[int] = []
    peaks = {"java": 0, "other": 0}
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
                java, other = tree_rss(process)
                if java + other:
                    samples_t.append(time.time())
                    samples_rss.append(java + other)
                    peaks["java"] = max(peaks["java"], java)
                    peaks["other"] = max(peaks["other"], other)
                done.wait(sample_seconds)

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
        peak_java_rss=peaks["java"],
        peak_other_rss=peaks["other"],
        samples_t=samples_t,
        samples_rss=samples_rss,
    )
