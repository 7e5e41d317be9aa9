"""scripts.consumers.answers: parsing the question files, formatting the tables, running read-only.

The fast tests use a tiny hand-made warehouse; the slow one runs every real analysis on the
synthetic sample built for the session, so a query that no longer matches the marts fails here,
not in front of an analyst.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_script

from scripts.consumers import answers


def write_analysis(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tiny_warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("create schema marts")
        connection.execute(
            "create table marts.monthly as select * from (values "
            "(date '2022-01-01', 'Telephone', 1234567, 0.04512), "
            "(date '2022-02-01', 'Face-to-Face', 89, 0.1)"
            ") as t (appointment_month, appointment_mode, appointments, dna_rate)"
        )
    return path


def test_parse_analysis_reads_question_and_notes(tmp_path: Path) -> None:
    path = write_analysis(
        tmp_path,
        "q01_example.sql",
        "-- Question: Is it busy?\n-- First note.\n-- Second note.\nwith x as (select 1)\n"
        "-- not a note\nselect * from x\n",
    )
    analysis = answers.parse_analysis(path)
    assert analysis.question == "Is it busy?"
    assert analysis.notes == ("First note.", "Second note.")
    assert "select * from x" in analysis.sql


def test_parse_analysis_requires_a_question(tmp_path: Path) -> None:
    path = write_analysis(tmp_path, "bad.sql", "select 1\n")
    with pytest.raises(ValueError, match="Question"):
        answers.parse_analysis(path)


def test_every_shipped_analysis_has_a_question() -> None:
    analyses = answers.load_analyses(answers.ANALYSES_DIR)
    assert len(analyses) >= 8
    assert all("?" in analysis.question for analysis in analyses)
    assert [a.path.name for a in analyses] == sorted(a.path.name for a in analyses)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (None, 0, "-"),
        (True, 0, "yes"),
        (False, 0, "no"),
        (1234567, 0, "1,234,567"),
        (0.04512, 4, "0.0451"),
        (Decimal("1234.5"), 1, "1,234.5"),
        (dt.date(2022, 1, 1), 0, "2022-01-01"),
        (["nhs", "hiring"], 0, "nhs, hiring"),
        ("Telephone", 0, "Telephone"),
    ],
)
def test_format_value(value: object, decimals: int, expected: str) -> None:
    assert answers.format_value(value, decimals) == expected


def test_a_column_of_fractions_shares_its_decimals() -> None:
    assert answers.format_column([0.1, 0.04512, None]) == ["0.1000", "0.0451", "-"]
    assert answers.format_column([3.0, 12.0]) == ["3", "12"]


def test_render_table_aligns_numbers_right_and_text_left() -> None:
    answer = answers.Answer(
        columns=("mode", "appointments"),
        rows=(("Telephone", 1234567), ("Home Visit", 89)),
    )
    lines = answers.render_table(answer).splitlines()
    assert lines[0] == "mode        appointments"
    assert lines[1] == "----------  ------------"
    assert lines[2] == "Telephone      1,234,567"
    assert lines[3] == "Home Visit            89"


def test_render_table_says_when_there_are_no_rows() -> None:
    assert answers.render_table(answers.Answer(columns=("a",), rows=())) == "(no rows)"


def test_main_prints_each_question_as_a_table(
    tiny_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    analyses_dir = tmp_path / "analyses"
    write_analysis(
        analyses_dir,
        "q01_modes.sql",
        "-- Question: Which mode is missed most?\n-- Rates are DNA / all.\n"
        "select appointment_mode, appointments, dna_rate from marts.monthly "
        "order by dna_rate desc\n",
    )
    status = answers.main(["--warehouse", str(tiny_warehouse), "--analyses-dir", str(analyses_dir)])
    output = capsys.readouterr().out
    assert status == 0
    # A warehouse this project did not build records no provenance, and the answers say so.
    assert "PROVENANCE UNKNOWN" in output
    assert "Q1. Which mode is missed most?" in output
    assert "Rates are DNA / all." in output
    rows = [line.split() for line in output.splitlines()]
    assert ["Face-to-Face", "89", "0.1000"] in rows
    assert ["Telephone", "1,234,567", "0.0451"] in rows


def test_queries_run_read_only(
    tiny_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    analyses_dir = tmp_path / "analyses"
    write_analysis(
        analyses_dir,
        "q01_write.sql",
        "-- Question: Can an analysis change the warehouse?\ndrop table marts.monthly\n",
    )
    status = answers.main(["--warehouse", str(tiny_warehouse), "--analyses-dir", str(analyses_dir)])
    assert status == 1
    assert "FAILED" in capsys.readouterr().out
    with duckdb.connect(str(tiny_warehouse), read_only=True) as connection:
        (rows,) = connection.execute("select count(*) from marts.monthly").fetchone()
    assert rows == 2


def test_missing_warehouse_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert answers.main(["--warehouse", str(tmp_path / "absent.duckdb")]) == 2
    assert "No warehouse" in capsys.readouterr().err


def test_help_runs() -> None:
    with pytest.raises(SystemExit) as exit_info:
        answers.main(["--help"])
    assert exit_info.value.code == 0


@pytest.mark.slow
def test_every_analysis_answers_on_the_sample(sample_warehouse: Path) -> None:
    result = assert_succeeded(
        run_script("scripts.consumers.answers", "--warehouse", sample_warehouse)
    )
    analyses = answers.load_analyses(answers.ANALYSES_DIR)
    for number, analysis in enumerate(analyses, start=1):
        assert f"Q{number}. {analysis.question}" in result.stdout
    assert "(no rows)" not in result.stdout
    assert "SYNTHETIC DATA" in result.stdout
    assert "PROVENANCE UNKNOWN" not in result.stdout
