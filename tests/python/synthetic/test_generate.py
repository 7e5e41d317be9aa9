"""Tests of the synthetic data generator (scripts/synthetic/generate.py).

The generated files are read back with csv and python-calamine and checked against the
published layouts and the documented facts of the real data, not against the generator's own
constants.
"""

from __future__ import annotations

import ast
import csv
import datetime as dt
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import CATEGORIES as CATEGORY_ROWS
from conftest import DURATION, REGIONAL, TWEETS, assert_succeeded, run_child
from python_calamine import CalamineWorkbook

from scripts.build import real_data
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR
from scripts.synthetic import generate as generator
from scripts.synthetic import writers
from scripts.synthetic.common import apportion_bounded, apportion_rows, row_quotas

SEEDS_DIR = REPO_ROOT / "seeds"
CSV_FILES = ("appointments_regional.csv", "actual_duration.csv", "tweets.csv")
WORKBOOK = "national_categories.xlsx"

# Spellings as published (note "staff" and the double spaces). Restated here on purpose rather
# than imported from scripts.loader.vocabulary: they are the independent record the generator's
# output is checked against.
STATUSES = {"Attended", "DNA", "Unknown"}
HCP_TYPES = {"GP", "Other Practice staff", "Unknown"}
MODES = {"Face-to-Face", "Home Visit", "Telephone", "Unknown", "Video/Online"}
LEAD_TIMES = {
    "Same Day",
    "1 Day",
    "2 to 7 Days",
    "8  to 14 Days",
    "15  to 21 Days",
    "22  to 28 Days",
    "More than 28 Days",
    "Unknown / Data Quality",
}
DURATIONS = {
    "1-5 Minutes",
    "6-10 Minutes",
    "11-15 Minutes",
    "16-20 Minutes",
    "21-30 Minutes",
    "31-60 Minutes",
    "Unknown / Data Quality",
}
SETTINGS = {
    "General Practice",
    "Primary Care Network",
    "Extended Access Provision",
    "Other",
    "Unmapped",
}
CONTEXTS = {"Care Related Encounter", "Inconsistent Mapping", "Unmapped"}
CATEGORIES = {
    "Care Home Needs Assessment & Personalised Care and Support Planning",
    "Care Home Visit",
    "Clinical Triage",
    "General Consultation Acute",
    "General Consultation Routine",
    "Group Consultation and Group Education",
    "Home Visit",
    "Inconsistent Mapping",
    "Non-contractual chargeable work",
    "Patient contact during Care Home Round",
    "Planned Clinical Procedure",
    "Planned Clinics",
    "Service provided by organisation external to the practice",
    "Social Prescribing Service",
    "Structured Medication Review",
    "Unmapped",
    "Unplanned Clinical Activity",
    "Walk-in",
}
# The published headers, from the hand-written fixture files (also independent of the generator).
HEADERS = {
    name: ",".join(rows[0])
    for name, rows in (
        ("appointments_regional.csv", REGIONAL),
        ("actual_duration.csv", DURATION),
        ("tweets.csv", TWEETS),
    )
}
WORKBOOK_HEADER = CATEGORY_ROWS[0]
MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)

needs_real_data = pytest.mark.skipif(
    not SHARED_REAL_DATA_DIR.is_dir(),
    reason=f"real NHS data folder {SHARED_REAL_DATA_DIR} is absent; real-data checks skipped",
)


def generate(out: Path, *options: str) -> Path:
    assert generator.main(["--out", str(out), "--no-progress", *options]) == 0
    return out


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_workbook(path: Path) -> list[list]:
    workbook = CalamineWorkbook.from_path(str(path))
    assert len(workbook.sheet_names) == 1
    return workbook.get_sheet_by_index(0).to_python()


def workbook_records(path: Path) -> list[dict]:
    header, *rows = read_workbook(path)
    assert header == WORKBOOK_HEADER
    return [dict(zip(header, row, strict=True)) for row in rows]


