"""`nhs build` with the loader first and dbt only after it, for the benchmark.

    python -m scripts.bench.sequential --raw-dir DIR --warehouse PATH --timings PATH

A cold build normally runs the loader in a child process while dbt imports, parses and builds
what it can beside it (scripts/build/pipeline.py, land). The build skips that overlap when it
guesses the warehouse is already current; this makes it always guess so, so the loader runs
in-process and dbt builds everything after it (the real up-to-date check still decides whether
dbt runs). The benchmark compares the two to show what the overlap saves and costs in memory.
"""

from __future__ import annotations

from scripts.build import pipeline


def main(argv: list[str] | None = None) -> int:
    pipeline.probably_current = lambda *arguments: True
    return pipeline.main(argv)


if __name__ == "__main__":
    pipeline.exit_now(main())
