"""Query the semantic layer (the metrics in models/semantic/) with MetricFlow's CLI, mf, against a
built warehouse, read-only.

usage examples:
  nhs metrics query --metrics dna_rate --group-by metric_time__quarter,appointment__appointment_mode
  nhs metrics --warehouse warehouse/ci/real.duckdb list metrics
  make metrics ARGS="query --metrics total_appointments,dna_rate --group-by metric_time__month"

Everything after the options is passed to mf as it is (`nhs metrics` alone shows mf's own
help). mf runs with the dbt profile target `metrics` (profiles.yml): DuckDB in memory with the
warehouse file attached READ-ONLY under the name nhs, as a BI tool opens it, so queries run while
other readers hold the file open and while a build replaces it (they see the file as it was when
mf opened it). mf reads the metric definitions from target/semantic_manifest.json; before it
runs, that file is rewritten with `dbt parse` whenever the dbt project has changed since it was
written, or something else (e.g. `dbt docs generate`) has written it since.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path

from scripts.build.dbt_runner import dbt_arguments
from scripts.cli import command_parser
from scripts.code_fingerprint import digest
from scripts.paths import REPO_ROOT, TARGET_DIR

SEMANTIC_MANIFEST = TARGET_DIR / "semantic_manifest.json"
# What the semantic manifest was parsed from, so an unchanged project is not parsed again.
MANIFEST_STAMP = TARGET_DIR / "semantic_manifest.stamp.json"
MANIFEST_LOCK = TARGET_DIR / "semantic_manifest.lock"
DBT_TARGET = "metrics"
# What the semantic manifest is made of: the models and their YAML (semantic models, metrics,
# the time spine), the macros (schema names), the project's vars and the profile (database name).
MANIFEST_INPUT_FILES = ("dbt_project.yml", "profiles.yml")
MANIFEST_INPUT_DIRS = ("models", "macros")
VERSIONED_PACKAGES = ("dbt-core", "dbt-duckdb", "dbt-metricflow")


def manifest_inputs() -> list[Path]:
    files = [REPO_ROOT / name for name in MANIFEST_INPUT_FILES]
    for folder in MANIFEST_INPUT_DIRS:
        files.extend(path for path in (REPO_ROOT / folder).rglob("*") if path.is_file())
    return sorted(files)


def inputs_digest() -> str:
    files = manifest_inputs()
    versions = [f"{name}=={metadata.version(name)}" for name in VERSIONED_PACKAGES]
    # The folders too: a model's folder sets its schema, so a moved model changes its relation.
    places = [path.relative_to(REPO_ROOT).as_posix() for path in files]
    return digest(files, DBT_TARGET, *versions, *places)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def manifest_is_current(inputs: str) -> bool:
    """True when the semantic manifest is the one this module parsed from these inputs."""
    if not (SEMANTIC_MANIFEST.is_file() and MANIFEST_STAMP.is_file()):
        return False
    try:
        stamp = json.loads(MANIFEST_STAMP.read_text(encoding="utf-8"))
    except ValueError:
        return False
    return stamp == {"inputs": inputs, "manifest_sha256": file_sha256(SEMANTIC_MANIFEST)}


@contextlib.contextmanager
def manifest_lock() -> Iterator[None]:
    """One process at a time checks and rewrites target/semantic_manifest.json."""
    TARGET_DIR.mkdir(parents=True, exist_ok=True)
    with MANIFEST_LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def parse_project() -> None:
    """`dbt parse` for the metrics target, which writes target/semantic_manifest.json (and fails
    when a semantic model or metric is invalid)."""
    print("Parsing the dbt project for the semantic layer (dbt parse) ...", file=sys.stderr)
    command = [
        dbt_executable("dbt"),
        "parse",
        "--quiet",
        "--target",
        DBT_TARGET,
        *dbt_arguments(REPO_ROOT, TARGET_DIR),
    ]
    result = subprocess.run(command, env=dbt_env(), check=False)
    if result.returncode != 0:
        raise RuntimeError("dbt parse failed (see above); target/semantic_manifest.json is stale")


def ensure_semantic_manifest() -> None:
    with manifest_lock():
        inputs = inputs_digest()
        if manifest_is_current(inputs):
            return
        MANIFEST_STAMP.unlink(missing_ok=True)
        parse_project()
        stamp = {"inputs": inputs, "manifest_sha256": file_sha256(SEMANTIC_MANIFEST)}
        MANIFEST_STAMP.write_text(json.dumps(stamp), encoding="utf-8")


def dbt_executable(name: str) -> str:
    """The console script installed beside this interpreter (dbt, mf), else the one on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.is_file() else (shutil.which(name) or name)


