"""The semantic layer (models/semantic/) queried with MetricFlow's own CLI, mf, through
`make metrics`, `nhs metrics` and scripts.consumers.metrics.query, on the session's sample build.

Every metric is checked at month grain against the mart column it replaces, and the ratio and
per-day metrics at coarser grains (quarter x region, year) against sums-then-divisions written
here in SQL over the facts. Each mf run costs seconds, so each runs once per module and asks for
several metrics at once.

While mf runs, this module holds its own read-only connection to the warehouse open, as a BI
tool would. DuckDB refuses a read-write open of a file that another process has open, so every
mf query that succeeds here also shows that mf opened the warehouse read-only.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_child, run_script

from scripts.consumers import metrics
from scripts.paths import REPO_ROOT

Rows = list[dict[str, str]]


@pytest.fixture(scope="module")
def reader(sample_warehouse: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection held open for the whole module, like a BI tool's."""
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        yield connection


def month_of(text: str) -> dt.date:
    """mf writes metric_time as a timestamp, e.g. 2020-01-01 00:00:00."""
    return dt.datetime.fromisoformat(text).date()


def number(text: str) -> float | None:
    return None if text == "" else float(text)


def by_key(rows: Rows, *key_columns: str) -> dict[tuple, dict[str, str]]:
    keyed = {
        (month_of(row[key_columns[0]]), *(row[c] for c in key_columns[1:])): row for row in rows
    }
    assert len(keyed) == len(rows), "mf returned the same key twice"
    return keyed


def assert_column_matches(
    mf_rows: dict[tuple, dict[str, str]],
    expected: dict[tuple, float | None],
    metric: str,
) -> None:
    """The metric equals the expected value for every key, and mf has exactly those keys."""
    assert set(mf_rows) == set(expected), metric
    for key, value in expected.items():
        got = number(mf_rows[key][metric])
        if value is None:
            assert got is None, (metric, key)
        else:
            assert got == pytest.approx(value, rel=1e-12), (metric, key)


def sql_by_key(reader: duckdb.DuckDBPyConnection, sql: str) -> dict[tuple, float | None]:
    """The last column of sql's rows keyed by the others (a period first, as a date)."""
    expected = {}
    for *key, value in reader.execute(sql).fetchall():
        if isinstance(key[0], dt.datetime):
            key[0] = key[0].date()
        expected[tuple(key)] = value
    return expected


# --- month grain, through the Makefile target the README shows --------------------------------

MONTHLY_METRICS = {
    # metric -> the utilisation_monthly column it equals by month
    "total_appointments": "total_appointments",
    "attended_appointments": "attended_appointments",
    "dna_appointments": "dna_appointments",
    "unknown_status_appointments": "unknown_status_appointments",
    "appointment_working_days": "working_days",
    "appointment_calendar_days": "calendar_days",
    "appointments_per_working_day": "appointments_per_working_day",
    "appointments_per_calendar_day": "appointments_per_calendar_day",
    "utilisation_working_day": "utilisation_working_day",
    "utilisation_calendar_day": "utilisation_calendar_day",
    # no rate column in this mart: its own counts, divided
    "dna_rate": "dna_appointments / total_appointments",
}


@pytest.fixture(scope="module")
def monthly(
    sample_warehouse: Path,
    tmp_path_factory: pytest.TempPathFactory,
    reader: duckdb.DuckDBPyConnection,
) -> Rows:
    """`make metrics ARGS="query ... --group-by metric_time__month --csv FILE"`, as the README
    says, with this interpreter (NHS=...) and without reinstalling .venv (-o)."""
    out = tmp_path_factory.mktemp("metrics") / "monthly.csv"
    arguments = (
        f"query --metrics {','.join(MONTHLY_METRICS)} --group-by metric_time__month --csv {out}"
    )
    command = [
        "make",
        "--no-print-directory",
        "-o",
        ".venv/.installed",
        "metrics",
        f"NHS={sys.executable} -m scripts.cli",
        f"WAREHOUSE={sample_warehouse}",
        f"ARGS={arguments}",
    ]
    assert_succeeded(run_child(command))
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("metric", MONTHLY_METRICS)
def test_monthly_metric_equals_utilisation_monthly(
    monthly: Rows, reader: duckdb.DuckDBPyConnection, metric: str
) -> None:
    expected = sql_by_key(
        reader,
        f"select appointment_month, {MONTHLY_METRICS[metric]} from marts.utilisation_monthly",
    )
    assert len(expected) == 30  # January 2020 to June 2022: one mf row per month, no more
    assert_column_matches(by_key(monthly, "metric_time__month"), expected, metric)


