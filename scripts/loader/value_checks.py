"""Check the values of one staged source against its spec, vectorised in DuckDB.

Everything here is generated from ``raw_specs``: per-column rules, rules across columns of a
row, the natural key and the one-file-per-month rule. Column rules depend on the value alone,
so they are evaluated once per distinct value (a few thousand, not a million rows) and only
the values that fail are traced back to their rows for the message.

Quarantine: in a source with a natural key, a row identical in every column to an earlier
row of the same raw file is a repeat of that row, not new data; it is set aside (to
rejects.csv via the loader) and the first occurrence kept. Any other repeat of a key stops
the load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from scripts.loader.problems import SHOWN_PROBLEMS, Problem, ProblemLog
from scripts.loader.raw_specs import SourceSpec
from scripts.loader.stage_table import quoted, table_name
from scripts.loader.value_rules import bind


@dataclass(frozen=True)
class Quarantine:
    """Rows set aside as exact repeats: how many, and the temp table that lists them."""

    rows: int
    table: str | None


@dataclass(frozen=True)
class QuarantinedRow:
    source_file: str
    source_row: int
    values: str
    first_row: int


def check_stage(
    con: duckdb.DuckDBPyConnection,
    spec: SourceSpec,
    sheets: dict[str, str],
    log: ProblemLog,
) -> Quarantine:
    """Log every rule the staged rows break; return the rows to quarantine."""
    _collect_distinct_values(con, spec)
    _check_columns(con, spec, sheets, log)
    _check_row_rules(con, spec, sheets, log)
    quarantine = _check_natural_key(con, spec, sheets, log)
    _check_periods(con, spec, sheets, log)
    con.execute("DROP TABLE distinct_values")
    return quarantine


def _collect_distinct_values(con: duckdb.DuckDBPyConnection, spec: SourceSpec) -> None:
    """Each distinct value of every column that has rules or is part of the natural key."""
    # Materialised on purpose: inside one query DuckDB would push rule filters below the
    # DISTINCT and run every regex on every row instead of once per distinct value.
    table = table_name(spec)
    selects = [
        f"SELECT DISTINCT {index} AS column_index, {quoted(column.name)} AS v FROM {table}"
        for index, column in enumerate(spec.columns)
        if column.check.rules() or column.name in spec.natural_key
    ]
    selects.append("SELECT NULL::INTEGER AS column_index, NULL::VARCHAR AS v WHERE false")
    con.execute("CREATE OR REPLACE TEMP TABLE distinct_values AS " + " UNION ALL ".join(selects))


def _log_broken_rows(
    con: duckdb.DuckDBPyConnection,
    rows_sql: str,
    value_sql: str,
    expected_sql: str,
    column: str,
    sheets: dict[str, str],
    log: ProblemLog,
    expected: Callable[[Any], str] | None = None,
) -> None:
    """Log the staged rows that rows_sql (FROM ... [WHERE ...]) selects as problems in column:
    how many there are, and the first SHOWN_PROBLEMS by file and row with their value and what
    was expected (expected_sql, or what expected makes of it)."""
    (total,) = con.execute(f"SELECT count(*) {rows_sql}").fetchone()
    examples = con.execute(
        f"SELECT source_file, source_row, {value_sql}, {expected_sql} {rows_sql} "
        "ORDER BY source_file, source_row LIMIT ?",
        [SHOWN_PROBLEMS],
    ).fetchall()
    log.add_counted(
        (
            Problem(
                source_file,
                expectation if expected is None else expected(expectation),
                row=row,
                sheet=sheets.get(source_file),
                column=column,
                value=value,
            )
            for source_file, row, value, expectation in examples
        ),
        total,
    )


def _check_columns(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, sheets: dict[str, str], log: ProblemLog
) -> None:
    table = table_name(spec)
    selects = []
    for index, column in enumerate(spec.columns):
        rules = column.check.rules()
        if not rules:
            continue
        # coalesce: a rule that cannot even be evaluated (NULL) counts as broken.
        whens = " ".join(
            f"WHEN NOT coalesce({bind(rule.sql, 'v')}, false) THEN {number}"
            for number, rule in enumerate(rules)
        )
        selects.append(
            f"SELECT {index} AS column_index, v, CASE {whens} END AS rule FROM distinct_values "
            f"WHERE column_index = {index}"
        )
    if not selects:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE bad_values AS SELECT * FROM ("
        + " UNION ALL ".join(selects)
        + ") WHERE rule IS NOT NULL"
    )
    failing = [i for (i,) in con.execute("SELECT DISTINCT column_index FROM bad_values").fetchall()]
    for index in sorted(failing):
        column = spec.columns[index]
        rules = column.check.rules()
        join = (
            f"FROM {table} s JOIN bad_values b "
            f"ON b.column_index = {index} AND s.{quoted(column.name)} = b.v"
        )
        _log_broken_rows(
            con,
            join,
            "b.v",
            "b.rule",
            column.name,
            sheets,
            log,
            lambda rule, rules=rules: rules[rule].expected,
        )
    con.execute("DROP TABLE bad_values")


def _check_row_rules(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, sheets: dict[str, str], log: ProblemLog
) -> None:
    table = table_name(spec)
    for rule in spec.row_rules:
        # Like column rules, judged once per distinct combination of the columns it reads.
        inputs = ", ".join(quoted(name) for name in rule.uses)
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE rule_inputs AS SELECT DISTINCT {inputs} FROM {table}"
        )
        broken = f"WHERE NOT coalesce({rule.valid_sql}, false)"
        (combinations,) = con.execute(f"SELECT count(*) FROM rule_inputs {broken}").fetchone()
        con.execute("DROP TABLE rule_inputs")
        if not combinations:
            continue
        _log_broken_rows(
            con,
            f"FROM {table} {broken}",
            quoted(rule.column),
            rule.expected_sql,
            rule.column,
            sheets,
            log,
        )


def _check_natural_key(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, sheets: dict[str, str], log: ProblemLog
) -> Quarantine:
    if not spec.natural_key:
        return Quarantine(0, None)
    table = table_name(spec)
    keys = [f"k{index}" for index in range(len(spec.natural_key))]
    key_values = ", ".join(
        f"{_key_sql(con, spec, name)} AS {key}"
        for name, key in zip(spec.natural_key, keys, strict=True)
    )
    if spec.publication_area is not None:
        # Publications re-issue earlier months: a key is unique within one file, and two
        # files of one publication are caught by _check_publications.
        keys.append("k_file")
        key_values += ", source_file AS k_file"
    # Grouping a million rows by one 64-bit hash is much cheaper than by five strings; equal
    # keys have equal hashes, so no repeated hash means no repeated key.
    (hashes,) = con.execute(
        f"SELECT count(*) FROM (SELECT hash({', '.join(keys)}) AS h FROM "
        f"(SELECT {key_values} FROM {table}) GROUP BY h HAVING count(*) > 1)"
    ).fetchone()
    if not hashes:
        return Quarantine(0, None)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE key_repeats AS SELECT {key_values} FROM {table} "
        "GROUP BY ALL HAVING count(*) > 1"
    )
    (repeated,) = con.execute("SELECT count(*) FROM key_repeats").fetchone()
    if not repeated:
        con.execute("DROP TABLE key_repeats")
        return Quarantine(0, None)

    key_list = ", ".join(keys)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE repeat_rows AS "
        f"SELECT * FROM (SELECT *, {key_values} FROM {table}) "
        f"SEMI JOIN key_repeats USING ({key_list})"
    )
    all_columns = ", ".join(quoted(name) for name in spec.column_names)
    quarantine_table = f"quarantine_{spec.name}"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {quarantine_table} AS "
        "SELECT source_file, source_row, first_row FROM ("
        "  SELECT source_file, source_row, "
        f"  min(source_row) OVER (PARTITION BY source_file, {all_columns}) AS first_row"
        "  FROM repeat_rows"
        ") WHERE source_row <> first_row"
    )
    (quarantined,) = con.execute(f"SELECT count(*) FROM {quarantine_table}").fetchone()

    raw_key = " || ' | ' || ".join(quoted(name) for name in spec.natural_key)
    clashes = (
        "FROM ("
        f"  SELECT source_file, source_row, {raw_key} AS key_text, "
        "   row_number() OVER w AS position, first_value(source_file) OVER w AS first_file, "
        "   first_value(source_row) OVER w AS first_row "
        f"  FROM repeat_rows ANTI JOIN {quarantine_table} USING (source_file, source_row) "
        f"  WINDOW w AS (PARTITION BY {key_list} ORDER BY source_file, source_row)"
        ") WHERE position > 1"
    )
    (total,) = con.execute(f"SELECT count(*) {clashes}").fetchone()
    if total:
        examples = con.execute(
            f"SELECT source_file, source_row, key_text, first_file, first_row {clashes} "
            "ORDER BY source_file, source_row LIMIT ?",
            [SHOWN_PROBLEMS],
        ).fetchall()
        key_name = f"({', '.join(spec.natural_key)})"
        log.add_counted(
            (
                Problem(
                    source_file,
                    f"each {key_name} only once; it first appears at "
                    + Problem(first_file, "", row=first_row, sheet=sheets.get(first_file)).where(),
                    row=row,
                    sheet=sheets.get(source_file),
                    column=key_name,
                    value=key_text,
                )
                for source_file, row, key_text, first_file, first_row in examples
            ),
            total,
        )
    con.execute("DROP TABLE key_repeats")
    con.execute("DROP TABLE repeat_rows")
    if not quarantined:
        con.execute(f"DROP TABLE {quarantine_table}")
        return Quarantine(0, None)
    return Quarantine(quarantined, quarantine_table)


def _key_sql(con: duckdb.DuckDBPyConnection, spec: SourceSpec, name: str) -> str:
    """How a key column is compared: normalised, or raw when no value needs normalising.

    Normalising every row (regexp_replace on a million labels) is the slow part of the key
    check, and clean files never need it; the distinct values tell.
    """
    raw = quoted(name)
    normalised = spec.check_of(name).key_sql(raw)
    if normalised == raw:
        return raw
    index = spec.column_names.index(name)
    (changed,) = con.execute(
        f"SELECT count(*) FROM distinct_values WHERE column_index = {index} "
        f"AND {spec.check_of(name).key_sql('v')} IS DISTINCT FROM v"
    ).fetchone()
    return normalised if changed else raw


def quarantined_rows(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, quarantine: Quarantine
) -> list[QuarantinedRow]:
    """The quarantined rows with their values, in file order."""
    if quarantine.table is None:
        return []
    values = ", ".join(quoted(name) for name in spec.column_names)
    rows = con.execute(
        f"SELECT source_file, source_row, concat_ws(',', {values}), first_row "
        f"FROM {table_name(spec)} JOIN {quarantine.table} USING (source_file, source_row) "
        "ORDER BY source_file, source_row"
    ).fetchall()
    return [QuarantinedRow(*row) for row in rows]


def publication_group_sql(source_file: str) -> str:
    """SQL naming the files that make up one publication: the files of one zip archive (the
    archive's name: a lineage name is ``<archive>/<member>``), or a file on its own. The
    staging models group the same way (macro publication_group)."""
    return f"split_part({source_file}, '/', 1)"


def _check_publications(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, area_column: str, log: ProblemLog
) -> None:
    """A publication is a zip archive's files (or one file outside an archive) and is named by
    the latest month they hold; within one publication, an area and month (a day, for daily
    files) may come from one file only (another publication may revise it)."""
    table = table_name(spec)
    month = spec.period_sql()
    period, unit = spec.check_of(spec.period_column).publication_period(quoted(spec.period_column))
    area = spec.check_of(area_column).key_sql(quoted(area_column))
    clashes = (
        "FROM ("
        "  SELECT publication, area, period, "
        "  list(source_file ORDER BY source_file) AS files, "
        "  list(first_row ORDER BY source_file) AS first_rows FROM ("
        "    SELECT *, max(month) OVER (PARTITION BY publication_group) AS publication FROM ("
        f"      SELECT source_file, {publication_group_sql('source_file')} AS publication_group, "
        f"      {area} AS area, {period} AS period, {month} AS month, "
        f"      min(source_row) AS first_row FROM {table} GROUP BY ALL"
        "    )"
        "  ) WHERE period IS NOT NULL GROUP BY publication, area, period HAVING count(*) > 1"
        ")"
    )
    (total,) = con.execute(f"SELECT count(*) {clashes}").fetchone()
    if not total:
        return
    examples = con.execute(
        f"SELECT publication, area, period, files, first_rows {clashes} "
        "ORDER BY files, period, area LIMIT ?",
        [SHOWN_PROBLEMS],
    ).fetchall()
    log.add_counted(
        (
            Problem(
                files[1],
                f"each area and {unit} of one publication in one file only; {area_column} "
                f"{area}, {unit} {when} of the publication of {publication} (the latest month "
                f"its files hold) is also in {files[0]} (first at "
                f"{Problem(files[0], '', row=first_rows[0]).where()})",
                row=first_rows[1],
                column=spec.period_column,
                value=when,
            )
            for publication, area, when, files, first_rows in examples
        ),
        total,
    )


def _check_periods(
    con: duckdb.DuckDBPyConnection, spec: SourceSpec, sheets: dict[str, str], log: ProblemLog
) -> None:
    period = spec.period_sql()
    if period is None:
        return
    if spec.publication_area is not None:
        _check_publications(con, spec, spec.publication_area, log)
        return
    table = table_name(spec)
    (files,) = con.execute(f"SELECT count(DISTINCT source_file) FROM {table}").fetchone()
    if files < 2:
        return
    overlaps = con.execute(
        "SELECT period, list(source_file ORDER BY source_file), "
        "list(first_row ORDER BY source_file) FROM ("
        f"  SELECT {period} AS period, source_file, min(source_row) AS first_row FROM {table}"
        "  GROUP BY ALL"
        ") WHERE period IS NOT NULL GROUP BY period HAVING count(*) > 1 ORDER BY period"
    ).fetchall()
    for month, file_names, first_rows in overlaps:
        first = Problem(file_names[0], "", row=first_rows[0], sheet=sheets.get(file_names[0]))
        for source_file, row in zip(file_names[1:], first_rows[1:], strict=True):
            log.add(
                Problem(
                    source_file,
                    f"each month of {spec.name} in one raw file only; month {month} is also "
                    f"in {file_names[0]} (first at {first.where()})",
                    row=row,
                    sheet=sheets.get(source_file),
                    column=spec.period_column,
                    value=month,
                )
            )
