"""dbt in the build's own process: imported and the project parsed while the loader runs, then
`dbt build` run into the candidate file in parts (see Dbt)."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path
from typing import Any

from scripts.build import publish as duckdb_file
from scripts.build.interrupts import stop_signals_raise
from scripts.build.phase_timer import Timings
from scripts.crash_safety import pause_points
from scripts.crash_safety.disk_full import disk_full_message
from scripts.paths import REPO_ROOT, dbt_dir_for


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


# A cold build runs dbt in up to three parts, so that most of it overlaps the loader:
# 1. what needs no landed data (the seeds, and the models and tests built only from them), while
#    the loader is still reading the raw files;
# 2. everything downstream of the CSV sources alone, once the loader has checked and landed
#    them, while it is still converting the workbook (the longest step of a load); when the
#    CSVs are landed before dbt has parsed the project, parts 1 and 2 run as one;
# 3. the rest: everything downstream of the workbook and of the files the build writes, with
#    every test that touches it.
# Eager indirect selection puts a test that touches both part 2 and part 3 into part 3 (part 2
# excludes it with its part-3 parent). Between them the parts build exactly the nodes of one
# `dbt build`, which Dbt.build checks.
WITHOUT_LANDED_DATA = ("--exclude", "source:*+", "--indirect-selection", "cautious")
WITH_LANDED_DATA = ("--select", "source:*+", "--indirect-selection", "eager")
ANALYSES = ("--select", "resource_type:analysis")
# A data build leaves dbt's unit tests out (nhs build --unit-tests runs them; make test does).
WITHOUT_UNIT_TESTS = ("--exclude-resource-type", "unit_test")
# The build and compile steps do not rewrite target/manifest.json, run_results.json and
# graph.gpickle: serialising them cost ~1 s of CPU per dbt command, and nothing reads them
# (the parse step writes manifest.json, which the report's lineage and dbt docs read).
NO_ARTIFACTS = ("--no-write-json",)
BUILT_RESOURCE_TYPES = {"model", "seed", "snapshot", "test"}
DBT_IMPORT_PHASE = "dbt import"
DBT_PARSE_PHASE = "dbt parse"
DBT_BUILD_PHASE = "dbt build (models + tests)"
DBT_EARLY_PHASE = "dbt build, the part without landed data"
DBT_CSV_PHASE = "dbt build, the part from the landed CSVs"
DBT_COMPILE_PHASE = "dbt compile (analyses)"
CRASH_POINTS = {
    DBT_EARLY_PHASE: pause_points.DBT_EARLY,
    DBT_CSV_PHASE: pause_points.DBT_CSV,
    DBT_BUILD_PHASE: pause_points.DBT_REST,
}


def landed_view_for(warehouse: Path) -> Path:
    """The folder dbt reads the landed files from (NHS_LANDING_DIR): hard links to them.

    Not the landing folder itself, so that dbt can build from the CSVs the loader has already
    landed in its unpublished new landing (part 2) while the loader goes on, and so that a load
    replacing the landing folder never pulls a file from under a running build.
    """
    return dbt_dir_for(warehouse) / "landed"


def show_landed(view: Path, folder: Path, names: list[str] | None = None) -> None:
    """Make view hold exactly the named files of folder (every file when names is None);
    FileNotFoundError if a named file is not (or no longer) there."""
    shutil.rmtree(view, ignore_errors=True)
    view.mkdir(parents=True)
    if names is None:
        names = [path.name for path in folder.iterdir() if path.is_file()]
    for name in names:
        try:
            os.link(folder / name, view / name)
        except FileNotFoundError:
            raise
        except OSError:  # a filesystem without hard links
            shutil.copyfile(folder / name, view / name)


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


def _sources_selection(sources: list[str]) -> list[str]:
    return [f"source:{name}+" for name in sources]


class Dbt:
    """dbt in this process: imported and the project parsed first, then `dbt build` run.

    The steps are apart so that the first ones can run while the loader lands the raw files:
    parsing needs only the project and the landed files' folder path, not the landed data;
    part of the project (the seeds and what is built from them alone) needs no landed data;
    and the part built from the CSV sources alone needs only them (see the parts above).
    """

    def __init__(self, warehouse: Path, dbt_args: list[str], timings: Timings) -> None:
        self.candidate = candidate_path(warehouse)
        self.dbt_args = dbt_args
        self.timings = timings
        self.landed_view = landed_view_for(warehouse)
        self.common = dbt_arguments(REPO_ROOT, dbt_dir_for(warehouse) / "target")
        self.manifest: Any = None
        self.prepared = False
        self.candidate_created = False
        self.built: set[str] = set()
        self.parts: list[str] = []
        # Sources whose models part 2 built; part 3 builds what is downstream of the others.
        self.sources_built: list[str] = []
        os.environ["NHS_LANDING_DIR"] = str(self.landed_view)

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
            with self.timings.phase(DBT_PARSE_PHASE), _quiet_stop():
                parsed = dbtRunner().invoke(["parse", "--quiet", *self.common, *parse_args])
            if isinstance(parsed.exception, KeyboardInterrupt):
                raise parsed.exception
            if not parsed.success:
                raise BuildFailed(
                    _disk_full_in(parsed, self.candidate.parent)
                    or f"dbt could not parse the project: {parsed.exception or 'see above'}"
                )
            self.manifest = parsed.result
        self.prepared = True

    def _no_artifacts(self) -> tuple[str, ...]:
        """NO_ARTIFACTS once the parse step has written manifest.json; nothing when dbt build
        parses for itself (then its manifest.json is the only one)."""
        return NO_ARTIFACTS if self.manifest is not None else ()

    def _invoke_build(self, selection: list[str], phase: str) -> None:
        """`dbt build` into the candidate, remembering the unique ids of the nodes it ran."""
        from dbt.cli.main import dbtRunner

        if not self.candidate_created:
            duckdb_file.create_empty(self.candidate)
            self.candidate_created = True
        os.environ["NHS_DUCKDB_PATH"] = str(self.candidate)
        with self.timings.phase(phase):
            try:
                with _quiet_stop():
                    result = dbtRunner(
                        manifest=self.manifest, callbacks=_crash_point_callbacks(phase)
                    ).invoke(
                        ["build", *self._no_artifacts(), *self.common, *self.dbt_args, *selection]
                    )
            finally:
                release_dbt_database()
        if isinstance(result.exception, KeyboardInterrupt):
            raise result.exception  # Ctrl-C or SIGTERM: dbt stopped; so does the build
        if not result.success:
            raise BuildFailed(
                _disk_full_in(result, self.candidate.parent)
                or "dbt build failed (see the model or test named above)"
            )
        self.built |= {run.node.unique_id for run in getattr(result.result, "results", [])}
        self.parts.append(phase)

    def compile_analyses(self) -> None:
        """`dbt compile` of analyses/ against the candidate: the consumers (answers, report)
        run dbt's SQL, with every ref() resolved to this warehouse's relations."""
        from dbt.cli.main import dbtRunner

        os.environ["NHS_DUCKDB_PATH"] = str(self.candidate)
        with self.timings.phase(DBT_COMPILE_PHASE):
            try:
                with _quiet_stop():
                    result = dbtRunner(manifest=self.manifest).invoke(
                        ["compile", "--quiet", *self._no_artifacts(), *self.common, *ANALYSES]
                    )
            finally:
                release_dbt_database()
        if isinstance(result.exception, KeyboardInterrupt):
            raise result.exception
        if not result.success:
            raise BuildFailed(
                _disk_full_in(result, self.candidate.parent)
                or f"dbt could not compile analyses/: {result.exception or 'see above'}"
            )

    def _source_names(self) -> list[str]:
        return sorted(f"{s.source_name}.{s.name}" for s in self.manifest.sources.values())

    def build_early(self) -> None:
        """Part 1: what needs no landed data (only with a parsed project)."""
        self.prepare()
        if self.manifest is not None:
            self._invoke_build(list(WITHOUT_LANDED_DATA), DBT_EARLY_PHASE)

    def build_from_csvs(self, folder: Path, landed_files: list[str]) -> None:
        """Part 2 (with part 1, if that has not run): what is downstream of the given landed
        CSVs alone, read from folder (the loader's new landing, not yet published)."""
        self.prepare()
        if self.manifest is None:
            return
        stems = {Path(name).stem for name in landed_files}
        sources = self._source_names()
        ready = [name for name in sources if name.split(".", 1)[1] in stems]
        pending = [name for name in sources if name not in ready]
        if not ready:
            return
        try:
            show_landed(self.landed_view, folder, landed_files)
        except FileNotFoundError:
            # The loader has published its landing meanwhile; the last part builds it all.
            shutil.rmtree(self.landed_view, ignore_errors=True)
            return
        selection = ["--exclude", *_sources_selection(pending), "--indirect-selection", "eager"]
        if self.parts:  # part 1 is built
            selection = ["--select", *_sources_selection(ready), *selection]
        self._invoke_build(selection, DBT_CSV_PHASE)
        self.sources_built = ready

    def build(self, landing_dir: Path) -> None:
        """The rest of `dbt build` (all of it, when no part was built before), reading the
        published landing folder."""
        self.prepare()
        show_landed(self.landed_view, landing_dir)
        try:
            if not self.parts:
                self._invoke_build([], DBT_BUILD_PHASE)
                return
            pending = [name for name in self._source_names() if name not in self.sources_built]
            selection = (
                ["--select", *_sources_selection(pending), "--indirect-selection", "eager"]
                if self.sources_built
                else list(WITH_LANDED_DATA)
            )
            self._invoke_build(selection, DBT_BUILD_PHASE)
        finally:
            shutil.rmtree(self.landed_view, ignore_errors=True)
        expected = {
            unique_id
            for unique_id, node in self.manifest.nodes.items()
            if node.resource_type in BUILT_RESOURCE_TYPES
        }
        if not _leaves_out_unit_tests(self.dbt_args):
            expected |= set(self.manifest.unit_tests)
        if self.built & expected != expected:
            missing = sorted(expected - self.built)
            raise BuildFailed(
                f"the {len(self.parts)} parts of dbt build left out {len(missing)} node(s), "
                f"e.g. {missing[0]}"
            )


def _leaves_out_unit_tests(dbt_args: list[str]) -> bool:
    return any(dbt_args[i : i + 2] == list(WITHOUT_UNIT_TESTS) for i in range(len(dbt_args)))


def _quiet_stop() -> contextlib.AbstractContextManager[None]:
    """Ctrl-C or SIGTERM inside dbt: dbt cancels its queries and returns the interruption, which
    the build raises again. dbt prints a stack trace for any exception but its own, so the
    interruption is also a dbt exception (then dbt prints only "Encountered an error")."""
    from dbt_common.exceptions import DbtBaseException

    class DbtInterrupted(KeyboardInterrupt, DbtBaseException):
        pass

    return stop_signals_raise(DbtInterrupted)


def _crash_point_callbacks(phase: str) -> list:
    """For tests only (scripts/pause_points.py): pause once the part's first node is done."""
    point = CRASH_POINTS[phase]
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
