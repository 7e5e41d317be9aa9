"""The semantic layer's practice-coverage metrics (registered_patients, patient_coverage,
appointments_per_1000_patients) on a build of the embedded sample plus a SYNTHETIC coverage file
in the publisher's APPOINTMENTS_GP_COVERAGE layout, January to June 2022.

A list size is a count at a date: over a quarter registered_patients takes the quarter's last
month, never the sum of its months. appointments_per_1000_patients divides the appointments of
the ICB-months with coverage by their patients summed month by month (per 1,000 patients per
month at every grain). This module checks both against SQL written here.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_build, write_csv

from scripts.consumers import metrics
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

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
MONTHS = [dt.date(2022, month, 1) for month in range(1, 7)]


def coverage_rows() -> list[list[str]]:
    """Every sub-ICB location of the reference seeds, each month: list sizes that differ by
    location and month, and one practice in eleven left out of the counts."""
    seeds = REPO_ROOT / "seeds"
    with (seeds / "integrated_care_boards.csv").open(newline="", encoding="utf-8") as handle:
        region_of = {row["icb_ons_code"]: row["region_ons_code"] for row in csv.DictReader(handle)}
    with (seeds / "sub_icb_locations.csv").open(newline="", encoding="utf-8") as handle:
        locations = list(csv.DictReader(handle))
    rows = [COVERAGE_HEADER]
    for index, location in enumerate(locations):
        for step, month in enumerate(MONTHS):
            included = 200_000 + 1_500 * index + 700 * step
            rows.append(
                [
                    location["sub_icb_location_code"],
                    location["icb_ons_code"],
                    region_of[location["icb_ons_code"]],
                    month.strftime("%d%b%Y").upper(),
                    "10",
                    "11",
                    str(included),
                    str(included + 20_000 + 10 * index),
                ]
            )
    return rows


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    raw = tmp_path_factory.mktemp("coverage_raw") / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    write_csv(raw / "APPOINTMENTS_GP_COVERAGE jan 2022 - jun 2022.csv", coverage_rows())
    built = tmp_path_factory.mktemp("coverage") / "nhs.duckdb"
    assert_succeeded(run_build(raw, built))
    return built


@pytest.fixture(scope="module")
def reader(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        yield connection


def period(text: str) -> dt.date:
    return dt.datetime.fromisoformat(text).date()


def value(text: str) -> float | None:
    return None if text == "" else float(text)


def expected_rows(reader: duckdb.DuckDBPyConnection, sql: str) -> dict[tuple, float]:
    rows = {}
    for *key, number in reader.execute(sql).fetchall():
        if isinstance(key[0], dt.datetime):
            key[0] = key[0].date()
        rows[tuple(key)] = number
    return rows


def test_the_build_holds_the_coverage_file(reader: duckdb.DuckDBPyConnection) -> None:
    months = reader.execute(
        "select count(distinct appointment_month), count(*) "
        "from marts.fct_practice_coverage_monthly"
    ).fetchone()
    assert months == (6, len(coverage_rows()) - 1)


# Appointments and registered patients of the ICB-months with both, written here from the facts
# (not from the utilisation marts the metric reads): the only months and ICBs a rate per patient
# may count. The sample has appointments in 5 ICBs; the coverage file covers all 42.
COVERED_ICB_MONTHS = """
    with appointments as (
        select appointment_month, icb_ons_code, sum(count_of_appointments) as appointments
        from marts.fct_appointments_monthly group by all
    ),
    patients as (
        select appointment_month, icb_ons_code,
            sum(patients_at_included_practices) as patients
        from marts.fct_practice_coverage_monthly group by all
    )
    select appointments.*, patients.patients, r.region_name
    from appointments
    inner join patients using (appointment_month, icb_ons_code)
    inner join reference.integrated_care_boards as i using (icb_ons_code)
    inner join reference.nhs_regions as r on i.region_ons_code = r.region_ons_code
