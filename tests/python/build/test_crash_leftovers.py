"""A full-size build killed (SIGKILL) at each of its moments leaves the published warehouse byte for
byte as it was, and the next build removes whatever the killed one left beside it.

Full size: the real CSVs from ../shared/data/nhs with the full-size SYNTHETIC workbook that
`make dbt-real` generates (reused when it is current), or, without the real files, every source
SYNTHETIC at full size (scripts/synthetic/generate.py --scale full). Each moment is hit
deterministically: the build pauses there (NHS_TEST_PAUSE_AT, scripts/pause_points.py), says
so, and the test kills the build's whole process group, loader included, as a power cut would,
or only the build's process, as `kill -9 <pid>` would.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest
from conftest import (
    assert_succeeded,
    build_command,
    child_env,
    run_build,
    run_script,
    sha256,
    temporary_files,
)

from scripts.build.real_data import DEFAULT_RAW_DIR, missing_real_files
from scripts.crash_safety import pause_points
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR

pytestmark = pytest.mark.slow


def appointments_in(warehouse: Path) -> int:
    """A read through a fresh read-only connection: the file is a whole, readable warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            "select sum(total_appointments) from marts.utilisation_monthly"
        ).fetchone()[0]


@pytest.fixture(scope="module")
def full_size_raw_dir(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Path:
    """The real CSVs with the full-size workbook, in the raw folder `make dbt-real` prepares
    (conftest's real_warehouse prepares it and builds from it); else every source SYNTHETIC."""
    if not missing_real_files(SHARED_REAL_DATA_DIR):
        request.getfixturevalue("real_warehouse")
        return DEFAULT_RAW_DIR
    raw_dir = tmp_path_factory.mktemp("full_size_raw")
    assert_succeeded(run_script("scripts.synthetic.generate", "--scale", "full", "--out", raw_dir))
    return raw_dir


@pytest.fixture(scope="module")
def good_warehouse(
    full_size_raw_dir: Path,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Path:
    """A published full-size warehouse: with the real files, the one `make dbt-real` builds from
    the same raw folder (conftest's real_warehouse); else built here."""
    if full_size_raw_dir == DEFAULT_RAW_DIR:
        return request.getfixturevalue("real_warehouse")
    warehouse = tmp_path_factory.mktemp("good") / "nhs.duckdb"
    assert_succeeded(run_build(full_size_raw_dir, warehouse))
    assert temporary_files(warehouse.parent) == []
    return warehouse


def start_paused_build(raw_dir: Path, warehouse: Path, points: list[str]) -> subprocess.Popen:
    """Start a build (in a process group of its own) that pauses at the given points."""
    return subprocess.Popen(
        build_command(raw_dir, warehouse),
        cwd=REPO_ROOT,
        env={**child_env(), pause_points.ENV_VAR: ",".join(points)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for_pause(process: subprocess.Popen, point: str) -> None:
    """Read the build's output until it says it paused at point."""
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if f"{pause_points.PAUSED} {point} " in line:
            return
    process.wait()
    pytest.fail(f"the build ended (exit {process.returncode}) before {point}:\n{''.join(seen)}")


# (the moment, the points the build pauses at). Pausing the CSV checks as well as the workbook
# conversion (a worker thread) finds both half done.
MOMENTS = [
    ("workbook conversion", [pause_points.CSV_CHECKS, pause_points.WORKBOOK_CONVERSION]),
    ("CSV checks", [pause_points.CSV_CHECKS]),
    ("dbt build", [pause_points.DBT_BUILD]),
    ("publish", [pause_points.PUBLISH]),
]


@pytest.mark.parametrize(("moment", "points"), MOMENTS, ids=[moment for moment, _ in MOMENTS])
def test_sigkill_leaves_the_warehouse_and_the_next_build_clears_what_it_left(
    moment: str,
    points: list[str],
    full_size_raw_dir: Path,
    good_warehouse: Path,
    tmp_path: Path,
) -> None:
    warehouse = tmp_path / "nhs.duckdb"
    warehouse.write_bytes(good_warehouse.read_bytes())
    before = sha256(warehouse)
    appointments = appointments_in(warehouse)

    process = start_paused_build(full_size_raw_dir, warehouse, points)
    try:
        wait_for_pause(process, points[-1])
    finally:
        with contextlib.suppress(ProcessLookupError):  # the whole build, however the test went
            os.killpg(process.pid, signal.SIGKILL)
        if process.stdout is not None and not process.stdout.closed:
            process.communicate()

    assert sha256(warehouse) == before
    assert appointments_in(warehouse) == appointments
    left = temporary_files(warehouse.parent)
    # Nothing could clean up: the kill left its temporary files, for the next build.
    assert left, f"a build killed during the {moment} left nothing to clean up?"

    result = assert_succeeded(run_build(full_size_raw_dir, warehouse))

    for leftover in left:
        if not leftover.startswith("nhs_landing/"):
            assert f"Removed {leftover}, left by a build that died." in result.stderr
    assert temporary_files(warehouse.parent) == []
    assert appointments_in(warehouse) == appointments


# dbt prints this when it starts a model: the build is then inside dbt build.
MODEL_STARTED = "START sql "


@pytest.mark.parametrize(
    ("signum", "why", "whole_group", "pause_at"),
    [
        # Ctrl-C in a terminal signals the whole process group.
        (signal.SIGINT, "interrupted (Ctrl-C)", True, None),
        (signal.SIGINT, "interrupted (Ctrl-C)", True, pause_points.CSV_CHECKS),
        # `kill <pid>` signals the build's process alone.
        (signal.SIGTERM, "stopped by SIGTERM", False, pause_points.CSV_CHECKS),
    ],
    ids=["ctrl-c in dbt", "ctrl-c in the CSV checks", "sigterm in the CSV checks"],
)
def test_a_stopped_build_cleans_up_and_says_so_in_one_line(
    signum: signal.Signals,
    why: str,
    whole_group: bool,
    pause_at: str | None,
    sample_warehouse: Path,
    tmp_path: Path,
) -> None:
    warehouse = tmp_path / "nhs.duckdb"
    warehouse.write_bytes(sample_warehouse.read_bytes())
    before = sha256(warehouse)
    process = start_paused_build(SAMPLE_RAW_DIR, warehouse, [pause_at] if pause_at else [])
    try:
        if pause_at is None:
            assert process.stdout is not None
            next(line for line in process.stdout if MODEL_STARTED in line)
        else:
            wait_for_pause(process, pause_at)
        if whole_group:
            os.killpg(process.pid, signum)
        else:
            os.kill(process.pid, signum)
        output, _ = process.communicate()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)

    assert process.returncode == 1, output[-3000:]
    assert f"\nBUILD FAILED: {why}.\n" in output, output[-3000:]
    assert "Traceback" not in output, output[-5000:]
    assert sha256(warehouse) == before
    assert temporary_files(warehouse.parent) == []
