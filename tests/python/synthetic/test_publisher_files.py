"""The layouts without real bytes here, tested on files the generator writes in exactly those
layouts, built beside the embedded sample in one build:

* a SYNTHETIC sub-ICB-era publication (a zip of Regional_CSV files and a coverage file). Its May
  2021 publication covers March to May 2021, which the course's files (the June 2022
  publication) also hold: the later publication (the course's) must win, the generated figures
  must stay in the revisions mart as the earlier ones, and every generated file must be
  recorded as synthetic. (The real August 2021 publication against the course's files is
  checked the same way in tests/python/build/test_official_files_real.py.)
* a SYNTHETIC July 2022 publication in the daily layouts (daily by sub-ICB location, national
  categories, actual duration), May to July 2022, for two of the sample's ICBs and one more: it
  is later than the course's, so its figures must replace the course's where both cover a month
  and ICB (the course's regional figure kept as a revision), and reach the marts elsewhere.

Expected figures are summed here from the generated CSVs with the csv module."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_build
from generated_files import WORKBOOK, workbook_records

from scripts.paths import SAMPLE_RAW_DIR
from scripts.synthetic import publisher_files

pytestmark = pytest.mark.slow
ARCHIVE = "Appointments_GP_Regional_CSV_May_21.zip"
DAILY_ARCHIVE = "Appointments_GP_Daily_CSV_Jul_22.zip"
CATEGORIES_ARCHIVE = "Appointments_GP_National_Categories_CSV_Jul_22.zip"
# two ICBs the sample's course files hold, and one they do not
DAILY_ICBS = ("E54000023", "E54000027", "E54000008")


def _archive_totals(archive: Path) -> dict[tuple[str, str], int]:
    """(ICB code, MONYYYY) -> appointments, read from the archive with the csv module."""
    totals: dict[tuple[str, str], int] = {}
    with zipfile.ZipFile(archive) as package:
        for name in package.namelist():
            text = package.read(name).decode("utf-8")
            for row in csv.DictReader(io.StringIO(text)):
                key = (row["ICB_ONS_CODE"], row["APPOINTMENT_MONTH"])
                totals[key] = totals.get(key, 0) + int(row["COUNT_OF_APPOINTMENTS"])
    return totals


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    raw = tmp_path_factory.mktemp("publisher_raw")
    for path in SAMPLE_RAW_DIR.iterdir():
        (raw / path.name).write_bytes(path.read_bytes())
    publisher_files.main(["--out", str(raw), "--publication", "2021-05", "--icbs", "2"])
    publisher_files.main(
        ["--out", str(raw), "--publication", "2022-07", "--months", "3", "--layouts", "daily",
         "--icb-codes", *DAILY_ICBS]
    )  # fmt: skip
    warehouse = tmp_path_factory.mktemp("publisher_warehouse") / "nhs.duckdb"
    assert_succeeded(run_build(raw, warehouse), tail=4000)
    return raw, warehouse


def test_generator_is_deterministic_and_labels_the_archive(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        publisher_files.main(["--out", str(tmp_path / folder), "--icbs", "1"])
    first = sorted((tmp_path / "a").iterdir())
    assert [p.name for p in first] == [p.name for p in sorted((tmp_path / "b").iterdir())]
    for path in first:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    with zipfile.ZipFile(tmp_path / "a" / "Appointments_GP_Regional_CSV_Nov_22.zip") as package:
        assert package.comment.startswith(b"SYNTHETIC")
        header = package.read(package.namelist()[0]).decode().split("\r\n", 1)[0]
    assert header == (
        "SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_ONS_CODE,SUB_ICB_LOCATION_NAME,ICB_ONS_CODE,"
        "ICB_NAME,REGION_ONS_CODE,REGION_NAME,APPOINTMENT_MONTH,APPT_STATUS,HCP_TYPE,APPT_MODE,"
        "TIME_BETWEEN_BOOK_AND_APPT,COUNT_OF_APPOINTMENTS"
    )


def test_later_publication_wins_and_the_earlier_figures_become_revisions(built) -> None:
    raw, warehouse = built
    expected = _archive_totals(raw / ARCHIVE)
    course = _course_regional_totals(raw)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        revisions = con.execute(
            "select icb_ons_code, strftime(appointment_month, '%b%Y'), published_figure, "
            "is_latest_publication from marts.regional_appointment_revisions "
            "where publication_month = date '2021-05-01' and measure = 'total_appointments'"
        ).fetchall()
        used = dict(
            ((icb, month), total)
            for icb, month, total in con.execute(
                "select icb_ons_code, strftime(appointment_month, '%Y-%m'), total_appointments "
                "from marts.utilisation_monthly_by_icb "
                "where appointment_month between date '2021-03-01' and date '2021-05-01'"
            ).fetchall()
        )
    assert {(icb, month.upper()): figure for icb, month, figure, _ in revisions} == expected
    in_course = {(icb, month) for icb, month in course if "2021-03" <= month <= "2021-05"}
    assert in_course, "the sample's course file should hold some of these ICB months"
    for icb, month_text, figure, latest in revisions:
        month = dt.datetime.strptime(month_text, "%b%Y").strftime("%Y-%m")
        if (icb, month) in in_course:  # the course's June 2022 publication is the later one
            assert not latest and used[(icb, month)] == course[(icb, month)]
        else:  # only the generated publication covers it
            assert latest and used[(icb, month)] == figure


def test_generated_files_are_recorded_as_synthetic(built) -> None:
    _, warehouse = built
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_file, is_synthetic from marts.data_provenance "
            "where source_name in ('publisher_regional', 'practice_coverage')"
        ).fetchall()
    assert len(rows) == 3  # two ICB files in the archive and one coverage file
    assert all(synthetic for _, synthetic in rows)


def test_registered_patients_come_from_the_generated_coverage(built) -> None:
    raw, warehouse = built
    coverage = next(raw.glob("APPOINTMENTS_GP_COVERAGE*.csv"))
    patients: dict[tuple[str, str], int] = {}
    with coverage.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["ICB_ONS_CODE"], row["Appointment_Month"])
            patients[key] = patients.get(key, 0) + int(
                row["Patients registered at included practices"]
            )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        got = con.execute(
            "select icb_ons_code, strftime(appointment_month, '%d%b%Y'), registered_patients, "
            "appointments_per_1000_patients, total_appointments "
            "from marts.utilisation_monthly_by_icb where registered_patients is not null"
        ).fetchall()
    assert {(icb, month.upper()): value for icb, month, value, _, _ in got} == patients
    for _, _, registered, rate, total in got:
        assert rate == pytest.approx(1000 * total / registered, rel=1e-12)


def _member_rows(archive: Path, prefix: str) -> list[dict[str, str]]:
    """Every row of the archive's members whose name starts with prefix (csv module)."""
    rows = []
    with zipfile.ZipFile(archive) as package:
        for name in package.namelist():
            if name.startswith(prefix):
                rows += csv.DictReader(io.StringIO(package.read(name).decode("utf-8")))
    return rows


