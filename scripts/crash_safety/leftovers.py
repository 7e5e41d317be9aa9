"""Whether the process that made a temporary file or folder is gone, from the process id in its
name, so the next build can remove what a killed one left and never what a live one is writing.

A process killed outright (SIGKILL, the OOM killer, a power cut) cannot clean up. Process ids
are reused, though (Linux's default pid_max is 32768), so a live process with the recorded id
owns the path only if it started before the path was last changed: a newcomer that got the id
after the owner died started later than anything the owner did to it. A zombie (dead, not yet
reaped by its parent) owns nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import psutil

# Process start times are derived from the boot time in whole seconds, and file times come from
# a coarse clock: a process that started up to this long after the path's last change still
# counts as its owner (such a path is then left for a later build, never wrongly removed).
START_TIME_SLACK_SECONDS = 2.0


def pid_after(name: str, prefix: str) -> int | None:
    """The process id that follows prefix in name (up to the next '-' or '.'), if any."""
    if not name.startswith(prefix):
        return None
    digits = name[len(prefix) :].replace(".", "-").split("-", 1)[0]
    return int(digits) if digits.isdigit() else None


def owner_is_gone(path: Path, pid: int) -> bool:
    """True when the process that made path (whose id is pid) is no longer running."""
    try:
        changed = path.lstat().st_ctime
    except FileNotFoundError:
        return False  # already removed (by its owner, or another build): nothing to do
    try:
        process = psutil.Process(pid)
        if process.status() == psutil.STATUS_ZOMBIE:
            return True
        started = process.create_time()
    except psutil.NoSuchProcess:
        return True
    except psutil.AccessDenied:
        return False
    return started > changed + START_TIME_SLACK_SECONDS


def remove(path: Path) -> bool:
    """Delete a file or a folder tree; True if something was there."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    return True
