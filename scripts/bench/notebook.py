"""The notebook way, for the benchmark: what analysts did before the warehouse, with pandas.

    python -m scripts.bench.notebook --raw-dir DIR --timings PATH --answers PATH

Reads national_categories*.xlsx with pandas.read_excel (openpyxl, pandas' default engine for
.xlsx) and the CSVs with pandas.read_csv, then computes with pandas group-bys the figures the
warehouse's marts hold: appointments per month from each source, the DNA rate by appointment
mode and month, and appointments per actual-duration band and month. Each phase's start and
duration go to --timings (JSON) and the figures to --answers (JSON), so the benchmark can time the
phases and check that the answers equal the warehouse's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from scripts.build.phase_timer import Timings
from scripts.cli import command_parser

PHASE_EXCEL = "read_excel (openpyxl)"
PHASE_CSV = "read_csv"
PHASE_GROUPBY = "group-bys"


def read_sources(raw_dir: Path, phases: Timings) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    with phases.phase(PHASE_EXCEL):
        frames["national_categories"] = pd.concat(
            [
                pd.read_excel(path, engine="openpyxl")
                for path in sorted(raw_dir.glob("national_categories*.xlsx"))
            ],
            ignore_index=True,
        )
    with phases.phase(PHASE_CSV):
        for name in ("appointments_regional", "actual_duration", "tweets"):
            frames[name] = pd.concat(
                [pd.read_csv(path) for path in sorted(raw_dir.glob(f"{name}*.csv"))],
                ignore_index=True,
            )
    return frames


def _label(series: pd.Series) -> pd.Series:
    """Labels with stray and doubled spaces collapsed, as the warehouse's staging does."""
    return series.astype(str).str.strip().str.replace(r"\s+", " ", regex=True)


def answers(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """Monthly totals per source, DNA rate by mode and month, duration band totals by month."""
    regional = frames["appointments_regional"]
    categories = frames["national_categories"]
    durations = frames["actual_duration"]

    regional_month = regional.groupby("appointment_month")["count_of_appointments"].sum()
    categories_month = categories.groupby("appointment_month")["count_of_appointments"].sum()
    durations = durations.assign(
        appointment_month=pd.to_datetime(durations["appointment_date"], format="%d-%b-%y")
        .dt.to_period("M")
        .astype(str)
    )
    durations_month = durations.groupby("appointment_month")["count_of_appointments"].sum()

    by_mode = (
        regional.assign(appointment_mode=_label(regional["appointment_mode"]))
        .groupby(["appointment_month", "appointment_mode", "appointment_status"])[
            "count_of_appointments"
        ]
        .sum()
        .unstack("appointment_status", fill_value=0)
    )
    dna_rate = by_mode.get("DNA", 0) / by_mode.sum(axis=1)

    bands = (
        durations.assign(actual_duration=_label(durations["actual_duration"]))
        .groupby(["appointment_month", "actual_duration"])["count_of_appointments"]
        .sum()
    )
    return {
        "monthly_totals": {
            "appointments_regional": {k: int(v) for k, v in regional_month.items()},
            "national_categories": {str(k): int(v) for k, v in categories_month.items()},
            "actual_duration": {k: int(v) for k, v in durations_month.items()},
        },
        "dna_rate_by_mode": [
            [month, mode, float(rate)] for (month, mode), rate in dna_rate.sort_index().items()
        ],
        "duration_band_totals": [
            [month, band, int(total)] for (month, band), total in bands.sort_index().items()
        ],
        "rows": {name: len(frame) for name, frame in frames.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = command_parser("scripts.bench.notebook", __doc__)
    parser.add_argument("--raw-dir", type=Path, required=True, help="folder of the raw files")
    parser.add_argument("--timings", type=Path, required=True, help="JSON file for the phases")
    parser.add_argument("--answers", type=Path, help="JSON file for the computed figures")
    args = parser.parse_args(argv)
    phases = Timings()
    frames = read_sources(args.raw_dir, phases)
    with phases.phase(PHASE_GROUPBY):
        result = answers(frames)
    phases.write(args.timings)
    if args.answers is not None:
        args.answers.write_text(json.dumps(result) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
