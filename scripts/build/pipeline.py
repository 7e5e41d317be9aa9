"""Build the warehouse: land the raw files, run dbt build into a new file, publish it atomically.

The published DuckDB file is only ever replaced by a file whose models and tests have all
passed, so BI tools reading it never see a half-built or failing warehouse, and a failed build
leaves the last good warehouse exactly as it was.

A rebuild whose inputs are all unchanged (raw files by sha256, landed files, the dbt project,
the build code, dbt/DuckDB versions and the extra dbt arguments) since the build that published
the current warehouse file does not run dbt: the warehouse is reported up to date (--force
rebuilds anyway). dbt keeps its parse state per warehouse, beside the landed files, so partial
parsing stays valid from one build to the next.

The loader runs first (it converts the workbook on one core while it checks the CSVs on the
other), then dbt. Running parts of dbt beside the loader was measured to cost more than it saved,
or to take the build past its memory target (docs/architecture.md, "Why the build is sequential").

With --strict (for CI of a production deployment), a build with data-quality warnings fails and
publishes nothing: suspicious but well-formed data (marts.data_quality_warnings) is then refused
like a failing test, and the last good warehouse stays published.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb

from scripts.build import provenance
from scripts.build import publish as duckdb_file
from scripts.build.dbt_runner import DBT_BUILD_PHASE, WITHOUT_UNIT_TESTS, BuildFailed, Dbt
from scripts.build.interrupts import stop_signals_raise
from scripts.build.phase_timer import Timings
from scripts.build.summary import render, warning_lines, warnings_in
from scripts.build.temporary_files import remove_leftovers
from scripts.build.up_to_date import (
    STATE_FILE,
    inputs_fingerprint,
    published_is_current,
    record_published,
)
from scripts.cli import command_parser, exit_now
from scripts.crash_safety.disk_full import disk_full_message
from scripts.loader import load as load_raw
from scripts.paths import SAMPLE_RAW_DIR, dbt_dir_for, landing_dir_for

LOADER_PHASE = "loader (CSV checks + workbook conversion)"
LOCK_FILE = "build.lock"


def land(raw_dir: Path, landing_dir: Path, timings: Timings) -> None:
    """Run the loader: check the raw files and publish the new landing, or fail the build."""
    with timings.phase(LOADER_PHASE):
        status = load_raw.main(["--raw-dir", str(raw_dir), "--landing-dir", str(landing_dir)])
    if status == load_raw.EXIT_DISK_FULL:
        raise BuildFailed(
            f"the disk holding {landing_dir.parent} filled up while the loader wrote the new "
            "landing (it said where, above)"
        )
    if status != 0:
        raise BuildFailed(f"the raw files in {raw_dir} did not pass the loader's checks")


def build(
    raw_dir: Path,
    warehouse: Path,
    dbt_args: list[str],
    force: bool = False,
    timings: Timings | None = None,
    strict: bool = False,
) -> bool:
    """Land raw_dir, build a candidate warehouse and publish it over warehouse.

    Returns False, without running dbt, when the published warehouse is already up to date.
    With strict, data-quality warnings fail the build (see refuse_warnings).
    """
    timings = timings or Timings()
    dbt_dir = dbt_dir_for(warehouse)
    dbt_dir.mkdir(parents=True, exist_ok=True)
    with one_build_at_a_time(dbt_dir, warehouse):
        return _build(raw_dir, warehouse, dbt_args, force, timings, strict)


def refuse_warnings(database: Path, warehouse: Path) -> None:
    """--strict: fail when database (the candidate, or the up-to-date published warehouse) has
    data-quality warnings, listing them; the caller then publishes nothing."""
    messages = warnings_in(database, warehouse)
    if messages:
        print("\n" + "\n".join(warning_lines(messages)), file=sys.stderr)
        raise BuildFailed(
            f"--strict: {len(messages)} data-quality warning(s), listed above; "
            "without --strict they are published as warnings"
        )


@contextlib.contextmanager
def one_build_at_a_time(dbt_dir: Path, warehouse: Path) -> Iterator[None]:
    """Hold the warehouse's build lock; a second build of the same warehouse waits for it.

    Builds of one warehouse share its landing folder, dbt's state and the published fingerprint,
    so two at once would each see the other's half-written files. The lock is the kernel's
    (flock on a file beside dbt's state), so it is released when a build ends, however it ends.
    """
    try:
        import fcntl
    except ImportError:  # not on POSIX: no flock, builds of one warehouse must not overlap
        yield
        return
    with (dbt_dir / LOCK_FILE).open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(
                f"Another build of {warehouse} is running; waiting for it to finish ...",
                file=sys.stderr,
                flush=True,
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def _build(
    raw_dir: Path,
    warehouse: Path,
    dbt_args: list[str],
    force: bool,
    timings: Timings,
    strict: bool,
) -> bool:
    landing_dir = landing_dir_for(warehouse)
    dbt_dir = dbt_dir_for(warehouse)
    state_path = dbt_dir / STATE_FILE
    for leftover in remove_leftovers(warehouse, state_path):
        print(
            f"Removed {leftover.relative_to(warehouse.parent)}, left by a build that died.",
            file=sys.stderr,
        )
    dbt = Dbt(warehouse, dbt_args, timings)
    try:
        land(raw_dir, landing_dir, timings)
        with timings.phase("provenance + up-to-date check"):
            provenance.write(raw_dir, landing_dir)
            fingerprint = inputs_fingerprint(landing_dir, dbt_args)
            current = None if force else published_is_current(warehouse, state_path, fingerprint)
        if current is not None:
            print(
                "\nWarehouse is up to date: the raw files, landed files, dbt project and build "
                f"code are unchanged since it was published at "
                f"{current.get('published_at', '?')}; dbt was not run (--force rebuilds anyway).\n",
                file=sys.stderr,
            )
            if strict:
                refuse_warnings(warehouse, warehouse)
            return False
        dbt.build()
        dbt.compile_analyses()
        if strict:
            refuse_warnings(dbt.candidate, warehouse)
        with timings.phase("publish (checkpoint + rename)"):
            duckdb_file.publish(dbt.candidate, warehouse)
            record_published(raw_dir, warehouse, state_path, fingerprint)
    finally:
        duckdb_file.remove(dbt.candidate)
    landed = timings.seconds(LOADER_PHASE)
    built = timings.seconds(DBT_BUILD_PHASE, "publish (checkpoint + rename)")
    print(
        f"\nLanded raw files in {landed:.1f} s; built and tested in {built:.1f} s.\n",
        file=sys.stderr,
    )
    return True


def ensure_warehouse(warehouse: Path) -> bool:
    """Build the warehouse from the embedded SYNTHETIC sample when none exists (for the
    consumers: answers, report, docs); False when that build failed."""
    if warehouse.exists():
        return True
    print(f"No warehouse at {warehouse}; building it from the embedded sample.", file=sys.stderr)
    return main(["--warehouse", str(warehouse)]) == 0


def add_dbt_build_options(parser: argparse.ArgumentParser) -> None:
    """The options every build command takes (DuckDB's and Spark's): the raw files, phase
    timings for the benchmark, and extra arguments passed on to dbt build."""
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=SAMPLE_RAW_DIR,
        help="folder holding the raw files (default: the embedded SYNTHETIC sample)",
    )
    parser.add_argument(
        "--timings",
        type=Path,
        metavar="PATH",
        help="write each phase's start and duration as JSON to PATH (used by `nhs bench`)",
    )
    parser.add_argument(
        "--unit-tests",
        action="store_true",
        help="also run dbt's unit tests (make test does; they check the SQL on fixed inputs, "
        "not the data, so a data build leaves them out, as dbt recommends for production)",
    )
    parser.add_argument(
        "dbt_args",
        nargs="*",
        help="extra arguments for dbt build, after --, e.g. -- --select staging",
    )


def dbt_build_arguments(args: argparse.Namespace) -> list[str]:
    """The extra arguments for dbt build of the options add_dbt_build_options declares."""
    return [*args.dbt_args, *([] if args.unit_tests else WITHOUT_UNIT_TESTS)]


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "scripts.build.pipeline",
        __doc__,
        warehouse_help="published DuckDB file to (re)place (default: %(default)s)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="run dbt and publish a new file even when the warehouse is up to date",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="fail, publishing nothing, when the build has data-quality warnings (for CI of a "
        "production deployment)",
    )
    add_dbt_build_options(parser)
    args = parser.parse_args(argv)
    warehouse = args.warehouse.resolve()
    timings = Timings()
    rebuilt = False
    try:
        with stop_signals_raise():
            rebuilt = build(
                args.raw_dir.resolve(),
                warehouse,
                dbt_build_arguments(args),
                args.force,
                timings,
                args.strict,
            )
        with timings.phase("summary"):
            print(render(warehouse))
    except (BuildFailed, KeyboardInterrupt, OSError, duckdb.Error) as failure:
        reason = (
            failure
            if isinstance(failure, (BuildFailed, KeyboardInterrupt))
            else disk_full_message(failure, warehouse.parent)
        )
        if reason is None:
            raise
        print(f"\nBUILD FAILED: {reason or 'interrupted'}.", file=sys.stderr)
        if warehouse.exists():
            print(f"The last good warehouse is unchanged: {warehouse}", file=sys.stderr)
        else:
            print(f"No warehouse has been published yet at {warehouse}.", file=sys.stderr)
        return 1
    finally:
        if args.timings is not None:
            timings.write(args.timings, rebuilt=rebuilt)
    return 0


if __name__ == "__main__":
    exit_now(main())
