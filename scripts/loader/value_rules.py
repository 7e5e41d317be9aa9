"""How one value of a raw file is checked: the rules of each kind of column, as DuckDB SQL.

Each rule is a DuckDB SQL predicate over one value (written with the placeholder ``{v}``) plus
the phrase used after "expected" in an error. The raw-file specs (raw_specs, publisher_specs)
give each column one of these checks.

Rules worth knowing:

* Counts are non-negative whole numbers written with digits only (no sign, no decimals, no
  blanks, no thousands separators).
* Category labels are compared the way staging normalises them (``normalise_label``: trimmed,
  runs of whitespace collapsed to one space), so the real ``15  to 21 Days`` passes; a category
  may also be case-insensitive. Values are landed as raw text; staging normalises them.
* Dates and months must be valid and fall between ``MIN_YEAR`` and ``MAX_YEAR``.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass

from scripts.loader.vocabulary import normalised_labels

MIN_YEAR = 2015
MAX_YEAR = 2030

NORMALISED = r"regexp_replace(trim({v}), '\s+', ' ', 'g')"


def sql_literal(text: str) -> str:
    """Quote text as a SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def bind(rule_sql: str, value_sql: str) -> str:
    """Put a value expression into a rule's ``{v}`` placeholder.

    Plain replacement rather than str.format, because rules hold regex braces like {3,5}.
    """
    return rule_sql.replace("{v}", value_sql)


@dataclass(frozen=True)
class Rule:
    """One condition on a value: a SQL predicate over ``{v}`` and what was expected instead."""

    sql: str
    expected: str


class Check:
    """How one column's values are validated; subclasses declare their rules."""

    def rules(self) -> tuple[Rule, ...]:
        """Rules checked in order; a value is reported against the first one it breaks."""
        return ()

    def key_sql(self, v: str) -> str:
        """SQL giving the value as it takes part in a natural key (how staging will see it)."""
        return v

    def month_sql(self, v: str) -> str:
        """SQL giving the YYYY-MM month of a valid value (only dated checks have one)."""
        raise TypeError(f"{type(self).__name__} values have no month")

    def publication_period(self, v: str) -> tuple[str, str]:
        """What one publication may deliver in one file only, per area: SQL giving it and its
        name. A month, unless the values are days (then each day)."""
        return self.month_sql(v), "month"


@dataclass(frozen=True)
class Count(Check):
    """A count of appointments, retweets, ...: a non-negative whole number."""

    def rules(self) -> tuple[Rule, ...]:
        # 15 digits keeps every accepted value far inside BIGINT, which staging casts to.
        return (Rule(r"regexp_full_match({v}, '[0-9]{1,15}')", "a non-negative whole number"),)


@dataclass(frozen=True)
class Category(Check):
    """A label from a closed list, compared after staging's whitespace normalisation (the
    listed labels are normalised the same way, so a list may quote the publisher's spelling)."""

    values: tuple[str, ...]
    case_insensitive: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", normalised_labels(self.values))

    def _normalised(self, v: str) -> str:
        sql = bind(NORMALISED, v)
        return f"lower({sql})" if self.case_insensitive else sql

    def rules(self) -> tuple[Rule, ...]:
        allowed = self.values
        if self.case_insensitive:
            allowed = tuple(value.lower() for value in allowed)
        in_list = ", ".join(sql_literal(value) for value in allowed)
        listed = ", ".join(repr(value) for value in self.values)
        how = " (any letter case)" if self.case_insensitive else ""
        return (Rule(f"{self._normalised('{v}')} IN ({in_list})", f"one of {listed}{how}"),)

    def key_sql(self, v: str) -> str:
        return self._normalised(v)


@dataclass(frozen=True)
class Pattern(Check):
    """Text matching a regular expression (after trimming, as staging trims codes)."""

    regex: str
    expected: str

    def rules(self) -> tuple[Rule, ...]:
        return (Rule(f"regexp_full_match(trim({{v}}), {sql_literal(self.regex)})", self.expected),)

    def key_sql(self, v: str) -> str:
        return f"trim({v})"


