"""The published warehouse opens in DuckDB 1.x clients, the versions BI tools' drivers embed.

The project writes with DuckDB 2.x; the build creates the file with
storage_compatibility_version v1.0.0. This test installs real DuckDB 1.x Python clients into a
cache folder (pip --target, outside the project's environment), opens the built file read-only
with each in a subprocess, and checks that every mart reads back exactly as DuckDB 2.x reads
it. As a control, a file written with DuckDB 2.x defaults must be refused by the same client,
which shows the test can tell the difference.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import MART_TABLES_SQL

from scripts.paths import REPO_ROOT

pytestmark = pytest.mark.slow

# The oldest 1.x that reads the v1.0 format, and the long-term-support 1.x release that current
# JDBC/ODBC drivers embed.
DUCKDB_1X_VERSIONS = ("1.0.0", "1.4.3")
CLIENT_CACHE = REPO_ROOT / "warehouse" / "ci" / "duckdb-clients"

# Run by each client in turn (the 1.x under test, then the project's 2.x as the reference): a
# digest of every mart's rows, in a stable order, as Python reprs.
READ_MARTS = f"""
import hashlib, json, sys
import duckdb
connection = duckdb.connect(sys.argv[1], read_only=True)
tables = [name for (name,) in connection.execute({MART_TABLES_SQL!r}).fetchall()]
digests = {{}}
for name in tables:
    rows = connection.execute(f'select * from marts."{{name}}" order by all').fetchall()
    digests[name] = [len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]
print(json.dumps({{"version": duckdb.__version__, "marts": digests}}))
"""


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


def run_with_client(client: Path | None, warehouse: Path) -> subprocess.CompletedProcess[str]:
    """Run READ_MARTS on warehouse with the 1.x client installed in client (None: the project's
    own DuckDB)."""
    # PYTHONPATH puts the 1.x package ahead of the environment's DuckDB 2.x.
    env = os.environ if client is None else {**os.environ, "PYTHONPATH": str(client)}
    return subprocess.run(
        [sys.executable, "-c", READ_MARTS, str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def read_marts(client: Path | None, warehouse: Path) -> dict[str, object]:
    """What READ_MARTS reports, failing the test when the client cannot read the file."""
    result = run_with_client(client, warehouse)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def marts_as_duckdb_2_reads_them(sample_warehouse: Path) -> dict:
    expected = read_marts(None, sample_warehouse)
    assert expected["version"] == duckdb.__version__
    assert "data_provenance" in expected["marts"]
    return expected


@pytest.mark.parametrize("version", DUCKDB_1X_VERSIONS)
def test_duckdb_1x_client_reads_every_mart_as_duckdb_2_does(
    sample_warehouse: Path, marts_as_duckdb_2_reads_them: dict, version: str
) -> None:
    client = install_client(version)

    report = read_marts(client, sample_warehouse)

    assert report["version"] == version
    assert report["marts"] == marts_as_duckdb_2_reads_them["marts"]


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
