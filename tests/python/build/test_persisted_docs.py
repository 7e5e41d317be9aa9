"""BI tools show table and column comments: every mart of the built warehouse carries its YAML
description as a comment on the table and on each column, rendered (doc blocks resolved)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def test_every_mart_table_and_column_has_its_description(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'marts'"
        ).fetchall()
        shared = con.execute(
            "select comment from duckdb_columns() where schema_name = 'marts' "
            "and table_name = 'fct_appointments_monthly' "
            "and column_name = 'count_of_appointments'"
        ).fetchone()
    assert len(tables) >= 20
    assert [name for name, comment in tables if not (comment or "").strip()] == []
    assert [(t, c) for t, c, comment in columns if not (comment or "").strip()] == []
    unrendered = [(t, c) for t, c, comment in columns if "{{" in comment or "{%" in comment]
    assert unrendered == []
    # A description shared as a doc block (models/docs/columns.md) arrives as its text.
    assert shared == ("Number of appointments (BIGINT).",)
