"""Read one raw CSV into the stage table, checking its structure on the way.

Structure means: UTF-8 text (a BOM is fine), a comma-separated header with every required
column, balanced quotes, and the header's number of fields on every line. Values are checked
afterwards, all sources alike, by ``value_checks``.

Two ways in, chosen per file, both giving every row its physical line number (1-based, the
header is line 1):

* No quote character anywhere (the NHS CSVs): every line is one row, so DuckDB splits the file
  into lines and fields itself, vectorised, and the list position is the line number. The file
  is read in pieces that end at a newline (raw_bytes), so memory does not grow with the file
  (a 10x file of 380 MB is read as 12 pieces; DuckDB spills the stage table to disk).
* Quotes present (tweets.csv, whose texts hold newlines): Python's csv module parses it,
  tracking where each record starts, and writes the landed layout for DuckDB to read. A quoted
  field may span lines, so this file is read whole.

Blank lines carry no values; they are skipped and counted, never treated as rows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import duckdb

from scripts.loader.header_map import HeaderMap, map_header
from scripts.loader.problems import SHOWN_PROBLEMS, Problem, ProblemLog, RawFileError
from scripts.loader.raw_bytes import (
    check_utf8,
    first_line,
    has_quote,
    lines_at,
    pieces,
    without_bom,
)
from scripts.loader.raw_inputs import RawInput
from scripts.loader.raw_specs import Layout, SourceSpec
from scripts.loader.stage_table import insert_landed_csv, landed_columns, table_name
from scripts.loader.value_rules import sql_literal

_OTHER_DELIMITERS = {";": "semicolon", "\t": "tab", "|": "pipe"}
_FIELD_END = re.compile("[,\n]")


@dataclass
class StagedFile:
    """What reading one raw file gave: its rows went into the stage table."""

    source_file: str
    rows: int
    blank_lines: int
    extra_columns: tuple[str, ...]
    landed_csv: Path | None = None  # set when the reader wrote the landed layout itself


def _as_spec_names(spec: SourceSpec, found: list[str], layout: Layout | None) -> list[str]:
    """The header with the publisher's names of a layout replaced by the spec's names."""
    if layout is None:
        return found
    return [
        next(
            (
                column
                for column, published in zip(spec.column_names, layout.headers, strict=True)
                if published.strip().lower() == name.strip().lower()
            ),
            name,
        )
        for name in found
    ]


def _read_header(
    text: str, spec: SourceSpec, source_file: str, layout: Layout | None = None
) -> HeaderMap:
    end = text.find("\n")
    first_line = (text if end < 0 else text[:end]).rstrip("\r")
    if not first_line.strip():
        raise RawFileError(
            Problem(
                source_file,
                f"a header line with the columns {', '.join(spec.column_names)}; the first "
                "line is blank",
                row=1,
            )
        )
    try:
        found = next(csv.reader([first_line]))
    except csv.Error as error:
        raise RawFileError(
            Problem(source_file, f"a readable header line ({error})", row=1, value=first_line)
        ) from None
    if len(found) == 1:
        for delimiter, name in _OTHER_DELIMITERS.items():
            if delimiter in first_line:
                raise RawFileError(
                    Problem(
                        source_file,
                        f"a comma-separated header ({', '.join(spec.column_names)}); the "
                        f"delimiter or header is wrong: this file looks {name}-delimited "
                        f"({delimiter!r})",
                        row=1,
                        value=first_line,
                    )
                )
    return map_header(spec, _as_spec_names(spec, found, layout), source_file)


def stage_csv(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    raw: RawInput,
    work_dir: Path,
    log: ProblemLog,
) -> StagedFile | None:
    """Append the rows of one raw CSV to the stage table; None if the file is unusable."""
    if has_quote(raw):
        staged = _stage_quoted(con, spec, raw, work_dir, log)
    else:
        staged = _stage_with_duckdb(con, spec, raw, log)
    if staged is not None and staged.rows == 0:
        raise RawFileError(
            Problem(raw.name, "data rows below the header; the file has a header only")
        )
    return staged


def _refuse_empty(data: bytes, spec: SourceSpec, source_file: str) -> None:
    if not data or data.isspace():
        raise RawFileError(
            Problem(
                source_file,
                f"a header line ({', '.join(spec.column_names)}) and data rows; the file is empty",
            )
        )


def _header_guess(data: bytes) -> list[str]:
    """Only to name columns in encoding errors, before the header can be trusted."""
    return first_line(data).decode("utf-8", errors="replace").split(",")


def _stage_quoted(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    raw: RawInput,
    work_dir: Path,
    log: ProblemLog,
) -> StagedFile | None:
    data = without_bom(raw.read_bytes())
    _refuse_empty(data, spec, raw.name)
    text = check_utf8(data, _header_guess(data), raw.name, log)
    if text is None:
        return None
    header = _read_header(text, spec, raw.name, raw.layout)
    return _stage_with_python_csv(con, spec, text, raw.name, header, work_dir, log)


def _stage_with_duckdb(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, raw: RawInput, log: ProblemLog
) -> StagedFile | None:
    # Piece by piece: split into lines (list position + lines before = line number) and
    # fields, straight into the stage; the field count rides along so ragged lines are found
    # afterwards.
    source_file = raw.name
    table = table_name(spec)
    header: HeaderMap | None = None
    lines_before = 0
    ends_with_newline = False
    readable = True
    for index, piece in enumerate(pieces(raw)):
        if index == 0:
            piece = without_bom(piece)
            _refuse_empty(piece, spec, source_file)
            guess = _header_guess(piece)
        text = check_utf8(piece, guess, source_file, log, lines_before)
        if text is None:
            readable = False
        elif index == 0:
            header = _read_header(text, spec, source_file, raw.layout)
        if readable and header is not None and text is not None:
            fields = ", ".join(f"coalesce(f[{position + 1}], '')" for position in header.positions)
            con.execute(
                f"INSERT INTO {table} "
                f"SELECT {sql_literal(source_file)}, source_row, {fields}, len(f) FROM ("
                "  SELECT source_row, string_split(rtrim(line, chr(13)), ',') AS f FROM ("
                "    SELECT unnest(l) AS line, generate_subscripts(l, 1) + ? AS source_row"
                "    FROM (SELECT string_split(?, chr(10)) AS l)"
                "  ) WHERE source_row > 1 AND line <> '' AND line <> chr(13)"
                ")",
                [lines_before, text],
            )
        lines_before += piece.count(b"\n")
        ends_with_newline = piece.endswith(b"\n")
    this_file = f"FROM {table} WHERE source_file = ?"
    if not readable or header is None:
        con.execute(f"DELETE {this_file}", [source_file])  # the pieces before the bad bytes
        return None
    rows, bad = con.execute(
        f"SELECT count(*), count(*) FILTER (field_count <> ?) {this_file}",
        [header.width, source_file],
    ).fetchone()
    # Lines other than the header and the data rows are blank; the text after the final
    # newline is no line at all.
    blank = lines_before - rows - (1 if ends_with_newline else 0)
    if bad:
        examples = con.execute(
            f"SELECT source_row, field_count {this_file} AND field_count <> ? "
            "ORDER BY source_row LIMIT ?",
            [source_file, header.width, SHOWN_PROBLEMS],
        ).fetchall()
        lines = lines_at(raw, {row for row, _ in examples})
        log.add_counted(
            (
                _field_count_problem(source_file, row, lines[row], count, header.width)
                for row, count in examples
            ),
            bad,
        )
        con.execute(f"DELETE {this_file}", [source_file])
        return None
    return StagedFile(source_file, rows, blank, header.extra_columns)


def _field_count_problem(source_file: str, row: int, line: str, count: int, width: int) -> Problem:
    return Problem(
        source_file,
        f"{width} comma-separated values as in the header, found {count}",
        row=row,
        value=line,
    )


def _stage_with_python_csv(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    text: str,
    source_file: str,
    header: HeaderMap,
    work_dir: Path,
    log: ProblemLog,
) -> StagedFile | None:
    out_path = work_dir / f"{spec.name}.{source_file.replace('/', '__')}.part.csv"
    pick = itemgetter(*header.positions)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = blank = bad = 0
    examples: list[Problem] = []
    previous_end = 1
    try:
        with out_path.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(landed_columns(spec))
            next(reader)
            previous_end = reader.line_num
            for record in reader:
                start, previous_end = previous_end + 1, reader.line_num
                if not record:
                    blank += 1
                elif len(record) != header.width:
                    bad += 1
                    if len(examples) < SHOWN_PROBLEMS:
                        examples.append(
                            _field_count_problem(
                                source_file, start, ",".join(record), len(record), header.width
                            )
                        )
                else:
                    rows += 1
                    writer.writerow((*pick(record), source_file, start))
    except csv.Error as error:
        out_path.unlink(missing_ok=True)
        # The record that failed starts right after the last one read completely.
        start = previous_end + 1
        raise RawFileError(_quote_problem(text, start, source_file, spec, header, error)) from None
    if bad:
        out_path.unlink(missing_ok=True)
        log.add_counted(examples, bad)
        return None
    insert_landed_csv(con, spec, out_path)
    return StagedFile(source_file, rows, blank, header.extra_columns, landed_csv=out_path)


def _quote_problem(
    text: str, start: int, source_file: str, spec: SourceSpec, header: HeaderMap, error: Exception
) -> Problem:
    """Say where a quoting error starts: the record's first line and, if known, its column."""
    offset = 0
    for _ in range(start - 1):
        offset = text.index("\n", offset) + 1
    field_index = _unclosed_field(text, offset)
    column = None
    if field_index is not None and field_index in header.positions:
        column = spec.column_names[header.positions.index(field_index)]
    snippet = text[offset : offset + 60].split("\n", 1)[0]
    if field_index is not None:
        expected = (
            'a closing quote (") for the quoted field that opens on this line; it is never '
            "closed before the end of the file (unterminated quote)"
        )
    else:
        expected = f'well-formed quoting, e.g. "a ""quoted"" value" ({error})'
    return Problem(source_file, expected, row=start, column=column, value=snippet)


def _unclosed_field(text: str, offset: int) -> int | None:
    """Index of the field of the record at ``offset`` whose opening quote never closes."""
    field = 0
    position = offset
    while True:
        if text.startswith('"', position):
            close = text.find('"', position + 1)
            while close != -1 and text.startswith('"', close + 1):
                close = text.find('"', close + 2)
            if close == -1:
                return field
            position = close + 1
        end = _FIELD_END.search(text, position)
        if end is None or end.group() == "\n":
            return None
        position = end.end()
        field += 1
