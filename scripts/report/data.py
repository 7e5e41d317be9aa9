"""Read the marts and shape them into the report's charts, each with its computed reading.

Every chart is built from one mart (named in Chart.source), aggregated here only as far as the
chart needs (for example from region grain to national). The readings are computed from the
very values the chart draws.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

from scripts.report import numbers as fmt
from scripts.report import readings as read
from scripts.report import svg

ChartKind = Literal["line", "bar", "stacked", "hbar"]
SEASON_ORDER = ("Winter", "Spring", "Summer", "Autumn")
TOP_CATEGORIES = 8
TOP_HASHTAGS = 15
OTHER = "Other categories"
# The raw source (marts.data_provenance.source_name) behind each mart a chart is drawn from, so
# a chart drawn from synthetic rows can say so itself.
RAW_SOURCE_OF_MART = {
    "marts.utilisation_monthly": "appointments_regional",
    "marts.missed_appointments_monthly": "appointments_regional",
    "marts.fct_appointments_monthly": "appointments_regional",
    "marts.duration_distribution_monthly": "actual_duration",
    "marts.national_category_monthly": "national_categories",
    "marts.service_setting_daily": "national_categories",
    "marts.tweet_hashtags": "tweets",
}


@dataclass
class Chart:
    """One figure of the report: what it draws, how, and what it shows in one line."""

    chart_id: str
    title: str
    reading: str
    kind: ChartKind
    axes: svg.Axes
    series: list[svg.Series]
    source: str

    @property
    def raw_source(self) -> str:
        return RAW_SOURCE_OF_MART[self.source]

    def render_svg(self) -> str:
        if self.kind == "line":
            return svg.line_chart(self.chart_id, self.title, self.axes, self.series)
        if self.kind == "bar":
            return svg.bar_chart(self.chart_id, self.title, self.axes, self.series)
        if self.kind == "stacked":
            return svg.stacked_share_chart(self.chart_id, self.title, self.axes, self.series)
        return svg.horizontal_bar_chart(self.chart_id, self.title, self.axes, self.series[0])


@dataclass
class Section:
    title: str
    charts: list[Chart]


@dataclass(frozen=True)
class SourceFile:
    source_name: str
    source_file: str
    sha256: str
    size_bytes: int
    is_synthetic: bool


@dataclass
class Report:
    warehouse: Path
    built_at: dt.datetime
    sources: list[SourceFile]
    sections: list[Section] = field(default_factory=list)

    @property
    def synthetic_sources(self) -> list[str]:
        return sorted({source.source_name for source in self.sources if source.is_synthetic})

    @property
    def all_synthetic(self) -> bool:
        return bool(self.sources) and all(source.is_synthetic for source in self.sources)


Rows = list[tuple[Any, ...]]


def pivot(rows: Rows, categories: Sequence[Any], series_names: Sequence[str]) -> list[svg.Series]:
    """(category, series, value) rows as one Series per name, in category order (gaps None)."""
    cells = {(category, name): value for category, name, value in rows}
    return [
        svg.Series(name, [cells.get((category, name)) for category in categories])
        for name in series_names
    ]


def distinct(rows: Rows, position: int) -> list[Any]:
    """Distinct values of one column, in the order they first appear."""
    return list(dict.fromkeys(row[position] for row in rows))


def month_labels(months: Sequence[dt.date]) -> list[str]:
    return [fmt.month(month) for month in months]


def utilisation_chart(connection: duckdb.DuckDBPyConnection) -> Chart:
    rows = connection.execute(
        """
        select appointment_month, utilisation_working_day, utilisation_calendar_day,
            capacity_per_day
        from marts.utilisation_monthly
        order by appointment_month
        """
    ).fetchall()
    labels = month_labels([row[0] for row in rows])
    working = [row[1] for row in rows]
    calendar = [row[2] for row in rows]
    capacity = rows[0][3]
    working_peak = read.peak(labels, working)
    calendar_peak = read.peak(labels, calendar)
    over = read.count_above(working, 1.0)
    months_over = (
        f"was above capacity in {over} of {len(labels)} months"
        if over
        else "never exceeded capacity"
    )
    reading = (
        f"Utilisation per working day peaked at {fmt.percent(working_peak.value)} in "
        f"{working_peak.category} and {months_over}; "
        f"per calendar day it peaked at {fmt.percent(calendar_peak.value)} in "
        f"{calendar_peak.category}."
    )
    axes = svg.Axes(
        categories=labels,
        x_label="Month",
        y_label=f"Appointments per day / {fmt.compact(capacity)} capacity",
        fmt=fmt.whole_percent,
        references=[svg.ReferenceLine(1.0, f"capacity {fmt.compact(capacity)}/day")],
    )
    return Chart(
        "utilisation",
        f"Utilisation against the {fmt.compact(capacity)} appointments-a-day planning capacity",
        reading,
        "line",
        axes,
        [svg.Series("Per working day", working), svg.Series("Per calendar day", calendar)],
        "marts.utilisation_monthly",
    )


def dna_rate_chart(
    connection: duckdb.DuckDBPyConnection,
    dimension: str,
    order_by: str,
    chart_id: str,
    title: str,
    describe: Callable[[str], str],
) -> Chart:
    """DNA rate (missed / all appointments) per month, one line per value of dimension."""
    rows = connection.execute(
        f"""
        select appointment_month, {dimension},
            sum(dna_appointments) / sum(total_appointments) as dna_rate
        from marts.missed_appointments_monthly
        group by all
        order by appointment_month, min({order_by}), {dimension}
        """
    ).fetchall()
    overall = connection.execute(
        f"""
        select {dimension}, sum(dna_appointments) / sum(total_appointments) as dna_rate
        from marts.missed_appointments_monthly
        group by all
        order by min({order_by}), {dimension}
        """
    ).fetchall()
    months = distinct(rows, 0)
    labels = month_labels(months)
    names = [name for name, _ in overall]
    series = pivot(rows, months, names)
    # "Unknown" is a recording gap, not a mode or a lead time worth naming as an extreme.
    known = [(name, rate) for name, rate in overall if not name.startswith("Unknown")] or overall
    highest = read.peak([name for name, _ in known], [rate for _, rate in known])
    lowest = read.trough([name for name, _ in known], [rate for _, rate in known])
    reading = (
        f"Over the whole period {describe(highest.category)} were missed most often "
        f"({fmt.percent(highest.value)} did not attend) and {describe(lowest.category)} least "
        f"often ({fmt.percent(lowest.value)})."
    )
    axes = svg.Axes(labels, "Month", "DNA rate (missed / all appointments)", fmt.percent)
    return Chart(
        chart_id,
        title,
        reading,
        "line",
        axes,
        [svg.Series(one.name, one.values) for one in series],
        "marts.missed_appointments_monthly",
    )


def dna_by_mode_chart(connection: duckdb.DuckDBPyConnection) -> Chart:
    return dna_rate_chart(
        connection,
        "appointment_mode",
        "appointment_mode",
        "dna-by-mode",
        "DNA rate by appointment mode",
        lambda mode: f"{mode} appointments",
    )


def dna_by_lead_time_chart(connection: duckdb.DuckDBPyConnection) -> Chart:
    return dna_rate_chart(
        connection,
        "booking_lead_time_band",
        "booking_lead_time_order",
        "dna-by-lead-time",
        "DNA rate by time between booking and appointment",
        lambda band: (
            f"appointments booked {band.lower()} ahead"
            if band[0].isdigit() or band.startswith("More")
            else f"{band.lower()} bookings"
        ),
    )


def duration_chart(connection: duckdb.DuckDBPyConnection) -> Chart:
    rows = connection.execute(
        """
        select duration_band, sum(count_of_appointments) as appointments
        from marts.duration_distribution_monthly
        group by duration_band
        order by min(duration_band_order)
        """
    ).fetchall()
    known = connection.execute(
        """
        select duration_band
        from marts.duration_distribution_monthly
        where is_known_duration
        group by duration_band
        """
    ).fetchall()
    known_bands = {band for (band,) in known}
    total = sum(appointments for _, appointments in rows)
    known_total = sum(appointments for band, appointments in rows if band in known_bands)
    bands = [band for band, _ in rows if band in known_bands]
    shares = [appointments / known_total for band, appointments in rows if band in known_bands]
    commonest = read.peak(bands, shares)
    reading = (
        f"{commonest.category} was the commonest actual duration, "
        f"{fmt.percent(commonest.value)} of appointments with a recorded duration; "
        f"{fmt.percent((total - known_total) / total)} of all appointments had none recorded."
    )
    axes = svg.Axes(bands, "Actual duration", "Share of appointments with a duration", fmt.percent)
    return Chart(
        "duration",
        "Distribution of actual appointment duration",
        reading,
        "bar",
        axes,
        [svg.Series("Share of appointments", shares)],
        "marts.duration_distribution_monthly",
    )


def share_rows(rows: Rows) -> Rows:
    """(category, name, count) rows as (category, name, share of the category's total)."""
    totals: dict[Any, float] = {}
    for category, _, value in rows:
        totals[category] = totals.get(category, 0) + value
    return [(category, name, value / totals[category]) for category, name, value in rows]


def mix_chart(
    rows: Rows,
    categories: Sequence[Any],
    labels: Sequence[str],
    chart_id: str,
    title: str,
    x_label: str,
    source: str,
    reading: Callable[[list[svg.Series], Sequence[str]], str],
) -> Chart:
    """A 100% stacked chart of (category, name, count) rows, names ordered by overall size."""
    overall: dict[str, float] = {}
    for _, name, value in rows:
        overall[name] = overall.get(name, 0) + value
    # Largest first, at the bottom of each stack; the catch-all group always on top.
    names = sorted(overall, key=lambda name: (name == OTHER, -overall[name], name))
    series = pivot(share_rows(rows), categories, names)
    series = [svg.Series(one.name, one.values) for one in series]
    axes = svg.Axes(labels, x_label, "Share of appointments", fmt.whole_percent)
    return Chart(chart_id, title, reading(series, labels), "stacked", axes, series, source)


def largest_share_reading(what: str) -> Callable[[list[svg.Series], Sequence[str]], str]:
    def reading(series: list[svg.Series], labels: Sequence[str]) -> str:
        largest = series[0]
        low = read.trough(labels, largest.values)
        high = read.peak(labels, largest.values)
        if low.value == high.value:
            return (
                f"{largest.name} was the largest {what}, {fmt.percent(high.value)} of "
                f"appointments in every month shown."
            )
        return (
            f"{largest.name} was the largest {what}, from {fmt.percent(low.value)} of "
            f"appointments in {low.category} to {fmt.percent(high.value)} in {high.category}."
        )

    return reading


def top_categories_sql(grouping: str) -> str:
    """National categories beyond the TOP_CATEGORIES largest are summed as 'Other categories'."""
    return f"""
        with ranked as (
            select national_category,
                rank() over (
                    order by sum(count_of_appointments) desc, national_category
                ) as size_rank
            from marts.national_category_monthly
            group by national_category
        ),
        labelled as (
            select
                national_category_monthly.*,
                case when ranked.size_rank <= {TOP_CATEGORIES}
                    then national_category_monthly.national_category
                    else '{OTHER}' end as category_label,
                dim_date.season
            from marts.national_category_monthly
            inner join ranked using (national_category)
            inner join marts.dim_date
                on national_category_monthly.appointment_month = dim_date.date_day
        )
        select {grouping}, category_label, sum(count_of_appointments)::double
        from labelled
        group by all
    """


def seasonal_swing_reading(what: str) -> Callable[[list[svg.Series], Sequence[str]], str]:
    """Names the series whose share moves most between seasons."""

    def reading(series: list[svg.Series], labels: Sequence[str]) -> str:
        def swing(one: svg.Series) -> float:
            values = [value for value in one.values if value is not None]
            return max(values) - min(values)

        widest = max(series, key=swing)
        high = read.peak(labels, widest.values)
        low = read.trough(labels, widest.values)
        if swing(widest) == 0:
            return f"The mix of {what} was the same in every season shown."
        return (
            f"{widest.name} changed most with the season among {what}: "
            f"{fmt.percent(high.value)} of appointments in {high.category} against "
            f"{fmt.percent(low.value)} in {low.category}."
        )

    return reading


def seasons_in(rows: Rows) -> list[str]:
    present = {row[0] for row in rows}
    return [season for season in SEASON_ORDER if season in present]


def setting_sql(grouping: str) -> str:
    """Appointments by service setting within each value of grouping."""
    return f"""
        select {grouping}, service_setting, sum(count_of_appointments)::double
        from marts.service_setting_daily
        group by all
    """


@dataclass(frozen=True)
class Mix:
    """One breakdown of appointments, charted as its mix by month and by season."""

    chart_id: str
    title: str
    source: str
    # (grouping column) -> SQL of (grouping value, name, appointments) rows
    sql: Callable[[str], str]
    # what one name is, and several, in the readings
    singular: str
    plural: str


CATEGORY_MIX = Mix(
    "category",
    "National category mix",
    "marts.national_category_monthly",
    top_categories_sql,
    "national category",
    "national categories",
)
SETTING_MIX = Mix(
    "setting",
    "Service-setting mix",
    "marts.service_setting_daily",
    setting_sql,
    "service setting",
    "service settings",
)


def mix_by_month_chart(connection: duckdb.DuckDBPyConnection, mix: Mix) -> Chart:
    rows = connection.execute(mix.sql("appointment_month") + " order by 1").fetchall()
    months = distinct(rows, 0)
    return mix_chart(
        rows,
        months,
        month_labels(months),
        f"{mix.chart_id}-by-month",
        f"{mix.title} by month",
        "Month",
        mix.source,
        largest_share_reading(mix.singular),
    )


def mix_by_season_chart(connection: duckdb.DuckDBPyConnection, mix: Mix) -> Chart:
    rows = connection.execute(mix.sql("season")).fetchall()
    seasons = seasons_in(rows)
    return mix_chart(
        rows,
        seasons,
        seasons,
        f"{mix.chart_id}-by-season",
        f"{mix.title} by season",
        "Season",
        mix.source,
        seasonal_swing_reading(mix.plural),
    )


def hcp_chart(connection: duckdb.DuckDBPyConnection) -> Chart:
    rows = connection.execute(
        """
        select appointment_month, hcp_type, sum(count_of_appointments)::double
        from marts.fct_appointments_monthly
        group by all
        order by 1, 2
        """
    ).fetchall()
    months = distinct(rows, 0)
    labels = month_labels(months)
    names = sorted(distinct(rows, 1))
    series = pivot(rows, months, names)
    shares = pivot(share_rows(rows), months, names)
    gp = next((one for one in shares if one.name == "GP"), shares[0])
    start, end = read.first_and_last(labels, gp.values)
    reading = (
        f"{gp.name} appointments were {fmt.percent(start.value)} of all appointments in "
        f"{start.category} and {fmt.percent(end.value)} in {end.category}; the share "
        f"{read.direction(round(start.value, 3), round(end.value, 3))}."
    )
    axes = svg.Axes(labels, "Month", "Appointments per month", fmt.compact)
    return Chart(
        "hcp-types",
        "Appointments by healthcare professional type",
        reading,
        "line",
        axes,
        series,
        "marts.fct_appointments_monthly",
    )


def hashtag_chart(connection: duckdb.DuckDBPyConnection) -> Chart:
    rows = connection.execute(
        f"""
        select hashtag, tweets
        from marts.tweet_hashtags
        order by tweets_rank, hashtag
        limit {TOP_HASHTAGS}
        """
    ).fetchall()
    (all_tweets,) = connection.execute("select count(*) from marts.fct_tweets").fetchone()
    labels = [f"#{hashtag}" for hashtag, _ in rows]
    counts = [float(tweets) for _, tweets in rows]
    top = read.peak(labels, counts)
    reading = (
        f"{top.category} was the most used hashtag, in {fmt.count(top.value)} of "
        f"{fmt.count(all_tweets)} tweets ({fmt.percent(top.value / all_tweets)})."
    )
    axes = svg.Axes(labels, "Tweets using the hashtag", "Hashtag", fmt.count)
    return Chart(
        "hashtags",
        f"Top {len(labels)} hashtags in tweets about healthcare",
        reading,
        "hbar",
        axes,
        [svg.Series("Tweets", counts)],
        "marts.tweet_hashtags",
    )


def sources(connection: duckdb.DuckDBPyConnection) -> list[SourceFile]:
    rows = connection.execute(
        """
        select source_name, source_file, sha256, size_bytes, is_synthetic
        from marts.data_provenance
        order by source_name, source_file
        """
    ).fetchall()
    return [SourceFile(*row) for row in rows]


def load(warehouse: Path) -> Report:
    """Read everything the report shows from the warehouse, through one read-only connection."""
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        report = Report(
            warehouse=warehouse,
            built_at=dt.datetime.fromtimestamp(warehouse.stat().st_mtime),
            sources=sources(connection),
        )
        report.sections = [
            Section("Capacity and utilisation", [utilisation_chart(connection)]),
            Section(
                "Missed appointments (DNA)",
                [dna_by_mode_chart(connection), dna_by_lead_time_chart(connection)],
            ),
            Section("How long appointments take", [duration_chart(connection)]),
            Section(
                "What appointments are for, and where",
                [
                    chart(connection, mix)
                    for mix in (CATEGORY_MIX, SETTING_MIX)
                    for chart in (mix_by_month_chart, mix_by_season_chart)
                ],
            ),
            Section("Who sees patients", [hcp_chart(connection)]),
            Section("What people tweet about", [hashtag_chart(connection)]),
        ]
    return report
