"""The report's chart kinds as Vega-Lite specifications, written with Altair.

Every chart reads one named dataset (its rows travel inside the spec, under "datasets"), shows
exact values in a tooltip, and lets a click on its legend pick out series (the others fade).
A chart drawn by area has a selector bound to the parameter "area"; its dataset carries an
"area" column. Vega-Embed renders the specs in the page (scripts/report/html.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import altair as alt

# Okabe-Ito, distinguishable with the common colour-vision deficiencies, then a few extras.
PALETTE = [
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
]
HEIGHT = 300
FADED = 0.12
MONTH_FORMAT = "%b %Y"
# The names the page's script and the browser test use to reach a chart's controls.
AREA_PARAM = "area"
SERIES_PARAM = "series"

Spec = dict[str, Any]


@dataclass(frozen=True)
class Measure:
    """A numeric column, how the chart titles it and how its values are printed (d3-format):
    exactly in tooltips, shorter on the axis."""

    field: str
    title: str
    format: str
    axis_format: str = "~s"


@dataclass(frozen=True)
class Reference:
    """A horizontal rule across a chart, e.g. the planning capacity, with its label."""

    value: float
    label: str


def month_axis(kind: str = "T") -> alt.X:
    """Months along x: a time scale for lines ("T"), one band per month for bars ("O")."""
    return alt.X(
        f"appointment_month:{kind}",
        timeUnit="utcyearmonth",
        title="Month",
        axis=alt.Axis(format=MONTH_FORMAT, labelAngle=-40, labelOverlap=True),
    )


def month_tooltip() -> alt.Tooltip:
    return alt.Tooltip(
        "appointment_month:T", timeUnit="utcyearmonth", title="Month", format=MONTH_FORMAT
    )


def tooltips(*measures: Measure) -> list[alt.Tooltip]:
    return [alt.Tooltip(f"{one.field}:Q", title=one.title, format=one.format) for one in measures]


def series_colour(field: str, title: str, order: Sequence[str], by_area: bool = False) -> alt.Color:
    """Colours in a fixed order of series; by area, the legend lists only the series of the
    area shown (e.g. the ICBs of one region)."""
    scale = alt.Scale(range=PALETTE) if by_area else alt.Scale(domain=list(order), range=PALETTE)
    return alt.Color(
        f"{field}:N",
        title=title,
        sort=list(order),
        scale=scale,
        legend=alt.Legend(orient="right", labelLimit=300),
    )


def series_picker(field: str) -> alt.Parameter:
    """Click a legend entry to pick out its series; shift-click adds more; click away resets."""
    return alt.selection_point(name=SERIES_PARAM, fields=[field], bind="legend")


def area_picker(areas: Sequence[str]) -> alt.Parameter:
    """A selector of the areas, the first one shown first."""
    return alt.param(
        name=AREA_PARAM,
        value=areas[0],
        bind=alt.binding_select(options=list(areas), name="Area: "),
    )


def area_tooltip(areas: Sequence[str] | None) -> list[alt.Tooltip]:
    """A chart by area names the area it shows in each tooltip."""
    return [alt.Tooltip("area:N", title="Area")] if areas else []


def with_area(chart: alt.Chart, areas: Sequence[str] | None) -> alt.Chart:
    """A chart by area shows one area at a time, picked from a selector."""
    if not areas:
        return chart
    picker = area_picker(areas)
    return chart.add_params(picker).transform_filter(alt.datum.area == picker)


def finish(chart: alt.TopLevelMixin, dataset: str, rows: list[dict[str, Any]]) -> Spec:
    """The chart as a Vega-Lite spec carrying its rows as the named dataset it reads."""
    styled = (
        chart.configure_axis(labelFontSize=12, titleFontSize=13)
        .configure_legend(labelFontSize=12, titleFontSize=13)
        .configure_view(stroke=None)
    )
    spec = styled.to_dict()
    spec["datasets"] = {dataset: rows}
    return spec


def monthly_lines(
    dataset: str,
    rows: list[dict[str, Any]],
    value: Measure,
    series: str,
    series_title: str,
    series_order: Sequence[str],
    details: Sequence[Measure] = (),
    areas: Sequence[str] | None = None,
    reference: Reference | None = None,
) -> Spec:
    """One line per series over the months, a point per value to hover for its tooltip."""
    picker = series_picker(series)
    lines = (
        alt.Chart(alt.NamedData(dataset))
        .mark_line(point=alt.OverlayMarkDef(filled=True, size=36), strokeWidth=2)
        .encode(
            x=month_axis(),
            y=alt.Y(f"{value.field}:Q", title=value.title, axis=alt.Axis(format=value.axis_format)),
            color=series_colour(series, series_title, series_order, by_area=bool(areas)),
            opacity=alt.when(picker).then(alt.value(1.0)).otherwise(alt.value(FADED)),
            tooltip=[
                *area_tooltip(areas),
                alt.Tooltip(f"{series}:N", title=series_title),
                month_tooltip(),
                *tooltips(value, *details),
            ],
        )
        .add_params(picker)
    )
    lines = with_area(lines, areas)
    if reference is not None:
        rule = (
            alt.Chart(alt.Data(values=[{"reference": reference.value}]))
            .mark_rule(color="#555", strokeDash=[6, 4])
            .encode(y="reference:Q")
        )
        # At the right end, under the rule: clear of the first months and of a line near capacity.
        label = rule.mark_text(align="right", dx=-4, dy=10, color="#555").encode(
            text=alt.value(reference.label), x=alt.value("width")
        )
        lines = alt.layer(lines, rule, label)
    return finish(lines.properties(width="container", height=HEIGHT), dataset, rows)


def stacked_shares(
    dataset: str,
    rows: list[dict[str, Any]],
    x: alt.X,
    x_tooltip: alt.Tooltip,
    group: str,
    category_title: str,
    category_order: Sequence[str],
) -> Spec:
    """100% stacked bars of appointments per category within each group (month or season).

    The dataset holds counts; the chart sums them by group and category and divides by the
    group's total, so a season drawn from monthly rows sums before it divides.
    """
    picker = series_picker("category")
    chart = (
        alt.Chart(alt.NamedData(dataset))
        .transform_aggregate(appointments="sum(appointments)", groupby=[group, "category"])
        .transform_joinaggregate(group_appointments="sum(appointments)", groupby=[group])
        .transform_calculate(
            share="datum.appointments / datum.group_appointments",
            stack_order=f"indexof({json.dumps(list(category_order))}, datum.category)",
        )
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "share:Q",
                title="Share of appointments",
                stack="zero",
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format=".0%"),
            ),
            color=series_colour("category", category_title, category_order),
            order=alt.Order("stack_order:Q"),
            opacity=alt.when(picker).then(alt.value(1.0)).otherwise(alt.value(FADED)),
            tooltip=[
                alt.Tooltip("category:N", title=category_title),
                x_tooltip,
                alt.Tooltip("share:Q", title="Share of appointments", format=".2%"),
                alt.Tooltip("appointments:Q", title="Appointments", format=","),
            ],
        )
        .add_params(picker)
        .properties(width="container", height=HEIGHT)
    )
    return finish(chart, dataset, rows)


def bars(
    dataset: str,
    rows: list[dict[str, Any]],
    category: str,
    category_title: str,
    category_order: Sequence[str],
    value: Measure,
    details: Sequence[Measure] = (),
    areas: Sequence[str] | None = None,
    horizontal: bool = False,
) -> Spec:
    """One bar per category, in the given order; horizontal for long labels."""
    along = alt.X if not horizontal else alt.Y
    across = alt.Y if not horizontal else alt.X
    chart = (
        alt.Chart(alt.NamedData(dataset))
        .mark_bar(color=PALETTE[0])
        .encode(
            along(
                f"{category}:N",
                title=category_title,
                sort=list(category_order),
                axis=alt.Axis(labelAngle=0, labelLimit=260),
            ),
            across(f"{value.field}:Q", title=value.title, axis=alt.Axis(format=value.axis_format)),
            tooltip=[
                *area_tooltip(areas),
                alt.Tooltip(f"{category}:N", title=category_title),
                *tooltips(value, *details),
            ],
        )
    )
    chart = with_area(chart, areas)
    height = HEIGHT if not horizontal else max(HEIGHT, 24 * len(category_order))
    return finish(chart.properties(width="container", height=height), dataset, rows)
