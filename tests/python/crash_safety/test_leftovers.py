"""Whose temporary file is it: a leftover counts as abandoned only when the process named in it
is gone, and a process that merely got the same id later does not own it."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import psutil

from scripts.crash_safety.leftovers import START_TIME_SLACK_SECONDS, owner_is_gone, pid_after

NO_SUCH_PID = 2**22 + 7  # above the largest pid_max Linux allows, so never a process


def test_the_pid_is_read_from_the_name() -> None:
    assert pid_after("nhs.duckdb.building-123", "nhs.duckdb.building-") == 123
    assert pid_after("nhs.duckdb.building-123.wal", "nhs.duckdb.building-") == 123
    assert pid_after(".nhs_landing.new-77-k2v9", ".nhs_landing.new-") == 77
    assert pid_after("published.json.5", "published.json.") == 5
    assert pid_after("nhs.duckdb.building", "nhs.duckdb.building-") is None
    assert pid_after("nhs.duckdb.building-x1", "nhs.duckdb.building-") is None


def test_a_file_of_a_dead_process_is_abandoned(tmp_path: Path) -> None:
    leftover = tmp_path / f"nhs.duckdb.building-{NO_SUCH_PID}"
    leftover.touch()
    assert owner_is_gone(leftover, NO_SUCH_PID)


def test_a_file_of_a_running_process_is_not(tmp_path: Path) -> None:
    with subprocess.Popen(["sleep", "60"]) as owner:
        leftover = tmp_path / f"nhs.duckdb.building-{owner.pid}"
        leftover.touch()
        assert not owner_is_gone(leftover, owner.pid)
        owner.kill()


def test_a_process_that_started_after_the_file_was_last_changed_does_not_own_it(
    tmp_path: Path,
) -> None:
    leftover = tmp_path / "nhs.duckdb.building-reused"
    leftover.touch()
    # As if the owner died and its id went to a process started afterwards.
    time.sleep(START_TIME_SLACK_SECONDS + 1.1)
    with subprocess.Popen(["sleep", "60"]) as newcomer:
        assert owner_is_gone(leftover, newcomer.pid)
        newcomer.kill()


def test_a_zombie_owns_nothing(tmp_path: Path) -> None:
    with subprocess.Popen(["true"]) as owner:
        while psutil.Process(owner.pid).status() != psutil.STATUS_ZOMBIE:
            time.sleep(0.01)
        leftover = tmp_path / f"nhs.duckdb.building-{owner.pid}"
        leftover.touch()  # made "while it lived" as far as times go
        assert owner_is_gone(leftover, owner.pid)
