"""Convert a raw workbook (national_categories*.xlsx) into the landed CSV layout, streaming.

The sheet is read with python-calamine (Rust; it releases the GIL while parsing, so other
sources are checked meanwhile) and, only when calamine cannot open a file, with openpyxl.
Rows are taken in chunks and handled column by column: date cells become ISO ``YYYY-MM-DD``
through a per-value cache (a year of data has a few hundred distinct dates), numbers become
their digits, and each chunk is written to the CSV at once. Nothing holds the whole sheet as
Python objects, which keeps 817k rows to a few seconds and well under 1 GB.

Which sheet: the only one, else the one named like the source (``national_categories``),
else the first. Header: the first non-blank row. Row numbers are the sheet's own (1-based).
Rows whose every cell is empty are skipped and counted.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import io
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from scripts.loader.header_map import HeaderMap, map_header
from scripts.loader.problems import SHOWN_PROBLEMS, Problem, ProblemLog, RawFileError
from scripts.loader.raw_specs import Count, ExcelDate, SourceSpec
from scripts.loader.stage_table import landed_columns

# Small chunks keep each column pass inside the CPU caches: measured ~40% less CPU than
# 100k-row chunks on the full 817k-row workbook.
CHUNK_ROWS = 5_000
PROGRESS_EVERY = 100_000
Cell = object
Progress = Callable[[str], None]


@dataclass
class ConvertedWorkbook:
    """What converting one workbook gave."""

    source_file: str
    sheet: str
    rows: int
    blank_lines: int
    extra_columns: tuple[str, ...]
    landed_csv: Path
    reader: str


def cell_text(value: Cell) -> str:
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
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: millions of short-lived row lists would trigger it thousands of
    times, each pass walking every live object (seconds in total), and none form cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _open_with_calamine(
    path: Path, spec: SourceSpec, progress: Progress
) -> tuple[str, list[str], Iterator[list[Cell]]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    workbook = CalamineWorkbook.from_path(str(path))
    names = [
        sheet.name for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet
    ]
    name = choose_sheet(names, spec, path.name)
    progress(f"{path.name}: reading sheet {name!r} ...")
    started = time.perf_counter()
    sheet = workbook.get_sheet_by_name(name)
    progress(f"{path.name}: sheet read in {time.perf_counter() - started:.1f} s")
    return name, names, sheet.iter_rows()


def _open_with_openpyxl(
    path: Path, spec: SourceSpec
) -> tuple[str, list[str], Iterator[list[Cell]]]:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    names = list(workbook.sheetnames)
    name = choose_sheet(names, spec, path.name)
    sheet = workbook[name]
    width = sheet.max_column or 0
    # Padded to one width, as calamine's rows are, so columns can be taken with zip.
    rows = (
        [("" if v is None else v) for v in row] + [""] * (width - len(row))
        for row in sheet.iter_rows(values_only=True)
    )
    return name, names, rows


def open_rows(
    path: Path, spec: SourceSpec, progress: Progress
) -> tuple[str, list[str], Iterator[list[Cell]], str]:
    """Sheet name, all sheet names, an iterator over its rows and which library reads it."""
    try:
        return (*_open_with_calamine(path, spec, progress), "calamine")
    except RawFileError:
        raise
    except Exception as calamine_error:
        try:
            return (*_open_with_openpyxl(path, spec), "openpyxl")
        except RawFileError:
            raise
        except Exception:
            raise RawFileError(
                Problem(
                    path.name,
                    "a readable .xlsx workbook; the file is corrupt or truncated "
                    f"({calamine_error})",
                )
            ) from None


class _ColumnConverter:
    """Turns one column of a chunk into text, remembering each distinct value's result."""

    def __init__(self, check: object) -> None:
        self.cache: dict[Cell, str] = {}
        self.bad: dict[Cell, str] = {}
        self.date_check = check if isinstance(check, ExcelDate) else None
        # Dates and counts arrive as typed cells, everything else normally as text already.
        self.always = self.date_check is not None or isinstance(check, Count)

    def _first_time(self, value: Cell) -> str:
        text = cell_text(value)
        if self.date_check is not None:
            expected = self.date_check.cell_problem(value)
            if expected is not None:
                self.bad[value] = expected
        self.cache[value] = text
        return text

    def convert(self, column: tuple[Cell, ...]) -> list[str]:
        # map() over the cache runs in C; values not seen before are added and it runs again.
        try:
            return list(map(self.cache.__getitem__, column))
        except KeyError:
            for value in set(column).difference(self.cache):
                self._first_time(value)
            return list(map(self.cache.__getitem__, column))


def _problems_in(
    converter: _ColumnConverter,
    column: tuple[Cell, ...],
    row_numbers: list[int] | range,
    where: tuple[str, str, str],
    log: ProblemLog,
) -> None:
    if not converter.bad or converter.bad.keys().isdisjoint(column):
        return
    source_file, sheet, name = where
    for index, value in enumerate(column):
        expected = converter.bad.get(value)
        if expected is None:
            continue
        if len(log.examples) < SHOWN_PROBLEMS:
            log.add(
                Problem(
                    source_file,
                    expected,
                    row=row_numbers[index],
                    sheet=sheet,
                    column=name,
                    value=cell_text(value),
                )
            )
        else:
            log.total += 1


