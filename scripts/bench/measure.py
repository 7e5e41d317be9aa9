"""One measured run of a program and medians over runs, for the benchmark (scripts.bench).

measure() runs `python -m <module>` in its own process under scripts.bench.sampler (wall time,
CPU time and the peak RSS of the whole process tree) and reads the phases the program reports
with --timings; a Scenario holds several such runs. Also the units the results are written in.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.bench.sampler import MIB, Measured, run_measured
from scripts.paths import REPO_ROOT

PY = sys.executable
GIB = 1024 * MIB
STARTUP_PHASE = "python start-up + imports"
EXIT_PHASE = "exit"


def say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


@dataclass
class Run:
    """One measured process: totals and its phases (name -> seconds, peak RSS)."""

    seconds: float
    cpu_seconds: float
    peak_rss: int
    load: float  # 1-minute load average when it ended
    phases: dict[str, dict[str, float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scenario:
    """Several runs of the same thing."""

    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, metric: str) -> float:
        return statistics.median(getattr(run, metric) for run in self.runs)

    def worst(self, metric: str) -> float:
        return max(getattr(run, metric) for run in self.runs)

    def phase_names(self) -> list[str]:
        names: list[str] = []
        for run in self.runs:
            names.extend(name for name in run.phases if name not in names)
        return names

    def phase_median(self, phase: str, metric: str) -> float | None:
        values = [
            run.phases[phase][metric]
            for run in self.runs
            if phase in run.phases and run.phases[phase].get(metric) is not None
        ]
        return statistics.median(values) if values else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "runs": [run.__dict__ for run in self.runs],
            "median": {
                "seconds": self.median("seconds"),
                "cpu_seconds": self.median("cpu_seconds"),
                "peak_rss": self.median("peak_rss"),
            },
            "phases": {
                phase: {
                    "seconds": self.phase_median(phase, "seconds"),
                    "peak_rss": self.phase_median(phase, "peak_rss"),
                }
                for phase in self.phase_names()
            },
        }


def _phases_from(measured: Measured, reported: list[dict[str, Any]]) -> dict[str, dict]:
    """Each reported phase's duration and the tree's peak RSS while it ran, plus start-up and
    exit (the time before the first and after the last reported phase)."""
    phases: dict[str, dict[str, float]] = {}
    end_of_run = measured.started + measured.seconds
    if reported:
        first = min(entry["start"] for entry in reported)
        phases[STARTUP_PHASE] = {
            "start": measured.started,
            "seconds": max(first - measured.started, 0.0),
            "peak_rss": measured.peak_between(measured.started, first),
        }
    for entry in reported:
        start, seconds = entry["start"], entry["seconds"]
        phases[entry["phase"]] = {
            "start": start,
            "seconds": seconds,
            "cpu_seconds": entry.get("cpu_seconds"),
            "peak_rss": measured.peak_between(start, start + seconds),
        }
    if reported:
        last = max(entry["start"] + entry["seconds"] for entry in reported)
        phases[EXIT_PHASE] = {
            "start": last,
            "seconds": max(end_of_run - last, 0.0),
            "peak_rss": measured.peak_between(last, end_of_run),
        }
    return phases


def measure(
    module: str,
    arguments: list[str],
    logs: Path,
    stem: str,
    what: str,
    env: dict[str, str] | None = None,
    after: tuple[str, ...] = (),
) -> tuple[Run, dict[str, Any]]:
    """Run `python -m module arguments --timings <logs/stem.timings.json> after` with its
    output in logs/stem.log, check it succeeded, and return the run with its reported phases."""
    log, timings = logs / f"{stem}.log", logs / f"{stem}.timings.json"
    timings.unlink(missing_ok=True)
    command = [PY, "-m", module, *arguments, "--timings", str(timings), *after]
    env = env if env is not None else clean_env()
    measured = run_measured(command, log, cwd=REPO_ROOT, env=env)
    if measured.returncode != 0:
        raise failed(what, measured.returncode, log)
    report = json.loads(timings.read_text(encoding="utf-8"))
    run = Run(
        seconds=measured.seconds,
        cpu_seconds=measured.cpu_seconds,
        peak_rss=measured.peak_rss,
        load=os.getloadavg()[0],
        phases=_phases_from(measured, report.get("phases", [])),
    )
    run.extra["measured"] = measured
    say(
        f"{what}: {measured.seconds:.2f} s wall, {measured.cpu_seconds:.2f} s CPU, "
        f"peak {measured.peak_rss / MIB:.0f} MiB (load {run.load:.2f})"
    )
    return run, report


def failed(what: str, returncode: int, log: Path) -> SystemExit:
    """The error for a step that exited with returncode: what it was, the end of its output
    and where the whole of it is."""
    tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
    return SystemExit(f"{what} failed (exit {returncode}); its log is {log}. It ends:\n{tail}")


def git_commit() -> str:
    """The short commit of the repository's HEAD ('' when git cannot say)."""
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return ""


def clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    for name in ("NHS_DUCKDB_PATH", "NHS_LANDING_DIR"):
        env.pop(name, None)
    return env


def mib(value: float | None) -> str:
    return "" if value is None else f"{value / MIB:,.0f} MiB"


def secs(value: float | None) -> str:
    return "" if value is None else f"{value:.2f} s"


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


def faster(theirs: float, ours: float) -> str:
    """'4.2x faster' when ours takes less time, else '2.0x slower'."""
    if ours <= theirs:
        return f"{ratio(theirs, ours):.1f}x faster"
    return f"{ratio(ours, theirs):.1f}x slower"
