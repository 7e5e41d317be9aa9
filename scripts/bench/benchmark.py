"""Benchmark the warehouse build against the notebook way and the `dbt seed` way; write the results.

    nhs bench --real-dir ../shared/data/nhs             # what `make bench` runs
    nhs bench --sample-only --output /tmp/bench.md      # quick check on the sample

Set-up (not timed): the real CSVs are linked and a full-size SYNTHETIC national_categories.xlsx
(817,394 rows) is generated beside them, as scripts.build.real_data does; for the scale run, every
file is generated at 10x the real row count (scripts.synthetic.generate --scale 10x). Generated
files are kept in --work-dir and reused while the generator is unchanged.

Timed, each in its own process, with wall time, CPU time and the peak RSS of the whole process
tree (scripts.bench.sampler), per phase where the program reports its phases:

* cold build: `nhs build` with no landed CSVs and no warehouse file (dbt's partial-parse
  state, which belongs to the project rather than the data, is kept);
* warm build: `nhs build` again with unchanged inputs (and once with --force, which runs
  dbt anyway);
* dbt's own floor: importing dbt, `dbt parse`, `dbt build` selecting nothing;
* the workbook conversion alone (the loader's converter), against pandas.read_excel;
* the notebook way (scripts.bench.notebook): pandas read_excel (openpyxl) and read_csv, then the
  group-bys for the monthly totals, DNA rate by mode and duration band totals; its answers are
  checked against the warehouse's marts;
* the seed way (scripts.bench.variants): the landed CSVs loaded with `dbt seed` into a
  temporary copy of the project whose sources are refs to those seeds, then the same models and
  tests; and, the same way, the staging models as views instead of tables;
* the scale run: cold and warm builds and the workbook conversion at 10x.

Medians of --runs runs (the notebook and seed ways: --notebook-runs, --seed-runs). Every
number in the written file comes from this run; targets are checked and, when missed, the
measured floor is shown.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import psutil

from scripts.bench.notebook import PHASE_EXCEL
from scripts.bench.sampler import MIB, Measured, run_measured
from scripts.bench.variants import PHASE_SEED
from scripts.build.dbt_runner import (
    DBT_BUILD_PHASE,
    DBT_CSV_PHASE,
    DBT_EARLY_PHASE,
    DBT_IMPORT_PHASE,
    DBT_PARSE_PHASE,
)
from scripts.build.pipeline import LOADER_PHASE
from scripts.cli import command_parser
from scripts.code_fingerprint import digest, generator_inputs
from scripts.loader.landing_manifest import STATUS_REUSED, read_manifest
from scripts.loader.raw_specs import SOURCES
from scripts.paths import REPO_ROOT, SAMPLE_RAW_DIR, SHARED_REAL_DATA_DIR, landing_dir_for

DEFAULT_WORK_DIR = REPO_ROOT / "warehouse" / "bench"
DEFAULT_OUTPUT = REPO_ROOT / "docs" / "benchmarks.md"
PY = sys.executable
GIB = 1024 * MIB

# Targets on the 2-core, 24 GB machine (the issue).
TARGET_COLD_SECONDS = 15.0
TARGET_COLD_VS_NOTEBOOK = 5.0
TARGET_WARM_SECONDS = 6.0
TARGET_WORKBOOK_SECONDS = 6.0
TARGET_WORKBOOK_VS_PANDAS = 8.0
TARGET_WORKBOOK_RSS = 1 * GIB
TARGET_BUILD_RSS = 1.5 * GIB
TARGET_SCALE_RSS = 4 * GIB

# At 10x, national_categories runs 110 months from 2021-08 (make_sample_data), past the end of
# dim_date's default calendar (2023), so its relationships tests would fail; widen it.
SCALE_DBT_ARGS = ("--", "--vars", '{"calendar_end_date": "2031-12-31"}')

VERSIONED = (
    "pandas",
    "openpyxl",
    "python-calamine",
    "duckdb",
    "dbt-core",
    "dbt-duckdb",
    "psutil",
)
STARTUP_PHASE = "python start-up + imports"
EXIT_PHASE = "exit"
WORKBOOK_IN_BUILD = "  workbook conversion (beside the CSV checks)"
CSV_IN_BUILD = "  CSV checks (beside the workbook conversion)"
FLOOR_PARSE_NO_STATE = "dbt parse, no partial-parse state (first build after a clone)"
FLOOR_PARSE = "dbt parse, partial-parse state valid"
FLOOR_NOTHING = "dbt build selecting nothing"
FLOOR_EMPTY = "dbt build --empty (every node, no data)"
# The parts of dbt build in a build (scripts.build.dbt_runner), and the one after the loader.
DBT_PARTS = (DBT_EARLY_PHASE, DBT_CSV_PHASE, DBT_BUILD_PHASE)


def _say(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------
# One measured run and medians over runs


@dataclass
class Run:
    """One measured process: totals and its phases (name -> seconds, peak RSS)."""

    seconds: float
    cpu_seconds: float
    peak_rss: int
    load: float  # 1-minute load average when it ended
    phases: dict[str, dict[str, float]] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scenario:
    """Several runs of the same thing."""

    name: str
    runs: list[Run] = field(default_factory=list)

    def median(self, metric: str) -> float:
        return statistics.median(getattr(run, metric) for run in self.runs)

    def worst(self, metric: str) -> float:
        return max(getattr(run, metric) for run in self.runs)

    def phase_names(self) -> list[str]:
        names: list[str] = []
        for run in self.runs:
            names.extend(name for name in run.phases if name not in names)
        return names

    def phase_median(self, phase: str, metric: str) -> float | None:
        values = [
            run.phases[phase][metric]
            for run in self.runs
            if phase in run.phases and run.phases[phase].get(metric) is not None
        ]
        return statistics.median(values) if values else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "runs": [run.__dict__ for run in self.runs],
            "median": {
                "seconds": self.median("seconds"),
                "cpu_seconds": self.median("cpu_seconds"),
                "peak_rss": self.median("peak_rss"),
            },
            "phases": {
                phase: {
                    "seconds": self.phase_median(phase, "seconds"),
                    "peak_rss": self.phase_median(phase, "peak_rss"),
                }
                for phase in self.phase_names()
            },
        }


def _phases_from(measured: Measured, reported: list[dict[str, Any]]) -> dict[str, dict]:
    """Each reported phase's duration and the tree's peak RSS while it ran, plus start-up and
    exit (the time before the first and after the last reported phase)."""
    phases: dict[str, dict[str, float]] = {}
    end_of_run = measured.started + measured.seconds
    if reported:
        first = min(entry["start"] for entry in reported)
        phases[STARTUP_PHASE] = {
            "start": measured.started,
            "seconds": max(first - measured.started, 0.0),
            "peak_rss": measured.peak_between(measured.started, first),
        }
    for entry in reported:
        start, seconds = entry["start"], entry["seconds"]
        phases[entry["phase"]] = {
            "start": start,
            "seconds": seconds,
            "cpu_seconds": entry.get("cpu_seconds"),
            "peak_rss": measured.peak_between(start, start + seconds),
        }
    if reported:
        last = max(entry["start"] + entry["seconds"] for entry in reported)
        phases[EXIT_PHASE] = {
            "start": last,
            "seconds": max(end_of_run - last, 0.0),
            "peak_rss": measured.peak_between(last, end_of_run),
        }
    return phases


def measure(
    module: str,
    arguments: list[str],
    logs: Path,
    stem: str,
    what: str,
    env: dict[str, str] | None = None,
    after: tuple[str, ...] = (),
) -> tuple[Run, dict[str, Any]]:
    """Run `python -m module arguments --timings <logs/stem.timings.json> after` with its
    output in logs/stem.log, check it succeeded, and return the run with its reported phases."""
    log, timings = logs / f"{stem}.log", logs / f"{stem}.timings.json"
    timings.unlink(missing_ok=True)
    command = [PY, "-m", module, *arguments, "--timings", str(timings), *after]
    env = env if env is not None else _clean_env()
    measured = run_measured(command, log, cwd=REPO_ROOT, env=env)
    if measured.returncode != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-4000:]
        raise SystemExit(f"{what} failed (exit {measured.returncode}):\n{tail}")
    report = json.loads(timings.read_text(encoding="utf-8"))
    run = Run(
        seconds=measured.seconds,
        cpu_seconds=measured.cpu_seconds,
        peak_rss=measured.peak_rss,
        load=os.getloadavg()[0],
        phases=_phases_from(measured, report.get("phases", [])),
    )
    run.extra["measured"] = measured
    _say(
        f"{what}: {measured.seconds:.2f} s wall, {measured.cpu_seconds:.2f} s CPU, "
        f"peak {measured.peak_rss / MIB:.0f} MiB (load {run.load:.2f})"
    )
    return run, report


def _clean_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT))
    env["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    for name in ("NHS_DUCKDB_PATH", "NHS_LANDING_DIR"):
        env.pop(name, None)
    return env


# ---------------------------------------------------------------------------------------------
# Set-up: raw folders (not timed)


def prepare_real_raw(real_dir: Path, work_dir: Path) -> Path:
    """The real CSVs linked, plus a full-size synthetic workbook (reused when current)."""
    from scripts.build import real_data as build_real

    missing = build_real.missing_real_files(real_dir)
    if missing:
        raise SystemExit(
            f"{real_dir} does not hold {', '.join(missing)}; pass --real-dir, or --raw-dir "
            "for another raw folder, or --sample-only"
        )
    _say("set-up (not timed): real CSVs + full-size synthetic national_categories.xlsx")
    return build_real.prepare_raw_dir(real_dir.resolve(), (work_dir / "real_raw").resolve())


def prepare_scale_raw(work_dir: Path) -> Path:
    """Every raw file at 10x the real row count (reused while the generator is unchanged)."""
    raw_dir = (work_dir / "scale10x_raw").resolve()
    stamp = raw_dir / ".generator_fingerprint"
    fingerprint = digest(generator_inputs(), "10x", "seed 42")
    if stamp.exists() and stamp.read_text() == fingerprint:
        _say(f"set-up (not timed): reusing the 10x synthetic files in {raw_dir}")
        return raw_dir
    _say(f"set-up (not timed): generating 10x synthetic files in {raw_dir} (takes minutes)")
    shutil.rmtree(raw_dir, ignore_errors=True)
    subprocess.run(
        [PY, "-m", "scripts.synthetic.generate", "--scale", "10x", "--out", str(raw_dir)],
        cwd=REPO_ROOT,
        check=True,
    )
    stamp.write_text(fingerprint)
    return raw_dir


# ---------------------------------------------------------------------------------------------
# The scenarios


def _reset_warehouse(warehouse: Path) -> None:
    """No warehouse file, no landed CSVs, no build state; dbt's parse state is kept."""
    from scripts.build import dbt_runner
    from scripts.build import publish as duckdb_file
    from scripts.build import up_to_date as build_state

    duckdb_file.remove(warehouse)
    for leftover in warehouse.parent.glob(f"{warehouse.name}{dbt_runner.CANDIDATE_INFIX}*"):
        leftover.unlink(missing_ok=True)
    shutil.rmtree(landing_dir_for(warehouse), ignore_errors=True)
    (dbt_runner.dbt_dir_for(warehouse) / build_state.STATE_FILE).unlink(missing_ok=True)


