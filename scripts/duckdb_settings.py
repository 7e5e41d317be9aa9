"""How much memory and how many threads each DuckDB of the build may use (the loader's and dbt's).

DuckDB takes up to 80% of RAM and every core by default; a warehouse that keeps taking monthly
publications must build in bounded memory on a laptop, so each connection gets an explicit
memory_limit and thread count, and spills to disk beyond the limit. Set them with the
environment variables NHS_DUCKDB_MEMORY_LIMIT (DuckDB's syntax: '1GB', '500MB') and
NHS_DUCKDB_THREADS; profiles.yml reads the same variables for dbt's DuckDB.

The loader's DuckDB has a smaller limit of its own, NHS_LOADER_MEMORY_LIMIT: its process also
holds the workbook reader's copy of a sheet, outside DuckDB's accounting (fastexcel peaks at
about 800 MB on a sheet of Excel's 1,048,576 rows), while the CSV checks fill its DuckDB.
Measured on the 10x files (`nhs load`, peak RSS, two runs each): 1,448 and 1,491 MiB with
512MB, 1,235 and 1,326 MiB with 320MB (the 10x target is 1,536); at full size the loader took
as long with either.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MEMORY_LIMIT_ENV = "NHS_DUCKDB_MEMORY_LIMIT"
LOADER_MEMORY_LIMIT_ENV = "NHS_LOADER_MEMORY_LIMIT"
THREADS_ENV = "NHS_DUCKDB_THREADS"
DEFAULT_MEMORY_LIMIT = "512MB"
DEFAULT_LOADER_MEMORY_LIMIT = "320MB"
DEFAULT_THREADS = 2


def duckdb_config(
    memory_limit_env: str = MEMORY_LIMIT_ENV, default_memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> dict[str, str | int]:
    """Configuration for duckdb.connect(): the memory limit, threads and where to spill."""
    spill = Path(tempfile.gettempdir()) / "nhs_duckdb_spill"
    return {
        "memory_limit": os.environ.get(memory_limit_env, default_memory_limit),
        "threads": int(os.environ.get(THREADS_ENV, DEFAULT_THREADS)),
        "temp_directory": str(spill),
    }


def loader_duckdb_config() -> dict[str, str | int]:
    """duckdb_config for the loader's DuckDB, with the loader's own memory limit."""
    return duckdb_config(LOADER_MEMORY_LIMIT_ENV, DEFAULT_LOADER_MEMORY_LIMIT)
