"""Check the raw NHS files and land them as clean CSVs for dbt, or refuse with clear reasons.

    python -m scripts.loader.load --raw-dir DIR --landing-dir DIR [--rejects-limit N]

Raw files are found by prefix, so monthly drops can sit side by side and are combined into
one landed file per source (every row keeps the file and line it came from):
appointments_regional*.csv, actual_duration*.csv, national_categories*.xlsx, tweets*.csv.
What each file must look like is declared in scripts/loader/raw_specs.py.

Landed (in --landing-dir): appointments_regional.csv, actual_duration.csv,
national_categories.csv and tweets.csv, each UTF-8, comma-separated with a header: the raw
columns in canonical order with their raw text (national_categories' Excel dates written as
ISO YYYY-MM-DD), then source_file (raw file name) and source_row (CSV line, header = 1, or
sheet row). Also rejects.csv (quarantined rows; header only when none) and manifest.json.

Quarantine rule: in the sources with a unique natural key (actual_duration,
national_categories, tweets), a row identical in every column to an earlier row of the same
raw file is set aside in rejects.csv with the line it repeats, and the first occurrence is
landed; at most --rejects-limit such rows are tolerated. Every other problem stops the load:
nothing is landed, the first problems are printed (file, line or sheet row, column, value,
expectation) with the total count, and the exit status is 2. appointments_regional repeats
keys by design (the sub-ICB column was dropped) and is never deduplicated.

Unchanged sources (same raw files by sha256, same loader version, landed file present) are
reused without being read again. The new landing is built in a temporary folder and swapped
in only when every source passed, so a failed load leaves the previous landing untouched.
"""

from __future__ import annotations

import csv
import dataclasses
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb

from scripts.cli import command_parser
from scripts.crash_safety.disk_full import disk_full_message
from scripts.loader import stage_table
from scripts.loader.land_source import SourceOutcome, land_source
from scripts.loader.landing_manifest import (
    MANIFEST_NAME,
    STATUS_REUSED,
    loader_version,
    now_utc,
    read_manifest,
    write_manifest,
)
from scripts.loader.landing_swap import LandingError, LandingSwap
from scripts.loader.problems import Problem, ProblemLog
from scripts.loader.raw_inputs import ALL_SOURCES, RawInput, find_raw_inputs

REJECTS_NAME = "rejects.csv"
REJECTS_COLUMNS = ("source_name", "source_file", "source_row", "column_name", "bad_value", "reason")
DEFAULT_REJECTS_LIMIT = 1000
EXIT_BAD_INPUT = 2
EXIT_DISK_FULL = 3


class LoadFailed(Exception):
    """The raw files did not pass; nothing was landed."""

    def __init__(self, problems: ProblemLog) -> None:
        super().__init__(f"{problems.total} problem(s) in the raw files")
        self.problems = problems


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def find_raw_files(raw_dir: Path) -> dict[str, list[RawInput]]:
    """Raw files per source, in name order; every course source needs at least one."""
    if not raw_dir.is_dir():
        problems = ProblemLog()
        problems.add(Problem(str(raw_dir), "a folder holding the raw files; there is none"))
        raise LoadFailed(problems)
    found, missing = find_raw_inputs(raw_dir)
    for spec in ALL_SOURCES:
        if spec.required and not found[spec.name]:
            missing.add(
                Problem(
                    spec.file_glob,
                    f"at least one raw file matching {spec.file_glob} in {raw_dir}; none found",
                )
            )
    if missing:
        raise LoadFailed(missing)
    return found


def _previous_rejects(landing_dir: Path) -> list[dict[str, str]]:
    try:
        with (landing_dir / REJECTS_NAME).open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError:
        return []


