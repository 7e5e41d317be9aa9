"""Synthetic appointment tables: regional monthly counts, national categories and durations.

Everything is built top-down so that totals reconcile exactly:

1. a national total per month (synthetic, or taken from a supplied regional file / published
   national-category totals);
2. per month, a table of totals per category combination, split with the largest-remainder
   method so it sums to the month total (for national categories it also meets the service
   setting and context type totals exactly);
3. each combination total is spread over locations (and days) as a sparse set of rows with
   positive counts, the number of rows per combination chosen to hit the file's row count;
4. durations are a share (below 100%) of each location-day's national-category total, so a
   month's duration total never exceeds its national-category total.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from scripts.loader.vocabulary import (
    APPOINTMENT_MODES,
    APPOINTMENT_STATUSES,
    CARE_RELATED_CATEGORIES,
    CONTEXT_TYPES,
    DURATION_BANDS,
    HCP_TYPES,
    LEAD_TIMES,
    SERVICE_SETTINGS,
)
from scripts.synthetic.common import (
    DURATION_HEADER,
    NATIONAL_CATEGORIES_HEADER,
    REGIONAL_HEADER,
    Geography,
    apportion,
    apportion_bounded,
    apportion_rows,
    format_short_date,
    lognormal_noise,
    month_days,
    row_quotas,
    sparse_allocate,
    working_days,
)

Log = Callable[[str], None]

REGIONAL_START = "2020-01"
NATIONAL_CATEGORIES_START = "2021-08"
DURATION_START = "2021-12"


@dataclass(frozen=True)
class Table:
    """Rows stored column-wise as codes into per-column label tuples.

    A column whose levels are None holds its values directly (the counts).
    """

    header: tuple[str, ...]
    levels: tuple[tuple | None, ...]
    codes: tuple[np.ndarray, ...]

    def __len__(self) -> int:
        return len(self.codes[0])

    def column_total(self, name: str) -> int:
        return int(self.codes[self.header.index(name)].sum())

    def chunks(self, size: int = 200_000) -> Iterator[list[tuple]]:
        """Rows as tuples of labels and ints, a chunk at a time to bound memory."""
        lookups = [None if lv is None else np.array(lv, dtype=object) for lv in self.levels]
        for start in range(0, len(self), size):
            columns = [
                codes[start : start + size].tolist()
                if lookup is None
                else lookup[codes[start : start + size]]
                for lookup, codes in zip(lookups, self.codes, strict=True)
            ]
            yield list(zip(*columns, strict=True))


@dataclass(frozen=True)
class Margins:
    """Monthly national-category totals by service setting and by context type."""

    settings: np.ndarray  # in SERVICE_SETTINGS order
    contexts: np.ndarray  # in CONTEXT_TYPES order


@dataclass(frozen=True)
class Targets:
    """Totals that the synthetic data must reproduce exactly, keyed by month (YYYY-MM)."""

    month_totals: Mapping[str, int] = field(default_factory=dict)
    margins: Mapping[str, Margins] = field(default_factory=dict)
    # per month, the total of each national_category_combinations() entry (the real
    # month x setting x context x category aggregate), reproduced exactly when given
    category_totals: Mapping[str, np.ndarray] = field(default_factory=dict)


# --- monthly totals -------------------------------------------------------------------------

# Per-working-day activity relative to normal: the first Covid wave and the winter lockdown.
COVID_FACTOR = {
    "2020-03": 0.90,
    "2020-04": 0.64,
    "2020-05": 0.68,
    "2020-06": 0.80,
    "2020-07": 0.84,
    "2020-08": 0.86,
    "2020-09": 0.95,
    "2020-10": 0.96,
    "2020-11": 0.92,
    "2020-12": 0.93,
    "2021-01": 0.88,
    "2021-02": 0.92,
    "2021-03": 0.97,
}
# Per-working-day seasonality by calendar month: autumn peak, summer holiday and Christmas dips.
SEASON_FACTOR = (1.00, 1.02, 1.02, 0.98, 0.98, 0.99, 0.97, 0.90, 1.02, 1.06, 1.05, 0.95)
NATIONAL_RATE_PER_WORKING_DAY = 1.17e6


def synthetic_national_month_totals(
    months: Sequence[str], bank_holidays: frozenset[dt.date], rng: np.random.Generator
) -> np.ndarray:
    """England-sized monthly totals (about 16 to 30 million), before any geography scaling."""
    totals = np.empty(len(months))
    noise = lognormal_noise(rng, 0.015, len(months))
    for index, month in enumerate(months):
        elapsed = min(index, 30) / 12
        growth = 1 + 0.05 * elapsed + 0.01 * max(index - 30, 0) / 12
        workdays = working_days(month, bank_holidays)
        # Weekends and bank holidays carry a little activity (extended access, urgent slots).
        other_days = len(month_days(month)) - workdays
        rate = NATIONAL_RATE_PER_WORKING_DAY * growth * SEASON_FACTOR[int(month[5:]) - 1]
        rate *= COVID_FACTOR.get(month, 1.0)
        totals[index] = rate * (workdays + 0.02 * other_days) * noise[index]
    return totals


def resolve_month_totals(
    months: Sequence[str],
    geography_share: float,
    targets: Targets,
    bank_holidays: frozenset[dt.date],
    rng: np.random.Generator,
) -> np.ndarray:
    """Monthly totals for the generated geography: targets where given, else synthetic."""
    synthetic = synthetic_national_month_totals(months, bank_holidays, rng) * geography_share
    totals = np.rint(synthetic).astype(np.int64)
    for index, month in enumerate(months):
        if month in targets.month_totals:
            totals[index] = targets.month_totals[month]
    return totals


# --- appointments_regional ------------------------------------------------------------------


def _interpolate(months: Sequence[str], anchors: Mapping[str, float]) -> np.ndarray:
    """Piecewise-linear series through (month, value) anchors, flat outside them."""

    def position(month: str) -> int:
        return int(month[:4]) * 12 + int(month[5:]) - 1

    xs = [position(month) for month in anchors]
    return np.interp([position(month) for month in months], xs, list(anchors.values()))


def regional_shares(months: Sequence[str], rng: np.random.Generator) -> np.ndarray:
    """Share of each (status, HCP type, mode, lead time) combination per month.

    Shape (months, 3, 3, 5, 8). The Covid shift from face-to-face to telephone, the mode mix
    of HCP types and lead times, and DNA rising with lead time are modelled on the published
    national shape; the month-to-month noise keeps the series from looking drawn by hand.
    """
    face = _interpolate(
        months,
        {
            "2020-02": 0.80,
            "2020-03": 0.66,
            "2020-04": 0.47,
            "2020-06": 0.47,
            "2020-10": 0.59,
            "2021-01": 0.53,
            "2021-10": 0.64,
            "2022-06": 0.65,
        },
    )
    unknown = _interpolate(months, {"2020-01": 0.048, "2022-06": 0.026})
    home, video = np.full(len(months), 0.0065), np.full(len(months), 0.005)
    telephone = 1 - face - unknown - home - video
    # Column order follows APPOINTMENT_MODES.
    mode = np.stack([face, home, telephone, unknown, video], axis=1)
    mode *= lognormal_noise(rng, 0.03, mode.shape)

    hcp_given_mode = np.array(
        [
            [0.41, 0.578, 0.012],
            [0.39, 0.46, 0.15],
            [0.70, 0.28, 0.02],
            [0.22, 0.26, 0.52],
            [0.52, 0.478, 0.002],
        ]
    )
    lead_given_mode = np.array(
        [
            [0.366, 0.090, 0.235, 0.146, 0.073, 0.045, 0.044, 0.0004],
            [0.574, 0.141, 0.175, 0.054, 0.021, 0.014, 0.016, 0.006],
            [0.614, 0.091, 0.162, 0.072, 0.033, 0.017, 0.010, 0.001],
            [0.503, 0.092, 0.194, 0.099, 0.048, 0.030, 0.033, 0.001],
            [0.333, 0.134, 0.237, 0.138, 0.072, 0.044, 0.040, 0.001],
        ]
    )
    dna_given_lead = np.array([0.020, 0.043, 0.063, 0.078, 0.085, 0.086, 0.097, 0.040])
    unknown_given_lead = np.array([0.024, 0.037, 0.045, 0.064, 0.084, 0.107, 0.187, 0.261])
    # Fewer missed appointments while patients were shielding; more unresolved statuses
    # while practices were overwhelmed in the first wave.
    dna_factor = _interpolate(
        months, {"2020-03": 1.0, "2020-04": 0.68, "2020-08": 0.72, "2020-10": 1.05, "2021-01": 0.95}
    ) * lognormal_noise(rng, 0.05, len(months))
    unknown_factor = _interpolate(
        months, {"2020-03": 1.05, "2020-04": 2.0, "2020-05": 1.4, "2020-07": 1.1, "2021-06": 0.85}
    ) * lognormal_noise(rng, 0.05, len(months))
    dna = dna_given_lead[None, :] * dna_factor[:, None]
    unknown_status = unknown_given_lead[None, :] * unknown_factor[:, None]
    status = np.stack([1 - dna - unknown_status, dna, unknown_status], axis=2)  # (m, lead, s)

    shares = (
        mode[:, None, None, :, None]
        * hcp_given_mode.T[None, None, :, :, None]
        * lead_given_mode[None, None, None, :, :]
        * status.transpose(0, 2, 1)[:, :, None, None, :]
    )
    shares *= lognormal_noise(rng, 0.05, shares.shape)
    return shares / shares.sum(axis=(1, 2, 3, 4), keepdims=True)


def regional_combination_labels() -> tuple[tuple[str, str, str, str], ...]:
    return tuple(
        (status, hcp, mode, lead)
        for status in APPOINTMENT_STATUSES
        for hcp in HCP_TYPES
        for mode in APPOINTMENT_MODES
        for lead in LEAD_TIMES
    )


def regional_table(
    geography: Geography,
    months: Sequence[str],
    month_totals: np.ndarray,
    target_rows: int,
    units_per_location: int,
    rng: np.random.Generator,
    log: Log,
) -> Table:
    """appointments_regional rows: ICB x month x combination, one row per hidden unit.

    The published file lost its sub-ICB column, so one ICB key repeats once per sub-ICB
    location that had appointments. Rows here are made per location (or per hidden unit of a
    location at 10x scale) and the location is then dropped, which gives the same duplicates.
    """
    combos = regional_combination_labels()
    shares = regional_shares(months, rng).reshape(len(months), len(combos))
    combo_totals = 1 + apportion_rows(month_totals - len(combos), shares)

    n_units = len(geography) * units_per_location
    unit_location = np.repeat(np.arange(len(geography)), units_per_location)
    unit_size = geography.size[unit_location] * lognormal_noise(rng, 0.3, n_units)
    mode_of_combo = np.array([APPOINTMENT_MODES.index(c[2]) for c in combos])
    hcp_of_combo = np.array([HCP_TYPES.index(c[1]) for c in combos])
    # Some areas record far more Unknown modes or HCP types (system supplier differences).
    mode_effect = lognormal_noise(rng, 0.25, (len(geography), len(APPOINTMENT_MODES)))
    mode_effect[:, APPOINTMENT_MODES.index("Unknown")] **= 4
    hcp_effect = lognormal_noise(rng, 0.15, (len(geography), len(HCP_TYPES)))
    hcp_effect[:, HCP_TYPES.index("Unknown")] **= 5
    location_effect = (
        mode_effect[:, mode_of_combo]
        * hcp_effect[:, hcp_of_combo]
        * lognormal_noise(rng, 0.3, (len(geography), len(combos)))
    )
    unit_weight = (unit_size[:, None] * location_effect[unit_location]).T  # (combos, units)

    lower = np.ones(combo_totals.shape, dtype=np.int64)
    # The largest combination of each month gets a row in every unit, so every ICB appears
    # in every month.
    lower[np.arange(len(months)), combo_totals.argmax(axis=1)] = n_units
    quotas = row_quotas(
        combo_totals.ravel(), np.full(combo_totals.size, n_units), lower.ravel(), target_rows
    ).reshape(combo_totals.shape)

    parts = []
    for index in range(len(months)):
        weights = unit_weight * lognormal_noise(rng, 0.05, n_units)[None, :]
        counts = sparse_allocate(rng, combo_totals[index], weights, quotas[index])
        combo, unit = np.nonzero(counts)
        parts.append((np.full(len(combo), index), combo, unit, counts[combo, unit]))
    log(f"appointments_regional: {sum(len(p[1]) for p in parts):,} rows allocated")
    month_code, combo_code, unit_code, count = (np.concatenate(c) for c in zip(*parts, strict=True))

    icb_levels = tuple(sorted(set(geography.icb_codes)))
    icb_of_unit = np.array([icb_levels.index(geography.icb_codes[i]) for i in unit_location])
    sort_rank = [
        {label: rank for rank, label in enumerate(sorted(labels))}
        for labels in (APPOINTMENT_STATUSES, HCP_TYPES, APPOINTMENT_MODES, LEAD_TIMES)
    ]
    combo_rank = np.array(
        [[rank[label] for rank, label in zip(sort_rank, combo, strict=True)] for combo in combos]
    )
    # Published order: ICB, month, then the labels alphabetically; duplicates stay adjacent.
    order = np.lexsort(
        (
            unit_code,
            *(combo_rank[combo_code, j] for j in (3, 2, 1, 0)),
            month_code,
            icb_of_unit[unit_code],
        )
    )
    combo_code, unit_code = combo_code[order], unit_code[order]
    return Table(
        header=REGIONAL_HEADER,
        levels=(
            icb_levels,
            tuple(months),
            *(tuple(c[j] for c in combos) for j in range(4)),
            None,
        ),
        codes=(
            icb_of_unit[unit_code],
            month_code[order],
            combo_code,
            combo_code,
            combo_code,
            combo_code,
            count[order],
        ),
    )


# --- national_categories --------------------------------------------------------------------

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
DURATION_MIX = np.array([0.15, 0.225, 0.175, 0.105, 0.09, 0.055, 0.20])


def duration_table(
    geography: Geography,
    months: Sequence[str],
    national_categories: NationalCategories,
    target_rows: int,
    rng: np.random.Generator,
) -> Table:
    """actual_duration rows: location x day x duration band, unique on that key.

    Each location-day holds 86-95% of its national-category appointments (practices whose
    system records no duration are missing), so monthly totals stay below national categories.
    """
    n_loc = len(geography)
    wanted = set(months)
    day_index = np.array(
        [i for i, day in enumerate(national_categories.days) if f"{day:%Y-%m}" in wanted]
    )
    days = [national_categories.days[i] for i in day_index]
    available = national_categories.location_day_totals[:, day_index]

    coverage = rng.uniform(0.86, 0.95, n_loc)[:, None] * lognormal_noise(rng, 0.03, available.shape)
    totals = np.floor(available * np.minimum(coverage, 0.99)).astype(np.int64)
    totals = np.where(available > 0, np.maximum(totals, 1), 0).ravel()

    band_effect = lognormal_noise(rng, 0.15, (n_loc, len(DURATION_BANDS)))
    band_effect[:, -1] **= 3
    weights = (
        (DURATION_MIX[None, :] * band_effect)[:, None, :]
        * lognormal_noise(rng, 0.1, (n_loc, len(days), len(DURATION_BANDS)))
    ).reshape(-1, len(DURATION_BANDS))
    quotas = row_quotas(
        totals, np.full(len(totals), len(DURATION_BANDS)), np.ones(len(totals)), target_rows
    )
    counts = sparse_allocate(rng, totals, weights, quotas)
    group, band = np.nonzero(counts)
    location, day = np.divmod(group, len(days))
    return Table(
        header=DURATION_HEADER,
        levels=(
            geography.codes,
            geography.ons_codes,
            geography.names,
            geography.icb_codes,
            geography.region_codes,
            tuple(format_short_date(day) for day in days),
            DURATION_BANDS,
            None,
        ),
        codes=(location, location, location, location, location, day, band, counts[group, band]),
    )


# --- reading supplied totals ----------------------------------------------------------------


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
