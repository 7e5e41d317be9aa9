"""The exposures in models/exposures.yml say exactly which marts each consumer reads, because the
consumers' SQL is in analyses/ and dbt's graph knows what every analysis refs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.paths import dbt_target_dir_for


def manifest_of(warehouse: Path) -> dict:
    return json.loads((dbt_target_dir_for(warehouse) / "manifest.json").read_text())


def analyses_refs(manifest: dict, folder: str) -> set[str]:
    """The models the analyses directly in analyses/<folder> (the top folder for "") ref."""
    refs: set[str] = set()
    for node in manifest["nodes"].values():
        path = Path(node["original_file_path"])
        if node["resource_type"] == "analysis" and path.parent == Path("analyses", folder):
            refs.update(node["depends_on"]["nodes"])
    return refs


@pytest.mark.slow
def test_the_answers_exposure_lists_what_the_questions_read(sample_warehouse: Path) -> None:
    manifest = manifest_of(sample_warehouse)
    exposure = manifest["exposures"]["exposure.nhs_warehouse.nhs_question_answers"]
    read = analyses_refs(manifest, "")
    assert read, "no analyses found in the manifest"
    assert set(exposure["depends_on"]["nodes"]) == read


@pytest.mark.slow
def test_the_report_exposure_lists_what_the_report_analyses_read(sample_warehouse: Path) -> None:
    manifest = manifest_of(sample_warehouse)
    exposure = manifest["exposures"]["exposure.nhs_warehouse.gp_appointments_report"]
    read = analyses_refs(manifest, "report")
    assert read, "no analyses/report/ found in the manifest"
    assert set(exposure["depends_on"]["nodes"]) == read
