"""Shared pytest helpers: tiny raw NHS files in the published layouts, a loader runner, and
whole builds run as a child process with what they publish.

The fixtures are a handful of rows each (fast), written the way the NHS hands them over:
CRLF CSVs without quotes, tweets with quoted newlines, and a workbook with real date cells.
The embedded sample is built once per session (sample_warehouse): tests that only read it use it
as it is, tests that change a warehouse copy it, and only tests whose build must differ (other
inputs, another build to compare) build their own with build_sample.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest
import xlsxwriter

from scripts.build.provenance import PROVENANCE_FILE
from scripts.loader.landing_manifest import MANIFEST_NAME
from scripts.loader.load import REJECTS_NAME
from scripts.loader.raw_inputs import ALL_SOURCES
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

REGIONAL = [
    [
        "icb_ons_code",
        "appointment_month",
        "appointment_status",
        "hcp_type",
        "appointment_mode",
        "time_between_book_and_appointment",
        "count_of_appointments",
    ],
    ["E54000034", "2020-01", "Attended", "GP", "Face-to-Face", "1 Day", "8107"],
    ["E54000034", "2020-01", "Attended", "GP", "Face-to-Face", "15  to 21 Days", "6791"],
    ["E54000034", "2020-01", "DNA", "Other Practice staff", "Telephone", "Same Day", "12"],
    # The same key again with the same count: legitimate (the sub-ICB column was dropped).
    ["E54000034", "2020-01", "DNA", "Other Practice staff", "Telephone", "Same Day", "12"],
    ["E54000050", "2020-02", "Unknown", "Unknown", "Video/Online", "Unknown / Data Quality", "5"],
]

NAME_00L = "NHS North East and North Cumbria ICB - 00L"
NAME_00N = "NHS North East and North Cumbria ICB - 00N"
DURATION = [
    [
        "sub_icb_location_code",
        "sub_icb_location_ons_code",
        "sub_icb_location_name",
        "icb_ons_code",
        "region_ons_code",
        "appointment_date",
        "actual_duration",
        "count_of_appointments",
    ],
    ["00L", "E38000130", NAME_00L, "E54000050", "E40000012", "01-Dec-21", "31-60 Minutes", "364"],
    ["00L", "E38000130", NAME_00L, "E54000050", "E40000012", "01-Dec-21", "1-5 Minutes", "619"],
    [
        "00N",
        "E38000163",
        NAME_00N,
        "E54000050",
        "E40000012",
        "02-Dec-21",
        "Unknown / Data Quality",
        "1277",
    ],
]

CATEGORIES = [
    [
        "appointment_date",
        "icb_ons_code",
        "sub_icb_location_name",
        "service_setting",
        "context_type",
        "national_category",
        "count_of_appointments",
        "appointment_month",
    ],
    [
        dt.date(2021, 8, 2),
        "E54000050",
        NAME_00L,
        "General Practice",
        "Care Related Encounter",
        "Planned Clinics",
        938,
        "2021-08",
    ],
    [
        dt.date(2021, 8, 2),
        "E54000050",
        NAME_00L,
        "Primary Care Network",
        "Care Related Encounter",
        "Care Home Visit",
        17,
        "2021-08",
    ],
    [dt.date(2021, 9, 1), "E54000050", NAME_00N, "Unmapped", "Unmapped", "Unmapped", 3, "2021-09"],
]

TWEETS = [
    [
        "tweet_id",
        "tweet_full_text",
        "tweet_entities",
        "tweet_entities_hashtags",
        "tweet_metadata",
        "tweet_retweet_count",
        "tweet_favorite_count",
        "tweet_favorited",
        "tweet_retweeted",
        "tweet_lang",
    ],
    [
        "1567629223795527681",
        "Stroke care, now:\n\nJoin us #Healthcare",
        "{'hashtags': [{'text': 'Healthcare', 'indices': [253, 264]}], 'symbols': []}",
        "#Healthcare",
        "{'iso_language_code': 'en', 'result_type': 'recent'}",
        "0",
        "0",
        "False",
        "False",
        "en",
    ],
    [
        "1567582846612553728",
        'RT @someone: "quoted" words',
        "{'hashtags': [], 'symbols': [], 'urls': []}",
        "",
        "{'iso_language_code': 'en', 'result_type': 'recent'}",
        "2",
        "1",
        "False",
        "False",
        "en",
    ],
]


def write_csv(
    path: Path,
    rows: Iterable[Sequence[str]],
    line_end: str = "\r\n",
    encoding: str = "utf-8",
    delimiter: str = ",",
) -> Path:
    """Write rows as the NHS does: minimal quoting, CRLF by default."""
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=delimiter, lineterminator=line_end).writerows(rows)
    return path


def write_workbook(
    path: Path,
    rows: Sequence[Sequence[object]],
    sheet: str = "Sheet1",
    sheets_before: Sequence[str] = (),
    first_row: int = 0,
) -> Path:
    """Write rows to an xlsx, dates as real date cells, optionally after other (empty) sheets."""
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name in sheets_before:
        workbook.add_worksheet(name)
    worksheet = workbook.add_worksheet(sheet)
    for row_index, row in enumerate(rows, start=first_row):
        for column_index, value in enumerate(row):
            if isinstance(value, dt.date):
                worksheet.write_datetime(row_index, column_index, value, date_format)
            elif isinstance(value, str):
                worksheet.write_string(row_index, column_index, value)
            else:
                worksheet.write(row_index, column_index, value)
    workbook.close()
    return path


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A folder with one small, valid file per source."""
    folder = tmp_path / "raw"
    folder.mkdir()
    write_csv(folder / "appointments_regional.csv", REGIONAL)
    write_csv(folder / "actual_duration.csv", DURATION)
    write_workbook(folder / "national_categories.xlsx", CATEGORIES)
    write_csv(folder / "tweets.csv", TWEETS, line_end="\n")
    return folder


