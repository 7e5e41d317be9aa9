"""The workbook side of the loader: sheet choice, date cells, row numbers, unreadable files."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from conftest import CATEGORIES, write_workbook

WORKBOOK = "national_categories.xlsx"


def _landed(landing_dir: Path) -> list[dict[str, str]]:
    with (landing_dir / "national_categories.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_dates_land_as_iso_and_counts_as_digits(run_loader, raw_dir, landing_dir) -> None:
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    landed = _landed(landing_dir)
    assert [row["appointment_date"] for row in landed] == ["2021-08-02", "2021-08-02", "2021-09-01"]
    assert [row["count_of_appointments"] for row in landed] == ["938", "17", "3"]
    assert [row["source_row"] for row in landed] == ["2", "3", "4"]
    assert {row["source_file"] for row in landed} == {WORKBOOK}


def test_data_on_another_sheet(raw_dir: Path, rejected) -> None:
    path = raw_dir / WORKBOOK
    write_workbook(path, CATEGORIES, sheet="Data", sheets_before=["Notes"])
    rejected(WORKBOOK, "sheet 'Notes' is empty", "sheets in this workbook: Notes, Data")


def test_several_sheets_use_the_one_named_like_the_source(run_loader, raw_dir, landing_dir) -> None:
    path = raw_dir / WORKBOOK
    write_workbook(path, CATEGORIES, sheet="National Categories", sheets_before=["Read me"])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert len(_landed(landing_dir)) == 3


def test_two_sheets_named_like_the_source(raw_dir: Path, rejected) -> None:
    path = raw_dir / WORKBOOK
    write_workbook(
        path, CATEGORIES, sheet="national_categories_b", sheets_before=["national_categories_a"]
    )
    rejected(WORKBOOK, "found several: national_categories_a, national_categories_b")


def test_text_instead_of_date_cell(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in CATEGORIES]
    rows[3][0] = "2021-09-01"
    write_workbook(raw_dir / WORKBOOK, rows)
    rejected(
        f"{WORKBOOK} sheet 'Sheet1' row 4, column appointment_date: got '2021-09-01', "
        "expected an Excel date cell"
    )


def test_date_out_of_range(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in CATEGORIES]
    rows[2][0] = dt.date(2031, 1, 1)
    rows[2][7] = "2031-01"
    write_workbook(raw_dir / WORKBOOK, rows)
    rejected(f"{WORKBOOK} sheet 'Sheet1' row 3, column appointment_date: got '2031-01-01'")


def test_month_must_agree_with_date(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in CATEGORIES]
    rows[1][7] = "2021-09"
    write_workbook(raw_dir / WORKBOOK, rows)
    rejected(
        f"{WORKBOOK} sheet 'Sheet1' row 2, column appointment_month: got '2021-09', "
        "expected 2021-08, the month of appointment_date 2021-08-02"
    )


def test_fractional_count_cell(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in CATEGORIES]
    rows[2][6] = 16.5
    write_workbook(raw_dir / WORKBOOK, rows)
    rejected(
        f"{WORKBOOK} sheet 'Sheet1' row 3, column count_of_appointments: got '16.5', "
        "expected a non-negative whole number"
    )


def test_unknown_national_category(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in CATEGORIES]
    rows[1][5] = "Coffee Morning"
    write_workbook(raw_dir / WORKBOOK, rows)
    rejected(f"{WORKBOOK} sheet 'Sheet1' row 2, column national_category: got 'Coffee Morning'")


def test_header_lower_down_keeps_sheet_row_numbers(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in CATEGORIES]
    rows[3][4] = "Direct Care"
    write_workbook(raw_dir / WORKBOOK, rows, first_row=2)
    rejected(f"{WORKBOOK} sheet 'Sheet1' row 6, column context_type: got 'Direct Care'")


def test_duplicate_key_and_exact_repeat(run_loader, raw_dir, landing_dir) -> None:
    rows = [list(row) for row in CATEGORIES]
    write_workbook(raw_dir / WORKBOOK, [*rows, rows[2]])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert [row["source_row"] for row in _landed(landing_dir)] == ["2", "3", "4"]
    with (landing_dir / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        rejects = list(csv.DictReader(handle))
    assert len(rejects) == 1
    assert rejects[0]["source_row"] == "5"
    assert rejects[0]["reason"].startswith("exact duplicate of row 3 of the same file")

    write_workbook(raw_dir / WORKBOOK, [*rows, [*rows[2][:6], 99, rows[2][7]]])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 2
    assert f"{WORKBOOK} sheet 'Sheet1' row 5, column (appointment_date" in result.err
    assert f"first appears at {WORKBOOK} sheet 'Sheet1' row 3" in result.err


def test_truncated_workbook(raw_dir: Path, rejected) -> None:
    path = raw_dir / WORKBOOK
    path.write_bytes(path.read_bytes()[:2000])
    rejected(f"{WORKBOOK}: a readable .xlsx workbook; the file is corrupt or truncated")


def test_not_a_workbook(raw_dir: Path, rejected) -> None:
    (raw_dir / WORKBOOK).write_text("appointment_date,icb_ons_code\n", encoding="utf-8")
    rejected(f"{WORKBOOK}: a readable .xlsx workbook")


def test_missing_column_in_sheet(raw_dir: Path, rejected) -> None:
    write_workbook(raw_dir / WORKBOOK, [row[:7] for row in CATEGORIES])
    rejected(
        f"{WORKBOOK} sheet 'Sheet1' row 1, column appointment_month",
        "columns found: appointment_date, icb_ons_code",
    )


def test_blank_rows_are_skipped(run_loader, raw_dir, landing_dir) -> None:
    rows = [list(row) for row in CATEGORIES]
    write_workbook(raw_dir / WORKBOOK, [*rows[:2], [""] * 8, *rows[2:]])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert "1 blank row(s) skipped" in result.out
    assert [row["source_row"] for row in _landed(landing_dir)] == ["2", "4", "5"]


def test_openpyxl_fallback_lands_the_same(run_loader, raw_dir, landing_dir, monkeypatch) -> None:
    from scripts.loader import workbook_convert

    assert run_loader(raw_dir, landing_dir).code == 0
    with_fastexcel = (landing_dir / "national_categories.csv").read_bytes()

    def fastexcel_cannot(*args: object) -> None:
        raise ValueError("fastexcel cannot read this one")

    monkeypatch.setattr(workbook_convert, "_cells_with_fastexcel", fastexcel_cannot)
    rows = [list(row) for row in CATEGORIES]
    rows[2][6] = 18
    write_workbook(raw_dir / WORKBOOK, rows)
    assert run_loader(raw_dir, landing_dir).code == 0
    with_openpyxl = (landing_dir / "national_categories.csv").read_bytes()
    assert with_openpyxl == with_fastexcel.replace(b",17,", b",18,")
