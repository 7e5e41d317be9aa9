"""Build the warehouse: land the raw files, run dbt build into a new file, publish it atomically.

The published DuckDB file is only ever replaced by a file whose models and tests have all
passed, so BI tools reading it never see a half-built or failing warehouse, and a failed build
leaves the last good warehouse exactly as it was.

A rebuild whose inputs are all unchanged (raw files by sha256, landed files, the dbt project,
the build code, dbt/DuckDB versions and the extra dbt arguments) since the build that published
the current warehouse file does not run dbt: the warehouse is reported up to date (--force
rebuilds anyway). dbt keeps its parse state per warehouse, beside the landed files, so partial
parsing stays valid from one build to the next.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import hashlib
import json
import logging
import multiprocessing
import os
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from scripts import duckdb_file, load_raw, provenance
from scripts.landing_manifest import MANIFEST_NAME, now_utc
from scripts.paths import DEFAULT_WAREHOUSE, REPO_ROOT, SAMPLE_RAW_DIR, landing_dir_for
from scripts.raw_specs import SOURCES
from scripts.warehouse_summary import render


class BuildFailed(RuntimeError):
    """A build step failed; the published warehouse was left untouched."""


CANDIDATE_INFIX = ".building-"
LOADER_PHASE = "loader (CSV checks + workbook conversion)"


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


class Timings:
    """Wall-clock start, duration and CPU time (all threads) of each phase of a build; written as
    JSON on request."""

    def __init__(self) -> None:
        self.phases: list[dict[str, Any]] = []

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started_at, started, cpu = time.time(), time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.phases.append(
                {
                    "phase": name,
                    "start": started_at,
                    "seconds": time.perf_counter() - started,
                    "cpu_seconds": time.process_time() - cpu,
                }
            )

    def update(self, name: str, **values: Any) -> None:
        for entry in self.phases:
            if entry["phase"] == name:
                entry.update(values)

    def seconds(self, *names: str) -> float:
        return sum(entry["seconds"] for entry in self.phases if entry["phase"] in names)

    def write(self, path: Path, **extra: Any) -> None:
        path.write_text(json.dumps({**extra, "phases": self.phases}, indent=2) + "\n")


# What makes the published warehouse what it is, besides the raw and landed files.
PROJECT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "selectors.yml")
PROJECT_DIRS = ("models", "macros", "seeds", "snapshots", "tests", "analyses")
PROJECT_SUFFIXES = {".sql", ".yml", ".yaml", ".csv", ".md", ".py"}
BUILD_CODE = ("build.py", "duckdb_file.py", "provenance.py")
VERSIONED_PACKAGES = ("dbt-core", "dbt-duckdb", "duckdb")
# Set by run_dbt itself, from the warehouse path (which the state is kept beside).
OWN_ENV_VARS = {"NHS_DUCKDB_PATH", "NHS_LANDING_DIR"}
# dbt settings that the explicit --project-dir/--profiles-dir/--target-path override, or that
# do not change what is built.
IGNORED_DBT_ENV_VARS = {
    "DBT_PROFILES_DIR",
    "DBT_PROJECT_DIR",
    "DBT_TARGET_PATH",
    "DBT_SEND_ANONYMOUS_USAGE_STATS",
    "DBT_LOG_PATH",
    "DBT_USE_COLORS",
    "DBT_PRINTER_WIDTH",
    "DBT_QUIET",
    "DBT_LOG_LEVEL",
    "DBT_LOG_LEVEL_FILE",
    "DBT_LOG_FORMAT",
    "DBT_LOG_FORMAT_FILE",
}
STATE_FILE = "published.json"
_VOLATILE_MANIFEST_KEYS = {"written_at", "checked_at", "duration_seconds", "status"}


def _project_files() -> list[Path]:
    files = [REPO_ROOT / name for name in PROJECT_FILES if (REPO_ROOT / name).is_file()]
    for folder in PROJECT_DIRS:
        files.extend(
            path
            for path in (REPO_ROOT / folder).rglob("*")
            if path.suffix in PROJECT_SUFFIXES
            and path.is_file()
            # tests/ also holds the Python test suite, which dbt does not read.
            and not (folder == "tests" and path.suffix == ".py")
        )
    files.extend(REPO_ROOT / "scripts" / name for name in BUILD_CODE)
    return sorted(files)


def _without_volatile(value: Any) -> Any:
    """The landing manifest less what changes on every load (timestamps, timings)."""
    if isinstance(value, dict):
        return {
            key: _without_volatile(item)
            for key, item in value.items()
            if key not in _VOLATILE_MANIFEST_KEYS
        }
    if isinstance(value, list):
        return [_without_volatile(item) for item in value]
    return value


def inputs_fingerprint(landing_dir: Path, dbt_args: list[str]) -> str:
    """A digest of everything a build's result depends on; equal digests give equal warehouses.

    Raw files enter through the landing manifest (their sha256, rows, the loader version); the
    landed CSVs by name, size and modification time (the loader hard-links unchanged ones, so
    a file touched by hand counts as changed); the other landed files (rejects, provenance),
    the project and the build code by content; plus the dbt, dbt-duckdb and DuckDB versions,
    the extra dbt arguments and the environment variables the project or dbt read.
    """
    digest = hashlib.sha256()

    def add(label: str, value: Any) -> None:
        digest.update(f"{label}\0{json.dumps(value, sort_keys=True, default=str)}\n".encode())

    manifest = json.loads((landing_dir / MANIFEST_NAME).read_text(encoding="utf-8"))
    add("landing manifest", _without_volatile(manifest))
    landed_files = {source.get("landed_file") for source in manifest.get("sources", [])}
    for path in sorted(landing_dir.iterdir()):
        if path.name in landed_files:
            stat = path.stat()
            add("landed", [path.name, stat.st_size, stat.st_mtime_ns])
        elif path.name != MANIFEST_NAME:
            # Small files the loader or the build rewrite every time (rejects, provenance).
            add("landed", [path.name, hashlib.sha256(path.read_bytes()).hexdigest()])
    env_names: set[str] = set()
    for path in _project_files():
        content = path.read_bytes()
        digest.update(f"file\0{path.relative_to(REPO_ROOT)}\0".encode())
        digest.update(hashlib.sha256(content).digest())
        env_names.update(re.findall(rb"env_var\(\s*['\"](\w+)['\"]", content))
    names = {name.decode() for name in env_names} | {
        name for name in os.environ if name.startswith("DBT_")
    }
    add(
        "environment",
        {
            name: os.environ.get(name)
            for name in sorted(names - OWN_ENV_VARS - IGNORED_DBT_ENV_VARS)
        },
    )
    add("versions", {name: metadata.version(name) for name in VERSIONED_PACKAGES})
    add("python", sys.version)
    add("dbt arguments", dbt_args)
    return digest.hexdigest()


def _file_identity(path: Path) -> list[int]:
    stat = path.stat()
    return [stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns]


def published_is_current(warehouse: Path, state_path: Path, fingerprint: str) -> dict | None:
    """The recorded state, if the published file is the very one built from these inputs."""
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        current = _file_identity(warehouse)
    except (OSError, ValueError):
        return None
    if state.get("fingerprint") == fingerprint and state.get("warehouse_file") == current:
        return state
    return None


def record_published(raw_dir: Path, warehouse: Path, state_path: Path, fingerprint: str) -> None:
    """Remember which inputs the file now published was built from (written atomically)."""
    state = {
        "fingerprint": fingerprint,
        "warehouse_file": _file_identity(warehouse),
        "published_at": now_utc(),
        "raw_dir": str(raw_dir),
        "raw_files": _raw_file_stats(raw_dir),
    }
    partial = state_path.with_name(f"{state_path.name}.{os.getpid()}")
    partial.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, state_path)


def _raw_file_stats(raw_dir: Path) -> dict[str, list[int]]:
    """Name -> [size, mtime] of the raw files the loader would read (cheap: no reading)."""
    stats = {}
    for spec in SOURCES:
        for path in raw_dir.glob(spec.file_glob):
            stat = path.stat()
            stats[path.name] = [stat.st_size, stat.st_mtime_ns]
    return stats


def probably_current(raw_dir: Path, warehouse: Path, state_path: Path) -> bool:
    """A cheap guess whether this build will find the warehouse up to date: same raw folder,
    raw files of the same sizes and times, same published file. It only decides whether dbt is
    started beside the loader; whether dbt runs is decided by the full fingerprint."""
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
        return (
            state.get("raw_dir") == str(raw_dir)
            and state.get("raw_files") == _raw_file_stats(raw_dir)
            and state.get("warehouse_file") == _file_identity(warehouse)
        )
    except (OSError, ValueError):
        return False


def _loader_arguments(raw_dir: Path, landing_dir: Path) -> list[str]:
    return ["--raw-dir", str(raw_dir), "--landing-dir", str(landing_dir)]


def _die_with_parent() -> None:
    """In the loader's child process: end it if the build is killed (SIGKILL cannot be caught,
    so the build cannot stop it itself); its half-built landing is cleared by the next load."""
    if sys.platform == "linux":
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_loader(arguments: list[str]) -> None:
    """The loader, in the forked child process."""
    _die_with_parent()
    try:
        status = load_raw.main(arguments)
    except KeyboardInterrupt:  # stopped by the build (it discarded its half-built landing)
        status = 130
    sys.exit(status)


class _Loader:
    """The loader running in a child process: forked where that is safe and cheap (Linux; the
    child then needs no interpreter start-up or imports, ~0.25 s of the critical path), else
    started as `python -m scripts.load_raw`."""

    def __init__(self, arguments: list[str]) -> None:
        self.process: multiprocessing.process.BaseProcess | None = None
        self.popen: subprocess.Popen[bytes] | None = None
        sys.stdout.flush()
        sys.stderr.flush()
        if sys.platform == "linux":
            self.process = multiprocessing.get_context("fork").Process(
                target=_run_loader, args=(arguments,), name="loader"
            )
            self.process.start()
        else:
            self.popen = subprocess.Popen(
                [sys.executable, "-m", "scripts.load_raw", *arguments],
                cwd=REPO_ROOT,
                env={
                    **os.environ,
                    "PYTHONPATH": os.pathsep.join(
                        filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])
                    ),
                },
            )

    def wait(self) -> int:
        if self.process is not None:
            self.process.join()
            return self.process.exitcode or 0
        assert self.popen is not None
        return self.popen.wait()

    def stop(self) -> None:
        """Interrupt the loader if it still runs (it then discards its half-built landing)."""
        if self.process is not None:
            if self.process.is_alive() and self.process.pid is not None:
                os.kill(self.process.pid, signal.SIGINT)
                self.process.join(timeout=10)
                if self.process.is_alive():
                    self.process.kill()
                    self.process.join()
            return
        assert self.popen is not None
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def land(raw_dir: Path, landing_dir: Path, dbt: Dbt | None, timings: Timings) -> None:
    """Run the loader; with dbt given, in a child process while dbt is prepared here.

    The loader keeps about one core busy (the workbook conversion); dbt's import, parse and the
    part of the build that needs no landed data use the other, so on two cores they cost next
    to nothing in a cold build.
    """
    children_cpu = _children_cpu()
    with timings.phase(LOADER_PHASE):
        if dbt is None:
            status = load_raw.main(_loader_arguments(raw_dir, landing_dir))
        else:
            loader = _Loader(_loader_arguments(raw_dir, landing_dir))
            try:
                dbt.build_early()
                status = loader.wait()
            finally:
                loader.stop()
    if dbt is not None:
        # The loader's CPU time is its own process's; this one's went to dbt meanwhile.
        timings.update(LOADER_PHASE, cpu_seconds=_children_cpu() - children_cpu)
    if status != 0:
        raise BuildFailed(f"the raw files in {raw_dir} did not pass the loader's checks")


def build(
    raw_dir: Path,
    warehouse: Path,
    dbt_args: list[str],
    force: bool = False,
    timings: Timings | None = None,
) -> bool:
    """Land raw_dir, build a candidate warehouse and publish it over warehouse.

    Returns False, without running dbt, when the published warehouse is already up to date.
    """
    timings = timings or Timings()
    landing_dir = landing_dir_for(warehouse)
    dbt_dir = dbt_dir_for(warehouse)
    dbt_dir.mkdir(parents=True, exist_ok=True)
    state_path = dbt_dir / STATE_FILE
    dbt = Dbt(warehouse, dbt_args, timings)
    overlap = force or not probably_current(raw_dir, warehouse, state_path)
    try:
        land(raw_dir, landing_dir, dbt if overlap else None, timings)
        with timings.phase("provenance + up-to-date check"):
            provenance.write(raw_dir, landing_dir)
            for leftover in remove_stale_candidates(warehouse):
                print(f"Removed {leftover.name}, left by a build that died.", file=sys.stderr)
            fingerprint = inputs_fingerprint(landing_dir, dbt_args)
            current = None if force else published_is_current(warehouse, state_path, fingerprint)
        if current is not None:
            print(
                "\nWarehouse is up to date: the raw files, landed files, dbt project and build "
                f"code are unchanged since it was published at "
                f"{current.get('published_at', '?')}; dbt was not run (--force rebuilds anyway).\n",
                file=sys.stderr,
            )
            return False
        dbt.build()
        with timings.phase("publish (checkpoint + rename)"):
            duckdb_file.publish(dbt.candidate, warehouse)
            record_published(raw_dir, warehouse, state_path, fingerprint)
    finally:
        dbt.candidate.unlink(missing_ok=True)
        dbt.candidate.with_name(dbt.candidate.name + ".wal").unlink(missing_ok=True)
    landed = timings.seconds(LOADER_PHASE)
    built = timings.seconds(DBT_BUILD_PHASE, "publish (checkpoint + rename)")
    print(
        f"\nLanded raw files in {landed:.1f} s (dbt parsed the project and built what needs no "
        f"landed data meanwhile); built and tested the rest in {built:.1f} s.\n"
        if overlap
        else f"\nLanded raw files in {landed:.1f} s; built and tested in {built:.1f} s.\n",
        file=sys.stderr,
    )
    return True


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
        "--force",
        action="store_true",
        help="run dbt and publish a new file even when the warehouse is up to date",
    )
    parser.add_argument(
        "--timings",
        type=Path,
        metavar="PATH",
        help="write each phase's start and duration as JSON to PATH (used by scripts.bench)",
    )
    parser.add_argument(
        "dbt_args",
        nargs="*",
        help="extra arguments for dbt build, after --, e.g. -- --select staging",
    )
    args = parser.parse_args(argv)
    warehouse = args.warehouse.resolve()
    timings = Timings()
    rebuilt = False
    try:
        with _sigterm_raises():
            rebuilt = build(args.raw_dir.resolve(), warehouse, args.dbt_args, args.force, timings)
    except (BuildFailed, KeyboardInterrupt) as failure:
        print(f"\nBUILD FAILED: {failure or 'interrupted'}.", file=sys.stderr)
        if warehouse.exists():
            print(f"The last good warehouse is unchanged: {warehouse}", file=sys.stderr)
        else:
            print(f"No warehouse has been published yet at {warehouse}.", file=sys.stderr)
        return 1
    finally:
        if args.timings is not None:
            timings.write(args.timings, rebuilt=rebuilt)
    with timings.phase("summary"):
        print(render(warehouse))
    if args.timings is not None:
        timings.write(args.timings, rebuilt=rebuilt)
    return 0


def exit_now(code: int) -> None:
    """End the process without the interpreter's teardown once dbt has been imported.

    Freeing dbt's parsed project object by object at exit takes 1-2 s after the build is
    done. The exit handlers still run and the logs and output are flushed first; the warehouse
    is closed and published by then.
    """
    if "dbt" not in sys.modules:
        raise SystemExit(code)
    atexit._run_exitfuncs()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    exit_now(main())
