"""Where things live in the repository, so every script and test agrees."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW_DIR = REPO_ROOT / "data" / "sample"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "nhs.duckdb"
SHARED_REAL_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "nhs"
SYNTHETIC_MARKER = "README_SYNTHETIC.txt"
# dbt_project.yml's name: the folder dbt writes a project's compiled SQL to.
PROJECT_NAME = "nhs_warehouse"
# The repository's dbt target folder, for what is not one warehouse's build: the dbt docs site and
# the semantic manifest MetricFlow reads. Each build keeps its own (dbt_target_dir_for).
TARGET_DIR = REPO_ROOT / "target"


def landing_dir_for(warehouse: Path) -> Path:
    """Landed CSVs sit beside the warehouse file they feed, one folder per warehouse."""
    return warehouse.parent / f"{warehouse.stem}_landing"


def dbt_dir_for(warehouse: Path) -> Path:
    """dbt's target folder (partial-parse state, run results) and the build state of one warehouse.

    One per warehouse, not the repository's target/: builds of different warehouses (the sample,
    the real data, a benchmark) then never invalidate each other's partial parse or overwrite
    each other's run results, even when they run at the same time.
    """
    return warehouse.parent / f"{warehouse.stem}_dbt"


def dbt_target_dir_for(warehouse: Path) -> Path:
    """dbt's --target-path for builds of warehouse: its manifest.json and compiled SQL."""
    return dbt_dir_for(warehouse) / "target"


def compiled_analyses_dir(warehouse: Path) -> Path:
    """Where a build leaves analyses/ as dbt compiled them for this warehouse (every ref()
    resolved to its relations): the SQL the consumers run."""
    return dbt_target_dir_for(warehouse) / "compiled" / PROJECT_NAME / "analyses"
