"""The loader refuses bad raw CSVs with a message naming file, line, column, value and
expectation, and leaves the previous landing untouched (the ``rejected`` fixture checks that)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import DURATION, NAME_00L, REGIONAL, TWEETS, write_csv

from scripts.loader import raw_bytes


@pytest.fixture(autouse=True, params=["whole file", "16-byte reads"])
def read_size(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every check twice: the files read at once, and read 16 bytes at a time, so that piece
    boundaries fall inside lines, on blank lines and beside bad bytes (a 10x file is read in
    pieces of raw_bytes.CHUNK_BYTES)."""
    if request.param == "16-byte reads":
        monkeypatch.setattr(raw_bytes, "CHUNK_BYTES", 16)


def _regional(raw_dir: Path, rows: list[list[str]], **kwargs) -> None:
    write_csv(raw_dir / "appointments_regional.csv", rows, **kwargs)


def _landed(landing_dir: Path, name: str) -> list[dict[str, str]]:
    with (landing_dir / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_missing_file(raw_dir: Path, rejected) -> None:
    (raw_dir / "actual_duration.csv").unlink()
    rejected("actual_duration*.csv", "none found")


def test_empty_file(raw_dir: Path, rejected) -> None:
    (raw_dir / "appointments_regional.csv").write_bytes(b"")
    rejected("appointments_regional.csv", "the file is empty")


def test_header_only(raw_dir: Path, rejected) -> None:
    _regional(raw_dir, REGIONAL[:1])
    rejected("appointments_regional.csv", "the file has a header only")


def test_required_column_missing(raw_dir: Path, rejected) -> None:
    _regional(raw_dir, [row[:3] + row[4:] for row in REGIONAL])
    rejected(
        "appointments_regional.csv line 1, column hcp_type",
        "required column(s) hcp_type missing",
        "columns found: icb_ons_code, appointment_month, appointment_status, appointment_mode",
    )


def test_renamed_column(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in DURATION]
    rows[0][7] = "appointments"
    write_csv(raw_dir / "actual_duration.csv", rows)
    rejected(
        "actual_duration.csv line 1, column count_of_appointments",
        "missing",
        "columns found: sub_icb_location_code",
        "appointments",
    )


def test_extra_columns_are_reported_and_dropped(run_loader, raw_dir, landing_dir) -> None:
    _regional(raw_dir, [[*row, "note" if i == 0 else "x"] for i, row in enumerate(REGIONAL)])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert "appointments_regional.csv: extra column(s) dropped: note" in result.out
    landed = _landed(landing_dir, "appointments_regional.csv")
    assert list(landed[0]) == [*REGIONAL[0], "source_file", "source_row"]


def test_reordered_columns_land_in_canonical_order(run_loader, raw_dir, landing_dir) -> None:
    order = [6, 0, 5, 1, 4, 2, 3]
    _regional(raw_dir, [[row[i] for i in order] for row in REGIONAL])
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    landed = _landed(landing_dir, "appointments_regional.csv")
    assert [list(row.values())[:7] for row in landed] == REGIONAL[1:]


def test_other_delimiter(raw_dir: Path, rejected) -> None:
    _regional(raw_dir, REGIONAL, delimiter=";")
    rejected("appointments_regional.csv line 1", "delimiter or header is wrong", "semicolon")


def test_non_utf8_bytes(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in DURATION]
    rows[2][2] = "NHS Caf\u00e9 ICB - 00L"
    write_csv(raw_dir / "actual_duration.csv", rows, encoding="latin-1")
    rejected(
        "actual_duration.csv line 3, column sub_icb_location_name",
        "got 'NHS Caf\ufffd ICB - 00L', expected UTF-8 text, but byte(s) E9 are not UTF-8",
    )


def test_bom_is_tolerated(run_loader, raw_dir: Path, landing_dir: Path) -> None:
    _regional(raw_dir, REGIONAL, encoding="utf-8-sig")
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert _landed(landing_dir, "appointments_regional.csv")[0]["icb_ons_code"] == "E54000034"


@pytest.mark.parametrize("bad", ["", "-5", "12.5", "twelve", "1,234"])
def test_bad_count(raw_dir: Path, rejected, bad: str) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[3][6] = bad
    _regional(raw_dir, rows)
    rejected(
        f"appointments_regional.csv line 4, column count_of_appointments: got {bad!r}, "
        "expected a non-negative whole number"
    )


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("31-Feb-22", "expected a valid date written DD-Mon-YY (e.g. 01-Dec-21)"),
        ("2021-12-01", "expected a valid date written DD-Mon-YY"),
        ("01-Dec-99", "expected a date between 01-Jan-15 and 31-Dec-30"),
    ],
)
def test_bad_date(raw_dir: Path, rejected, bad: str, expected: str) -> None:
    rows = [list(row) for row in DURATION]
    rows[2][5] = bad
    write_csv(raw_dir / "actual_duration.csv", rows)
    rejected(f"actual_duration.csv line 3, column appointment_date: got {bad!r}, {expected}")


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("2020-13", "a valid month written YYYY-MM"),
        ("Jan-20", "a valid month written YYYY-MM"),
        ("2014-12", "a date between 2015-01 and 2030-12"),
    ],
)
def test_bad_month(raw_dir: Path, rejected, bad: str, expected: str) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[5][1] = bad
    _regional(raw_dir, rows)
    rejected(
        f"appointments_regional.csv line 6, column appointment_month: got {bad!r}, "
        f"expected {expected}"
    )


