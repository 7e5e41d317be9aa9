"""`nhs build-real`'s command line: the usage line and option help every step has."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import assert_succeeded, run_child


@pytest.mark.parametrize(
    ("command", "usage"),
    [
        ([str(Path(sys.executable).with_name("nhs")), "build-real"], "usage: nhs build-real "),
        (
            [sys.executable, "-m", "scripts.build.real_data"],
            "usage: python -m scripts.build.real_data ",
        ),
    ],
)
def test_help_names_the_command_and_explains_each_option(command: list[str], usage: str) -> None:
    help_text = assert_succeeded(run_child([*command, "--help"])).stdout
    assert help_text.startswith(usage), help_text
    for option, explained in (
        ("--real-dir", "folder holding the real NHS files"),
        ("--raw-dir", "links to the real CSVs"),
        ("--warehouse", "published DuckDB file"),
    ):
        assert option in help_text and explained in help_text, help_text
    assert "The real national_categories.xlsx is not available" in help_text


def test_missing_real_files_skip_the_build_and_say_so(tmp_path: Path) -> None:
    nhs = str(Path(sys.executable).with_name("nhs"))
    warehouse = tmp_path / "real.duckdb"
    command = [nhs, "build-real", "--real-dir", str(tmp_path), "--warehouse", str(warehouse)]
    result = assert_succeeded(run_child(command))
    assert "SKIPPED the real-data build" in result.stderr
    assert "appointments_regional.csv" in result.stderr
    assert not warehouse.exists()
