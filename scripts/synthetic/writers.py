"""Writing generated tables in the published file formats: CSV with the publisher's line ends,
and the national-categories workbook (split by month where a sheet would overflow), with
progress lines on stderr."""

from __future__ import annotations

import csv
import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xlsxwriter

from scripts.synthetic.activity import Table
from scripts.synthetic.common import excel_serial

# The file each source is written to, as the publisher names it.
FILE_NAMES = {
    "appointments_regional": "appointments_regional.csv",
    "actual_duration": "actual_duration.csv",
    "national_categories": "national_categories.xlsx",
    "tweets": "tweets.csv",
}


@dataclass(frozen=True)
class Written:
    """A file the generator wrote: its rows and appointment total (None for tweets)."""

    path: Path
    rows: int
    total: int | None


class Progress:
    """Timestamped progress lines on stderr (stdout carries only the summary)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            print(f"[make_sample_data {elapsed:6.1f}s] {message}", file=sys.stderr, flush=True)


def write_csv(path: Path, table: Table, line_end: str) -> Written:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator=line_end)
        writer.writerow(table.header)
        for chunk in table.chunks():
            writer.writerows(chunk)
    return Written(path, len(table), table.column_total("count_of_appointments"))


def workbook_parts(table: Table, out_dir: Path) -> list[tuple[Path, int, int]]:
    """(path, first row, end row) per workbook: one file unless a sheet would overflow."""
    if len(table) <= MAX_SHEET_ROWS:
        return [(out_dir / FILE_NAMES["national_categories"], 0, len(table))]
    months = np.array(table.levels[-1], dtype=object)[table.codes[-1]]
    month_starts = np.flatnonzero(np.r_[True, months[1:] != months[:-1]])
    bounds, start = [], 0
    for index, first in enumerate(month_starts):
        following = month_starts[index + 1] if index + 1 < len(month_starts) else len(table)
        if following - first > MAX_SHEET_ROWS:
            raise ValueError(f"month {months[first]} alone has more rows than an xlsx sheet holds")
        if following - start > MAX_SHEET_ROWS:
            bounds.append((start, int(first)))
            start = int(first)
    bounds.append((start, len(table)))
    return [
        (out_dir / f"national_categories_{number:02d}.xlsx", first, end)
        for number, (first, end) in enumerate(bounds, start=1)
    ]


def write_workbook(path: Path, table: Table, first: int, end: int, log: Progress) -> Written:
    """One sheet, header row, Excel date cells, counts as numbers, months as text."""
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    # Fixed properties: xlsxwriter would otherwise stamp the current time into the file.
    workbook.set_properties(
        {
            "title": "SYNTHETIC national categories",
            "subject": "Synthetic NHS GP appointments by national category - not real data",
            "author": "scripts/synthetic/generate.py",
            "comments": "SYNTHETIC data generated for testing; the counts are invented.",
            "created": WORKBOOK_CREATED,
        }
    )
    sheet = workbook.add_worksheet("Sheet1")
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for column, name in enumerate(table.header):
        sheet.write_string(0, column, name)
    serials = [excel_serial(day) for day in table.levels[0]]
    columns = [
        [serials[code] for code in table.codes[0][first:end].tolist()],
        *(
            np.array(levels, dtype=object)[codes[first:end]].tolist()
            if levels is not None
            else codes[first:end].tolist()
            for levels, codes in zip(table.levels[1:], table.codes[1:], strict=True)
        ),
    ]
    write_number, write_string = sheet.write_number, sheet.write_string
    for offset, (serial, icb, name, setting, context, category, count, month) in enumerate(
        zip(*columns, strict=True)
    ):
        row = offset + 1
        write_number(row, 0, serial, date_format)
        write_string(row, 1, icb)
        write_string(row, 2, name)
        write_string(row, 3, setting)
        write_string(row, 4, context)
        write_string(row, 5, category)
        write_number(row, 6, count)
        write_string(row, 7, month)
        if row % 200_000 == 0:
            log(f"{path.name}: {row:,} of {end - first:,} rows written")
    workbook.close()
    return Written(path, end - first, int(table.codes[6][first:end].sum()))


MAX_SHEET_ROWS = 1_048_575  # data rows below the header in one Excel sheet


WORKBOOK_CREATED = dt.datetime(2022, 7, 1)
# Five ICBs in five regions, two of them with several sub-ICB locations (11 in all), so the
# sample keeps the repeated ICB keys of the regional file.
