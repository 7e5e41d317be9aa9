"""The layouts without real bytes here, tested on files the generator writes in exactly those
layouts: a SYNTHETIC sub-ICB-era publication (a zip of Regional_CSV files and a coverage file)
built beside the embedded sample. Its May 2021 publication covers March to May 2021, which the
course's files (the June 2022 publication) also hold: the later publication (the course's) must
win, the generated figures must stay in the revisions mart as the earlier ones, and every
generated file must be recorded as synthetic. (The real August 2021 publication against the
course's files is checked the same way in tests/python/build/test_official_files_real.py.)"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_build

from scripts.paths import SAMPLE_RAW_DIR
from scripts.synthetic import publisher_files

pytestmark = pytest.mark.slow
ARCHIVE = "Appointments_GP_Regional_CSV_May_21.zip"


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
    course: dict[tuple[str, str], int] = {}
    with (raw / "appointments_regional.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["icb_ons_code"], row["appointment_month"])
            course[key] = course.get(key, 0) + int(row["count_of_appointments"])
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