# --- month grain at the missed-appointments mart's grain ---------------------------------------

MISSED_KEY = [
    "metric_time__month",
    "appointment__region",
    "appointment__appointment_mode",
    "appointment__hcp_type",
    "appointment__booking_lead_time_band",
]
MISSED_METRICS = [
    "total_appointments",
    "attended_appointments",
    "dna_appointments",
    "unknown_status_appointments",
    "known_outcome_appointments",
    "dna_rate",
    "dna_rate_known_outcome",
]


@pytest.fixture(scope="module")
def missed(sample_warehouse: Path, reader: duckdb.DuckDBPyConnection) -> Rows:
    return metrics.query(sample_warehouse, MISSED_METRICS, MISSED_KEY)


@pytest.mark.parametrize("metric", MISSED_METRICS)
def test_metric_equals_missed_appointments_monthly(
    missed: Rows, reader: duckdb.DuckDBPyConnection, metric: str
) -> None:
    expected = sql_by_key(
        reader,
        "select appointment_month, region_ons_code, appointment_mode, hcp_type, "
        f"booking_lead_time_band, {metric} from marts.missed_appointments_monthly",
    )
    assert_column_matches(by_key(missed, *MISSED_KEY), expected, metric)


# --- durations and national categories at their marts' grains ----------------------------------

DURATION_KEY = ["metric_time__month", "appointment_duration__region"]
DURATION_METRICS = {
    "share_within_10_minutes": "max(cumulative_share_of_known_duration) filter "
    "(where duration_band = '6-10 Minutes')",
    "unknown_duration_share": "max(unknown_duration_share)",
    "duration_appointments": "sum(count_of_appointments)",
    "known_duration_appointments": "sum(count_of_appointments) filter (where is_known_duration)",
}


@pytest.fixture(scope="module")
def durations(sample_warehouse: Path, reader: duckdb.DuckDBPyConnection) -> Rows:
    return metrics.query(sample_warehouse, list(DURATION_METRICS), DURATION_KEY)


@pytest.mark.parametrize("metric", DURATION_METRICS)
def test_metric_equals_duration_distribution_monthly(
    durations: Rows, reader: duckdb.DuckDBPyConnection, metric: str
) -> None:
    expected = sql_by_key(
        reader,
        f"select appointment_month, region_ons_code, {DURATION_METRICS[metric]} "
        "from marts.duration_distribution_monthly group by all",
    )
    assert_column_matches(by_key(durations, *DURATION_KEY), expected, metric)


CATEGORY_KEY = [
    "metric_time__month",
    "national_category_appointment__service_setting",
    "national_category_appointment__context_type",
    "national_category_appointment__national_category",
]