def _chunk_text(columns: list[Sequence[object]], rows: int) -> str:
    """CSV text of rows given as columns; a plain join when no value needs quoting."""
    try:
        body = "\n".join(map(",".join, zip(*columns, strict=True)))
    except TypeError:  # a cell that is not text yet (a number or date in a text column)
        body = None
    # Quoting is needed only if a value holds a comma, quote or line break; the counts tell.
    if (
        body is not None
        and body.count(",") == rows * (len(columns) - 1)
        and body.count("\n") == rows - 1
        and '"' not in body
        and "\r" not in body
    ):
        return body + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(zip(*([cell_text(v) for v in column] for column in columns), strict=True))
    return out.getvalue()


def _header_row(
    rows: Iterator[list[Cell]], sheet: str, names: list[str], source_file: str, spec: SourceSpec
) -> tuple[int, list[str]]:
    for number, row in enumerate(rows, start=1):
        if any(cell != "" for cell in row):
            return number, [cell_text(cell) for cell in row]
    others = [name for name in names if name != sheet]
    raise RawFileError(
        Problem(
            source_file,
            f"the data on the first sheet or on a sheet named like {spec.name!r}, but sheet "
            f"{sheet!r} is empty (sheets in this workbook: {', '.join([sheet, *others])})",
        )
    )


def convert_workbook(
    spec: SourceSpec,
    path: Path,
    out_path: Path,
    log: ProblemLog,
    progress: Progress,
) -> ConvertedWorkbook | None:
    """Write the workbook's rows in the landed layout to out_path; None if any cell is bad."""
    started = time.perf_counter()
    source_file = path.name
    sheet, names, rows, reader = open_rows(path, spec, progress)
    header_number, found = _header_row(rows, sheet, names, source_file, spec)
    header = map_header(spec, found, source_file, row=header_number, sheet=sheet)
    converters = [_ColumnConverter(column.check) for column in spec.columns]
    cell_log = ProblemLog()
    converted = blank = 0
    last_row = header_number
    with _gc_paused(), out_path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(landed_columns(spec)) + "\n")
        while chunk := list(islice(rows, CHUNK_ROWS)):
            first_row, last_row = last_row + 1, last_row + len(chunk)
            chunk_columns, row_numbers, skipped = _columns_of(chunk, header, first_row)
            del chunk
            blank += skipped
            if not row_numbers:
                continue
            texts = []
            for index, column in enumerate(chunk_columns):
                converter = converters[index]
                if converter.always:
                    texts.append(converter.convert(column))
                    where = (source_file, sheet, spec.columns[index].name)
                    _problems_in(converter, column, row_numbers, where, cell_log)
                else:
                    texts.append(column)
            count = len(row_numbers)
            lineage = [[source_file] * count, list(map(str, row_numbers))]
            out.write(_chunk_text([*texts, *lineage], count))
            if (converted + count) // PROGRESS_EVERY > converted // PROGRESS_EVERY:
                progress(
                    f"{source_file}: {converted + count:,} rows converted "
                    f"({time.perf_counter() - started:.1f} s)"
                )
            converted += count
    progress(f"{source_file}: {converted:,} rows converted ({time.perf_counter() - started:.1f} s)")
    if cell_log:
        out_path.unlink(missing_ok=True)
        log.extend(cell_log)
        return None
    if converted == 0:
        out_path.unlink(missing_ok=True)
        raise RawFileError(
            Problem(
                source_file,
                "data rows below the header; the sheet has a header only",
                row=header_number,
                sheet=sheet,
            )
        )
    return ConvertedWorkbook(
        source_file, sheet, converted, blank, header.extra_columns, out_path, reader
    )


def _columns_of(
    chunk: list[list[Cell]], header: HeaderMap, first_row: int
) -> tuple[list[tuple[Cell, ...]], list[int] | range, int]:
    """The spec's columns of a chunk, their sheet row numbers, and how many blank rows it had."""
    # Both readers give every row of a sheet the same width (its used range).
    columns = list(zip(*chunk, strict=True))
    row_numbers: list[int] | range = range(first_row, first_row + len(chunk))
    blank = 0
    # A blank row is empty in every column, so a column without any '' rules them out
    # cheaply; a text column is the quick one to search.
    wanted = [columns[position] for position in header.positions]
    probe = next((column for column in wanted if type(column[0]) is str), wanted[0])
    if "" in probe:
        keep = [index for index, row in enumerate(chunk) if any(cell != "" for cell in row)]
        blank = len(chunk) - len(keep)
        if blank:
            columns = [tuple(column[index] for index in keep) for column in columns]
            row_numbers = [first_row + index for index in keep]
    return [columns[position] for position in header.positions], row_numbers, blank
