"""Convert a raw workbook (national_categories*.xlsx) into the landed CSV layout.

The sheet is read with fastexcel (Rust, calamine underneath) as Arrow columns of text that
DuckDB takes in without a Python object per cell; the checks and the CSV writing are SQL over
that table. Only when fastexcel cannot open a file is it read with openpyxl, whose rows are
rendered the same way (slowly) into the same table, so both readers land the same bytes.

fastexcel renders every cell as text the way calamine shows it: numbers without a trailing
'.0', and an Excel date cell as ``YYYY-MM-DD HH:MM:SS``. That rendering is how date cells are
told apart: a text cell ``2021-09-01`` or a number ``44444`` in a date column is rejected as "an
Excel date cell", exactly as before. (A text cell typed as ``2021-09-01 00:00:00``, which reads
like Excel's own rendering of a date, cannot be told from one and lands as that date.)

Which sheet: the only one, else the one named like the source (``national_categories``),
else the first. Header: the first non-blank row. Row numbers are the sheet's own (1-based).
Rows whose every cell is empty are skipped and counted.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import duckdb

from scripts.crash_safety import pause_points
from scripts.loader import stage_table
from scripts.loader.header_map import map_header
from scripts.loader.problems import SHOWN_PROBLEMS, Problem, ProblemLog, RawFileError
from scripts.loader.raw_specs import SourceSpec
from scripts.loader.stage_table import open_database, quoted
from scripts.loader.value_rules import ExcelDate, sql_literal

Progress = Callable[[str], None]
CELLS = "sheet_cells"  # one text column per sheet column, a row per sheet row (rowid + 1)
PROGRESS_SECONDS = 2.0
RENDERED_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?")


@dataclass
class ConvertedWorkbook:
    """What converting one workbook gave."""

    source_file: str
    sheet: str
    rows: int
    blank_lines: int
    extra_columns: tuple[str, ...]
    reader: str


def cell_text(value: object) -> str:
    """A cell as the text it shows: whole numbers without '.0', dates as ISO."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def rendered_text(value: object) -> str | None:
    """A cell as fastexcel renders it as text (what openpyxl's cells become, to match)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(" ", timespec="seconds" if not value.microsecond else "auto")
    if isinstance(value, dt.date):
        return f"{value.isoformat()} 00:00:00"
    text = cell_text(value)
    return text if text else None


def rendered_value(text: str | None) -> object:
    """The cell behind a rendered text: a datetime for a date cell's rendering, else the text."""
    match = RENDERED_DATE.fullmatch(text or "")
    if match is None:
        return text or ""
    parts = [int(part) for part in match.groups()[:6]]
    micro = int((match.group(7) or "0").ljust(6, "0"))
    try:
        return dt.datetime(*parts, micro)
    except ValueError:
        return text


def _sheet_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def choose_sheet(names: list[str], spec: SourceSpec, source_file: str) -> str:
    """The sheet holding the data: the only one, the one named like the source, or the first."""
    if not names:
        raise RawFileError(Problem(source_file, "a workbook with at least one worksheet"))
    named_like = [name for name in names if spec.name in _sheet_key(name)]
    if len(named_like) > 1:
        raise RawFileError(
            Problem(
                source_file,
                f"one sheet named like {spec.name!r}; found several: {', '.join(named_like)}",
            )
        )
    return named_like[0] if named_like else names[0]


@contextlib.contextmanager
def _still_reading(what: str, progress: Progress) -> Iterator[None]:
    """Say every few seconds that what is still being read: fastexcel reads a sheet in one
    call, with the GIL released, so a thread can report meanwhile."""
    started, done = time.perf_counter(), threading.Event()

    def report() -> None:
        while not done.wait(PROGRESS_SECONDS):
            progress(f"{what}: still reading ({time.perf_counter() - started:.0f} s)")

    reporter = threading.Thread(target=report, daemon=True)
    reporter.start()
    try:
        yield
    finally:
        done.set()
        reporter.join()


def _cells_with_fastexcel(
    con: duckdb.DuckDBPyConnection, path: Path, spec: SourceSpec, progress: Progress
) -> tuple[str, list[str]]:
    import fastexcel

    workbook = fastexcel.read_excel(path)
    names = list(workbook.sheet_names)
    name = choose_sheet(names, spec, path.name)
    progress(f"{path.name}: reading sheet {name!r} ...")
    # No header row and no rows skipped: row i of the result is sheet row i + 1, blank rows
    # above the header included, so row numbers stay the sheet's own.
    with _still_reading(f"{path.name}: sheet {name!r}", progress):
        sheet = workbook.load_sheet(name, header_row=None, skip_rows=0, dtypes="string")
    con.register("sheet_arrow", sheet)
    con.execute(f"CREATE TEMP TABLE {CELLS} AS SELECT * FROM sheet_arrow")
    con.unregister("sheet_arrow")
    return name, names


