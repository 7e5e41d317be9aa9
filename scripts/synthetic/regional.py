"""Synthetic appointments_regional: month x ICB x status x HCP type x mode x lead time counts,
split from the national month totals (scripts.synthetic.activity) so they add up exactly."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scripts.loader.vocabulary import (
    APPOINTMENT_MODES,
    APPOINTMENT_STATUSES,
    HCP_TYPES,
    LEAD_TIMES,
)
from scripts.synthetic.activity import Log, Table, interpolate_months
from scripts.synthetic.common import (
    REGIONAL_HEADER,
    Geography,
    apportion_rows,
    lognormal_noise,
    row_quotas,
    sparse_allocate,
)

REGIONAL_START = "2020-01"  # the first month of the published appointments_regional


def regional_shares(months: Sequence[str], rng: np.random.Generator) -> np.ndarray:
    """Share of each (status, HCP type, mode, lead time) combination per month.

    Shape (months, 3, 3, 5, 8). The Covid shift from face-to-face to telephone, the mode mix
    of HCP types and lead times, and DNA rising with lead time are modelled on the published
    national shape; the month-to-month noise keeps the series from looking drawn by hand.
    """
    face = interpolate_months(
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
    unknown = interpolate_months(months, {"2020-01": 0.048, "2022-06": 0.026})
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
    dna_factor = interpolate_months(
        months, {"2020-03": 1.0, "2020-04": 0.68, "2020-08": 0.72, "2020-10": 1.05, "2021-01": 0.95}
    ) * lognormal_noise(rng, 0.05, len(months))
    unknown_factor = interpolate_months(
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
