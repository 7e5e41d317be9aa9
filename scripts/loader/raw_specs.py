"""Declarative description of the four raw NHS files: columns, value rules, keys and periods.

This module is the single place where the shape of the raw data is defined (the category labels
are spelled once, as published, in nhs_vocabulary). The CSV reader, the workbook converter, the
value checks and the synthetic data generator all read these specs; none of them hard-codes a
column name, a category label or a range. How each kind of value is checked (counts, labels,
dates) is in ``value_rules``; here each column is given its check.

Rules worth knowing:

* ``hcp_type`` is compared case-insensitively (the publisher writes ``Other Practice staff``,
  the metadata ``Other Practice Staff``).
* appointments_regional has no unique key: the publisher dropped the sub-ICB column, so one
  (ICB, month, status, HCP type, mode, lead time) combination legitimately appears in several
  rows, even with equal counts. Those rows are all kept and summed downstream.
* The other sources have a natural key that must be unique. A row that repeats an earlier row
  of the same file exactly (every column equal) is quarantined (see ``load_raw``); a repeated
  key with any other difference stops the load.
* Each month of a source may come from one raw file only (tweets: each tweet_id).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scripts.loader.value_rules import (
    NORMALISED,
    Category,
    Check,
    Count,
    DayMonYear,
    ExcelDate,
    Month,
    Pattern,
    PythonDict,
    Text,
    bind,
)
from scripts.loader.vocabulary import (
    APPOINTMENT_MODES,
    APPOINTMENT_STATUSES,
    CONTEXT_TYPES,
    DURATION_BANDS,
    HCP_TYPES,
    LEAD_TIMES,
    SERVICE_SETTINGS,
)
from scripts.loader.vocabulary import NATIONAL_CATEGORIES as NATIONAL_CATEGORY_LABELS


@dataclass(frozen=True)
class Column:
    """One required column of a raw file."""

    name: str
    check: Check


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row, reported against ``column``.

    ``valid_sql`` is a predicate over the columns named in ``uses``; ``expected_sql`` a SQL
    expression giving the expectation text for a row that breaks it.
    """

    column: str
    uses: tuple[str, ...]
    valid_sql: str
    expected_sql: str


@dataclass(frozen=True)
class Layout:
    """One published layout of a source: the file's header name of each of the spec's columns
    (in the spec's column order). A file is recognised as this layout by its header."""

    name: str
    description: str
    headers: tuple[str, ...]
    # Header names are compared ignoring letter case, unless the layout's names are the
    # course file's in other letters (then only the publisher's spelling is this layout).
    case_sensitive: bool = False


@dataclass(frozen=True)
class SourceSpec:
    """One raw source: which files make it up and what their rows must look like.

    A publisher's source (``layouts`` given) is optional and recognised by its header; each of
    its files belongs to a publication, the latest month it holds, and one publication may
    cover an area (``publication_area``) and month in one file only.
    """

    name: str
    file_glob: str
    columns: tuple[Column, ...]
    natural_key: tuple[str, ...] = ()
    period_column: str | None = None
    row_rules: tuple[RowRule, ...] = field(default_factory=tuple)
    layouts: tuple[Layout, ...] = ()
    publication_area: str | None = None

    @property
    def required(self) -> bool:
        """The course's sources must each have a file; a publisher's sources are optional."""
        return not self.layouts

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def landed_file(self) -> str:
        return f"{self.name}.csv"

    @property
    def is_workbook(self) -> bool:
        return self.file_glob.endswith(".xlsx")

    def check_of(self, column_name: str) -> Check:
        return next(column.check for column in self.columns if column.name == column_name)

    def period_sql(self) -> str | None:
        """SQL giving the month a row belongs to, which only one raw file may deliver."""
        if self.period_column is None:
            return None
        return self.check_of(self.period_column).month_sql(f'"{self.period_column}"')


ICB_CODE = Pattern(r"E54[0-9]{6}", "an ICB ONS code like E54000034")
SUB_ICB_NAME = Pattern(
    r".+ - [0-9A-Z]{3,5}",
    "a sub-ICB location name ending in ' - <code>'"
    " (e.g. NHS North East and North Cumbria ICB - 00L)",
)