def as_date(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def parse_short_date(text: str) -> dt.date:
    day, month, year = text.split("-")
    return dt.date(2000 + int(year), MONTH_ABBREVIATIONS.index(month) + 1, int(day))


def monthly(records: list[dict], month_of) -> dict[str, int]:
    totals: dict[str, int] = defaultdict(int)
    for record in records:
        totals[month_of(record)] += int(record["count_of_appointments"])
    return dict(totals)


def month_range(first: str, last: str) -> list[str]:
    months, (year, month) = [], (int(first[:4]), int(first[5:]))
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def date_range(first: dt.date, last: dt.date) -> set[dt.date]:
    return {first + dt.timedelta(days=n) for n in range((last - first).days + 1)}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("sample"), "--scale", "sample", "--seed", "42")


@pytest.fixture(scope="module")
def regional(sample: Path) -> list[dict[str, str]]:
    return read_csv(sample / "appointments_regional.csv")


@pytest.fixture(scope="module")
def durations(sample: Path) -> list[dict[str, str]]:
    return read_csv(sample / "actual_duration.csv")


@pytest.fixture(scope="module")
def categories(sample: Path) -> list[dict]:
    return workbook_records(sample / WORKBOOK)


@pytest.fixture(scope="module")
def tweets(sample: Path) -> list[dict[str, str]]:
    return read_csv(sample / "tweets.csv")


def test_cli_runs_as_module_and_as_script() -> None:
    for command in (
        [sys.executable, "-m", "scripts.synthetic.generate", "--help"],
        [str(Path(sys.executable).with_name("nhs")), "sample", "--help"],
        [sys.executable, str(REPO_ROOT / "scripts" / "synthetic" / "generate.py"), "--help"],
    ):
        result = assert_succeeded(run_child(command))
        assert "--scale" in result.stdout and "SYNTHETIC" in result.stdout


def test_script_path_generates_and_labels_output(tmp_path: Path) -> None:
    script = REPO_ROOT / "scripts" / "synthetic" / "generate.py"
    result = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--only", "tweets"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "SYNTHETIC tweets.csv" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README_SYNTHETIC.txt", "tweets.csv"]


