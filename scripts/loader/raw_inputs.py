"""Find the raw files of every source in a folder, inside the publication's zip archives too.

The course's files are found by name (``appointments_regional*.csv``, ...). The publisher's
files are recognised by their header (``publisher_specs``): a file named like one of them
(``Regional_CSV_*.csv``, ``APPOINTMENTS_GP_COVERAGE*.csv``, any name with spaces) or any CSV
inside a ``.zip`` archive as the publication is downloaded, and also a course-named file whose
header is a publisher layout. A publisher-named file or archive member whose header is no
accepted layout is refused, naming the file and listing the accepted layouts; a header that
mixes two layouts of one source is refused as such.

Archive members are read in place (never unzipped by hand); their lineage name is
``<archive>/<member>``.
"""

from __future__ import annotations

import csv
import fnmatch
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from scripts.loader.problems import Problem, ProblemLog, RawFileError
from scripts.loader.publisher_specs import PUBLISHER_SOURCES
from scripts.loader.raw_specs import SOURCES, Layout, SourceSpec
from scripts.loader.workbook_convert import synthetic_label

ALL_SOURCES: tuple[SourceSpec, ...] = (*SOURCES, *PUBLISHER_SOURCES)
_HEADER_BYTES = 1 << 16


@dataclass(frozen=True)
class RawInput:
    """One raw file of a source: a file in the raw folder or a member of a zip archive there."""

    name: str  # the lineage name landed in source_file
    path: Path  # the file, or the archive holding the member
    spec: SourceSpec
    layout: Layout | None = None
    member: str | None = None

    @property
    def location(self) -> str:
        where = str(self.path.resolve())
        return where if self.member is None else f"{where}!{self.member}"

    def read_bytes(self) -> bytes:
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            return archive.read(self.member)

    def synthetic_label(self) -> str | None:
        """What the file itself says about being SYNTHETIC: a workbook's document properties,
        or for an archive member the archive's comment (the generator writes both)."""
        if self.member is None:
            return synthetic_label(self.path) if self.spec.is_workbook else None
        with zipfile.ZipFile(self.path) as archive:
            comment = archive.comment.decode("utf-8", errors="replace")
        return comment if re.search(r"\bsynthetic\b", comment, re.IGNORECASE) else None


def _header_names(first_bytes: bytes) -> list[str]:
    text = first_bytes.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
    line = text.split("\n", 1)[0].rstrip("\r")
    try:
        return next(csv.reader([line]), [])
    except csv.Error:
        return line.split(",")


def _key(name: str) -> str:
    return name.strip().lower()


def accepted_layouts() -> str:
    """Every layout the loader accepts, for error messages."""
    publisher = "; ".join(
        f"{layout.name} ({layout.description}: {', '.join(layout.headers)})"
        for spec in PUBLISHER_SOURCES
        for layout in spec.layouts
    )
    course = ", ".join(spec.file_glob for spec in SOURCES)
    return f"{publisher}; and the course's files by name: {course}"


def identify_layout(found: list[str], source_file: str) -> tuple[SourceSpec, Layout]:
    """The publisher's source and layout whose every column is in this header, or raise."""
    keys = {_key(name) for name in found}
    for spec in PUBLISHER_SOURCES:
        for layout in spec.layouts:
            if all(_key(name) in keys for name in layout.headers):
                return spec, layout
    for spec in PUBLISHER_SOURCES:
        for index, first in enumerate(spec.layouts):
            for second in spec.layouts[index + 1 :]:
                own_first = {_key(n) for n in first.headers} - {_key(n) for n in second.headers}
                own_second = {_key(n) for n in second.headers} - {_key(n) for n in first.headers}
                if keys & own_first and keys & own_second:
                    from_first = [n for n in first.headers if _key(n) in own_first & keys]
                    from_second = [n for n in second.headers if _key(n) in own_second & keys]
                    raise RawFileError(
                        Problem(
                            source_file,
                            f"the header of one accepted layout; this one mixes {first.name} "
                            f"columns ({', '.join(from_first)}) with {second.name} columns "
                            f"({', '.join(from_second)}). Accepted layouts: {accepted_layouts()}",
                            row=1,
                            column=from_second[0],
                        )
                    )
    best = max(
        ((spec, layout) for spec in PUBLISHER_SOURCES for layout in spec.layouts),
        key=lambda pair: len(keys & {_key(name) for name in pair[1].headers}),
    )
    missing = [name for name in best[1].headers if _key(name) not in keys]
    if len(missing) <= len(best[1].headers) // 2:
        expected = (
            f"the columns of layout {best[1].name}; missing {', '.join(missing)}. "
            f"Accepted layouts: {accepted_layouts()}"
        )
        column = missing[0]
    else:
        expected = f"a recognised layout; accepted layouts: {accepted_layouts()}"
        column = None
    raise RawFileError(Problem(source_file, expected, row=1, column=column, value=", ".join(found)))


def _matches(name: str, spec: SourceSpec) -> bool:
    return fnmatch.fnmatchcase(name, spec.file_glob)


def _classify(
    name: str, base: str, first_bytes: bytes | None, path: Path, member: str | None
) -> RawInput | None:
    """The source of one file (base: its own name), or None when it is not a raw file."""
    if member is not None and not base.lower().endswith(".csv"):
        return None  # an archive's CSVs are its data; anything else in it is documentation
    course = next((spec for spec in SOURCES if _matches(base, spec)), None)
    if course is not None and course.is_workbook:
        return RawInput(name, path, course, member=member)
    publisher_named = any(_matches(base, spec) for spec in PUBLISHER_SOURCES)
    if course is None and not publisher_named and member is None:
        return None
    found = _header_names(first_bytes or b"")
    if course is not None:
        try:
            spec, layout = identify_layout(found, name)
        except RawFileError:
            return RawInput(name, path, course, member=member)
        return RawInput(name, path, spec, layout, member)
    spec, layout = identify_layout(found, name)
    return RawInput(name, path, spec, layout, member)


def _first_bytes(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_HEADER_BYTES)


def _archive_inputs(path: Path, problems: ProblemLog) -> list[RawInput]:
    inputs = []
    try:
        with zipfile.ZipFile(path) as archive:
            for info in sorted(archive.infolist(), key=lambda info: info.filename):
                if info.is_dir():
                    continue
                base = Path(info.filename).name
                with archive.open(info) as handle:
                    first = handle.read(_HEADER_BYTES)
                try:
                    found = _classify(
                        f"{path.name}/{info.filename}", base, first, path, info.filename
                    )
                except RawFileError as error:
                    problems.add(error.problem)
                    continue
                if found is not None:
                    inputs.append(found)
    except (zipfile.BadZipFile, OSError) as error:
        problems.add(Problem(path.name, f"a readable zip archive ({error})"))
    return inputs


def find_raw_inputs(raw_dir: Path) -> tuple[dict[str, list[RawInput]], ProblemLog]:
    """The raw inputs of every source (possibly none), and the files refused on the way."""
    found: dict[str, list[RawInput]] = {spec.name: [] for spec in ALL_SOURCES}
    problems = ProblemLog()
    for path in sorted(raw_dir.iterdir()):
        if not path.is_file():
            continue
        if path.suffix.lower() == ".zip":
            inputs = _archive_inputs(path, problems)
        else:
            try:
                first = None if path.suffix.lower() == ".xlsx" else _first_bytes(path)
                single = _classify(path.name, path.name, first, path, None)
            except RawFileError as error:
                problems.add(error.problem)
                continue
            inputs = [] if single is None else [single]
        for raw_input in inputs:
            found[raw_input.spec.name].append(raw_input)
    return found, problems
