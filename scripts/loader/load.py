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
import hashlib
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from scripts.cli import command_parser
from scripts.loader import stage_table
from scripts.loader.csv_checks import stage_csv
from scripts.loader.landing_manifest import (
    MANIFEST_NAME,
    STATUS_REUSED,
    loader_version,
    now_utc,
    read_manifest,
    reusable_source,
    sha256_file,
    write_manifest,
)
from scripts.loader.landing_swap import LandingError, LandingSwap
from scripts.loader.problems import Problem, ProblemLog, RawFileError
from scripts.loader.raw_inputs import ALL_SOURCES, RawInput, find_raw_inputs
from scripts.loader.raw_specs import SourceSpec
from scripts.loader.value_checks import Quarantine, QuarantinedRow, check_stage, quarantined_rows
from scripts.loader.workbook_convert import convert_workbook

REJECTS_NAME = "rejects.csv"
REJECTS_COLUMNS = ("source_name", "source_file", "source_row", "column_name", "bad_value", "reason")
DEFAULT_REJECTS_LIMIT = 1000
EXIT_BAD_INPUT = 2


class LoadFailed(Exception):
    """The raw files did not pass; nothing was landed."""

    def __init__(self, problems: ProblemLog) -> None:
        super().__init__(f"{problems.total} problem(s) in the raw files")
        self.problems = problems


@dataclass
class SourceOutcome:
    """How one source was landed (or why not)."""

    spec: SourceSpec
    problems: ProblemLog = field(default_factory=ProblemLog)
    reused: bool = False
    rows: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


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


def _file_entry(
    spec: SourceSpec,
    raw: RawInput,
    sha256: str,
    size: int,
    rows: int,
    seconds: float,
    **extra: Any,
) -> dict[str, Any]:
    if raw.layout is not None:
        extra["layout"] = raw.layout.name
    label = raw.synthetic_label()
    if label is not None:
        extra["synthetic_label"] = label
    return {
        "source_name": spec.name,
        "file": raw.name,
        "path": raw.location,
        "sha256": sha256,
        "size_bytes": size,
        "rows": rows,
        "landed_file": spec.landed_file,
        "checked_at": now_utc(),
        "loader_version": loader_version(),
        "duration_seconds": round(seconds, 3),
        **extra,
    }


def _reject_record(spec: SourceSpec, row: QuarantinedRow, sheets: dict[str, str]) -> dict:
    where = "row" if row.source_file in sheets else "line"
    return {
        "source_name": spec.name,
        "source_file": row.source_file,
        "source_row": row.source_row,
        "column_name": "(all columns)",
        "bad_value": row.values,
        "reason": f"exact duplicate of {where} {row.first_row} of the same file; "
        "the first occurrence is landed",
    }


def land_source(
    spec: SourceSpec,
    paths: list[RawInput],
    swap: LandingSwap,
    previous: dict[str, Any],
    previous_rejects: list[dict[str, str]],
) -> SourceOutcome:
    """Check one source's raw files and write its landed CSV into the new landing folder."""
    started = time.perf_counter()
    outcome = SourceOutcome(spec)
    contents: dict[str, bytes] = {}
    hashes = []
    for raw in paths:
        if spec.is_workbook:
            hashes.append((raw.name, sha256_file(raw.path)))
        else:
            contents[raw.name] = raw.read_bytes()
            hashes.append((raw.name, hashlib.sha256(contents[raw.name]).hexdigest()))

    reusable = reusable_source(previous, spec.name, hashes, swap.landing_dir)
    if reusable is not None:
        swap.reuse(spec.landed_file)
        outcome.reused = True
        outcome.rows = int(reusable["source"].get("landed_rows", 0))
        outcome.files = [dict(entry, status=STATUS_REUSED) for entry in reusable["files"]]
        outcome.rejects = [row for row in previous_rejects if row["source_name"] == spec.name]
        outcome.seconds = time.perf_counter() - started
        _say(f"{spec.name}: {STATUS_REUSED}")
        return outcome

    con = stage_table.connect()
    try:
        _stage_and_check(con, spec, paths, contents, dict(hashes), swap, outcome)
    finally:
        con.close()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _stage_and_check(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    paths: list[RawInput],
    contents: dict[str, bytes],
    hashes: dict[str, str],
    swap: LandingSwap,
    outcome: SourceOutcome,
) -> None:
    stage_table.create(con, spec)
    log = outcome.problems
    sheets: dict[str, str] = {}
    staged = []
    for raw in paths:
        file_started = time.perf_counter()
        size = raw.path.stat().st_size if spec.is_workbook else len(contents[raw.name])
        try:
            if spec.is_workbook:
                part = swap.work_dir / f"{spec.name}.{raw.name}.part.csv"
                result = convert_workbook(spec, raw.path, part, log, _say)
                if result is not None:
                    sheets[raw.name] = result.sheet
                    stage_table.insert_landed_csv(con, spec, result.landed_csv)
            else:
                result = stage_csv(con, spec, raw, contents.pop(raw.name), swap.work_dir, log)
        except RawFileError as error:
            log.add(error.problem)
            continue
        if result is None:
            continue
        staged.append(result)
        extra = {"blank_rows_skipped": result.blank_lines}
        if sheets.get(raw.name):
            extra["sheet"] = sheets[raw.name]
        if result.extra_columns:
            extra["extra_columns_dropped"] = list(result.extra_columns)
            outcome.notes.append(
                f"{raw.name}: extra column(s) dropped: {', '.join(result.extra_columns)}"
            )
        if result.blank_lines:
            outcome.notes.append(f"{raw.name}: {result.blank_lines} blank row(s) skipped")
        outcome.files.append(
            _file_entry(
                spec,
                raw,
                hashes[raw.name],
                size,
                result.rows,
                time.perf_counter() - file_started,
                **extra,
            )
        )
    quarantine = check_stage(con, spec, sheets, log)
    if log:
        _name_published_columns(spec, paths, log)
        return
    landed = swap.work_dir / spec.landed_file
    parts = [result.landed_csv for result in staged if result.landed_csv is not None]
    if len(staged) == 1 and parts and not quarantine.rows:
        # The reader already wrote exactly the landed layout; no need to write it again.
        parts[0].rename(landed)
    else:
        stage_table.copy_to_landed_csv(con, spec, landed, quarantine.table)
        for part in parts:
            part.unlink(missing_ok=True)
    _record_quarantine(con, spec, quarantine, sheets, outcome)
    outcome.rows = sum(result.rows for result in staged) - quarantine.rows
    for entry in outcome.files:
        entry["status"] = "loaded"


