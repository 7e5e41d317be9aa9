"""A warehouse whose build left no compiled analyses or dbt graph beside it: nhs report says in
one line what is missing and to rebuild, exits 1, writes no report, and shows no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import run_script

from scripts.paths import dbt_dir_for


def report_on(warehouse: Path) -> tuple[int, str, Path]:
    output = warehouse.with_name("report.html")
    result = run_script("scripts.report.write", "--warehouse", warehouse, "--output", output)
    return result.returncode, result.stderr, output


def test_no_compiled_analyses_fails_in_one_line(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / sample_warehouse.name
    shutil.copyfile(sample_warehouse, warehouse)  # without its dbt folder
    status, stderr, output = report_on(warehouse)
    assert status == 1
    assert "Traceback" not in stderr
    (line,) = [line for line in stderr.splitlines() if line.startswith("REPORT FAILED: ")]
    assert "rebuild" in line and str(dbt_dir_for(warehouse)) in line
    assert not output.exists()


def test_no_dbt_graph_fails_in_one_line(sample_warehouse: Path, tmp_path: Path) -> None:
    # The same file name: the compiled SQL names the database after it.
    warehouse = tmp_path / sample_warehouse.name
    shutil.copyfile(sample_warehouse, warehouse)
    shutil.copytree(dbt_dir_for(sample_warehouse), dbt_dir_for(warehouse))
    manifest = dbt_dir_for(warehouse) / "target" / "manifest.json"
    manifest.unlink()
    status, stderr, output = report_on(warehouse)
    assert status == 1
    assert "Traceback" not in stderr
    (line,) = [line for line in stderr.splitlines() if line.startswith("REPORT FAILED: ")]
    assert str(manifest) in line and "rebuild" in line
    assert not output.exists()