def dbt_env(warehouse: Path | None = None) -> dict[str, str]:
    """The environment dbt and mf run in: this project, its profile's metrics target and, when
    given, the warehouse file it attaches read-only."""
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(REPO_ROOT),
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_TARGET": DBT_TARGET,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    if warehouse is not None:
        env["NHS_DUCKDB_PATH"] = str(warehouse)
    return env


def run_mf(warehouse: Path, mf_args: list[str]) -> int:
    """Run mf with mf_args against warehouse; its exit status."""
    return subprocess.run(
        [dbt_executable("mf"), *mf_args], env=dbt_env(warehouse), check=False
    ).returncode


class MetricsQueryFailed(RuntimeError):
    """mf could not answer a query (an unknown metric or dimension, a missing warehouse...)."""


def query(
    warehouse: Path,
    metric_names: Sequence[str],
    group_by: Sequence[str],
    where: Sequence[str] = (),
) -> list[dict[str, str]]:
    """The rows mf returns for the metrics grouped by group_by (and filtered by each of where,
    e.g. "{{ Dimension('region__region_name') }} = 'London'"), as text keyed by column name:
    for Python consumers of the semantic layer. Empty text is a null."""
    if not warehouse.exists():
        raise MetricsQueryFailed(f"no warehouse at {warehouse}")
    ensure_semantic_manifest()
    with tempfile.TemporaryDirectory(prefix="mf-") as scratch:
        out = Path(scratch) / "result.csv"
        arguments = ["query", "--metrics", ",".join(metric_names), "--quiet", "--csv", str(out)]
        if group_by:
            arguments += ["--group-by", ",".join(group_by)]
        for condition in where:
            arguments += ["--where", condition]
        result = subprocess.run(
            [dbt_executable("mf"), *arguments],
            env=dbt_env(warehouse),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0 or not out.is_file():
            raise MetricsQueryFailed(
                f"mf {' '.join(arguments)} failed:\n{result.stdout}{result.stderr}"
            )
        with out.open(newline="", encoding="utf-8") as handle:
            return list(csv.DictReader(handle))


def main(argv: list[str] | None = None) -> int:
    parser = command_parser(
        "scripts.consumers.metrics",
        __doc__,
        warehouse_help="built DuckDB warehouse to query, read-only (default: %(default)s)",
    )
    parser.add_argument(
        "mf_args",
        nargs=argparse.REMAINDER,
        metavar="MF_ARGS",
        help="arguments for mf (none: mf's own help, listing its commands)",
    )
    args = parser.parse_args(argv)
    if not args.mf_args:
        return run_mf(args.warehouse.resolve(), ["--help"])
    warehouse = args.warehouse.resolve()
    if not warehouse.exists():
        print(
            f"No warehouse at {warehouse}: build one first (make run), or pass --warehouse PATH.",
            file=sys.stderr,
        )
        return 2
    try:
        ensure_semantic_manifest()
    except RuntimeError as failure:
        print(f"METRICS FAILED: {failure}.", file=sys.stderr)
        return 1
    return run_mf(warehouse, args.mf_args)


if __name__ == "__main__":
    raise SystemExit(main())
