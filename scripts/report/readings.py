"""Small helpers that turn a chart's numbers into the one-line reading printed under it.

The readings are computed from the same values the chart draws, never written by hand, so they
stay true when the data changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Extreme:
    """A value and the category (month, band, ...) where it occurs."""

    value: float
    category: str


def _pairs(categories: Sequence[str], values: Sequence[float | None]) -> list[Extreme]:
    return [
        Extreme(value, category)
        for category, value in zip(categories, values, strict=True)
        if value is not None
    ]


def peak(categories: Sequence[str], values: Sequence[float | None]) -> Extreme:
    """The highest value; the first such category when tied."""
    pairs = _pairs(categories, values)
    best = max(pair.value for pair in pairs)
    return next(pair for pair in pairs if pair.value == best)


def trough(categories: Sequence[str], values: Sequence[float | None]) -> Extreme:
    """The lowest value; the first such category when tied."""
    pairs = _pairs(categories, values)
    worst = min(pair.value for pair in pairs)
    return next(pair for pair in pairs if pair.value == worst)


def first_and_last(
    categories: Sequence[str], values: Sequence[float | None]
) -> tuple[Extreme, Extreme]:
    """The first and the last value present."""
    pairs = _pairs(categories, values)
    return pairs[0], pairs[-1]


def count_above(values: Sequence[float | None], threshold: float) -> int:
    """How many values are strictly above threshold."""
    return sum(1 for value in values if value is not None and value > threshold)


def direction(start: float, end: float) -> str:
    """'rose', 'fell' or 'stayed' for a change from start to end."""
    if end > start:
        return "rose"
    if end < start:
        return "fell"
    return "stayed"


def sums(rows: Sequence[Mapping[str, Any]], keys: Sequence[str], value: str) -> dict[Any, float]:
    """value summed over rows by keys (one key: the key's value; several: a tuple), in the
    order the keys first appear."""
    totals: dict[Any, float] = {}
    for row in rows:
        key = row[keys[0]] if len(keys) == 1 else tuple(row[one] for one in keys)
        totals[key] = totals.get(key, 0) + row[value]
    return totals


def shares(counts: Mapping[tuple[Any, Any], float]) -> dict[tuple[Any, Any], float]:
    """(group, name) counts as each name's share of its group's total."""
    group_totals: dict[Any, float] = {}
    for (group, _), count in counts.items():
        group_totals[group] = group_totals.get(group, 0) + count
    return {(group, name): count / group_totals[group] for (group, name), count in counts.items()}
