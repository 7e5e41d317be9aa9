"""Rebuilding from the same inputs gives the same marts, row for row.

The session's build of the sample and a second build from scratch into a new warehouse are
compared, every table in the marts schema in full, sorted by all its columns. Any
non-determinism, such as a build timestamp, a random key or a floating-point sum whose value
depends on thread scheduling, shows up as a difference here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MARTS_EMPTY_ON_CLEAN_INPUT, MartRows, all_mart_rows, build_sample

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def two_builds(
    sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[MartRows, MartRows]:
    # A separate warehouse, so the second build really runs dbt from scratch (a rebuild in
    # place may be skipped when the build sees that nothing changed).
    second = tmp_path_factory.mktemp("second") / "nhs.duckdb"
    return all_mart_rows(sample_warehouse), all_mart_rows(build_sample(second))


def test_rebuild_has_the_same_marts(two_builds: tuple[MartRows, MartRows]) -> None:
    first, second = two_builds
    assert "data_provenance" in first
    assert sorted(second) == sorted(first)


def test_every_mart_has_identical_rows_after_a_rebuild(
    two_builds: tuple[MartRows, MartRows],
) -> None:
    first, second = two_builds
    differing = []
    for name, (columns, rows) in first.items():
        second_columns, second_rows = second[name]
        if columns != second_columns or rows != second_rows:
            differing.append(name)
    assert differing == [], f"marts that differ between two builds of the same inputs: {differing}"
    empty = sorted(name for name, (_, rows) in first.items() if not rows)
    assert empty == sorted(MARTS_EMPTY_ON_CLEAN_INPUT), "every other mart should hold rows"
