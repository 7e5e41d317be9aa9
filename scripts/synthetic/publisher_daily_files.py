"""Write SYNTHETIC files in the publisher's daily layouts (no real bytes of them here).

Called by ``publisher_files`` (``--layouts daily``). One publication's archives, as NHS Digital
packages them (layouts in ../shared/data/nhs/official/SOURCES.md and
scripts/loader/publisher_daily_specs.py):

* ``Appointments_GP_Daily_CSV_<Mon>_<YY>.zip``: one ``SUB_ICB_LOCATION_CSV_<Mon>_<YY>.csv`` per
  month covered (appointments per sub-ICB location, day, status, HCP type, mode and booking
  lead time) and one ``Actual_Duration_CSV_<Mon>_<YY>.csv`` per month (per sub-ICB location,
  day and actual-duration band); days written like ``01MAR2026``;
* ``Appointments_GP_National_Categories_CSV_<Mon>_<YY>.zip``: ``National_Categories_CSV_<year>.csv``
  per year covered, the publication's own year split into ``_north_regions`` (North West,
  Midlands, North East and Yorkshire) and ``_south_regions`` (the rest), lower-case header.

Every count is invented (deterministic for a seed); each archive's comment says SYNTHETIC.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from pathlib import Path

import numpy as np

from scripts.loader.publisher_daily_specs import (
    PUBLISHER_ACTUAL_DURATION,
    PUBLISHER_DAILY,
    PUBLISHER_NATIONAL_CATEGORIES,
)
from scripts.loader.vocabulary import (
    APPOINTMENT_MODES,
    APPOINTMENT_STATUSES,
    CARE_RELATED_CATEGORIES,
    DURATION_BANDS,
    HCP_TYPES,
    LEAD_TIMES,
    SERVICE_SETTINGS,
)
from scripts.synthetic.archives import write_archive

NORTH_REGIONS = frozenset({"E40000010", "E40000011", "E40000012"})
REGIONAL_CELLS = tuple(
    itertools.product(APPOINTMENT_STATUSES, HCP_TYPES, APPOINTMENT_MODES, LEAD_TIMES)
)
DURATION_CELLS = tuple((band,) for band in DURATION_BANDS)
# Every setting with each care-related category, and with the two contexts that are their own
# category.
CATEGORY_CELLS = tuple(
    (setting, context, category)
    for setting in SERVICE_SETTINGS
    for context, category in (
        *(("Care Related Encounter", category) for category in CARE_RELATED_CATEGORIES),
        ("Inconsistent Mapping", "Inconsistent Mapping"),
        ("Unmapped", "Unmapped"),
    )
)


def _days(month: dt.date) -> list[dt.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return [month.replace(day=day) for day in range(1, last + 1)]


def _where(location: dict[str, str]) -> list[str]:
    return [
        location["sub_icb_location_code"],
        location["sub_icb_location_ons_code"],
        location["sub_icb_location_name"],
        location["icb_ons_code"],
        location["region_ons_code"],
    ]


def _sparse_rows(
    header: tuple[str, ...],
    locations: list[dict[str, str]],
    days: list[dt.date],
    cells: tuple[tuple[str, ...], ...],
    share: float,
    rng: np.random.Generator,
) -> list[list[str]]:
    """The header, then a row for about ``share`` of the location x day x cell combinations,
    each with a count of 1 to 80; days written like 01MAR2026."""
    rows = [list(header)]
    for location, day in itertools.product(locations, days):
        kept = rng.random(len(cells)) < share
        counts = rng.integers(1, 81, len(cells))
        day_text = day.strftime("%d%b%Y").upper()
        rows.extend(
            [*_where(location), day_text, *cell, str(int(count))]
            for cell, keep, count in zip(cells, kept, counts, strict=True)
            if keep
        )
    return rows


def _national_category_members(
    publication: dt.date, months: list[dt.date], locations: list[dict[str, str]], rng
) -> dict[str, list[list[str]]]:
    """One file per year; the publication's own year split into north and south regions."""
    header = PUBLISHER_NATIONAL_CATEGORIES.layouts[0].headers
    members = {}
    for year in sorted({month.year for month in months}):
        days = [day for month in months if month.year == year for day in _days(month)]
        if year != publication.year:
            parts = {"": locations}
        else:
            north = [row for row in locations if row["region_ons_code"] in NORTH_REGIONS]
            south = [row for row in locations if row["region_ons_code"] not in NORTH_REGIONS]
            parts = {"_north_regions": north, "_south_regions": south}
        for suffix, part in parts.items():
            if part:
                rows = _sparse_rows(header, part, days, CATEGORY_CELLS, 0.1, rng)
                members[f"National_Categories_CSV_{year}{suffix}.csv"] = rows
    return members


def write_daily_archives(
    out: Path,
    publication: dt.date,
    months: list[dt.date],
    locations: list[dict[str, str]],
    rng: np.random.Generator,
    label: str,
) -> list[Path]:
    """Write one publication's daily and national-category archives; return them."""
    daily: dict[str, list[list[str]]] = {}
    for month in months:
        tag = month.strftime("%b_%y")
        daily[f"SUB_ICB_LOCATION_CSV_{tag}.csv"] = _sparse_rows(
            PUBLISHER_DAILY.layouts[0].headers, locations, _days(month), REGIONAL_CELLS, 0.15, rng
        )
        daily[f"Actual_Duration_CSV_{tag}.csv"] = _sparse_rows(
            PUBLISHER_ACTUAL_DURATION.layouts[0].headers,
            locations,
            _days(month),
            DURATION_CELLS,
            0.7,
            rng,
        )
    tag = publication.strftime("%b_%y")
    return [
        write_archive(out / f"Appointments_GP_Daily_CSV_{tag}.zip", publication, label, daily),
        write_archive(
            out / f"Appointments_GP_National_Categories_CSV_{tag}.zip",
            publication,
            label,
            _national_category_members(publication, months, locations, rng),
        ),
    ]
