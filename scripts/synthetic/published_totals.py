"""The real totals the generator reproduces: the regional file's month totals, the published
national-category totals and the real month x setting x context x category sums."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from scripts.loader.vocabulary import (
    CONTEXT_TYPES,
    SERVICE_SETTINGS,
)
from scripts.synthetic.activity import Margins
from scripts.synthetic.common import (
    REGIONAL_HEADER,
)
from scripts.synthetic.national_categories import national_category_combinations


def read_regional_month_totals(path: Path) -> dict[str, int]:
    """Monthly sums of count_of_appointments in an appointments_regional.csv."""
    totals: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader))
        if header != REGIONAL_HEADER:
            raise ValueError(f"{path} does not have the appointments_regional header: {header}")
        month_col, count_col = 1, len(REGIONAL_HEADER) - 1
        for row in reader:
            totals[row[month_col]] = totals.get(row[month_col], 0) + int(row[count_col])
    return totals


def read_published_totals(path: Path) -> tuple[dict[str, int], dict[str, Margins]]:
    """Monthly totals and setting/context margins from national_categories_published_totals."""
    columns = ("appointment_month", "dimension", "value", "count_of_appointments")
    totals: dict[str, int] = {}
    settings: dict[str, np.ndarray] = {}
    contexts: dict[str, np.ndarray] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path} must have the columns {','.join(columns)}")
        for row in reader:
            month, dimension, value = row["appointment_month"], row["dimension"], row["value"]
            count = int(row["count_of_appointments"])
            if dimension == "all":
                totals[month] = count
            elif dimension == "service_setting" and value in SERVICE_SETTINGS:
                settings.setdefault(month, np.zeros(len(SERVICE_SETTINGS), dtype=np.int64))
                settings[month][SERVICE_SETTINGS.index(value)] = count
            elif dimension == "context_type" and value in CONTEXT_TYPES:
                contexts.setdefault(month, np.zeros(len(CONTEXT_TYPES), dtype=np.int64))
                contexts[month][CONTEXT_TYPES.index(value)] = count
            else:
                raise ValueError(f"{path}: unexpected dimension/value {dimension}/{value}")
    months = set(totals) | set(settings) | set(contexts)
    incomplete = sorted(m for m in months if not (m in totals and m in settings and m in contexts))
    if incomplete:
        raise ValueError(f"{path}: months without all three dimensions: {incomplete}")
    margins = {month: Margins(settings[month], contexts[month]) for month in sorted(months)}
    return totals, margins


def read_category_totals(path: Path) -> dict[str, np.ndarray]:
    """Per month, the totals of the national-category combinations (in
    national_category_combinations() order) from a month x service setting x context type x
    national category aggregate such as national_categories_monthly_by_category.csv."""
    columns = ("month", "service_setting", "context_type", "national_category")
    combos = {combo: index for index, combo in enumerate(national_category_combinations())}
    totals: dict[str, np.ndarray] = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ())[:4] != columns:
            raise ValueError(f"{path} must start with the columns {','.join(columns)}")
        for line, row in enumerate(reader, start=2):
            combo = (row["service_setting"], row["context_type"], row["national_category"])
            if combo not in combos:
                raise ValueError(f"{path} line {line}: no such combination {combo}")
            month = totals.setdefault(row["month"], np.zeros(len(combos), dtype=np.int64))
            month[combos[combo]] += int(row["count_of_appointments"])
    return totals
