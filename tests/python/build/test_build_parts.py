"""dbt built in parts beside the loader gives exactly the warehouse of one `dbt build`.

`nhs build` runs the part of dbt that reads only the CSV sources while the loader is still
converting the workbook, reading the CSVs from the loader's new landing before it is published.
On the small sample the loader is done before dbt has parsed, so builds of it never take that
path; here the loader's callback starts that part itself, deterministically, from inside the
load, exactly where scripts.build.pipeline would be told the CSVs are landed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import all_mart_rows

from scripts.build import provenance
from scripts.build import publish as duckdb_file
from scripts.build.dbt_runner import (
    DBT_BUILD_PHASE,
    DBT_CSV_PHASE,
    DBT_EARLY_PHASE,
    BuildFailed,
    Dbt,
)
from scripts.build.phase_timer import Timings
from scripts.loader import load as load_raw
from scripts.loader.raw_inputs import ALL_SOURCES
from scripts.paths import SAMPLE_RAW_DIR, landing_dir_for

pytestmark = pytest.mark.slow

CSV_LANDED_FILES = sorted(spec.landed_file for spec in ALL_SOURCES if not spec.is_workbook)


@pytest.mark.parametrize(
    ("early_part_first", "parts"),
    [
        (True, [DBT_EARLY_PHASE, DBT_CSV_PHASE, DBT_BUILD_PHASE]),
        (False, [DBT_CSV_PHASE, DBT_BUILD_PHASE]),
    ],
    ids=["three-parts", "seeds-with-the-csv-part"],
)
def test_parts_built_beside_the_loader_give_the_one_build_warehouse(
    tmp_path: Path, sample_warehouse: Path, early_part_first: bool, parts: list[str]
) -> None:
    warehouse = tmp_path / "nhs.duckdb"
    landing = landing_dir_for(warehouse)
    dbt = Dbt(warehouse, [], Timings())
    if early_part_first:
        dbt.build_early()
    told: list[tuple[Path, list[str]]] = []

    def csv_sources_landed(folder: Path, landed_files: list[str]) -> None:
        told.append((folder, sorted(landed_files)))
        # Still the loader's unpublished folder: the landing does not exist yet.
        assert folder != landing and not landing.exists()
        dbt.build_from_csvs(folder, landed_files)

    load_raw.load(SAMPLE_RAW_DIR, landing, load_raw.DEFAULT_REJECTS_LIMIT, csv_sources_landed)
    provenance.write(SAMPLE_RAW_DIR, landing)
    dbt.build(landing)
    duckdb_file.publish(dbt.candidate, warehouse)

    assert [files for _, files in told] == [CSV_LANDED_FILES]
    assert dbt.parts == parts
    assert not dbt.landed_view.exists()
    assert all_mart_rows(warehouse) == all_mart_rows(sample_warehouse)


def test_csv_part_is_skipped_when_the_loader_has_published_meanwhile(tmp_path: Path) -> None:
    warehouse = tmp_path / "nhs.duckdb"
    gone = tmp_path / "published-meanwhile"
    dbt = Dbt(warehouse, [], Timings())
    dbt.build_from_csvs(gone, CSV_LANDED_FILES)
    assert dbt.parts == []
    assert dbt.sources_built == []
    assert not dbt.landed_view.exists()


def test_a_failing_test_in_the_csv_part_discards_the_loaders_new_landing(
    tmp_path: Path, broken_raw_dir: Path
) -> None:
    warehouse = tmp_path / "nhs.duckdb"
    landing = landing_dir_for(warehouse)
    dbt = Dbt(warehouse, [], Timings())

    with pytest.raises(BuildFailed):
        load_raw.load(broken_raw_dir, landing, load_raw.DEFAULT_REJECTS_LIMIT, dbt.build_from_csvs)

    # The relationships test on stg_nhs__regional_appointments failed inside the CSV part.
    assert dbt.parts == []
    assert not landing.exists()
    assert list(landing.parent.glob(f".{landing.name}*")) == []
