"""The warehouse built on Spark equals the one built on DuckDB, row for row.

The embedded sample is built on Spark (scripts.build.spark, the same loader and dbt project,
tables as Parquet) and compared with the session's DuckDB build of it: the same staging,
intermediate, reference and mart tables, with the same column names and types, and the same
rows, compared with EXCEPT ALL both ways (so duplicates count) and doubles rounded to 9
decimals (the engines may add floating-point numbers in another order). The Parquet files are
read with DuckDB, independently of Spark. The questions' analyses, run by Spark on its build,
print the same answers as on DuckDB's.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import assert_succeeded, run_script

from scripts.build.spark_warehouse import attach_as_views
from scripts.paths import SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

COMPARED_SCHEMAS = ("staging", "intermediate", "reference", "marts")
DOUBLE_DECIMALS = 9
DOUBLE_TYPES = {"DOUBLE", "FLOAT", "REAL"}

Columns = list[tuple[str, str]]


@pytest.fixture(scope="module")
def spark_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The embedded sample built on Spark, once for the module, with dbt's unit tests (so the
    SQL's logic is checked on Spark too, as make test checks it on DuckDB): its folder and the
    build's output."""
    warehouse_dir = tmp_path_factory.mktemp("spark") / "spark"
    result = assert_succeeded(
        run_script(
            "scripts.build.spark",
            "--raw-dir",
            SAMPLE_RAW_DIR,
            "--spark-warehouse",
            warehouse_dir,
            "--unit-tests",
        )
    )
    return warehouse_dir, result


@pytest.fixture(scope="module")
def spark_sample(spark_run: tuple[Path, subprocess.CompletedProcess[str]]) -> Path:
    return spark_run[0]


@pytest.fixture(scope="module")
def both(sample_warehouse: Path, spark_sample: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """One DuckDB connection with the DuckDB build as `duck` and the Parquet tables as `spark`."""
    with duckdb.connect() as connection:
        connection.execute(f"attach '{sample_warehouse}' as duck (read_only)")
        attach_as_views(connection, spark_sample, "spark")
        yield connection


def tables(connection: duckdb.DuckDBPyConnection, database: str) -> list[tuple[str, str]]:
    """(schema, table) of every table compared: DuckDB's tables, or the views over the Spark
    build's Parquet tables (a model materialized as a view lives only in Spark's catalog)."""
    catalog = "duckdb_views()" if database == "spark" else "duckdb_tables()"
    name = "view_name" if database == "spark" else "table_name"
    return connection.execute(
        f"select schema_name, {name} from {catalog} "
        "where database_name = ? and schema_name in (select unnest(?)) order by all",
        [database, list(COMPARED_SCHEMAS)],
    ).fetchall()


def columns(connection: duckdb.DuckDBPyConnection, relation: str) -> Columns:
    """Column names and DuckDB types of relation, in order."""
    return [
        (name, column_type)
        for name, column_type, *_ in connection.execute(f"describe {relation}").fetchall()
    ]


def rows_only_in_left(
    connection: duckdb.DuckDBPyConnection, left: str, right: str, table_columns: Columns
) -> int:
    """How many rows of left (counting duplicates) right lacks, doubles rounded."""
    select_list = ", ".join(
        f"round({name}, {DOUBLE_DECIMALS}) as {name}" if column_type in DOUBLE_TYPES else name
        for name, column_type in table_columns
    )
    (count,) = connection.execute(
        f"select count(*) from (select {select_list} from {left} "
        f"except all select {select_list} from {right})"
    ).fetchone()
    return count


def differences(
    connection: duckdb.DuckDBPyConnection, duck: str, spark: str
) -> tuple[Columns, Columns, int, int]:
    """Both relations' columns, and the rows only in the first and only in the second."""
    duck_columns, spark_columns = columns(connection, duck), columns(connection, spark)
    if duck_columns != spark_columns:
        return duck_columns, spark_columns, -1, -1
    return (
        duck_columns,
        spark_columns,
        rows_only_in_left(connection, duck, spark, duck_columns),
        rows_only_in_left(connection, spark, duck, duck_columns),
    )


def test_spark_builds_every_table_duckdb_builds(both: duckdb.DuckDBPyConnection) -> None:
    duck_tables = tables(both, "duck")
    assert ("marts", "data_provenance") in duck_tables
    assert tables(both, "spark") == duck_tables


def test_every_table_has_the_same_columns_and_rows(both: duckdb.DuckDBPyConnection) -> None:
    differing = {}
    compared = 0
    for schema, table in tables(both, "spark"):
        duck_columns, spark_columns, only_duck, only_spark = differences(
            both, f"duck.{schema}.{table}", f"spark.{schema}.{table}"
        )
        compared += 1
        if duck_columns != spark_columns:
            differing[f"{schema}.{table}"] = {"duckdb": duck_columns, "spark": spark_columns}
        elif only_duck or only_spark:
            differing[f"{schema}.{table}"] = {
                "rows only in DuckDB": only_duck,
                "rows only in Spark": only_spark,
            }
    assert differing == {}
    assert compared >= 20


def test_the_comparison_finds_a_changed_value_and_a_lost_duplicate(
    both: duckdb.DuckDBPyConnection,
) -> None:
    """The check above is only as good as differences(): it must see a double changed beyond
    the rounding, and a duplicate row that one side lacks."""
    both.execute(
        "create temp view changed_share as "
        "select * replace (share_of_month_appointments + 1e-6 as share_of_month_appointments) "
        "from spark.marts.national_category_monthly"
    )
    both.execute(
        "create temp view one_row_twice as "
        "select * from spark.reference.nhs_regions "
        "union all (select * from spark.reference.nhs_regions limit 1)"
    )
    *_, only_duck, only_spark = differences(
        both, "duck.marts.national_category_monthly", "changed_share"
    )
    assert only_duck == only_spark > 0
    assert differences(both, "duck.reference.nhs_regions", "one_row_twice")[2:] == (0, 1)


def test_spark_prints_the_same_answers(sample_warehouse: Path, spark_sample: Path) -> None:
    on_duckdb = assert_succeeded(
        run_script("scripts.consumers.answers", "--warehouse", sample_warehouse)
    ).stdout
    on_spark = assert_succeeded(
        run_script("scripts.consumers.spark_answers", "--spark-warehouse", spark_sample)
    ).stdout
    _, duckdb_answers = on_duckdb.split("\n", 1)
    spark_heading, spark_answers = on_spark.split("\n", 1)
    assert spark_heading == f"Answers from {spark_sample} (Spark)"
    assert "Q10." in duckdb_answers and "FAILED" not in duckdb_answers
    assert spark_answers == duckdb_answers


def test_spark_logs_errors_only(spark_run: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    """config/spark-log4j2.properties holds Spark to errors: none of its warnings, and not the
    note it prints when it sets the console to WARN for PySpark's gateway."""
    output = spark_run[1].stdout + spark_run[1].stderr
    assert "Setting default log level" not in output
    assert not re.search(r"^\d\d:\d\d:\d\d WARN ", output, re.MULTILINE)
