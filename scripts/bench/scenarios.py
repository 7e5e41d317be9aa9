"""The benchmark's scenarios, each run as its own measured process (scripts.bench.measure):
cold and warm builds, dbt's own floor, the workbook conversion alone, the notebook way and the
variants of the project (seeds, staging as views); and the set-up of their raw folders.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from scripts.bench.measure import PY, Run, Scenario, clean_env, failed, measure, say
from scripts.bench.sampler import Measured
from scripts.build.pipeline import LOADER_PHASE
from scripts.code_fingerprint import digest, generator_inputs
from scripts.loader.landing_manifest import STATUS_REUSED, landed_rows, read_manifest
from scripts.loader.raw_specs import SOURCES
from scripts.paths import REPO_ROOT, dbt_dir_for, dbt_target_dir_for, landing_dir_for

# At 10x, national_categories runs 110 months from 2021-08 (scripts.synthetic.generate), past the
# last year of the bank-holiday seed (2027): the calendar is fixed to span the data, and the check
# that the seed covers every year of it, which those invented years cannot pass, is left out.
SCALE_DBT_ARGS = (
    "--",
    "--vars",
    '{"calendar_start_date": "2020-01-01", "calendar_end_date": "2031-12-31"}',
    "--exclude",
    "assert_bank_holidays_cover_the_calendar",
)

WORKBOOK_IN_BUILD = "  workbook conversion (beside the CSV checks)"
CSV_IN_BUILD = "  CSV checks (beside the workbook conversion)"
FLOOR_PARSE_NO_STATE = "dbt parse, no partial-parse state (first build after a clone)"
FLOOR_PARSE = "dbt parse, partial-parse state valid"
FLOOR_NOTHING = "dbt build selecting nothing"
FLOOR_EMPTY = "dbt build --empty (every node, no data)"
FLOOR_EMPTY_MODELS = "dbt build --empty, models and seeds only (no data tests)"


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
    say("set-up (not timed): real CSVs + full-size synthetic national_categories.xlsx")
    return build_real.prepare_raw_dir(real_dir.resolve(), (work_dir / "real_raw").resolve())


def prepare_official_raw(full_raw: Path, real_dir: Path, work_dir: Path) -> Path | None:
    """The full-size raw folder plus the publisher's own files in real_dir/official/ (the
    Regional_CSV files of 2019-2021 and the practice-coverage files), linked; None when there
    are none."""
    official = real_dir / "official"
    files = sorted((official / "regional_ccg_2019_2021").glob("Regional_CSV_*.csv")) + sorted(
        (official / "coverage").glob("APPOINTMENTS_GP_COVERAGE*.csv")
    )
    if not files:
        return None
    raw_dir = (work_dir / "official_raw").resolve()
    shutil.rmtree(raw_dir, ignore_errors=True)
    raw_dir.mkdir(parents=True)
    for path in [*sorted(full_raw.iterdir()), *files]:
        if not path.name.startswith("."):
            (raw_dir / path.name).symlink_to(path.resolve())
    return raw_dir


def prepare_scale_raw(work_dir: Path) -> Path:
    """Every raw file at 10x the real row count (reused while the generator is unchanged)."""
    raw_dir = (work_dir / "scale10x_raw").resolve()
    stamp = raw_dir / ".generator_fingerprint"
    fingerprint = digest(generator_inputs(), "10x", "seed 42")
    if stamp.exists() and stamp.read_text() == fingerprint:
        say(f"set-up (not timed): reusing the 10x synthetic files in {raw_dir}")
        return raw_dir
    say(f"set-up (not timed): generating 10x synthetic files in {raw_dir} (takes minutes)")
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
    (dbt_dir_for(warehouse) / build_state.STATE_FILE).unlink(missing_ok=True)


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
    run.extra["landed_rows"] = landed_rows(manifest)


def _ordered_build_phases(run: Run) -> None:
    """Phases in the order they started, the loader's sub-phases right after it."""
    phases = dict(sorted(run.phases.items(), key=lambda item: item[1].get("start", 0.0)))
    order = list(phases)
    if LOADER_PHASE in order:
        for name in reversed([n for n in order if n.startswith("  ")]):
            order.remove(name)
            order.insert(order.index(LOADER_PHASE) + 1, name)
    run.phases = {name: phases[name] for name in order}


BUILD = "scripts.build.pipeline"


def build_once(raw_dir: Path, warehouse: Path, logs: Path, label: str, *extra: str) -> Run:
    run, report = measure(
        BUILD,
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
    raw_dir: Path,
    warehouse: Path,
    logs: Path,
    runs: int,
    tag: str,
    dbt_args: tuple = (),
) -> Scenario:
    scenario = Scenario(f"cold build ({tag})")
    for index in range(runs):
        _reset_warehouse(warehouse)
        label = f"{tag}-cold-{index + 1}"
        run = build_once(raw_dir, warehouse, logs, label, *dbt_args)
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

    target = dbt_target_dir_for(warehouse)
    scenarios = []
    for what, label, repeat, fresh in (
        ("dbt-parse", FLOOR_PARSE_NO_STATE, 1, True),
        ("dbt-import", "import dbt", runs, False),
        ("dbt-parse", FLOOR_PARSE, runs, False),
        ("dbt-build-nothing", FLOOR_NOTHING, runs, False),
        ("dbt-build-empty", FLOOR_EMPTY, runs, False),
        ("dbt-build-empty-models", FLOOR_EMPTY_MODELS, runs, False),
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
    env = clean_env()
    for what, extra in (
        ("prepare", ["--variant", variant, "--landing-dir", str(landing_dir_for(warehouse))]),
        # Set-up, as for our builds: dbt's partial-parse state of the copy exists before timing.
        ("parse", []),
    ):
        log = logs / f"{variant}-{what}.log"
        with log.open("w", encoding="utf-8") as out:
            returncode = subprocess.run(
                [PY, "-m", "scripts.bench.variants", what, "--project-dir", str(project), *extra],
                cwd=REPO_ROOT,
                env={**env, "NHS_DUCKDB_PATH": str(database)},
                check=False,
                stdout=out,
                stderr=subprocess.STDOUT,
            ).returncode
        if returncode != 0:
            raise failed(f"the {what} step of the {variant} variant (set-up)", returncode, log)
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


def seed_end_to_end(seed: Scenario, cold: Scenario) -> Scenario:
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
