"""The memory limit each DuckDB of the build runs with (scripts/duckdb_settings.py)."""

from __future__ import annotations

import duckdb
import pytest

from scripts.duckdb_settings import LOADER_MEMORY_LIMIT_ENV, MEMORY_LIMIT_ENV
from scripts.loader.stage_table import open_database


def _memory_limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def _as_duckdb_shows(limit: str) -> str:
    """How DuckDB shows a memory limit given as limit (it normalises '320MB' to MiB)."""
    with duckdb.connect(config={"memory_limit": limit}) as con:
        return _memory_limit(con)


def test_the_loader_has_its_own_smaller_limit_whatever_dbt_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(LOADER_MEMORY_LIMIT_ENV, raising=False)
    monkeypatch.setenv(MEMORY_LIMIT_ENV, "2GB")
    with open_database() as con:
        assert _memory_limit(con) == _as_duckdb_shows("320MB")


def test_the_loaders_limit_is_set_by_its_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(LOADER_MEMORY_LIMIT_ENV, "100MB")
    with open_database() as con:
        assert _memory_limit(con) == _as_duckdb_shows("100MB")
    assert _as_duckdb_shows("100MB") != _as_duckdb_shows("320MB")
