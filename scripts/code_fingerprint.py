"""Digests of code and inputs, for deciding whether something built earlier is still current.

The code a step runs is found from its imports, not listed by hand: a hand-kept list misses a
module the moment one is split out or a new one imported (the loader's labels moving into
loader/vocabulary.py went unnoticed that way), and a stale result is then reused.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPTS_DIR.parent
SEEDS_DIR = REPO_ROOT / "seeds"


def _module_file(dotted: str) -> Path | None:
    """The file of scripts.<dotted> (a module, or a package's __init__), if it is one."""
    base = SCRIPTS_DIR.joinpath(*dotted.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imported_modules(path: Path) -> set[str]:
    """Dotted names (under scripts.) of the modules path imports, anywhere in it (also inside
    functions), with the packages they sit in, since importing a module runs its packages'
    __init__ too. `from scripts.a import b` names the module a.b when there is one, else a
    (b is then a name defined in a)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module != "scripts" and not node.module.startswith("scripts."):
                continue
            package = node.module.removeprefix("scripts").lstrip(".")
            for alias in node.names:
                submodule = f"{package}.{alias.name}".lstrip(".")
                names.add(submodule if not package or _module_file(submodule) else package)
        elif isinstance(node, ast.Import):
            names.update(
                alias.name.removeprefix("scripts.")
                for alias in node.names
                if alias.name.startswith("scripts.")
            )
    names.discard("")
    for name in list(names):
        parts = name.split(".")
        names.update(".".join(parts[:end]) for end in range(1, len(parts)))
    return names


def module_closure(entry: str) -> list[Path]:
    """The module scripts.<entry> and every module of scripts/ it imports, directly or not."""
    found: set[Path] = set()
    pending = [_module_file(entry)]
    while pending:
        path = pending.pop()
        if path is None or path in found:
            continue
        found.add(path)
        pending.extend(_module_file(name) for name in _imported_modules(path))
    return sorted(found)


def generator_inputs() -> list[Path]:
    """What the synthetic data generator's output depends on: its code and the seeds it reads
    (geography, bank holidays)."""
    return [*module_closure("synthetic.generate"), *sorted(SEEDS_DIR.glob("*.csv"))]


def digest(files: Iterable[Path], *labels: str) -> str:
    """sha256 over the labels and each file's name (its path in the repository, where it is in
    it) and content."""
    hashed = hashlib.sha256("\0".join(labels).encode())
    for path in files:
        name = path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path.name
        hashed.update(f"\0{name}\0".encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()
