"""dbt is imported and the project parsed beside the loader, once the loader says a source
changed; a build whose inputs are unchanged never imports dbt."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import assert_succeeded, build_command, run_child

from scripts.build.dbt_runner import DBT_IMPORT_PHASE, DBT_PARSE_PHASE, BuildFailed, Dbt
from scripts.build.phase_timer import Timings
from scripts.build.pipeline import LOADER_PHASE
from scripts.paths import SAMPLE_RAW_DIR


def _phases(timings: Path) -> dict[str, dict]:
    return {entry["phase"]: entry for entry in json.loads(timings.read_text())["phases"]}


def test_cold_build_parses_dbt_while_the_loader_runs_and_a_warm_build_never_imports_it(
    tmp_path: Path,
) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    warehouse = tmp_path / "nhs.duckdb"
    cold, warm = tmp_path / "cold.json", tmp_path / "warm.json"

    assert_succeeded(run_child([*build_command(raw, warehouse), "--timings", str(cold)]))
    phases = _phases(cold)
    loader = phases[LOADER_PHASE]
    loader_end = loader["start"] + loader["seconds"]
    assert loader["start"] < phases[DBT_IMPORT_PHASE]["start"] < loader_end
    assert phases[DBT_PARSE_PHASE]["start"] >= phases[DBT_IMPORT_PHASE]["start"]

    result = assert_succeeded(run_child([*build_command(raw, warehouse), "--timings", str(warm)]))
    assert "Warehouse is up to date" in result.stderr
    assert DBT_IMPORT_PHASE not in _phases(warm)


def test_a_failure_of_the_background_parse_fails_the_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NHS_LANDING_DIR", "")  # Dbt() sets it; monkeypatch restores it
    dbt = Dbt(tmp_path / "nhs.duckdb", [], Timings())

    def parse_fails() -> None:
        raise BuildFailed("dbt could not parse the project: broken.yml")

    monkeypatch.setattr(dbt, "_prepare_here", parse_fails)
    dbt.prepare_in_background()
    with pytest.raises(BuildFailed, match=r"broken\.yml"):
        dbt.prepare()
