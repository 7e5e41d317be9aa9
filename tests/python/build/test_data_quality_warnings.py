"""Data-quality warnings end to end: suspicious but well-formed raw data is built, listed in the
build summary (which area, which month or day, how big) and kept in marts.data_quality_warnings;
--strict refuses to publish it and leaves the last good warehouse as it was.

The raw folder is the embedded sample with two anomalies injected into actual_duration: one
location has no rows on a working day (a zero day), another none in a whole month between two it
has (a missing area). The expected figures are computed here from the raw CSV, not by the build.
The sample's own appointments_regional is a sparse draw whose small ICBs' months swing by up to
a factor of 5.2 (docs/marts.md), so these builds raise the change factor to 10 to leave the two
injected anomalies as the only warnings.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import shutil
import subprocess
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_script, sha256

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

QUIET_SAMPLE = ["--", "--vars", "{data_quality_change_factor: 10}"]
ZERO_DAY_LOCATION, ZERO_DAY = "02P", dt.date(2022, 3, 16)  # a Wednesday
MISSING_LOCATION, MISSING_MONTH = "15N", dt.date(2022, 2, 1)
MISSING_PREVIOUS_MONTH = dt.date(2022, 1, 1)


def raw_date(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%d-%b-%y").date()


def inject_anomalies(sample: Path, target: Path) -> Path:
    """A copy of sample without ZERO_DAY_LOCATION's rows on ZERO_DAY and without
    MISSING_LOCATION's rows in MISSING_MONTH."""
    shutil.copytree(sample, target)
    durations = target / "actual_duration.csv"
    with durations.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    location, date = header.index("sub_icb_location_code"), header.index("appointment_date")

    def injected(row: list[str]) -> bool:
        day = raw_date(row[date])
        return (row[location], day) == (ZERO_DAY_LOCATION, ZERO_DAY) or (
            row[location] == MISSING_LOCATION and day.replace(day=1) == MISSING_MONTH
        )

    kept = [row for row in rows if not injected(row)]
    assert len(rows) - len(kept) > 7  # both anomalies removed real rows
    with durations.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *kept])
    return target


