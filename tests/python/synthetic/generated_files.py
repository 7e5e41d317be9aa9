"""Reading the generator's output back, for the synthetic-data tests: with csv and
python-calamine, independently of the generator's own writers."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from conftest import CATEGORIES as CATEGORY_ROWS
from python_calamine import CalamineWorkbook

from scripts.paths import SHARED_REAL_DATA_DIR
from scripts.synthetic import generate as generator

CSV_FILES = ("appointments_regional.csv", "actual_duration.csv", "tweets.csv")
WORKBOOK = "national_categories.xlsx"
# The published header, from the hand-written fixture file (independent of the generator).
WORKBOOK_HEADER = CATEGORY_ROWS[0]

needs_real_data = pytest.mark.skipif(
    not SHARED_REAL_DATA_DIR.is_dir(),
    reason=f"real NHS data folder {SHARED_REAL_DATA_DIR} is absent; real-data checks skipped",
)


def generate(out: Path, *options: str) -> Path:
    assert generator.main(["--out", str(out), "--no-progress", *options]) == 0
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_workbook(path: Path) -> list[list]:
    workbook = CalamineWorkbook.from_path(str(path))
    assert len(workbook.sheet_names) == 1
    return workbook.get_sheet_by_index(0).to_python()


def workbook_records(path: Path) -> list[dict]:
    header, *rows = read_workbook(path)
    assert header == WORKBOOK_HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def as_date(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def monthly(records: list[dict], month_of) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for record in records:
        totals[month_of(record)] += int(record["count_of_appointments"])
    return dict(totals)


def month_range(first: str, last: str) -> list[str]:
    months, (year, month) = [], (int(first[:4]), int(first[5:]))
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def date_range(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}
