"""How the report prints numbers and months, so charts, tables and readings agree."""

from __future__ import annotations

import datetime as dt


def percent(value: float) -> str:
    """A share (0-1) as a percentage with one decimal: 0.0534 -> '5.3%'."""
    return f"{value * 100:.1f}%"


def count(value: float) -> str:
    """A count with thousands separators: 1234567 -> '1,234,567'."""
    return f"{value:,.0f}"


def compact(value: float) -> str:
    """A large number in short form: 1234567 -> '1.23M', 45600 -> '45.6k'."""
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"{value / 1_000_000:.3g}M"
    if magnitude >= 1_000:
        return f"{value / 1_000:.3g}k"
    return f"{value:.3g}"


def month(value: dt.date) -> str:
    """A month as the report labels it: date(2021, 11, 1) -> 'Nov 2021'."""
    return value.strftime("%b %Y")
