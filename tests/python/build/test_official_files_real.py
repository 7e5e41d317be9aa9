"""The course's files and the publisher's own files built together, checked against pandas.

The raw folder an analyst would assemble: the real course CSVs, the 24 real Regional_CSV files
of the August 2021 publication and the two real coverage files (symlinked from
../shared/data/nhs, never copied), plus the full-size synthetic workbook that `make dbt-real`
uses. Built once for the module as `make run RAW_DIR=...` builds. The expected numbers come from
the raw files with pandas, sharing no code with the loader or dbt: the six STP codes re-coded at
the ICB launch are restated below from ../shared/data/nhs/official/SOURCES.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import assert_succeeded, run_build

from scripts.build import real_data
from scripts.paths import SHARED_REAL_DATA_DIR

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

OFFICIAL_DIR = SHARED_REAL_DATA_DIR / "official"
REGIONAL_FILES = sorted((OFFICIAL_DIR / "regional_ccg_2019_2021").glob("Regional_CSV_*.csv"))
COVERAGE_FILES = sorted((OFFICIAL_DIR / "coverage").glob("APPOINTMENTS_GP_COVERAGE*.csv"))
SUMMARY_WORKBOOK = OFFICIAL_DIR / "summary" / "GP_APPT_Publication_April_2021.xlsx"
STP_TO_ICB = {
    "E54000012": "E54000058",
    "E54000014": "E54000060",
    "E54000016": "E54000062",
    "E54000017": "E54000055",
    "E54000020": "E54000059",
    "E54000021": "E54000056",
}

if (
    len(REGIONAL_FILES) != 24
    or len(COVERAGE_FILES) != 2
    or real_data.missing_real_files(SHARED_REAL_DATA_DIR)
):
    pytest.skip(
        f"the real course files and official publication files are not all in "
        f"{SHARED_REAL_DATA_DIR}; the official-files build checks are skipped",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # The synthetic workbook of `make dbt-real` (generated once, reused while its inputs hold).
    workbook_dir = real_data.prepare_raw_dir(
        SHARED_REAL_DATA_DIR.resolve(), real_data.DEFAULT_RAW_DIR
    )
    raw = tmp_path_factory.mktemp("official_raw")
    for path in [
        *(SHARED_REAL_DATA_DIR / name for name in real_data.REAL_CSV_FILES),
        workbook_dir / real_data.WORKBOOK,
        workbook_dir / "README_SYNTHETIC.txt",
        *REGIONAL_FILES,
        *COVERAGE_FILES,
    ]:
        (raw / path.name).symlink_to(path.resolve())
    target = tmp_path_factory.mktemp("official_warehouse") / "nhs.duckdb"
    assert_succeeded(run_build(raw, target), tail=4000)
    return target


@pytest.fixture(scope="module")
def connection(warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(warehouse), read_only=True) as opened:
        yield opened


def _official() -> pd.DataFrame:
    frames = [pd.read_csv(path, dtype=str, keep_default_na=False) for path in REGIONAL_FILES]
    data = pd.concat(frames, ignore_index=True)
    data["month"] = pd.to_datetime(data["Appointment_Month"], format="%b%Y").dt.date
    data["icb"] = data["STP_ONS"].map(lambda code: STP_TO_ICB.get(code, code))
    data["count"] = data["COUNT_OF_APPOINTMENTS"].astype("int64")
    return data


def _by_icb_month(connection: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return connection.execute(
        "select appointment_month as month, icb_ons_code as icb, total_appointments, "
        "attended_appointments, dna_appointments, registered_patients, "
        "appointments_per_1000_patients from marts.utilisation_monthly_by_icb"
    ).df()


def test_2019_months_equal_the_sum_of_the_official_files(connection) -> None:
    official = _official()
    expected = (
        official[official["month"] < pd.Timestamp("2020-01-01").date()]
        .groupby(["month", "icb"])["count"]
        .sum()
    )
    built = _by_icb_month(connection)
    built = built[built["month"] < pd.Timestamp("2020-01-01")]
    got = built.set_index([built["month"].dt.date, "icb"])["total_appointments"]
    got.index.names = ["month", "icb"]
    assert len(expected) == 10 * 24
    pd.testing.assert_series_equal(
        got.sort_index().astype("int64"), expected.sort_index(), check_names=False
    )
    dna = official[(official["month"] < pd.Timestamp("2020-01-01").date())]
    dna = dna[dna["APPT_STATUS"] == "DNA"]["count"].sum()
    assert int(built["dna_appointments"].sum()) == int(dna)


def test_months_from_2020_keep_the_course_figures(connection) -> None:
    course = pd.read_csv(SHARED_REAL_DATA_DIR / "appointments_regional.csv")
    expected = course.groupby(["appointment_month", "icb_ons_code"])["count_of_appointments"].sum()
    built = _by_icb_month(connection)
    built = built[built["month"] >= pd.Timestamp("2020-01-01")]
    got = built.set_index([built["month"].dt.strftime("%Y-%m"), "icb"])["total_appointments"]
    assert len(got) == len(expected) == 30 * 42
    pd.testing.assert_series_equal(
        got.sort_index().astype("int64"),
        expected.sort_index().astype("int64"),
        check_names=False,
        check_index=False,
    )
    assert list(got.sort_index().index) == [tuple(k) for k in expected.sort_index().index]


def test_registered_patients_and_rate_per_1000_for_every_icb_and_month(connection) -> None:
    coverage = pd.concat([pd.read_csv(path) for path in COVERAGE_FILES], ignore_index=True)
    coverage["month"] = pd.to_datetime(coverage["Appointment_Month"], format="%d%b%Y")
    patients = coverage.groupby(["month", "ICB_ONS_CODE"])[
        "Patients registered at included practices"
    ].sum()
    built = _by_icb_month(connection).set_index(["month", "icb"])
    with_coverage = built[built["registered_patients"].notna()]
    # Coverage starts in August 2020; the course files end in June 2022: 23 months x 42 ICBs.
    assert len(with_coverage) == 23 * 42
    for (month, icb), row in with_coverage.iterrows():
        assert row["registered_patients"] == patients[(month, icb)], (month, icb)
        rate = row["total_appointments"] / patients[(month, icb)] * 1000
        assert row["appointments_per_1000_patients"] == pytest.approx(rate, rel=1e-12)
    before = built[built.index.get_level_values("month") < pd.Timestamp("2020-08-01")]
    assert before["registered_patients"].isna().all()


def test_revisions_keep_the_earlier_publications_figures(connection) -> None:
    official = _official()
    january = official[official["month"] == pd.Timestamp("2020-01-01").date()]
    expected = january.groupby("icb")["count"].sum()
    rows = connection.execute(
        "select icb_ons_code, published_figure, is_latest_publication "
        "from marts.regional_appointment_revisions where appointment_month = date '2020-01-01' "
        "and measure = 'total_appointments' and publication_month = date '2021-08-01'"
    ).fetchall()
    assert {icb: figure for icb, figure, _ in rows} == expected.to_dict()
    assert not any(latest for _, _, latest in rows)


def _summary_working_days() -> dict[str, int]:
    """Month (YYYY-MM) -> "Number of working weekdays" of the summary workbook's Table 1."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(SUMMARY_WORKBOOK)).get_sheet_by_name("Table 1")
    rows = rows.to_python()
    header = next(row for row in rows if len(row) > 1 and row[1] == "Source")
    days = next(row for row in rows if len(row) > 1 and row[1] == "Number of working weekdays")
    found = {}
    for label, value in zip(header[2:], days[2:], strict=False):
        if isinstance(label, dt.date):  # the older months are date cells
            found[label.strftime("%Y-%m")] = int(value)
            continue
        # the newer are text with footnote digits: "Apr-217, 8" is April 2021
        match = re.match(r"([A-Z][a-z]{2})-(\d{2})", str(label))
        if match and isinstance(value, float):
            month = pd.to_datetime(f"{match[1]}-20{match[2]}", format="%b-%Y")
            found[month.strftime("%Y-%m")] = int(value)
    return found


@pytest.mark.skipif(not SUMMARY_WORKBOOK.exists(), reason="the summary workbook is absent")
def test_dim_date_working_days_match_the_publications_table_1(connection) -> None:
    published = _summary_working_days()
    assert len(published) == 30  # Nov 2018 to Apr 2021
    built = dict(
        connection.execute(
            "select strftime(month_start_date, '%Y-%m'), count(*) filter (where is_working_day) "
            "from marts.dim_date group by all"
        ).fetchall()
    )
    both = sorted(set(published) & set(built))
    assert both[0] <= "2019-01" and both[-1] == "2021-04", both
    assert {month: built[month] for month in both} == {month: published[month] for month in both}
