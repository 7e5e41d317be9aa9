"""The charts of how appointments divide up: by actual duration, by national category and by
service setting (each by month and by season), and the hashtags of tweets about healthcare.

Each function runs its analysis (analyses/report/, through scripts/report/queries.py), computes
the chart's reading from the rows it draws, and returns the chart with its Vega-Lite spec
(scripts/report/specs.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import altair as alt

from scripts.report import numbers as fmt
from scripts.report import queries, specs
from scripts.report import readings as read
from scripts.report.appointment_charts import england_then_regions, in_order, month_label
from scripts.report.model import Chart
from scripts.report.queries import ENGLAND, OTHER_CATEGORIES

SEASON_ORDER = ("Winter", "Spring", "Summer", "Autumn")


def duration_chart(analyses: queries.Analyses) -> Chart:
    rows = analyses.rows(queries.DURATION)
    england = [row for row in rows if row["area"] == ENGLAND]
    known = [row for row in england if row["is_known_duration"]]
    commonest = read.peak(
        [row["duration_band"] for row in known], [row["share_of_known"] for row in known]
    )
    unknown = sum(row["share_of_all"] for row in england if not row["is_known_duration"])
    reading = (
        f"In England {commonest.category} was the commonest actual duration, "
        f"{fmt.percent(commonest.value)} of appointments with a recorded duration; "
        f"{fmt.percent(unknown)} of all appointments had no duration between 1 and 60 minutes "
        "(Unknown / Data Quality: not recorded, under 1 minute or over 60)."
    )
    bands = [row["duration_band"] for row in known]
    spec = specs.bars(
        "duration",
        [row for row in rows if row["is_known_duration"]],
        "duration_band",
        "Actual duration",
        bands,
        specs.Measure("share_of_known", "Share of appointments with a duration", ".2%", ".0%"),
        details=[
            specs.Measure("appointments", "Appointments", ","),
            specs.Measure("share_of_all", "Share of all appointments", ".2%"),
        ],
        areas=england_then_regions(rows),
    )
    return Chart(
        "duration",
        "Distribution of actual appointment duration",
        reading,
        spec,
        queries.DURATION,
    )


Reading = Callable[[dict[tuple[str, str], float], Sequence[str], Sequence[str]], str]


def largest_share_reading(what: str) -> Reading:
    """Names the largest series and how far its share ranged across the groups."""

    def reading(shares: dict[tuple[str, str], float], groups: Sequence[str], names: Sequence[str]):
        largest = names[0]
        labels = [month_label(group) for group in groups]
        values = [shares.get((group, largest)) for group in groups]
        low, high = read.trough(labels, values), read.peak(labels, values)
        if low.value == high.value:
            return (
                f"{largest} was the largest {what}, {fmt.percent(high.value)} of "
                f"appointments in every month shown."
            )
        return (
            f"{largest} was the largest {what}, from {fmt.percent(low.value)} of "
            f"appointments in {low.category} to {fmt.percent(high.value)} in {high.category}."
        )

    return reading


def seasonal_swing_reading(what: str) -> Reading:
    """Names the series whose share moves most between seasons."""

    def reading(shares: dict[tuple[str, str], float], groups: Sequence[str], names: Sequence[str]):
        def values(name: str) -> list[float | None]:
            return [shares.get((group, name)) for group in groups]

        def swing(name: str) -> float:
            present = [value for value in values(name) if value is not None]
            return max(present) - min(present)

        widest = max(names, key=swing)
        if swing(widest) == 0:
            return f"The mix of {what} was the same in every season shown."
        high, low = read.peak(groups, values(widest)), read.trough(groups, values(widest))
        return (
            f"{widest} changed most with the season among {what}: "
            f"{fmt.percent(high.value)} of appointments in {high.category} against "
            f"{fmt.percent(low.value)} in {low.category}."
        )

    return reading


@dataclass(frozen=True)
class Mix:
    """One breakdown of appointments, charted as its mix by month and by season."""

    chart_id: str
    title: str
    analysis: str
    category_title: str
    # what one category is, and several, in the readings
    singular: str
    plural: str


CATEGORY_MIX = Mix(
    "category",
    "National category mix",
    queries.CATEGORY_MIX,
    "National category",
    "national category",
    "national categories",
)
SETTING_MIX = Mix(
    "setting",
    "Service-setting mix",
    queries.SETTING_MIX,
    "Service setting",
    "service setting",
    "service settings",
)


@dataclass(frozen=True)
class Grouping:
    """What a mix chart puts along its x axis: months or seasons."""

    name: str
    field: str
    x: alt.X
    tooltip: alt.Tooltip
    reading: Callable[[str], Reading]


BY_MONTH = Grouping(
    "month",
    "appointment_month",
    specs.month_axis("O"),
    specs.month_tooltip(),
    largest_share_reading,
)
BY_SEASON = Grouping(
    "season",
    "season",
    alt.X("season:N", title="Season", sort=list(SEASON_ORDER), axis=alt.Axis(labelAngle=0)),
    alt.Tooltip("season:N", title="Season"),
    seasonal_swing_reading,
)


def mix_chart(analyses: queries.Analyses, mix: Mix, grouping: Grouping) -> Chart:
    """A 100% stacked chart of the mix; categories largest first (at the bottom of each
    stack), the catch-all group always on top."""
    rows = analyses.rows(mix.analysis)
    overall = read.sums(rows, ["category"], "appointments")
    names = sorted(overall, key=lambda name: (name == OTHER_CATEGORIES, -overall[name], name))
    shares = read.shares(read.sums(rows, [grouping.field, "category"], "appointments"))
    groups = in_order(rows, grouping.field)
    if grouping is BY_SEASON:
        groups = [season for season in SEASON_ORDER if season in groups]
    chart_id = f"{mix.chart_id}-by-{grouping.name}"
    spec = specs.stacked_shares(
        chart_id, rows, grouping.x, grouping.tooltip, grouping.field, mix.category_title, names
    )
    reading = grouping.reading(mix.singular if grouping is BY_MONTH else mix.plural)
    return Chart(
        chart_id,
        f"{mix.title} by {grouping.name}",
        reading(shares, groups, names),
        spec,
        mix.analysis,
    )


def hashtag_chart(analyses: queries.Analyses) -> Chart:
    rows = analyses.rows(queries.HASHTAGS)
    for row in rows:
        row["label"] = f"#{row['hashtag']}"
    all_tweets = rows[0]["all_tweets"]
    labels = [row["label"] for row in rows]
    top = read.peak(labels, [row["tweets"] for row in rows])
    reading = (
        f"{top.category} was the most used hashtag, in {fmt.count(top.value)} of "
        f"{fmt.count(all_tweets)} tweets ({fmt.percent(top.value / all_tweets)})."
    )
    spec = specs.bars(
        "hashtags",
        rows,
        "label",
        "Hashtag",
        labels,
        specs.Measure("tweets", "Tweets using the hashtag", ",", ",d"),
        horizontal=True,
    )
    return Chart(
        "hashtags",
        f"Top {len(labels)} hashtags in tweets about healthcare",
        reading,
        spec,
        queries.HASHTAGS,
    )
