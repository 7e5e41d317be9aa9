"""Build the warehouse: land the raw files, run dbt build into a new file, publish it atomically.

The published DuckDB file is only ever replaced by a file whose models and tests have all
passed, so BI tools reading it never see a half-built or failing warehouse, and a failed build
leaves the last good warehouse exactly as it was.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import psutil

from scripts import duckdb_file, load_raw, provenance
from scripts.paths import DEFAULT_WAREHOUSE, REPO_ROOT, SAMPLE_RAW_DIR, landing_dir_for
from scripts.warehouse_summary import render


class BuildFailed(RuntimeError):
    """A build step failed; the published warehouse was left untouched."""


CANDIDATE_INFIX = ".building-"


def candidate_path(warehouse: Path) -> Path:
    """The new file a build writes into, next to the published one (same filesystem)."""
    return warehouse.with_name(f"{warehouse.name}{CANDIDATE_INFIX}{os.getpid()}")


def remove_stale_candidates(warehouse: Path) -> list[Path]:
    """Delete candidate files (and their WALs) left by builds whose process has died.

    A build killed outright (SIGKILL, power loss) cannot clean up after itself; the next build
    does, so abandoned candidates never accumulate. Candidates of live builds are left alone.
    """
    removed = []
    for leftover in warehouse.parent.glob(f"{warehouse.name}{CANDIDATE_INFIX}*"):
        pid_text = leftover.name[len(warehouse.name) + len(CANDIDATE_INFIX) :].removesuffix(".wal")
        if pid_text.isdigit() and not psutil.pid_exists(int(pid_text)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def run_dbt(candidate: Path, landing_dir: Path, dbt_args: list[str]) -> None:
    """Run `dbt build` in-process against the candidate file."""
    # Imported here so `--help` and the loader stay fast.
    from dbt.cli.main import dbtRunner

    os.environ["NHS_DUCKDB_PATH"] = str(candidate)
    os.environ["NHS_LANDING_DIR"] = str(landing_dir)
    arguments = [
        "build",
        "--project-dir",
        str(REPO_ROOT),
        "--profiles-dir",
        str(REPO_ROOT),
        *dbt_args,
    ]
    try:
        result = dbtRunner().invoke(arguments)
    finally:
        release_dbt_database()
    if not result.success:
        raise BuildFailed("dbt build failed (see the model or test named above)")


def release_dbt_database() -> None:
    """Close the DuckDB database that dbt-duckdb keeps open in this process after dbt returns.

    Left open, it still holds the candidate after the rename, and DuckDB may write to it when
    the process exits, after the file has been published. Best effort: the attribute is
    dbt-duckdb's, and publishing works without it (duckdb_file opens with the same config).
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    lock = getattr(DuckDBConnectionManager, "_LOCK", None) or contextlib.nullcontext()
    with lock:
        environment = getattr(DuckDBConnectionManager, "_ENV", None)
        if environment is None:
            return
        DuckDBConnectionManager._ENV = None
    with contextlib.suppress(Exception):
        environment.close()


def build(raw_dir: Path, warehouse: Path, dbt_args: list[str]) -> None:
    """Land raw_dir, build a candidate warehouse and publish it over warehouse."""
    landing_dir = landing_dir_for(warehouse)
    started = time.perf_counter()
    if load_raw.main(["--raw-dir", str(raw_dir), "--landing-dir", str(landing_dir)]) != 0:
        raise BuildFailed(f"the raw files in {raw_dir} did not pass the loader's checks")
    provenance.write(raw_dir, landing_dir)
    landed = time.perf_counter()

    for leftover in remove_stale_candidates(warehouse):
        print(f"Removed {leftover.name}, left by a build that died.", file=sys.stderr)
    candidate = candidate_path(warehouse)
    duckdb_file.create_empty(candidate)
    try:
        run_dbt(candidate, landing_dir, dbt_args)
        duckdb_file.publish(candidate, warehouse)
    finally:
        candidate.unlink(missing_ok=True)
        candidate.with_name(candidate.name + ".wal").unlink(missing_ok=True)
    built = time.perf_counter()
    print(
        f"\nLanded raw files in {landed - started:.1f} s; "
        f"built and tested in {built - landed:.1f} s.\n",
        file=sys.stderr,
    )


@contextlib.contextmanager
def _sigterm_raises() -> Iterator[None]:
    """Turn `kill` (SIGTERM) into KeyboardInterrupt, so the candidate is removed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"stopped by signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        default=SAMPLE_RAW_DIR,
        help="folder holding the raw files (default: the embedded SYNTHETIC sample)",
    )
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=DEFAULT_WAREHOUSE,
        help="published DuckDB file to (re)place (default: %(default)s)",
    )
    parser.add_argument(
        "dbt_args",
        nargs="*",
        help="extra arguments for dbt build, after --, e.g. -- --select staging",
    )
    args = parser.parse_args(argv)
    warehouse = args.warehouse.resolve()
    try:
        with _sigterm_raises():
            build(args.raw_dir.resolve(), warehouse, args.dbt_args)
    except (BuildFailed, KeyboardInterrupt) as failure:
        print(f"\nBUILD FAILED: {failure or 'interrupted'}.", file=sys.stderr)
        if warehouse.exists():
            print(f"The last good warehouse is unchanged: {warehouse}", file=sys.stderr)
        else:
            print(f"No warehouse has been published yet at {warehouse}.", file=sys.stderr)
        return 1
    print(render(warehouse))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
