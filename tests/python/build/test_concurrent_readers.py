"""BI readers during a rebuild: they neither block it nor ever see a half-built warehouse.

Reader processes (this file run as a script) query every mart in a loop, through the two clients
BI tools use: SQLAlchemy with duckdb-engine (Superset's URI with `?access_mode=read_only`, and
with connect_args read_only) and the plain duckdb client. Each observation is a fingerprint of
the whole marts schema (every table with its row count and a hash of its rows) read in one
connection. Meanwhile a rebuild from slightly different inputs runs and publishes. Every
fingerprint must be exactly the old warehouse's or exactly the new one's; readers that reconnect
must end up on the new one, and a reader holding one connection keeps its old snapshot
throughout. The loops are bounded: each reader stops a few observations after the build has
finished, or after a generous cap.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MART_TABLES_SQL, run_build

from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR

pytestmark = pytest.mark.slow

# hash(t) hashes the whole row as a struct; the sum is order-independent and exact (HUGEINT).
FINGERPRINT_TABLE = 'select count(*), coalesce(sum(hash(t)), 0)::varchar from marts."{}" as t'
READER_KINDS = (
    "duckdb-reconnect",
    "duckdb-held",
    "sqlalchemy-reconnect",
    "sqlalchemy-connect-args",
)
AFTER_BUILD_OBSERVATIONS = 5
MAX_OBSERVATIONS = 20_000
MAX_READER_SECONDS = 900

Fingerprint = dict[str, list[Any]]
Query = Callable[[str], list[tuple[Any, ...]]]


def fingerprint(query: Query) -> Fingerprint:
    """Row count and row hash of every mart, all read through one connection."""
    tables = [name for (name,) in query(MART_TABLES_SQL)]
    result = {}
    for name in tables:
        ((rows, digest),) = query(FINGERPRINT_TABLE.format(name))
        result[name] = [rows, digest]
    return result


def duckdb_fingerprint(connection: Any) -> Fingerprint:
    return fingerprint(lambda sql: connection.execute(sql).fetchall())


def sqlalchemy_fingerprint(engine: Any) -> Fingerprint:
    import sqlalchemy

    with engine.connect() as connection:
        return fingerprint(
            lambda sql: [tuple(row) for row in connection.execute(sqlalchemy.text(sql))]
        )


def reader(kind: str, warehouse: Path, started: Path, finished: Path, out: Path) -> None:
    """Observe the marts until AFTER_BUILD_OBSERVATIONS after `finished` exists; one JSON line each.

    Each line holds the phase the build was in around the observation: before (started absent
    both before and after the query), after (finished present before the query), else during.
    """
    import duckdb
    import sqlalchemy

    held = duckdb.connect(str(warehouse), read_only=True) if kind == "duckdb-held" else None
    # The two ways a Superset user can ask for read-only: in the URI, or as engine parameters.
    # NullPool, so each observation opens the file anew.
    if kind == "sqlalchemy-connect-args":
        engine = sqlalchemy.create_engine(
            f"duckdb:///{warehouse}",
            connect_args={"read_only": True},
            poolclass=sqlalchemy.pool.NullPool,
        )
    else:
        engine = sqlalchemy.create_engine(
            f"duckdb:///{warehouse}?access_mode=read_only", poolclass=sqlalchemy.pool.NullPool
        )

    def observe() -> Fingerprint:
        if held is not None:
            return duckdb_fingerprint(held)
        if kind == "duckdb-reconnect":
            with duckdb.connect(str(warehouse), read_only=True) as connection:
                return duckdb_fingerprint(connection)
        return sqlalchemy_fingerprint(engine)

    deadline = time.monotonic() + MAX_READER_SECONDS
    after = 0
    with out.open("w", encoding="utf-8") as handle:
        for _ in range(MAX_OBSERVATIONS):
            started_before, finished_before = started.exists(), finished.exists()
            observed = observe()
            started_after = started.exists()
            if finished_before:
                phase = "after"
            elif not started_before and not started_after:
                phase = "before"
            else:
                phase = "during"
            handle.write(json.dumps({"phase": phase, "fingerprint": observed}) + "\n")
            handle.flush()
            after += phase == "after"
            if after >= AFTER_BUILD_OBSERVATIONS or time.monotonic() > deadline:
                break
            # Leave the build some CPU on a two-core machine.
            time.sleep(0.02)
    if held is not None:
        held.close()


def read_fingerprint(warehouse: Path) -> Fingerprint:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as connection:
        # Through JSON, as the readers report it, so both compare alike.
        return json.loads(json.dumps(duckdb_fingerprint(connection)))


def drop_last_tweet(sample: Path, target: Path) -> Path:
    """A copy of the sample with one tweet fewer: a valid build whose marts differ."""
    shutil.copytree(sample, target)
    tweets = sorted(target.glob("tweets*.csv"))[0]
    with tweets.open(newline="", encoding="utf-8") as handle:
        records = list(csv.reader(handle))
    with tweets.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(records[:-1])
    return target


def read_observations(out: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def published(sample_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the session's good build, published where the rebuild will write."""
    warehouse = tmp_path_factory.mktemp("published") / "nhs.duckdb"
    shutil.copyfile(sample_warehouse, warehouse)
    return warehouse


