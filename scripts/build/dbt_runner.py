"""dbt in the build's own process: imported, the project parsed, then `dbt build` run into the
candidate file and analyses/ compiled against it (see Dbt)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from scripts.build import publish as duckdb_file
from scripts.build.interrupts import stop_signals_raise
from scripts.build.phase_timer import Timings
from scripts.crash_safety import pause_points
from scripts.crash_safety.disk_full import disk_full_message
from scripts.paths import REPO_ROOT, dbt_target_dir_for, landing_dir_for


class BuildFailed(RuntimeError):
    """A build step failed; the published warehouse was left untouched."""


CANDIDATE_INFIX = ".building-"


def candidate_path(warehouse: Path) -> Path:
    """The new file a build writes into, next to the published one (same filesystem)."""
    return warehouse.with_name(f"{warehouse.name}{CANDIDATE_INFIX}{os.getpid()}")


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

    Only --vars changes what is parsed and is accepted by both commands; the resource types
    left out (WITHOUT_UNIT_TESTS) only select; with anything else (--select, --full-refresh,
    ...) dbt build parses for itself, as it would on its own.
    """
    parse_args: list[str] = []
    rest = list(dbt_args)
    while rest:
        argument = rest.pop(0)
        if argument == "--vars" and rest:
            parse_args += [argument, rest.pop(0)]
        elif argument.startswith("--vars="):
            parse_args.append(argument)
        elif argument == WITHOUT_UNIT_TESTS[0] and rest:
            rest.pop(0)
        else:
            return None
    return parse_args


ANALYSES = ("--select", "resource_type:analysis")
# A data build leaves dbt's unit tests out (nhs build --unit-tests runs them; make test does).
WITHOUT_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
# The build and compile steps do not rewrite target/manifest.json, run_results.json and
# graph.gpickle: serialising them cost ~1 s of CPU per dbt command, and nothing reads them
# (the parse step writes manifest.json, which the report's lineage and dbt docs read).
NO_ARTIFACTS = ("--no-write-json",)
DBT_IMPORT_PHASE = "dbt import"
DBT_PARSE_PHASE = "dbt parse"
DBT_BUILD_PHASE = "dbt build (models + tests)"
DBT_COMPILE_PHASE = "dbt compile (analyses)"


def dbt_arguments(project_dir: Path, target_path: Path) -> list[str]:
    """The arguments every dbt command of a build gets (the benchmark's too, so it times the
    same thing)."""
    arguments = [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(target_path),
    ]
    if "DBT_LOG_LEVEL_FILE" not in os.environ:
        # dbt's file log at its default, debug, level writes several records per node (each
        # SQL statement) and costs ~0.3 s of a full-size build; the compiled SQL is in the
        # target folder anyway. DBT_LOG_LEVEL_FILE=debug brings it back.
        arguments += ["--log-level-file", "info"]
    return arguments


