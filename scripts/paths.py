"""Where things live in the repository, so every script and test agrees."""

from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW_DIR = REPO_ROOT / "data" / "sample"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "nhs.duckdb"
SHARED_REAL_DATA_DIR = REPO_ROOT.parent / "shared" / "data" / "nhs"
SYNTHETIC_MARKER = "README_SYNTHETIC.txt"


def landing_dir_for(warehouse: Path) -> Path:
    """Landed CSVs sit beside the warehouse file they feed, one folder per warehouse."""
    return warehouse.parent / f"{warehouse.stem}_landing"
