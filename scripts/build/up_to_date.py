"""Whether the published warehouse is up to date: a fingerprint of everything a build depends on,
recorded beside the warehouse when a file is published and compared on the next build."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from scripts.code_fingerprint import module_closure
from scripts.loader.landing_manifest import MANIFEST_NAME, now_utc
from scripts.paths import REPO_ROOT

# What makes the published warehouse what it is, besides the raw and landed files.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "selectors.yml")
PROJECT_DIRS = ("models", "macros", "seeds", "snapshots", "tests", "analyses")
PROJECT_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md", ".py"}
VERSIONED_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
# Set by the build itself (scripts/build/dbt_runner.py), from the warehouse path.
OWN_ENV_VARS = {"NHS_DUCKDB_PATH", "NHS_LANDING_DIR"}
# dbt settings that the explicit --project-dir/--profiles-dir/--target-path override, or that
# do not change what is built.
IGNORED_DBT_ENV_VARS = {
    "DBT_PROFILES_DIR",
    "DBT_PROJECT_DIR",
    "DBT_TARGET_PATH",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    "DBT_LOG_PATH",
    "DBT_USE_COLORS",
    "DBT_PRINTER_WIDTH",
    "DBT_QUIET",
    "DBT_LOG_LEVEL",
    "DBT_LOG_LEVEL_FILE",
    "DBT_LOG_FORMAT",
    "DBT_LOG_FORMAT_FILE",
}
STATE_FILE = "published.json"
_VOLATILE_MANIFEST_KEYS = {"written_at", "checked_at", "duration_seconds", "status"}


def _project_files() -> list[Path]:
    files = [REPO_ROOT / name for name in PROJECT_FILES if (REPO_ROOT / name).is_file()]
    for folder in PROJECT_DIRS:
        files.extend(
            path
            for path in (REPO_ROOT / folder).rglob("*")
            if path.suffix in PROJECT_SUFFIXES
            and path.is_file()
            # tests/ also holds the Python test suite, which dbt does not read.
            and not (folder == "tests" and path.suffix == ".py")
        )
    # The build code: scripts/build/pipeline.py and every module it imports.
    files.extend(module_closure("build.pipeline"))
    return sorted(files)


def _without_volatile(value: Any) -> Any:
    """The landing manifest less what changes on every load (timestamps, timings)."""
    if isinstance(value, dict):
        return {
            key: _without_volatile(item)
            for key, item in value.items()
            if key not in _VOLATILE_MANIFEST_KEYS
        }
    if isinstance(value, list):
        return [_without_volatile(item) for item in value]
    return value


def inputs_fingerprint(landing_dir: Path, dbt_args: list[str]) -> str:
    """A digest of everything a build's result depends on; equal digests give equal warehouses.

    Raw files enter through the landing manifest (their sha256, rows, the loader version); the
    landed CSVs by name, size and modification time (the loader hard-links unchanged ones, so
    a file touched by hand counts as changed); the other landed files (rejects, provenance),
    the project and the build code by content; plus the dbt, dbt-duckdb and DuckDB versions,
    the extra dbt arguments and the environment variables the project or dbt read.
    """
    digest = hashlib.sha256()

    def add(label: str, value: Any) -> None:
        digest.update(f"{label}\0{json.dumps(value, sort_keys=True, default=str)}\n".encode())

    manifest = json.loads((landing_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    add("landing manifest", _without_volatile(manifest))
    landed_files = {source.get("landed_file") for source in manifest.get("sources", [])}
    for path in sorted(landing_dir.iterdir()):
        if path.name in landed_files:
            stat = path.stat()
            add("landed", [path.name, stat.st_size, stat.st_mtime_ns])
        elif path.name != MANIFEST_NAME:
            # Small files the loader or the build rewrite every time (rejects, provenance).
            add("landed", [path.name, hashlib.sha256(path.read_bytes()).hexdigest()])
    env_names: set[str] = set()
    for path in _project_files():
        content = path.read_bytes()
        digest.update(f"file\0{path.relative_to(REPO_ROOT)}\0".encode())
        digest.update(hashlib.sha256(content).digest())
        env_names.update(re.findall(rb"env_var\(\s*['\"](\w+)['\"]", content))
    names = {name.decode() for name in env_names} | {
        name for name in os.environ if name.startswith("DBT_")
    }
    add(
        "environment",
        {
            name: os.environ.get(name)
            for name in sorted(names - OWN_ENV_VARS - IGNORED_DBT_ENV_VARS)
        },
    )
    add("versions", {name: metadata.version(name) for name in VERSIONED_PACKAGES})
    add("python", sys.version)
    add("dbt arguments", dbt_args)
    return digest.hexdigest()


def _file_identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def published_is_current(warehouse: Path, state_path: Path, fingerprint: str) -> dict | None:
    """The recorded state, if the published file is the very one built from these inputs."""
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        current = _file_identity(warehouse)
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") == fingerprint and state.get("warehouse_file") == current:
        return state
    return None


def record_published(raw_dir: Path, warehouse: Path, state_path: Path, fingerprint: str) -> None:
    """Remember which inputs the file now published was built from (written atomically)."""
    state = {
        "fingerprint": fingerprint,
        "warehouse_file": _file_identity(warehouse),
        "published_at": now_utc(),
        "raw_dir": str(raw_dir),
    }
    partial = state_path.with_name(f"{state_path.name}.{os.getpid()}")
    partial.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, state_path)