def test_same_seed_gives_identical_files_and_another_seed_differs(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", "--seed", "7")
    second = generate(tmp_path / "b", "--seed", "7")
    other = generate(tmp_path / "c", "--seed", "8")
    for name in CSV_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
        assert (first / name).read_bytes() != (other / name).read_bytes(), name
    assert read_workbook(first / WORKBOOK) == read_workbook(second / WORKBOOK)
    assert read_workbook(first / WORKBOOK) != read_workbook(other / WORKBOOK)


def test_committed_sample_equals_a_fresh_generation(sample: Path) -> None:
    for name in CSV_FILES:
        assert (SAMPLE_RAW_DIR / name).read_bytes() == (sample / name).read_bytes(), (
            f"data/sample/{name} is stale: regenerate with "
            "python -m scripts.synthetic.generate --out data/sample --scale sample --seed 42"
        )
    assert read_workbook(SAMPLE_RAW_DIR / WORKBOOK) == read_workbook(sample / WORKBOOK)
    readme = (SAMPLE_RAW_DIR / "README_SYNTHETIC.txt").read_text(encoding="utf-8")
    assert readme.startswith("SYNTHETIC DATA")
    assert "seed: 42" in readme and "scale: sample" in readme
    assert "--out data/sample" in readme


def test_readme_marks_every_written_file_as_synthetic(sample: Path) -> None:
    readme = (sample / "README_SYNTHETIC.txt").read_text(encoding="utf-8")
    for name in (*CSV_FILES, WORKBOOK):
        assert name in readme
    assert "SYNTHETIC" in readme and "invented" in readme


def test_headers_and_line_endings_match_the_published_files(sample: Path) -> None:
    for name, header in HEADERS.items():
        expected = header
        ending = b"\n" if name == "tweets.csv" else b"\r\n"
        if SHARED_REAL_DATA_DIR.is_dir():
            with (SHARED_REAL_DATA_DIR / name).open("rb") as handle:
                real_first_line = handle.readline()
            ending = b"\r\n" if real_first_line.endswith(b"\r\n") else b"\n"
            expected = real_first_line.decode("utf-8").rstrip("\r\n")
        ours = (sample / name).read_bytes()
        assert ours.split(b"\n", 1)[0].rstrip(b"\r").decode("utf-8") == expected
        assert ours.endswith(ending)
        assert ours.count(b"\r\n") == (ours.count(b"\n") if ending == b"\r\n" else 0)
    assert read_workbook(sample / WORKBOOK)[0] == WORKBOOK_HEADER


def test_every_category_value_and_period_is_present(
    regional: list[dict], durations: list[dict], categories: list[dict]
) -> None:
    def values(records: list[dict], column: str) -> set:
        return {record[column] for record in records}

    assert values(regional, "appointment_status") == STATUSES
    assert values(regional, "hcp_type") == HCP_TYPES
    assert values(regional, "appointment_mode") == MODES
    assert values(regional, "time_between_book_and_appointment") == LEAD_TIMES
    assert sorted(values(regional, "appointment_month")) == month_range("2020-01", "2022-06")
    assert values(durations, "actual_duration") == DURATIONS
    assert {parse_short_date(d) for d in values(durations, "appointment_date")} == date_range(
        dt.date(2021, 12, 1), dt.date(2022, 6, 30)
    )
    assert values(categories, "service_setting") == SETTINGS
    assert values(categories, "context_type") == CONTEXTS
    assert values(categories, "national_category") == CATEGORIES
    assert {as_date(d) for d in values(categories, "appointment_date")} == date_range(
        dt.date(2021, 8, 1), dt.date(2022, 6, 30)
    )


def test_dates_are_formatted_as_published(durations: list[dict], categories: list[dict]) -> None:
    assert all(re.fullmatch(r"\d\d-[A-Z][a-z]{2}-\d\d", r["appointment_date"]) for r in durations)
    for record in categories:
        assert isinstance(record["appointment_date"], dt.date), "not an Excel date cell"
        day = as_date(record["appointment_date"])
        assert record["appointment_month"] == f"{day.year:04d}-{day.month:02d}"


def test_national_category_context_rules(categories: list[dict]) -> None:
    for record in categories:
        setting, context, category = (
            record["service_setting"],
            record["context_type"],
            record["national_category"],
        )
        unmapped = {setting == "Unmapped", context == "Unmapped", category == "Unmapped"}
        assert len(unmapped) == 1
        assert (context == "Inconsistent Mapping") == (category == "Inconsistent Mapping")
        if category not in {"Unmapped", "Inconsistent Mapping"}:
            assert context == "Care Related Encounter"


def test_counts_are_positive_integers(
    regional: list[dict], durations: list[dict], categories: list[dict]
) -> None:
    for records in (regional, durations):
        assert all(re.fullmatch(r"[1-9]\d*", r["count_of_appointments"]) for r in records)
    for record in categories:
        count = record["count_of_appointments"]
        assert isinstance(count, int | float) and count == int(count) and count >= 1


def test_keys_are_unique_where_published_unique(
    regional: list[dict], durations: list[dict], categories: list[dict]
) -> None:
    category_keys = Counter(
        (
            r["appointment_date"],
            r["sub_icb_location_name"],
            r["service_setting"],
            r["context_type"],
            r["national_category"],
        )
        for r in categories
    )
    assert max(category_keys.values()) == 1
    duration_keys = Counter(
        (r["sub_icb_location_code"], r["appointment_date"], r["actual_duration"]) for r in durations
    )
    assert max(duration_keys.values()) == 1
    # The regional file lost its sub-ICB column, so its key repeats, as in the real file.
    regional_keys = Counter(tuple(list(r.values())[:6]) for r in regional)
    assert max(regional_keys.values()) > 1


def test_monthly_totals_reconcile(
    regional: list[dict], durations: list[dict], categories: list[dict]
) -> None:
    regional_months = monthly(regional, lambda r: r["appointment_month"])
    category_months = monthly(categories, lambda r: r["appointment_month"])
    duration_months = monthly(
        durations, lambda r: f"{parse_short_date(r['appointment_date']):%Y-%m}"
    )
    assert set(category_months) <= set(regional_months)
    for month, total in category_months.items():
        assert total == regional_months[month], month
    assert set(duration_months) <= set(category_months)
    for month, total in duration_months.items():
        assert 0 < total <= category_months[month], month


def test_sample_geography_is_real_and_small(durations: list[dict], categories: list[dict]) -> None:
    locations = {
        row["sub_icb_location_code"]: row for row in read_csv(SEEDS_DIR / "sub_icb_locations.csv")
    }
    icb_region = {
        row["icb_ons_code"]: row["region_ons_code"]
        for row in read_csv(SEEDS_DIR / "integrated_care_boards.csv")
    }
    used = {r["sub_icb_location_code"] for r in durations}
    assert 8 <= len(used) <= 15
    assert len({r["region_ons_code"] for r in durations}) >= 3
    for record in durations:
        seed = locations[record["sub_icb_location_code"]]
        assert record["sub_icb_location_ons_code"] == seed["sub_icb_location_ons_code"]
        assert record["sub_icb_location_name"] == seed["sub_icb_location_name"]
        assert record["icb_ons_code"] == seed["icb_ons_code"]
        assert record["region_ons_code"] == icb_region[seed["icb_ons_code"]]
    names = {seed["sub_icb_location_name"]: seed for seed in locations.values()}
    for record in categories:
        assert names[record["sub_icb_location_name"]]["icb_ons_code"] == record["icb_ons_code"]


def test_shapes_are_plausible(
    regional: list[dict], durations: list[dict], categories: list[dict]
) -> None:
    def shares(records: list[dict], column: str) -> dict[str, float]:
        totals: dict[str, int] = defaultdict(int)
        for record in records:
            totals[record[column]] += int(record["count_of_appointments"])
        grand = sum(totals.values())
        return {key: value / grand for key, value in totals.items()}

    status = shares(regional, "appointment_status")
    assert 0.03 <= status["DNA"] <= 0.06 and 0.03 <= status["Unknown"] <= 0.06
    lead = shares(regional, "time_between_book_and_appointment")
    assert lead["Same Day"] + lead["2 to 7 Days"] > 0.5
    assert lead["Unknown / Data Quality"] < 0.01
    by_month = monthly(regional, lambda r: r["appointment_month"])
    assert by_month["2020-04"] < 0.8 * by_month["2020-01"], "no Covid dip in spring 2020"
    band = shares(durations, "actual_duration")
    known = {k: v for k, v in band.items() if k != "Unknown / Data Quality"}
    assert sorted(known, key=known.get)[-2:] in (
        ["11-15 Minutes", "6-10 Minutes"],
        ["6-10 Minutes", "11-15 Minutes"],
        ["1-5 Minutes", "6-10 Minutes"],
    )
    setting = shares(categories, "service_setting")
    assert 0.85 <= setting["General Practice"] <= 0.95 and 0.02 <= setting["Unmapped"] <= 0.07

    holidays = {
        dt.date.fromisoformat(r["holiday_date"])
        for r in read_csv(SEEDS_DIR / "bank_holidays_england.csv")
    }
    per_day: dict[dt.date, int] = defaultdict(int)
    for record in categories:
        per_day[as_date(record["appointment_date"])] += int(record["count_of_appointments"])
    working = [v for d, v in per_day.items() if d.weekday() < 5 and d not in holidays]
    weekend = [v for d, v in per_day.items() if d.weekday() >= 5]
    bank = [v for d, v in per_day.items() if d in holidays]
    mean_working = sum(working) / len(working)
    assert bank and max(bank) < 0.1 * mean_working
    assert sum(weekend) / len(weekend) < 0.1 * mean_working


def test_tweets_look_like_the_published_file(tweets: list[dict[str, str]]) -> None:
    assert len({t["tweet_id"] for t in tweets}) == len(tweets)
    assert all(re.fullmatch(r"\d{19}", t["tweet_id"]) for t in tweets)
    assert any(t["tweet_full_text"].startswith("RT @") for t in tweets)
    assert any("\n" in t["tweet_full_text"] for t in tweets)
    assert any(t["tweet_entities_hashtags"] == "" for t in tweets)
    assert any(", #" in t["tweet_entities_hashtags"] for t in tweets)
    for tweet in tweets:
        text = tweet["tweet_full_text"]
        assert "synthetic" in text.lower()
        entities = ast.literal_eval(tweet["tweet_entities"])
        assert list(entities)[:4] == ["hashtags", "symbols", "user_mentions", "urls"]
        assert tweet["tweet_entities"].startswith("{'hashtags': [")
        for tag in entities["hashtags"]:
            start, end = tag["indices"]
            assert text[start:end] == f"#{tag['text']}"
        for mention in entities["user_mentions"]:
            start, end = mention["indices"]
            assert text[start:end] == f"@{mention['screen_name']}"
        joined = ", ".join(f"#{tag['text']}" for tag in entities["hashtags"])
        assert tweet["tweet_entities_hashtags"] == joined
        assert ast.literal_eval(tweet["tweet_metadata"]) == {
            "iso_language_code": "en",
            "result_type": "recent",
        }
        assert tweet["tweet_favorited"] in {"True", "False"}
        assert tweet["tweet_retweeted"] in {"True", "False"}
        assert int(tweet["tweet_retweet_count"]) >= 0 <= int(tweet["tweet_favorite_count"])
        assert tweet["tweet_lang"] == "en"


def test_regional_option_reconciles_and_skips_the_regional_file(
    tmp_path: Path, sample: Path
) -> None:
    doubled = tmp_path / "regional_in.csv"
    with (sample / "appointments_regional.csv").open(newline="", encoding="utf-8") as source:
        rows = list(csv.reader(source))
    with doubled.open("w", newline="", encoding="utf-8") as target:
        writer = csv.writer(target, lineterminator="\r\n")
        writer.writerow(rows[0])
        writer.writerows([*row[:-1], str(int(row[-1]) * 2)] for row in rows[1:])
    out = generate(tmp_path / "out", "--regional", str(doubled), "--only", "national_categories")
    assert sorted(p.name for p in out.iterdir()) == ["README_SYNTHETIC.txt", WORKBOOK]
    expected = monthly(read_csv(doubled), lambda r: r["appointment_month"])
    produced = monthly(workbook_records(out / WORKBOOK), lambda r: r["appointment_month"])
    assert produced == {month: expected[month] for month in produced}
    assert "regional_in.csv" not in (out / "README_SYNTHETIC.txt").read_text(encoding="utf-8")


def test_oversized_workbook_is_split_by_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: Path
) -> None:
    """An xlsx sheet holds 1,048,575 data rows; beyond that (10x scale) files split by month."""
    monkeypatch.setattr(writers, "MAX_SHEET_ROWS", 2_500)
    out = generate(tmp_path, "--only", "national_categories")
    parts = sorted(out.glob("national_categories_*.xlsx"))
    assert len(parts) >= 4 and not (out / WORKBOOK).exists()
    assert [p.name for p in parts][:2] == [
        "national_categories_01.xlsx",
        "national_categories_02.xlsx",
    ]
    months_seen: dict[str, str] = {}
    combined = []
    for part in parts:
        records = workbook_records(part)
        assert 0 < len(records) <= 2_500
        for month in {r["appointment_month"] for r in records}:
            assert months_seen.setdefault(month, part.name) == part.name, "month in two files"
        combined += records
    assert sorted(combined, key=repr) == sorted(workbook_records(sample / WORKBOOK), key=repr)
    readme = (out / "README_SYNTHETIC.txt").read_text(encoding="utf-8")
    assert all(part.name in readme for part in parts)


def test_rerunning_into_a_folder_keeps_labels_and_drops_stale_workbook_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = tmp_path / "national_categories_notes.xlsx"
    with monkeypatch.context() as patch:
        patch.setattr(writers, "MAX_SHEET_ROWS", 2_500)
        generate(tmp_path)
    stranger.write_bytes(b"not ours")
    generate(tmp_path, "--only", "national_categories")
    assert sorted(p.name for p in tmp_path.glob("national_categories*.xlsx")) == [
        "national_categories.xlsx",
        "national_categories_notes.xlsx",
    ]
    generate(tmp_path, "--only", "tweets")
    readme = (tmp_path / "README_SYNTHETIC.txt").read_text(encoding="utf-8")
    for name in (*CSV_FILES, WORKBOOK):
        assert name in readme, f"{name} lost its synthetic label"
    assert "national_categories_01.xlsx" not in readme
    assert stranger.name not in readme


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


def test_disagreeing_inputs_are_refused(tmp_path: Path, sample: Path) -> None:
    write_published_totals(tmp_path / "totals.csv", month_range("2021-08", "2022-06"))
    status = generator.main(
        [
            "--out",
            str(tmp_path / "out"),
            "--regional",
            str(sample / "appointments_regional.csv"),
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
