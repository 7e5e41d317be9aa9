"""Variants of the dbt project, for the benchmark, built in a temporary copy of the project.

    python -m scripts.bench.variants prepare --variant seeds --landing-dir DIR --project-dir TMP
    python -m scripts.bench.variants parse --project-dir TMP
    python -m scripts.bench.variants run --project-dir TMP --database PATH --timings PATH

prepare copies the dbt project (models, macros, seeds, dbt tests, analyses, dbt_project.yml,
profiles.yml) into TMP, never touching the real project, and changes the copy:

* seeds: the `dbt seed` way. Every source table's landed CSV (the raw sources, and the build's
  own provenance and rejects) becomes a seed in TMP/raw_seeds with every column typed as text
  (as the sources read them), every source('nhs', x) or source('build', x) becomes ref(x), and
  the source definitions are dropped. run does
  `dbt seed` (all seeds), then `dbt build` of everything else.
* staging-views: the staging models as views over the landed CSVs (what the staging issue first
  asked for) instead of tables. run does `dbt build`, reading --landing-dir as the real build.

The models, tests and other materialisations are the real project's. parse leaves dbt's
partial-parse state in TMP (with NHS_DUCKDB_PATH set to the --database that run will get,
since the profile is part of that state). run builds a fresh DuckDB file the way `nhs build`
does (dbt in-process), timing each dbt command.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import yaml

from scripts.build.dbt_runner import DBT_BUILD_PHASE, DBT_IMPORT_PHASE, dbt_arguments
from scripts.build.phase_timer import Timings
from scripts.cli import command_parser
from scripts.paths import REPO_ROOT

VARIANTS = ("seeds", "staging-views")
VARIANT_FILE = "bench_variant.json"
PHASE_SEED = "dbt seed (load the landed CSVs)"
RAW_SEEDS_DIR = "raw_seeds"
RAW_SCHEMA = "raw"
COPIED_DIRS = ("models", "macros", "seeds", "analyses")
SOURCE_CALL = re.compile(r"source\(\s*['\"](?:nhs|build)['\"]\s*,\s*['\"](\w+)['\"]\s*\)")
# Everything but the seeds (loaded already by `dbt seed`); the seeds' tests are selected too.
BUILD_SELECTION = (
    "resource_type:model",
    "resource_type:test",
    "resource_type:unit_test",
    "resource_type:exposure",
)


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


def _sources_to_refs(project_dir: Path) -> tuple[list[str], list[str]]:
    """Rewrite source() calls as ref() and delete the files that only declare sources; return
    the source tables declared (each is a landed CSV of that name) and the files dropped."""
    dropped, tables = [], []
    for path in sorted(project_dir.rglob("*")):
        if path.suffix not in (".sql", ".yml", ".yaml") or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix != ".sql":
            document = yaml.safe_load(text) or {}
            if isinstance(document, dict) and "sources" in document:
                if set(document) - {"version", "sources"}:
                    raise SystemExit(f"{path} declares sources beside other things")
                for source in document["sources"]:
                    tables.extend(table["name"] for table in source.get("tables", []))
                path.unlink()
                dropped.append(str(path.relative_to(project_dir)))
                continue
        rewritten = SOURCE_CALL.sub(lambda match: f"ref('{match.group(1)}')", text)
        if rewritten != text:
            path.write_text(rewritten, encoding="utf-8")
    return tables, dropped


def _header(path: Path) -> list[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return next(csv.reader(handle))


def _edit_project(project_dir: Path, edit: Any) -> None:
    project_file = project_dir / "dbt_project.yml"
    project = yaml.safe_load(project_file.read_text(encoding="utf-8"))
    edit(project)
    project_file.write_text(yaml.safe_dump(project, sort_keys=False), encoding="utf-8")


def _prepare_seeds(landing_dir: Path, project_dir: Path) -> dict[str, Any]:
    tables, dropped = _sources_to_refs(project_dir)
    seeds_dir = project_dir / RAW_SEEDS_DIR
    seeds_dir.mkdir()
    seed_config: dict[str, object] = {}
    for name in tables:
        landed = landing_dir / f"{name}.csv"
        shutil.copyfile(landed, seeds_dir / landed.name)
        seed_config[name] = {
            "+schema": RAW_SCHEMA,
            "+column_types": {column: "varchar" for column in _header(landed)},
        }

    def edit(project: dict[str, Any]) -> None:
        project["seed-paths"] = [*project.get("seed-paths", ["seeds"]), RAW_SEEDS_DIR]
        # Seeds are configured by name (their path below a seed folder), beside the project's.
        project["seeds"][project["name"]].update(seed_config)

    _edit_project(project_dir, edit)
    return {"seeded_sources": tables, "dropped_source_files": dropped}


def _prepare_staging_views(project_dir: Path) -> dict[str, Any]:
    def edit(project: dict[str, Any]) -> None:
        project["models"][project["name"]]["staging"]["+materialized"] = "view"

    _edit_project(project_dir, edit)
    return {}


def prepare(variant: str, landing_dir: Path, project_dir: Path) -> dict[str, Any]:
    """Make the variant's copy of the project in project_dir; return what was done."""
    _copy_project(project_dir)
    if variant == "seeds":
        done = _prepare_seeds(landing_dir, project_dir)
    else:
        done = _prepare_staging_views(project_dir)
    described = {
        "variant": variant,
        "landing_dir": str(landing_dir.resolve()),
        "project_dir": str(project_dir),
        **done,
    }
    (project_dir / VARIANT_FILE).write_text(json.dumps(described, indent=2) + "\n")
    return described


