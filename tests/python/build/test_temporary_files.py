"""The next build removes exactly what dead builds of the same warehouse left, never the files
of a running build, of another warehouse, or the warehouse's own state."""

from __future__ import annotations

import subprocess
from pathlib import Path

from conftest import temporary_files

from scripts.build.temporary_files import remove_leftovers

NO_SUCH_PID = 2**22 + 7


def test_only_dead_builds_leftovers_of_this_warehouse_are_removed(tmp_path: Path) -> None:
    for folder in ("nhs_landing", "nhs_dbt/target"):
        (tmp_path / folder).mkdir(parents=True)
    kept = ["nhs.duckdb", "nhs_dbt/published.json", "nhs_dbt/build.lock", "nhs_landing/tweets.csv"]
    dead = [
        f"nhs.duckdb.building-{NO_SUCH_PID}",
        f"nhs.duckdb.building-{NO_SUCH_PID}.wal",
        f"nhs_dbt/published.json.{NO_SUCH_PID}",
        f".nhs_landing.new-{NO_SUCH_PID}-abc/national_categories.xlsx.part.csv",
        f".nhs_landing.old-{NO_SUCH_PID}/tweets.csv",
    ]
    with subprocess.Popen(["sleep", "60"]) as running:
        alive = [
            f"nhs.duckdb.building-{running.pid}",
            f".nhs_landing.new-{running.pid}-def/tweets.csv",
            f"other.duckdb.building-{NO_SUCH_PID}",
        ]
        for name in kept + dead + alive:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).touch()

        removed = remove_leftovers(tmp_path / "nhs.duckdb", tmp_path / "nhs_dbt/published.json")
        running.kill()

    assert sorted(str(path.relative_to(tmp_path)) for path in removed) == sorted(
        [name.split("/")[0] if name.startswith(".") else name for name in dead]
    )
    assert temporary_files(tmp_path) == sorted(name.split("/")[0] for name in alive)
    assert all((tmp_path / name).exists() for name in kept)
