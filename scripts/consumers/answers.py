"""Print the answer to each NHS question from a built warehouse.

Every analyses/*.sql file is one question. It starts with a `-- Question: ...` comment (the
heading) and may go on with more comment lines on how to read the answer; the rest is SQL over
the marts, written with ref(). The build compiles them with dbt; what runs is dbt's compiled SQL
(scripts.warehouse_sql), so the queries follow the dbt graph, not relation names. The queries
run on a read-only connection, so answers can be printed while BI tools read the same file or a
build replaces it, and nothing can be changed by mistake.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from scripts.cli import command_parser
from scripts.warehouse_sql import ANALYSES_DIR, CompiledSqlMissing, analysis_sql, synthetic_sources

QUESTION_PREFIX = "-- Question:"
MAX_DECIMALS = 4
COLUMN_GAP = "  "


@dataclass(frozen=True)
class Analysis:
    """One question: its heading, reading notes and query."""

    path: Path
    question: str
    notes: tuple[str, ...]
    sql: str


@dataclass(frozen=True)
class Answer:
    """The result of one analysis query."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]


def parse_analysis(path: Path, warehouse: Path | None = None) -> Analysis:
    """Read the question heading and the comment lines that follow it from an analysis file;
    its SQL is what runs on warehouse (dbt's compiled copy of a project analysis)."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if not lines or not lines[0].startswith(QUESTION_PREFIX):
        raise ValueError(f"{path} must start with a '{QUESTION_PREFIX} ...' line")
    question = lines[0].removeprefix(QUESTION_PREFIX).strip()
    notes = []
    for line in lines[1:]:
        if not line.startswith("--"):
            break
        notes.append(line.removeprefix("--").strip())
    sql = text if warehouse is None else analysis_sql(warehouse, path)
    return Analysis(path=path, question=question, notes=tuple(notes), sql=sql)


def load_analyses(directory: Path, warehouse: Path | None = None) -> list[Analysis]:
    """Every analysis in directory, in file-name order (q01_..., q02_...), with the SQL that
    runs on warehouse."""
    return [parse_analysis(path, warehouse) for path in sorted(directory.glob("*.sql"))]


def run_analysis(connection: duckdb.DuckDBPyConnection, analysis: Analysis) -> Answer:
    cursor = connection.execute(analysis.sql)
    columns = tuple(description[0] for description in cursor.description)
    return Answer(columns=columns, rows=tuple(cursor.fetchall()))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def decimals_needed(value: Any) -> int:
    """Decimal places that show a number fully, up to MAX_DECIMALS (0 for whole numbers)."""
    if isinstance(value, int):
        return 0
    text = f"{float(value):.{MAX_DECIMALS}f}".rstrip("0")
    return len(text.split(".")[1])


def format_value(value: Any, decimals: int = 0) -> str:
    """Human-readable text: thousands separators, a fixed number of decimals per column."""
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if is_number(value):
        return f"{float(value):,.{decimals}f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(format_value(item) for item in value)
    return str(value)


def format_column(values: Sequence[Any]) -> list[str]:
    """Format one column's values; every number in it gets the same number of decimals."""
    numbers = [value for value in values if is_number(value) and not isinstance(value, int)]
    decimals = max((decimals_needed(value) for value in numbers), default=0)
    return [format_value(value, decimals) for value in values]


def render_table(answer: Answer) -> str:
    """An aligned text table: numbers right-aligned, text left-aligned."""
    if not answer.rows:
        return "(no rows)"
    columns = list(zip(*answer.rows, strict=True))
    cells = [format_column(values) for values in columns]
    right_aligned = [
        all(is_number(value) or value is None for value in values) for values in columns
    ]
    widths = [
        max(len(name), *(len(cell) for cell in column_cells))
        for name, column_cells in zip(answer.columns, cells, strict=True)
    ]

    def line(texts: Sequence[str]) -> str:
        padded = [
            text.rjust(width) if right else text.ljust(width)
            for text, width, right in zip(texts, widths, right_aligned, strict=True)
        ]
        return COLUMN_GAP.join(padded).rstrip()

    header = line(answer.columns)
    rule = COLUMN_GAP.join("-" * width for width in widths)
    body = [line(row_cells) for row_cells in zip(*cells, strict=True)]
    return "\n".join([header, rule, *body])


def render_answer(number: int, analysis: Analysis, answer: Answer) -> str:
    heading = f"Q{number}. {analysis.question}"
    parts = [heading, "=" * len(heading)]
    if analysis.notes:
        parts.extend([*analysis.notes, ""])
    parts.append(render_table(answer))
    return "\n".join(parts)


def print_answers(
    heading: str,
    synthetic: Sequence[str] | None,
    analyses: Sequence[Analysis],
    run: Callable[[Analysis], Answer],
    query_error: type[Exception] | tuple[type[Exception], ...],
) -> int:
    """Print the answer of every analysis as soon as run (on whichever engine) returns it, and
    return how many failed with query_error. synthetic is None when the warehouse does not
    record its sources."""
    sections = [heading]
    if synthetic is None:
        sections.append(
            "PROVENANCE UNKNOWN: this warehouse does not record which of its sources are "
            "synthetic (it was not built by this project's build); do not read these answers "
            "as NHS figures."
        )
    elif synthetic:
        sections.append(
            "SYNTHETIC DATA in this warehouse (generated, not published by the NHS): "
            + ", ".join(synthetic)
            + "."
        )
    print("\n\n".join(sections), flush=True)
    failures = 0
    for number, analysis in enumerate(analyses, start=1):
        try:
            answer = run(analysis)
        except query_error as error:
            failures += 1
            section = f"Q{number}. {analysis.question}\nFAILED ({analysis.path.name}): {error}"
        else:
            section = render_answer(number, analysis, answer)
        print(f"\n{section}", flush=True)
    return failures


def answer_all(warehouse: Path, analyses: Sequence[Analysis]) -> int:
    """Print the answers; return how many analyses failed."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        try:
            synthetic: list[str] | None = synthetic_sources(connection, warehouse)
        except (CompiledSqlMissing, duckdb.CatalogException):
            synthetic = None  # not built by this project's build (or before provenance existed)
        return print_answers(
            f"Answers from {warehouse}",
            synthetic,
            analyses,
            lambda analysis: run_analysis(connection, analysis),
            duckdb.Error,
        )


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "scripts.consumers.answers",
        __doc__,
        warehouse_help="built DuckDB warehouse to query, read-only (default: %(default)s)",
    )
    parser.add_argument(
        "--analyses-dir",
        type=Path,
        default=ANALYSES_DIR,
        help="folder of question queries (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    if not args.warehouse.exists():
        print(
            f"No warehouse at {args.warehouse}: build one first (make run), "
            "or pass --warehouse PATH.",
            file=sys.stderr,
        )
        return 2
    try:
        analyses = load_analyses(args.analyses_dir, args.warehouse)
    except (CompiledSqlMissing, ValueError) as error:
        print(error, file=sys.stderr)
        return 2
    if not analyses:
        print(f"No analyses (*.sql) in {args.analyses_dir}.", file=sys.stderr)
        return 2
    return exit_status(answer_all(args.warehouse.resolve(), analyses), len(analyses))


def exit_status(failures: int, analyses: int) -> int:
    """Whether every analysis ran (both engines'): 0, else 1 after saying how many failed."""
    if failures:
        print(f"{failures} of {analyses} analyses failed.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
