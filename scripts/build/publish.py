"""Creating and publishing DuckDB warehouse files."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from scripts.crash_safety import pause_points

# Most BI drivers embed DuckDB 1.x, which cannot open the default DuckDB 2.x storage format.
STORAGE_COMPATIBILITY_VERSION = "v1.0.0"


# The same options as profiles.yml's config_options: DuckDB refuses a second connection to a
# file that this process already has open (dbt-duckdb keeps its database open after `dbt build`)
# unless the configuration is identical, and then shares the open database.
CONFIG = {"storage_compatibility_version": STORAGE_COMPATIBILITY_VERSION}


def remove(path: Path) -> None:
    """Delete a DuckDB file and its write-ahead log, if they exist."""
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)


def create_empty(path: Path) -> None:
    """Create a new, empty DuckDB file readable by DuckDB 1.x clients (replacing any old one)."""
    remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.connect(str(path), config=CONFIG).close()


def checkpoint(path: Path) -> None:
    """Fold the write-ahead log into the file so the file alone is the whole warehouse."""
    with duckdb.connect(str(path), config=CONFIG) as connection:
        connection.execute("checkpoint")


def publish(candidate: Path, published: Path) -> None:
    """Atomically put candidate in place of published.

    rename(2) swaps the directory entry in one step: a reader that already has the old file
    open keeps reading the old, complete file, and a new reader sees only the new one.
    """
    checkpoint(candidate)
    pause_points.reached(pause_points.PUBLISH)
    os.replace(candidate, published)