def test_unknown_category(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[2][2] = "Cancelled"
    _regional(raw_dir, rows)
    rejected(
        "appointments_regional.csv line 3, column appointment_status: got 'Cancelled', "
        "expected one of 'Attended', 'DNA', 'Unknown'"
    )


def test_bad_code(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[1][0] = "E38000034"
    _regional(raw_dir, rows)
    rejected("line 2, column icb_ons_code: got 'E38000034', expected an ICB ONS code")


def test_label_spacing_and_hcp_case_are_accepted(run_loader, raw_dir, landing_dir) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[1][5] = " 8   to 14  Days"
    rows[3][3] = "Other Practice Staff"
    _regional(raw_dir, rows)
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    landed = _landed(landing_dir, "appointments_regional.csv")
    # Landed as raw text: staging owns the normalisation.
    assert landed[0]["time_between_book_and_appointment"] == " 8   to 14  Days"
    assert landed[2]["hcp_type"] == "Other Practice Staff"


def test_status_is_case_sensitive(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[1][2] = "attended"
    _regional(raw_dir, rows)
    rejected("line 2, column appointment_status: got 'attended'")


def test_repeated_regional_keys_are_all_landed(run_loader, raw_dir, landing_dir) -> None:
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    landed = _landed(landing_dir, "appointments_regional.csv")
    assert [row["source_row"] for row in landed] == ["2", "3", "4", "5", "6"]
    assert landed[2] | {"source_row": "5"} == landed[3]


def test_duplicate_natural_key(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in DURATION]
    rows.append([*rows[1][:7], "999"])
    write_csv(raw_dir / "actual_duration.csv", rows)
    rejected(
        "actual_duration.csv line 5, column (sub_icb_location_code, appointment_date, "
        "actual_duration): got '00L | 01-Dec-21 | 31-60 Minutes'",
        "it first appears at actual_duration.csv line 2",
    )


def test_duplicate_key_spelled_differently(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in DURATION]
    rows.append([*rows[1][:6], "31-60  Minutes", "364"])
    write_csv(raw_dir / "actual_duration.csv", rows)
    rejected("actual_duration.csv line 5", "first appears at actual_duration.csv line 2")


def test_name_must_end_with_its_code(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in DURATION]
    rows[3][2] = NAME_00L
    write_csv(raw_dir / "actual_duration.csv", rows)
    rejected(
        f"actual_duration.csv line 4, column sub_icb_location_name: got {NAME_00L!r}, "
        "expected a name ending in ' - 00N'"
    )


def test_ragged_line(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in REGIONAL]
    rows[4] = rows[4] + ["extra"]
    _regional(raw_dir, rows)
    rejected(
        "appointments_regional.csv line 5", "7 comma-separated values as in the header, found 8"
    )


def test_blank_lines_are_skipped_and_lines_still_count(run_loader, raw_dir, landing_dir) -> None:
    lines = [",".join(row) for row in REGIONAL]
    text = "\r\n".join([*lines[:3], "", *lines[3:]]) + "\r\n\r\n"
    (raw_dir / "appointments_regional.csv").write_text(text, encoding="utf-8", newline="")
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    assert "2 blank row(s) skipped" in result.out
    landed = _landed(landing_dir, "appointments_regional.csv")
    assert [row["source_row"] for row in landed] == ["2", "3", "5", "6", "7"]


def test_unterminated_quote(raw_dir: Path, rejected) -> None:
    with (raw_dir / "tweets.csv").open("a", encoding="utf-8", newline="") as handle:
        handle.write('1567582720460570625,"never closed,{},,{},0,0,False,False,en\n')
    rejected(
        "tweets.csv line 6, column tweet_full_text",
        "got '1567582720460570625,\"never closed",
        "unterminated quote",
    )


def test_quoted_newlines_keep_their_line_numbers(run_loader, raw_dir, landing_dir) -> None:
    result = run_loader(raw_dir, landing_dir)
    assert result.code == 0, result.err
    landed = _landed(landing_dir, "tweets.csv")
    assert [row["source_row"] for row in landed] == ["2", "5"]
    assert landed[0]["tweet_full_text"] == TWEETS[1][1]
    assert landed[1]["tweet_full_text"] == TWEETS[2][1]
    assert landed[1]["tweet_entities_hashtags"] == ""


def test_tweet_entities_must_be_a_python_dict(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in TWEETS]
    rows[2][2] = '{"hashtags": [], "broken": }'
    write_csv(raw_dir / "tweets.csv", rows, line_end="\n")
    rejected("tweets.csv line 5, column tweet_entities", "expected a Python dict literal")


def test_tweet_boolean(raw_dir: Path, rejected) -> None:
    rows = [list(row) for row in TWEETS]
    rows[1][7] = "yes"
    write_csv(raw_dir / "tweets.csv", rows, line_end="\n")
    rejected("tweets.csv line 2, column tweet_favorited: got 'yes', expected one of 'True'")


def test_many_problems_show_twenty_and_count_all(raw_dir: Path, rejected) -> None:
    rows = [REGIONAL[0]] + [[*REGIONAL[1][:6], "-1"] for _ in range(30)]
    _regional(raw_dir, rows)
    message = rejected("... and 10 more problem(s) not shown", "30 problem(s) in total")
    assert message.count("expected a non-negative whole number") == 20
