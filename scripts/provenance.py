"""Record which raw files a build used and which of them are synthetic.

The generator (scripts/make_sample_data.py) writes README_SYNTHETIC.txt beside what it
generates, naming each file it wrote. A raw file named there is recorded as synthetic, so
the warehouse itself (marts.data_provenance), the build summary and the report can say so.
"""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

from scripts.paths import SYNTHETIC_MARKER

RAW_SOURCES = {
    "appointments_regional": "appointments_regional*.csv",
    "actual_duration": "actual_duration*.csv",
    "national_categories": "national_categories*.xlsx",
    "tweets": "tweets*.csv",
}
PROVENANCE_FILE = "provenance.csv"
PROVENANCE_COLUMNS = ("source_name", "source_file", "sha256", "size_bytes", "is_synthetic")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def synthetic_file_names(raw_dir: Path) -> set[str]:
    """Names of the raw files that the synthetic-data marker in raw_dir claims."""
    marker = raw_dir / SYNTHETIC_MARKER
    if not marker.exists():
        return set()
    text = marker.read_text(encoding="utf-8")
    return {path.name for path in raw_dir.iterdir() if path.name in text}


def provenance_rows(raw_dir: Path) -> list[dict[str, str]]:
    synthetic = synthetic_file_names(raw_dir)
    rows = []
    for source_name, pattern in RAW_SOURCES.items():
        for path in sorted(raw_dir.glob(pattern)):
            rows.append(
                {
                    "source_name": source_name,
                    "source_file": path.name,
                    "sha256": sha256_of(path),
                    "size_bytes": str(path.stat().st_size),
                    "is_synthetic": str(path.name in synthetic).lower(),
                }
            )
    return rows


def write(raw_dir: Path, landing_dir: Path) -> Path:
    """Write provenance.csv into the landing folder and return its path."""
    target = landing_dir / PROVENANCE_FILE
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=PROVENANCE_COLUMNS)
        writer.writeheader()
        writer.writerows(provenance_rows(raw_dir))
    return target
