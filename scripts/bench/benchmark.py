"""Benchmark the warehouse build against the notebook way and the `dbt seed` way; write the results.

    nhs bench --real-dir ../shared/data/nhs             # what `make bench` runs
    nhs bench --sample-only --output /tmp/bench.md      # quick check on the sample

Set-up (not timed): the real CSVs are linked and a full-size SYNTHETIC national_categories.xlsx
(817,394 rows) is generated beside them, as scripts.build.real_data does; for the scale run, every
file is generated at 10x the real row count (scripts.synthetic.generate --scale 10x). Generated
files are kept in --work-dir and reused while the generator is unchanged.

Timed, each in its own process, with wall time, CPU time and the peak RSS of the whole process
tree (scripts.bench.sampler), per phase where the program reports its phases:

* cold build: `nhs build` with no landed CSVs and no warehouse file (dbt's partial-parse
  state, which belongs to the project rather than the data, is kept);
* warm build: `nhs build` again with unchanged inputs (and once with --force, which runs
  dbt anyway);
* dbt's own floor: importing dbt, `dbt parse`, `dbt build` selecting nothing;
* the workbook conversion alone (the loader's converter), against pandas.read_excel;
* the notebook way (scripts.bench.notebook): pandas read_excel (openpyxl) and read_csv, then the
  group-bys for the monthly totals, DNA rate by mode and duration band totals; its answers are
  checked against the warehouse's marts (a difference is written with the results, printed,
  and makes the run exit 1);
* the seed way (scripts.bench.variants): the landed CSVs loaded with `dbt seed` into a
  temporary copy of the project whose sources are refs to those seeds, then the same models and
  tests; and, the same way, the staging models as views instead of tables;
* the scale run: cold and warm builds and the workbook conversion at 10x.

Medians of --runs runs (the notebook and seed ways: --notebook-runs, --seed-runs). Every
number in the written file comes from this run; targets are checked and, when missed, the
measured floor is shown.

This module puts it together; scripts.bench.measure runs and measures one process,
scripts.bench.scenarios runs the scenarios, scripts.bench.targets assesses the targets and checks
the notebook's answers, scripts.bench.markdown writes the results.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from scripts.bench.markdown import (
    METHOD_TEXT,
    floor_text,
    ratios_text,
    render,
    rows_text,
    scale_text,
)
from scripts.bench.measure import Scenario, git_commit, say
from scripts.bench.sampler import Measured
from scripts.bench.scenarios import (
    SCALE_DBT_ARGS,
    cold_builds,
    dbt_floor,
    notebook_way,
    prepare_official_raw,
    prepare_real_raw,
    prepare_scale_raw,
    seed_end_to_end,
    variant_way,
    warm_builds,
    workbook_alone,
)
from scripts.bench.spark import read_section
from scripts.bench.targets import answers_status, assess, check_answers
from scripts.cli import command_parser
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR

DEFAULT_WORK_DIR = REPO_ROOT / "warehouse" / "bench"
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"

VERSIONED = (
    "pandas",
    "openpyxl",
    "fastexcel",
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "psutil",
)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_bytes": psutil.virtual_memory().total,
        "os": f"{platform.system()} {platform.release()}",
        "versions": versions,
        "commit": git_commit(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.bench.benchmark", __doc__)
    parser.add_argument(
        "--real-dir",
        type=Path,
        default=SHARED_REAL_DATA_DIR,
        help="the real NHS CSVs (default: %(default)s); a full-size synthetic workbook is "
        "generated beside links to them",
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        help="benchmark this raw folder as it is instead of the real files (e.g. data/sample)",
    )
    parser.add_argument(
        "--sample-only",
        action="store_true",
        help="quick check: --raw-dir data/sample --runs 1 --no-scale-run",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument(
        "--notebook-runs",
        type=int,
        help="runs of the notebook way, which is slow (default: --runs, at most 2)",
    )
    parser.add_argument(
        "--seed-runs",
        type=int,
        help="runs of the dbt seed way and of staging as views, which are slow "
        "(default: --runs, at most 2)",
    )
    parser.add_argument(
        "--scale-run",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build the synthetic data at 10x the real row count (default: on)",
    )
    parser.add_argument(
        "--scale-runs", type=int, default=1, help="runs of each scale-run scenario (default 1)"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="where raw folders, warehouses and logs go (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="the Markdown results file (default: %(default)s)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="also write every measurement as JSON here (default: results.json in --work-dir)",
    )
    args = parser.parse_args(argv)
    if args.sample_only:
        args.raw_dir = args.raw_dir or SAMPLE_RAW_DIR
        args.runs = 1
        args.scale_run = False
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    notebook_runs = args.notebook_runs or min(args.runs, 2)
    seed_runs = args.seed_runs or min(args.runs, 2)
    work_dir = args.work_dir.resolve()
    logs = work_dir / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    load_start = os.getloadavg()
    command = "python -m scripts.bench.benchmark " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )

    if args.raw_dir is not None:
        raw_dir = args.raw_dir.resolve()
        data_kind = f"the raw files in {args.raw_dir}"
    else:
        raw_dir = prepare_real_raw(args.real_dir, work_dir)
        data_kind = (
            f"the real CSVs from {args.real_dir} plus a full-size SYNTHETIC "
            "national_categories.xlsx generated for them"
        )
    if args.raw_dir is None:
        tag = "full"
    else:
        tag = "sample" if raw_dir == SAMPLE_RAW_DIR.resolve() else "raw-dir"
    warehouse = work_dir / tag / "nhs.duckdb"
    scenarios: dict[str, Scenario] = {}

    say("cold builds")
    scenarios["cold"] = cold_builds(raw_dir, warehouse, logs, args.runs, tag)
    say("warm builds")
    scenarios["warm"] = warm_builds(raw_dir, warehouse, logs, args.runs, tag)
    say("dbt's floor")
    floor = dbt_floor(warehouse, logs, args.runs)
    scenarios["warm_force"] = warm_builds(raw_dir, warehouse, logs, 1, tag, force=True)
    say("workbook conversion alone")
    scenarios["workbook"] = workbook_alone(raw_dir, work_dir, logs, args.runs, tag)
    say("the notebook way")
    scenarios["notebook"], answers_path = notebook_way(raw_dir, logs, notebook_runs)
    answers = check_answers(answers_path, warehouse)
    say("the dbt seed way")
    scenarios["seed"] = variant_way(
        "seeds", "seed way (dbt seed + dbt build)", warehouse, work_dir, logs, seed_runs
    )
    say("staging as views")
    scenarios["views"] = variant_way(
        "staging-views",
        "staging as views over the landed CSVs (dbt build)",
        warehouse,
        work_dir,
        logs,
        seed_runs,
    )
    scenarios["seed_end_to_end"] = seed_end_to_end(scenarios["seed"], scenarios["cold"])
    official_raw = (
        prepare_official_raw(raw_dir, args.real_dir.resolve(), work_dir)
        if args.raw_dir is None
        else None
    )
    if official_raw is not None:
        say("cold builds with the official publication files")
        official_warehouse = work_dir / "official" / "nhs.duckdb"
        scenarios["official_cold"] = cold_builds(
            official_raw, official_warehouse, logs, seed_runs, "full + official files"
        )
        shutil.rmtree(official_warehouse.parent, ignore_errors=True)
    full_rows = scenarios["cold"].runs[-1].extra.get("landed_rows", {})

    scale_lines: list[str] = []
    scale_growth: dict[str, float] = {}
    if args.scale_run:
        scale_raw = prepare_scale_raw(work_dir)
        scale_warehouse = work_dir / "scale10x" / "nhs.duckdb"
        say("scale run (10x): cold, warm, workbook alone")
        scenarios["scale_cold"] = cold_builds(
            scale_raw, scale_warehouse, logs, args.scale_runs, "10x", SCALE_DBT_ARGS
        )
        scenarios["scale_warm"] = warm_builds(
            scale_raw, scale_warehouse, logs, args.scale_runs, "10x", dbt_args=SCALE_DBT_ARGS
        )
        scenarios["scale_workbook"] = workbook_alone(
            scale_raw, work_dir, logs, args.scale_runs, "10x"
        )
        scale_rows = scenarios["scale_cold"].runs[-1].extra.get("landed_rows", {})
        scale_lines, scale_growth = scale_text(scenarios, full_rows, scale_rows)
        shutil.rmtree(scale_warehouse.parent, ignore_errors=True)

    load_end = os.getloadavg()
    spark = read_section(args.output)
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": machine(),
        "load_start": load_start,
        "load_end": load_end,
        "runs": args.runs,
        "notebook_runs": notebook_runs,
        "seed_runs": seed_runs,
        "scale_runs": args.scale_runs,
        "scale": args.scale_run,
        "size": "full size" if tag == "full" else f"the raw files in {args.raw_dir}",
        "sample_only": args.raw_dir is not None and raw_dir == SAMPLE_RAW_DIR.resolve(),
        "data_description": f"{data_kind}; landed rows: {rows_text(full_rows)}.",
        "floor": floor,
        "answers": answers,
        "scale_text": scale_lines,
        "scale_growth": scale_growth,
        "not_measured": not_measured(spark),
    }
    results["targets"] = assess(scenarios, results, floor)
    results["ratios_text"] = ratios_text(scenarios)
    results["floor_text"] = floor_text(floor, scenarios)
    results["method_text"] = METHOD_TEXT
    text = render(results, scenarios)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n" + (f"\n{spark}\n" if spark else ""), encoding="utf-8")
    json_path = args.json or work_dir / "results.json"
    json_path.write_text(
        json.dumps(
            {
                **{k: v for k, v in results.items() if k not in ("floor", "targets")},
                "targets": [t.__dict__ for t in results["targets"]],
                "floor": [s.as_dict() for s in floor],
                "scenarios": {key: s.as_dict() for key, s in scenarios.items()},
            },
            indent=2,
            default=_json_default,
        )
        + "\n",
        encoding="utf-8",
    )
    print("\n".join(["", *results["ratios_text"], ""]))
    for target in results["targets"]:
        print(f"{'met   ' if target.met else 'MISSED'}  {target.what}: {target.measured}")
    print(f"\nWrote {args.output} and {json_path}.")
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    # The differences are on record in the written file; the exit status makes them seen.
    return answers_status(answers)


def not_measured(spark: str | None) -> list[str]:
    """Lines for the scenarios this run does not measure itself."""
    lines = []
    if spark is None:
        lines.append(
            "- The Spark build beside DuckDB's is measured by `make spark-bench` "
            "(scripts/bench/spark.py), which writes its own section at the end of this file; "
            "it had not been run on this file when this run wrote it."
        )
    else:
        lines.append(
            "- The Spark build beside DuckDB's: the section at the end, written by `make "
            "spark-bench` (scripts/bench/spark.py) in its own run and kept by this one."
        )
    return lines


def _json_default(value: Any) -> Any:
    if isinstance(value, Measured):
        return None
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value))


if __name__ == "__main__":
    raise SystemExit(main())
