"""The README_SYNTHETIC.txt marker (scripts/synthetic/marker.py) keeps naming every file the
generator wrote into a folder, across runs, and only those."""

from __future__ import annotations

from pathlib import Path

import pytest
from generated_files import CSV_FILES, WORKBOOK, generate

from scripts.synthetic import writers


def test_rerunning_into_a_folder_keeps_labels_and_drops_stale_workbook_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = tmp_path / "national_categories_notes.xlsx"
    with monkeypatch.context() as patch:
        patch.setattr(writers, "MAX_SHEET_ROWS", 2_500)
        generate(tmp_path)
    stranger.write_bytes(b"not ours")
    generate(tmp_path, "--only", "national_categories")
    assert sorted(p.name for p in tmp_path.glob("national_categories*.xlsx")) == [
        "national_categories.xlsx",
        "national_categories_notes.xlsx",
    ]
    generate(tmp_path, "--only", "tweets")
    readme = (tmp_path / "README_SYNTHETIC.txt").read_text(encoding="utf-8")
    for name in (*CSV_FILES, WORKBOOK):
        assert name in readme, f"{name} lost its synthetic label"
    assert "national_categories_01.xlsx" not in readme
    assert stranger.name not in readme
