"""The Python package keeps the shape docs/architecture.md describes: one subpackage per step,
modules of one job, no import circles, and no consumer naming a relation instead of going
through the dbt graph."""

from __future__ import annotations

import re
from pathlib import Path

from scripts.code_fingerprint import SCRIPTS_DIR, _imported_modules, _module_file

REPO_ROOT = SCRIPTS_DIR.parent
MAX_MODULE_LINES = 400
STEPS = {"loader", "build", "synthetic", "consumers", "report", "bench"}
# SQL that names a schema-qualified relation of the warehouse instead of ref()/source().
RELATION_NAME = re.compile(r"\b(from|join)\s+\"?(marts|intermediate|staging|reference)\"?\.", re.I)


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name under scripts."""
    found = {}
    for path in sorted(SCRIPTS_DIR.rglob("*.py")):
        parts = path.relative_to(SCRIPTS_DIR).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def test_each_step_of_the_architecture_is_a_subpackage() -> None:
    packages = {path.parent.name for path in SCRIPTS_DIR.glob("*/__init__.py")}
    assert packages >= STEPS
    loose = {path.name for path in SCRIPTS_DIR.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert len(loose) <= 5, f"loose modules in scripts/: {sorted(loose)}"


def test_no_module_is_longer_than_one_job() -> None:
    long = {
        name: length
        for name, path in modules().items()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert not long, f"modules over {MAX_MODULE_LINES} lines: {long}"


def test_no_import_circle() -> None:
    graph = {
        name: {imported for imported in _imported_modules(path) if _module_file(imported)}
        for name, path in modules().items()
        if name
    }
    # A package imports its own modules only through its __init__, which stays import-free.
    graph = {name: {i for i in imports if i != name} for name, imports in graph.items()}
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for imported in sorted(graph.get(name, ())):
            if "." in name and imported == name.rsplit(".", 1)[0]:
                continue  # the module's own package __init__ (a docstring only)
            if state.get(imported) == "open":
                circle = [*trail[trail.index(imported) :], imported]
                raise AssertionError(f"import circle: {' -> '.join(circle)}")
            if imported not in state:
                visit(imported, [*trail, imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_package_inits_hold_no_code_that_imports() -> None:
    for path in SCRIPTS_DIR.rglob("__init__.py"):
        assert not _imported_modules(path), f"{path} imports project modules"


def test_consumers_reach_relations_only_through_the_dbt_graph() -> None:
    offenders = []
    for path in [*SCRIPTS_DIR.rglob("*.py"), *(REPO_ROOT / "analyses").rglob("*.sql")]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RELATION_NAME.search(line):
                offenders.append(f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}")
    assert not offenders, "relations named instead of ref():\n" + "\n".join(offenders)
