"""dbt's `adapter` for sqlfluff's jinja templater (its library_path in .sqlfluff).

Engine-specific SQL sits behind adapter.dispatch, with a duckdb__ and a spark__ macro each.
sqlfluff lints with the duckdb dialect, so dispatch hands it the duckdb__ implementation (or
default__ where the engines share one), the SQL dbt runs on DuckDB.
"""

from __future__ import annotations

from typing import Any

import jinja2

IMPLEMENTATION_PREFIXES = ("duckdb__", "default__")


@jinja2.pass_context
def dispatch(context: jinja2.runtime.Context, macro_name: str, macro_namespace: Any = None) -> Any:
    for prefix in IMPLEMENTATION_PREFIXES:
        implementation = context.resolve_or_missing(prefix + macro_name)
        if implementation is not jinja2.utils.missing:
            return implementation
    raise LookupError(f"no duckdb__ or default__ implementation of the macro {macro_name}")
