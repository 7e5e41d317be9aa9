"""Shared building blocks of the synthetic NHS appointment data generator.

Holds the headers of the published files (as raw_specs declares them; the label spellings are in
nhs_vocabulary), the calendar and geography helpers, and the integer allocation engine that every
synthetic table is built with: totals are split with the largest-remainder method so that every
published or reconciled total is met exactly, and sparse tables are made by choosing which cells
get a row before splitting.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scripts.loader.raw_specs import (
    ACTUAL_DURATION,
    APPOINTMENTS_REGIONAL,
    NATIONAL_CATEGORIES,
    TWEETS,
)
from scripts.paths import REPO_ROOT

DEFAULT_SEEDS_DIR = REPO_ROOT / "seeds"

# The published files' headers, in their order, as the raw-file specs declare them.
REGIONAL_HEADER = APPOINTMENTS_REGIONAL.column_names
DURATION_HEADER = ACTUAL_DURATION.column_names
NATIONAL_CATEGORIES_HEADER = NATIONAL_CATEGORIES.column_names
TWEETS_HEADER = TWEETS.column_names

MONTH_ABBREVIATIONS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
EXCEL_EPOCH = dt.date(1899, 12, 30)


@dataclass(frozen=True)
class Geography:
    """Sub-ICB locations with their ICB and region, plus a relative size per location."""

    codes: tuple[str, ...]
    ons_codes: tuple[str, ...]
    names: tuple[str, ...]
    icb_codes: tuple[str, ...]
    region_codes: tuple[str, ...]
    size: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def subset(self, keep: np.ndarray) -> Geography:
        idx = np.flatnonzero(keep)
        return Geography(
            codes=tuple(self.codes[i] for i in idx),
            ons_codes=tuple(self.ons_codes[i] for i in idx),
            names=tuple(self.names[i] for i in idx),
            icb_codes=tuple(self.icb_codes[i] for i in idx),
            region_codes=tuple(self.region_codes[i] for i in idx),
            size=self.size[idx],
        )


def read_seed(seeds_dir: Path, name: str) -> list[dict[str, str]]:
    with (seeds_dir / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load_geography(seeds_dir: Path, rng: np.random.Generator) -> Geography:
    """All sub-ICB locations of the seeds, each given a list-size-like relative size.

    Sizes are drawn for every location whatever the scale, so a location has the same size in
    the sample as at full scale. They sum to 1 over the whole country.
    """
    icb_region = {
        row["icb_ons_code"]: row["region_ons_code"]
        for row in read_seed(seeds_dir, "integrated_care_boards.csv")
    }
    rows = read_seed(seeds_dir, "sub_icb_locations.csv")
    missing = sorted({row["icb_ons_code"] for row in rows} - icb_region.keys())
    if missing:
        raise ValueError(f"sub_icb_locations.csv names ICBs missing from the ICB seed: {missing}")
    # Real sub-ICB list sizes vary about twentyfold; a clipped lognormal gives that spread.
    size = np.clip(rng.lognormal(0.0, 0.65, len(rows)), 0.25, 5.0)
    return Geography(
        codes=tuple(row["sub_icb_location_code"] for row in rows),
        ons_codes=tuple(row["sub_icb_location_ons_code"] for row in rows),
        names=tuple(row["sub_icb_location_name"] for row in rows),
        icb_codes=tuple(row["icb_ons_code"] for row in rows),
        region_codes=tuple(icb_region[row["icb_ons_code"]] for row in rows),
        size=size / size.sum(),
    )


def load_bank_holidays(seeds_dir: Path) -> frozenset[dt.date]:
    return frozenset(
        dt.date.fromisoformat(row["holiday_date"])
        for row in read_seed(seeds_dir, "bank_holidays_england.csv")
    )


def month_labels(start: str, count: int) -> tuple[str, ...]:
    """`count` consecutive months as YYYY-MM text, starting at `start` (YYYY-MM)."""
    year, month = (int(part) for part in start.split("-"))
    first = year * 12 + month - 1
    return tuple(f"{index // 12:04d}-{index % 12 + 1:02d}" for index in range(first, first + count))


def month_days(month: str) -> list[dt.date]:
    year, number = (int(part) for part in month.split("-"))
    day = dt.date(year, number, 1)
    days = []
    while day.month == number:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def working_days(month: str, bank_holidays: frozenset[dt.date]) -> int:
    return sum(day.weekday() < 5 and day not in bank_holidays for day in month_days(month))


def format_short_date(day: dt.date) -> str:
    """`01-Dec-21`, spelled out by hand because %b follows the process locale."""
    return f"{day.day:02d}-{MONTH_ABBREVIATIONS[day.month - 1]}-{day.year % 100:02d}"


def excel_serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split `total` into integers proportional to `weights` (largest remainder), exactly."""
    return apportion_rows(np.array([total]), np.asarray(weights, dtype=float)[None, :])[0]


