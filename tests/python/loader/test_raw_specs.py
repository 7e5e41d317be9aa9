"""The raw-file specs compare labels the way staging will clean them."""

from __future__ import annotations

from scripts.loader.raw_specs import APPOINTMENTS_REGIONAL
from scripts.loader.value_rules import Category


def test_a_category_list_may_quote_the_publishers_spelling() -> None:
    category = Category(("15  to 21 Days", " Unknown / Data Quality\t"))
    assert category.values == ("15 to 21 Days", "Unknown / Data Quality")
    (rule,) = category.rules()
    assert "'15 to 21 Days'" in rule.sql
    assert "  to" not in rule.expected


def test_the_lead_time_column_lists_the_cleaned_labels() -> None:
    column = next(
        column
        for column in APPOINTMENTS_REGIONAL.columns
        if column.name == "time_between_book_and_appointment"
    )
    assert "15 to 21 Days" in column.check.values
    assert not any("  " in value for value in column.check.values)
