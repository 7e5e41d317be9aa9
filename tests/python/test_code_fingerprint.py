"""The code a cached step depends on is found from imports, so no module can be left out."""

from __future__ import annotations

from pathlib import Path

from scripts.code_fingerprint import (
    SCRIPTS_DIR,
    _imported_modules,
    digest,
    generator_inputs,
    module_closure,
)


def test_every_form_of_import_is_followed(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "import json\n"
        "import scripts.alpha\n"
        "from scripts import beta, gamma\n"
        "from scripts.delta import (\n"
        "    one,\n"
        "    two,\n"
        ")\n"
        "from pandas import DataFrame\n"
        "def later():\n"
        "    from scripts import epsilon\n",
        encoding="utf-8",
    )
    assert _imported_modules(module) == {"alpha", "beta", "gamma", "delta", "epsilon"}


def test_the_loader_closure_reaches_modules_it_imports_only_indirectly() -> None:
    names = {path.name for path in module_closure("load_raw")}
    # The labels live in nhs_vocabulary.py, which only raw_specs.py imports.
    assert "import nhs_vocabulary" not in (SCRIPTS_DIR / "load_raw.py").read_text()
    assert {"load_raw.py", "raw_specs.py", "nhs_vocabulary.py", "workbook_convert.py"} <= names
    assert "make_sample_data.py" not in names


def test_the_generator_inputs_include_the_seeds_it_reads() -> None:
    names = {path.name for path in generator_inputs()}
    assert {"make_sample_data.py", "synthetic_activity.py", "sub_icb_locations.csv"} <= names
    assert "bank_holidays_england.csv" in names


def test_digest_changes_with_content_and_labels_only(tmp_path: Path) -> None:
    first, second = tmp_path / "a.py", tmp_path / "b.py"
    first.write_text("x = 1\n")
    second.write_text("y = 2\n")
    before = digest([first, second], "10x")
    assert digest([first, second], "10x") == before
    assert digest([first, second], "full") != before
    second.write_text("y = 3\n")
    assert digest([first, second], "10x") != before