@dataclass(frozen=True)
class Text(Check):
    """Free text; optionally it must not be blank."""

    required: bool = False

    def rules(self) -> tuple[Rule, ...]:
        return (Rule("trim({v}) <> ''", "a non-blank value"),) if self.required else ()


def dated_rules(
    parsed: str, layout_regex: str, layout: str, low: str, high: str
) -> tuple[Rule, ...]:
    """Layout first (so '2021-13' reads as badly written), then the plausible year range."""
    return (
        Rule(
            f"regexp_full_match({{v}}, {sql_literal(layout_regex)}) AND {parsed} IS NOT NULL",
            layout,
        ),
        Rule(
            f"year({parsed}) BETWEEN {MIN_YEAR} AND {MAX_YEAR}", f"a date between {low} and {high}"
        ),
    )


@dataclass(frozen=True)
class Month(Check):
    """A calendar month written YYYY-MM."""

    def month_sql(self, v: str) -> str:
        return f"CASE WHEN try_strptime({v}, '%Y-%m') IS NOT NULL THEN {v} END"

    def rules(self) -> tuple[Rule, ...]:
        return dated_rules(
            "try_strptime({v}, '%Y-%m')",
            "[0-9]{4}-[0-9]{2}",
            "a valid month written YYYY-MM (e.g. 2021-08)",
            f"{MIN_YEAR}-01",
            f"{MAX_YEAR}-12",
        )


@dataclass(frozen=True)
class DayMonYear(Check):
    """A date written like 01-Dec-21, as in actual_duration.csv."""

    def month_sql(self, v: str) -> str:
        return f"strftime(try_strptime({v}, '%d-%b-%y'), '%Y-%m')"

    def rules(self) -> tuple[Rule, ...]:
        return dated_rules(
            "try_strptime({v}, '%d-%b-%y')",
            "[0-9]{2}-[A-Za-z]{3}-[0-9]{2}",
            "a valid date written DD-Mon-YY (e.g. 01-Dec-21)",
            f"01-Jan-{MIN_YEAR % 100:02d}",
            f"31-Dec-{MAX_YEAR % 100:02d}",
        )


@dataclass(frozen=True)
class ExcelDate(Check):
    """A workbook date cell, landed as ISO YYYY-MM-DD.

    Only the workbook converter sees cell types, so it applies this check while converting
    (``cell_problem``); there is no SQL rule. A date-time cell counts as a date only at
    midnight, because appointment dates have no time of day.
    """

    def cell_problem(self, value: object) -> str | None:
        """What was expected instead of this cell value, or None when it is a good date."""
        if isinstance(value, dt.datetime):
            if value.time() != dt.time(0, 0):
                return "an Excel date cell without a time of day"
            value = value.date()
        if type(value) is not dt.date:
            return "an Excel date cell"
        if not MIN_YEAR <= value.year <= MAX_YEAR:
            return f"a date between {MIN_YEAR}-01-01 and {MAX_YEAR}-12-31"
        return None


def python_dict_literal_ok(text: str | None) -> bool:
    """Whether text is a Python literal dict, the way tweet_entities is written (not JSON)."""
    try:
        return isinstance(ast.literal_eval(text or ""), dict)
    except (ValueError, SyntaxError, MemoryError, RecursionError, TypeError):
        return False


# Registered on each DuckDB connection (name: function, argument types, result type).
SQL_FUNCTIONS = {"python_dict_literal_ok": (python_dict_literal_ok, ["VARCHAR"], "BOOLEAN")}


@dataclass(frozen=True)
class PythonDict(Check):
    """A Python-literal dict such as ``{'hashtags': [...]}`` (single quotes, True/False)."""

    def rules(self) -> tuple[Rule, ...]:
        return (Rule("python_dict_literal_ok({v})", "a Python dict literal like {'key': 'value'}"),)