def test_readers_see_old_or_new_warehouse_whole_while_a_rebuild_publishes(
    published: Path, tmp_path: Path
) -> None:
    old = read_fingerprint(published)
    changed_raw = drop_last_tweet(SAMPLE_RAW_DIR, tmp_path / "raw")
    started, finished = tmp_path / "build.started", tmp_path / "build.finished"
    outputs = {kind: tmp_path / f"{kind}.jsonl" for kind in READER_KINDS}
    # A reader imports this file, hence conftest (in tests/python) and scripts (the repository).
    reader_env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(Path(__file__).parents[1])]),
    }
    readers = {
        kind: subprocess.Popen(
            [sys.executable, __file__, kind, str(published), str(started), str(finished), str(out)],
            cwd=REPO_ROOT,
            env=reader_env,
        )
        for kind, out in outputs.items()
    }
    try:
        # Every reader has its connection open and one observation made before the build starts.
        while not all(out.exists() and out.read_text().strip() for out in outputs.values()):
            assert all(process.poll() is None for process in readers.values()), "a reader died"
            time.sleep(0.05)
        started.touch()
        result = run_build(changed_raw, published)
        finished.touch()
        exit_codes = {
            kind: process.wait(timeout=MAX_READER_SECONDS) for kind, process in readers.items()
        }
    finally:
        for process in readers.values():
            if process.poll() is None:
                process.kill()

    assert result.returncode == 0, result.stderr[-3000:]
    assert exit_codes == dict.fromkeys(READER_KINDS, 0)
    new = read_fingerprint(published)
    assert new != old, "the rebuild should have changed the marts (one tweet fewer)"
    assert set(new) == set(old)

    for kind, out in outputs.items():
        observations = read_observations(out)
        phases = [observation["phase"] for observation in observations]
        seen = [observation["fingerprint"] for observation in observations]
        assert "during" in phases, f"{kind} made no observation while the build ran"
        assert phases.count("after") == AFTER_BUILD_OBSERVATIONS
        assert all(one in (old, new) for one in seen), f"{kind} saw a half-built warehouse"
        assert seen[0] == old
        expected_last = old if kind == "duckdb-held" else new
        assert seen[-1] == expected_last, kind
        if kind == "duckdb-held":
            # Its snapshot is the file it opened; the rename does not pull it from under it.
            assert all(one == old for one in seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run one reader (used by the test above).")
    parser.add_argument("kind", choices=READER_KINDS)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("started", type=Path)
    parser.add_argument("finished", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    reader(args.kind, args.warehouse, args.started, args.finished, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
