"""The publisher's own files: recognised by their header in both regional layouts and the
coverage layout, read from zip archives as downloaded, and refused (file, line, column) when
their layout, area code, month or label is wrong. Rows below are written by hand in the layouts
of ../shared/data/nhs/official/SOURCES.md; the expected landed values are restated here."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from conftest import write_csv

CCG_HEADER = [
    "CCG_CODE",
    "CCG_ONS_CODE",
    "CCG_NAME",
    "STP_ONS",
    "STPNM",
    "REGION_ONS_CODE",
    "REGION_NAME",
    "Appointment_Month",
    "APPT_STATUS",
    "HCP_TYPE",
    "APPT_MODE",
    "TIME_BETWEEN_BOOK_AND_APPT",
    "COUNT_OF_APPOINTMENTS",
]
SUB_ICB_HEADER = [
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_ONS_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ICB_ONS_CODE",
    "ICB_NAME",
    "REGION_ONS_CODE",
    "REGION_NAME",
    "APPOINTMENT_MONTH",
    "APPT_STATUS",
    "HCP_TYPE",
    "APPT_MODE",
    "TIME_BETWEEN_BOOK_AND_APPT",
    "COUNT_OF_APPOINTMENTS",
]
COVERAGE_HEADER = [
    "SUB_ICB_LOCATION_CODE",
    "ICB_ONS_CODE",
    "REGION_CODE",
    "Appointment_Month",
    "Included Practices",
    "Open Practices",
    "Patients registered at included practices",
    "Patients registered at open practices",
]
DORSET = ["11J", "E38000045", "NHS Dorset CCG", "E54000041", "Dorset  STP", "E40000006"]
BATH = ["92G", "E38000231", "NHS Bath, Swindon and Wiltshire CCG", "E54000040", "BSW STP"]
CCG_ROWS = [
    CCG_HEADER,
    [*DORSET, "South West", "MAR2019", "Attended", "GP", "Face-to-Face", "1 Day", "9269"],
    [*DORSET, "South West", "AUG2021", "DNA", "Other Practice staff", "Telephone",
     "Unknown / Data Issue", "14"],
]  # fmt: skip
SUB_ICB_ROWS = [
    SUB_ICB_HEADER,
    ["15E", "E38000258", "NHS Birmingham and Solihull ICB - 15E", "E54000055",
     "NHS Birmingham and Solihull ICB", "E40000011", "Midlands", "NOV2022", "Attended", "GP",
     "Video/Online", "15  to 21 Days", "321"],
]  # fmt: skip
COVERAGE_ROWS = [
    COVERAGE_HEADER,
    ["00L", "E54000050", "E40000012", "01AUG2020", "40", "40", "329182", "329182"],
    ["00L", "E54000050", "E40000012", "01SEP2020", "39", "40", "329000", "329489"],
]


def _landed(landing_dir: Path, name: str) -> list[dict[str, str]]:
    with (landing_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _zip(path: Path, members: dict[str, list[list[str]]]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in members.items():
            member = path.parent / f".{name}"
            write_csv(member, rows)
            archive.write(member, name)
            member.unlink()
    return path


def test_ccg_era_file_and_coverage_land_with_lineage(
    run_loader, raw_dir: Path, landing_dir: Path
) -> None:
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", CCG_ROWS)
    write_csv(raw_dir / "APPOINTMENTS_GP_COVERAGE aug 2020.csv", COVERAGE_ROWS, line_end="\n")
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    regional = _landed(landing_dir, "publisher_regional.csv")
    assert [(r["area_ons_code"], r["appointment_month"]) for r in regional] == [
        ("E54000041", "MAR2019"),
        ("E54000041", "AUG2021"),
    ]
    assert regional[1]["time_between_book_and_appointment"] == "Unknown / Data Issue"
    assert regional[0]["sub_icb_location_code"] == "11J"
    assert [(r["source_file"], r["source_row"]) for r in regional] == [
        ("Regional_CSV_Dorset.csv", "2"),
        ("Regional_CSV_Dorset.csv", "3"),
    ]
    coverage = _landed(landing_dir, "practice_coverage.csv")
    assert [(r["appointment_month"], r["patients_at_included_practices"]) for r in coverage] == [
        ("01AUG2020", "329182"),
        ("01SEP2020", "329000"),
    ]
    assert coverage[0]["source_file"] == "APPOINTMENTS_GP_COVERAGE aug 2020.csv"


def test_sub_icb_era_files_are_read_from_the_publications_zip(
    run_loader, raw_dir: Path, landing_dir: Path
) -> None:
    archive = "Appointments_GP_Regional_CSV_Nov_22.zip"
    _zip(
        raw_dir / archive,
        {
            "Regional_CSV_BirminghamSolihull.csv": SUB_ICB_ROWS,
            "Regional_CSV_Dorset.csv": [
                SUB_ICB_HEADER,
                ["11J", "E38000045", "NHS Dorset ICB - 11J", "E54000041", "NHS Dorset ICB",
                 "E40000006", "South West", "NOV2022", "DNA", "Unknown", "Unknown",
                 "Same Day", "8"],
            ],
        },
    )  # fmt: skip
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    regional = _landed(landing_dir, "publisher_regional.csv")
    assert [
        (r["source_file"], r["area_ons_code"], r["count_of_appointments"]) for r in regional
    ] == [
        (f"{archive}/Regional_CSV_BirminghamSolihull.csv", "E54000055", "321"),
        (f"{archive}/Regional_CSV_Dorset.csv", "E54000041", "8"),
    ]
    assert not list(landing_dir.glob("*member*")), "the member's temporary copy was left behind"


def test_course_named_file_in_a_publishers_layout_is_read_as_one(
    run_loader, raw_dir: Path, landing_dir: Path
) -> None:
    write_csv(raw_dir / "appointments_regional_2019.csv", CCG_ROWS)
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert len(_landed(landing_dir, "publisher_regional.csv")) == 2


def test_unrecognised_layout_lists_the_accepted_ones(raw_dir: Path, rejected) -> None:
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", [["month", "area", "count"], ["x", "y", "1"]])
    rejected(
        "Regional_CSV_Dorset.csv line 1",
        "a recognised layout; accepted layouts: regional_ccg",
        "regional_sub_icb (",
        "coverage (",
        "appointments_regional*.csv",
    )


def test_layout_between_two_known_ones_is_refused(raw_dir: Path, rejected) -> None:
    mixed = [[*CCG_HEADER[:3], "ICB_ONS_CODE", *CCG_HEADER[4:]], *CCG_ROWS[1:]]
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", mixed)
    rejected(
        "Regional_CSV_Dorset.csv line 1, column ICB_ONS_CODE",
        "mixes regional_ccg columns (CCG_CODE, CCG_ONS_CODE, CCG_NAME, STPNM)"
        " with regional_sub_icb columns (ICB_ONS_CODE)",
    )


def test_archive_member_in_an_unknown_layout_is_named(raw_dir: Path, rejected) -> None:
    _zip(raw_dir / "Appointments_GP_Daily_CSV_Mar_26.zip", {"odd.csv": [["a", "b"], ["1", "2"]]})
    rejected("Appointments_GP_Daily_CSV_Mar_26.zip/odd.csv line 1", "accepted layouts")


def test_unknown_area_code_is_refused_with_its_line_and_column(raw_dir: Path, rejected) -> None:
    rows = [CCG_ROWS[0], CCG_ROWS[1], [*CCG_ROWS[2][:3], "E54000099", *CCG_ROWS[2][4:]]]
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", rows)
    rejected(
        "Regional_CSV_Dorset.csv line 3, column STP_ONS: got 'E54000099', expected a known ICB "
        "or STP code"
    )


def test_month_that_does_not_parse_is_refused(raw_dir: Path, rejected) -> None:
    rows = [CCG_ROWS[0], [*CCG_ROWS[1][:7], "MAR19", *CCG_ROWS[1][8:]], CCG_ROWS[2]]
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", rows)
    rejected(
        "Regional_CSV_Dorset.csv line 2, column Appointment_Month: got 'MAR19', expected a valid "
        "month written MONYYYY (e.g. MAR2019)"
    )


def test_label_outside_the_vocabulary_is_refused(raw_dir: Path, rejected) -> None:
    rows = [CCG_ROWS[0], CCG_ROWS[1], [*CCG_ROWS[2][:11], "Unknown / Data Oops", "14"]]
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", rows)
    rejected(
        "Regional_CSV_Dorset.csv line 3, column TIME_BETWEEN_BOOK_AND_APPT: got "
        "'Unknown / Data Oops', expected one of"
    )


def test_coverage_month_must_be_a_first_day(raw_dir: Path, rejected) -> None:
    rows = [COVERAGE_ROWS[0], [*COVERAGE_ROWS[1][:3], "15AUG2020", *COVERAGE_ROWS[1][4:]]]
    write_csv(raw_dir / "APPOINTMENTS_GP_COVERAGE.csv", rows)
    rejected("APPOINTMENTS_GP_COVERAGE.csv line 2, column Appointment_Month: got '15AUG2020'")


def test_two_files_of_one_publication_for_one_area_and_month_name_both(
    raw_dir: Path, rejected
) -> None:
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", CCG_ROWS)
    write_csv(raw_dir / "Regional_CSV_Dorset_copy.csv", CCG_ROWS)
    rejected(
        "Regional_CSV_Dorset_copy.csv line 2, column Appointment_Month: got '2019-03', expected "
        "each area and month of one publication in one file only; area_ons_code E54000041, "
        "month 2019-03 of the publication of 2021-08",
        "is also in Regional_CSV_Dorset.csv (first at Regional_CSV_Dorset.csv line 2)",
    )


def test_a_later_publication_may_reissue_a_month(
    run_loader, raw_dir: Path, landing_dir: Path
) -> None:
    write_csv(raw_dir / "Regional_CSV_Dorset.csv", CCG_ROWS)
    later = [*CCG_ROWS, [*DORSET, "South West", "SEP2021", "Attended", "GP", "Telephone",
                         "Same Day", "3"]]  # fmt: skip
    _zip(raw_dir / "Appointments_GP_Regional_CSV_Sep_21.zip", {"Regional_CSV_Dorset.csv": later})
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert len(_landed(landing_dir, "publisher_regional.csv")) == 5