@pytest.fixture
def landing_dir(tmp_path: Path) -> Path:
    return tmp_path / "landing"


@dataclass
class Run:
    code: int
    out: str
    err: str


def snapshot(folder: Path) -> dict[str, str]:
    """Name -> sha256 of every file in a folder (empty when it does not exist)."""
    if not folder.is_dir():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def run_loader(capsys: pytest.CaptureFixture[str]):
    """Call the loader's CLI entry point and capture what it printed."""
    from scripts.loader import load as load_raw

    def run(raw: Path, landing: Path, *extra: str) -> Run:
        code = load_raw.main(["--raw-dir", str(raw), "--landing-dir", str(landing), *extra])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def rejected(run_loader, raw_dir: Path, landing_dir: Path):
    """Land the good files, then run again on raw_dir as the test broke it: the run must fail
    with exit 2, say every fragment given, and leave the first landing byte for byte intact."""

    state: dict[str, dict[str, str]] = {}
    first = run_loader(raw_dir, landing_dir)
    assert first.code == 0, first.err
    state["before"] = snapshot(landing_dir)

    def check(*fragments: str) -> str:
        result = run_loader(raw_dir, landing_dir)
        assert result.code == 2, result.out + result.err
        for fragment in fragments:
            assert fragment in result.err, f"{fragment!r} not in:\n{result.err}"
        assert snapshot(landing_dir) == state["before"]
        leftovers = [p.name for p in landing_dir.parent.iterdir() if p.name.startswith(".")]
        assert leftovers == [], leftovers
        return result.err

    return check


# Marts that are rightly empty on the embedded sample: its raw files are clean (nothing was
# quarantined) and it holds no practice-coverage file (the publisher's, not a course file).
MARTS_EMPTY_ON_CLEAN_INPUT = frozenset({"data_quality_rejects", "fct_practice_coverage_monthly"})

# Every table of the marts schema, by name (all the marts are tables).
MART_TABLES_SQL = (
    "select table_name from information_schema.tables "
    "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
)


def child_env() -> dict[str, str]:
    """The environment a script runs in as a child process, as the Makefile sets it."""
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def script_command(module: str, *args: object) -> list[str]:
    """The command that runs `python -m module args...` with this interpreter."""
    return [sys.executable, "-m", module, *(str(arg) for arg in args)]


def build_command(raw_dir: Path, warehouse: Path) -> list[str]:
    return script_command("scripts.build.pipeline", "--raw-dir", raw_dir, "--warehouse", warehouse)


def run_child(command: list[str]) -> subprocess.CompletedProcess[str]:
    """Run command from the repository root in child_env(), capturing its output as text."""
    return subprocess.run(
        command, cwd=REPO_ROOT, env=child_env(), capture_output=True, text=True, check=False
    )


def run_script(module: str, *args: object) -> subprocess.CompletedProcess[str]:
    return run_child(script_command(module, *args))