def test_national_category_appointments_equal_national_category_monthly(
    sample_warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    rows = metrics.query(
        sample_warehouse,
        ["national_category_appointments"],
        CATEGORY_KEY,
    )
    expected = sql_by_key(
        reader,
        "select appointment_month, service_setting, context_type, national_category, "
        "count_of_appointments from marts.national_category_monthly",
    )
    assert_column_matches(by_key(rows, *CATEGORY_KEY), expected, "national_category_appointments")


# --- coarser grains: sum first, then divide ------------------------------------------------------

QUARTER_REGION_KEY = ["metric_time__quarter", "region__region_name"]


@pytest.fixture(scope="module")
def quarter_region(
    sample_warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> dict[tuple, dict[str, str]]:
    rows = metrics.query(
        sample_warehouse,
        ["dna_rate", "dna_rate_known_outcome", "share_within_10_minutes"],
        QUARTER_REGION_KEY,
    )
    return by_key(rows, *QUARTER_REGION_KEY)


# Written from the facts' labels, not from the semantic layer's expressions.
QUARTER_REGION_SQL = {
    "dna_rate": """
        select date_trunc('quarter', f.appointment_month), r.region_name,
            coalesce(sum(f.count_of_appointments) filter (where f.appointment_status = 'DNA'), 0)
            / sum(f.count_of_appointments)
        from marts.fct_appointments_monthly as f
        inner join reference.nhs_regions as r on f.region_ons_code = r.region_ons_code
        group by all""",
    "dna_rate_known_outcome": """
        select date_trunc('quarter', f.appointment_month), r.region_name,
            coalesce(sum(f.count_of_appointments) filter (where f.appointment_status = 'DNA'), 0)
            / sum(f.count_of_appointments) filter (where f.appointment_status <> 'Unknown')
        from marts.fct_appointments_monthly as f
        inner join reference.nhs_regions as r on f.region_ons_code = r.region_ons_code
        group by all""",
    "share_within_10_minutes": """
        select date_trunc('quarter', f.appointment_month), r.region_name,
            sum(f.count_of_appointments)
                filter (where f.duration_band in ('1-5 Minutes', '6-10 Minutes'))
            / sum(f.count_of_appointments)
                filter (where f.duration_band <> 'Unknown / Data Quality')
        from marts.fct_appointment_duration_daily as f
        inner join reference.nhs_regions as r on f.region_ons_code = r.region_ons_code
        group by all""",
}


@pytest.mark.parametrize("metric", QUARTER_REGION_SQL)
def test_ratio_by_quarter_and_region_sums_then_divides(
    quarter_region: dict[tuple, dict[str, str]],
    reader: duckdb.DuckDBPyConnection,
    metric: str,
) -> None:
    expected = sql_by_key(reader, QUARTER_REGION_SQL[metric])
    # The query asks for metrics of two sources with different periods: the keys where this
    # metric's source has no data are null in mf's result.
    present = {key: row for key, row in quarter_region.items() if row[metric] != ""}
    assert_column_matches(present, expected, metric)
    # Averaging the monthly rates would give another number: the test can tell them apart.
    if metric == "dna_rate":
        averaged = sql_by_key(
            reader,
            "select date_trunc('quarter', appointment_month), region_name, "
            "avg(dna_appointments / total_appointments) "
            "from marts.utilisation_monthly_by_region group by all",
        )
        assert any(
            averaged[key] != pytest.approx(value, rel=1e-9) for key, value in expected.items()
        )


def test_filters_apply_before_the_ratio(
    sample_warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    """The DNA rate of London's telephone appointments booked the same day, by quarter: the
    filters narrow both counts, then the rate divides them (0, not null, in a quarter without
    a DNA)."""
    rows = metrics.query(
        sample_warehouse,
        ["dna_rate"],
        ["metric_time__quarter"],
        where=[
            "{{ Dimension('region__region_name') }} = 'London'",
            "{{ Dimension('appointment__appointment_mode') }} = 'Telephone'",
            "{{ Dimension('appointment__booking_lead_time_band') }} = 'Same Day'",
        ],
    )
    expected = sql_by_key(
        reader,
        """
        select date_trunc('quarter', f.appointment_month),
            coalesce(sum(f.count_of_appointments) filter (where f.appointment_status = 'DNA'), 0)
            / sum(f.count_of_appointments)
        from marts.fct_appointments_monthly as f
        inner join reference.nhs_regions as r on f.region_ons_code = r.region_ons_code
        where r.region_name = 'London' and f.appointment_mode = 'Telephone'
            and f.booking_lead_time_band = 'Same Day'
        group by all
        """,
    )
    assert len(expected) >= 4
    assert_column_matches(by_key(rows, "metric_time__quarter"), expected, "dna_rate")


def test_per_day_metrics_by_year_count_only_the_months_with_data(
    sample_warehouse: Path, reader: duckdb.DuckDBPyConnection
) -> None:
    """2022 has data for January to June only: its appointments are divided by the working
    days of those six months, not of the whole year."""
    per_day = ["appointments_per_working_day", "utilisation_working_day"]
    rows = by_key(
        metrics.query(sample_warehouse, per_day, ["metric_time__year"]),
        "metric_time__year",
    )
    capacity = 1_200_000
    expected = sql_by_key(
        reader,
        """
        with months as (
            select appointment_month, sum(count_of_appointments) as appointments
            from marts.fct_appointments_monthly
            group by appointment_month
        ),
        working_days as (
            select month_start_date, count(*) filter (where is_working_day) as days
            from marts.dim_date
            group by month_start_date
        )
        select date_trunc('year', months.appointment_month),
            sum(months.appointments) / sum(working_days.days)
        from months
        inner join working_days on months.appointment_month = working_days.month_start_date
        group by all
        """,
    )
    assert sorted(key[0].year for key in expected) == [2020, 2021, 2022]
    assert_column_matches(rows, expected, "appointments_per_working_day")
    assert_column_matches(
        rows, {key: value / capacity for key, value in expected.items()}, "utilisation_working_day"
    )


# --- the command around mf -----------------------------------------------------------------------


def test_missing_warehouse_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = run_script("scripts.consumers.metrics", "--warehouse", missing, "list", "metrics")
    assert result.returncode == 2
    assert f"No warehouse at {missing}" in result.stderr
    assert not missing.exists()


def test_an_unknown_metric_fails(sample_warehouse: Path, reader: duckdb.DuckDBPyConnection) -> None:
    result = run_script(
        "scripts.consumers.metrics",
        "--warehouse",
        sample_warehouse,
        "query",
        "--metrics",
        "no_such_metric",
        "--group-by",
        "metric_time__month",
    )
    assert result.returncode != 0
    assert "no_such_metric" in result.stdout + result.stderr


def test_semantic_manifest_is_parsed_again_only_when_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    manifest = tmp_path / "semantic_manifest.json"
    stamp = tmp_path / "semantic_manifest.stamp.json"
    monkeypatch.setattr(metrics, "SEMANTIC_MANIFEST", manifest)
    monkeypatch.setattr(metrics, "MANIFEST_STAMP", stamp)
    manifest.write_text('{"semantic_models": []}', encoding="utf-8")
    inputs = metrics.inputs_digest()
    assert not metrics.manifest_is_current(inputs)  # no stamp yet
    stamp.write_text(
        json.dumps({"inputs": inputs, "manifest_sha256": metrics.file_sha256(manifest)}),
        encoding="utf-8",
    )
    assert metrics.manifest_is_current(inputs)
    # The project changed since the parse:
    assert not metrics.manifest_is_current("another digest")
    # Something else (dbt docs generate, a dbt parse for another target) rewrote the manifest:
    manifest.write_text('{"semantic_models": [], "other": 1}', encoding="utf-8")
    assert not metrics.manifest_is_current(inputs)


def test_manifest_inputs_cover_the_semantic_models_and_the_profile() -> None:
    inputs = set(metrics.manifest_inputs())
    assert REPO_ROOT / "profiles.yml" in inputs
    assert REPO_ROOT / "models" / "semantic" / "appointments.yml" in inputs
    assert REPO_ROOT / "models" / "marts" / "dim_date.yml" in inputs


def test_semantic_manifest_names_the_read_only_attachment() -> None:
    """The relations mf queries are in the database the metrics target attaches (nhs),
    whichever warehouse file is queried."""
    metrics.ensure_semantic_manifest()  # parsed already, unless this test runs alone
    manifest = json.loads(metrics.SEMANTIC_MANIFEST.read_text(encoding="utf-8"))
    relations = {model["node_relation"]["relation_name"] for model in manifest["semantic_models"]}
    assert '"nhs"."marts"."fct_appointments_monthly"' in relations
    assert all(name.startswith('"nhs".') for name in relations)
