"""Tests of the synthetic data generator (scripts/synthetic/generate.py).

The generated files are read back with csv and python-calamine and checked against the
published layouts and the documented facts of the real data, not against the generator's own
constants.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from conftest import DURATION, REGIONAL, TWEETS, assert_succeeded, run_child
from generated_files import (
    CSV_FILES,
    WORKBOOK,
    WORKBOOK_HEADER,
    as_date,
    date_range,
    generate,
    month_range,
    monthly,
    read_csv,
    read_workbook,
    workbook_records,
)

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR
from scripts.synthetic import writers

SEEDS_DIR = REPO_ROOT / "seeds"

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
# The published CSV headers, from the hand-written fixture files (independent of the generator).
HEADERS = {
    name: ",".join(rows[0])
    for name, rows in (
        ("appointments_regional.csv", REGIONAL),
        ("actual_duration.csv", DURATION),
        ("tweets.csv", TWEETS),
    )
}
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


def parse_short_date(text: str) -> dt.date:
    day, month, year = text.split("-")
    return dt.date(2000 + int(year), MONTH_ABBREVIATIONS.index(month) + 1, int(day))


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
    for command, usage in (
        (
            [sys.executable, "-m", "scripts.synthetic.generate", "--help"],
            "usage: python -m scripts.synthetic.generate ",
        ),
        ([str(Path(sys.executable).with_name("nhs")), "sample", "--help"], "usage: nhs sample "),
        (
            [sys.executable, str(REPO_ROOT / "scripts" / "synthetic" / "generate.py"), "--help"],
            "usage: python -m scripts.synthetic.generate ",
        ),
    ):
        result = assert_succeeded(run_child(command))
        assert result.stdout.startswith(usage), result.stdout
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
