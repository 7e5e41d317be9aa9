"""dbt in the build's own process: imported and the project parsed while the loader runs, then
`dbt build` run into the candidate file in parts (see Dbt)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from scripts import duckdb_file
from scripts.paths import REPO_ROOT, landing_dir_for
from scripts.phase_timer import Timings


class BuildFailed(RuntimeError):
    """A build step failed; the published warehouse was left untouched."""


CANDIDATE_INFIX = ".building-"


def candidate_path(warehouse: Path) -> Path:
    """The new file a build writes into, next to the published one (same filesystem)."""
    return warehouse.with_name(f"{warehouse.name}{CANDIDATE_INFIX}{os.getpid()}")


def dbt_dir_for(warehouse: Path) -> Path:
    """dbt's target folder (partial-parse state, run results) and the build state of one warehouse.

    One per warehouse, not the repository's target/: builds of different warehouses (the sample,
    the real data, a benchmark) then never invalidate each other's partial parse or overwrite
    each other's run results, even when they run at the same time.
    """
    return warehouse.parent / f"{warehouse.stem}_dbt"


def parse_stand_in(candidate: Path) -> Path:
    """A fixed path dbt parses against instead of the per-process candidate.

    dbt discards its partial-parse state whenever the profile's connection settings change, and
    the candidate's name changes with every build (it holds the pid). Parsing against a stand-in
    with the same file stem (so the same DuckDB database name) keeps the state valid; the parsed
    project is then handed to `dbt build`, which connects to the real candidate. dbt does not
    open the database to parse, so no file is created at the stand-in path.
    """
    return candidate.with_name(candidate.name.rsplit(CANDIDATE_INFIX, 1)[0] + ".building")


def parse_arguments(dbt_args: list[str]) -> list[str] | None:
    """The extra dbt arguments `dbt parse` needs too, or None when dbt build must parse itself.

    Only --vars changes what is parsed and is accepted by both commands; with anything else
    (--select, --full-refresh, ...) dbt build parses for itself, as it would on its own.
    """
    parse_args: list[str] = []
    rest = list(dbt_args)
    while rest:
        argument = rest.pop(0)
        if argument == "--vars" and rest:
            parse_args += [argument, rest.pop(0)]
        elif argument.startswith("--vars="):
            parse_args.append(argument)
        else:
            return None
    return parse_args


# A cold build runs dbt in two parts. The first needs no landed data (the seeds, and the models
# and tests built only from them) and runs while the loader is still landing the raw files; the
# second is everything downstream of a source, with every test that touches it. Between them
# they build exactly the nodes of one `dbt build`, which Dbt.build checks.
WITHOUT_LANDED_DATA = ("--exclude", "source:*+", "--indirect-selection", "cautious")
WITH_LANDED_DATA = ("--select", "source:*+", "--indirect-selection", "eager")
BUILT_RESOURCE_TYPES = {"model", "seed", "snapshot", "test"}
DBT_BUILD_PHASE = "dbt build (models + tests)"
DBT_EARLY_PHASE = "dbt build, the part without landed data"


class Dbt:
    """dbt in this process: imported and the project parsed first, then `dbt build` run.

    The steps are apart so that the first ones can run while the loader lands the raw files:
    parsing needs only the project and the landing folder's path, not the landed data, and part
    of the project (the seeds and what is built from them alone) needs no landed data either.
    """

    def __init__(self, warehouse: Path, dbt_args: list[str], timings: Timings) -> None:
        self.candidate = candidate_path(warehouse)
        self.dbt_args = dbt_args
        self.timings = timings
        self.common = [
            "--project-dir",
            str(REPO_ROOT),
            "--profiles-dir",
            str(REPO_ROOT),
            "--target-path",
            str(dbt_dir_for(warehouse) / "target"),
        ]
        if "DBT_LOG_LEVEL_FILE" not in os.environ:
            # dbt's file log at its default, debug, level writes several records per node
            # (each SQL statement) and costs ~0.3 s of a full-size build; the compiled SQL is
            # in the target folder anyway. DBT_LOG_LEVEL_FILE=debug brings it back.
            self.common += ["--log-level-file", "info"]
        self.manifest: Any = None
        self.prepared = False
        self.candidate_created = False
        self.built_early: set[str] | None = None
        os.environ["NHS_LANDING_DIR"] = str(landing_dir_for(warehouse))

    def prepare(self) -> None:
        """Import dbt and parse the project (partial parsing keeps this short)."""
        if self.prepared:
            return
        # Imported here so `--help`, the loader and up-to-date builds stay fast.
        with self.timings.phase("dbt import"):
            from dbt.cli.main import dbtRunner
        parse_args = parse_arguments(self.dbt_args)
        if parse_args is not None:
            os.environ["NHS_DUCKDB_PATH"] = str(parse_stand_in(self.candidate))
            with self.timings.phase("dbt parse"):
                parsed = dbtRunner().invoke(["parse", "--quiet", *self.common, *parse_args])
            if not parsed.success:
                raise BuildFailed(
                    f"dbt could not parse the project: {parsed.exception or 'see above'}"
                )
            self.manifest = parsed.result
        self.prepared = True

    def _invoke_build(self, selection: tuple[str, ...], phase: str) -> set[str]:
        """`dbt build` into the candidate; the unique ids of the nodes it ran."""
        from dbt.cli.main import dbtRunner

        if not self.candidate_created:
            duckdb_file.create_empty(self.candidate)
            self.candidate_created = True
        os.environ["NHS_DUCKDB_PATH"] = str(self.candidate)
        with self.timings.phase(phase):
            try:
                result = dbtRunner(manifest=self.manifest).invoke(
                    ["build", *self.common, *self.dbt_args, *selection]
                )
            finally:
                release_dbt_database()
        if not result.success:
            raise BuildFailed("dbt build failed (see the model or test named above)")
        return {run.node.unique_id for run in getattr(result.result, "results", [])}

    def build_early(self) -> None:
        """The part of `dbt build` that needs no landed data (only with a parsed project)."""
        self.prepare()
        if self.manifest is not None:
            self.built_early = self._invoke_build(WITHOUT_LANDED_DATA, DBT_EARLY_PHASE)

    def build(self) -> None:
        """The rest of `dbt build` (all of it, when no part was built early)."""
        self.prepare()
        if self.built_early is None:
            self._invoke_build((), DBT_BUILD_PHASE)
            return
        built = self._invoke_build(WITH_LANDED_DATA, DBT_BUILD_PHASE) | self.built_early
        expected = {
            unique_id
            for unique_id, node in self.manifest.nodes.items()
            if node.resource_type in BUILT_RESOURCE_TYPES
        } | set(self.manifest.unit_tests)
        if built & expected != expected:
            missing = sorted(expected - built)
            raise BuildFailed(
                f"the two parts of dbt build left out {len(missing)} node(s), e.g. {missing[0]}"
            )


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