def _loader_subphases(run: Run, report: dict[str, Any], warehouse: Path) -> None:
    """Windows of the workbook conversion and the CSV checks inside the loader phase.

    The loader records each source's duration in its manifest; the workbook is converted in a
    thread beside the CSV checks, both from the start of the loader, the CSVs one after another.
    """
    loader = next((p for p in report.get("phases", []) if p["phase"] == LOADER_PHASE), None)
    manifest = read_manifest(landing_dir_for(warehouse))
    if loader is None or not manifest:
        return
    measured: Measured = run.extra["measured"]
    run.extra["reused_sources"] = sorted(
        s["source_name"] for s in manifest.get("sources", []) if s.get("status") == STATUS_REUSED
    )
    sources = [s for s in manifest.get("sources", []) if s.get("status") != STATUS_REUSED]
    workbooks = {spec.name for spec in SOURCES if spec.is_workbook}
    workbook = [s for s in sources if s.get("source_name") in workbooks]
    csvs = [s for s in sources if s not in workbook]
    for name, group in ((WORKBOOK_IN_BUILD, workbook), (CSV_IN_BUILD, csvs)):
        if not group:
            continue
        seconds = sum(float(s.get("duration_seconds", 0.0)) for s in group)
        start = loader["start"]
        run.phases[name] = {
            "start": start,
            "seconds": seconds,
            "peak_rss": measured.peak_between(start, start + seconds),
        }
    run.extra["landed_rows"] = {
        s["source_name"]: int(s.get("landed_rows", 0)) for s in manifest.get("sources", [])
    }


