"""Synthetic appointment tables, the shared parts: national month totals and the table types.

The tables themselves are built in regional.py, national_categories.py and durations.py;
published_totals.py reads the real totals they reproduce.

Everything is built top-down so that totals reconcile exactly:

1. a national total per month (synthetic, or taken from a supplied regional file / published
   national-category totals);
2. per month, a table of totals per category combination, split with the largest-remainder
   method so it sums to the month total (for national categories it also meets the service
   setting and context type totals exactly);
3. each combination total is spread over locations (and days) as a sparse set of rows with
   positive counts, the number of rows per combination chosen to hit the file's row count;
4. durations are a share (below 100%) of each location-day's national-category total, so a
   month's duration total never exceeds its national-category total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from scripts.synthetic.common import (
    lognormal_noise,
    month_days,
    working_days,
)

Log = Callable[[str], None]


@dataclass(frozen=True)
class Table:
    """Rows stored column-wise as codes into per-column label tuples.

    A column whose levels are None holds its values directly (the counts).
    """

    header: tuple[str, ...]
    levels: tuple[tuple | None, ...]
    codes: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return len(self.codes[0])

    def column_total(self, name: str) -> int:
        return int(self.codes[self.header.index(name)].sum())

    def chunks(self, size: int = 200_000) -> Iterator[list[tuple]]:
        """Rows as tuples of labels and ints, a chunk at a time to bound memory."""
        lookups = [None if lv is None else np.array(lv, dtype=object) for lv in self.levels]
        for start in range(0, len(self), size):
            columns = [
                codes[start : start + size].tolist()
                if lookup is None
                else lookup[codes[start : start + size]]
                for lookup, codes in zip(lookups, self.codes, strict=True)
            ]
            yield list(zip(*columns, strict=True))


@dataclass(frozen=True)
class Margins:
    """Monthly national-category totals by service setting and by context type."""

    settings: np.ndarray  # in SERVICE_SETTINGS order
    contexts: np.ndarray  # in CONTEXT_TYPES order


@dataclass(frozen=True)
class Targets:
    """Totals that the synthetic data must reproduce exactly, keyed by month (YYYY-MM)."""

    month_totals: Mapping[str, int] = field(default_factory=dict)
    margins: Mapping[str, Margins] = field(default_factory=dict)
    # per month, the total of each national_category_combinations() entry (the real
    # month x setting x context x category aggregate), reproduced exactly when given
    category_totals: Mapping[str, np.ndarray] = field(default_factory=dict)


# --- monthly totals -------------------------------------------------------------------------

# Per-working-day activity relative to normal: the first Covid wave and the winter lockdown.
COVID_FACTOR = {
    "2020-03": 0.90,
    "2020-04": 0.64,
    "2020-05": 0.68,
    "2020-06": 0.80,
    "2020-07": 0.84,
    "2020-08": 0.86,
    "2020-09": 0.95,
    "2020-10": 0.96,
    "2020-11": 0.92,
    "2020-12": 0.93,
    "2021-01": 0.88,
    "2021-02": 0.92,
    "2021-03": 0.97,
}
# Per-working-day seasonality by calendar month: autumn peak, summer holiday and Christmas dips.
SEASON_FACTOR = (1.00, 1.02, 1.02, 0.98, 0.98, 0.99, 0.97, 0.90, 1.02, 1.06, 1.05, 0.95)
NATIONAL_RATE_PER_WORKING_DAY = 1.17e6


def synthetic_national_month_totals(
    months: Sequence[str], bank_holidays: frozenset[dt.date], rng: np.random.Generator
) -> np.ndarray:
    """England-sized monthly totals (about 16 to 30 million), before any geography scaling."""
    totals = np.empty(len(months))
    noise = lognormal_noise(rng, 0.015, len(months))
    for index, month in enumerate(months):
        elapsed = min(index, 30) / 12
        growth = 1 + 0.05 * elapsed + 0.01 * max(index - 30, 0) / 12
        workdays = working_days(month, bank_holidays)
        # Weekends and bank holidays carry a little activity (extended access, urgent slots).
        other_days = len(month_days(month)) - workdays
        rate = NATIONAL_RATE_PER_WORKING_DAY * growth * SEASON_FACTOR[int(month[5:]) - 1]
        rate *= COVID_FACTOR.get(month, 1.0)
        totals[index] = rate * (workdays + 0.02 * other_days) * noise[index]
    return totals


def resolve_month_totals(
    months: Sequence[str],
    geography_share: float,
    targets: Targets,
    bank_holidays: frozenset[dt.date],
    rng: np.random.Generator,
) -> np.ndarray:
    """Monthly totals for the generated geography: targets where given, else synthetic."""
    synthetic = synthetic_national_month_totals(months, bank_holidays, rng) * geography_share
    totals = np.rint(synthetic).astype(np.int64)
    for index, month in enumerate(months):
        if month in targets.month_totals:
            totals[index] = targets.month_totals[month]
    return totals


# --- appointments_regional ------------------------------------------------------------------


def interpolate_months(months: Sequence[str], anchors: Mapping[str, float]) -> np.ndarray:
    """Piecewise-linear series through (month, value) anchors, flat outside them."""

    def position(month: str) -> int:
        return int(month[:4]) * 12 + int(month[5:]) - 1

    xs = [position(month) for month in anchors]
    return np.interp([position(month) for month in months], xs, list(anchors.values()))
