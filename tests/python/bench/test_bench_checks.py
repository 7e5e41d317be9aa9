"""The benchmark's checks and bookkeeping, without running a benchmark: the notebook's answers
differing from the warehouse's fail the run, a failed set-up step names itself and its log, the
Spark section of docs/benchmarks.md is read and replaced in one place, landed rows come from the
landing manifest, the sampler keeps Java's memory apart from the rest, and the cold build's
verdict says when the floor alone is above its target."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from scripts.bench import spark
from scripts.bench.measure import Run, Scenario
from scripts.bench.phases import WORKBOOK_PHASE
from scripts.bench.sampler import run_measured
from scripts.bench.scenarios import FLOOR_EMPTY, FLOOR_EMPTY_MODELS, FLOOR_NOTHING, variant_way
from scripts.bench.targets import Target, answers_status, assess
from scripts.loader.landing_manifest import MANIFEST_NAME
from scripts.paths import landing_dir_for


def test_differing_answers_fail_the_run_and_are_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    problems = [
        "appointments_regional 2021-08: notebook 120, warehouse 118",
        "DNA rate 2021-09 Telephone: notebook 0.04, warehouse None",
    ]
    status = answers_status({"compared": 40, "problems": problems})
    assert status != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "differ from the warehouse's in 2 of 40 figures" in captured.err
    for problem in problems:
        assert problem in captured.err


def test_equal_answers_pass_quietly(capsys: pytest.CaptureFixture[str]) -> None:
    assert answers_status({"compared": 40, "problems": []}) == 0
    assert capsys.readouterr().err == ""


def test_failed_variant_set_up_names_the_step_and_its_log(tmp_path: Path) -> None:
    # No landed CSVs beside this warehouse: the seeds variant cannot copy them.
    logs = tmp_path / "logs"
    logs.mkdir()
    with pytest.raises(SystemExit) as failure:
        variant_way("seeds", "seed way", tmp_path / "nhs.duckdb", tmp_path, logs, runs=1)
    message = str(failure.value)
    log = logs / "seeds-prepare.log"
    assert "the prepare step of the seeds variant (set-up) failed (exit 1)" in message
    assert str(log) in message
    assert "FileNotFoundError" in log.read_text(encoding="utf-8")


def test_spark_section_is_read_back_and_replaced_in_place(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    assert spark.read_section(doc) is None
    doc.write_text("# Benchmarks\n\nmake bench's part\n", encoding="utf-8")
    assert spark.read_section(doc) is None
    first = f"{spark.SECTION_START}\nfirst run\n{spark.SECTION_END}"
    spark.write_section(first, doc)
    assert spark.read_section(doc) == first
    second = f"{spark.SECTION_START}\nsecond run\n{spark.SECTION_END}"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nafter the section\n", encoding="utf-8")
    spark.write_section(second, doc)
    text = doc.read_text(encoding="utf-8")
    assert spark.read_section(doc) == second
    assert "first run" not in text
    assert text.startswith("# Benchmarks\n\nmake bench's part\n")
    assert text.endswith("\nafter the section\n")


def test_landed_rows_are_the_manifests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spark, "WORK_DIR", tmp_path)
    landing = landing_dir_for(tmp_path / "sample.duckdb")
    landing.mkdir()
    manifest = {
        "sources": [
            {"source_name": "appointments_regional", "landed_rows": 1200},
            {"source_name": "national_categories", "landed_rows": 345, "status": "reused"},
        ]
    }
    (landing / MANIFEST_NAME).write_text(json.dumps(manifest), encoding="utf-8")
    assert spark.total_landed_rows("sample") == 1545
    assert spark.total_landed_rows("full_size") == 0


def test_sampler_counts_a_python_tree_as_not_java(tmp_path: Path) -> None:
    # A child holding 64 MiB for a moment, so several samples see it.
    holds = "import time; block = bytearray(64 * 1024 * 1024); time.sleep(0.5)"
    measured = run_measured([sys.executable, "-c", holds], tmp_path / "child.log")
    assert measured.returncode == 0
    assert measured.peak_java_rss == 0
    assert measured.peak_other_rss >= 64 * 1024 * 1024
    assert measured.peak_rss == max(measured.samples_rss) >= measured.peak_other_rss


def _measured(name: str, seconds: float, phases: dict | None = None) -> Scenario:
    return Scenario(name, [Run(seconds, seconds, 500 * 2**20, 1.0, phases or {})])


def _assessed(
    conversion_s: float, dbt_start_s: float, models_s: float, notebook_s: float
) -> dict[str, Target]:
    """The targets assessed on stand-in measurements: dbt selecting nothing takes dbt_start_s,
    its models and seeds on empty inputs models_s, every node 9.1 s. The conversion alone is
    timed in its own process: its start-up (0.3 s here) is left out, as dbt's measured runs
    count one start already."""
    workbook_phase = {WORKBOOK_PHASE: {"seconds": conversion_s}}
    scenarios = {
        "cold": _measured("cold", 19.8),
        "warm": _measured("warm", 0.7),
        "workbook": _measured("workbook", conversion_s + 0.3, workbook_phase),
        "notebook": _measured("notebook", notebook_s),
    }
    floor = [
        _measured(FLOOR_NOTHING, dbt_start_s),
        _measured(FLOOR_EMPTY, 9.1),
        _measured(FLOOR_EMPTY_MODELS, models_s),
    ]
    return {target.what: target for target in assess(scenarios, {"sample_only": False}, floor)}


@pytest.mark.parametrize(
    ("conversion_s", "dbt_start_s", "left"),
    [(5.1, 3.2, "0.00"), (5.1, 2.8, "0.10")],
)
def test_cold_verdict_weighs_the_floor_without_any_node_against_the_target(
    conversion_s: float, dbt_start_s: float, left: str
) -> None:
    cold = _assessed(conversion_s, dbt_start_s, 6.0, 80.0)["cold build, full size, tests included"]
    assert not cold.met
    without_nodes = f"{conversion_s + dbt_start_s:.2f}"
    assert (
        f"Without any model or test the build would still need about {without_nodes} s here "
        "(the workbook conversion, then dbt starting and selecting nothing), which leaves "
        f"{left} s of the 8 s target for dbt's work on the models and tests; on empty inputs "
        f"that work alone takes {9.1 - dbt_start_s:.2f} s."
    ) in cold.why


@pytest.mark.parametrize(
    ("models_s", "notebook_s", "left"),
    [(5.0, 80.0, "0.00 s of the 10.00 s"), (4.0, 88.0, "1.90 s of the 11.00 s")],
)
def test_notebook_verdict_weighs_the_floor_without_data_tests_against_the_target(
    models_s: float, notebook_s: float, left: str
) -> None:
    verdict = _assessed(5.1, 2.8, models_s, notebook_s)["cold build vs the notebook way (same run)"]
    assert not verdict.met
    assert (
        f"With no data test at all the build would still need about {5.1 + models_s:.2f} s here "
        "(the workbook conversion, then dbt building the models and seeds on empty inputs, "
        f"{models_s:.2f} s), which leaves {left} for the data tests; on empty inputs they take "
        f"{9.1 - models_s:.2f} s."
    ) in verdict.why