def _name_published_columns(spec: SourceSpec, paths: list[RawInput], log: ProblemLog) -> None:
    """Say a problem's column the way the file's own header names it (STP_ONS, not
    area_ons_code), so it can be found in the file."""
    layouts = {raw.name: raw.layout for raw in paths if raw.layout is not None}
    for index, problem in enumerate(log.examples):
        layout = layouts.get(problem.source_file)
        if layout is None or problem.column not in spec.column_names:
            continue
        published = layout.headers[spec.column_names.index(problem.column)]
        log.examples[index] = dataclasses.replace(problem, column=published)


def _record_quarantine(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    quarantine: Quarantine,
    sheets: dict[str, str],
    outcome: SourceOutcome,
) -> None:
    rows = quarantined_rows(con, spec, quarantine)
    outcome.rejects = [_reject_record(spec, row, sheets) for row in rows]
    per_file: dict[str, int] = {}
    for row in rows:
        per_file[row.source_file] = per_file.get(row.source_file, 0) + 1
    for entry in outcome.files:
        entry["rows"] -= per_file.get(entry["file"], 0)
        entry["quarantined_rows"] = per_file.get(entry["file"], 0)


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


CsvSourcesLanded = Callable[[Path, list[str]], None]


def load(
    raw_dir: Path,
    landing_dir: Path,
    rejects_limit: int,
    on_csv_sources_landed: CsvSourcesLanded | None = None,
) -> list[SourceOutcome]:
    """Check every raw file and publish the new landing; raise LoadFailed if anything is wrong.

    on_csv_sources_landed, if given, is called with the new (unpublished) landing folder and
    the names of the CSV sources' landed files as soon as those have passed their checks, while
    the workbook may still be converting; the files do not change after that.
    """
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
    try:
        # The workbook is parsed by calamine with the GIL released, so the CSV sources are
        # checked on the other core meanwhile.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook") as pool:
            futures = {
                spec.name: pool.submit(
                    land_source, spec, raw_files[spec.name], swap, previous, previous_rejects
                )
                for spec in ALL_SOURCES
                if spec.is_workbook
            }
            done = {
                spec.name: land_source(spec, raw_files[spec.name], swap, previous, previous_rejects)
                for spec in ALL_SOURCES
                if not spec.is_workbook
            }
            if on_csv_sources_landed is not None and not any(o.problems for o in done.values()):
                on_csv_sources_landed(
                    swap.work_dir, [outcome.spec.landed_file for outcome in done.values()]
                )
            done.update({name: future.result() for name, future in futures.items()})
        outcomes = [done[spec.name] for spec in ALL_SOURCES]
        problems = ProblemLog()
        for outcome in outcomes:
            problems.extend(outcome.problems)
        quarantined = sum(len(outcome.rejects) for outcome in outcomes if not outcome.reused)
        if not problems and quarantined > rejects_limit:
            problems.add(
                Problem(
                    REJECTS_NAME,
                    f"at most {rejects_limit} quarantined row(s) (--rejects-limit); "
                    f"{quarantined} rows repeat an earlier row exactly",
                )
            )
        if problems:
            raise LoadFailed(problems)
        _write_rejects(swap.work_dir / REJECTS_NAME, outcomes)
        write_manifest(swap.work_dir / MANIFEST_NAME, _manifest(raw_dir, outcomes, swap))
        swap.publish()
    except BaseException:
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


def main(
    argv: list[str] | None = None, on_csv_sources_landed: CsvSourcesLanded | None = None
) -> int:
    """The command line; on_csv_sources_landed is for scripts.build.pipeline (see load)."""
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
        outcomes = load(args.raw_dir, args.landing_dir, args.rejects_limit, on_csv_sources_landed)
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
    print(_report(outcomes, args.landing_dir, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
