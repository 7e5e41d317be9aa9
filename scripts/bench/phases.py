"""Single phases of the build, run on their own for the benchmark (scripts.bench.benchmark).

    python -m scripts.bench.phases workbook --raw-dir DIR --out-dir DIR --timings PATH
    python -m scripts.bench.phases dbt-import --timings PATH
    python -m scripts.bench.phases dbt-parse --warehouse PATH --timings PATH
    python -m scripts.bench.phases dbt-build-nothing --warehouse PATH --timings PATH
    python -m scripts.bench.phases dbt-build-empty --warehouse PATH --timings PATH

workbook: the loader's workbook conversion (scripts.loader.workbook_convert) of every
national_categories*.xlsx in DIR, alone, so its time and memory are not mixed with the CSV
checks that run beside it in a build. dbt-*: dbt's own costs, the floor under any build that
runs dbt: importing dbt, `dbt parse`, `dbt build` selecting nothing, and `dbt build --empty`
(every model, seed and test of the project on empty inputs: dbt's work per node without the
data's), with the same project, profile, environment and per-warehouse target folder as
scripts.build.pipeline, so partial parsing behaves exactly as in a build of that warehouse. The
database written by dbt-build-empty is deleted afterwards; it needs the landed files (it reads
their headers).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from scripts.build.phase_timer import Timings
from scripts.cli import command_parser

NOTHING_SELECTOR = "tag:selects_nothing_for_the_benchmark"
# The conversion itself, without the measured process's start-up and exit.
WORKBOOK_PHASE = "workbook conversion"
# The `dbt build`s of dbt's floor: phase name and what each builds.
DBT_BUILDS = {
    "dbt-build-nothing": ("dbt build selecting nothing", ("--select", NOTHING_SELECTOR)),
    "dbt-build-empty": ("dbt build --empty", ("--empty",)),
    # What the build would still run with no data test at all.
    "dbt-build-empty-models": (
        "dbt build --empty, models and seeds",
        ("--empty", "--resource-type", "model", "--resource-type", "seed"),
    ),
}


def convert_workbooks(raw_dir: Path, out_dir: Path) -> list[dict[str, Any]]:
    from scripts.loader.problems import ProblemLog
    from scripts.loader.raw_specs import SOURCES
    from scripts.loader.workbook_convert import workbook_to_csv

    spec = next(spec for spec in SOURCES if spec.is_workbook)
    out_dir.mkdir(parents=True, exist_ok=True)
    timings = Timings()
    with timings.phase(WORKBOOK_PHASE):
        for path in sorted(raw_dir.glob(spec.file_glob)):
            log = ProblemLog()
            result = workbook_to_csv(spec, path, out_dir / f"{path.stem}.csv", log, lambda _: None)
            if result is None or log:
                raise SystemExit(f"{path.name} did not convert: {log.report()}")
    return timings.phases


def _dbt_environment(warehouse: Path) -> list[str]:
    """Point dbt where the build points it for this warehouse; return the common flags."""
    from scripts.build import dbt_runner
    from scripts.paths import REPO_ROOT, dbt_target_dir_for, landing_dir_for

    # Where scripts.build.pipeline points dbt, so partial parsing stays valid between the two.
    os.environ["NHS_LANDING_DIR"] = str(landing_dir_for(warehouse))
    stand_in = dbt_runner.parse_stand_in(dbt_runner.candidate_path(warehouse))
    os.environ["NHS_DUCKDB_PATH"] = str(stand_in)
    return dbt_runner.dbt_arguments(REPO_ROOT, dbt_target_dir_for(warehouse))


def dbt_phase(what: str, warehouse: Path | None) -> list[dict[str, Any]]:
    timings = Timings()
    with timings.phase("dbt import"):
        from dbt.cli.main import dbtRunner
    if what == "dbt-import":
        return timings.phases
    assert warehouse is not None
    from scripts.build import dbt_runner
    from scripts.build import publish as duckdb_file

    common = _dbt_environment(warehouse)
    stand_in = Path(os.environ["NHS_DUCKDB_PATH"])
    # The build's own flags (no unit tests, no artifacts written), so the floor is of the
    # same work as the build's.
    as_the_build = [*dbt_runner.WITHOUT_UNIT_TESTS, *dbt_runner.NO_ARTIFACTS, *common]
    if what == "dbt-parse":
        name, arguments = "dbt parse", ["parse", "--quiet", *common]
    else:
        name, selection = DBT_BUILDS[what]
        arguments = ["build", "--quiet", *selection, *as_the_build]
    try:
        with timings.phase(name):
            result = dbtRunner().invoke(arguments)
    finally:
        dbt_runner.release_dbt_database()
        duckdb_file.remove(stand_in)
    if not result.success:
        raise SystemExit(f"{name} failed: {result.exception}")
    return timings.phases


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.bench.phases", __doc__)
    parser.add_argument(
        "what",
        choices=("workbook", "dbt-import", "dbt-parse", *DBT_BUILDS),
    )
    parser.add_argument("--raw-dir", type=Path, help="workbook: folder of the raw files")
    parser.add_argument("--out-dir", type=Path, help="workbook: folder for the converted CSV")
    parser.add_argument("--warehouse", type=Path, help="dbt-*: the warehouse `nhs build` makes")
    parser.add_argument("--timings", type=Path, required=True, help="JSON file for the phases")
    args = parser.parse_args(argv)
    if args.what == "workbook":
        if args.raw_dir is None or args.out_dir is None:
            parser.error("workbook needs --raw-dir and --out-dir")
        phases = convert_workbooks(args.raw_dir, args.out_dir)
    else:
        if args.what != "dbt-import" and args.warehouse is None:
            parser.error(f"{args.what} needs --warehouse")
        warehouse = args.warehouse.resolve() if args.warehouse else None
        phases = dbt_phase(args.what, warehouse)
    args.timings.write_text(json.dumps({"phases": phases}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
