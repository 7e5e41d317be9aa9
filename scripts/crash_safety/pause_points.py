"""Named moments of a build where a test can stop it, to check what a crash leaves behind.

Only tests set NHS_TEST_PAUSE_AT (a comma-separated list of the point names below). A build or
load that reaches one of those points says so on stderr, in one line naming the point and its
process id, and then sleeps until it is killed: the test waits for that line and sends SIGKILL
at exactly that moment, however fast or slow the machine is. Unset (always, outside tests),
reached() costs one comparison with an empty set.

The workbook and dbt points pause a worker thread, which nothing interrupts: they are for
SIGKILL. SIGTERM and Ctrl-C interrupt a main thread paused at the CSV or publish point.
"""

from __future__ import annotations

import os
import sys
import threading
import time

ENV_VAR = "NHS_TEST_PAUSE_AT"
PAUSED = "crash test: paused at"

# The loader: the workbook converted (its part file written in the new landing, not yet
# landed), and the CSV sources being checked (one staged, its part file written, the landing
# not published).
WORKBOOK_CONVERSION = "workbook-conversion"
CSV_CHECKS = "csv-checks"
# Inside dbt build, once its first node has finished (the candidate warehouse and its
# write-ahead log are being written).
DBT_BUILD = "dbt-build"
# The candidate checkpointed and closed, about to be renamed over the published warehouse.
PUBLISH = "publish"

_REQUESTED = frozenset(filter(None, os.environ.get(ENV_VAR, "").split(",")))
_reached_once: set[str] = set()
_lock = threading.Lock()


def requested(point: str) -> bool:
    return point in _REQUESTED


def reached(point: str) -> None:
    """Pause here for good if a test asked for this point (the first time it is reached)."""
    if point not in _REQUESTED:
        return
    with _lock:
        if point in _reached_once:
            return
        _reached_once.add(point)
    # One write, so that no other output lands inside the line.
    sys.stderr.write(f"{PAUSED} {point} (pid {os.getpid()})\n")
    sys.stderr.flush()
    while True:
        time.sleep(3600)
