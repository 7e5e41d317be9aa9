"""Build the warehouse from the real NHS files plus a full-size synthetic national_categories.xlsx.

    nhs build-real                  # ../shared/data/nhs -> warehouse/ci/real.duckdb
    nhs build-real --real-dir DIR --warehouse FILE

The real national_categories.xlsx is not available to this project, so a synthetic one is
generated at full size (817k rows), reconciled to the real appointments_regional.csv, to the
published monthly totals and, when national_categories_monthly_by_category.csv is there, to
every real month x service setting x context type x national category total (only the daily
and per-location split is synthetic). The real CSVs are linked, never copied, into a raw
folder under warehouse/. When the real-data folder is missing the build is skipped, and says so.
"""

from __future__ import annotations

import fcntl
import os
import sys
from pathlib import Path

from scripts.build import pipeline as build
from scripts.cli import command_parser
from scripts.code_fingerprint import digest, generator_inputs
from scripts.paths import REPO_ROOT, SHARED_REAL_DATA_DIR
from scripts.synthetic import generate as make_sample_data

REAL_CSV_FILES = ("appointments_regional.csv", "actual_duration.csv", "tweets.csv")
PUBLISHED_TOTALS_FILE = "national_categories_published_totals.csv"
# The REAL month x setting x context x category aggregate: the workbook reproduces it exactly.
CATEGORY_TOTALS_FILE = "national_categories_monthly_by_category.csv"
WORKBOOK = "national_categories.xlsx"
DEFAULT_RAW_DIR = REPO_ROOT / "warehouse" / "real_raw"
DEFAULT_WAREHOUSE = REPO_ROOT / "warehouse" / "ci" / "real.duckdb"


def missing_real_files(real_dir: Path) -> list[str]:
    """The real CSVs a build needs that real_dir does not hold."""
    return [name for name in REAL_CSV_FILES if not (real_dir / name).exists()]


def generator_fingerprint(real_dir: Path) -> str:
    """Changes whenever the generator (its code, the seeds it reads) or the real totals it
    reconciles to change."""
    return digest(
        [
            *generator_inputs(),
            real_dir / "appointments_regional.csv",
            real_dir / PUBLISHED_TOTALS_FILE,
            *[path for path in [real_dir / CATEGORY_TOTALS_FILE] if path.exists()],
        ]
    )


def prepare_raw_dir(real_dir: Path, raw_dir: Path) -> Path:
    """Link the real CSVs into raw_dir and make sure a current synthetic workbook is beside them.

    One process at a time (the test workers call it side by side): the others wait, then find
    the workbook current."""
    raw_dir.mkdir(parents=True, exist_ok=True)
    with (raw_dir / ".prepare.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _link_real_files(real_dir, raw_dir)
        _generate_workbook(real_dir, raw_dir)
    return raw_dir


def _link_real_files(real_dir: Path, raw_dir: Path) -> None:
    for name in REAL_CSV_FILES:
        # A new link renamed over the old one: a build reading the folder meanwhile never finds
        # the file missing.
        new_link = raw_dir / f".{name}.{os.getpid()}.link"
        new_link.unlink(missing_ok=True)
        new_link.symlink_to((real_dir / name).resolve())
        new_link.replace(raw_dir / name)


def _generate_workbook(real_dir: Path, raw_dir: Path) -> None:
    """A full-size synthetic workbook in raw_dir, unless the one there has the same inputs."""
    stamp = raw_dir / ".workbook_fingerprint"
    fingerprint = generator_fingerprint(real_dir)
    workbook = raw_dir / WORKBOOK
    if workbook.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        print(f"Reusing the synthetic workbook {workbook} (inputs unchanged).", file=sys.stderr)
        return
    print("Generating a full-size SYNTHETIC national_categories.xlsx ...", file=sys.stderr)
    status = make_sample_data.main(
        [
            "--scale",
            "full",
            "--out",
            str(raw_dir),
            "--regional",
            str(real_dir / "appointments_regional.csv"),
            "--published-totals",
            str(real_dir / PUBLISHED_TOTALS_FILE),
            "--only",
            "national_categories",
            *(
                ["--category-totals", str(real_dir / CATEGORY_TOTALS_FILE)]
                if (real_dir / CATEGORY_TOTALS_FILE).exists()
                else []
            ),
        ]
    )
    if status != 0:
        raise SystemExit(status)
    stamp.write_text(fingerprint)


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "scripts.build.real_data",
        __doc__,
        warehouse_help="published DuckDB file to (re)place (default: %(default)s)",
        warehouse_default=DEFAULT_WAREHOUSE,
    )
    parser.add_argument(
        "--real-dir",
        type=Path,
        default=SHARED_REAL_DATA_DIR,
        help="folder holding the real NHS files (default: %(default)s)",
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=DEFAULT_RAW_DIR,
        help="raw folder to assemble: links to the real CSVs beside the synthetic workbook "
        "(default: %(default)s)",
    )
    args = parser.parse_args(argv)
    missing = missing_real_files(args.real_dir)
    if missing:
        print(
            f"SKIPPED the real-data build: {args.real_dir} does not hold {', '.join(missing)}.",
            file=sys.stderr,
        )
        return 0
    raw_dir = prepare_raw_dir(args.real_dir.resolve(), args.raw_dir.resolve())
    return build.main(["--raw-dir", str(raw_dir), "--warehouse", str(args.warehouse)])


if __name__ == "__main__":
    raise SystemExit(main())
