"""Digests of code and inputs, for deciding whether something built earlier is still current.

The code a step runs is found from its imports, not listed by hand: a hand-kept list misses a
module the moment one is split out or a new one imported (the loader's labels moving into
nhs_vocabulary.py went unnoticed that way), and a stale result is then reused.
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from pathlib import Path

SCRIPTS_DIR = Path(__file__).resolve().parent
SEEDS_DIR = SCRIPTS_DIR.parent / "seeds"


def _imported_modules(path: Path) -> set[str]:
    """Names of the scripts/ modules path imports, anywhere in it (also inside functions)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "scripts":
                names.update(alias.name for alias in node.names)
            elif node.module.startswith("scripts."):
                names.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            names.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("scripts.")
            )
    return names


def module_closure(entry: str) -> list[Path]:
    """scripts/<entry>.py and every module of scripts/ it imports, directly or not."""
    found: set[Path] = set()
    pending = [SCRIPTS_DIR / f"{entry}.py"]
    while pending:
        path = pending.pop()
        if path in found or not path.is_file():
            continue
        found.add(path)
        pending.extend(SCRIPTS_DIR / f"{name}.py" for name in _imported_modules(path))
    return sorted(found)


def generator_inputs() -> list[Path]:
    """What the synthetic data generator's output depends on: its code and the seeds it reads
    (geography, bank holidays)."""
    return [*module_closure("make_sample_data"), *sorted(SEEDS_DIR.glob("*.csv"))]


def digest(files: Iterable[Path], *labels: str) -> str:
    """sha256 over the labels and each file's name and content."""
    hashed = hashlib.sha256("\0".join(labels).encode())
    for path in files:
        hashed.update(f"\0{path.name}\0".encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()
