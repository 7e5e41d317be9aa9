"""The queries behind the report's charts, and the one way they are run.

Each chart's dataset is one dbt analysis, analyses/report/report_<name>.sql (analysis names are
project-wide, hence the prefix), written with ref() and compiled by the build for its warehouse
(scripts.warehouse_sql), so no Python here names a relation. Rows come back as JSON-ready dicts:
months as ISO dates, counts as ints, rates as floats. The analyses by area give England as well
as each region (grouping sets), so a chart's area selector needs no arithmetic in the browser.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from scripts.warehouse_sql import compiled_analysis

# The English total's rows in the by-area datasets, beside those of each NHS region.
ENGLAND = "England"
# What analyses/report/report_category_mix.sql calls the national categories beyond the 8 largest.
OTHER_CATEGORIES = "Other categories"

Row = dict[str, Any]

# The analyses under analyses/report/ (report_<name>.sql), by the chart data they give.
UTILISATION = "utilisation"
BY_REGION = "by_region"
BY_ICB = "by_icb"
DNA_BY_MODE = "dna_by_mode"
DNA_BY_LEAD_TIME = "dna_by_lead_time"
DURATION = "duration"
CATEGORY_MIX = "category_mix"
SETTING_MIX = "setting_mix"
HCP_TYPES = "hcp_types"
HASHTAGS = "hashtags"
SOURCES = "sources"


def json_ready(value: Any) -> Any:
    """A DuckDB value as JSON can carry it: dates as ISO strings, decimals as floats, and no
    number (NaN, infinity: a ratio over nothing) as null, which the charts leave out."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        value = float(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def analysis_path(name: str) -> str:
    """Where the analysis of that name sits under analyses/, without .sql."""
    return f"report/report_{name}"


@dataclass(frozen=True)
class Analyses:
    """The report's analyses as compiled for one warehouse, run on its open connection."""

    connection: duckdb.DuckDBPyConnection
    warehouse: Path

    def rows(self, name: str) -> list[Row]:
        """The rows of analyses/report/report_<name>.sql, each a dict keyed by column name."""
        cursor = self.connection.execute(compiled_analysis(self.warehouse, analysis_path(name)))
        columns = [column[0] for column in cursor.description]
        return [
            {column: json_ready(value) for column, value in zip(columns, row, strict=True)}
            for row in cursor.fetchall()
        ]
