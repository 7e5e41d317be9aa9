"""Find the raw files of every source in a folder, inside the publication's zip archives too.

The course's files are found by name (``appointments_regional*.csv``, ...). The publisher's
files are recognised by their header (``publisher_specs``, ``publisher_daily_specs``): a file
named like one of them (``Regional_CSV_*.csv``, ``APPOINTMENTS_GP_COVERAGE*.csv``,
``SUB_ICB_LOCATION_CSV_*.csv``, ...) or any CSV inside a ``.zip`` archive as the publication is
downloaded, and also a course-named file whose header is a publisher layout. A publisher-named
file or archive member whose header is no accepted layout is refused, naming the file and
listing the accepted layouts; a header that mixes two accepted layouts is refused as such.

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
from scripts.loader.publisher_daily_specs import DAILY_SOURCES
from scripts.loader.publisher_specs import MONTHLY_SOURCES
from scripts.loader.raw_specs import SOURCES, Layout, SourceSpec
from scripts.loader.workbook_convert import synthetic_label

PUBLISHER_SOURCES: tuple[SourceSpec, ...] = (*MONTHLY_SOURCES, *DAILY_SOURCES)
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


def _names(layout: Layout, names: list[str] | tuple[str, ...]) -> set[str]:
    """Header names as the layout compares them."""
    return {name.strip() if layout.case_sensitive else _key(name) for name in names}


def _mixed_layouts(keys: set[str], source_file: str) -> RawFileError | None:
    """The error for a header in between two accepted layouts (it holds columns only one of
    them has, and columns only the other has), the pair it is closest to; the column named is
    the first of the layout it holds fewer columns of."""
    layouts = [layout for spec in PUBLISHER_SOURCES for layout in spec.layouts]
    mixes = []
    for index, first in enumerate(layouts):
        for second in layouts[index + 1 :]:
            first_keys = {_key(name) for name in first.headers}
            second_keys = {_key(name) for name in second.headers}
            own_first, own_second = first_keys - second_keys, second_keys - first_keys
            if keys & own_first and keys & own_second:
                both = first_keys | second_keys
                closeness = (len(keys & both), -len(both - keys))
                mixes.append((closeness, ((first, own_first), (second, own_second))))
    if not mixes:
        return None
    _, pair = max(mixes, key=lambda mix: mix[0])
    held = [
        (layout, [name for name in layout.headers if _key(name) in own & keys])
        for layout, own in pair
    ]
    (more_layout, more), (fewer_layout, fewer) = sorted(held, key=lambda one: -len(one[1]))
    return RawFileError(
        Problem(
            source_file,
            f"the header of one accepted layout; this one mixes {more_layout.name} "
            f"columns ({', '.join(more)}) with {fewer_layout.name} columns "
            f"({', '.join(fewer)}). Accepted layouts: {accepted_layouts()}",
            row=1,
            column=fewer[0],
        )
    )


def identify_layout(found: list[str], source_file: str) -> tuple[SourceSpec, Layout]:
    """The publisher's source and layout whose every column is in this header, or raise."""
    layouts = [layout for spec in PUBLISHER_SOURCES for layout in spec.layouts]
    for spec in PUBLISHER_SOURCES:
        for layout in spec.layouts:
            if _names(layout, layout.headers) <= _names(layout, found):
                return spec, layout
    keys = {_key(name) for name in found}
    # every name is there in other letters: a case-sensitive layout written otherwise
    other_case = [layout for layout in layouts if {_key(name) for name in layout.headers} <= keys]
    if other_case:
        layout = other_case[0]
        raise RawFileError(
            Problem(
                source_file,
                f"the header of layout {layout.name} as published, in these letters: "
                f"{', '.join(layout.headers)} (written otherwise, it is the course's file: "
                f"name it {_course_glob_of(layout)}). Accepted layouts: {accepted_layouts()}",
                row=1,
                column=next(name for name in layout.headers if name not in found),
                value=", ".join(found),
            )
        )
    mixed = _mixed_layouts(keys, source_file)
    if mixed is not None:
        raise mixed
    best = max(layouts, key=lambda layout: len(keys & {_key(name) for name in layout.headers}))
    missing = [name for name in best.headers if _key(name) not in keys]
    if len(missing) <= len(best.headers) // 2:
        expected = (
            f"the columns of layout {best.name}; missing {', '.join(missing)}. "
            f"Accepted layouts: {accepted_layouts()}"
        )
        column = missing[0]
    else:
        expected = f"a recognised layout; accepted layouts: {accepted_layouts()}"
        column = None
    raise RawFileError(Problem(source_file, expected, row=1, column=column, value=", ".join(found)))


def _course_glob_of(layout: Layout) -> str:
    """The course's file whose columns a case-sensitive layout shares."""
    names = {_key(name) for name in layout.headers}
    return next(
        (spec.file_glob for spec in SOURCES if set(spec.column_names) == names),
        "as the course names it",
    )


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
