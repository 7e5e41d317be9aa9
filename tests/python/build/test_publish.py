"""Atomic publish: only a build whose models and tests all pass replaces the published warehouse.

A build whose dbt tests fail, or that is killed mid-build, leaves the last good file byte for
byte as it was (same SHA-256) and still readable, says where it is, and leaves no candidate file
behind for good: a build killed outright (SIGKILL) cannot clean up, so the next build does.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest
from conftest import (
    MARTS_EMPTY_ON_CLEAN_INPUT,
    build_command,
    change_first_regional_row,
    child_env,
    mart_names,
    run_build,
    sha256,
)

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

# dbt prints this when it starts a model: the build is then past the loader, inside dbt build.
MODEL_STARTED = re.compile(r"START sql \w+ model")


def candidates(warehouse: Path) -> list[Path]:
    return sorted(warehouse.parent.glob(f"{warehouse.name}.building-*"))


def mart_row_counts(warehouse: Path) -> dict[str, int]:
    """Row count of every mart, read through a fresh read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return {
            name: connection.execute(f'select count(*) from marts."{name}"').fetchone()[0]
            for name in mart_names(connection)
        }


@pytest.fixture
def published(sample_warehouse: Path, tmp_path: Path) -> Path:
    """A private copy of the session's good build of the sample, published where this test's
    builds will write."""
    warehouse = tmp_path / "published" / "nhs.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(sample_warehouse, warehouse)
    return warehouse


def test_good_build_publishes_a_readable_warehouse_and_no_candidate(
    sample_warehouse: Path,
) -> None:
    counts = mart_row_counts(sample_warehouse)
    assert counts["data_provenance"] > 0
    empty = [name for name, rows in counts.items() if rows == 0]
    assert sorted(empty) == sorted(MARTS_EMPTY_ON_CLEAN_INPUT), counts
    assert candidates(sample_warehouse) == []


def test_failing_dbt_test_leaves_the_published_file_byte_for_byte(
    published: Path, broken_raw_dir: Path
) -> None:
    before = sha256(published)
    counts_before = mart_row_counts(published)

    result = run_build(broken_raw_dir, published)

    assert result.returncode == 1
    output = result.stdout + result.stderr
    # The failure must come from a dbt test, not from the loader refusing the file.
    assert "dbt build failed" in result.stderr, output[-3000:]
    assert re.search(r"FAIL \d+ relationships_stg_nhs__regional_appointments_icb", output)
    assert f"The last good warehouse is unchanged: {published}" in result.stderr
    assert sha256(published) == before
    assert mart_row_counts(published) == counts_before
    assert candidates(published) == []


def test_a_row_breaking_a_check_constraint_stops_the_build_and_leaves_the_published_file(
    published: Path, tmp_path: Path
) -> None:
    """A count of 0 is a well-formed count (the loader lands it), but the staging contract
    checks count_of_appointments > 0 (no dbt test does any more): DuckDB refuses the row while
    it writes the table, and the error names the table and the rule."""
    zero_count = change_first_regional_row(
        SAMPLE_RAW_DIR, tmp_path / "raw", "count_of_appointments", "0"
    )
    before = sha256(published)

    result = run_build(zero_count, published)

    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "dbt build failed" in result.stderr, output[-3000:]
    assert re.search(
        r'CHECK constraint failed on table "stg_nhs__regional_appointments\w*" '
        r"with expression CHECK\(\(count_of_appointments > 0\)\)",
        output,
    ), output[-3000:]
    assert f"The last good warehouse is unchanged: {published}" in result.stderr
    assert sha256(published) == before
    assert candidates(published) == []


def test_failing_first_build_publishes_nothing(tmp_path: Path, broken_raw_dir: Path) -> None:
    warehouse = tmp_path / "nhs.duckdb"

    result = run_build(broken_raw_dir, warehouse)

    assert result.returncode == 1
    assert f"No warehouse has been published yet at {warehouse}" in result.stderr
    assert not warehouse.exists()
    assert candidates(warehouse) == []


def start_build_and_wait_for_dbt(warehouse: Path) -> subprocess.Popen[str]:
    """Start a build of the sample and return once dbt has begun building models."""
    process = subprocess.Popen(
        build_command(SAMPLE_RAW_DIR, warehouse),
        cwd=REPO_ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if MODEL_STARTED.search(line):
            return process
    process.wait()
    pytest.fail(f"the build ended (exit {process.returncode}) before dbt started a model")


def test_killed_build_leaves_the_warehouse_and_the_next_build_clears_its_candidate(
    published: Path,
) -> None:
    before = sha256(published)
    process = start_build_and_wait_for_dbt(published)
    own_candidate = published.with_name(f"{published.name}.building-{process.pid}")
    assert own_candidate.exists()

    process.kill()
    process.wait()

    assert sha256(published) == before
    assert mart_row_counts(published)["data_provenance"] > 0
    # SIGKILL gives the build no chance to clean up ...
    assert own_candidate.exists()

    result = run_build(SAMPLE_RAW_DIR, published)

    # ... so the next build removes what the dead one left, and publishes normally.
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"Removed {own_candidate.name}, left by a build that died." in result.stderr
    assert candidates(published) == []
    assert mart_row_counts(published)["data_provenance"] > 0


def test_terminated_build_cleans_up_and_says_where_the_last_good_file_is(
    published: Path,
) -> None:
    before = sha256(published)
    process = start_build_and_wait_for_dbt(published)

    process.terminate()
    remaining_output, _ = process.communicate()

    assert process.returncode == 1
    assert f"The last good warehouse is unchanged: {published}" in remaining_output
    assert sha256(published) == before
    assert candidates(published) == []


def test_a_second_build_of_the_same_warehouse_waits_for_the_first(published: Path) -> None:
    first = start_build_and_wait_for_dbt(published)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Read the first build's output meanwhile, so it never blocks on a full pipe.
        first_output = pool.submit(first.communicate)
        second = run_build(SAMPLE_RAW_DIR, published)
        output, _ = first_output.result(timeout=600)

    assert first.returncode == 0, output[-3000:]
    assert second.returncode == 0, second.stderr[-3000:]
    assert f"Another build of {published} is running; waiting for it to finish" in second.stderr
    # It went on only once the first had published, so it found nothing left to do.
    assert "Warehouse is up to date" in second.stderr
    assert candidates(published) == []