def _write_rejects(path: Path, outcomes: list[SourceOutcome]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=REJECTS_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for outcome in outcomes:
            writer.writerows(outcome.rejects)


def _manifest(raw_dir: Path, outcomes: list[SourceOutcome], swap: LandingSwap) -> dict:
    return {
        "loader_version": loader_version(),
        "written_at": now_utc(),
        "raw_dir": str(raw_dir.resolve()),
        "sources": [
            {
                "source_name": outcome.spec.name,
                "landed_file": outcome.spec.landed_file,
                "landed_rows": outcome.rows,
                "landed_size_bytes": (swap.work_dir / outcome.spec.landed_file).stat().st_size,
                "quarantined_rows": len(outcome.rejects),
                "status": STATUS_REUSED if outcome.reused else "loaded",
                "duration_seconds": round(outcome.seconds, 3),
            }
            for outcome in outcomes
        ],
        "files": [entry for outcome in outcomes for entry in outcome.files],
    }


def load(raw_dir: Path, landing_dir: Path, rejects_limit: int) -> list[SourceOutcome]:
    """Check every raw file and publish the new landing; raise LoadFailed if anything is wrong."""
    raw, landing = raw_dir.resolve(), landing_dir.resolve()
    if raw == landing or raw in landing.parents or landing in raw.parents:
        raise LandingError(
            f"the landing folder {landing_dir} and the raw folder {raw_dir} must be separate "
            "folders, neither inside the other (landing replaces its folder as a whole)"
        )
    raw_files = find_raw_files(raw_dir)
    previous = read_manifest(landing_dir)
    previous_rejects = _previous_rejects(landing_dir)
    owned = {spec.landed_file for spec in ALL_SOURCES} | {REJECTS_NAME, MANIFEST_NAME}
    swap = LandingSwap(landing_dir, owned)
    # The workbook is parsed by calamine with the GIL released, so the CSV sources are checked
    # on the other core meanwhile.
    database = stage_table.LoadDatabase()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook")
    try:
        futures = {
            spec.name: pool.submit(
                land_source, spec, raw_files[spec.name], swap, previous, previous_rejects, database
            )
            for spec in ALL_SOURCES
            if spec.is_workbook
        }
        done = {
            spec.name: land_source(
                spec, raw_files[spec.name], swap, previous, previous_rejects, database
            )
            for spec in ALL_SOURCES
            if not spec.is_workbook
        }
        done.update({name: future.result() for name, future in futures.items()})
        pool.shutdown()
        outcomes = [done[spec.name] for spec in ALL_SOURCES]
        problems = ProblemLog()
        for outcome in outcomes:
            problems.extend(outcome.problems)
        quarantined = sum(len(outcome.rejects) for outcome in outcomes if not outcome.reused)
        if not problems and quarantined > rejects_limit:
            # Each quarantined row is then a problem, named by its file and line (or row).
            over = (
                f"; at most {rejects_limit} quarantined row(s) are allowed (--rejects-limit), "
                f"and {quarantined} rows repeat an earlier row exactly"
            )
            problems.add_counted(
                (
                    dataclasses.replace(problem, expected=problem.expected + over)
                    for outcome in outcomes
                    if not outcome.reused
                    for problem in outcome.quarantined
                ),
                quarantined,
            )
        if problems:
            raise LoadFailed(problems)
        _write_rejects(swap.work_dir / REJECTS_NAME, outcomes)
        write_manifest(swap.work_dir / MANIFEST_NAME, _manifest(raw_dir, outcomes, swap))
        swap.publish()
        database.close()
    except BaseException:
        # Not waiting for the workbook thread: a load stopped mid-conversion (Ctrl-C, its build
        # killed) removes its new folder at once, and the thread can write nothing more there.
        pool.shutdown(wait=False, cancel_futures=True)
        swap.discard()
        raise
    return outcomes


def _report(outcomes: list[SourceOutcome], landing_dir: Path, seconds: float) -> str:
    lines = [f"Landed {len(outcomes)} sources in {landing_dir} in {seconds:.1f} s:"]
    for outcome in outcomes:
        names = [entry["file"] for entry in outcome.files]
        files = (
            ", ".join(names)
            if len(names) <= 3
            else f"{len(names)} files: {names[0]} ... {names[-1]}"
        )
        files = files or "no file (optional)"
        how = STATUS_REUSED if outcome.reused else f"checked in {outcome.seconds:.1f} s"
        lines.append(
            f"  {outcome.spec.landed_file:<26} {outcome.rows:>9,} rows  from {files}  ({how})"
        )
        lines.extend(f"    {note}" for note in outcome.notes)
    rejected = sum(len(outcome.rejects) for outcome in outcomes)
    lines.append(f"  {REJECTS_NAME:<26} {rejected:>9,} rows quarantined")
    lines.append(f"  loader version {loader_version()}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line (scripts.build.pipeline calls it too)."""
    parser = command_parser("scripts.loader.load", __doc__)
    parser.add_argument("--raw-dir", type=Path, required=True, help="folder of the raw files")
    parser.add_argument(
        "--landing-dir", type=Path, required=True, help="folder to land the checked CSVs in"
    )
    parser.add_argument(
        "--rejects-limit",
        type=int,
        default=DEFAULT_REJECTS_LIMIT,
        metavar="N",
        help="most rows that may be quarantined before the load fails "
        f"(default {DEFAULT_REJECTS_LIMIT})",
    )
    args = parser.parse_args(argv)
    if args.rejects_limit < 0:
        parser.error("--rejects-limit must be 0 or more")
    started = time.perf_counter()
    try:
        outcomes = load(args.raw_dir, args.landing_dir, args.rejects_limit)
    except LoadFailed as failure:
        _say(
            f"load_raw: the raw files in {args.raw_dir} did not pass the checks; "
            f"the landing folder {args.landing_dir} was left unchanged."
        )
        for line in failure.problems.report():
            _say(line)
        return EXIT_BAD_INPUT
    except LandingError as error:
        _say(f"load_raw: {error}")
        return EXIT_BAD_INPUT
    except (OSError, duckdb.Error) as error:
        message = disk_full_message(error, args.landing_dir.resolve().parent)
        if message is None:
            raise
        _say(f"load_raw: {message}; the landing folder {args.landing_dir} was left unchanged.")
        return EXIT_DISK_FULL
    print(_report(outcomes, args.landing_dir, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
