"""The `dbt seed` way, for the benchmark: the landed CSVs loaded as dbt seeds instead of sources.

    python -m scripts.bench_seed prepare --landing-dir DIR --project-dir TMP
    python -m scripts.bench_seed parse --project-dir TMP
    python -m scripts.bench_seed run --project-dir TMP --database PATH --timings PATH

prepare copies the dbt project (models, macros, seeds, dbt tests, analyses, dbt_project.yml,
profiles.yml) into TMP, never touching the real project, and turns it into a seed-fed one:
the landed CSVs (and provenance.csv) become seeds in TMP/raw_seeds with every column typed as
text (as the sources read them), every source('nhs', x) / source('build', x) becomes ref(x), and
the source definitions are dropped. The models, tests and materialisations are otherwise the
same. parse leaves dbt's partial-parse state in TMP (with NHS_DUCKDB_PATH set to the
--database that run will get, since the profile is part of that state). run builds a fresh
DuckDB file from TMP the way scripts.build does (dbt in-process): `dbt seed` (all seeds), then
`dbt build` of everything else, timing each.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import time
from pathlib import Path

import yaml

from scripts.paths import REPO_ROOT

RAW_SEEDS = ("appointments_regional", "actual_duration", "national_categories", "tweets")
BUILD_SEEDS = ("provenance",)
RAW_SEEDS_DIR = "raw_seeds"
RAW_SCHEMA = "raw"
COPIED_DIRS = ("models", "macros", "seeds", "analyses")
BUILD_SELECTION = (
    "resource_type:model",
    "resource_type:test",
    "resource_type:unit_test",
    "resource_type:exposure",
)
SOURCE_CALL = re.compile(r"source\(\s*['\"](?:nhs|build)['\"]\s*,\s*['\"](\w+)['\"]\s*\)")


def _copy_project(project_dir: Path) -> None:
    if project_dir.exists():
        shutil.rmtree(project_dir)
    project_dir.mkdir(parents=True)
    for name in COPIED_DIRS:
        if (REPO_ROOT / name).is_dir():
            shutil.copytree(REPO_ROOT / name, project_dir / name)
    # dbt's tests (singular tests, generic test definitions), not the Python suite.
    shutil.copytree(
        REPO_ROOT / "tests",
        project_dir / "tests",
        ignore=lambda folder, names: [n for n in names if n in ("python", "__pycache__")],
    )
    for name in ("dbt_project.yml", "profiles.yml", "packages.yml"):
        if (REPO_ROOT / name).is_file():
            shutil.copy2(REPO_ROOT / name, project_dir / name)


def _sources_to_refs(project_dir: Path) -> list[str]:
    """Rewrite source() calls as ref() and delete the files that only declare sources."""
    dropped = []
    for path in sorted(project_dir.rglob("*")):
        if path.suffix not in (".sql", ".yml", ".yaml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".sql":
            document = yaml.safe_load(text) or {}
            if isinstance(document, dict) and "sources" in document:
                if set(document) - {"version", "sources"}:
                    raise SystemExit(f"{path} declares sources beside other things")
                path.unlink()
                dropped.append(str(path.relative_to(project_dir)))
                continue
        rewritten = SOURCE_CALL.sub(lambda match: f"ref('{match.group(1)}')", text)
        if rewritten != text:
            path.write_text(rewritten, encoding="utf-8")
    return dropped


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def prepare(landing_dir: Path, project_dir: Path) -> dict[str, object]:
    """Make the seed-fed copy of the project in project_dir; return what was done."""
    _copy_project(project_dir)
    dropped = _sources_to_refs(project_dir)
    seeds_dir = project_dir / RAW_SEEDS_DIR
    seeds_dir.mkdir()
    seed_config: dict[str, object] = {}
    for name in (*RAW_SEEDS, *BUILD_SEEDS):
        landed = landing_dir / f"{name}.csv"
        shutil.copyfile(landed, seeds_dir / landed.name)
        seed_config[name] = {
            "+schema": RAW_SCHEMA,
            "+column_types": {column: "varchar" for column in _header(landed)},
        }
    project_file = project_dir / "dbt_project.yml"
    project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    project["seed-paths"] = [*project.get("seed-paths", ["seeds"]), RAW_SEEDS_DIR]
    # Seeds are configured by name (their path below a seed folder), beside the project's own.
    project["seeds"][project["name"]].update(seed_config)
    project_file.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")
    return {"project_dir": str(project_dir), "dropped_source_files": dropped}


def _now() -> tuple[float, float, float]:
    return time.time(), time.perf_counter(), time.process_time()


def _phase(name: str, started_at: float, started: float, cpu: float) -> dict[str, object]:
    return {
        "phase": name,
        "start": started_at,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def _common(project_dir: Path) -> list[str]:
    return [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(project_dir / "target"),
        "--log-path",
        str(project_dir / "logs"),
    ]


def parse(project_dir: Path) -> None:
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(["parse", *_common(project_dir)])
    if not result.success:
        raise SystemExit(f"dbt parse failed: {result.exception or 'see above'}")


def run(project_dir: Path, database: Path) -> list[dict[str, object]]:
    """dbt seed, then dbt build of everything but seeds, into a new database file."""
    from scripts import duckdb_file

    started = _now()
    from dbt.cli.main import dbtRunner

    phases: list[dict[str, object]] = [_phase("dbt import", *started)]
    duckdb_file.create_empty(database)
    os.environ["NHS_DUCKDB_PATH"] = str(database)
    common = _common(project_dir)
    steps = (
        ("dbt seed (load the landed CSVs)", ["seed", *common]),
        (
            "dbt build (models + tests)",
            # Everything but the seeds, which are loaded already; their tests are selected too.
            ["build", "--select", *BUILD_SELECTION, *common],
        ),
    )
    for name, arguments in steps:
        started = _now()
        result = dbtRunner().invoke(arguments)
        phases.append(_phase(name, *started))
        if not result.success:
            raise SystemExit(f"{name} failed: {result.exception or 'see above'}")
    return phases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_seed",
        description=__doc__.split("\n\n", 1)[0],
        epilog=__doc__.split("\n\n", 2)[2],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("what", choices=("prepare", "parse", "run"))
    parser.add_argument("--landing-dir", type=Path, help="prepare: the build's landed CSVs")
    parser.add_argument("--project-dir", type=Path, required=True, help="the temporary copy")
    parser.add_argument("--database", type=Path, help="run: DuckDB file to create")
    parser.add_argument("--timings", type=Path, help="run: JSON file for the phases")
    args = parser.parse_args(argv)
    if args.what == "prepare":
        if args.landing_dir is None:
            parser.error("prepare needs --landing-dir")
        print(json.dumps(prepare(args.landing_dir, args.project_dir.resolve()), indent=2))
        return 0
    if args.what == "parse":
        parse(args.project_dir.resolve())
        return 0
    if args.database is None or args.timings is None:
        parser.error("run needs --database and --timings")
    phases = run(args.project_dir.resolve(), args.database.resolve())
    args.timings.write_text(json.dumps({"phases": phases}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
