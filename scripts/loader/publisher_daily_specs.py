"""The publisher's daily files per sub-ICB location (layouts of later publications).

Three layouts of "Appointments in General Practice" that have no real bytes here, written as
documented in ../shared/data/nhs/official/SOURCES.md and recognised by their header:

* ``publisher_daily``: ``SUB_ICB_LOCATION_CSV_<Mon>_<YY>.csv`` (in
  ``Appointments_GP_Daily_CSV_<Mon>_<YY>.zip``), the regional measures per sub-ICB location and
  day; the warehouse sums them to ICB and month beside the Regional_CSV files.
* ``publisher_national_categories``: ``National_Categories_CSV_<year>.csv`` (some years split
  into ``_north_regions`` / ``_south_regions``), lower-case header, beside the course's
  national_categories.xlsx.
* ``publisher_actual_duration``: ``Actual_Duration_CSV_<Mon>_<YY>.csv``, beside the course's
  actual_duration.csv. Its columns are the course file's in upper case, so this layout is
  recognised case-sensitively: a lower-case header is the course's file.

Days are written ``01MAR2026``. Within one publication (a zip archive's files, or one file on
its own) an ICB and day come from one file only (value_checks).
"""

from __future__ import annotations

from scripts.loader.publisher_specs import (
    REGION_CODE,
    SUB_ICB_CODE,
    SUB_ICB_ONS_CODE,
    DayText,
    KnownAreaCode,
    published_labels,
)
from scripts.loader.raw_specs import Column, Layout, SourceSpec
from scripts.loader.value_rules import Category, Count, Text
from scripts.loader.vocabulary import (
    APPOINTMENT_MODES,
    APPOINTMENT_STATUSES,
    CONTEXT_TYPES,
    DURATION_BANDS,
    HCP_TYPES,
    LEAD_TIMES,
    NATIONAL_CATEGORIES,
    SERVICE_SETTINGS,
)

# The columns every daily layout opens with: where and when.
_LOCATION_AND_DAY = (
    Column("sub_icb_location_code", SUB_ICB_CODE),
    Column("sub_icb_location_ons_code", SUB_ICB_ONS_CODE),
    Column("sub_icb_location_name", Text(required=True)),
    Column("icb_ons_code", KnownAreaCode()),
    Column("region_ons_code", REGION_CODE),
    Column("appointment_date", DayText()),
)
_LOCATION_AND_DAY_HEADERS = (
    "SUB_ICB_LOCATION_CODE",
    "SUB_ICB_LOCATION_ONS_CODE",
    "SUB_ICB_LOCATION_NAME",
    "ICB_ONS_CODE",
    "REGION_ONS_CODE",
    "Appointment_Date",
)


def _daily_spec(
    name: str, file_glob: str, measures: tuple[Column, ...], key: tuple[str, ...], layout: Layout
) -> SourceSpec:
    return SourceSpec(
        name=name,
        file_glob=file_glob,
        columns=(*_LOCATION_AND_DAY, *measures, Column("count_of_appointments", Count())),
        natural_key=("sub_icb_location_code", "appointment_date", *key),
        period_column="appointment_date",
        publication_area="icb_ons_code",
        layouts=(layout,),
    )


PUBLISHER_DAILY = _daily_spec(
    "publisher_daily",
    "SUB_ICB_LOCATION_CSV_*.csv",
    (
        Column("appointment_status", Category(APPOINTMENT_STATUSES)),
        Column("hcp_type", Category(HCP_TYPES, case_insensitive=True)),
        Column("appointment_mode", Category(APPOINTMENT_MODES)),
        Column(
            "time_between_book_and_appointment",
            Category((*LEAD_TIMES, *published_labels("time_between_book_and_appointment"))),
        ),
    ),
    ("appointment_status", "hcp_type", "appointment_mode", "time_between_book_and_appointment"),
    Layout(
        "daily_sub_icb",
        "SUB_ICB_LOCATION_CSV_<Mon>_<YY>.csv: appointments per sub-ICB location and day",
        (
            *_LOCATION_AND_DAY_HEADERS,
            "APPT_STATUS",
            "HCP_TYPE",
            "APPT_MODE",
            "TIME_BETWEEN_BOOK_AND_APPT",
            "COUNT_OF_APPOINTMENTS",
        ),
    ),
)

PUBLISHER_NATIONAL_CATEGORIES = _daily_spec(
    "publisher_national_categories",
    "National_Categories_CSV_*.csv",
    (
        Column("service_setting", Category(SERVICE_SETTINGS)),
        Column("context_type", Category(CONTEXT_TYPES)),
        Column("national_category", Category(NATIONAL_CATEGORIES)),
    ),
    ("service_setting", "context_type", "national_category"),
    Layout(
        "national_categories",
        "National_Categories_CSV_<year>[_north_regions|_south_regions].csv: appointments per "
        "sub-ICB location, day, service setting, context type and national category",
        (
            *(name.lower() for name in _LOCATION_AND_DAY_HEADERS),
            "service_setting",
            "context_type",
            "national_category",
            "count_of_appointments",
        ),
    ),
)

PUBLISHER_ACTUAL_DURATION = _daily_spec(
    "publisher_actual_duration",
    "Actual_Duration_CSV_*.csv",
    (Column("actual_duration", Category(DURATION_BANDS)),),
    ("actual_duration",),
    Layout(
        "actual_duration",
        "Actual_Duration_CSV_<Mon>_<YY>.csv: appointments per sub-ICB location, day and actual "
        "duration band (upper-case header; in lower case it is the course's actual_duration.csv)",
        (*_LOCATION_AND_DAY_HEADERS, "ACTUAL_DURATION", "COUNT_OF_APPOINTMENTS"),
        case_sensitive=True,
    ),
)

DAILY_SOURCES = (PUBLISHER_DAILY, PUBLISHER_NATIONAL_CATEGORIES, PUBLISHER_ACTUAL_DURATION)