def _cells_with_openpyxl(
    con: duckdb.DuckDBPyConnection, path: Path, spec: SourceSpec
) -> tuple[str, list[str]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    names = list(workbook.sheetnames)
    name = choose_sheet(names, spec, path.name)
    sheet = workbook[name]
    width = sheet.max_column or 0
    with tempfile.TemporaryDirectory(prefix="workbook_") as folder:
        rendered = Path(folder) / "cells.csv"
        with rendered.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            for row in sheet.iter_rows(values_only=True):
                cells = [rendered_text(value) or "" for value in row]
                writer.writerow(cells + [""] * (width - len(cells)))
        workbook.close()
        columns = ", ".join(f"'c{index}': 'VARCHAR'" for index in range(max(width, 1)))
        con.execute(
            f"CREATE TEMP TABLE {CELLS} AS SELECT * FROM read_csv({sql_literal(str(rendered))}, "
            f"columns = {{{columns}}}, header = false, auto_detect = false, quote = '\"', "
            "escape = '\"', strict_mode = true)"
        )
    return name, names


def read_cells(
    con: duckdb.DuckDBPyConnection, path: Path, spec: SourceSpec, progress: Progress
) -> tuple[str, list[str], str]:
    """Fill the table of the sheet's cells; return its sheet name, all sheet names and which
    library read it."""
    try:
        return (*_cells_with_fastexcel(con, path, spec, progress), "fastexcel")
    except RawFileError:
        raise
    except Exception as fastexcel_error:
        con.execute(f"DROP TABLE IF EXISTS {CELLS}")
        try:
            return (*_cells_with_openpyxl(con, path, spec), "openpyxl")
        except RawFileError:
            raise
        except Exception:
            raise RawFileError(
                Problem(
                    path.name,
                    "a readable .xlsx workbook; the file is corrupt or truncated "
                    f"({fastexcel_error})",
                )
            ) from None


def _header_row(
    con: duckdb.DuckDBPyConnection, sheet: str, names: list[str], source_file: str, spec: SourceSpec
) -> tuple[int, list[str], list[str]]:
    """The header's sheet row, its texts, and the table's column for each of them."""
    columns = [column[0] for column in con.execute(f"SELECT * FROM {CELLS} LIMIT 0").description]
    any_filled = " OR ".join(f"coalesce({quoted(column)}, '') <> ''" for column in columns)
    found = con.execute(
        f"SELECT rowid + 1, * FROM {CELLS} WHERE {any_filled} ORDER BY rowid LIMIT 1"
    ).fetchone()
    if found is None:
        others = [name for name in names if name != sheet]
        raise RawFileError(
            Problem(
                source_file,
                f"the data on the first sheet or on a sheet named like {spec.name!r}, but sheet "
                f"{sheet!r} is empty (sheets in this workbook: {', '.join([sheet, *others])})",
            )
        )
    return int(found[0]), [value or "" for value in found[1:]], columns


def _date_problems(
    con: duckdb.DuckDBPyConnection,
    check: ExcelDate,
    column: str,
    data_rows: str,
    where: tuple[str, str, str],
    log: ProblemLog,
) -> None:
    """Log the cells of a date column that are not good date cells (the column holds a few
    hundred distinct values, so each is judged once, in Python, by the spec's own check)."""
    values = con.execute(f"SELECT DISTINCT {quoted(column)} FROM {CELLS} WHERE {data_rows}")
    bad: dict[str, str] = {}
    for (text,) in values.fetchall():
        expected = check.cell_problem(rendered_value(text))
        if expected is not None:
            bad[text or ""] = expected
    if not bad:
        return
    is_bad = f"list_contains(?, coalesce({quoted(column)}, ''))"
    (total,) = con.execute(
        f"SELECT count(*) FROM {CELLS} WHERE {data_rows} AND {is_bad}", [list(bad)]
    ).fetchone()
    room = max(SHOWN_PROBLEMS - len(log.examples), 0)
    shown = con.execute(
        f"SELECT rowid + 1, coalesce({quoted(column)}, '') FROM {CELLS} "
        f"WHERE {data_rows} AND {is_bad} ORDER BY rowid LIMIT {room}",
        [list(bad)],
    ).fetchall()
    source_file, sheet, name = where
    examples = [
        Problem(
            source_file,
            bad[text],
            row=row,
            sheet=sheet,
            column=name,
            value=cell_text(rendered_value(text)),
        )
        for row, text in shown
    ]
    log.add_counted(examples, total)


def convert_workbook(
    spec: SourceSpec,
    path: Path,
    con: duckdb.DuckDBPyConnection,
    log: ProblemLog,
    progress: Progress,
) -> ConvertedWorkbook | None:
    """Append the workbook's rows to the source's stage table (stage_table.create) on con, a
    cursor of the load's database; None if any cell is bad. The sheet's cells are held on con
    while it runs and dropped when it is done. The loader checks the stage and writes the
    landed CSV from it (stage_table.copy_to_landed_csv), as for every source."""
    started = time.perf_counter()
    source_file = path.name
    try:
        sheet, names, reader = read_cells(con, path, spec, progress)
        progress(f"{source_file}: sheet read in {time.perf_counter() - started:.1f} s")
        header_number, found, columns = _header_row(con, sheet, names, source_file, spec)
        header = map_header(spec, found, source_file, row=header_number, sheet=sheet)
        # The spec's columns in canonical order, as columns of the cells table.
        wanted = [columns[position] for position in header.positions]
        any_filled = " OR ".join(f"coalesce({quoted(column)}, '') <> ''" for column in columns)
        below_header = f"rowid >= {header_number}"
        data_rows = f"{below_header} AND ({any_filled})"
        converted, blank = con.execute(
            f"SELECT count(*) FILTER ({any_filled}), count(*) FILTER (NOT ({any_filled})) "
            f"FROM {CELLS} WHERE {below_header}"
        ).fetchone()
        cell_log = ProblemLog()
        for spec_column, column in zip(spec.columns, wanted, strict=True):
            if isinstance(spec_column.check, ExcelDate):
                where = (source_file, sheet, spec_column.name)
                _date_problems(con, spec_column.check, column, data_rows, where, cell_log)
        if cell_log:
            log.extend(cell_log)
            return None
        if converted == 0:
            raise RawFileError(
                Problem(
                    source_file,
                    "data rows below the header; the sheet has a header only",
                    row=header_number,
                    sheet=sheet,
                )
            )
        values = [
            # A good date cell reads 'YYYY-MM-DD 00:00:00'; it lands as its date.
            f"left({quoted(column)}, 10)"
            if isinstance(spec_column.check, ExcelDate)
            else f"nullif({quoted(column)}, '')"
            for spec_column, column in zip(spec.columns, wanted, strict=True)
        ]
        # The stage's layout (stage_table.create): text, '' for an empty cell. No ORDER BY:
        # DuckDB keeps the table's insertion order, which is the sheet's.
        staged = ", ".join(f"coalesce({value}, '')" for value in values)
        con.execute(
            f"INSERT INTO {stage_table.table_name(spec)} SELECT {sql_literal(source_file)}, "
            f"rowid + 1, {staged}, NULL FROM {CELLS} WHERE {data_rows}"
        )
        pause_points.reached(pause_points.WORKBOOK_CONVERSION)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {CELLS}")
    progress(f"{source_file}: {converted:,} rows converted ({time.perf_counter() - started:.1f} s)")
    return ConvertedWorkbook(
        source_file,
        sheet,
        converted,
        blank,
        header.extra_columns,
        reader,
    )


def workbook_to_csv(
    spec: SourceSpec, path: Path, out_path: Path, log: ProblemLog, progress: Progress
) -> ConvertedWorkbook | None:
    """The workbook on its own, landed as the loader lands it (its stage written out as the
    landed CSV at out_path), without the loader's other checks: for the benchmark's
    "workbook conversion alone" and the tests."""
    with open_database() as con:
        stage_table.create(con, spec)
        converted = convert_workbook(spec, path, con, log, progress)
        if converted is not None:
            stage_table.copy_to_landed_csv(con, spec, out_path, None)
    return converted


_SYNTHETIC_WORD = re.compile(r"\bsynthetic\b", re.IGNORECASE)


def synthetic_label(path: Path) -> str | None:
    """The document properties' words that say a workbook is SYNTHETIC (title, subject,
    description or keywords, as the generator writes them), or None. The label travels inside
    the file, so a generated workbook copied without README_SYNTHETIC.txt is still known."""
    try:
        with zipfile.ZipFile(path) as package:
            core = ElementTree.fromstring(package.read("docProps/core.xml"))
    except (KeyError, OSError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    texts = [element.text or "" for element in core.iter()]
    return next((text for text in texts if _SYNTHETIC_WORD.search(text)), None)
