"""A quarantined raw row is set aside, counted and visible in the warehouse, never silently lost."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_build

from scripts.paths import SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow


def duplicate_a_line(csv_path: Path, line_number: int) -> str:
    """Append a copy of one data line (1-based, header = 1) to the file; return that line."""
    raw = csv_path.read_bytes()
    newline = b"\r\n" if b"\r\n" in raw else b"\n"
    lines = raw.split(newline)
    repeated = lines[line_number - 1]
    body = raw if raw.endswith(newline) else raw + newline
    csv_path.write_bytes(body + repeated + newline)
    return repeated.decode("utf-8")


def test_an_exact_duplicate_row_is_quarantined_into_the_rejects_mart(tmp_path: Path) -> None:
    raw_dir = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw_dir)
    durations = raw_dir / "actual_duration.csv"
    rows_before = len(durations.read_bytes().splitlines()) - 1
    duplicate_a_line(durations, 2)
    warehouse = tmp_path / "nhs.duckdb"

    assert_succeeded(run_build(raw_dir, warehouse))

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        rejects = connection.execute(
            "select source_name, source_file, source_row from marts.data_quality_rejects"
        ).fetchall()
        (fact_rows,) = connection.execute(
            "select count(*) from marts.fct_appointment_duration_daily"
        ).fetchone()
    # The appended copy is the last line of the file: header + original rows + 1.
    assert rejects == [("actual_duration", "actual_duration.csv", rows_before + 2)]
    assert fact_rows == rows_before
