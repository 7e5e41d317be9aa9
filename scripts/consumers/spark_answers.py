"""Print the answer to each NHS question from the Spark build, computed by Spark.

  nhs spark-answers [--spark-warehouse DIR]

The same analyses/*.sql as `nhs answers`, as dbt compiled them for the spark target at the end
of `nhs spark`, run on a local SparkSession over the Parquet tables of the Spark warehouse and
printed in the same layout, so the two engines' answers can be set side by side
(tests/python/build/test_spark_parity.py checks they are the same).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from scripts.build.spark_warehouse import (
    DEFAULT_SPARK_WAREHOUSE,
    parquet_tables,
    session_settings,
    use_bundled_java,
)
from scripts.cli import command_parser
from scripts.consumers.answers import (
    Analysis,
    Answer,
    exit_status,
    load_analyses,
    print_answers,
)
from scripts.warehouse_sql import ANALYSES_DIR, CompiledSqlMissing, compiled_analysis


def spark_session_over(warehouse_dir: Path) -> Any:
    """A local SparkSession whose catalog holds every Parquet table of warehouse_dir under its
    schema and table name (read where it lies, nothing copied)."""
    use_bundled_java()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("nhs-answers")
    # The Spark build's settings (profiles.yml), so both sessions compute alike.
    for name, value in session_settings(warehouse_dir).items():
        builder = builder.config(name, value)
    spark = builder.getOrCreate()
    for (schema, table), folder in parquet_tables(warehouse_dir).items():
        spark.sql(f"create database if not exists {schema}")
        location = str(folder).replace("'", "\\'")
        spark.sql(f"create table {schema}.{table} using parquet location '{location}'")
    return spark


def run_analysis(spark: Any, analysis: Analysis) -> Answer:
    frame = spark.sql(analysis.sql)
    return Answer(columns=tuple(frame.columns), rows=tuple(tuple(row) for row in frame.collect()))


def answer_all(warehouse_dir: Path, analyses: list[Analysis]) -> int:
    """Print the answers as Spark computes them; return how many analyses failed."""
    from pyspark.errors import PySparkException

    # Java and Spark take a few seconds to start, before the first answer.
    print(f"Starting a local Spark session over {warehouse_dir} ...", file=sys.stderr, flush=True)
    spark = spark_session_over(warehouse_dir)
    try:
        sql = compiled_analysis(warehouse_dir, "consumers/synthetic_sources")
        synthetic = [row[0] for row in spark.sql(sql).collect()]
        return print_answers(
            f"Answers from {warehouse_dir} (Spark)",
            synthetic,
            analyses,
            lambda analysis: run_analysis(spark, analysis),
            PySparkException,
        )
    finally:
        spark.stop()


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.consumers.spark_answers", __doc__)
    parser.add_argument(
        "--spark-warehouse",
        type=Path,
        default=DEFAULT_SPARK_WAREHOUSE,
        help="Spark warehouse folder built by nhs spark (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    warehouse_dir = args.spark_warehouse.resolve()
    if not parquet_tables(warehouse_dir):
        print(
            f"No Spark warehouse at {warehouse_dir}: build one first (make spark).", file=sys.stderr
        )
        return 2
    try:
        analyses = load_analyses(ANALYSES_DIR, warehouse_dir)
    except CompiledSqlMissing as error:
        print(error, file=sys.stderr)
        return 2
    return exit_status(answer_all(warehouse_dir, analyses), len(analyses))


if __name__ == "__main__":
    raise SystemExit(main())
