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


def test_imports_of_subpackage_modules_name_the_module_and_its_packages(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "from scripts.loader import raw_specs\n"
        "from scripts.build.publish import publish\n"
        "import scripts.report.html\n",
        encoding="utf-8",
    )
    assert _imported_modules(module) == {
        "loader",
        "loader.raw_specs",
        "build",
        "build.publish",
        "report",
        "report.html",
    }


def test_the_loader_closure_reaches_modules_it_imports_only_indirectly() -> None:
    paths = {path.relative_to(SCRIPTS_DIR).as_posix() for path in module_closure("loader.load")}
    # The labels live in loader/vocabulary.py, which only loader/raw_specs.py imports.
    assert "vocabulary" not in (SCRIPTS_DIR / "loader" / "load.py").read_text()
    assert {
        "loader/__init__.py",
        "loader/load.py",
        "loader/raw_specs.py",
        "loader/vocabulary.py",
        "loader/workbook_convert.py",
    } <= paths
    assert not any(path.startswith("synthetic/") for path in paths)


def test_the_generator_inputs_include_the_seeds_it_reads() -> None:
    names = {path.name for path in generator_inputs()}
    assert {
        "generate.py",
        "activity.py",
        "national_categories.py",
        "sub_icb_locations.csv",
    } <= names
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
