"""The benchmark script runs end to end on the embedded sample and writes a well-formed report.

No timings are asserted (they depend on the machine and its load); only that every scenario
ran, that the numbers are there and consistent, and that the notebook way's answers equal the
warehouse's.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import assert_succeeded, run_script

pytestmark = pytest.mark.slow

SECTIONS = (
    "# Benchmarks",
    "## Machine and software",
    "## Targets",
    "## Side by side",
    "## Phases",
    "## dbt's own floor",
    "## Same answers",
    "## How it was measured",
)
SCENARIOS = ("cold", "warm", "warm_force", "workbook", "notebook", "seed", "views")


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    folder = tmp_path_factory.mktemp("bench")
    output, results = folder / "benchmarks.md", folder / "results.json"
    completed = assert_succeeded(
        run_script(
            "scripts.bench.benchmark",
            "--sample-only",
            # One run of each scenario: the test checks what the report holds, not medians.
            "--runs",
            "1",
            "--work-dir",
            folder / "work",
            "--output",
            output,
            "--json",
            results,
        )
    )
    return output, results, completed.stdout


def test_help_describes_the_options() -> None:
    completed = assert_succeeded(run_script("scripts.bench.benchmark", "--help"))
    for option in ("--real-dir", "--runs", "--no-scale-run", "--sample-only", "--output"):
        assert option in completed.stdout


def test_markdown_has_every_section_and_no_placeholders(bench_run: tuple[Path, Path, str]) -> None:
    output, _, _ = bench_run
    text = output.read_text(encoding="utf-8")
    positions = [text.index(section) for section in SECTIONS]
    assert positions == sorted(positions)
    assert "nan" not in text.lower().split()
    assert "None" not in text
    # Every table row has as many cells as its header.
    for table in re.findall(r"(?:^\|.*\|\n)+", text, flags=re.MULTILINE):
        widths = {row.count("|") for row in table.strip().splitlines()}
        assert len(widths) == 1, table


def test_results_hold_every_scenario_with_positive_measurements(
    bench_run: tuple[Path, Path, str],
) -> None:
    _, results_path, _ = bench_run
    results = json.loads(results_path.read_text(encoding="utf-8"))
    assert set(SCENARIOS) <= set(results["scenarios"])
    for key in SCENARIOS:
        scenario = results["scenarios"][key]
        assert scenario["runs"], key
        for run in scenario["runs"]:
            assert run["seconds"] > 0 and run["cpu_seconds"] >= 0 and run["peak_rss"] > 0, key
        # Phases end within the run (a little slack for clock granularity).
        for phase in scenario["phases"].values():
            assert phase["seconds"] is not None
            assert phase["seconds"] <= scenario["median"]["seconds"] * 1.05 + 0.05
    cold_phases = results["scenarios"]["cold"]["phases"]
    assert "dbt build (models + tests)" in cold_phases
    assert any("workbook conversion" in name for name in cold_phases)
    warm_phases = results["scenarios"]["warm"]["phases"]
    assert "dbt build (models + tests)" not in warm_phases
    assert results["machine"]["cores"] >= 1 and results["machine"]["ram_bytes"] > 0
    assert len(results["load_start"]) == 3


def test_warm_build_was_up_to_date_and_forced_one_rebuilt(
    bench_run: tuple[Path, Path, str],
) -> None:
    _, results_path, _ = bench_run
    scenarios = json.loads(results_path.read_text(encoding="utf-8"))["scenarios"]
    assert all(not run["extra"]["rebuilt"] for run in scenarios["warm"]["runs"])
    assert all(run["extra"]["said_up_to_date"] for run in scenarios["warm"]["runs"])
    assert all(run["extra"]["rebuilt"] for run in scenarios["warm_force"]["runs"])
    assert all(run["extra"]["rebuilt"] for run in scenarios["cold"]["runs"])


def test_notebook_answers_equal_the_warehouse(bench_run: tuple[Path, Path, str]) -> None:
    _, results_path, _ = bench_run
    answers = json.loads(results_path.read_text(encoding="utf-8"))["answers"]
    assert answers["compared"] > 0
    assert answers["problems"] == []


def test_targets_are_listed_with_a_verdict(bench_run: tuple[Path, Path, str]) -> None:
    output, results_path, stdout = bench_run
    targets = json.loads(results_path.read_text(encoding="utf-8"))["targets"]
    assert len(targets) >= 6
    text = output.read_text(encoding="utf-8")
    for target in targets:
        assert target["what"] in text
        assert isinstance(target["met"], bool)
    # The ratios are printed as well as written.
    assert "against the notebook way" in stdout
