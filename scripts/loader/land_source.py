"""Check one source's raw files and write its landed CSV (the loader's per-source step).

Reads every raw file of the source (CSV, workbook or archive member) into the stage table,
checks the values (value_checks), and writes the landed CSV into the new landing folder; a
source whose raw files are unchanged since the last landing is reused without being read.
Problems are collected in the source's outcome, never raised: the loader (load) decides.
"""

from __future__ import annotations

import dataclasses
import sys
import time
import zipfile
from dataclasses import dataclass, field
from typing import Any

import duckdb

from scripts.crash_safety import pause_points
from scripts.loader import stage_table
from scripts.loader.csv_checks import StagedFile, stage_csv
from scripts.loader.landing_manifest import (
    STATUS_REUSED,
    loader_version,
    now_utc,
    reusable_source,
)
from scripts.loader.landing_swap import LandingSwap
from scripts.loader.problems import SHOWN_PROBLEMS, Problem, ProblemLog, RawFileError
from scripts.loader.raw_bytes import sha256_raw
from scripts.loader.raw_inputs import RawInput
from scripts.loader.raw_specs import SourceSpec
from scripts.loader.value_checks import Quarantine, QuarantinedRow, check_stage, quarantined_rows
from scripts.loader.workbook_convert import convert_workbook


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class SourceOutcome:
    """How one source was landed (or why not)."""

    spec: SourceSpec
    problems: ProblemLog = field(default_factory=ProblemLog)
    reused: bool = False
    rows: int = 0
    rejects: list[dict[str, Any]] = field(default_factory=list)
    # The quarantined rows as problems: the load reports them when there are more than
    # --rejects-limit allows.
    quarantined: list[Problem] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


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


def _quarantine_problem(row: QuarantinedRow, sheets: dict[str, str]) -> Problem:
    where = "row" if row.source_file in sheets else "line"
    return Problem(
        row.source_file,
        f"no exact repeat of an earlier row (this one repeats {where} {row.first_row})",
        row=row.source_row,
        sheet=sheets.get(row.source_file),
        value=row.values,
    )


def land_source(
    spec: SourceSpec,
    paths: list[RawInput],
    swap: LandingSwap,
    previous: dict[str, Any],
    previous_rejects: list[dict[str, str]],
    database: stage_table.LoadDatabase,
) -> SourceOutcome:
    """Check one source's raw files and write its landed CSV into the new landing folder,
    working in a cursor of the load's database."""
    started = time.perf_counter()
    outcome = SourceOutcome(spec)
    hashes = [(raw.name, sha256_raw(raw)) for raw in paths]

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

    con = database.cursor()
    try:
        _stage_and_check(con, spec, paths, dict(hashes), swap, outcome)
    finally:
        con.close()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _stage_and_check(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    paths: list[RawInput],
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
        size = _size(raw)
        try:
            if spec.is_workbook:
                result = convert_workbook(spec, raw.path, con, log, _say)
                if result is not None:
                    sheets[raw.name] = result.sheet
            else:
                result = stage_csv(con, spec, raw, swap.work_dir, log)
                pause_points.reached(pause_points.CSV_CHECKS)
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
    # Only the quoted-CSV reader writes the landed layout itself (StagedFile.landed_csv).
    parts = [
        result.landed_csv
        for result in staged
        if isinstance(result, StagedFile) and result.landed_csv is not None
    ]
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


def _size(raw: RawInput) -> int:
    """The raw file's size in bytes (a zip member's uncompressed size)."""
    if raw.member is None:
        return raw.path.stat().st_size
    with zipfile.ZipFile(raw.path) as archive:
        return archive.getinfo(raw.member).file_size


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
    outcome.quarantined = [_quarantine_problem(row, sheets) for row in rows[:SHOWN_PROBLEMS]]
    per_file: dict[str, int] = {}
    for row in rows:
        per_file[row.source_file] = per_file.get(row.source_file, 0) + 1
    for entry in outcome.files:
        entry["rows"] -= per_file.get(entry["file"], 0)
        entry["quarantined_rows"] = per_file.get(entry["file"], 0)