def _ordered_build_phases(run: Run) -> None:
    """Phases in the order they started, the loader's sub-phases right after it, and dbt's
    import, parse and early build parts marked when they ran beside the loader (a cold build
    starts them there)."""
    phases = dict(sorted(run.phases.items(), key=lambda item: item[1].get("start", 0.0)))
    loader = phases.get(LOADER_PHASE)
    if loader is not None:
        loader_end = loader["start"] + loader["seconds"]
        for name in (DBT_IMPORT_PHASE, DBT_PARSE_PHASE, DBT_EARLY_PHASE, DBT_CSV_PHASE):
            if name in phases and phases[name]["start"] < loader_end:
                phases[f"  {name} (beside the loader)"] = phases.pop(name)
    order = list(phases)
    if LOADER_PHASE in order:
        for name in reversed([n for n in order if n.startswith("  ")]):
            order.remove(name)
            order.insert(order.index(LOADER_PHASE) + 1, name)
    run.phases = {name: phases[name] for name in order}


def build_once(raw_dir: Path, warehouse: Path, logs: Path, label: str, *extra: str) -> Run:
    run, report = measure(
        "scripts.build.pipeline",
        ["--raw-dir", str(raw_dir), "--warehouse", str(warehouse)],
        logs,
        label,
        label,
        after=extra,
    )
    run.extra["rebuilt"] = bool(report.get("rebuilt"))
    run.extra["said_up_to_date"] = "up to date" in (logs / f"{label}.log").read_text()
    _loader_subphases(run, report, warehouse)
    _ordered_build_phases(run)
    return run


def cold_builds(
    raw_dir: Path, warehouse: Path, logs: Path, runs: int, tag: str, dbt_args: tuple = ()
) -> Scenario:
    scenario = Scenario(f"cold build ({tag})")
    for index in range(runs):
        _reset_warehouse(warehouse)
        run = build_once(raw_dir, warehouse, logs, f"{tag}-cold-{index + 1}", *dbt_args)
        if not run.extra["rebuilt"]:
            raise SystemExit("a cold build did not build")
        scenario.runs.append(run)
    return scenario


def warm_builds(
    raw_dir: Path,
    warehouse: Path,
    logs: Path,
    runs: int,
    tag: str,
    force: bool = False,
    dbt_args: tuple = (),
) -> Scenario:
    kind = "warm build, --force (dbt runs anyway)" if force else "warm build"
    scenario = Scenario(f"{kind} ({tag})")
    for index in range(runs):
        label = f"{tag}-warm{'-force' if force else ''}-{index + 1}"
        run = build_once(
            raw_dir, warehouse, logs, label, *(["--force"] if force else []), *dbt_args
        )
        if run.extra["rebuilt"] != force or (not force and not run.extra["said_up_to_date"]):
            raise SystemExit(f"{label}: expected {'a rebuild' if force else 'up to date'}")
        if len(run.extra.get("reused_sources", [])) != len(run.extra.get("landed_rows", {})):
            raise SystemExit(f"{label}: the loader read a raw file again although none changed")
        scenario.runs.append(run)
    return scenario


def dbt_floor(warehouse: Path, logs: Path, runs: int) -> list[Scenario]:
    """dbt's start-up: import, parse without and with partial-parse state, build of nothing."""
    from scripts.build import dbt_runner

    target = dbt_runner.dbt_dir_for(warehouse) / "target"
    scenarios = []
    for what, label, repeat, fresh in (
        ("dbt-parse", FLOOR_PARSE_NO_STATE, 1, True),
        ("dbt-import", "import dbt", runs, False),
        ("dbt-parse", FLOOR_PARSE, runs, False),
        ("dbt-build-nothing", FLOOR_NOTHING, runs, False),
        ("dbt-build-empty", FLOOR_EMPTY, runs, False),
    ):
        scenario = Scenario(label)
        for index in range(repeat):
            if fresh:
                (target / "partial_parse.msgpack").unlink(missing_ok=True)
            arguments = [what] if what == "dbt-import" else [what, "--warehouse", str(warehouse)]
            run, _ = measure(
                "scripts.bench.phases", arguments, logs, f"floor-{what}-{index + 1}", label
            )
            scenario.runs.append(run)
        scenarios.append(scenario)
    return scenarios


def workbook_alone(raw_dir: Path, work_dir: Path, logs: Path, runs: int, tag: str) -> Scenario:
    scenario = Scenario(f"workbook conversion alone ({tag})")
    out_dir = work_dir / f"{tag}_workbook_csv"
    for index in range(runs):
        shutil.rmtree(out_dir, ignore_errors=True)
        run, _ = measure(
            "scripts.bench.phases",
            ["workbook", "--raw-dir", str(raw_dir), "--out-dir", str(out_dir)],
            logs,
            f"{tag}-workbook-{index + 1}",
            f"workbook conversion ({tag})",
        )
        scenario.runs.append(run)
    shutil.rmtree(out_dir, ignore_errors=True)
    return scenario


def notebook_way(raw_dir: Path, logs: Path, runs: int) -> tuple[Scenario, Path]:
    scenario = Scenario("notebook way (pandas)")
    answers = logs / "notebook-answers.json"
    for index in range(runs):
        run, _ = measure(
            "scripts.bench.notebook",
            ["--raw-dir", str(raw_dir), "--answers", str(answers)],
            logs,
            f"notebook-{index + 1}",
            "notebook way",
        )
        scenario.runs.append(run)
    return scenario, answers


