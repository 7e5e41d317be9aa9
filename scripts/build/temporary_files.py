"""Everything a build writes beside the warehouse only while it runs, and how the next build of the
same warehouse clears what a killed build left.

For a warehouse DIR/nhs.duckdb, a build creates, and removes on every exit it can catch (success,
error, SIGTERM, Ctrl-C):

- DIR/.nhs_landing.new-<pid>-<random>/  the loader's new landing, with its *.part.csv files, until
  it is renamed to DIR/nhs_landing/ (pid: the build's process);
- DIR/.nhs_landing.old-<pid>/  the previous landing, between the loader's two renames;
- DIR/nhs.duckdb.building-<pid>, its .wal and, if DuckDB spills to disk, its .tmp/ folder: the
  candidate warehouse dbt builds into, renamed over nhs.duckdb once every model and test passed;
- DIR/nhs_dbt/published.json.<pid>  the new fingerprint, until renamed over published.json.

dbt parses against DIR/nhs.duckdb.building (dbt_runner.parse_stand_in), which dbt never creates.

Kept on purpose, as the state of the warehouse: nhs.duckdb, nhs_landing/, nhs_dbt/target/ (dbt's
partial-parse state and artefacts; dbt reparses in full if a crash cut one short),
nhs_dbt/published.json and nhs_dbt/build.lock (a lock file is never deleted: a build waiting on
it would then lock a different file than the next one, and two builds would run at once).

SIGKILL gives a build no chance to clean up, so the next build of the warehouse does it first,
once it holds the build lock: a leftover whose owning process (the pid in its name) is gone
(scripts/crash_safety/leftovers.py).
"""

from __future__ import annotations

from pathlib import Path

from scripts.build.dbt_runner import CANDIDATE_INFIX
from scripts.build.up_to_date import STATE_FILE
from scripts.crash_safety.leftovers import owner_is_gone, pid_after, remove
from scripts.loader.landing_swap import clean_up_after_dead_loads
from scripts.paths import landing_dir_for


def _dead_owners(folder: Path, prefix: str) -> list[Path]:
    """Paths in folder named prefix<pid>..., whose process is gone."""
    return [
        path
        for path in sorted(folder.glob(f"{prefix}*"))
        if (pid := pid_after(path.name, prefix)) is not None and owner_is_gone(path, pid)
    ]


def remove_leftovers(warehouse: Path, state_path: Path) -> list[Path]:
    """Delete what dead builds of warehouse left (call with the build lock held); return it."""
    removed = clean_up_after_dead_loads(landing_dir_for(warehouse))
    removed += [
        path
        for path in _dead_owners(warehouse.parent, f"{warehouse.name}{CANDIDATE_INFIX}")
        + _dead_owners(state_path.parent, f"{STATE_FILE}.")
        if remove(path)
    ]
    return removed
