"""docs/benchmarks.md from the benchmark's results: tables, the comparisons in words, the floor
and the method.
"""

from __future__ import annotations

import shlex
import statistics
from collections.abc import Iterable
from typing import Any

from scripts.bench.measure import GIB, Scenario, faster, mib, ratio, secs
from scripts.bench.notebook import PHASE_EXCEL
from scripts.bench.scenarios import (
    FLOOR_EMPTY,
    FLOOR_EMPTY_MODELS,
    FLOOR_NOTHING,
    FLOOR_PARSE,
    FLOOR_PARSE_NO_STATE,
    SCALE_DBT_ARGS,
)
from scripts.bench.variants import PHASE_SEED
from scripts.build.dbt_runner import DBT_BUILD_PHASE

SIDE_BY_SIDE = (
    "cold",
    "official_cold",
    "warm",
    "warm_force",
    "notebook",
    "seed",
    "seed_end_to_end",
    "views",
)


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


def rows_text(rows: dict[str, int]) -> str:
    return ", ".join(f"{name} {count:,}" for name, count in rows.items())


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
    for key in SIDE_BY_SIDE:
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
    lines += ["", *results["ratios_text"], *results["not_measured"], ""]
    lines += ["## Phases", ""]
    for key in (
        "cold",
        "official_cold",
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


def ratios_text(scenarios: dict[str, Scenario]) -> list[str]:
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
    official = scenarios.get("official_cold")
    if official is not None and official.runs:
        rows = official.runs[-1].extra.get("landed_rows", {})
        added = rows.get("publisher_regional", 0) + rows.get("practice_coverage", 0)
        lines.append(
            f"- The same cold build with the official publication files beside the real ones "
            f"(the 2019-2021 Regional_CSV files and the practice-coverage files: {added:,} more "
            f"landed rows) takes {official.median('seconds'):.2f} s against "
            f"{cold.median('seconds'):.2f} s; peak memory {mib(official.worst('peak_rss'))}."
        )
    # dbt's part of our build, as in the seed and views ways: dbt build alone.
    forced_build = scenarios.get("warm_force") or cold
    ours_build, ours_build_cpu = (
        forced_build.phase_median(DBT_BUILD_PHASE, key) or 0.0 for key in ("seconds", "cpu_seconds")
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


def floor_text(floor: list[Scenario], scenarios: dict[str, Scenario]) -> str:
    by_name = {s.name: s for s in floor}
    nothing = by_name[FLOOR_NOTHING].median("seconds")
    warm = scenarios["warm"].median("seconds")
    forced = scenarios["warm_force"].median("seconds")
    no_state = by_name[FLOOR_PARSE_NO_STATE]
    with_state = by_name[FLOOR_PARSE]
    empty = by_name[FLOOR_EMPTY].median("seconds")
    models = by_name[FLOOR_EMPTY_MODELS].median("seconds")
    return (
        f"Any build that runs dbt pays at least the {nothing:.2f} s of a `dbt build` that "
        f"selects nothing (Python start-up, importing dbt, loading the project from the "
        f"partial-parse state, registering the adapter), and running every model, seed and test "
        f"of the project with no data at all (`dbt build --empty`) takes {empty:.2f} s: that is "
        f"dbt's own work per node, which no data-side tuning removes. Without the data tests "
        f"(models and seeds only, also on empty inputs) it takes {models:.2f} s. A warm build "
        f"with --force, which runs every model and test again, took {forced:.2f} s; a warm "
        f"build that finds the warehouse up to date does not start dbt and took {warm:.2f} s. "
        f"Keeping the partial-parse state valid (scripts/build/dbt_runner.py parses against a "
        f"fixed stand-in for the per-process candidate path, in a target folder per warehouse) "
        f"saves "
        f"{no_state.median('seconds') - with_state.median('seconds'):.2f} s per build: "
        f"{no_state.median('seconds'):.2f} s without it, {with_state.median('seconds'):.2f} s "
        f"with it."
    )


def scale_text(
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
        f"Rows landed at full size: {rows_text(full_rows)} (total {full_total:,}); at 10x "
        f"(all SYNTHETIC): {rows_text(scale_rows)} (total {scale_total:,}), x{rows_ratio:.2f}.",
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
    "workbook conversion is therefore also measured alone. dbt runs after the loader (import, "
    "parse, build, compile of the analyses), each its own phase.",
    "- Every DuckDB of the build (the loader's, the workbook conversion's and dbt's) runs with "
    "the default memory_limit and threads of scripts/duckdb_settings.py (environment "
    "NHS_LOADER_MEMORY_LIMIT for the loader's, NHS_DUCKDB_MEMORY_LIMIT for dbt's, "
    "NHS_DUCKDB_THREADS) and spills to disk beyond the limit.",
    "- Cold build: no warehouse file, no landed CSVs, no build state; dbt's partial-parse "
    "state is kept (it depends on the project, not on the data; the parse without it is in "
    "the floor table). Warm build: the same command again with nothing changed, which finds "
    "the published warehouse up to date and does not run dbt; the --force row runs dbt anyway.",
    "- Generating the synthetic workbook and the 10x files is set-up and is not timed. "
    "dim_date's calendar follows the data (whole years from the first to the last month of any "
    "raw file), and a data test checks that the bank-holiday seed covers every year of it. The "
    "10x national categories run 110 months from 2021-08, into years past the seed's last, so "
    f"the scale run's builds pass `{shlex.join(SCALE_DBT_ARGS[1:])}` to dbt: a calendar fixed "
    "to span the data, without that test, which invented years cannot pass.",
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