"""


def test_monthly_coverage_metrics(warehouse: Path, reader: duckdb.DuckDBPyConnection) -> None:
    rows = metrics.query(
        warehouse,
        ["registered_patients", "appointments_per_1000_patients"],
        ["metric_time__month"],
    )
    got = {period(row["metric_time__month"]): row for row in rows}
    patients = expected_rows(
        reader,
        "select appointment_month, sum(patients_at_included_practices) "
        "from marts.fct_practice_coverage_monthly group by all",
    )
    rates = expected_rows(
        reader,
        f"select appointment_month, 1000 * sum(appointments) / sum(patients) "
        f"from ({COVERED_ICB_MONTHS}) group by all",
    )
    appointment_months = expected_rows(
        reader, "select appointment_month, total_appointments from marts.utilisation_monthly"
    )
    assert {key[0] for key in rates} == set(MONTHS)
    # Every month with appointments is a row; only the covered ones have a rate.
    assert set(got) == {key[0] for key in appointment_months}
    for (month,) in appointment_months:
        if (month,) in rates:
            assert value(got[month]["registered_patients"]) == patients[(month,)]
            assert value(got[month]["appointments_per_1000_patients"]) == pytest.approx(
                rates[(month,)], rel=1e-12
            )
        else:
            assert value(got[month]["appointments_per_1000_patients"]) is None, month


def test_per_1000_patients_by_month_and_icb_equals_the_mart(
    warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    rows = metrics.query(
        warehouse, ["appointments_per_1000_patients"], ["metric_time__month", "icb"]
    )
    got = {
        (period(row["metric_time__month"]), row["icb"]): value(
            row["appointments_per_1000_patients"]
        )
        for row in rows
    }
    expected = expected_rows(
        reader,
        "select appointment_month, icb_ons_code, appointments_per_1000_patients "
        "from marts.utilisation_monthly_by_icb",
    )
    assert set(got) == set(expected)
    assert sum(rate is not None for rate in expected.values()) == 5 * len(MONTHS)
    for key, rate in expected.items():
        if rate is None:
            assert got[key] is None, key
        else:
            assert got[key] == pytest.approx(rate, rel=1e-12), key


def test_per_1000_patients_by_quarter_and_region_divides_by_patient_months(
    warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    """Over a quarter: the covered ICB-months' appointments over their patients summed month by
    month, so the unit stays per 1,000 patients per month, between the quarter's monthly rates."""
    rows = metrics.query(
        warehouse,
        ["appointments_per_1000_patients"],
        ["metric_time__quarter", "icb__region__region_name"],
    )
    got = {
        (period(row["metric_time__quarter"]), row["icb__region__region_name"]): value(
            row["appointments_per_1000_patients"]
        )
        for row in rows
    }
    expected = expected_rows(
        reader,
        f"select date_trunc('quarter', appointment_month), region_name, "
        f"1000 * sum(appointments) / sum(patients) from ({COVERED_ICB_MONTHS}) group by all",
    )
    monthly = expected_rows(
        reader,
        f"select date_trunc('quarter', appointment_month), region_name, appointment_month, "
        f"1000 * sum(appointments) / sum(patients) from ({COVERED_ICB_MONTHS}) group by all",
    )
    assert {key[0] for key in expected} == {dt.date(2022, 1, 1), dt.date(2022, 4, 1)}
    for key, rate in expected.items():
        assert got[key] == pytest.approx(rate, rel=1e-12), key
        months = [number for (*group, _), number in monthly.items() if tuple(group) == key]
        assert len(months) == 3
        assert min(months) <= got[key] <= max(months), key
    assert all(rate is None for key, rate in got.items() if key not in expected)


def test_per_1000_patients_without_a_grain_counts_only_covered_icb_months(
    warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    """No grain: 30 months of appointments, 6 of them covered; only those 6 count, on both
    sides of the division."""
    rows = metrics.query(warehouse, ["appointments_per_1000_patients"], [])
    assert len(rows) == 1
    expected = reader.execute(
        f"select 1000 * sum(appointments) / sum(patients) from ({COVERED_ICB_MONTHS})"
    ).fetchone()[0]
    assert value(rows[0]["appointments_per_1000_patients"]) == pytest.approx(expected, rel=1e-12)


def test_patient_coverage_equals_the_fact_by_month_and_location(
    warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    rows = metrics.query(
        warehouse, ["patient_coverage"], ["metric_time__month", "sub_icb_location"]
    )
    got = {
        (period(row["metric_time__month"]), row["sub_icb_location"]): value(row["patient_coverage"])
        for row in rows
    }
    expected = expected_rows(
        reader,
        "select appointment_month, sub_icb_location_code, patient_coverage "
        "from marts.fct_practice_coverage_monthly",
    )
    assert set(got) == set(expected)
    for key, share in expected.items():
        assert got[key] == pytest.approx(share, rel=1e-12), key
