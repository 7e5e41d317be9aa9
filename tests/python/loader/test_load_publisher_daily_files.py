"""The publisher's daily layouts (daily by sub-ICB location, national categories, actual
duration): recognised by their header, loose or inside a zip and under any member name; a
publication's files (one zip) may cover an ICB and day once only; bad input is refused naming
file, line and column, leaving the last landing as it was. Rows are written by hand in the
layouts of ../shared/data/nhs/official/SOURCES.md; expected values are restated here."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from conftest import write_csv

DAILY_HEADER = [
    "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_ONS_CODE", "SUB_ICB_LOCATION_NAME",
    "ICB_ONS_CODE", "REGION_ONS_CODE", "Appointment_Date", "APPT_STATUS", "HCP_TYPE",
    "APPT_MODE", "TIME_BETWEEN_BOOK_AND_APPT", "COUNT_OF_APPOINTMENTS",
]  # fmt: skip
CATEGORY_HEADER = [
    "sub_icb_location_code", "sub_icb_location_ons_code", "sub_icb_location_name",
    "icb_ons_code", "region_ons_code", "appointment_date", "service_setting", "context_type",
    "national_category", "count_of_appointments",
]  # fmt: skip
DURATION_HEADER = [
    "SUB_ICB_LOCATION_CODE", "SUB_ICB_LOCATION_ONS_CODE", "SUB_ICB_LOCATION_NAME",
    "ICB_ONS_CODE", "REGION_ONS_CODE", "Appointment_Date", "ACTUAL_DURATION",
    "COUNT_OF_APPOINTMENTS",
]  # fmt: skip
WHERE = ["15E", "E38000258", "NHS Birmingham and Solihull ICB - 15E", "E54000055", "E40000011"]
DAILY = [
    DAILY_HEADER,
    [*WHERE, "01MAR2026", "Attended", "GP", "Face-to-Face", "Same Day", "120"],
    [*WHERE, "02MAR2026", "DNA", "Other Practice staff", "Telephone", "15  to 21 Days", "7"],
]
CATEGORIES = [
    CATEGORY_HEADER,
    [*WHERE, "31DEC2024", "General Practice", "Care Related Encounter", "Clinical Triage", "41"],
    [*WHERE, "31DEC2024", "Unmapped", "Unmapped", "Unmapped", "3"],
]
DURATIONS = [
    DURATION_HEADER,
    [*WHERE, "01DEC2021", "6-10 Minutes", "88"],
    [*WHERE, "01DEC2021", "Unknown / Data Quality", "5"],
]
NAMES = {
    "publisher_daily.csv": ("SUB_ICB_LOCATION_CSV_MAR_26.csv", DAILY),
    "publisher_national_categories.csv": ("National_Categories_CSV_2024.csv", CATEGORIES),
    "publisher_actual_duration.csv": ("Actual_Duration_CSV_DEC_21.csv", DURATIONS),
}


def _landed(landing_dir: Path, name: str) -> list[dict[str, str]]:
    with (landing_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _zip(path: Path, members: dict[str, list[list[str]]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in members.items():
            member = path.parent / f".{Path(name).name}"
            write_csv(member, rows)
            archive.write(member, name)
            member.unlink()
    return path


@pytest.mark.parametrize("landed", sorted(NAMES))
def test_each_layout_lands_by_its_header_from_a_loose_file(
    run_loader, raw_dir: Path, landing_dir: Path, landed: str
) -> None:
    name, rows = NAMES[landed]
    write_csv(raw_dir / name, rows)
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    got = _landed(landing_dir, landed)
    assert [list(row.values()) for row in got] == [
        [*row, name, str(line)] for line, row in enumerate(rows[1:], 2)
    ]


def test_layouts_are_recognised_inside_a_zip_under_unfamiliar_names(
    run_loader, raw_dir: Path, landing_dir: Path
) -> None:
    archive = "Appointments_GP_Daily_CSV_Mar_26.zip"
    _zip(
        raw_dir / archive,
        {"a.csv": DAILY, "folder/b.csv": CATEGORIES, "c.csv": DURATIONS, "notes.txt": [["x"]]},
    )
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    for landed, member in (
        ("publisher_daily.csv", "a.csv"),
        ("publisher_national_categories.csv", "folder/b.csv"),
        ("publisher_actual_duration.csv", "c.csv"),
    ):
        got = _landed(landing_dir, landed)
        assert {row["source_file"] for row in got} == {f"{archive}/{member}"}, landed
        assert len(got) == 2
    # the course's lower-case actual_duration.csv is still the course's file
    assert _landed(landing_dir, "actual_duration.csv")[0]["source_file"] == "actual_duration.csv"


def test_a_publications_monthly_files_share_its_publication_and_a_later_one_revises_them(
    run_loader, raw_dir: Path, landing_dir: Path
) -> None:
    february = [DAILY_HEADER, [*WHERE, "27FEB2026", "Attended", "GP", "Unknown", "1 Day", "4"]]
    # March's publication re-issues February beside March; February's holds February only.
    _zip(
        raw_dir / "Appointments_GP_Daily_CSV_Mar_26.zip",
        {"SUB_ICB_LOCATION_CSV_FEB_26.csv": february, "SUB_ICB_LOCATION_CSV_MAR_26.csv": DAILY},
    )
    _zip(
        raw_dir / "Appointments_GP_Daily_CSV_Feb_26.zip",
        {"SUB_ICB_LOCATION_CSV_FEB_26.csv": february},
    )
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert len(_landed(landing_dir, "publisher_daily.csv")) == 4


def test_two_files_of_one_publication_for_one_icb_and_day_name_both(
    raw_dir: Path, rejected
) -> None:
    north = "National_Categories_CSV_2024_north_regions.csv"
    south = "National_Categories_CSV_2024_south_regions.csv"
    # the same ICB and day, another service setting: a second region file may not hold it
    other_setting = [*CATEGORIES[2][:6], "Other", *CATEGORIES[2][7:]]
    archive = "Appointments_GP_National_Categories_CSV_Dec_24.zip"
    _zip(raw_dir / archive, {north: CATEGORIES, south: [CATEGORY_HEADER, other_setting]})
    rejected(
        f"{archive}/{south} line 2, column appointment_date: got '2024-12-31', expected each "
        "area and day of one publication in one file only; icb_ons_code E54000055, day "
        "2024-12-31 of the publication of 2024-12",
        f"is also in {archive}/{north} (first at {archive}/{north} line 2)",
    )


def test_lower_case_actual_duration_header_under_the_publishers_name_is_refused(
    raw_dir: Path, rejected
) -> None:
    lower = [[name.lower() for name in DURATION_HEADER], *DURATIONS[1:]]
    write_csv(raw_dir / "Actual_Duration_CSV_DEC_21.csv", lower)
    rejected(
        "Actual_Duration_CSV_DEC_21.csv line 1, column SUB_ICB_LOCATION_CODE",
        "the header of layout actual_duration as published, in these letters",
        "name it actual_duration*.csv",
    )


def test_layout_between_two_known_ones_is_refused(raw_dir: Path, rejected) -> None:
    # actual durations by month, as the coverage files write months: no accepted layout
    monthly = [[*DURATION_HEADER[:5], "Appointment_Month", *DURATION_HEADER[6:]], *DURATIONS[1:]]
    write_csv(raw_dir / "Actual_Duration_CSV_DEC_21.csv", monthly)
    rejected(
        "Actual_Duration_CSV_DEC_21.csv line 1, column Appointment_Month",
        "mixes actual_duration columns (SUB_ICB_LOCATION_ONS_CODE, SUB_ICB_LOCATION_NAME, "
        "REGION_ONS_CODE, ACTUAL_DURATION, COUNT_OF_APPOINTMENTS) with coverage columns "
        "(Appointment_Month)",
    )


def test_unknown_area_code_is_refused_with_its_line_and_column(raw_dir: Path, rejected) -> None:
    rows = [DAILY[0], DAILY[1], [*WHERE[:3], "E54000099", *DAILY[2][4:]]]
    write_csv(raw_dir / "SUB_ICB_LOCATION_CSV_MAR_26.csv", rows)
    rejected(
        "SUB_ICB_LOCATION_CSV_MAR_26.csv line 3, column ICB_ONS_CODE: got 'E54000099', "
        "expected a known ICB or STP code"
    )


@pytest.mark.parametrize(
    ("landed", "bad_date"),
    [("publisher_daily.csv", "2026-03-01"), ("publisher_actual_duration.csv", "01-Dec-21")],
)
def test_date_that_does_not_parse_is_refused(
    raw_dir: Path, rejected, landed: str, bad_date: str
) -> None:
    name, rows = NAMES[landed]
    write_csv(raw_dir / name, [rows[0], rows[1], [*rows[2][:5], bad_date, *rows[2][6:]]])
    rejected(
        f"{name} line 3, column Appointment_Date: got '{bad_date}', expected a valid date "
        "written DDMONYYYY (e.g. 01MAR2026)"
    )


def test_label_outside_the_vocabulary_is_refused(raw_dir: Path, rejected) -> None:
    rows = [CATEGORIES[0], [*CATEGORIES[1][:8], "Coffee Morning", "41"], CATEGORIES[2]]
    _zip(raw_dir / "Appointments_GP_National_Categories_CSV_Dec_24.zip", {"x.csv": rows})
    rejected(
        "Appointments_GP_National_Categories_CSV_Dec_24.zip/x.csv line 2, column "
        "national_category: got 'Coffee Morning', expected one of"
    )
