"""Inline SVG charts for the HTML report: line, vertical bar, horizontal bar and 100% stacked bar.

Every mark carries its series, category and exact value as data attributes (data-series, data-x,
data-value), so the browser test can check the drawn numbers against the marts, and a <title>
so a reader hovering over it sees the number. No JavaScript and nothing fetched from a network.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import escape

# Okabe-Ito, distinguishable with the common colour-vision deficiencies, then a few extras.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
    "#7F7F7F",
    "#8C564B",
    "#17BECF",
    "#BCBD22",
)

WIDTH = 820
HEIGHT = 340
MARGIN_LEFT = 78
MARGIN_RIGHT = 220
LEGEND_CHARACTERS = 30
LABEL_PIXELS = 62
MARGIN_TOP = 16
MARGIN_BOTTOM = 62
PLOT_WIDTH = WIDTH - MARGIN_LEFT - MARGIN_RIGHT

Formatter = Callable[[float], str]


@dataclass(frozen=True)
class Series:
    """One named line, bar set or stack layer: a value per category, in category order."""

    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class ReferenceLine:
    """A horizontal line across the plot, e.g. the planning capacity."""

    value: float
    label: str


@dataclass
class Axes:
    """What every chart shares: its categories, axis labels and how values are printed."""

    categories: Sequence[str]
    x_label: str
    y_label: str
    fmt: Formatter
    references: list[ReferenceLine] = field(default_factory=list)


def value_attr(value: float) -> str:
    """The exact value for data-value: enough digits to compare with the warehouse."""
    return format(value, ".12g")


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2 or 5 times a power of ten) covering [low, high]."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    start = math.floor(low / step) * step
    ticks = []
    tick = start
    while tick < high + step * 0.999:
        ticks.append(round(tick, 12))
        tick += step
    return ticks


def _svg_open(chart_id: str, title: str, height: int = HEIGHT) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-labelledby="{chart_id}-svgtitle" '
        f'class="chart-svg" font-family="Liberation Sans, Arial, sans-serif" font-size="12">',
        f'<title id="{chart_id}-svgtitle">{escape(title)}</title>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]


def _axis_labels(axes: Axes, height: int) -> list[str]:
    plot_mid_x = MARGIN_LEFT + PLOT_WIDTH / 2
    plot_mid_y = MARGIN_TOP + (height - MARGIN_TOP - MARGIN_BOTTOM) / 2
    return [
        f'<text class="x-label" x="{plot_mid_x:.1f}" y="{height - MARGIN_BOTTOM + 40}" '
        f'text-anchor="middle" '
        f'font-size="13">{escape(axes.x_label)}</text>',
        f'<text class="y-label" x="16" y="{plot_mid_y:.1f}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 16 {plot_mid_y:.1f})">{escape(axes.y_label)}</text>',
    ]


def _y_scale(ticks: Sequence[float], height: int) -> Callable[[float], float]:
    bottom = height - MARGIN_BOTTOM
    low, high = ticks[0], ticks[-1]

    def scale(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - MARGIN_TOP)

    return scale


def _y_grid(ticks: Sequence[float], scale: Callable[[float], float], fmt: Formatter) -> list[str]:
    parts = []
    right = WIDTH - MARGIN_RIGHT
    for tick in ticks:
        y = scale(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">'
            f"{escape(fmt(tick))}</text>"
        )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT}" y1="{MARGIN_TOP}" '
        f'y2="{scale(ticks[0]):.1f}" stroke="#888"/>'
        f'<line x1="{MARGIN_LEFT}" x2="{right}" y1="{scale(ticks[0]):.1f}" '
        f'y2="{scale(ticks[0]):.1f}" stroke="#888"/>'
    )
    return parts


def _x_labels(categories: Sequence[str], centres: Sequence[float], height: int) -> list[str]:
    # Thin the labels so they never overlap: a month label like "Sep 2021" needs about 60 px.
    every = max(1, math.ceil(len(categories) * LABEL_PIXELS / PLOT_WIDTH))
    parts = []
    baseline = height - MARGIN_BOTTOM
    for index, (category, x) in enumerate(zip(categories, centres, strict=True)):
        if index % every:
            continue
        parts.append(
            f'<text x="{x:.1f}" y="{baseline + 16}" text-anchor="middle" fill="#444">'
            f"{escape(category)}</text>"
        )
    return parts


def _references(
    references: Sequence[ReferenceLine], scale: Callable[[float], float], fmt: Formatter
) -> list[str]:
    parts = []
    for reference in references:
        y = scale(reference.value)
        parts.append(
            f'<line class="reference" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}" stroke="#b00020" stroke-dasharray="6 4" '
            f'data-value="{value_attr(reference.value)}"/>'
            f'<text x="{WIDTH - MARGIN_RIGHT + 6}" y="{y + 4:.1f}" fill="#b00020">'
            f"{escape(reference.label)} ({escape(fmt(reference.value))})</text>"
        )
    return parts


def _legend(names: Sequence[str], height: int, reverse: bool = False) -> list[str]:
    """Colour keys down the right; reversed for stacks, so the top key is the top layer."""
    parts = ['<g class="legend">']
    x = WIDTH - MARGIN_RIGHT + 14
    order = list(enumerate(names))
    for row, (index, name) in enumerate(reversed(order) if reverse else order):
        y = MARGIN_TOP + 24 + row * 18
        if y > height - MARGIN_BOTTOM:
            break
        colour = _colour(index)
        shown = name if len(name) <= LEGEND_CHARACTERS else name[: LEGEND_CHARACTERS - 1] + "…"
        parts.append(
            f'<rect x="{x}" y="{y - 9}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 18}" y="{y + 1}"><title>{escape(name)}</title>{escape(shown)}</text>'
        )
    parts.append("</g>")
    return parts


def _value_range(series: Sequence[Series], axes: Axes) -> tuple[float, float]:
    values = [v for s in series for v in s.values if v is not None]
    values += [reference.value for reference in axes.references]
    return min(0.0, *values), max(values) if values else 1.0


def _mark_attrs(series: str, category: str, value: float, fmt: Formatter) -> tuple[str, str]:
    attrs = (
        f'class="mark" data-series="{escape(series)}" data-x="{escape(category)}" '
        f'data-value="{value_attr(value)}"'
    )
    tooltip = f"<title>{escape(series)}, {escape(category)}: {escape(fmt(value))}</title>"
    return attrs, tooltip


def _colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def _slots(count: int) -> tuple[float, list[float]]:
    """Equal slots across the plot, one per category: their width and their centres."""
    slot = PLOT_WIDTH / max(count, 1)
    return slot, [MARGIN_LEFT + slot * (index + 0.5) for index in range(count)]


def _plot_open(
    chart_id: str,
    title: str,
    axes: Axes,
    ticks: Sequence[float],
    scale: Callable[[float], float],
    centres: Sequence[float],
) -> list[str]:
    """How a chart over categories along x starts: the SVG, the y grid and the x labels."""
    return [
        *_svg_open(chart_id, title, HEIGHT),
        *_y_grid(ticks, scale, axes.fmt),
        *_x_labels(axes.categories, centres, HEIGHT),
    ]


def _plot_close(
    parts: list[str], axes: Axes, scale: Callable[[float], float], legend: list[str]
) -> str:
    """How a chart over categories along x ends: reference lines over the marks, the legend
    given, the axis labels; the whole SVG as text."""
    return "\n".join(
        [
            *parts,
            *_references(axes.references, scale, axes.fmt),
            *legend,
            *_axis_labels(axes, HEIGHT),
            "</svg>",
        ]
    )


def line_chart(chart_id: str, title: str, axes: Axes, series: Sequence[Series]) -> str:
    """Lines over categorical x (usually months), one per series, with a dot per value."""
    ticks = nice_ticks(*_value_range(series, axes))
    scale = _y_scale(ticks, HEIGHT)
    count = len(axes.categories)
    step = PLOT_WIDTH / max(count - 1, 1)
    centres = [MARGIN_LEFT + index * step for index in range(count)]
    if count == 1:
        centres = [MARGIN_LEFT + PLOT_WIDTH / 2]
    parts = _plot_open(chart_id, title, axes, ticks, scale, centres)
    for index, one in enumerate(series):
        colour = _colour(index)
        points = [(x, scale(v)) for x, v in zip(centres, one.values, strict=True) if v is not None]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(
            f'<g class="series" data-series="{escape(one.name)}">'
            f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.2"/>'
        )
        for category, x, value in zip(axes.categories, centres, one.values, strict=True):
            if value is None:
                continue
            attrs, tooltip = _mark_attrs(one.name, category, value, axes.fmt)
            parts.append(
                f'<circle {attrs} cx="{x:.1f}" cy="{scale(value):.1f}" r="3.2" '
                f'fill="{colour}">{tooltip}</circle>'
            )
        parts.append("</g>")
    return _plot_close(parts, axes, scale, _legend([one.name for one in series], HEIGHT))


def bar_chart(chart_id: str, title: str, axes: Axes, series: Sequence[Series]) -> str:
    """Vertical bars per category; several series are drawn side by side (grouped)."""
    ticks = nice_ticks(*_value_range(series, axes))
    scale = _y_scale(ticks, HEIGHT)
    slot, centres = _slots(len(axes.categories))
    bar_width = slot * 0.8 / max(len(series), 1)
    parts = _plot_open(chart_id, title, axes, ticks, scale, centres)
    zero = scale(max(ticks[0], 0.0))
    for index, one in enumerate(series):
        colour = _colour(index)
        parts.append(f'<g class="series" data-series="{escape(one.name)}">')
        for category, centre, value in zip(axes.categories, centres, one.values, strict=True):
            if value is None:
                continue
            x = centre - slot * 0.4 + index * bar_width
            top = min(scale(value), zero)
            attrs, tooltip = _mark_attrs(one.name, category, value, axes.fmt)
            parts.append(
                f'<rect {attrs} x="{x:.1f}" y="{top:.1f}" width="{bar_width:.1f}" '
                f'height="{abs(zero - scale(value)):.1f}" fill="{colour}">{tooltip}</rect>'
            )
        parts.append("</g>")
    legend = _legend([one.name for one in series], HEIGHT) if len(series) > 1 else []
    return _plot_close(parts, axes, scale, legend)


def stacked_share_chart(chart_id: str, title: str, axes: Axes, series: Sequence[Series]) -> str:
    """100% stacked columns: each category's bar split into the series' shares (0-1)."""
    ticks = [0.0, 0.25, 0.5, 0.75, 1.0]
    scale = _y_scale(ticks, HEIGHT)
    slot, centres = _slots(len(axes.categories))
    parts = _plot_open(chart_id, title, axes, ticks, scale, centres)
    running = [0.0] * len(axes.categories)
    for index, one in enumerate(series):
        colour = _colour(index)
        parts.append(f'<g class="series" data-series="{escape(one.name)}">')
        for position, (category, value) in enumerate(zip(axes.categories, one.values, strict=True)):
            if value is None:
                continue
            low, high = running[position], running[position] + value
            running[position] = high
            attrs, tooltip = _mark_attrs(one.name, category, value, axes.fmt)
            parts.append(
                f'<rect {attrs} x="{centres[position] - slot * 0.42:.1f}" y="{scale(high):.1f}" '
                f'width="{slot * 0.84:.1f}" height="{scale(low) - scale(high):.1f}" '
                f'fill="{colour}">{tooltip}</rect>'
            )
        parts.append("</g>")
    legend = _legend([one.name for one in series], HEIGHT, reverse=True)
    return _plot_close(parts, axes, scale, legend)


def horizontal_bar_chart(chart_id: str, title: str, axes: Axes, series: Series) -> str:
    """One bar per category, top to bottom, for ranked lists such as hashtags."""
    row = 22
    height = MARGIN_TOP + MARGIN_BOTTOM + row * len(axes.categories)
    values = [v for v in series.values if v is not None]
    ticks = nice_ticks(0.0, max(values) if values else 1.0)
    left = MARGIN_LEFT + 90
    right = WIDTH - 60
    span = ticks[-1] - ticks[0]

    def scale_x(value: float) -> float:
        return left + (value - ticks[0]) / span * (right - left)

    bottom = height - MARGIN_BOTTOM
    parts = _svg_open(chart_id, title, height)
    for tick in ticks:
        x = scale_x(tick)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{MARGIN_TOP}" y2="{bottom}" stroke="#e3e3e3"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#444">'
            f"{escape(axes.fmt(tick))}</text>"
        )
    parts.append(f'<g class="series" data-series="{escape(series.name)}">')
    for index, (category, value) in enumerate(zip(axes.categories, series.values, strict=True)):
        if value is None:
            continue
        y = MARGIN_TOP + index * row
        attrs, tooltip = _mark_attrs(series.name, category, value, axes.fmt)
        parts.append(
            f'<text x="{left - 6}" y="{y + row * 0.68:.1f}" text-anchor="end">'
            f"{escape(category)}</text>"
            f'<rect {attrs} x="{left}" y="{y + 3}" width="{scale_x(value) - left:.1f}" '
            f'height="{row - 6}" fill="{PALETTE[0]}">{tooltip}</rect>'
            f'<text x="{scale_x(value) + 4:.1f}" y="{y + row * 0.68:.1f}" fill="#444">'
            f"{escape(axes.fmt(value))}</text>"
        )
    parts.append("</g>")
    mid_y = MARGIN_TOP + (bottom - MARGIN_TOP) / 2
    parts.append(
        f'<text class="x-label" x="{(left + right) / 2:.1f}" y="{bottom + 40}" '
        f'text-anchor="middle" font-size="13">{escape(axes.x_label)}</text>'
        f'<text class="y-label" x="16" y="{mid_y:.1f}" text-anchor="middle" font-size="13" '
        f'transform="rotate(-90 16 {mid_y:.1f})">{escape(axes.y_label)}</text>'
    )
    parts.append("</svg>")
    return "\n".join(parts)
