"""The periods the answers divide by and the months they keep, on builds of the sample.

- A national total, a rank of months or a per-working-day figure counts only months in which
  every ICB reported (q01-q04 and the report's national charts): checked on the sample with one
  ICB's January 2020 removed, as a build from the publisher's files for some areas has.
- q06 divides a season's appointments by the season's working days in the calendar, the same
  for every service setting, not by the days a setting happens to have rows.

Expected values come from the raw file and SQL written here over the facts and dim_date.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_build

from scripts.consumers import answers
from scripts.paths import SAMPLE_RAW_DIR
from scripts.warehouse_sql import ANALYSES_DIR, analysis_sql

pytestmark = pytest.mark.slow

PARTIAL_MONTH = dt.date(2020, 1, 1)


@pytest.fixture(scope="module")
def partial_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample without the first ICB's rows of January 2020."""
    raw = tmp_path_factory.mktemp("partial_raw") / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    regional = raw / "appointments_regional.csv"
    with regional.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], rows[1:]
    icb, month = header.index("icb_ons_code"), header.index("appointment_month")
    dropped = body[0][icb]
    kept = [row for row in body if not (row[icb] == dropped and row[month] == "2020-01")]
    assert 0 < len(body) - len(kept) < len(body)
    with regional.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *kept])
    built = tmp_path_factory.mktemp("partial") / "nhs.duckdb"
    assert_succeeded(run_build(raw, built))
    return built


@pytest.fixture(scope="module")
def reader(partial_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(partial_warehouse), read_only=True) as connection:
        yield connection


def rows_of(
    connection: duckdb.DuckDBPyConnection, warehouse: Path, name: str
) -> list[dict[str, object]]:
    """The rows of the analysis analyses/<name>.sql, as compiled by the build of warehouse."""
    cursor = connection.execute(analysis_sql(warehouse, ANALYSES_DIR / f"{name}.sql"))
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def month_totals(connection: duckdb.DuckDBPyConnection) -> dict[dt.date, int]:
    return dict(
        connection.execute(
            "select appointment_month, sum(count_of_appointments) "
            "from marts.fct_appointments_monthly group by all"
        ).fetchall()
    )


def test_the_build_has_one_partial_month(reader: duckdb.DuckDBPyConnection) -> None:
    icbs = dict(
        reader.execute(
            "select appointment_month, count(distinct icb_ons_code) "
            "from marts.fct_appointments_monthly group by all"
        ).fetchall()
    )
    fullest = max(icbs.values())
    assert [month for month, count in icbs.items() if count < fullest] == [PARTIAL_MONTH]


def test_q04_shows_and_ranks_only_complete_months(
    reader: duckdb.DuckDBPyConnection, partial_warehouse: Path
) -> None:
    rows = rows_of(reader, partial_warehouse, "q04_modes_and_busiest_months")
    complete = set(month_totals(reader)) - {PARTIAL_MONTH}
    assert {row["appointment_month"] for row in rows} == complete
    assert sorted(row["busiest_rank"] for row in rows)[0] == 1
    assert max(row["busiest_rank"] for row in rows) <= len(complete)


def test_q03_and_q01_total_only_complete_months(
    reader: duckdb.DuckDBPyConnection, partial_warehouse: Path
) -> None:
    totals = month_totals(reader)
    first_quarter = totals[dt.date(2020, 2, 1)] + totals[dt.date(2020, 3, 1)]
    q03 = {
        row["calendar_quarter"]: row
        for row in rows_of(reader, partial_warehouse, "q03_attendance_over_time")
    }
    assert q03["2020-Q1"]["total_appointments"] == first_quarter
    q01 = {
        row["nhs_financial_year"]: row
        for row in rows_of(reader, partial_warehouse, "q01_staff_levels_vs_capacity")
    }
    assert q01["2019-20"]["months_covered"] == 2
    assert q01["2019-20"]["total_appointments"] == first_quarter


def test_q02_divides_by_the_working_days_of_the_complete_months(
    reader: duckdb.DuckDBPyConnection, partial_warehouse: Path
) -> None:
    gp, working_days = reader.execute(
        """
        select
            (select sum(count_of_appointments) from marts.fct_appointments_monthly
             where hcp_type = 'GP'
               and appointment_month in (date '2020-02-01', date '2020-03-01')),
            (select count(*) from marts.dim_date
             where is_working_day and date_day between date '2020-02-01' and date '2020-03-31')
        """
    ).fetchone()
    q02 = {
        row["calendar_quarter"]: row
        for row in rows_of(reader, partial_warehouse, "q02_hcp_types_over_time")
    }
    assert q02["2020-Q1"]["gp_per_working_day"] == round(gp / working_days)
    # 2022-Q2 (April to June, the last months with data) counts those three months' days only.
    assert len(q02) == 10


def test_the_report_charts_complete_months_only(
    reader: duckdb.DuckDBPyConnection, partial_warehouse: Path
) -> None:
    complete = set(month_totals(reader)) - {PARTIAL_MONTH}
    for name in ("report/report_utilisation", "report/report_hcp_types"):
        months = {row["appointment_month"] for row in rows_of(reader, partial_warehouse, name)}
        assert months == complete, name


def test_q06_divides_by_the_seasons_working_days(sample_warehouse: Path) -> None:
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        rows = rows_of(connection, sample_warehouse, "q06_service_settings_compared")
        expected = dict(
            connection.execute(
                """
                select season, count(*)
                from marts.dim_date
                where is_working_day and month_start_date in (
                    select distinct date_trunc('month', appointment_date)
                    from marts.fct_national_category_daily
                )
                group by season
                """
            ).fetchall()
        )
        appointments = dict(
            connection.execute(
                """
                select season || '/' || service_setting, sum(count_of_appointments)
                from marts.fct_national_category_daily as facts
                inner join marts.dim_date on facts.appointment_date = dim_date.date_day
                where dim_date.is_working_day
                group by all
                """
            ).fetchall()
        )
    assert {row["season"] for row in rows} == set(expected)
    for row in rows:
        assert row["working_days"] == expected[row["season"]], row
        key = f"{row['season']}/{row['service_setting']}"
        assert row["appointments_per_working_day"] == round(
            appointments[key] / expected[row["season"]]
        ), row


def test_every_analysis_keeps_its_question(partial_warehouse: Path) -> None:
    """The partial build still answers every question (no analysis depends on full months)."""
    with duckdb.connect(str(partial_warehouse), read_only=True) as connection:
        for analysis in answers.load_analyses(ANALYSES_DIR, partial_warehouse):
            assert answers.run_analysis(connection, analysis).rows, analysis.path.name
