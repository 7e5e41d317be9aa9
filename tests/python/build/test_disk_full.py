"""A build whose disk fills up fails with one line saying so and where, leaves the last good
warehouse byte for byte, and leaves nothing temporary behind.

The disk is a small tmpfs mounted for the test (needs root, as in CI; skipped, saying why,
where mounting is not allowed), filled either while the loader lands the raw files or while dbt
builds the candidate warehouse. Without privileges, a file-size limit (RLIMIT_FSIZE, as
`ulimit -f` sets) makes the same writes fail with EFBIG, which the build reports the same way.
"""

from __future__ import annotations

import resource
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import (
    assert_succeeded,
    build_command,
    child_env,
    run_build,
    sha256,
    temporary_files,
)

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

MB = 1024 * 1024


def mount_tmpfs(folder: Path, size: int) -> str | None:
    """Mount a tmpfs of size bytes on folder; why not, when it cannot be done."""
    if shutil.which("mount") is None:
        return "there is no mount command"
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return None if done.returncode == 0 else (done.stderr.strip() or f"exit {done.returncode}")


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """An empty folder on a tmpfs that a test sizes with resize()."""
    folder = tmp_path / "disk"
    folder.mkdir()
    why_not = mount_tmpfs(folder, 64 * MB)
    if why_not is not None:
        pytest.skip(
            f"cannot mount a size-limited tmpfs here ({why_not}); the disk-full path is still "
            "tested with a file-size limit (test_a_file_size_limit_fails_the_build_cleanly)"
        )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def resize(disk: Path, size: int) -> None:
    subprocess.run(["mount", "-o", f"remount,size={size}", str(disk)], check=True)


@pytest.mark.parametrize(
    ("when", "room"),
    # Room beyond the published file: the sample's landing alone needs ~3.4 MB, and a full
    # build (landing, dbt's state and a new 8 MB warehouse) ~17 MB.
    [("loader", 1 * MB), ("dbt", 9 * MB)],
    ids=["loader", "dbt"],
)
def test_full_disk_fails_the_build_cleanly_and_the_next_build_recovers(
    when: str, room: int, small_disk: Path, sample_warehouse: Path
) -> None:
    warehouse = small_disk / "nhs.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    before = sha256(warehouse)
    resize(small_disk, warehouse.stat().st_size + room)

    result = run_build(SAMPLE_RAW_DIR, warehouse)

    assert result.returncode == 1, result.stderr[-3000:]
    failure = [line for line in result.stderr.splitlines() if line.startswith("BUILD FAILED")]
    assert len(failure) == 1, result.stderr[-3000:]
    assert f"the disk holding {small_disk} " in failure[0], failure
    # The disk filled where the case says: in the loader, or after it (dbt or publishing).
    in_loader = "filled up while the loader wrote the new landing" in failure[0]
    assert in_loader == (when == "loader"), failure
    assert "No space left on device" in result.stderr
    assert "Traceback" not in result.stderr
    assert f"The last good warehouse is unchanged: {warehouse}" in result.stderr
    assert sha256(warehouse) == before
    assert temporary_files(small_disk) == [], when

    # Once there is room again, the next build publishes (a cut-short dbt state is no harm).
    resize(small_disk, 64 * MB)
    assert_succeeded(run_build(SAMPLE_RAW_DIR, warehouse))
    assert sha256(warehouse) != before
    assert temporary_files(small_disk) == []


def test_a_file_size_limit_fails_the_build_cleanly(sample_warehouse: Path, tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse" / "nhs.duckdb"
    warehouse.parent.mkdir()
    shutil.copyfile(sample_warehouse, warehouse)
    before = sha256(warehouse)
    limit = 2 * MB  # above every landed sample file, below the new warehouse (~8 MB)

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    result = subprocess.run(
        build_command(SAMPLE_RAW_DIR, warehouse),
        cwd=REPO_ROOT,
        # dbt's own log (logs/ in the repository) may be larger than the limit already.
        env={**child_env(), "DBT_LOG_PATH": str(tmp_path / "dbt_logs")},
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=limit_file_size,
    )

    assert result.returncode == 1, result.stderr[-3000:]
    failure = [line for line in result.stderr.splitlines() if line.startswith("BUILD FAILED")]
    assert len(failure) == 1, result.stderr[-3000:]
    assert f"a file in {warehouse.parent} reached the largest size allowed" in failure[0], failure
    assert "File too large" in failure[0]
    assert "Traceback" not in result.stderr
    assert sha256(warehouse) == before
    assert temporary_files(warehouse.parent) == []