class Dbt:
    """dbt in this process: imported and the project parsed, then `dbt build` run into the
    candidate file and analyses/ compiled against it."""

    def __init__(self, warehouse: Path, dbt_args: list[str], timings: Timings) -> None:
        self.candidate = candidate_path(warehouse)
        self.dbt_args = dbt_args
        self.timings = timings
        self.common = dbt_arguments(REPO_ROOT, dbt_target_dir_for(warehouse))
        self.manifest: Any = None
        self.prepared = False
        # Read by the sources' paths when dbt parses (one path per warehouse, so that partial
        # parsing stays valid from one build to the next).
        os.environ["NHS_LANDING_DIR"] = str(landing_dir_for(warehouse))

    def prepare(self) -> None:
        """Import dbt and parse the project (partial parsing keeps this short)."""
        if self.prepared:
            return
        # Imported here so `--help`, the loader and up-to-date builds stay fast.
        with self.timings.phase(DBT_IMPORT_PHASE):
            from dbt.cli.main import dbtRunner
        parse_args = parse_arguments(self.dbt_args)
        if parse_args is not None:
            os.environ["NHS_DUCKDB_PATH"] = str(parse_stand_in(self.candidate))
            with self.timings.phase(DBT_PARSE_PHASE):
                parsed = invoke(
                    dbtRunner(),
                    ["parse", "--quiet", *self.common, *parse_args],
                    "dbt could not parse the project: {exception}",
                    self.candidate.parent,
                )
            self.manifest = parsed.result
        self.prepared = True

    def _no_artifacts(self) -> tuple[str, ...]:
        """NO_ARTIFACTS once the parse step has written manifest.json; nothing when dbt build
        parses for itself (then its manifest.json is the only one)."""
        return NO_ARTIFACTS if self.manifest is not None else ()

    def build(self) -> None:
        """`dbt build` into a new candidate file, reading the published landing."""
        self.prepare()
        from dbt.cli.main import dbtRunner

        duckdb_file.create_empty(self.candidate)
        os.environ["NHS_DUCKDB_PATH"] = str(self.candidate)
        with self.timings.phase(DBT_BUILD_PHASE):
            try:
                invoke(
                    dbtRunner(manifest=self.manifest, callbacks=_crash_point_callbacks()),
                    ["build", *self._no_artifacts(), *self.common, *self.dbt_args],
                    "dbt build failed (see the model or test named above)",
                    self.candidate.parent,
                )
            finally:
                release_dbt_database()

    def compile_analyses(self) -> None:
        """`dbt compile` of analyses/ against the candidate: the consumers (answers, report)
        run dbt's SQL, with every ref() resolved to this warehouse's relations."""
        from dbt.cli.main import dbtRunner

        os.environ["NHS_DUCKDB_PATH"] = str(self.candidate)
        with self.timings.phase(DBT_COMPILE_PHASE):
            try:
                invoke(
                    dbtRunner(manifest=self.manifest),
                    ["compile", "--quiet", *self._no_artifacts(), *self.common, *ANALYSES],
                    "dbt could not compile analyses/: {exception}",
                    self.candidate.parent,
                )
            finally:
                release_dbt_database()


def invoke(runner: Any, args: list[str], failure: str, folder: Path) -> Any:
    """Run one dbt command with runner (a dbtRunner) and return its result; raise BuildFailed
    when it failed: the disk-full message when a full disk in folder is why, else failure with
    {exception} replaced by dbt's exception. Ctrl-C or SIGTERM stops dbt, and is raised again
    so the build stops too."""
    with _quiet_stop():
        result = runner.invoke(args)
    if isinstance(result.exception, KeyboardInterrupt):
        raise result.exception
    if not result.success:
        raise BuildFailed(
            _disk_full_in(result, folder)
            or failure.format(exception=result.exception or "see above")
        )
    return result


def _quiet_stop() -> contextlib.AbstractContextManager[None]:
    """Ctrl-C or SIGTERM inside dbt: dbt cancels its queries and returns the interruption, which
    the build raises again. dbt prints a stack trace for any exception but its own, so the
    interruption is also a dbt exception (then dbt prints only "Encountered an error")."""
    from dbt_common.exceptions import DbtBaseException

    class DbtInterrupted(KeyboardInterrupt, DbtBaseException):
        pass

    return stop_signals_raise(DbtInterrupted)


def _crash_point_callbacks() -> list:
    """For tests only (scripts/crash_safety/pause_points.py): pause once the first node is
    done."""
    point = pause_points.DBT_BUILD
    if not pause_points.requested(point):
        return []
    return [lambda event: event.info.name == "NodeFinished" and pause_points.reached(point)]


def _disk_full_in(result: Any, folder: Path) -> str | None:
    """The one-line disk-full message, if that is why dbt failed (a node's error or dbt's own)."""
    messages = [result.exception] if result.exception is not None else []
    runs = getattr(result.result, "results", None)
    if isinstance(runs, list):
        messages += [run.message or "" for run in runs]
    for message in messages:
        found = disk_full_message(message, folder)
        if found is not None:
            return found
    return None


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
