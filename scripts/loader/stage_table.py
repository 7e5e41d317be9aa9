"""The in-memory DuckDB table that holds one source's rows while they are checked, and its output.

Every reader fills the same layout: the lineage columns source_file and source_row, the
spec's columns in canonical order as text (never NULL; an empty field is ''), and
field_count, the number of fields on the raw line where the DuckDB CSV reader needs it
checked (NULL otherwise). The landed CSV has the spec's columns then lineage, so a reader that
writes that layout itself (the workbook converter, the CSV reader for quoted files) produces
a file that can be landed as is.
"""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb

from scripts.duckdb_settings import loader_duckdb_config
from scripts.loader.raw_specs import SourceSpec
from scripts.loader.value_rules import SQL_FUNCTIONS, sql_literal

LINEAGE_COLUMNS = ("source_file", "source_row")


def quoted(name: str) -> str:
    """A SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def landed_columns(spec: SourceSpec) -> tuple[str, ...]:
    """Header of the landed file: the raw columns in canonical order, then lineage."""
    return (*spec.column_names, *LINEAGE_COLUMNS)


def table_name(spec: SourceSpec) -> str:
    return f"stage_{spec.name}"


class LoadDatabase:
    """The load's database (open_database), opened when a source first needs a cursor: a load
    that reuses every landed file, as an up-to-date build's does, opens none (starting DuckDB
    cost a quarter of a warm build)."""

    def __init__(self) -> None:
        self._database: duckdb.DuckDBPyConnection | None = None
        self._lock = threading.Lock()  # the workbook's thread and the CSV checks' may race

    def cursor(self) -> duckdb.DuckDBPyConnection:
        with self._lock:
            if self._database is None:
                self._database = open_database()
            return self._database.cursor()

    def close(self) -> None:
        if self._database is not None:
            self._database.close()


def open_database() -> duckdb.DuckDBPyConnection:
    """The load's in-memory DuckDB, with the loader's SQL helper functions registered, in the
    loader's memory limit (duckdb_settings.loader_duckdb_config; it spills beyond it) and
    threads. The workbook conversion and the CSV checks run at once, each on a cursor of it,
    so they share that one limit: with a database each, the loader held twice the limit
    (1.7 GiB at 10x)."""
    database = duckdb.connect(":memory:", config=loader_duckdb_config())
    for name, (function, arguments, result) in SQL_FUNCTIONS.items():
        database.create_function(name, function, arguments, result)
    return database


def create(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> str:
    """Create (or empty) the stage table of a source and return its name."""
    columns = ", ".join(f"{quoted(name)} VARCHAR NOT NULL" for name in spec.column_names)
    table = table_name(spec)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} "
        f"(source_file VARCHAR NOT NULL, source_row BIGINT NOT NULL, {columns}, "
        "field_count INTEGER)"
    )
    return table


def _read_landed_csv_sql(spec: SourceSpec, path: Path) -> str:
    types = ", ".join(f"{sql_literal(name)}: 'VARCHAR'" for name in landed_columns(spec))
    # The file was written by this loader, so its layout is known: no sniffing.
    return (
        f"read_csv({sql_literal(str(path))}, columns = {{{types}}}, header = true, "
        "delim = ',', quote = '\"', escape = '\"', auto_detect = false, "
        "strict_mode = true, parallel = true)"
    )


def insert_landed_csv(con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path) -> None:
    """Append a CSV written in the landed layout (by a reader of this loader) to the stage."""
    values = ", ".join(f"coalesce({quoted(name)}, '')" for name in spec.column_names)
    con.execute(
        f"INSERT INTO {table_name(spec)} "
        f"SELECT source_file, CAST(source_row AS BIGINT), {values}, NULL "
        f"FROM {_read_landed_csv_sql(spec, path)}"
    )


def copy_to_landed_csv(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, path: Path, without: str | None
) -> None:
    """Write the stage (less the rows listed in table ``without``) as the landed CSV."""
    # '' goes out as an empty field, the way Python's csv writer writes it, not as "".
    values = ", ".join(
        f"nullif({quoted(name)}, '') AS {quoted(name)}" for name in spec.column_names
    )
    anti_join = (
        f"ANTI JOIN {without} USING (source_file, source_row)" if without is not None else ""
    )
    con.execute(
        # No ORDER BY: readers append files in name order and rows in line order, and DuckDB
        # keeps insertion order, so the sort would only cost time.
        f"COPY (SELECT {values}, source_file, source_row FROM {table_name(spec)} {anti_join}) "
        f"TO {sql_literal(str(path))} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '\"')"
    )