def run_build(raw_dir: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    return run_child(build_command(raw_dir, warehouse))


def assert_succeeded(
    result: subprocess.CompletedProcess[str], tail: int = 3000
) -> subprocess.CompletedProcess[str]:
    """Fail with the end of the child's output unless it exited 0."""
    assert result.returncode == 0, result.stdout[-tail:] + result.stderr[-tail:]
    return result


def build_sample(warehouse: Path) -> Path:
    """Build the embedded sample into warehouse, failing the test when the build fails."""
    assert_succeeded(run_build(SAMPLE_RAW_DIR, warehouse))
    return warehouse


@pytest.fixture(scope="session")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The embedded sample, built once for the session. Tests read it or copy it and never
    change it (a report may be written beside it)."""
    return build_sample(tmp_path_factory.mktemp("sample") / "nhs.duckdb")


@pytest.fixture(scope="session")
def real_warehouse() -> Path:
    """The warehouse `make dbt-real` builds from the real files (warehouse/ci/real.duckdb), built
    by the same command. In `make test` dbt-real has just built it, so this build finds it up to
    date (its fingerprint covers the raw files, the dbt project and the build code) and returns
    at once; run on its own, it builds it. Tests read it or copy it and never change it. Only
    for modules that are skipped without the real files."""
    from scripts.build.real_data import DEFAULT_WAREHOUSE

    result = run_script("scripts.build.real_data", "--warehouse", DEFAULT_WAREHOUSE)
    assert_succeeded(result, tail=4000)
    assert DEFAULT_WAREHOUSE.exists(), result.stderr[-4000:]
    return DEFAULT_WAREHOUSE


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# What an uninterrupted build leaves beside its warehouse nhs.duckdb, and nothing else (see
# scripts/build/temporary_files.py): the landing holds one file per source, whether or not the
# raw folder had files of that source, plus the loader's and the build's own files.
BUILD_LEAVES = {
    ".": {"nhs.duckdb", "nhs_dbt", "nhs_landing"},
    "nhs_dbt": {"build.lock", "published.json", "target"},
    "nhs_landing": {spec.landed_file for spec in ALL_SOURCES}
    | {REJECTS_NAME, MANIFEST_NAME, PROVENANCE_FILE},
}


def temporary_files(folder: Path) -> list[str]:
    """What is in the folder of a warehouse nhs.duckdb that a finished build would not leave."""
    found = []
    for subfolder, kept in BUILD_LEAVES.items():
        if (folder / subfolder).is_dir():
            found += [
                str(path.relative_to(folder))
                for path in (folder / subfolder).iterdir()
                if path.name not in kept
            ]
    return sorted(found)


def mart_names(connection: Any) -> list[str]:
    """The marts' table names, through an open DuckDB connection."""
    return [name for (name,) in connection.execute(MART_TABLES_SQL).fetchall()]


MartRows = dict[str, tuple[list[str], list[tuple[Any, ...]]]]


def all_mart_rows(warehouse: Path) -> MartRows:
    """Every marts table: its column names and all its rows, sorted by every column."""
    contents: MartRows = {}
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for name in mart_names(connection):
            cursor = connection.execute(f'select * from marts."{name}" order by all')
            rows = cursor.fetchall()
            columns = [column[0] for column in cursor.description]
            contents[name] = (columns, rows)
    return contents


# A row's ICB code that is well formed (so the loader accepts it) but names no ICB, so dbt's
# relationships test from stg_nhs__regional_appointments to the integrated_care_boards seed fails.
UNKNOWN_ICB = "E54999999"


def change_first_regional_row(sample: Path, target: Path, column_name: str, value: str) -> Path:
    """A copy of the sample whose first regional row holds value in column_name."""
    shutil.copytree(sample, target)
    regional = sorted(target.glob("appointments_regional*.csv"))[0]
    with regional.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    rows[1][rows[0].index(column_name)] = value
    with regional.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    return target


def break_one_icb_code(sample: Path, target: Path) -> Path:
    """A copy of the sample whose first regional row names an ICB that does not exist."""
    return change_first_regional_row(sample, target, "icb_ons_code", UNKNOWN_ICB)


@pytest.fixture(scope="session")
def broken_raw_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return break_one_icb_code(SAMPLE_RAW_DIR, tmp_path_factory.mktemp("broken") / "raw")
