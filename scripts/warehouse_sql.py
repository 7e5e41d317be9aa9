"""The SQL that consumers (answers, the report, the build summary, the benchmark) run against a
built warehouse: queries kept in analyses/, written with ref() and compiled by dbt as part of
the build, so no Python names a relation, lineage and exposures come from the dbt graph, and the
same query runs on any engine whose schema names differ.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from scripts.paths import REPO_ROOT, compiled_analyses_dir

ANALYSES_DIR = REPO_ROOT / "analyses"


class CompiledSqlMissing(FileNotFoundError):
    """The warehouse has no compiled copy of an analysis (built by an older build, or the
    analysis is new since)."""


def compiled_analysis(warehouse: Path, name: str) -> str:
    """analyses/<name>.sql (name may hold a sub-folder) as dbt compiled it for warehouse."""
    path = compiled_analyses_dir(warehouse) / f"{name}.sql"
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CompiledSqlMissing(
            f"{path} is missing: analyses/{name}.sql has not been compiled for {warehouse}; "
            "rebuild it (make run, or nhs build --force)"
        ) from None


def analysis_sql(warehouse: Path, path: Path) -> str:
    """The SQL to run for the analysis file at path: dbt's compiled copy when path is one of the
    project's analyses, else the file as written, which must then be plain SQL (no Jinja)."""
    try:
        name = path.resolve().relative_to(ANALYSES_DIR).with_suffix("").as_posix()
    except ValueError:
        name = None
    if name is not None:
        return compiled_analysis(warehouse, name)
    text = path.read_text(encoding="utf-8")
    if "{{" in text or "{%" in text:
        raise ValueError(f"{path} holds Jinja: only analyses/ files are compiled by the build")
    return text


def synthetic_sources(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """The sources the build of warehouse (open as connection) recorded as synthetic."""
    sql = compiled_analysis(warehouse, "consumers/synthetic_sources")
    return [name for (name,) in connection.execute(sql).fetchall()]


def data_quality_warnings(connection: duckdb.DuckDBPyConnection, warehouse: Path) -> list[str]:
    """The messages of the data-quality warnings in the database open as connection (the
    published warehouse, or a build's candidate), with the SQL compiled for warehouse."""
    sql = compiled_analysis(warehouse, "consumers/data_quality_warnings")
    return [row[-1] for row in connection.execute(sql).fetchall()]
