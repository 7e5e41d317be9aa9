"""Synthetic national_categories: day x sub-ICB location x service setting x context type x
national category counts, meeting the month totals and the published setting and context totals
exactly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scripts.loader.vocabulary import (
    CARE_RELATED_CATEGORIES,
    CONTEXT_TYPES,
    SERVICE_SETTINGS,
)
from scripts.synthetic.activity import Log, Margins, Table
from scripts.synthetic.common import (
    NATIONAL_CATEGORIES_HEADER,
    Geography,
    apportion,
    apportion_bounded,
    lognormal_noise,
    month_days,
    row_quotas,
    sparse_allocate,
)

NATIONAL_CATEGORIES_START = "2021-08"  # the first month of the published workbook


ACTIVE_SETTINGS = SERVICE_SETTINGS[:4]
# Mix of care-related categories within each active setting, in CARE_RELATED_CATEGORIES order:
# practices book mostly routine and acute consultations and triage; PCN staff (ARRS roles) do
# medication reviews, social prescribing and care-home rounds; extended access is mostly
# routine; "Other" providers are largely external services.
CATEGORY_MIX = np.array(
    [
        [
            0.002,
            0.004,
            0.17,
            0.25,
            0.33,
            0.001,
            0.009,
            0.002,
            0.003,
            0.10,
            0.09,
            0.012,
            0.003,
            0.006,
            0.013,
            0.006,
        ],
        [
            0.03,
            0.02,
            0.08,
            0.08,
            0.18,
            0.01,
            0.02,
            0.002,
            0.06,
            0.08,
            0.15,
            0.02,
            0.12,
            0.13,
            0.02,
            0.003,
        ],
        [
            0.002,
            0.003,
            0.08,
            0.20,
            0.40,
            0.004,
            0.004,
            0.001,
            0.002,
            0.12,
            0.15,
            0.01,
            0.005,
            0.006,
            0.01,
            0.01,
        ],
        [
            0.005,
            0.008,
            0.06,
            0.10,
            0.20,
            0.006,
            0.02,
            0.01,
            0.008,
            0.14,
            0.16,
            0.23,
            0.02,
            0.01,
            0.02,
            0.01,
        ],
    ]
)
# Share of each active setting's appointments that is inconsistently mapped.
INCONSISTENT_RATE = np.array([0.10, 0.05, 0.08, 0.12])
# Weekday factors Monday..Sunday and the bank-holiday factor; extended access is the one
# setting that mostly runs evenings and weekends.
WEEKDAY_FACTOR = np.array([1.12, 1.16, 1.10, 1.07, 1.00, 0.035, 0.008])
EXTENDED_ACCESS_WEEKDAY_FACTOR = np.array([0.8, 0.8, 0.8, 0.8, 0.75, 1.1, 0.3])
BANK_HOLIDAY_FACTOR, EXTENDED_ACCESS_BANK_HOLIDAY_FACTOR = 0.005, 0.08


def national_category_combinations() -> tuple[tuple[str, str, str], ...]:
    """The 69 valid (service setting, context type, national category) combinations.

    Unmapped goes with Unmapped in all three columns; Inconsistent Mapping is both a context
    type and a category; every other category is a Care Related Encounter.
    """
    combos = []
    for setting in ACTIVE_SETTINGS:
        combos += [(setting, CONTEXT_TYPES[0], category) for category in CARE_RELATED_CATEGORIES]
        combos.append((setting, "Inconsistent Mapping", "Inconsistent Mapping"))
    combos.append(("Unmapped", "Unmapped", "Unmapped"))
    return tuple(combos)


def synthetic_margins(month_totals: np.ndarray, rng: np.random.Generator) -> list[Margins]:
    """Plausible setting and context totals: GP ~90%, Unmapped falling from ~5% to ~3%."""
    margins = []
    for index, total in enumerate(month_totals):
        step = min(index, 10)
        shares = np.array(
            [0.0, 0.016 + 0.001 * step, 0.0067 + 0.00014 * step, 0.019, 0.051 - 0.0022 * step]
        )
        shares[1:] *= lognormal_noise(rng, 0.03, 4)
        shares[0] = 1 - shares[1:].sum()
        settings = apportion(int(total), shares)
        inconsistent = round(float(total) * 0.095 * lognormal_noise(rng, 0.02, 1)[0])
        unmapped = int(settings[-1])
        contexts = np.array([int(total) - inconsistent - unmapped, inconsistent, unmapped])
        margins.append(Margins(settings=settings, contexts=contexts))
    return margins


def check_margins(month: str, total: int, margins: Margins) -> None:
    settings, contexts = margins.settings, margins.contexts
    problems = []
    if settings.sum() != total or contexts.sum() != total:
        problems.append(
            f"service settings sum to {settings.sum():,} and context types to "
            f"{contexts.sum():,}, not the month total {total:,}"
        )
    if settings[-1] != contexts[-1]:
        problems.append("Unmapped service setting and Unmapped context type differ")
    active = settings[:4]
    inconsistent = contexts[1]
    n_care = len(CARE_RELATED_CATEGORIES)
    if np.any(active < n_care + 1) or settings[-1] < 1:
        problems.append("a service setting is too small to hold every category")
    if not len(ACTIVE_SETTINGS) <= inconsistent <= active.sum() - n_care * len(ACTIVE_SETTINGS):
        problems.append("the Inconsistent Mapping total cannot be split over the settings")
    if problems:
        raise ValueError(f"national-category totals for {month}: " + "; ".join(problems))


def combination_totals(
    month_totals: np.ndarray, margins: Sequence[Margins], rng: np.random.Generator
) -> np.ndarray:
    """Per month, the total of each of the 69 combinations, meeting both margins exactly."""
    n_care = len(CARE_RELATED_CATEGORIES)
    out = np.zeros((len(month_totals), len(national_category_combinations())), dtype=np.int64)
    for index, margin in enumerate(margins):
        active = margin.settings[:4]
        inconsistent = apportion_bounded(
            int(margin.contexts[1]),
            active * INCONSISTENT_RATE,
            np.ones(4, dtype=np.int64),
            active - n_care,
        )
        care = active - inconsistent
        for setting in range(4):
            mix = CATEGORY_MIX[setting] * lognormal_noise(rng, 0.05, n_care)
            start = setting * (n_care + 1)
            out[index, start : start + n_care] = 1 + apportion(int(care[setting]) - n_care, mix)
            out[index, start + n_care] = inconsistent[setting]
        out[index, -1] = margin.settings[-1]
    return out


def day_factors(days: Sequence[dt.date], bank_holidays: frozenset[dt.date]) -> np.ndarray:
    """Relative activity per day, shape (2, days): row 0 usual settings, row 1 extended access."""
    weekday = np.array([day.weekday() for day in days])
    holiday = np.array([day in bank_holidays for day in days])
    usual = np.where(holiday, BANK_HOLIDAY_FACTOR, WEEKDAY_FACTOR[weekday])
    extended = np.where(
        holiday, EXTENDED_ACCESS_BANK_HOLIDAY_FACTOR, EXTENDED_ACCESS_WEEKDAY_FACTOR[weekday]
    )
    return np.stack([usual, extended])


@dataclass(frozen=True)
class NationalCategories:
    table: Table
    days: tuple[dt.date, ...]
    location_day_totals: np.ndarray  # (locations, days)


def national_categories_table(
    geography: Geography,
    months: Sequence[str],
    month_totals: np.ndarray,
    margins: Sequence[Margins],
    target_rows: int,
    bank_holidays: frozenset[dt.date],
    rng: np.random.Generator,
    log: Log,
    category_totals: Mapping[str, np.ndarray] | None = None,
) -> NationalCategories:
    combos = national_category_combinations()
    for month, total, margin in zip(months, month_totals, margins, strict=True):
        check_margins(month, int(total), margin)
    totals = combination_totals(month_totals, margins, rng)
    for index, month in enumerate(months):
        if category_totals and month in category_totals:
            totals[index] = category_totals[month]

    n_loc = len(geography)
    days_by_month = [month_days(month) for month in months]
    n_cells = np.array([n_loc * len(days) for days in days_by_month])
    lower = np.ones(totals.shape, dtype=np.int64)
    # The biggest combination fills every location-day, so no date or location goes missing.
    lower[np.arange(len(months)), totals.argmax(axis=1)] = n_cells
    quotas = row_quotas(
        totals.ravel(), np.repeat(n_cells, len(combos)), lower.ravel(), target_rows
    ).reshape(totals.shape)

    setting_of_combo = np.array([SERVICE_SETTINGS.index(c[0]) for c in combos])
    setting_effect = lognormal_noise(rng, 0.5, (n_loc, len(SERVICE_SETTINGS)))
    # Whole practices go unmapped when their system sends no categories, so the Unmapped share
    # varies far more between areas than the others.
    setting_effect[:, -1] **= 2
    setting_effect[:, 0] = 1.0
    location_effect = (
        geography.size[:, None]
        * setting_effect[:, setting_of_combo]
        * lognormal_noise(rng, 0.3, (n_loc, len(combos)))
    )
    is_extended = setting_of_combo == SERVICE_SETTINGS.index("Extended Access Provision")

    parts, first_day = [], 0
    for index, days in enumerate(days_by_month):
        factors = day_factors(days, bank_holidays)[is_extended.astype(int)]  # (combos, days)
        location_day = lognormal_noise(rng, 0.08, (n_loc, len(days)))
        weights = (
            location_effect[:, :, None].transpose(1, 0, 2)
            * factors[:, None, :]
            * location_day[None, :, :]
            * lognormal_noise(rng, 0.25, (len(combos), n_loc, len(days)))
        ).reshape(len(combos), -1)
        counts = sparse_allocate(rng, totals[index], weights, quotas[index])
        combo, cell = np.nonzero(counts)
        location, day = np.divmod(cell, len(days))
        parts.append((first_day + day, location, combo, counts[combo, cell]))
        first_day += len(days)
        log(f"national_categories: month {months[index]} allocated")
    day_code, location_code, combo_code, count = (
        np.concatenate(c) for c in zip(*parts, strict=True)
    )
    order = np.lexsort((combo_code, location_code, day_code))
    day_code, location_code = day_code[order], location_code[order]
    combo_code, count = combo_code[order], count[order]

    all_days = tuple(day for days in days_by_month for day in days)
    location_day_totals = np.bincount(
        location_code * len(all_days) + day_code, weights=count, minlength=n_loc * len(all_days)
    ).reshape(n_loc, len(all_days))
    table = Table(
        header=NATIONAL_CATEGORIES_HEADER,
        levels=(
            all_days,
            geography.icb_codes,
            geography.names,
            tuple(c[0] for c in combos),
            tuple(c[1] for c in combos),
            tuple(c[2] for c in combos),
            None,
            tuple(f"{day.year:04d}-{day.month:02d}" for day in all_days),
        ),
        codes=(
            day_code,
            location_code,
            location_code,
            combo_code,
            combo_code,
            combo_code,
            count,
            day_code,
        ),
    )
    return NationalCategories(table, all_days, location_day_totals.astype(np.int64))


# --- actual_duration ------------------------------------------------------------------------

# Band shares in DURATION_BANDS order: most consultations last 6-15 minutes, and about a fifth
# have no usable duration (null, under a minute or over an hour).
