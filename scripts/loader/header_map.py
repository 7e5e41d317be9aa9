"""Match a raw file's header to its spec: columns may come in any order and extras are dropped.

Header names are compared trimmed and case-insensitively. A required column that is missing
(or renamed) is an error naming the missing column and the columns that were found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from scripts.loader.problems import Problem, RawFileError
from scripts.loader.raw_specs import SourceSpec


@dataclass(frozen=True)
class HeaderMap:
    """Where each spec column sits in the file, and which found columns are not used."""

    positions: tuple[int, ...]
    extra_columns: tuple[str, ...]
    width: int


def _key(name: str) -> str:
    return name.strip().lower()


def map_header(
    spec: SourceSpec,
    found: Sequence[str],
    source_file: str,
    row: int = 1,
    sheet: str | None = None,
) -> HeaderMap:
    """Resolve the header, or raise RawFileError saying which column is missing or doubled."""
    keys = [_key(name) for name in found]
    found_text = ", ".join(name.strip() for name in found)
    for key in set(keys):
        if key and keys.count(key) > 1:
            raise RawFileError(
                Problem(
                    source_file,
                    f"each column named once; columns found: {found_text}",
                    row=row,
                    sheet=sheet,
                    column=key,
                    value=f"{key} appears {keys.count(key)} times",
                )
            )
    missing = [name for name in spec.column_names if name not in keys]
    if missing:
        raise RawFileError(
            Problem(
                source_file,
                f"required column(s) {', '.join(missing)} missing from the header; "
                f"expected {', '.join(spec.column_names)}; columns found: {found_text}",
                row=row,
                sheet=sheet,
                column=missing[0],
            )
        )
    wanted = set(spec.column_names)
    extra = tuple(name.strip() for name, key in zip(found, keys, strict=True) if key not in wanted)
    return HeaderMap(
        positions=tuple(keys.index(name) for name in spec.column_names),
        extra_columns=tuple(name for name in extra if name),
        width=len(found),
    )