def variant_way(
    variant: str, label: str, warehouse: Path, work_dir: Path, logs: Path, runs: int
) -> Scenario:
    """A variant of the project (scripts.bench.variants) built from our landed CSVs."""
    project = work_dir / f"variant_{variant}"
    database = project / "variant.duckdb"
    env = _clean_env()
    for what, extra in (
        ("prepare", ["--variant", variant, "--landing-dir", str(landing_dir_for(warehouse))]),
        # Set-up, as for our builds: dbt's partial-parse state of the copy exists before timing.
        ("parse", []),
    ):
        subprocess.run(
            [PY, "-m", "scripts.bench.variants", what, "--project-dir", str(project), *extra],
            cwd=REPO_ROOT,
            env={**env, "NHS_DUCKDB_PATH": str(database)},
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    scenario = Scenario(label)
    for index in range(runs):
        run, _ = measure(
            "scripts.bench.variants",
            ["run", "--project-dir", str(project), "--database", str(database)],
            logs,
            f"{variant}-{index + 1}",
            label,
            env=env,
        )
        scenario.runs.append(run)
    shutil.rmtree(project, ignore_errors=True)
    return scenario


# ---------------------------------------------------------------------------------------------
# Do the notebook's answers equal the warehouse's?


def check_answers(answers_path: Path, warehouse: Path) -> dict[str, Any]:
    import duckdb

    answers = json.loads(answers_path.read_text())
    with duckdb.connect(str(warehouse), read_only=True) as con:
        monthly = con.execute(
            "select strftime(appointment_month, '%Y-%m'), regional_appointments, "
            "national_category_appointments, duration_appointments "
            "from marts.source_reconciliation_monthly"
        ).fetchall()
        dna = con.execute(
            "select strftime(appointment_month, '%Y-%m'), appointment_mode, "
            "sum(dna_appointments) / sum(total_appointments) "
            "from marts.missed_appointments_monthly group by all"
        ).fetchall()
        bands = con.execute(
            "select strftime(appointment_month, '%Y-%m'), duration_band, "
            "sum(count_of_appointments) from marts.duration_distribution_monthly group by all"
        ).fetchall()
    ours_monthly = {
        "appointments_regional": {m: r for m, r, _, _ in monthly if r is not None},
        "national_categories": {m: n for m, _, n, _ in monthly if n is not None},
        "actual_duration": {m: d for m, _, _, d in monthly if d is not None},
    }
    problems = []
    compared = 0
    for source, theirs in answers["monthly_totals"].items():
        for month, total in theirs.items():
            compared += 1
            if ours_monthly[source].get(month) != total:
                problems.append(
                    f"{source} {month}: notebook {total}, warehouse "
                    f"{ours_monthly[source].get(month)}"
                )
    ours_dna = {(m, mode): rate for m, mode, rate in dna}
    for month, mode, rate in answers["dna_rate_by_mode"]:
        compared += 1
        mine = ours_dna.get((month, mode))
        if mine is None or abs(mine - rate) > 1e-9:
            problems.append(f"DNA rate {month} {mode}: notebook {rate}, warehouse {mine}")
    ours_bands = {(m, band): total for m, band, total in bands}
    for month, band, total in answers["duration_band_totals"]:
        compared += 1
        if ours_bands.get((month, band)) != total:
            problems.append(
                f"duration {month} {band}: notebook {total}, warehouse "
                f"{ours_bands.get((month, band))}"
            )
    return {
        "compared": compared,
        "monthly_totals": sum(len(v) for v in answers["monthly_totals"].values()),
        "dna_rates": len(answers["dna_rate_by_mode"]),
        "duration_bands": len(answers["duration_band_totals"]),
        "problems": problems,
    }


# ---------------------------------------------------------------------------------------------
# Rendering


def mib(value: float | None) -> str:
    return "" if value is None else f"{value / MIB:,.0f} MiB"


def secs(value: float | None) -> str:
    return "" if value is None else f"{value:.2f} s"


def ratio(numerator: float, denominator: float) -> float:
    return numerator / denominator if denominator else float("inf")


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_bytes": psutil.virtual_memory().total,
        "os": f"{platform.system()} {platform.release()}",
        "versions": versions,
        "commit": commit,
    }


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


def _phase_table(scenario: Scenario) -> list[str]:
    rows = []
    for phase in scenario.phase_names():
        rows.append(
            [
                phase.replace("  ", "&nbsp;&nbsp;&nbsp;&nbsp;", 1)
                if phase.startswith("  ")
                else phase,
                secs(scenario.phase_median(phase, "seconds")),
                secs(scenario.phase_median(phase, "cpu_seconds")),
                mib(scenario.phase_median(phase, "peak_rss")),
            ]
        )
    rows.append(
        [
            "**whole run**",
            f"**{secs(scenario.median('seconds'))}**",
            f"**{secs(scenario.median('cpu_seconds'))}**",
            f"**{mib(scenario.median('peak_rss'))}**",
        ]
    )
    return _table(
        ["phase", "wall (median)", "CPU (median)", "peak RSS of the process tree (median)"], rows
    )


@dataclass
class Target:
    what: str
    goal: str
    measured: str
    met: bool
    why: str = ""


