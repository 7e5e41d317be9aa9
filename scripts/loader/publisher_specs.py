"""The publisher's own files ("Appointments in General Practice" as NHS Digital publishes them).

Beside the course's four cleaned files, the loader reads the publication's files in their own
layouts, recognised by their header (``Layout``), not by their name:

* ``publisher_regional``: ``Regional_CSV_<area>.csv``, one row per sub-ICB location (a CCG
  before July 2022) x month x status x HCP type x mode x booking lead time, in the CCG-era
  layout (``CCG_CODE, ..., STP_ONS, ...``) or the sub-ICB-era one (``SUB_ICB_LOCATION_CODE, ...,
  ICB_ONS_CODE, ...``), months written ``MAR2019``.
* ``practice_coverage``: ``APPOINTMENTS_GP_COVERAGE*.csv``, practices and registered patients
  per sub-ICB location and month, months written ``01AUG2020``.

Both land with the warehouse's column names (``Layout.headers`` maps them); values stay raw
text, staging maps the publisher's vocabulary (seeds ``icb_code_changes``: STP codes re-coded
at the ICB launch; ``published_label_changes``: labels later publications renamed). The area
codes a file may hold are the current ICBs and the re-coded STPs of those two seeds, so an
unknown area is refused here with its file, line and column.

Each file belongs to a publication, the latest month it holds; two files of one publication
may not cover the same area and month (see value_checks).
"""

from __future__ import annotations

import csv
from functools import cache

from scripts.loader.raw_specs import Column, Layout, SourceSpec
from scripts.loader.value_rules import (
    MAX_YEAR,
    MIN_YEAR,
    Category,
    Check,
    Count,
    Pattern,
    Rule,
    Text,
    bind,
    dated_rules,
    sql_literal,
)
from scripts.loader.vocabulary import (
    APPOINTMENT_MODES,
    APPOINTMENT_STATUSES,
    HCP_TYPES,
    LEAD_TIMES,
)
from scripts.paths import REPO_ROOT

SEEDS_DIR = REPO_ROOT / "seeds"


