"""contract_constraints_hold returns every row that breaks its model's contract, with the rules
each breaks: a null in a not_null column, a column's check, a model-level (named) check.

DuckDB refuses such a row while it writes the table (test_publish shows the build stopping), so
a DuckDB build leaves the test out; on Spark, whose Parquet tables do not enforce constraints,
it is the only check. On DuckDB (with the var check_enforced_constraints, which builds the test
there too) a copy of the sample warehouse has two tables rewritten without their constraints, as
Parquet stores them, and then given rows that break them; the test, run by dbt against the
copy, must fail and store exactly those rows, each with the rules it breaks. On Spark, a raw
row that breaks a staging check goes into the Parquet table, and the test stops the build.
(The Spark build of the clean sample, in test_spark_parity, passes every one of these tests.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from conftest import change_first_regional_row, child_env, run_script

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

# Each model tested, its schema, and the column that identifies a row.
MODELS = {
    "stg_nhs__tweets": ("staging", "tweet_id"),
    "tweet_hashtags": ("marts", "hashtag"),
}


def dbt_test(warehouse: Path, target_path: Path) -> subprocess.CompletedProcess[str]:
    """`dbt test` of the MODELS' contract_constraints_hold tests against warehouse, storing the
    rows each returns in the warehouse (--store-failures)."""
    dbt = Path(sys.executable).parent / "dbt"
    return subprocess.run(
        [
            str(dbt),
            "test",
            "--select",
            *(f"test_name:contract_constraints_hold,{model}" for model in MODELS),
            "--vars",
            "{check_enforced_constraints: true}",
            "--store-failures",
            "--target-path",
            str(target_path),
        ],
        cwd=REPO_ROOT,
        env={**child_env(), "NHS_DUCKDB_PATH": str(warehouse), "DBT_TARGET": "dev"},
        capture_output=True,
        text=True,
        check=False,
    )


def stored_failures(warehouse: Path, model: str) -> set[tuple[object, str]]:
    """(row key, broken_constraints) of every row model's test returned."""
    _, key = MODELS[model]
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        # dbt names the table after the test node (contract_constraints_hold_<model>_).
        schema, table = connection.execute(
            "select schema_name, table_name from duckdb_tables() where table_name like ?",
            [f"contract_constraints_hold_{model}%"],
        ).fetchone()
        rows = connection.execute(
            f"select {key}, broken_constraints from {schema}.{table}"
        ).fetchall()
    return set(rows)


def test_every_broken_rule_of_the_contract_is_found_and_named(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    copy = tmp_path / sample_warehouse.name
    shutil.copyfile(sample_warehouse, copy)
    passed = dbt_test(copy, tmp_path / "target")
    assert passed.returncode == 0, passed.stdout[-3000:]
    for model in MODELS:
        assert f"PASS contract_constraints_hold_{model}" in passed.stdout

    with duckdb.connect(str(copy)) as connection:
        for model, (schema, _) in MODELS.items():
            # A table created from a query has no constraints, as on Parquet.
            connection.execute(
                f"create or replace table {schema}.{model} as select * from {schema}.{model}"
            )
        first_tweet, last_tweet = connection.execute(
            "select min(tweet_id), max(tweet_id) from staging.stg_nhs__tweets"
        ).fetchone()
        connection.execute(
            "update staging.stg_nhs__tweets set retweet_count = -1, favorite_count = -2 "
            "where tweet_id = ?",
            [first_tweet],
        )
        connection.execute(
            "update staging.stg_nhs__tweets set tweet_text = null where tweet_id = ?",
            [last_tweet],
        )
        (hashtag,) = connection.execute("select min(hashtag) from marts.tweet_hashtags").fetchone()
        connection.execute(
            "update marts.tweet_hashtags set retweets = retweets + 1 where hashtag = ?", [hashtag]
        )

    failed = dbt_test(copy, tmp_path / "target")

    assert failed.returncode != 0
    assert "FAIL 2 contract_constraints_hold_stg_nhs__tweets" in failed.stdout, failed.stdout
    assert "FAIL 1 contract_constraints_hold_tweet_hashtags" in failed.stdout, failed.stdout
    assert stored_failures(copy, "stg_nhs__tweets") == {
        (first_tweet, "retweet_count >= 0; favorite_count >= 0"),
        (last_tweet, "tweet_text is not null"),
    }
    assert stored_failures(copy, "tweet_hashtags") == {
        (hashtag, "tweets_are_originals_and_retweets")
    }


def test_on_spark_the_test_stops_a_build_whose_parquet_table_took_a_breaking_row(
    tmp_path: Path,
) -> None:
    """A count of 0 passes the loader and breaks the staging check count_of_appointments > 0,
    which DuckDB enforces (test_publish) and Spark's Parquet does not."""
    zero_count = change_first_regional_row(
        SAMPLE_RAW_DIR, tmp_path / "raw", "count_of_appointments", "0"
    )
    warehouse = tmp_path / "spark"

    # Only the staging model, the seeds it reads and the tests of those alone: the failure is
    # there, and the whole build on Spark is test_spark_parity's (this keeps a second full
    # Spark build out of make test).
    result = run_script(
        "scripts.build.spark",
        "--raw-dir",
        zero_count,
        "--spark-warehouse",
        warehouse,
        "--",
        "--select",
        "+stg_nhs__regional_appointments",
        "--indirect-selection",
        "cautious",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 1, output[-3000:]
    assert re.search(r"OK created sql table model staging\.stg_nhs__regional_appointments", output)
    assert re.search(r"FAIL 1 contract_constraints_hold_stg_nhs__regional_appointments", output)
    assert "SPARK BUILD FAILED: dbt build on Spark failed" in result.stderr
    assert not warehouse.exists()