def render(results: dict[str, Any], scenarios: dict[str, Scenario]) -> str:
    info = results["machine"]
    lines = [
        "# Benchmarks",
        "",
        "<!-- Written by scripts/bench/benchmark.py (`make bench`); every number below comes from "
        "its latest run. Do not edit by hand. -->",
        "",
        f"Run on {results['date']} with `{results['command']}` (commit {info['commit']}).",
        "",
        "## Machine and software",
        "",
        f"- CPU: {info['cpu']}, {info['cores']} cores; RAM {info['ram_bytes'] / GIB:.1f} GiB; "
        f"{info['os']}",
        "- Load average (1, 5, 15 min) at the start: "
        + ", ".join(f"{x:.2f}" for x in results["load_start"])
        + "; at the end: "
        + ", ".join(f"{x:.2f}" for x in results["load_end"])
        + ". Other work was running on the machine; each scenario's 1-minute load is in its "
        "table. CPU time (user + system of the process tree) is given because it is far less "
        "sensitive to that load than wall time.",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()),
        f"- Runs: medians of {results['runs']} runs; the notebook way "
        f"{results['notebook_runs']} run(s), the seed way {results['seed_runs']} run(s)"
        + (", the scale run " + str(results["scale_runs"]) + " run(s)" if results["scale"] else "")
        + ". Peak memory targets use the largest peak of any run.",
        f"- Data: {results['data_description']}",
        "",
    ]
    lines += [
        "## Targets",
        "",
        "The targets are for the full-size build on a 2-core, 24 GB machine.",
        "",
    ]
    lines += _table(
        ["target", "goal", "measured", "met"],
        ([t.what, t.goal, t.measured, "yes" if t.met else "**no**"] for t in results["targets"]),
    )
    missed = [t for t in results["targets"] if not t.met and t.why]
    if missed:
        lines += ["", "### Why the missed targets are missed, and the floor", ""]
        lines += [f"- **{t.what}**: {t.why}" for t in missed]
    lines += ["", f"## Side by side ({results['size']})", ""]
    ours = scenarios["cold"]
    rows = []
    for key in ("cold", "warm", "warm_force", "notebook", "seed", "seed_end_to_end", "views"):
        scenario = scenarios.get(key)
        if scenario is None or not scenario.runs:
            continue
        rows.append(
            [
                scenario.name,
                secs(scenario.median("seconds")),
                "n/a" if key == "seed_end_to_end" else secs(scenario.median("cpu_seconds")),
                mib(scenario.worst("peak_rss")),
                f"{ratio(scenario.median('seconds'), ours.median('seconds')):.2f}x",
                f"{statistics.mean(run.load for run in scenario.runs):.2f}",
            ]
        )
    lines += _table(
        [
            "scenario",
            "wall (median)",
            "CPU (median)",
            "peak RSS (largest)",
            "wall vs our cold build",
            "load (1 min)",
        ],
        rows,
    )
    lines += ["", *results["ratios_text"], ""]
    lines += ["## Phases", ""]
    for key in (
        "cold",
        "warm",
        "warm_force",
        "workbook",
        "notebook",
        "seed",
        "views",
    ):
        scenario = scenarios.get(key)
        if scenario is None or not scenario.runs:
            continue
        lines += [f"### {scenario.name}", "", *_phase_table(scenario), ""]
    lines += ["## dbt's own floor", ""]
    floor_rows = [
        [
            s.name,
            secs(s.median("seconds")),
            secs(s.median("cpu_seconds")),
            mib(s.worst("peak_rss")),
            str(len(s.runs)),
        ]
        for s in results["floor"]
    ]
    lines += _table(
        ["what (whole process)", "wall (median)", "CPU", "peak RSS", "runs"], floor_rows
    )
    lines += ["", results["floor_text"], ""]
    if results["answers"] is not None:
        check = results["answers"]
        verdict = "all equal" if not check["problems"] else f"{len(check['problems'])} differ"
        lines += [
            "## Same answers",
            "",
            f"The notebook's figures were compared with the warehouse's marts: "
            f"{check['monthly_totals']} monthly totals (three sources), {check['dna_rates']} "
            f"DNA rates by month and mode, {check['duration_bands']} duration band totals by "
            f"month: {verdict}.",
            *(f"- {problem}" for problem in check["problems"][:10]),
            "",
        ]
    if results["scale"]:
        lines += ["## Scale run (10x)", "", *results["scale_text"], ""]
        for key in ("scale_cold", "scale_warm", "scale_workbook"):
            scenario = scenarios.get(key)
            if scenario is not None and scenario.runs:
                lines += [f"### {scenario.name}", "", *_phase_table(scenario), ""]
    lines += ["## How it was measured", "", *results["method_text"], ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Putting it together


def _rows_text(rows: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in rows.items())


def assess(
    scenarios: dict[str, Scenario], results: dict[str, Any], floor: list[Scenario]
) -> list[Target]:
    cold, warm = scenarios["cold"], scenarios["warm"]
    notebook, workbook = scenarios.get("notebook"), scenarios["workbook"]
    cores = os.cpu_count() or 1
    cold_s, cold_cpu = cold.median("seconds"), cold.median("cpu_seconds")
    load = statistics.mean(run.load for run in cold.runs)
    floor_by_name = {s.name: s for s in floor}
    dbt_floor_s = floor_by_name[FLOOR_NOTHING].median("seconds")
    dbt_empty_s = floor_by_name[FLOOR_EMPTY].median("seconds")
    targets = []

    def time_why(seconds: float, cpu: float, goal: float, extra: str = "") -> str:
        return (
            f"it used {cpu:.1f} s of CPU, so with both of the {cores} cores to itself it could "
            f"not take less than {cpu / cores:.1f} s; it took {seconds:.1f} s wall while the "
            f"1-minute load average was {load:.1f} on {cores} cores (other work shared them). "
            f"{extra}".strip()
        )

    loader_s = cold.phase_median(LOADER_PHASE, "seconds") or 0.0
    rest_s = sum(
        cold.phase_median(name, "seconds") or 0.0
        for name in cold.phase_names()
        if not name.startswith("  ") and name != LOADER_PHASE
    )
    breakdown = (
        f"The cold build is the loader ({loader_s:.1f} s; the workbook conversion alone takes "
        f"{workbook.median('seconds'):.1f} s of it, then the rows are staged, checked and "
        f"landed), then dbt building and testing what reads the workbook's data, "
        f"publishing and summarising ({rest_s:.1f} s); dbt's import, parse, the part that "
        f"needs no landed data and the part built from the landed CSVs run beside the loader. "
        f"dbt needs {dbt_empty_s:.1f} s to "
        f"run every node of this project on empty inputs (`dbt build --empty`), "
        f"{dbt_floor_s:.1f} s of it to start and select nothing: its cost per node, not the "
        "data, is most of its part."
    )
    cold_why = time_why(cold_s, cold_cpu, TARGET_COLD_SECONDS, breakdown)
    targets.append(
        Target(
            "cold build, full size, tests included",
            f"<= {TARGET_COLD_SECONDS:.0f} s",
            f"{cold_s:.2f} s (CPU {cold_cpu:.2f} s)",
            cold_s <= TARGET_COLD_SECONDS,
            cold_why,
        )
    )
    if notebook is not None and notebook.runs:
        speedup = ratio(notebook.median("seconds"), cold_s)
        targets.append(
            Target(
                "cold build vs the notebook way (same run)",
                f">= {TARGET_COLD_VS_NOTEBOOK:.0f}x faster",
                f"{speedup:.1f}x ({notebook.median('seconds'):.1f} s vs {cold_s:.1f} s)",
                speedup >= TARGET_COLD_VS_NOTEBOOK,
                f"the notebook way took {notebook.median('seconds'):.1f} s, so 5x needs a cold "
                f"build of {notebook.median('seconds') / TARGET_COLD_VS_NOTEBOOK:.1f} s. "
                f"{breakdown} The notebook does far less work: no checks on the raw files, no "
                "tests, three group-bys instead of the marts.",
            )
        )
    warm_s, warm_cpu = warm.median("seconds"), warm.median("cpu_seconds")
    targets.append(
        Target(
            "warm rebuild, inputs unchanged",
            f"<= {TARGET_WARM_SECONDS:.0f} s",
            f"{warm_s:.2f} s (CPU {warm_cpu:.2f} s)",
            warm_s <= TARGET_WARM_SECONDS,
            time_why(warm_s, warm_cpu, TARGET_WARM_SECONDS),
        )
    )
    wb_s, wb_cpu = workbook.median("seconds"), workbook.median("cpu_seconds")
    targets.append(
        Target(
            "workbook conversion (817k rows)"
            if not results["sample_only"]
            else "workbook conversion",
            f"<= {TARGET_WORKBOOK_SECONDS:.0f} s",
            f"{wb_s:.2f} s (CPU {wb_cpu:.2f} s)",
            wb_s <= TARGET_WORKBOOK_SECONDS,
            time_why(wb_s, wb_cpu, TARGET_WORKBOOK_SECONDS),
        )
    )
    if notebook is not None and notebook.runs:
        excel = notebook.phase_median(PHASE_EXCEL, "seconds") or 0.0
        speedup = ratio(excel, wb_s)
        targets.append(
            Target(
                "workbook conversion vs pandas read_excel (openpyxl), same run",
                f">= {TARGET_WORKBOOK_VS_PANDAS:.0f}x faster",
                f"{speedup:.1f}x ({excel:.1f} s vs {wb_s:.1f} s)",
                speedup >= TARGET_WORKBOOK_VS_PANDAS,
            )
        )
    targets.append(
        Target(
            "workbook conversion peak memory",
            f"< {TARGET_WORKBOOK_RSS / GIB:.0f} GiB",
            mib(workbook.worst("peak_rss")),
            workbook.worst("peak_rss") < TARGET_WORKBOOK_RSS,
        )
    )
    targets.append(
        Target(
            "whole build peak memory (cold, full size)",
            f"< {TARGET_BUILD_RSS / GIB:.1f} GiB",
            mib(cold.worst("peak_rss")),
            cold.worst("peak_rss") < TARGET_BUILD_RSS,
        )
    )
    scale_cold = scenarios.get("scale_cold")
    if scale_cold is not None and scale_cold.runs:
        growth = results["scale_growth"]
        targets.append(
            Target(
                "10x: time grows no worse than linearly",
                "time ratio <= row ratio",
                f"time x{growth['time']:.2f} for rows x{growth['rows']:.2f}",
                growth["time"] <= growth["rows"],
            )
        )
        targets.append(
            Target(
                "10x: peak memory",
                f"< {TARGET_SCALE_RSS / GIB:.0f} GiB",
                mib(scale_cold.worst("peak_rss")),
                scale_cold.worst("peak_rss") < TARGET_SCALE_RSS,
            )
        )
    return targets


def _seed_end_to_end(seed: Scenario, cold: Scenario) -> Scenario:
    """The seed way from the raw files: our loader (it needs the landed CSVs too) + its dbt."""
    loader = cold.phase_median(LOADER_PHASE, "seconds") or 0.0
    loader_rss = cold.phase_median(LOADER_PHASE, "peak_rss") or 0.0
    combined = Scenario("seed way end to end (our loader + dbt seed + dbt build)")
    for run in seed.runs:
        combined.runs.append(
            Run(
                seconds=run.seconds + loader,
                cpu_seconds=run.cpu_seconds,
                peak_rss=int(max(run.peak_rss, loader_rss)),
                load=run.load,
            )
        )
    return combined


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.bench.benchmark", __doc__)
    parser.add_argument(
        "--real-dir",
        type=Path,
        default=SHARED_REAL_DATA_DIR,
        help="the real NHS CSVs (default: %(default)s); a full-size synthetic workbook is "
        "generated beside links to them",
    )
    parser.add_argument(
        "--raw-dir",
        type=Path,
        help="benchmark this raw folder as it is instead of the real files (e.g. data/sample)",
    )
    parser.add_argument(
        "--sample-only",
        action="store_true",
        help="quick check: --raw-dir data/sample --runs 1 --no-scale-run",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per scenario (default 3)")
    parser.add_argument(
        "--notebook-runs",
        type=int,
        help="runs of the notebook way, which is slow (default: --runs, at most 2)",
    )
    parser.add_argument(
        "--seed-runs",
        type=int,
        help="runs of the dbt seed way and of staging as views, which are slow "
        "(default: --runs, at most 2)",
    )
    parser.add_argument(
        "--scale-run",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also build the synthetic data at 10x the real row count (default: on)",
    )
    parser.add_argument(
        "--scale-runs", type=int, default=1, help="runs of each scale-run scenario (default 1)"
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="where raw folders, warehouses and logs go (default: %(default)s)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="the Markdown results file (default: %(default)s)",
    )
    parser.add_argument(
        "--json",
        type=Path,
        help="also write every measurement as JSON here (default: results.json in --work-dir)",
    )
    args = parser.parse_args(argv)
    if args.sample_only:
        args.raw_dir = args.raw_dir or SAMPLE_RAW_DIR
        args.runs = 1
        args.scale_run = False
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    notebook_runs = args.notebook_runs or min(args.runs, 2)
    seed_runs = args.seed_runs or min(args.runs, 2)
    work_dir = args.work_dir.resolve()
    logs = work_dir / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir(parents=True)
    load_start = os.getloadavg()
    command = "python -m scripts.bench.benchmark " + " ".join(
        argv if argv is not None else sys.argv[1:]
    )

    if args.raw_dir is not None:
        raw_dir = args.raw_dir.resolve()
        data_kind = f"the raw files in {args.raw_dir}"
    else:
        raw_dir = prepare_real_raw(args.real_dir, work_dir)
        data_kind = (
            f"the real CSVs from {args.real_dir} plus a full-size SYNTHETIC "
            "national_categories.xlsx generated for them"
        )
    if args.raw_dir is None:
        tag = "full"
    else:
        tag = "sample" if raw_dir == SAMPLE_RAW_DIR.resolve() else "raw-dir"
    warehouse = work_dir / tag / "nhs.duckdb"
    scenarios: dict[str, Scenario] = {}

    _say("cold builds")
    scenarios["cold"] = cold_builds(raw_dir, warehouse, logs, args.runs, tag)
    _say("warm builds")
    scenarios["warm"] = warm_builds(raw_dir, warehouse, logs, args.runs, tag)
    _say("dbt's floor")
    floor = dbt_floor(warehouse, logs, args.runs)
    scenarios["warm_force"] = warm_builds(raw_dir, warehouse, logs, 1, tag, force=True)
    _say("workbook conversion alone")
    scenarios["workbook"] = workbook_alone(raw_dir, work_dir, logs, args.runs, tag)
    _say("the notebook way")
    scenarios["notebook"], answers_path = notebook_way(raw_dir, logs, notebook_runs)
    answers = check_answers(answers_path, warehouse)
    _say("the dbt seed way")
    scenarios["seed"] = variant_way(
        "seeds", "seed way (dbt seed + dbt build)", warehouse, work_dir, logs, seed_runs
    )
    _say("staging as views")
    scenarios["views"] = variant_way(
        "staging-views",
        "staging as views over the landed CSVs (dbt build)",
        warehouse,
        work_dir,
        logs,
        seed_runs,
    )
    scenarios["seed_end_to_end"] = _seed_end_to_end(scenarios["seed"], scenarios["cold"])
    full_rows = scenarios["cold"].runs[-1].extra.get("landed_rows", {})

    scale_text: list[str] = []
    scale_growth: dict[str, float] = {}
    if args.scale_run:
        scale_raw = prepare_scale_raw(work_dir)
        scale_warehouse = work_dir / "scale10x" / "nhs.duckdb"
        _say("scale run (10x): cold, warm, workbook alone")
        scenarios["scale_cold"] = cold_builds(
            scale_raw, scale_warehouse, logs, args.scale_runs, "10x", SCALE_DBT_ARGS
        )
        scenarios["scale_warm"] = warm_builds(
            scale_raw, scale_warehouse, logs, args.scale_runs, "10x", dbt_args=SCALE_DBT_ARGS
        )
        scenarios["scale_workbook"] = workbook_alone(
            scale_raw, work_dir, logs, args.scale_runs, "10x"
        )
        scale_rows = scenarios["scale_cold"].runs[-1].extra.get("landed_rows", {})
        scale_text, scale_growth = _scale_text(scenarios, full_rows, scale_rows)
        shutil.rmtree(scale_warehouse.parent, ignore_errors=True)

    load_end = os.getloadavg()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": command,
        "machine": machine(),
        "load_start": load_start,
        "load_end": load_end,
        "runs": args.runs,
        "notebook_runs": notebook_runs,
        "seed_runs": seed_runs,
        "scale_runs": args.scale_runs,
        "scale": args.scale_run,
        "size": "full size" if tag == "full" else f"the raw files in {args.raw_dir}",
        "sample_only": args.raw_dir is not None and raw_dir == SAMPLE_RAW_DIR.resolve(),
        "data_description": f"{data_kind}; landed rows: {_rows_text(full_rows)}.",
        "floor": floor,
        "answers": answers,
        "scale_text": scale_text,
        "scale_growth": scale_growth,
    }
    results["targets"] = assess(scenarios, results, floor)
    results["ratios_text"] = _ratios_text(scenarios)
    results["floor_text"] = _floor_text(floor, scenarios)
    results["method_text"] = METHOD_TEXT
    text = render(results, scenarios)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    json_path = args.json or work_dir / "results.json"
    json_path.write_text(
        json.dumps(
            {
                **{k: v for k, v in results.items() if k not in ("floor", "targets")},
                "targets": [t.__dict__ for t in results["targets"]],
                "floor": [s.as_dict() for s in floor],
                "scenarios": {key: s.as_dict() for key, s in scenarios.items()},
            },
            indent=2,
            default=_json_default,
        )
        + "\n",
        encoding="utf-8",
    )
    print("\n".join(["", *results["ratios_text"], ""]))
    for target in results["targets"]:
        print(f"{'met   ' if target.met else 'MISSED'}  {target.what}: {target.measured}")
    print(f"\nWrote {args.output} and {json_path}.")
    shutil.rmtree(warehouse.parent, ignore_errors=True)
    return 0


def _json_default(value: Any) -> Any:
    if isinstance(value, Measured):
        return None
    if isinstance(value, Path):
        return str(value)
    raise TypeError(type(value))


def faster(theirs: float, ours: float) -> str:
    """'4.2x faster' when ours takes less time, else '2.0x slower'."""
    if ours <= theirs:
        return f"{ratio(theirs, ours):.1f}x faster"
    return f"{ratio(ours, theirs):.1f}x slower"


def _ratios_text(scenarios: dict[str, Scenario]) -> list[str]:
    cold = scenarios["cold"]
    lines = []

    def line(label: str, other: Scenario | None, mine: Scenario = cold) -> None:
        if other is None or not other.runs:
            return
        lines.append(
            f"- {label}: ours is {faster(other.median('seconds'), mine.median('seconds'))} "
            f"({mine.median('seconds'):.2f} s against {other.median('seconds'):.2f} s); peak "
            f"memory {mib(mine.worst('peak_rss'))} against {mib(other.worst('peak_rss'))}."
        )

    line("Cold build against the notebook way", scenarios.get("notebook"))
    line("Warm build against the notebook way", scenarios.get("notebook"), scenarios["warm"])
    line("Cold build against the seed way end to end", scenarios.get("seed_end_to_end"))
    # dbt's whole part of our build, timed where nothing else runs beside it (as in the seed
    # and views ways): the --force rebuild, whose loader only reuses the landed files.
    forced_build = scenarios.get("warm_force") or cold
    ours_build, ours_build_cpu = (
        sum(
            forced_build.phase_median(name, key) or 0.0
            for name in forced_build.phase_names()
            if any(part in name for part in DBT_PARTS)
        )
        for key in ("seconds", "cpu_seconds")
    )
    seed = scenarios.get("seed")
    if seed is not None and seed.runs:
        seed_load = seed.phase_median(PHASE_SEED, "seconds") or 0.0
        seed_build = seed.phase_median(DBT_BUILD_PHASE, "seconds") or 0.0
        lines.append(
            f"- dbt's part, sources over the landed CSVs against seeds: ours is "
            f"{faster(seed_load + seed_build, ours_build)} ({ours_build:.2f} s of `dbt build` "
            f"against {seed_load:.2f} s of `dbt seed` plus {seed_build:.2f} s of `dbt build`)."
        )
    views = scenarios.get("views")
    if views is not None and views.runs:
        views_build = views.phase_median(DBT_BUILD_PHASE, "seconds") or 0.0
        views_cpu = views.phase_median(DBT_BUILD_PHASE, "cpu_seconds") or 0.0
        lines.append(
            f"- Staging as tables (ours) against staging as views over the landed CSVs: "
            f"`dbt build` is {faster(views_build, ours_build)} ({ours_build:.2f} s against "
            f"{views_build:.2f} s, CPU {ours_build_cpu:.2f} s against {views_cpu:.2f} s)"
            + (
                "; with views every test and model that reads a staging model parses the "
                "landed CSV again."
                if ours_build < views_build
                else "."
            )
        )
    workbook, notebook = scenarios.get("workbook"), scenarios.get("notebook")
    if workbook is not None and notebook is not None and notebook.runs:
        excel = notebook.phase_median(PHASE_EXCEL, "seconds") or 0.0
        lines.append(
            f"- Workbook conversion against pandas read_excel (openpyxl): ours is "
            f"{faster(excel, workbook.median('seconds'))} ({workbook.median('seconds'):.2f} s "
            f"for the whole process against {excel:.2f} s for read_excel alone); peak memory "
            f"{mib(workbook.worst('peak_rss'))} against "
            f"{mib(notebook.phase_median(PHASE_EXCEL, 'peak_rss'))} during "
            "read_excel."
        )
    return lines


def _floor_text(floor: list[Scenario], scenarios: dict[str, Scenario]) -> str:
    by_name = {s.name: s for s in floor}
    nothing = by_name[FLOOR_NOTHING].median("seconds")
    warm = scenarios["warm"].median("seconds")
    forced = scenarios["warm_force"].median("seconds")
    no_state = by_name[FLOOR_PARSE_NO_STATE]
    with_state = by_name[FLOOR_PARSE]
    empty = by_name[FLOOR_EMPTY].median("seconds")
    return (
        f"Any build that runs dbt pays at least the {nothing:.2f} s of a `dbt build` that "
        f"selects nothing (Python start-up, importing dbt, loading the project from the "
        f"partial-parse state, registering the adapter), and running every model, seed and test "
        f"of the project with no data at all (`dbt build --empty`) takes {empty:.2f} s: that is "
        f"dbt's own work per node, which no data-side tuning removes. A warm build with --force, "
        f"which runs every model and test again, took {forced:.2f} s; a warm build that finds "
        f"the warehouse up to date does not start dbt and took {warm:.2f} s. Keeping the "
        f"partial-parse state valid (scripts/build/dbt_runner.py parses against a fixed stand-in "
        f"for the "
        f"per-process candidate path, in a target folder per warehouse) saves "
        f"{no_state.median('seconds') - with_state.median('seconds'):.2f} s per build: "
        f"{no_state.median('seconds'):.2f} s without it, {with_state.median('seconds'):.2f} s "
        f"with it."
    )


def _scale_text(
    scenarios: dict[str, Scenario], full_rows: dict[str, int], scale_rows: dict[str, int]
) -> tuple[list[str], dict[str, float]]:
    full_total, scale_total = sum(full_rows.values()), sum(scale_rows.values())
    rows_ratio = ratio(scale_total, full_total)
    pairs: list[tuple[str, Scenario, Scenario]] = [
        ("cold build", scenarios["cold"], scenarios["scale_cold"]),
        ("warm build", scenarios["warm"], scenarios["scale_warm"]),
        ("workbook conversion alone", scenarios["workbook"], scenarios["scale_workbook"]),
    ]
    rows = []
    for label, full, scaled in pairs:
        rows.append(
            [
                label,
                secs(full.median("seconds")),
                secs(scaled.median("seconds")),
                f"x{ratio(scaled.median('seconds'), full.median('seconds')):.2f}",
                mib(full.worst("peak_rss")),
                mib(scaled.worst("peak_rss")),
                f"x{ratio(scaled.worst('peak_rss'), full.worst('peak_rss')):.2f}",
            ]
        )
    cold_full, cold_scaled = scenarios["cold"], scenarios["scale_cold"]
    growth = {
        "rows": rows_ratio,
        "time": ratio(cold_scaled.median("seconds"), cold_full.median("seconds")),
        "cpu": ratio(cold_scaled.median("cpu_seconds"), cold_full.median("cpu_seconds")),
    }
    text = [
        f"Rows landed at full size: {_rows_text(full_rows)} (total {full_total:,}); at 10x "
        f"(all SYNTHETIC): {_rows_text(scale_rows)} (total {scale_total:,}), x{rows_ratio:.2f}.",
        "",
        *_table(
            [
                "scenario",
                "full: wall",
                "10x: wall",
                "time ratio",
                "full: peak",
                "10x: peak",
                "memory ratio",
            ],
            rows,
        ),
        "",
        f"The cold build's wall time grew x{growth['time']:.2f} and its CPU time "
        f"x{growth['cpu']:.2f} for x{rows_ratio:.2f} the rows "
        + ("(no worse than linear)." if growth["time"] <= rows_ratio else "(worse than linear)."),
    ]
    return text, growth


METHOD_TEXT = [
    "- Each scenario runs as its own process (`python -m ...`), started by "
    "scripts/bench/benchmark.py. "
    "Wall time is from process start to exit. Peak memory is the largest sum of the resident "
    "set sizes of the process and all its descendants, sampled every 20 ms with psutil "
    "(scripts/bench/sampler.py). CPU time is user + system of the whole process tree, from the "
    "kernel's accounting.",
    "- Phases are reported by the programs themselves (scripts/build/pipeline.py --timings, "
    "scripts/bench/notebook.py, scripts/bench/variants.py, scripts/bench/phases.py) as start and "
    "duration; a phase's peak memory is the largest process-tree sample inside it. In a build, "
    "the loader converts the workbook in a thread beside the CSV checks, so those two "
    "sub-phases overlap and their memory is that of the whole process while they ran; the "
    "workbook conversion is therefore also measured alone. A build that runs dbt starts "
    "the loader in a child process and meanwhile imports dbt, parses the project and builds "
    "the part that needs no landed data and, once the loader has landed the CSVs, the part "
    "built from them alone (rows marked 'beside the loader'; the two run as one when the CSVs "
    "are landed before dbt has parsed); the loader phase lasts until both the loader and that "
    "dbt work are done, and its CPU time is the loader process's. The sub-phases beside the "
    "loader share the two cores with it, so their wall times include waiting for a core.",
    "- Cold build: no warehouse file, no landed CSVs, no build state; dbt's partial-parse "
    "state is kept (it depends on the project, not on the data; the parse without it is in "
    "the floor table). Warm build: the same command again with nothing changed, which finds "
    "the published warehouse up to date and does not run dbt; the --force row runs dbt anyway.",
    "- Generating the synthetic workbook and the 10x files is set-up and is not timed. The "
    "10x national categories run 110 months from 2021-08, past the end of dim_date's default "
    "calendar (2023), so the scale run's builds pass `--vars "
    '\'{"calendar_end_date": "2031-12-31"}\'` to dbt (otherwise the relationships tests to '
    "dim_date fail).",
    "- The notebook way reads every source with pandas defaults (read_excel uses openpyxl for "
    ".xlsx) and computes appointments per month from each source, the DNA rate by mode and "
    "month and the appointments per duration band and month; its figures are compared with "
    "the warehouse's marts above.",
    "- The seed way copies the project into a temporary folder, makes the landed CSVs seeds "
    "(every column text, as the sources read them), rewrites source() as ref(), and runs "
    "`dbt seed` then `dbt build` of everything else into a new DuckDB file, in-process like "
    "scripts/build/pipeline.py, with its partial-parse state prepared beforehand as ours is. "
    "Its end to "
    "end figure adds our loader's time, since seeds need the landed CSVs too.",
]


if __name__ == "__main__":
    raise SystemExit(main())