APPOINTMENTS_REGIONAL = SourceSpec(
    name="appointments_regional",
    file_glob="appointments_regional*.csv",
    columns=(
        Column("icb_ons_code", ICB_CODE),
        Column("appointment_month", Month()),
        Column("appointment_status", Category(APPOINTMENT_STATUSES)),
        Column("hcp_type", Category(HCP_TYPES, case_insensitive=True)),
        Column("appointment_mode", Category(APPOINTMENT_MODES)),
        Column("time_between_book_and_appointment", Category(LEAD_TIMES)),
        Column("count_of_appointments", Count()),
    ),
    period_column="appointment_month",
)

ACTUAL_DURATION = SourceSpec(
    name="actual_duration",
    file_glob="actual_duration*.csv",
    columns=(
        Column(
            "sub_icb_location_code",
            Pattern(r"[0-9A-Z]{3,5}", "a sub-ICB location code like 00L or X2C4Y"),
        ),
        Column(
            "sub_icb_location_ons_code",
            Pattern(r"E38[0-9]{6}", "a sub-ICB location ONS code like E38000130"),
        ),
        Column("sub_icb_location_name", SUB_ICB_NAME),
        Column("icb_ons_code", ICB_CODE),
        Column("region_ons_code", Pattern(r"E40[0-9]{6}", "a region ONS code like E40000012")),
        Column("appointment_date", DayMonYear()),
        Column("actual_duration", Category(DURATION_BANDS)),
        Column("count_of_appointments", Count()),
    ),
    natural_key=("sub_icb_location_code", "appointment_date", "actual_duration"),
    period_column="appointment_date",
    row_rules=(
        RowRule(
            column="sub_icb_location_name",
            uses=("sub_icb_location_code", "sub_icb_location_name"),
            valid_sql=(
                "NOT regexp_full_match(trim(sub_icb_location_code), '[0-9A-Z]{3,5}')"
                f" OR ends_with({bind(NORMALISED, 'sub_icb_location_name')},"
                " ' - ' || trim(sub_icb_location_code))"
            ),
            expected_sql=(
                "'a name ending in '' - ' || trim(sub_icb_location_code)"
                " || ''' (its sub_icb_location_code)'"
            ),
        ),
    ),
)

NATIONAL_CATEGORIES = SourceSpec(
    name="national_categories",
    file_glob="national_categories*.xlsx",
    columns=(
        Column("appointment_date", ExcelDate()),
        Column("icb_ons_code", ICB_CODE),
        Column("sub_icb_location_name", SUB_ICB_NAME),
        Column("service_setting", Category(SERVICE_SETTINGS)),
        Column("context_type", Category(CONTEXT_TYPES)),
        Column("national_category", Category(NATIONAL_CATEGORY_LABELS)),
        Column("count_of_appointments", Count()),
        Column("appointment_month", Month()),
    ),
    natural_key=(
        "appointment_date",
        "sub_icb_location_name",
        "service_setting",
        "context_type",
        "national_category",
    ),
    period_column="appointment_month",
    row_rules=(
        RowRule(
            column="appointment_month",
            uses=("appointment_date", "appointment_month"),
            valid_sql=(
                "try_strptime(appointment_date, '%Y-%m-%d') IS NULL"
                " OR try_strptime(appointment_month, '%Y-%m') IS NULL"
                " OR left(appointment_date, 7) = appointment_month"
            ),
            expected_sql="left(appointment_date, 7) || ', the month of appointment_date '"
            " || appointment_date",
        ),
    ),
)

TWEETS = SourceSpec(
    name="tweets",
    file_glob="tweets*.csv",
    columns=(
        Column("tweet_id", Pattern(r"[0-9]{1,19}", "a numeric tweet id")),
        Column("tweet_full_text", Text(required=True)),
        Column("tweet_entities", PythonDict()),
        Column("tweet_entities_hashtags", Text()),
        Column("tweet_metadata", PythonDict()),
        Column("tweet_retweet_count", Count()),
        Column("tweet_favorite_count", Count()),
        Column("tweet_favorited", Category(("True", "False"))),
        Column("tweet_retweeted", Category(("True", "False"))),
        Column("tweet_lang", Pattern(r"[a-z]{2,3}(-[A-Za-z]{2,4})?", "a language code like en")),
    ),
    natural_key=("tweet_id",),
)

SOURCES: tuple[SourceSpec, ...] = (
    APPOINTMENTS_REGIONAL,
    ACTUAL_DURATION,
    NATIONAL_CATEGORIES,
    TWEETS,
)
