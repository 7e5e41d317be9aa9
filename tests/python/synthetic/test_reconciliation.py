"""The generator's counts reproduce the totals it is given (scripts/synthetic/activity.py,
common.py, published_totals.py): an appointments_regional file's monthly totals, the published
national-category totals, and at full scale the real files' totals; inputs that disagree are
refused. Checked on the files read back, not on the generator's own tables."""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

import pytest
from generated_files import (
    WORKBOOK,
    as_date,
    date_range,
    generate,
    month_range,
    monthly,
    needs_real_data,
    read_csv,
    workbook_records,
)

from scripts.build import real_data
from scripts.paths import SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR
from scripts.synthetic import generate as generator
from scripts.synthetic.common import apportion_bounded, apportion_rows, row_quotas


def test_regional_option_reconciles_and_skips_the_regional_file(tmp_path: Path) -> None:
    doubled = tmp_path / "regional_in.csv"
    with (SAMPLE_RAW_DIR / "appointments_regional.csv").open(
        newline="", encoding="utf-8"
    ) as source:
        rows = list(csv.reader(source))
    with doubled.open("w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target, lineterminator="\r\n")
        writer.writerow(rows[0])
        writer.writerows([*row[:-1], str(int(row[-1]) * 2)] for row in rows[1:])
    out = generate(tmp_path / "out", "--regional", str(doubled), "--only", "national_categories")
    assert sorted(p.name for p in out.iterdir()) == ["README_SYNTHETIC.txt", WORKBOOK]
    expected = monthly(read_csv(doubled), lambda r: r["appointment_month"])
    produced = monthly(workbook_records(out / WORKBOOK), lambda r: r["appointment_month"])
    # the sample's national categories run Aug 2021 to Jun 2022, months the regional file holds
    assert sorted(produced) == month_range("2021-08", "2022-06")
    assert produced == {month: expected[month] for month in produced}
    assert "regional_in.csv" not in (out / "README_SYNTHETIC.txt").read_text(encoding="utf-8")


def test_integer_apportionment_is_exact_and_respects_bounds() -> None:
    totals = [0, 1, 7, 1_000_003, 296_046_770]
    weights = [[1, 1, 1], [0.2, 0.3, 0.5], [1, 1, 1], [3, 0, 1], [0.9, 0.07, 0.03]]
    split = apportion_rows(totals, weights)
    assert split.sum(axis=1).tolist() == totals
    assert split[3][1] == 0 and split.min() >= 0
    assert abs(split[4][0] - 0.9 * 296_046_770) < 1
    bounded = apportion_bounded(100, [10, 1, 1], [1, 5, 1], [50, 60, 60])
    assert bounded.sum() == 100 and bounded[0] == 50 and bounded[1] >= 5
    quotas = row_quotas([5, 1_000, 1_000_000], [100, 100, 100], [1, 1, 100], 150)
    assert quotas.sum() == 150 and quotas[2] == 100 and 1 <= quotas[0] <= 5


def write_published_totals(path: Path, months: list[str]) -> list[tuple[str, str, str, int]]:
    rows = []
    for index, month in enumerate(months):
        settings = {
            "General Practice": 900_000 + 1_000 * index,
            "Primary Care Network": 20_011 + index,
            "Extended Access Provision": 7_003,
            "Other": 19_005,
            "Unmapped": 45_000 - 7 * index,
        }
        total = sum(settings.values())
        contexts = {
            "Care Related Encounter": total - 95_001 - settings["Unmapped"],
            "Inconsistent Mapping": 95_001,
            "Unmapped": settings["Unmapped"],
        }
        rows.append((month, "all", "all", total))
        rows += [(month, "service_setting", k, v) for k, v in settings.items()]
        rows += [(month, "context_type", k, v) for k, v in contexts.items()]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["appointment_month", "dimension", "value", "count_of_appointments"])
        writer.writerows(rows)
    return rows


def published_view(records: list[dict]) -> set[tuple[str, str, str, int]]:
    totals: dict[tuple[str, str, str], int] = defaultdict(int)
    for record in records:
        month, count = record["appointment_month"], int(record["count_of_appointments"])
        totals[(month, "all", "all")] += count
        totals[(month, "service_setting", record["service_setting"])] += count
        totals[(month, "context_type", record["context_type"])] += count
    return {(*key, value) for key, value in totals.items()}


def test_published_totals_are_reproduced_and_regional_follows(tmp_path: Path) -> None:
    published = write_published_totals(tmp_path / "totals.csv", month_range("2021-08", "2022-06"))
    out = generate(tmp_path / "out", "--published-totals", str(tmp_path / "totals.csv"))
    assert published_view(workbook_records(out / WORKBOOK)) == set(published)
    regional_months = monthly(
        read_csv(out / "appointments_regional.csv"), lambda r: r["appointment_month"]
    )
    for month, dimension, _, value in published:
        if dimension == "all":
            assert regional_months[month] == value


def test_disagreeing_inputs_are_refused(tmp_path: Path) -> None:
    write_published_totals(tmp_path / "totals.csv", month_range("2021-08", "2022-06"))
    status = generator.main(
        [
            "--out",
            str(tmp_path / "out"),
            "--regional",
            str(SAMPLE_RAW_DIR / "appointments_regional.csv"),
            "--published-totals",
            str(tmp_path / "totals.csv"),
        ]
    )
    assert status == 1
    assert not (tmp_path / "out" / WORKBOOK).exists()


@pytest.mark.slow
@pytest.mark.real_data
@needs_real_data
def test_full_scale_workbook_reproduces_the_published_totals() -> None:
    # The full-size workbook `make dbt-real` builds from: the generator run at full scale on the
    # real files, once per change of its inputs (generated here when it is missing or stale).
    raw_dir = real_data.prepare_raw_dir(SHARED_REAL_DATA_DIR.resolve(), real_data.DEFAULT_RAW_DIR)
    published_file = SHARED_REAL_DATA_DIR / "national_categories_published_totals.csv"
    real_regional = SHARED_REAL_DATA_DIR / "appointments_regional.csv"
    records = workbook_records(raw_dir / WORKBOOK)
    assert len(records) == 817_394
    assert sum(int(r["count_of_appointments"]) for r in records) == 296_046_770
    published = {
        (r["appointment_month"], r["dimension"], r["value"], int(r["count_of_appointments"]))
        for r in read_csv(published_file)
    }
    assert published_view(records) == published
    real_months = monthly(read_csv(real_regional), lambda r: r["appointment_month"])
    produced = monthly(records, lambda r: r["appointment_month"])
    assert all(produced[month] == real_months[month] for month in produced)
    assert len({r["sub_icb_location_name"] for r in records}) == 106
    dates = {as_date(r["appointment_date"]) for r in records}
    assert dates == date_range(dt.date(2021, 8, 1), dt.date(2022, 6, 30))
