"""What the scripts that read a built warehouse (answers, report, docs) share on the command line:
the --warehouse option, and building the warehouse from the sample when there is none yet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.paths import DEFAULT_WAREHOUSE


def warehouse_parser(description: str | None, warehouse_help: str) -> argparse.ArgumentParser:
    """A parser that prints description as written, with --warehouse (default: the published
    warehouse) described by warehouse_help."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--warehouse", type=Path, default=DEFAULT_WAREHOUSE, help=warehouse_help)
    return parser


def ensure_warehouse(warehouse: Path) -> bool:
    """Build the warehouse from the embedded SYNTHETIC sample when none exists; False when that
    build failed."""
    if warehouse.exists():
        return True
    from scripts import build

    print(f"No warehouse at {warehouse}; building it from the embedded sample.", file=sys.stderr)
    return build.main(["--warehouse", str(warehouse)]) == 0
