"""The report's per-1,000-patients charts, on a build of the embedded sample plus a SYNTHETIC
publication in the publisher's layouts (scripts/synthetic/publisher_files.py: its practice coverage
file for every sub-ICB location, April to June 2022).

The sample alone has no coverage, so there the report shows a note instead of these charts
(test_report.py); here they are drawn, and what they draw must equal appointments per 1,000
registered patients computed in this test from the appointment and coverage facts.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from conftest import assert_succeeded, run_build
from report_browser import (
    areas,
    assert_values_match,
    choose_area,
    drawn,
    expected,
    keyed,
    open_report,
    render_report,
)

from scripts.paths import SAMPLE_RAW_DIR
from scripts.synthetic import publisher_files

pytestmark = pytest.mark.slow

PER_1000 = """
with locations as (
    select distinct icb_ons_code, icb_name, region_name from marts.dim_location
),
appointments as (
    select appointment_month, icb_ons_code, sum(count_of_appointments) as appointments
    from marts.fct_appointments_monthly
    group by appointment_month, icb_ons_code
),
patients as (
    select appointment_month, icb_ons_code,
        sum(patients_at_included_practices) as patients
    from marts.fct_practice_coverage_monthly
    group by appointment_month, icb_ons_code
)
select appointment_month, {area},
    1000 * sum(appointments.appointments) / sum(patients.patients)
from appointments
inner join patients using (appointment_month, icb_ons_code)
inner join locations using (icb_ons_code)
where ? is null or region_name = ?
group by appointment_month, {area}
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    raw = tmp_path_factory.mktemp("per_patient_raw") / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    publisher_files.main(["--out", str(raw), "--publication", "2022-06", "--months", "3"])
    # Only its coverage file: the sample's own regional file already counts those months.
    for archive in raw.glob("Appointments_GP_Regional_CSV_*.zip"):
        archive.unlink()
    warehouse = tmp_path_factory.mktemp("per_patient") / "nhs.duckdb"
    assert_succeeded(run_build(raw, warehouse))
    return warehouse, render_report(warehouse)


@pytest.fixture(scope="module")
def warehouse(built: tuple[Path, Path]) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(built[0]), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def browser(built: tuple[Path, Path]) -> Iterator[Any]:
    with open_report(built[1]) as driver:
        yield driver


def per_1000(warehouse: duckdb.DuckDBPyConnection, area: str, region: str | None) -> Any:
    rows = warehouse.execute(PER_1000.format(area=area), [region, region]).fetchall()
    return expected(rows)


def test_the_per_patient_charts_are_drawn_with_no_note(browser: Any) -> None:
    from selenium.webdriver.common.by import By

    assert browser.find_elements(By.CSS_SELECTOR, ".note") == []
    assert browser.find_elements(By.CSS_SELECTOR, ".chart-error") == []


def test_appointments_per_1000_patients_by_region_match_the_facts(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    page = keyed(
        drawn(browser, "regions-per-1000-patients"),
        ["appointment_month", "region_name"],
        "appointments_per_1000_patients",
    )
    wanted = per_1000(warehouse, "region_name", None)
    assert wanted, "the coverage file covers no month of the appointments"
    assert_values_match(page, wanted)


def test_appointments_per_1000_patients_by_icb_match_the_facts_in_each_region(
    browser: Any, warehouse: duckdb.DuckDBPyConnection
) -> None:
    chart = "icbs-per-1000-patients"
    for index, region in enumerate(areas(warehouse)[:2]):
        if index:
            choose_area(browser, chart, region)
        page = keyed(
            drawn(browser, chart),
            ["appointment_month", "icb_name"],
            "appointments_per_1000_patients",
        )
        assert_values_match(page, per_1000(warehouse, "icb_name", region))