def _seed_rows(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def known_area_codes() -> tuple[str, ...]:
    """The current ICB codes and the STP codes that were re-coded to one of them."""
    current = {row["icb_ons_code"] for row in _seed_rows("integrated_care_boards")}
    recoded = {row["published_area_code"] for row in _seed_rows("icb_code_changes")}
    return tuple(sorted(current | recoded))


@cache
def published_labels(column_name: str) -> tuple[str, ...]:
    """Labels the publisher used that later publications (and the warehouse) renamed."""
    return tuple(
        row["published_label"]
        for row in _seed_rows("published_label_changes")
        if row["column_name"] == column_name
    )


class KnownAreaCode(Check):
    """An ICB (or earlier STP) ONS code the warehouse knows (seeds integrated_care_boards and
    icb_code_changes)."""

    def rules(self) -> tuple[Rule, ...]:
        listed = ", ".join(sql_literal(code) for code in known_area_codes())
        return (
            Rule(
                r"regexp_full_match(trim({v}), 'E54[0-9]{6}')",
                "an ICB or STP ONS code like E54000034",
            ),
            Rule(
                f"trim({{v}}) IN ({listed})",
                "a known ICB or STP code (seeds integrated_care_boards, icb_code_changes)",
            ),
        )

    def key_sql(self, v: str) -> str:
        return f"trim({v})"


class MonthYearText(Check):
    """A month written like MAR2019, as in the publisher's regional files."""

    def month_sql(self, v: str) -> str:
        return f"strftime(try_strptime(trim({v}), '%b%Y'), '%Y-%m')"

    def rules(self) -> tuple[Rule, ...]:
        return dated_rules(
            "try_strptime(trim({v}), '%b%Y')",
            r"\s*[A-Za-z]{3}[0-9]{4}\s*",
            "a valid month written MONYYYY (e.g. MAR2019)",
            f"JAN{MIN_YEAR}",
            f"DEC{MAX_YEAR}",
        )


class DayText(Check):
    """A day written like 01MAR2026, as in the publisher's daily files."""

    _parsed = "try_strptime(trim({v}), '%d%b%Y')"

    def month_sql(self, v: str) -> str:
        return f"strftime({bind(self._parsed, v)}, '%Y-%m')"

    def publication_period(self, v: str) -> tuple[str, str]:
        return f"strftime({bind(self._parsed, v)}, '%Y-%m-%d')", "day"

    def rules(self) -> tuple[Rule, ...]:
        return dated_rules(
            self._parsed,
            r"\s*[0-9]{2}[A-Za-z]{3}[0-9]{4}\s*",
            "a valid date written DDMONYYYY (e.g. 01MAR2026)",
            f"01JAN{MIN_YEAR}",
            f"31DEC{MAX_YEAR}",
        )


class FirstOfMonthText(DayText):
    """A month written as its first day like 01AUG2020, as in the coverage files."""

    def publication_period(self, v: str) -> tuple[str, str]:
        return self.month_sql(v), "month"

    def rules(self) -> tuple[Rule, ...]:
        return (
            *super().rules(),
            Rule(f"day({self._parsed}) = 1", "the first day of a month"),
        )


SUB_ICB_CODE = Pattern(r"[0-9A-Z]{3,5}", "a sub-ICB location (or CCG) code like 00L or 11J")
SUB_ICB_ONS_CODE = Pattern(r"E38[0-9]{6}", "a sub-ICB location (or CCG) ONS code like E38000045")
REGION_CODE = Pattern(r"E40[0-9]{6}", "a region ONS code like E40000006")

PUBLISHER_REGIONAL = SourceSpec(
    name="publisher_regional",
    file_glob="Regional_CSV_*.csv",
    columns=(
        Column("sub_icb_location_code", SUB_ICB_CODE),
        Column("sub_icb_location_ons_code", SUB_ICB_ONS_CODE),
        Column("sub_icb_location_name", Text(required=True)),
        Column("area_ons_code", KnownAreaCode()),
        Column("area_name", Text()),
        Column("region_ons_code", REGION_CODE),
        Column("region_name", Text()),
        Column("appointment_month", MonthYearText()),
        Column("appointment_status", Category(APPOINTMENT_STATUSES)),
        Column("hcp_type", Category(HCP_TYPES, case_insensitive=True)),
        Column("appointment_mode", Category(APPOINTMENT_MODES)),
        Column(
            "time_between_book_and_appointment",
            Category((*LEAD_TIMES, *published_labels("time_between_book_and_appointment"))),
        ),
        Column("count_of_appointments", Count()),
    ),
    period_column="appointment_month",
    publication_area="area_ons_code",
    layouts=(
        Layout(
            "regional_ccg",
            "Regional_CSV_<area>.csv up to June 2022: CCG rows of one STP",
            (
                "CCG_CODE",
                "CCG_ONS_CODE",
                "CCG_NAME",
                "STP_ONS",
                "STPNM",
                "REGION_ONS_CODE",
                "REGION_NAME",
                "Appointment_Month",
                "APPT_STATUS",
                "HCP_TYPE",
                "APPT_MODE",
                "TIME_BETWEEN_BOOK_AND_APPT",
                "COUNT_OF_APPOINTMENTS",
            ),
        ),
        Layout(
            "regional_sub_icb",
            "Regional_CSV_<area>.csv from July 2022: sub-ICB location rows of one ICB",
            (
                "SUB_ICB_LOCATION_CODE",
                "SUB_ICB_LOCATION_ONS_CODE",
                "SUB_ICB_LOCATION_NAME",
                "ICB_ONS_CODE",
                "ICB_NAME",
                "REGION_ONS_CODE",
                "REGION_NAME",
                "APPOINTMENT_MONTH",
                "APPT_STATUS",
                "HCP_TYPE",
                "APPT_MODE",
                "TIME_BETWEEN_BOOK_AND_APPT",
                "COUNT_OF_APPOINTMENTS",
            ),
        ),
    ),
)

PRACTICE_COVERAGE = SourceSpec(
    name="practice_coverage",
    file_glob="APPOINTMENTS_GP_COVERAGE*.csv",
    columns=(
        Column("sub_icb_location_code", SUB_ICB_CODE),
        Column("icb_ons_code", KnownAreaCode()),
        Column("region_ons_code", REGION_CODE),
        Column("appointment_month", FirstOfMonthText()),
        Column("included_practices", Count()),
        Column("open_practices", Count()),
        Column("patients_at_included_practices", Count()),
        Column("patients_at_open_practices", Count()),
    ),
    natural_key=("sub_icb_location_code", "appointment_month"),
    period_column="appointment_month",
    publication_area="sub_icb_location_code",
    layouts=(
        Layout(
            "coverage",
            "APPOINTMENTS_GP_COVERAGE*.csv: practices and registered patients per sub-ICB "
            "location and month",
            (
                "SUB_ICB_LOCATION_CODE",
                "ICB_ONS_CODE",
                "REGION_CODE",
                "Appointment_Month",
                "Included Practices",
                "Open Practices",
                "Patients registered at included practices",
                "Patients registered at open practices",
            ),
        ),
    ),
)

# The monthly layouts; the daily ones are in publisher_daily_specs.
MONTHLY_SOURCES: tuple[SourceSpec, ...] = (PUBLISHER_REGIONAL, PRACTICE_COVERAGE)
