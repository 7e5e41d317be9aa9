"""Write SYNTHETIC NHS GP appointment raw files in exactly the published layouts.

Generates appointments_regional.csv, actual_duration.csv, national_categories.xlsx and
tweets.csv from the real public geography in seeds/, deterministically from a seed, and labels
the folder with README_SYNTHETIC.txt. Monthly totals reconcile exactly: national categories
equal appointments_regional for every month both cover, and actual_duration stays below
national categories. The counts are invented; only their shapes imitate the real data.

    python -m scripts.synthetic.generate --out data/sample                  # embedded sample
    python -m scripts.synthetic.generate --out /tmp/full --scale full       # real-sized files
    python -m scripts.synthetic.generate --out /tmp/nc --scale full \\
        --regional ../shared/data/nhs/appointments_regional.csv \\
        --published-totals ../shared/data/nhs/national_categories_published_totals.csv \\
        --only national_categories                                        # workbook for real CSVs

Scales: `sample` is a few ICBs (11 sub-ICB locations in 5 regions) over the real periods;
`full` matches the real row counts (national_categories: 817,394 rows); `10x` has ten times
the real rows: appointments_regional keeps its period and gets ten hidden units per location
(so ten times the repeated ICB keys), while national_categories runs 110 months from 2021-08
and actual_duration 70 months from 2021-12, all within the real geography. Above 1,048,575
rows an xlsx sheet is full, so at 10x the workbook is split by month into
national_categories_01.xlsx, national_categories_02.xlsx, ... each with the same single sheet.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    # Run as `python scripts/synthetic/generate.py`: make the repository root importable.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import numpy as np

from scripts.cli import command_parser
from scripts.synthetic.activity import (
    Margins,
    Targets,
    resolve_month_totals,
)
from scripts.synthetic.common import (
    DEFAULT_SEEDS_DIR,
    TWEETS_HEADER,
    Geography,
    load_bank_holidays,
    load_geography,
    month_labels,
)
from scripts.synthetic.durations import DURATION_START, duration_table
from scripts.synthetic.marker import remove_previous_workbooks, write_readme
from scripts.synthetic.national_categories import (
    NATIONAL_CATEGORIES_START,
    national_categories_table,
    synthetic_margins,
)
from scripts.synthetic.published_totals import (
    read_category_totals,
    read_published_totals,
    read_regional_month_totals,
)
from scripts.synthetic.regional import REGIONAL_START, regional_table
from scripts.synthetic.tweets import tweet_rows
from scripts.synthetic.writers import (
    FILE_NAMES,
    Progress,
    Written,
    workbook_parts,
    write_csv,
    write_workbook,
)

# The published CSVs end lines with CRLF, except tweets.csv which uses LF throughout.
CRLF, LF = "\r\n", "\n"
SAMPLE_ICBS = ("E54000023", "E54000027", "E54000037", "E54000060", "E54000061")
# Independent random streams per part, so restricting the output with --only changes nothing.
STREAM_GEOGRAPHY, STREAM_MONTHS, STREAM_REGIONAL = 1, 2, 3
STREAM_NATIONAL_CATEGORIES, STREAM_DURATION, STREAM_TWEETS = 4, 5, 6


@dataclass(frozen=True)
class Scale:
    regional_rows: int
    national_categories_rows: int
    duration_rows: int
    tweets: int
    regional_months: int = 30
    national_categories_months: int = 11
    duration_months: int = 7
    regional_units_per_location: int = 1
    sample_icbs: tuple[str, ...] = ()


SCALES = {
    "sample": Scale(12_000, 10_000, 5_000, 120, sample_icbs=SAMPLE_ICBS),
    "full": Scale(596_821, 817_394, 137_793, 1_174),
    "10x": Scale(
        5_968_210,
        8_173_940,
        1_377_930,
        11_740,
        national_categories_months=110,
        duration_months=70,
        regional_units_per_location=10,
    ),
}


def months_between(first: str, last: str) -> int:
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:]) - int(first[5:])


def stream(seed: int, part: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, part]))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        # the usage line every step has: `nhs sample` under nhs, else `python -m <module>`
        prog=command_parser("scripts.synthetic.generate", None).prog,
        description=(
            "Write SYNTHETIC NHS appointment raw files (appointments_regional.csv, "
            "actual_duration.csv, national_categories.xlsx, tweets.csv) in the published "
            "layouts, plus README_SYNTHETIC.txt."
        ),
        epilog="The same seed and options always give the same data.",
    )
    parser.add_argument("--out", required=True, type=Path, help="output folder (created)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument(
        "--scale",
        choices=tuple(SCALES),
        default="sample",
        help="sample: small and fast; full: real row counts; 10x: ten times those (default sample)",
    )
    parser.add_argument(
        "--regional",
        type=Path,
        help="a real appointments_regional.csv: national categories get its monthly totals, "
        "and appointments_regional.csv is not written",
    )
    parser.add_argument(
        "--published-totals",
        type=Path,
        help="national_categories_published_totals.csv: reproduce its monthly, service setting "
        "and context type totals exactly",
    )
    parser.add_argument(
        "--category-totals",
        type=Path,
        help="national_categories_monthly_by_category.csv: reproduce its month x service "
        "setting x context type x national category totals exactly",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=tuple(FILE_NAMES),
        help="write only this file (repeatable; default: every file not supplied as input)",
    )
    parser.add_argument(
        "--seeds-dir", type=Path, default=DEFAULT_SEEDS_DIR, help="folder of the dbt seed CSVs"
    )
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="progress on stderr (default: on for full and 10x)",
    )
    args = parser.parse_args(argv)
    if args.regional and args.only and "appointments_regional" in args.only:
        parser.error("appointments_regional is supplied by --regional; it is not generated")
    for option in ("regional", "published_totals", "category_totals"):
        path = getattr(args, option)
        if path is not None and not path.is_file():
            parser.error(f"--{option.replace('_', '-')}: no such file {path}")
    return args


def files_to_write(args: argparse.Namespace) -> list[str]:
    if args.only:
        return [name for name in FILE_NAMES if name in args.only]
    return [name for name in FILE_NAMES if not (name == "appointments_regional" and args.regional)]


def sample_geography(geography: Geography, icbs: tuple[str, ...]) -> Geography:
    missing = set(icbs) - set(geography.icb_codes)
    if missing:
        raise ValueError(f"sample ICBs missing from the seeds: {sorted(missing)}")
    return geography.subset(np.array([code in icbs for code in geography.icb_codes]))


def load_targets(args: argparse.Namespace) -> Targets:
    """Totals to reproduce, checking that a regional file and published totals agree."""
    month_totals: dict[str, int] = {}
    margins: dict[str, Margins] = {}
    if args.regional:
        month_totals.update(read_regional_month_totals(args.regional))
    if args.published_totals:
        published, margins = read_published_totals(args.published_totals)
        clashes = [m for m, v in published.items() if month_totals.get(m, v) != v]
        if clashes:
            raise ValueError(
                "the published totals and the regional file disagree for months "
                f"{clashes}; national categories cannot match both"
            )
        month_totals.update(published)
    category_totals = {}
    if args.category_totals:
        category_totals = read_category_totals(args.category_totals)
        clashes = [m for m, v in category_totals.items() if month_totals.get(m, v.sum()) != v.sum()]
        if clashes:
            raise ValueError(
                f"the category totals disagree with the monthly totals for months {clashes}"
            )
        for month, values in category_totals.items():
            month_totals.setdefault(month, int(values.sum()))
    return Targets(month_totals=month_totals, margins=margins, category_totals=category_totals)


def generate(args: argparse.Namespace) -> list[Written]:
    scale = SCALES[args.scale]
    log = Progress(args.scale != "sample" if args.progress is None else args.progress)
    wanted = files_to_write(args)
    targets = load_targets(args)
    out_dir: Path = args.out
    out_dir.mkdir(parents=True, exist_ok=True)

    geography = load_geography(args.seeds_dir, stream(args.seed, STREAM_GEOGRAPHY))
    if scale.sample_icbs:
        geography = sample_geography(geography, scale.sample_icbs)
    bank_holidays = load_bank_holidays(args.seeds_dir)

    regional_months = month_labels(REGIONAL_START, scale.regional_months)
    nc_months = month_labels(NATIONAL_CATEGORIES_START, scale.national_categories_months)
    duration_months = month_labels(DURATION_START, scale.duration_months)
    last = max(regional_months[-1], nc_months[-1], duration_months[-1])
    timeline = month_labels(REGIONAL_START, months_between(REGIONAL_START, last) + 1)
    totals = dict(
        zip(
            timeline,
            resolve_month_totals(
                timeline,
                float(geography.size.sum()),
                targets,
                bank_holidays,
                stream(args.seed, STREAM_MONTHS),
            ),
            strict=True,
        )
    )
    written: list[Written] = []

    if "appointments_regional" in wanted:
        table = regional_table(
            geography,
            regional_months,
            np.array([totals[m] for m in regional_months]),
            scale.regional_rows,
            scale.regional_units_per_location,
            stream(args.seed, STREAM_REGIONAL),
            log,
        )
        written.append(write_csv(out_dir / FILE_NAMES["appointments_regional"], table, CRLF))

    if {"national_categories", "actual_duration"} & set(wanted):
        nc_rng = stream(args.seed, STREAM_NATIONAL_CATEGORIES)
        nc_totals = np.array([totals[m] for m in nc_months])
        fallback = synthetic_margins(nc_totals, nc_rng)
        margins = [targets.margins.get(month, fallback[i]) for i, month in enumerate(nc_months)]
        national = national_categories_table(
            geography,
            nc_months,
            nc_totals,
            margins,
            scale.national_categories_rows,
            bank_holidays,
            nc_rng,
            log,
            targets.category_totals,
        )
        if "national_categories" in wanted:
            remove_previous_workbooks(out_dir)
            for path, first, end in workbook_parts(national.table, out_dir):
                written.append(write_workbook(path, national.table, first, end, log))
        if "actual_duration" in wanted:
            table = duration_table(
                geography,
                duration_months,
                national,
                scale.duration_rows,
                stream(args.seed, STREAM_DURATION),
            )
            written.append(write_csv(out_dir / FILE_NAMES["actual_duration"], table, CRLF))

    if "tweets" in wanted:
        rows = tweet_rows(scale.tweets, stream(args.seed, STREAM_TWEETS))
        path = out_dir / FILE_NAMES["tweets"]
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator=LF)
            writer.writerow(TWEETS_HEADER)
            writer.writerows(rows)
        written.append(Written(path, len(rows), None))

    write_readme(out_dir, args, written)
    log("done")
    return written


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        written = generate(args)
    except ValueError as error:
        print(f"make_sample_data: {error}", file=sys.stderr)
        return 1
    for item in written:
        total = "" if item.total is None else f", total {item.total:,}"
        print(f"SYNTHETIC {item.path.name}: {item.rows:,} rows{total} -> {item.path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
