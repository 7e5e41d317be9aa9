"""Record which raw files a build used and which of them are synthetic.

The checksums and sizes come from the loader's manifest (it has just hashed every raw file),
so no raw file is read a second time. The generator (scripts/synthetic/generate.py) writes
README_SYNTHETIC.txt beside what it generates, naming each file it wrote, and labels the files
themselves (a workbook's document properties, a zip archive's comment), which the loader records
in the manifest (synthetic_label). A raw file named by the marker or labelled inside is recorded
as synthetic, so the warehouse (marts.data_provenance), the build summary and the report can say
so even when a generated file was copied without the marker.
"""

from __future__ import annotations

import csv
from pathlib import Path

from scripts.loader.landing_manifest import read_manifest
from scripts.paths import SYNTHETIC_MARKER

PROVENANCE_FILE = "provenance.csv"
PROVENANCE_COLUMNS = ("source_name", "source_file", "sha256", "size_bytes", "is_synthetic")


def synthetic_file_names(raw_dir: Path) -> set[str]:
    """Names of the raw files that the synthetic-data marker in raw_dir claims."""
    marker = raw_dir / SYNTHETIC_MARKER
    if not marker.exists():
        return set()
    text = marker.read_text(encoding="utf-8")
    return {path.name for path in raw_dir.iterdir() if path.name in text}


def provenance_rows(raw_dir: Path, landing_dir: Path) -> list[dict[str, str]]:
    """One row per raw file in the loader's manifest, in source then file order."""
    synthetic = synthetic_file_names(raw_dir)
    return [
        {
            "source_name": entry["source_name"],
            "source_file": entry["file"],
            "sha256": entry["sha256"],
            "size_bytes": str(entry["size_bytes"]),
            # named by the marker (an archive's members with it), or labelled inside the file
            "is_synthetic": str(
                entry["file"].split("/")[0] in synthetic or "synthetic_label" in entry
            ).lower(),
        }
        for entry in read_manifest(landing_dir).get("files", [])
    ]


def write(raw_dir: Path, landing_dir: Path) -> Path:
    """Write provenance.csv into the landing folder and return its path."""
    target = landing_dir / PROVENANCE_FILE
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=PROVENANCE_COLUMNS)
        writer.writeheader()
        writer.writerows(provenance_rows(raw_dir, landing_dir))
    return target
