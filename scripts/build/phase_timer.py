"""Wall-clock start, duration and CPU time of each phase of a build, written as JSON on request
(scripts.bench.benchmark reads it)."""

from __future__ import annotations

import contextlib
import json
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class Timings:
    """The phases of one build, in the order they ended."""

    def __init__(self) -> None:
        self.phases: list[dict[str, Any]] = []

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started_at, started, cpu = time.time(), time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.phases.append(
                {
                    "phase": name,
                    "start": started_at,
                    "seconds": time.perf_counter() - started,
                    "cpu_seconds": time.process_time() - cpu,
                }
            )

    def seconds(self, *names: str) -> float:
        return sum(entry["seconds"] for entry in self.phases if entry["phase"] in names)

    def write(self, path: Path, **extra: Any) -> None:
        path.write_text(json.dumps({**extra, "phases": self.phases}, indent=2) + "\n")


def children_cpu_seconds() -> float:
    """CPU time (user + system) of this process's ended and waited-for children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
