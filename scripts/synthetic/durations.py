"""Synthetic actual_duration: day x sub-ICB location x duration band counts, a share (below
100%) of each location-day's national-category total."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scripts.loader.vocabulary import (
    DURATION_BANDS,
)
from scripts.synthetic.activity import Table
from scripts.synthetic.common import (
    DURATION_HEADER,
    Geography,
    format_short_date,
    lognormal_noise,
    row_quotas,
    sparse_allocate,
)
from scripts.synthetic.national_categories import NationalCategories

DURATION_START = "2021-12"  # the first month of the published actual_duration


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
