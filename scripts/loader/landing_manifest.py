"""The landing manifest: which raw files made each landed file, so unchanged ones are reused.

manifest.json lists, per raw file: its path, sha256, size, rows landed, the landed file, when
it was checked, the loader version and how long it took. A source is reused without being
read again when its raw files (names and sha256) and the loader version are exactly those of
the manifest and its landed file is still there at the recorded size.

The loader version includes a digest of the loader's own code, so any change to a rule or a
reader makes every source land afresh.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from scripts.code_fingerprint import digest, module_closure

LOADER_RELEASE = "1.0"
MANIFEST_NAME = "manifest.json"
# A source's (and its files') status in the manifest when its landed file was kept as it was.
STATUS_REUSED = "unchanged, reused"


@cache
def loader_version() -> str:
    """Release number plus a short digest of the loader's source code (load_raw and every
    module it imports)."""
    return f"{LOADER_RELEASE}+{digest(module_closure('loader.load'))[:12]}"


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def read_manifest(landing_dir: Path) -> dict[str, Any]:
    """The previous manifest, or an empty one when there is none or it cannot be read."""
    try:
        manifest = json.loads((landing_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def landed_rows(manifest: dict[str, Any]) -> dict[str, int]:
    """Rows landed per source, as a manifest (read_manifest) records them."""
    return {
        source["source_name"]: int(source.get("landed_rows", 0))
        for source in manifest.get("sources", [])
    }


def reusable_source(
    manifest: dict[str, Any],
    source_name: str,
    raw_files: list[tuple[str, str]],
    landing_dir: Path,
) -> dict[str, Any] | None:
    """The manifest's entry for a source whose raw files (name, sha256) are all unchanged."""
    entry = next(
        (
            source
            for source in manifest.get("sources", [])
            if isinstance(source, dict) and source.get("source_name") == source_name
        ),
        None,
    )
    if entry is None:
        return None
    files = [file for file in manifest.get("files", []) if file.get("source_name") == source_name]
    recorded = sorted((file.get("file"), file.get("sha256")) for file in files)
    if recorded != sorted(raw_files):
        return None
    if any(file.get("loader_version") != loader_version() for file in files):
        return None
    landed = landing_dir / str(entry.get("landed_file"))
    if not landed.is_file() or landed.stat().st_size != entry.get("landed_size_bytes"):
        return None
    return {"source": entry, "files": files}


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
