"""The published warehouse opens in DuckDB 1.x clients, the versions BI tools' drivers embed.

The project writes with DuckDB 2.x; the build creates the file with
storage_compatibility_version v1.0.0. This test installs real DuckDB 1.x Python clients into a
cache folder (pip --target, outside the project's environment), opens the built file read-only
with each in a subprocess, and checks that every mart reads back exactly as DuckDB 2.x reads
it. As a control, a file written with DuckDB 2.x defaults must be refused by the same client,
which shows the test can tell the difference.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

# The oldest 1.x that reads the v1.0 format, and the long-term-support 1.x release that current
# JDBC/ODBC drivers embed.
DUCKDB_1X_VERSIONS = ("1.0.0", "1.4.3")
CLIENT_CACHE = REPO_ROOT / "warehouse" / "ci" / "duckdb-clients"

# Run by the 1.x client: a digest of every mart's rows, in a stable order, as Python reprs.
READ_MARTS = """
import hashlib, json, sys
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
tables = [name for (name,) in connection.execute(
    "select table_name from information_schema.tables "
    "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1").fetchall()]
digests = {}
for name in tables:
    rows = connection.execute(f'select * from marts."{name}" order by all').fetchall()
    digests[name] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
print(json.dumps({"version": duckdb.__version__, "marts": digests}))
"""


def mart_digests(warehouse: Path) -> dict[str, list[object]]:
    """The same digest as READ_MARTS, computed with the project's DuckDB 2.x."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
            ).fetchall()
        ]
        digests: dict[str, list[object]] = {}
        for name in tables:
            rows = connection.execute(f'select * from marts."{name}" order by all').fetchall()
            digests[name] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
    return digests


def install_client(version: str) -> Path:
    """pip-install duckdb==version into its own folder (once); skip the test if pip cannot."""
    target = CLIENT_CACHE / f"duckdb-{version}"
    if (target / "duckdb").is_dir() and any(target.glob(f"duckdb-{version}.dist-info")):
        return target
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--upgrade",
            "--target",
            str(target),
            f"duckdb=={version}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"could not pip-install duckdb=={version}: {result.stderr.strip()[-500:]}")
    return target


def run_with_client(client: Path, warehouse: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH puts the 1.x package ahead of the environment's DuckDB 2.x.
    return subprocess.run(
        [sys.executable, "-c", READ_MARTS, str(warehouse)],
        env={**os.environ, "PYTHONPATH": str(client)},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("compat") / "nhs.duckdb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "scripts.build",
            "--raw-dir",
            str(SAMPLE_RAW_DIR),
            "--warehouse",
            str(path),
        ],
        cwd=REPO_ROOT,
        env={**os.environ, "DBT_PROFILES_DIR": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return path


@pytest.mark.parametrize("version", DUCKDB_1X_VERSIONS)
def test_duckdb_1x_client_reads_every_mart_as_duckdb_2_does(warehouse: Path, version: str) -> None:
    client = install_client(version)

    result = run_with_client(client, warehouse)

    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["version"] == version
    expected = mart_digests(warehouse)
    assert "data_provenance" in expected
    assert report["marts"] == expected


@pytest.mark.parametrize("version", DUCKDB_1X_VERSIONS)
def test_duckdb_1x_client_refuses_a_file_in_the_default_2x_format(
    tmp_path: Path, version: str
) -> None:
    client = install_client(version)
    default_file = tmp_path / "default.duckdb"
    with duckdb.connect(str(default_file)) as connection:
        connection.execute("create schema marts; create table marts.t as select 1 as x")

    result = run_with_client(client, default_file)

    assert result.returncode != 0
    assert "version" in result.stderr.lower()
