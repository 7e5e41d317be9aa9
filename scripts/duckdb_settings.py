"""How much memory and how many threads each DuckDB of the build may use (the loader's and dbt's).

DuckDB takes up to 80% of RAM and every core by default; a warehouse that keeps taking monthly
publications must build in bounded memory on a laptop, so each connection gets an explicit
memory_limit and thread count, and spills to disk beyond the limit. Set them with the
environment variables NHS_DUCKDB_MEMORY_LIMIT (DuckDB's syntax: '1GB', '500MB') and
NHS_DUCKDB_THREADS; profiles.yml reads the same variables for dbt's DuckDB.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MEMORY_LIMIT_ENV = "NHS_DUCKDB_MEMORY_LIMIT"
THREADS_ENV = "NHS_DUCKDB_THREADS"
DEFAULT_MEMORY_LIMIT = "512MB"
DEFAULT_THREADS = 2


def duckdb_config() -> dict[str, str | int]:
    """Configuration for duckdb.connect(): the memory limit, threads and where to spill."""
    spill = Path(tempfile.gettempdir()) / "nhs_duckdb_spill"
    return {
        "memory_limit": os.environ.get(MEMORY_LIMIT_ENV, DEFAULT_MEMORY_LIMIT),
        "threads": int(os.environ.get(THREADS_ENV, DEFAULT_THREADS)),
        "temp_directory": str(spill),
    }
