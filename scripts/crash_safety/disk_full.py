"""Recognise a full disk in an error, from Python, DuckDB or dbt, and say so in one line: which
file could not be written, which folder's disk is full and how much space is left.

The loader and the build turn such an error into that line instead of a traceback or a
misleading "the raw files did not pass"; what they were writing is discarded either way.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from pathlib import Path

# ENOSPC: no space left; EDQUOT: over the user's quota; EFBIG: a file reached the largest size
# the filesystem or the process (ulimit -f) allows.
DISK_FULL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG)
_REASONS = {code: os.strerror(code) for code in DISK_FULL_ERRNOS}
_QUOTED_FILE = re.compile(r'[Ff]ile \\?"([^"\\]+)\\?"')


def _free_space(folder: Path) -> str:
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return "unknown"
    return f"{free / 1e6:,.1f} MB"


def _reason_in(error: BaseException | str) -> tuple[str, str] | None:
    """(the reason, the detail naming the file when known) when error says the disk or a file
    size limit is full."""
    if isinstance(error, OSError) and error.errno in _REASONS:
        reason = _REASONS[error.errno]
        return reason, f"{reason} writing {error.filename}" if error.filename else reason
    for line in str(error).splitlines():
        for reason in _REASONS.values():
            if reason in line:
                # DuckDB: ... Could not write file \"/path\": No space left on device ...
                named = _QUOTED_FILE.search(line)
                return reason, f"{reason} writing {named.group(1)}" if named else line.strip()
    return None


def disk_full_message(error: BaseException | str, folder: Path) -> str | None:
    """One line saying the disk holding folder is full, naming what could not be written; None
    when error is about something else."""
    found = _reason_in(error)
    if found is None:
        return None
    reason, detail = found
    if reason == _REASONS[errno.EFBIG]:
        what = f"a file in {folder} reached the largest size allowed (filesystem or ulimit -f)"
    else:
        what = f"the disk holding {folder} is full ({_free_space(folder)} free)"
    return f"{what}: {detail}"
