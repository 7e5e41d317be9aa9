"""constrained_columns_not_null finds a null in a column the contract declares not null.

DuckDB refuses such a null while it writes the table, so a DuckDB build leaves the test out; on
Spark, whose Parquet tables do not enforce constraints, it is the only check. Here (with the var
check_enforced_constraints, which builds it on DuckDB too) a
copy of the sample warehouse gets a null where the contract forbids one (the constraint dropped
first, as Parquet never had it), and the test, run by dbt against the copy, must fail and name
the model.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import child_env

from scripts.paths import REPO_ROOT

pytestmark = pytest.mark.slow

MODEL = "stg_nhs__tweets"
COLUMN = "retweet_count"


def dbt_test(warehouse: Path, target_path: Path) -> subprocess.CompletedProcess[str]:
    """`dbt test` of MODEL's constrained_columns_not_null test against warehouse."""
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [
            str(dbt),
            "test",
            "--select",
            f"test_name:constrained_columns_not_null,{MODEL}",
            "--vars",
            "{check_enforced_constraints: true}",
            "--target-path",
            str(target_path),
        ],
        cwd=REPO_ROOT,
        env={**child_env(), "NHS_DUCKDB_PATH": str(warehouse), "DBT_TARGET": "dev"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_null_in_a_not_null_column_fails_the_test(sample_warehouse: Path, tmp_path: Path) -> None:
    copy = tmp_path / sample_warehouse.name
    shutil.copyfile(sample_warehouse, copy)
    passed = dbt_test(copy, tmp_path / "target")
    assert passed.returncode == 0, passed.stdout[-3000:]
    assert f"PASS constrained_columns_not_null_{MODEL}" in passed.stdout
    with duckdb.connect(str(copy)) as connection:
        connection.execute(f"alter table staging.{MODEL} alter column {COLUMN} drop not null")
        connection.execute(
            f"update staging.{MODEL} set {COLUMN} = null "
            f"where tweet_id = (select min(tweet_id) from staging.{MODEL})"
        )
    failed = dbt_test(copy, tmp_path / "target")
    assert failed.returncode != 0
    assert f"constrained_columns_not_null_{MODEL}" in failed.stdout
    assert "Got 1 result" in failed.stdout
