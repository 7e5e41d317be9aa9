"""The marts, built from the real NHS files, against an independent pandas computation.

The warehouse is the one `make dbt-real` builds with scripts.build.real_data (the real CSVs plus
the full-size synthetic national_categories workbook): conftest's real_warehouse runs that build,
which finds it up to date after `make dbt-real` and builds it otherwise. The expected
numbers come straight from the raw CSVs with pandas, sharing no code with the loader or dbt, so
a wrong cast, join, label clean-up or aggregation in any layer shows up as a difference. Skipped,
with a message, where the real files are absent.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from scripts.paths import SHARED_REAL_DATA_DIR

pytestmark = [pytest.mark.real_data, pytest.mark.slow]

REGIONAL_CSV = SHARED_REAL_DATA_DIR / "appointments_regional.csv"
DURATION_CSV = SHARED_REAL_DATA_DIR / "actual_duration.csv"
PUBLISHED_TOTALS_CSV = SHARED_REAL_DATA_DIR / "national_categories_published_totals.csv"
CATEGORY_TOTALS_CSV = SHARED_REAL_DATA_DIR / "national_categories_monthly_by_category.csv"
# Facts about the real files, from ../shared/data/nhs/SOURCES.md.
REGIONAL_TOTAL = 742_804_525
DURATION_TOTAL = 167_980_692
RATE_TOLERANCE = 1e-12

if not (REGIONAL_CSV.exists() and DURATION_CSV.exists()):
    pytest.skip(
        f"real NHS data not found in {SHARED_REAL_DATA_DIR} (needs appointments_regional.csv "
        "and actual_duration.csv); the real-data mart checks are skipped",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def connection(real_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    with duckdb.connect(str(real_warehouse), read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def regional() -> pd.DataFrame:
    frame = pd.read_csv(REGIONAL_CSV, dtype=str)
    frame["count_of_appointments"] = frame["count_of_appointments"].astype("int64")
    frame["appointment_mode"] = frame["appointment_mode"].str.strip()
    frame["appointment_status"] = frame["appointment_status"].str.strip()
    return frame


@pytest.fixture(scope="module")
def durations() -> pd.DataFrame:
    frame = pd.read_csv(DURATION_CSV, dtype=str)
    frame["count_of_appointments"] = frame["count_of_appointments"].astype("int64")
    # the raw band labels may carry doubled spaces, as the regional lead-time labels do
    frame["duration_band"] = frame["actual_duration"].str.split().str.join(" ")
    frame["appointment_month"] = pd.to_datetime(
        frame["appointment_date"], format="%d-%b-%y"
    ).dt.strftime("%Y-%m")
    return frame


def query(connection: duckdb.DuckDBPyConnection, sql: str) -> pd.DataFrame:
    return connection.execute(sql).df()


def as_month_text(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column).dt.strftime("%Y-%m")


def test_raw_totals_are_the_documented_ones(
    regional: pd.DataFrame, durations: pd.DataFrame
) -> None:
    """Guards the independent side itself: the CSVs are the files SOURCES.md describes."""
    assert regional["count_of_appointments"].sum() == REGIONAL_TOTAL
    assert durations["count_of_appointments"].sum() == DURATION_TOTAL


def test_monthly_totals_match_the_raw_regional_file(
    connection: duckdb.DuckDBPyConnection, regional: pd.DataFrame
) -> None:
    expected = regional.groupby("appointment_month")["count_of_appointments"].sum()
    utilisation = query(
        connection,
        "select appointment_month, total_appointments from marts.utilisation_monthly",
    )
    actual = utilisation.set_index(as_month_text(utilisation["appointment_month"]))[
        "total_appointments"
    ]
    assert actual.sort_index().to_dict() == expected.sort_index().to_dict()
    assert len(actual) == 30


def test_monthly_totals_agree_across_marts(
    connection: duckdb.DuckDBPyConnection, regional: pd.DataFrame
) -> None:
    """Every monthly mart built from appointments_regional adds up to the raw monthly totals."""
    expected = regional.groupby("appointment_month")["count_of_appointments"].sum().to_dict()
    for mart, column in [
        ("utilisation_monthly_by_region", "total_appointments"),
        ("utilisation_monthly_by_icb", "total_appointments"),
        ("missed_appointments_monthly", "total_appointments"),
        ("fct_appointments_monthly", "count_of_appointments"),
        ("source_reconciliation_monthly", "regional_appointments"),
    ]:
        monthly = query(
            connection,
            f"select appointment_month, sum({column}) as total from marts.{mart} "
            f"where {column} is not null group by appointment_month",
        )
        actual = dict(
            zip(as_month_text(monthly["appointment_month"]), monthly["total"], strict=True)
        )
        assert actual == expected, mart


def test_national_categories_reconcile_with_published_totals(
    connection: duckdb.DuckDBPyConnection, regional: pd.DataFrame
) -> None:
    """The synthetic workbook reproduces the published totals, which equal the regional ones."""
    published = pd.read_csv(PUBLISHED_TOTALS_CSV, dtype={"count_of_appointments": "int64"})
    published_all = published[published["dimension"] == "all"].set_index("appointment_month")[
        "count_of_appointments"
    ]
    reconciliation = query(
        connection,
        "select appointment_month, national_category_appointments "
        "from marts.source_reconciliation_monthly "
        "where national_category_appointments is not null",
    )
    actual = dict(
        zip(
            as_month_text(reconciliation["appointment_month"]),
            reconciliation["national_category_appointments"],
            strict=True,
        )
    )
    assert actual == published_all.to_dict()
    regional_months = regional.groupby("appointment_month")["count_of_appointments"].sum()
    for month, total in actual.items():
        assert regional_months[month] == total, month


def test_national_category_monthly_equals_the_real_category_totals(
    connection: duckdb.DuckDBPyConnection,
) -> None:
    """Every one of the 758 REAL month x setting x context x category totals is reproduced: only
    the daily and per-location split of the synthetic workbook is invented."""
    real = pd.read_csv(CATEGORY_TOTALS_CSV, dtype={"count_of_appointments": "int64"})
    assert len(real) == 758 and real["count_of_appointments"].sum() == 296_046_770
    built = query(
        connection,
        "select appointment_month, service_setting, context_type, national_category, "
        "sum(count_of_appointments) as count_of_appointments from marts.national_category_monthly "
        "group by all",
    )
    built["month"] = as_month_text(built["appointment_month"])
    keys = ["month", "service_setting", "context_type", "national_category"]
    got = built.set_index(keys)["count_of_appointments"].astype("int64").sort_index()
    want = real.set_index(keys)["count_of_appointments"].sort_index()
    pd.testing.assert_series_equal(got[got != 0], want, check_names=False)


def test_dna_rate_by_appointment_mode(
    connection: duckdb.DuckDBPyConnection, regional: pd.DataFrame
) -> None:
    by_mode = regional.pivot_table(
        index="appointment_mode",
        columns="appointment_status",
        values="count_of_appointments",
        aggfunc="sum",
        fill_value=0,
    )
    total = by_mode.sum(axis="columns")
    expected_rate = by_mode["DNA"] / total
    expected_known_rate = by_mode["DNA"] / (by_mode["DNA"] + by_mode["Attended"])

    actual = query(
        connection,
        """
        select
            appointment_mode,
            sum(dna_appointments) as dna,
            sum(total_appointments) as total,
            sum(dna_appointments) / sum(total_appointments) as dna_rate,
            sum(dna_appointments) / sum(known_outcome_appointments) as dna_rate_known_outcome
        from marts.missed_appointments_monthly
        group by appointment_mode
        """,
    ).set_index("appointment_mode")

    assert sorted(actual.index) == sorted(expected_rate.index)
    for mode in expected_rate.index:
        assert actual.loc[mode, "dna"] == by_mode.loc[mode, "DNA"], mode
        assert actual.loc[mode, "total"] == total[mode], mode
        assert actual.loc[mode, "dna_rate"] == pytest.approx(
            expected_rate[mode], rel=RATE_TOLERANCE
        )
        assert actual.loc[mode, "dna_rate_known_outcome"] == pytest.approx(
            expected_known_rate[mode], rel=RATE_TOLERANCE
        )


def test_duration_band_totals(
    connection: duckdb.DuckDBPyConnection, durations: pd.DataFrame
) -> None:
    expected = durations.groupby("duration_band")["count_of_appointments"].sum().to_dict()
    for mart in ("duration_distribution_monthly", "fct_appointment_duration_daily"):
        bands = query(
            connection,
            f"select duration_band, sum(count_of_appointments) as total from marts.{mart} "
            "group by duration_band",
        )
        actual = dict(zip(bands["duration_band"], bands["total"], strict=True))
        assert actual == expected, mart
    assert len(expected) == 7


def test_duration_shares_by_month_and_region(
    connection: duckdb.DuckDBPyConnection, durations: pd.DataFrame
) -> None:
    grouped = (
        durations.groupby(["appointment_month", "region_ons_code", "duration_band"])[
            "count_of_appointments"
        ]
        .sum()
        .reset_index()
    )
    group_totals = grouped.groupby(["appointment_month", "region_ons_code"])[
        "count_of_appointments"
    ].transform("sum")
    grouped["share"] = grouped["count_of_appointments"] / group_totals

    mart = query(
        connection,
        "select appointment_month, region_ons_code, duration_band, count_of_appointments, "
        "share_of_all_appointments from marts.duration_distribution_monthly",
    )
    mart["appointment_month"] = as_month_text(mart["appointment_month"])
    merged = grouped.merge(
        mart, on=["appointment_month", "region_ons_code", "duration_band"], how="outer"
    )
    assert len(merged) == len(grouped) == len(mart)
    assert (merged["count_of_appointments_x"] == merged["count_of_appointments_y"]).all()
    assert merged["share"].to_numpy() == pytest.approx(
        merged["share_of_all_appointments"].to_numpy(), rel=RATE_TOLERANCE
    )


def test_duration_never_exceeds_national_categories(
    connection: duckdb.DuckDBPyConnection, durations: pd.DataFrame
) -> None:
    expected = durations.groupby("appointment_month")["count_of_appointments"].sum()
    reconciliation = query(
        connection,
        "select appointment_month, duration_appointments, national_category_appointments "
        "from marts.source_reconciliation_monthly where duration_appointments is not null",
    )
    reconciliation["appointment_month"] = as_month_text(reconciliation["appointment_month"])
    reconciliation = reconciliation.set_index("appointment_month")
    assert reconciliation["duration_appointments"].to_dict() == expected.to_dict()
    assert (
        reconciliation["duration_appointments"] <= reconciliation["national_category_appointments"]
    ).all()
