"""The charts of appointments over time: national utilisation, regions and ICBs, missed
appointments (DNA) by mode and by booking lead time, and who sees patients.

Each function runs its analysis (analyses/report/, through scripts/report/queries.py), computes
the chart's reading from the rows it draws, and returns the chart with its Vega-Lite spec
(scripts/report/specs.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from scripts.report import numbers as fmt
from scripts.report import queries, specs
from scripts.report import readings as read
from scripts.report.model import Chart
from scripts.report.queries import ENGLAND, Row

PER_WORKING_DAY = specs.Measure(
    "appointments_per_working_day", "Appointments per working day", ",.0f"
)
TOTAL = specs.Measure("total_appointments", "Appointments in the month", ",")
NATIONAL_SHARE = specs.Measure("share_of_national_appointments", "Share of England", ".2%")
DNA_RATE = specs.Measure("dna_rate", "DNA rate (missed / all)", ".2%", ".1%")
DNA_COUNTS = (
    specs.Measure("dna_appointments", "Missed (DNA)", ","),
    specs.Measure("total_appointments", "All appointments", ","),
)


def month_label(iso_month: str) -> str:
    return fmt.month(dt.date.fromisoformat(iso_month))


def in_order(rows: Sequence[Row], field: str) -> list[str]:
    """Distinct values of field, in the order the rows bring them."""
    return list(dict.fromkeys(row[field] for row in rows))


def england_then_regions(rows: Sequence[Row]) -> list[str]:
    """The areas of by-area rows in the order their selector lists them: England, then each
    region by name."""
    return [ENGLAND, *sorted(set(in_order(rows, "area")) - {ENGLAND})]


def utilisation_chart(analyses: queries.Analyses) -> Chart:
    monthly = analyses.rows(queries.UTILISATION)
    capacity = monthly[0]["capacity_per_day"]
    # One row per month and way of counting days, each with the appointments per day behind it.
    rows = [
        {
            "appointment_month": month["appointment_month"],
            "per_day": per_day,
            "utilisation": month[f"utilisation_{days}_day"],
            "appointments_per_day": month[f"appointments_per_{days}_day"],
        }
        for month in monthly
        for per_day, days in (("Per working day", "working"), ("Per calendar day", "calendar"))
    ]
    labels = [month_label(month["appointment_month"]) for month in monthly]
    working = [month["utilisation_working_day"] for month in monthly]
    calendar = [month["utilisation_calendar_day"] for month in monthly]
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
    spec = specs.monthly_lines(
        "utilisation",
        rows,
        specs.Measure(
            "utilisation", f"Appointments per day / {fmt.compact(capacity)}", ".1%", ".0%"
        ),
        "per_day",
        "Appointments counted",
        ["Per working day", "Per calendar day"],
        details=[specs.Measure("appointments_per_day", "Appointments per day", ",.0f")],
        reference=specs.Reference(1.0, f"capacity {fmt.compact(capacity)} a day"),
    )
    return Chart(
        "utilisation",
        f"Utilisation against the {fmt.compact(capacity)} appointments-a-day planning capacity",
        reading,
        spec,
        queries.UTILISATION,
    )


@dataclass(frozen=True)
class AreaMeasure:
    """A measure charted by area: one line per region, or per ICB one region at a time."""

    chart_id: str
    measure: specs.Measure
    details: tuple[specs.Measure, ...]
    # Why a build may have no values of it, for the note shown instead of its chart.
    absent: str = ""


PER_1000_PATIENTS = specs.Measure(
    "appointments_per_1000_patients", "Appointments per 1,000 registered patients", ",.1f"
)
REGISTERED = specs.Measure("registered_patients", "Registered patients", ",")
NO_COVERAGE = (
    "No registered-patient figures in this build (no practice coverage file among its raw "
    "files, or none covering every ICB of a region), so appointments per 1,000 patients are "
    "not charted."
)

# Each entry is one chart by region and one by ICB; to chart another column of the
# utilisation marts by area, select it in analyses/report/report_by_region.sql and
# report_by_icb.sql and add its AreaMeasure here.
AREA_MEASURES = (
    AreaMeasure("per-working-day", PER_WORKING_DAY, (TOTAL, NATIONAL_SHARE)),
    AreaMeasure("per-1000-patients", PER_1000_PATIENTS, (TOTAL, REGISTERED), NO_COVERAGE),
)


def latest_extremes(rows: Sequence[Row], name: str, value: str) -> tuple[str, Row, Row]:
    """The latest month and, in it, the rows with the highest and the lowest value."""
    latest = max(row["appointment_month"] for row in rows)
    in_latest = sorted(
        (row for row in rows if row["appointment_month"] == latest),
        key=lambda row: (-row[value], row[name]),
    )
    return month_label(latest), in_latest[0], in_latest[-1]


def valued(rows: Sequence[Row], field: str) -> list[Row]:
    """The rows with a value of field: the months a chart spans (per-patient figures exist only
    for the months the coverage files cover)."""
    return [row for row in rows if row[field] is not None]


def region_chart(analyses: queries.Analyses, area: AreaMeasure) -> Chart | None:
    """One line per region; None when the build has no values of the measure."""
    measure = area.measure
    rows = valued(analyses.rows(queries.BY_REGION), measure.field)
    if not rows:
        return None
    month, top, bottom = latest_extremes(rows, "region_name", measure.field)
    reading = (
        f"In {month} {top['region_name']} had the most {measure.title.lower()} "
        f"({format(top[measure.field], measure.format)}) and {bottom['region_name']} the "
        f"fewest ({format(bottom[measure.field], measure.format)})."
    )
    chart_id = f"regions-{area.chart_id}"
    spec = specs.monthly_lines(
        chart_id,
        rows,
        measure,
        "region_name",
        "NHS region",
        sorted(in_order(rows, "region_name")),
        details=area.details,
    )
    title = f"{measure.title} by NHS region"
    return Chart(chart_id, title, reading, spec, queries.BY_REGION)


def icb_chart(analyses: queries.Analyses, area: AreaMeasure) -> Chart | None:
    """One line per ICB of the region picked; None when the build has no values of it."""
    measure = area.measure
    rows = valued(analyses.rows(queries.BY_ICB), measure.field)
    if not rows:
        return None
    month, top, bottom = latest_extremes(rows, "icb_name", measure.field)
    reading = (
        f"Of {len(in_order(rows, 'icb_name'))} ICBs, in {month} {top['icb_name']} "
        f"({top['area']}) had the most {measure.title.lower()} "
        f"({format(top[measure.field], measure.format)}) and {bottom['icb_name']} "
        f"({bottom['area']}) the fewest ({format(bottom[measure.field], measure.format)})."
    )
    chart_id = f"icbs-{area.chart_id}"
    spec = specs.monthly_lines(
        chart_id,
        rows,
        measure,
        "icb_name",
        "Integrated Care Board",
        sorted(in_order(rows, "icb_name")),
        details=area.details,
        areas=sorted(in_order(rows, "area")),
    )
    title = f"{measure.title} by Integrated Care Board, one region at a time"
    return Chart(chart_id, title, reading, spec, queries.BY_ICB)


def dna_rate_chart(
    analyses: queries.Analyses,
    analysis: str,
    dimension: str,
    dimension_title: str,
    chart_id: str,
    title: str,
    describe: Callable[[str], str],
) -> Chart:
    """DNA rate (missed / all appointments) per month, one line per value of dimension, for
    England or one region at a time."""
    rows = analyses.rows(analysis)
    england = [row for row in rows if row["area"] == ENGLAND]
    names = in_order(england, dimension)
    dna = read.sums(england, [dimension], "dna_appointments")
    total = read.sums(england, [dimension], "total_appointments")
    # "Unknown" is a recording gap, not a mode or a lead time worth naming as an extreme.
    known = [name for name in names if not name.startswith("Unknown")] or names
    rates = [dna[name] / total[name] for name in known]
    highest = read.peak(known, rates)
    lowest = read.trough(known, rates)
    reading = (
        f"In England over the whole period {describe(highest.category)} were missed most often "
        f"({fmt.percent(highest.value)} did not attend) and {describe(lowest.category)} least "
        f"often ({fmt.percent(lowest.value)})"
        + ("; Unknown left out." if len(known) < len(names) else ".")
    )
    areas = england_then_regions(rows)
    spec = specs.monthly_lines(
        chart_id,
        rows,
        DNA_RATE,
        dimension,
        dimension_title,
        names,
        details=DNA_COUNTS,
        areas=areas,
    )
    return Chart(chart_id, title, reading, spec, analysis)


def dna_by_mode_chart(analyses: queries.Analyses) -> Chart:
    return dna_rate_chart(
        analyses,
        queries.DNA_BY_MODE,
        "appointment_mode",
        "Appointment mode",
        "dna-by-mode",
        "DNA rate by appointment mode",
        lambda mode: f"{mode} appointments",
    )


def dna_by_lead_time_chart(analyses: queries.Analyses) -> Chart:
    return dna_rate_chart(
        analyses,
        queries.DNA_BY_LEAD_TIME,
        "booking_lead_time_band",
        "Booked ahead",
        "dna-by-lead-time",
        "DNA rate by time between booking and appointment",
        lambda band: (
            f"appointments booked {band.lower()} ahead"
            if band[0].isdigit() or band.startswith("More")
            else f"{band.lower()} bookings"
        ),
    )


def hcp_chart(analyses: queries.Analyses) -> Chart:
    rows = analyses.rows(queries.HCP_TYPES)
    months = in_order(rows, "appointment_month")
    shares = read.shares(read.sums(rows, ["appointment_month", "hcp_type"], "appointments"))
    names = sorted(in_order(rows, "hcp_type"))
    focus = "GP" if "GP" in names else names[0]
    start, end = read.first_and_last(
        [month_label(month) for month in months],
        [shares.get((month, focus)) for month in months],
    )
    reading = (
        f"{focus} appointments were {fmt.percent(start.value)} of all appointments in "
        f"{start.category} and {fmt.percent(end.value)} in {end.category}; the share "
        f"{read.direction(round(start.value, 3), round(end.value, 3))}."
    )
    spec = specs.monthly_lines(
        "hcp-types",
        rows,
        specs.Measure("appointments", "Appointments per month", ","),
        "hcp_type",
        "Healthcare professional",
        names,
    )
    return Chart(
        "hcp-types",
        "Appointments by healthcare professional type",
        reading,
        spec,
        queries.HCP_TYPES,
    )