def _month_of(day_text: str) -> str:
    """01MAR2026 -> 2026-03."""
    return dt.datetime.strptime(day_text.strip(), "%d%b%Y").strftime("%Y-%m")


def _sum_by(rows: list[dict[str, str]], *key: str) -> dict[tuple[str, ...], int]:
    """Counts summed by key columns, the date column (any letter case) given as its month."""
    totals: dict[tuple[str, ...], int] = {}
    for row in rows:
        lower = {name.lower(): value for name, value in row.items()}
        cells = tuple(
            _month_of(lower[name]) if name == "appointment_date" else lower[name] for name in key
        )
        totals[cells] = totals.get(cells, 0) + int(lower["count_of_appointments"])
    return totals


def _course_regional_totals(raw: Path) -> dict[tuple[str, ...], int]:
    """(ICB code, YYYY-MM) -> appointments in the course's appointments_regional.csv."""
    with (raw / "appointments_regional.csv").open(encoding="utf-8", newline="") as handle:
        return _sum_by(list(csv.DictReader(handle)), "icb_ons_code", "appointment_month")


def _course_duration_totals(raw: Path) -> dict[tuple[str, str], int]:
    """(ICB code, YYYY-MM) -> appointments in the course's actual_duration.csv (days like
    29-Jun-22)."""
    totals: dict[tuple[str, str], int] = {}
    with (raw / "actual_duration.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            month = dt.datetime.strptime(row["appointment_date"], "%d-%b-%y").strftime("%Y-%m")
            key = (row["icb_ons_code"], month)
            totals[key] = totals.get(key, 0) + int(row["count_of_appointments"])
    return totals


def test_generated_daily_layouts_are_synthetic_and_split_by_region(built) -> None:
    raw, warehouse = built
    with zipfile.ZipFile(raw / CATEGORIES_ARCHIVE) as package:
        assert package.comment.startswith(b"SYNTHETIC")
        # E54000023 (East of England) and E54000027 (London) south, E54000008 (North West) north
        assert sorted(package.namelist()) == [
            "National_Categories_CSV_2022_north_regions.csv",
            "National_Categories_CSV_2022_south_regions.csv",
        ]
    with zipfile.ZipFile(raw / DAILY_ARCHIVE) as package:
        assert package.comment.startswith(b"SYNTHETIC")
        members = sorted(package.namelist())
    assert members == [
        f"{kind}_CSV_{month}_22.csv"
        for kind in ("Actual_Duration", "SUB_ICB_LOCATION")
        for month in ("Jul", "Jun", "May")
    ]
    marker = (raw / "README_SYNTHETIC.txt").read_text(encoding="utf-8")
    assert DAILY_ARCHIVE in marker and CATEGORIES_ARCHIVE in marker
    with duckdb.connect(str(warehouse), read_only=True) as con:
        recorded = con.execute(
            "select count(*), bool_and(is_synthetic) from marts.data_provenance where "
            "source_name in ('publisher_daily', 'publisher_national_categories', "
            "'publisher_actual_duration')"
        ).fetchone()
    assert recorded == (3 + 3 + 2, True)


def test_daily_file_summed_to_icb_and_month_wins_over_the_course_publication(built) -> None:
    raw, warehouse = built
    daily = _sum_by(_member_rows(raw / DAILY_ARCHIVE, "SUB_ICB_LOCATION"), "icb_ons_code",
                    "appointment_date")  # fmt: skip
    assert {icb for icb, _ in daily} == set(DAILY_ICBS)
    assert {month for _, month in daily} == {"2022-05", "2022-06", "2022-07"}
    course = _course_regional_totals(raw)
    revised = sorted(key for key in daily if key in course)
    assert revised == [(icb, month) for icb in DAILY_ICBS[:2] for month in ("2022-05", "2022-06")]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        used = dict(
            ((icb, month), total)
            for icb, month, total in con.execute(
                "select icb_ons_code, strftime(appointment_month, '%Y-%m'), total_appointments "
                "from marts.utilisation_monthly_by_icb "
                "where appointment_month >= date '2022-05-01'"
            ).fetchall()
        )
        revisions = con.execute(
            "select icb_ons_code, strftime(appointment_month, '%Y-%m'), "
            "strftime(publication_month, '%Y-%m'), is_latest_publication, published_figure "
            "from marts.regional_appointment_revisions "
            "where measure = 'total_appointments' and appointment_month >= date '2022-05-01' "
            f"and icb_ons_code in {DAILY_ICBS}"
        ).fetchall()
    for key, total in daily.items():
        assert used[key] == total, key
    assert sorted(revisions) == sorted(
        [(icb, month, "2022-07", True, total) for (icb, month), total in daily.items()]
        + [(icb, month, "2022-06", False, course[(icb, month)]) for icb, month in revised]
    )


def test_generated_national_categories_and_durations_reach_their_marts(built) -> None:
    raw, warehouse = built
    categories = _member_rows(raw / CATEGORIES_ARCHIVE, "National_Categories")
    durations = _member_rows(raw / DAILY_ARCHIVE, "Actual_Duration")
    by_icb = {
        "fct_national_category_daily": _sum_by(categories, "icb_ons_code", "appointment_date"),
        "fct_appointment_duration_daily": _sum_by(durations, "icb_ons_code", "appointment_date"),
    }
    # the course's files also cover some of these ICB months (the publisher's must win)
    course_categories = _sum_by(
        workbook_records(raw / WORKBOOK), "icb_ons_code", "appointment_month"
    )
    course_durations = _course_duration_totals(raw)
    for course, month in ((course_categories, "2022-06"), (course_durations, "2022-05")):
        assert all((icb, month) in course for icb in DAILY_ICBS[:2]), month
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for mart, expected in by_icb.items():
            got = dict(
                ((icb, month), total)
                for icb, month, total in con.execute(
                    f"select icb_ons_code, strftime(appointment_month, '%Y-%m'), "
                    f"sum(count_of_appointments) from marts.{mart} "
                    f"where icb_ons_code in {DAILY_ICBS} and appointment_month >= "
                    "date '2022-05-01' group by all"
                ).fetchall()
            )
            # the course's rows of the same ICBs and months are gone: the later publication's
            assert got == expected, mart
        july = con.execute(
            "select service_setting, context_type, national_category, count_of_appointments "
            "from marts.national_category_monthly where appointment_month = date '2022-07-01'"
        ).fetchall()
    expected_july = {
        key[1:]: total
        for key, total in _sum_by(
            categories, "appointment_date", "service_setting", "context_type", "national_category"
        ).items()
        if key[0] == "2022-07"
    }
    assert {tuple(row[:3]): row[3] for row in july} == expected_july


def test_national_category_and_duration_totals_keep_each_publications_figure(built) -> None:
    """The revisions mart holds both publications' monthly totals of an ICB the generated
    files re-issue: the course's and the later publisher's (both summed here from the raw
    files), the later one marked latest, with the change."""
    raw, warehouse = built
    cases = [
        (
            "national_category_appointments",
            _sum_by(workbook_records(raw / WORKBOOK), "icb_ons_code", "appointment_month"),
            _member_rows(raw / CATEGORIES_ARCHIVE, "National_Categories"),
            "2022-06",
        ),
        (
            "duration_appointments",
            _course_duration_totals(raw),
            _member_rows(raw / DAILY_ARCHIVE, "Actual_Duration"),
            "2022-05",
        ),
    ]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for measure, course_totals, rows, month in cases:
            publisher = _sum_by(rows, "icb_ons_code", "appointment_date")
            for icb in DAILY_ICBS[:2]:
                course = course_totals[(icb, month)]
                got = con.execute(
                    "select strftime(publication_month, '%Y-%m'), published_figure, "
                    "is_latest_publication, change_from_previous_publication "
                    "from marts.regional_appointment_revisions where measure = ? "
                    "and icb_ons_code = ? and strftime(appointment_month, '%Y-%m') = ? "
                    "order by publication_month",
                    [measure, icb, month],
                ).fetchall()
                later = publisher[(icb, month)]
                assert got == [
                    ("2022-06", course, False, None),
                    ("2022-07", later, True, later - course),
                ], (measure, icb)