def apportion_rows(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Row-wise largest-remainder split: row g of the result sums to totals[g] exactly.

    Cells with zero weight get nothing; a row whose weights are all zero must have total 0.
    """
    totals = np.asarray(totals, dtype=np.int64)
    weights = np.asarray(weights, dtype=float)
    row_sum = weights.sum(axis=1)
    if np.any((row_sum <= 0) & (totals > 0)):
        raise ValueError("cannot apportion a positive total over zero weights")
    safe_sum = np.where(row_sum > 0, row_sum, 1.0)
    raw = totals[:, None] * (weights / safe_sum[:, None])
    base = np.floor(raw).astype(np.int64)
    remainder = totals - base.sum(axis=1)
    fraction = np.where(weights > 0, raw - base, -1.0)
    # A stable sort keeps ties in column order, so the split is reproducible.
    order = np.argsort(-fraction, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(weights.shape[1])[None, :], axis=1)
    base += rank < np.maximum(remainder, 0)[:, None]
    if np.any(remainder < 0):
        # Only floating-point overshoot gets here; take the excess back from the largest cells.
        for row in np.flatnonzero(remainder < 0):
            largest = np.argsort(-base[row], kind="stable")[: -remainder[row]]
            base[row, largest] -= 1
    return base


def round_to_total(
    target: int, values: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> np.ndarray:
    """Round `values` to integers within [lower, upper] that sum to `target` exactly."""
    lower = np.asarray(lower, dtype=np.int64)
    upper = np.asarray(upper, dtype=np.int64)
    if not lower.sum() <= target <= upper.sum():
        raise ValueError(f"target {target} outside [{lower.sum()}, {upper.sum()}]")
    base = np.clip(np.floor(values).astype(np.int64), lower, upper)
    fraction = values - np.floor(values)
    while (missing := target - int(base.sum())) != 0:
        if missing > 0:
            room = np.flatnonzero(base < upper)
            pick = room[np.argsort(-fraction[room], kind="stable")[:missing]]
            base[pick] += 1
        else:
            room = np.flatnonzero(base > lower)
            pick = room[np.argsort(fraction[room], kind="stable")[:-missing]]
            base[pick] -= 1
    return base


def apportion_bounded(
    total: int, weights: np.ndarray, lower: np.ndarray, upper: np.ndarray
) -> np.ndarray:
    """Largest-remainder split of `total` by `weights` with per-cell integer bounds."""
    weights = np.asarray(weights, dtype=float)
    values = np.asarray(lower, dtype=float).copy()
    free = np.ones(len(weights), dtype=bool)
    # Water-filling: pin cells that would cross a bound, then share what is left among the rest.
    for _ in range(len(weights) + 1):
        remaining = total - values[~free].sum()
        values[free] = remaining * weights[free] / weights[free].sum()
        over = free & (values > upper)
        under = free & (values < lower)
        if not (over.any() or under.any()):
            break
        values[over] = np.asarray(upper)[over]
        values[under] = np.asarray(lower)[under]
        free &= ~(over | under)
        if not free.any():
            break
    return round_to_total(total, values, lower, upper)


def row_quotas(
    totals: np.ndarray, n_cells: np.ndarray, lower: np.ndarray, target_rows: int
) -> np.ndarray:
    """How many rows each group gets so that all groups together have `target_rows` rows.

    A group of total T over n cells keeps about n * (1 - exp(-T / (n * theta))) rows: big groups
    fill every cell, small ones only a few, as in the published files where rare combinations
    are sparse. theta is found by bisection. Every group with a positive total keeps at least
    `lower` rows and at most min(T, n), so each kept row can hold a count of at least 1.
    """
    totals = np.asarray(totals, dtype=float)
    n_cells = np.asarray(n_cells, dtype=float)
    upper = np.minimum(totals, n_cells).astype(np.int64)
    lower = np.minimum(np.asarray(lower, dtype=np.int64), upper)
    target_rows = int(np.clip(target_rows, lower.sum(), upper.sum()))

    def expected(log_theta: float) -> np.ndarray:
        rows = n_cells * -np.expm1(-totals / (n_cells * np.exp(log_theta)))
        return np.clip(rows, lower, upper)

    low, high = -30.0, 40.0
    for _ in range(200):
        middle = (low + high) / 2
        if expected(middle).sum() > target_rows:
            low = middle
        else:
            high = middle
    return round_to_total(target_rows, expected(high), lower, upper)


def sparse_allocate(
    rng: np.random.Generator, totals: np.ndarray, weights: np.ndarray, quotas: np.ndarray
) -> np.ndarray:
    """Give each group (row) `quotas` non-zero cells whose counts sum to the group total.

    The cells are drawn without replacement with probability proportional to weight (Gumbel
    top-k), each chosen cell gets 1 and the rest of the total is split by weight among them.
    Cells with zero weight are never chosen. Returns counts with 0 meaning "no row".
    """
    totals = np.asarray(totals, dtype=np.int64)
    quotas = np.asarray(quotas, dtype=np.int64)
    with np.errstate(divide="ignore"):
        keys = np.log(weights) + rng.gumbel(size=weights.shape)
    order = np.argsort(-keys, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(weights.shape[1])[None, :], axis=1)
    chosen = (rank < quotas[:, None]) & (weights > 0)
    if np.any(chosen.sum(axis=1) != quotas):
        raise ValueError("a group was asked for more rows than it has cells with weight")
    counts = apportion_rows(totals - quotas, np.where(chosen, weights, 0.0))
    return np.where(chosen, counts + 1, 0)


def lognormal_noise(
    rng: np.random.Generator, sigma: float, shape: Sequence[int] | int
) -> np.ndarray:
    """Multiplicative noise with median 1."""
    return rng.lognormal(0.0, sigma, shape)