def _variant(project_dir: Path) -> dict[str, Any]:
    described = json.loads((project_dir / VARIANT_FILE).read_text())
    # The sources (staging-views) read the landing folder the copy was made from.
    os.environ["NHS_LANDING_DIR"] = described["landing_dir"]
    return described


def _common(project_dir: Path) -> list[str]:
    return [
        *dbt_arguments(project_dir, project_dir / "target"),
        "--log-path",
        str(project_dir / "logs"),
    ]


def parse(project_dir: Path) -> None:
    from dbt.cli.main import dbtRunner

    _variant(project_dir)
    result = dbtRunner().invoke(["parse", *_common(project_dir)])
    if not result.success:
        raise SystemExit(f"dbt parse failed: {result.exception or 'see above'}")


def run(project_dir: Path, database: Path) -> Timings:
    """Build a new database file from the variant's project, timing each dbt command."""
    from scripts.build import publish as duckdb_file

    variant = _variant(project_dir)["variant"]
    timings = Timings()
    with timings.phase(DBT_IMPORT_PHASE):
        from dbt.cli.main import dbtRunner

    duckdb_file.create_empty(database)
    os.environ["NHS_DUCKDB_PATH"] = str(database)
    common = _common(project_dir)
    if variant == "seeds":
        steps = [
            (PHASE_SEED, ["seed", *common]),
            (DBT_BUILD_PHASE, ["build", "--select", *BUILD_SELECTION, *common]),
        ]
    else:
        steps = [(DBT_BUILD_PHASE, ["build", *common])]
    for name, arguments in steps:
        with timings.phase(name):
            result = dbtRunner().invoke(arguments)
        if not result.success:
            raise SystemExit(f"{name} failed: {result.exception or 'see above'}")
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.bench.variants", __doc__)
    parser.add_argument("what", choices=("prepare", "parse", "run"))
    parser.add_argument("--variant", choices=VARIANTS, help="prepare: which variant")
    parser.add_argument("--landing-dir", type=Path, help="prepare: the build's landed CSVs")
    parser.add_argument("--project-dir", type=Path, required=True, help="the temporary copy")
    parser.add_argument("--database", type=Path, help="run: DuckDB file to create")
    parser.add_argument("--timings", type=Path, help="run: JSON file for the phases")
    args = parser.parse_args(argv)
    project_dir = args.project_dir.resolve()
    if args.what == "prepare":
        if args.landing_dir is None or args.variant is None:
            parser.error("prepare needs --variant and --landing-dir")
        print(json.dumps(prepare(args.variant, args.landing_dir, project_dir), indent=2))
        return 0
    if args.what == "parse":
        parse(project_dir)
        return 0
    if args.database is None or args.timings is None:
        parser.error("run needs --database and --timings")
    run(project_dir, args.database.resolve()).write(args.timings)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
