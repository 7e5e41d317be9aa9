"""The landing contract: files and columns, lineage, monthly drops, manifest, reuse, quarantine
and the all-or-nothing swap."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

from conftest import CATEGORIES, DURATION, REGIONAL, TWEETS, snapshot, write_csv, write_workbook

from scripts.paths import REPO_ROOT

LANDED = {
    "appointments_regional.csv": REGIONAL[0],
    "actual_duration.csv": DURATION[0],
    "national_categories.csv": CATEGORIES[0],
    "tweets.csv": TWEETS[0],
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# The publisher's sources are optional: without their files they land a header only.
PUBLISHER_LANDED = {
    "publisher_regional.csv": "sub_icb_location_code,sub_icb_location_ons_code,"
    "sub_icb_location_name,area_ons_code,area_name,region_ons_code,region_name,appointment_month,"
    "appointment_status,hcp_type,appointment_mode,time_between_book_and_appointment,"
    "count_of_appointments,source_file,source_row\n",
    "practice_coverage.csv": "sub_icb_location_code,icb_ons_code,region_ons_code,"
    "appointment_month,included_practices,open_practices,patients_at_included_practices,"
    "patients_at_open_practices,source_file,source_row\n",
    "publisher_daily.csv": "sub_icb_location_code,sub_icb_location_ons_code,"
    "sub_icb_location_name,icb_ons_code,region_ons_code,appointment_date,appointment_status,"
    "hcp_type,appointment_mode,time_between_book_and_appointment,count_of_appointments,"
    "source_file,source_row\n",
    "publisher_national_categories.csv": "sub_icb_location_code,sub_icb_location_ons_code,"
    "sub_icb_location_name,icb_ons_code,region_ons_code,appointment_date,service_setting,"
    "context_type,national_category,count_of_appointments,source_file,source_row\n",
    "publisher_actual_duration.csv": "sub_icb_location_code,sub_icb_location_ons_code,"
    "sub_icb_location_name,icb_ons_code,region_ons_code,appointment_date,actual_duration,"
    "count_of_appointments,source_file,source_row\n",
}


def test_landing_contract(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert sorted(p.name for p in landing_dir.iterdir()) == sorted(
        [*LANDED, *PUBLISHER_LANDED, "rejects.csv", "manifest.json"]
    )
    for name, text in PUBLISHER_LANDED.items():
        assert (landing_dir / name).read_text(encoding="utf-8") == text
    for name, raw_header in LANDED.items():
        with (landing_dir / name).open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle))
        assert header == [*raw_header, "source_file", "source_row"]
    assert (landing_dir / "rejects.csv").read_text(encoding="utf-8") == (
        "source_name,source_file,source_row,column_name,bad_value,reason\n"
    )
    durations = _rows(landing_dir / "actual_duration.csv")
    assert [list(row.values()) for row in durations] == [
        [*row, "actual_duration.csv", str(line)] for line, row in enumerate(DURATION[1:], 2)
    ]


def test_manifest_describes_each_raw_file(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    assert run_loader(raw_dir, landing_dir).code == 0
    manifest = json.loads((landing_dir / "manifest.json").read_text(encoding="utf-8"))
    files = {entry["file"]: entry for entry in manifest["files"]}
    assert set(files) == {
        "appointments_regional.csv",
        "actual_duration.csv",
        "national_categories.xlsx",
        "tweets.csv",
    }
    workbook = files["national_categories.xlsx"]
    raw = raw_dir / "national_categories.xlsx"
    assert workbook["sha256"] == hashlib.sha256(raw.read_bytes()).hexdigest()
    assert workbook["size_bytes"] == raw.stat().st_size
    assert workbook["rows"] == 3
    assert workbook["landed_file"] == "national_categories.csv"
    assert workbook["sheet"] == "Sheet1"
    assert workbook["path"] == str(raw.resolve())
    for key in ("checked_at", "loader_version", "duration_seconds"):
        assert workbook[key]
    assert files["appointments_regional.csv"]["rows"] == 5


def test_unchanged_input_is_reused(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    assert run_loader(raw_dir, landing_dir).code == 0
    first = snapshot(landing_dir)
    again = run_loader(raw_dir, landing_dir)
    assert again.code == 0
    # the four course sources and the five optional publisher sources (no files, header only)
    assert again.err.count("unchanged, reused") == 9
    assert snapshot(landing_dir) == first | {
        "manifest.json": snapshot(landing_dir)["manifest.json"]
    }

    rows = [list(row) for row in DURATION]
    rows[1][7] = "365"
    write_csv(raw_dir / "actual_duration.csv", rows)
    changed = run_loader(raw_dir, landing_dir)
    assert changed.code == 0
    assert "\nactual_duration: unchanged" not in "\n" + changed.err
    assert changed.err.count("unchanged, reused") == 8
    assert _rows(landing_dir / "actual_duration.csv")[0]["count_of_appointments"] == "365"


def test_reuse_needs_the_landed_file(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    assert run_loader(raw_dir, landing_dir).code == 0
    (landing_dir / "tweets.csv").write_text("tampered\n", encoding="utf-8")
    again = run_loader(raw_dir, landing_dir)
    assert again.code == 0
    assert "tweets: unchanged" not in again.err
    assert len(_rows(landing_dir / "tweets.csv")) == 2


def test_monthly_drop_is_combined_with_lineage(run_loader, raw_dir, landing_dir) -> None:
    january = [REGIONAL[0], *REGIONAL[1:5]]
    february = [REGIONAL[0], REGIONAL[5], [*REGIONAL[5][:6], "7"]]
    (raw_dir / "appointments_regional.csv").unlink()
    write_csv(raw_dir / "appointments_regional_2020-01.csv", january)
    write_csv(raw_dir / "appointments_regional_2020-02.csv", february)
    rows = [list(row) for row in CATEGORIES]
    write_workbook(raw_dir / "national_categories.xlsx", rows[:3])
    write_workbook(raw_dir / "national_categories_2021-09.xlsx", [rows[0], rows[3]])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    landed = _rows(landing_dir / "appointments_regional.csv")
    assert [(row["source_file"], row["source_row"]) for row in landed] == [
        ("appointments_regional_2020-01.csv", "2"),
        ("appointments_regional_2020-01.csv", "3"),
        ("appointments_regional_2020-01.csv", "4"),
        ("appointments_regional_2020-01.csv", "5"),
        ("appointments_regional_2020-02.csv", "2"),
        ("appointments_regional_2020-02.csv", "3"),
    ]
    categories = _rows(landing_dir / "national_categories.csv")
    assert [(row["source_file"], row["source_row"]) for row in categories] == [
        ("national_categories.xlsx", "2"),
        ("national_categories.xlsx", "3"),
        ("national_categories_2021-09.xlsx", "2"),
    ]


def test_month_arriving_twice(raw_dir: Path, rejected) -> None:
    write_csv(raw_dir / "appointments_regional_2020-02_resend.csv", [REGIONAL[0], REGIONAL[5]])
    rejected(
        "appointments_regional_2020-02_resend.csv line 2, column appointment_month: got '2020-02'",
        "month 2020-02 is also in appointments_regional.csv (first at appointments_regional.csv "
        "line 6)",
    )


def test_workbook_month_arriving_twice(raw_dir: Path, rejected) -> None:
    write_workbook(raw_dir / "national_categories_again.xlsx", [CATEGORIES[0], CATEGORIES[3]])
    rejected(
        "national_categories_again.xlsx sheet 'Sheet1' row 2, column appointment_month",
        "month 2021-09 is also in national_categories.xlsx",
    )


def test_tweet_in_two_files(raw_dir: Path, rejected) -> None:
    write_csv(raw_dir / "tweets_more.csv", [TWEETS[0], TWEETS[2]], line_end="\n")
    rejected("tweets_more.csv line 2, column (tweet_id)", "first appears at tweets.csv line 5")


def test_exact_repeat_is_quarantined(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    write_csv(raw_dir / "actual_duration.csv", [*DURATION, DURATION[2]])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert "1 rows quarantined" in result.out
    landed = _rows(landing_dir / "actual_duration.csv")
    assert [row["source_row"] for row in landed] == ["2", "3", "4"]
    (reject,) = _rows(landing_dir / "rejects.csv")
    assert reject == {
        "source_name": "actual_duration",
        "source_file": "actual_duration.csv",
        "source_row": "5",
        "column_name": "(all columns)",
        "bad_value": ",".join(DURATION[2]),
        "reason": "exact duplicate of line 3 of the same file; the first occurrence is landed",
    }
    manifest = json.loads((landing_dir / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["files"] if e["file"] == "actual_duration.csv")
    assert (entry["rows"], entry["quarantined_rows"]) == (3, 1)

    # A reused source keeps its rejects.
    again = run_loader(raw_dir, landing_dir)
    assert "actual_duration: unchanged, reused" in again.err
    assert len(_rows(landing_dir / "rejects.csv")) == 1


def test_rejects_limit(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    write_csv(raw_dir / "actual_duration.csv", [*DURATION, DURATION[1], DURATION[2]])
    result = run_loader(raw_dir, landing_dir, "--rejects-limit", "1")
    assert result.code == 2
    # Each quarantined row is named by file and line, with the line it repeats.
    for line, repeats in ((len(DURATION) + 1, 2), (len(DURATION) + 2, 3)):
        assert f"actual_duration.csv line {line}: got " in result.err, result.err
        assert (
            f"(this one repeats line {repeats}); at most 1 quarantined row(s) are allowed "
            "(--rejects-limit), and 2 rows repeat an earlier row exactly" in result.err
        ), result.err
    assert not landing_dir.exists()


def test_failed_load_leaves_no_landing_behind(run_loader, raw_dir, landing_dir) -> None:
    (raw_dir / "tweets.csv").write_bytes(b"")
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 2
    assert not landing_dir.exists()
    assert [p.name for p in landing_dir.parent.iterdir()] == ["raw"]


def test_landing_of_a_load_killed_mid_swap_is_restored(run_loader, raw_dir, landing_dir) -> None:
    assert run_loader(raw_dir, landing_dir).code == 0
    before = snapshot(landing_dir)
    dead_pid = 2**22 + 7  # above the default pid_max, so no such process
    landing_dir.rename(landing_dir.with_name(f".{landing_dir.name}.old-{dead_pid}"))
    (landing_dir.parent / f".{landing_dir.name}.new-{dead_pid}-x").mkdir()
    (raw_dir / "tweets.csv").write_bytes(b"")
    assert run_loader(raw_dir, landing_dir).code == 2
    assert snapshot(landing_dir) == before
    assert sorted(p.name for p in landing_dir.parent.iterdir()) == ["landing", "raw"]


def test_foreign_files_in_landing_are_kept(run_loader, raw_dir, landing_dir) -> None:
    assert run_loader(raw_dir, landing_dir).code == 0
    (landing_dir / "provenance.csv").write_text("source_name\n", encoding="utf-8")
    (raw_dir / "tweets.csv").touch()
    write_csv(raw_dir / "tweets.csv", TWEETS[:2], line_end="\n")
    assert run_loader(raw_dir, landing_dir).code == 0
    assert (landing_dir / "provenance.csv").read_text(encoding="utf-8") == "source_name\n"
    assert len(_rows(landing_dir / "tweets.csv")) == 1


def test_landing_with_subfolders_is_refused(run_loader, raw_dir, landing_dir) -> None:
    (landing_dir / "keep").mkdir(parents=True)
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 2
    assert "holds sub-folders (keep)" in result.err
    assert (landing_dir / "keep").is_dir()


def test_landing_inside_raw_is_refused(run_loader, raw_dir: Path) -> None:
    before = snapshot(raw_dir)
    result = run_loader(raw_dir, raw_dir / "landing")
    assert result.code == 2
    assert "must be separate folders" in result.err
    assert snapshot(raw_dir) == before


def test_missing_raw_dir(run_loader, tmp_path: Path, landing_dir: Path) -> None:
    result = run_loader(tmp_path / "nowhere", landing_dir)
    assert result.code == 2
    assert "nowhere: a folder holding the raw files" in result.err


def test_cli_help_and_exit_code(raw_dir: Path, landing_dir: Path) -> None:
    help_text = subprocess.run(
        [sys.executable, "-m", "scripts.loader.load", "--help"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--rejects-limit N" in help_text
    assert "Quarantine rule" in help_text
    (raw_dir / "appointments_regional.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    failed = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.loader.load",
            "--raw-dir",
            raw_dir,
            "--landing-dir",
            landing_dir,
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert "appointments_regional.csv line 1" in failed.stderr
