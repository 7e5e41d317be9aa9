"""The loader on real-shaped data: the committed synthetic sample, the real NHS CSVs (when
present) and a workbook big enough to show that conversion streams."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from pathlib import Path

import psutil
import pytest
import xlsxwriter
from conftest import CATEGORIES, NAME_00L, write_workbook

from scripts.loader.problems import ProblemLog
from scripts.loader.raw_specs import NATIONAL_CATEGORIES
from scripts.loader.workbook_convert import workbook_to_csv
from scripts.paths import SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR


def _count_rows_and_sum(path: Path, column: str) -> tuple[int, int]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return len(rows), sum(int(row[column]) for row in rows)


@pytest.mark.skipif(not SAMPLE_RAW_DIR.is_dir(), reason="no synthetic sample in data/sample")
def test_synthetic_sample_lands_cleanly(run_loader, landing_dir: Path) -> None:
    result = run_loader(SAMPLE_RAW_DIR, landing_dir)
    assert result.code == 0, result.err
    for name in ("appointments_regional.csv", "actual_duration.csv", "national_categories.csv"):
        rows, total = _count_rows_and_sum(landing_dir / name, "count_of_appointments")
        assert rows > 0
        assert total > 0


@pytest.mark.real_data
@pytest.mark.skipif(
    not (SHARED_REAL_DATA_DIR / "appointments_regional.csv").is_file(),
    reason="the real NHS files are not in ../shared/data/nhs",
)
def test_real_csvs_land_with_every_row(run_loader, tmp_path: Path, landing_dir: Path) -> None:
    raw = tmp_path / "real"
    raw.mkdir()
    for name in ("appointments_regional.csv", "actual_duration.csv", "tweets.csv"):
        (raw / name).symlink_to(SHARED_REAL_DATA_DIR / name)
    # The real workbook is not published here; a tiny one stands in.
    write_workbook(raw / "national_categories.xlsx", CATEGORIES)
    result = run_loader(raw, landing_dir)
    assert result.code == 0, result.err
    # Row counts and totals from shared/data/nhs/SOURCES.md.
    count = "count_of_appointments"
    regional = _count_rows_and_sum(landing_dir / "appointments_regional.csv", count)
    assert regional == (596_821, 742_804_525)
    durations = _count_rows_and_sum(landing_dir / "actual_duration.csv", count)
    assert durations == (137_793, 167_980_692)
    with (landing_dir / "tweets.csv").open(encoding="utf-8", newline="") as handle:
        tweets = list(csv.DictReader(handle))
    assert len(tweets) == 1_174
    assert len({tweet["tweet_id"] for tweet in tweets}) == 1_174


def _big_workbook(path: Path, rows: int) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet("Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, CATEGORIES[0])
    first = dt.datetime(2021, 8, 1)
    categories = ["Planned Clinics", "Clinical Triage", "Home Visit", "Walk-in"]
    for index in range(rows):
        day = first + dt.timedelta(days=index // 400)
        row = index + 1
        sheet.write_datetime(row, 0, day, date_format)
        sheet.write_string(row, 1, "E54000050")
        sheet.write_string(row, 2, NAME_00L)
        sheet.write_string(row, 3, ("General Practice", "Other")[index % 2])
        sheet.write_string(row, 4, "Care Related Encounter")
        sheet.write_string(row, 5, f"{categories[index // 2 % 4]}")
        sheet.write_number(row, 6, index % 997)
        sheet.write_string(row, 7, day.strftime("%Y-%m"))
    workbook.close()


@pytest.mark.slow
def test_workbook_conversion_reports_progress_in_bounded_memory(tmp_path: Path) -> None:
    rows = 150_000
    path = tmp_path / "national_categories.xlsx"
    _big_workbook(path, rows)
    process = psutil.Process()
    baseline = process.memory_info().rss
    peak = [baseline]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], process.memory_info().rss)

    sampler = threading.Thread(target=sample)
    sampler.start()
    messages: list[str] = []
    try:
        result = workbook_to_csv(
            NATIONAL_CATEGORIES, path, tmp_path / "out.csv", ProblemLog(), messages.append
        )
    finally:
        done.set()
        sampler.join()
    assert result is not None
    assert result.rows == rows
    assert messages[0] == "national_categories.xlsx: reading sheet 'Sheet1' ..."
    assert messages[-1].startswith("national_categories.xlsx: 150,000 rows converted")
    with (tmp_path / "out.csv").open(encoding="utf-8", newline="") as handle:
        landed = sum(1 for _ in handle) - 1
    assert landed == rows
    # Holding the sheet as Python rows (an object per cell) would cost well over this.
    assert peak[0] - baseline < 250 * 1024 * 1024