def daily_totals(raw: Path, location_code: str) -> dict[dt.date, int]:
    """One location's appointments per day in raw's actual_duration.csv."""
    totals: dict[dt.date, int] = defaultdict(int)
    with (raw / "actual_duration.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["sub_icb_location_code"] == location_code:
                totals[raw_date(row["appointment_date"])] += int(row["count_of_appointments"])
    return totals


def bank_holidays() -> set[dt.date]:
    with (REPO_ROOT / "seeds" / "bank_holidays_england.csv").open(encoding="utf-8") as handle:
        return {dt.date.fromisoformat(row["holiday_date"]) for row in csv.DictReader(handle)}


def expected_messages(raw: Path) -> list[str]:
    """The two warnings' messages, from the raw file: the zero day's location averaged over the
    working days it reported in that month; the missing location's total the month before."""
    holidays = bank_holidays()
    working = [
        count
        for day, count in daily_totals(raw, ZERO_DAY_LOCATION).items()
        if day.replace(day=1) == ZERO_DAY.replace(day=1)
        and day.weekday() < 5
        and day not in holidays
    ]
    mean = math.floor(sum(working) / len(working) + 0.5)
    previous = sum(
        count
        for day, count in daily_totals(raw, MISSING_LOCATION).items()
        if day.replace(day=1) == MISSING_PREVIOUS_MONTH
    )
    return [
        f"actual_duration: sub-ICB location {location_name(ZERO_DAY_LOCATION)}, Wednesday 16 "
        f"March 2022: no appointments (mean per working day reported in March 2022: {mean:,})",
        f"actual_duration: sub-ICB location {location_name(MISSING_LOCATION)}, February 2022: "
        f"missing (it had {previous:,} appointments in January 2022, the last month it reported)",
    ]


def location_name(code: str) -> str:
    """The location's name in the reference seed (it ends with the code)."""
    with (REPO_ROOT / "seeds" / "sub_icb_locations.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["sub_icb_location_code"] == code:
                return row["sub_icb_location_name"]
    raise KeyError(code)


@pytest.fixture(scope="module")
def anomalous_raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return inject_anomalies(SAMPLE_RAW_DIR, tmp_path_factory.mktemp("anomalous") / "raw")


def build(raw: Path, warehouse: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return run_script(
        "scripts.build.pipeline", "--raw-dir", raw, "--warehouse", warehouse, *options
    )


@dataclass(frozen=True)
class Builds:
    """One warehouse built four times: the clean sample with --strict, the anomalous folder with
    --strict (refused), the same without it (published), and with --strict again (up to date)."""

    warehouse: Path
    clean_strict: subprocess.CompletedProcess[str]
    good_sha256: str
    refused: subprocess.CompletedProcess[str]
    sha256_after_refusal: str
    published: subprocess.CompletedProcess[str]
    published_sha256: str
    up_to_date_strict: subprocess.CompletedProcess[str]
    sha256_after_up_to_date: str


@pytest.fixture(scope="module")
def builds(anomalous_raw_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Builds:
    warehouse = tmp_path_factory.mktemp("strict") / "nhs.duckdb"
    clean_strict = build(SAMPLE_RAW_DIR, warehouse, "--strict", *QUIET_SAMPLE)
    good = sha256(warehouse) if warehouse.exists() else ""
    refused = build(anomalous_raw_dir, warehouse, "--strict", *QUIET_SAMPLE)
    after_refusal = sha256(warehouse) if warehouse.exists() else ""
    published = build(anomalous_raw_dir, warehouse, *QUIET_SAMPLE)
    published_sha = sha256(warehouse) if warehouse.exists() else ""
    up_to_date = build(anomalous_raw_dir, warehouse, "--strict", *QUIET_SAMPLE)
    return Builds(
        warehouse,
        clean_strict,
        good,
        refused,
        after_refusal,
        published,
        published_sha,
        up_to_date,
        sha256(warehouse) if warehouse.exists() else "",
    )


def test_summary_lists_each_warning_and_the_mart_keeps_it(
    builds: Builds, anomalous_raw_dir: Path
) -> None:
    summary = assert_succeeded(builds.published).stdout
    expected = expected_messages(anomalous_raw_dir)
    assert "DATA-QUALITY WARNINGS: 2, kept in marts.data_quality_warnings" in summary
    for message in expected:
        assert f"  - {message}\n" in summary + "\n"
    with duckdb.connect(str(builds.warehouse), read_only=True) as connection:
        rows = connection.execute(
            "select check_kind, source_name, area_level, area_code, appointment_month, "
            "appointment_date, observed_appointments, relative_change, message "
            "from marts.data_quality_warnings order by check_kind"
        ).fetchall()
    assert rows == [
        (
            "missing_area",
            "actual_duration",
            "sub-ICB location",
            MISSING_LOCATION,
            MISSING_MONTH,
            None,
            0,
            -1.0,
            expected[1],
        ),
        (
            "zero_day",
            "actual_duration",
            "sub-ICB location",
            ZERO_DAY_LOCATION,
            ZERO_DAY.replace(day=1),
            ZERO_DAY,
            0,
            -1.0,
            expected[0],
        ),
    ]


def test_strict_passes_a_build_without_warnings(builds: Builds) -> None:
    assert "No data-quality warnings" in assert_succeeded(builds.clean_strict).stdout


def test_strict_refuses_warnings_and_keeps_the_last_good_warehouse(
    builds: Builds, anomalous_raw_dir: Path
) -> None:
    refused = builds.refused
    assert refused.returncode == 1, refused.stdout[-2000:] + refused.stderr[-2000:]
    assert "BUILD FAILED: --strict: 2 data-quality warning(s)" in refused.stderr
    for message in expected_messages(anomalous_raw_dir):
        assert f"  - {message}\n" in refused.stderr
    assert f"The last good warehouse is unchanged: {builds.warehouse}" in refused.stderr
    assert builds.sha256_after_refusal == builds.good_sha256
    assert not list(builds.warehouse.parent.glob("nhs.duckdb.building-*"))


def test_strict_refuses_an_up_to_date_warehouse_with_warnings(builds: Builds) -> None:
    # dbt does not run; the published file is refused as it is, and stays published.
    up_to_date = builds.up_to_date_strict
    assert up_to_date.returncode == 1, up_to_date.stderr[-2000:]
    assert "Warehouse is up to date" in up_to_date.stderr
    assert "BUILD FAILED: --strict: 2 data-quality warning(s)" in up_to_date.stderr
    assert builds.sha256_after_up_to_date == builds.published_sha256
