"""Problems found in raw files, and how they are told to the person who has to fix them.

Every message names the file, where in it (CSV line or sheet and row), the column, the value
found and what was expected, e.g.::

    appointments_regional.csv line 1234, column count_of_appointments: got '-5', expected a
    non-negative whole number
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

SHOWN_PROBLEMS = 20
_VALUE_WIDTH = 80


def shown_value(value: str) -> str:
    """The value quoted for a message, shortened so one line stays readable."""
    if len(value) > _VALUE_WIDTH:
        value = value[: _VALUE_WIDTH - 3] + "..."
    return repr(value)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a raw file; ``row`` is a CSV line or a sheet row, 1-based."""

    source_file: str
    expected: str
    row: int | None = None
    sheet: str | None = None
    column: str | None = None
    value: str | None = None

    def where(self) -> str:
        if self.row is None:
            return self.source_file
        if self.sheet is not None:
            return f"{self.source_file} sheet {self.sheet!r} row {self.row}"
        return f"{self.source_file} line {self.row}"

    def __str__(self) -> str:
        parts = [self.where()]
        if self.column is not None:
            parts.append(f", column {self.column}")
        if self.value is not None:
            parts.append(f": got {shown_value(self.value)}, expected {self.expected}")
        else:
            parts.append(f": {self.expected}")
        return "".join(parts)

    def sort_key(self) -> tuple[str, int]:
        return (self.source_file, self.row or 0)


@dataclass
class ProblemLog:
    """All problems of a run: a few kept to show, every one counted.

    Checks that find many problems at once pass a handful of examples and the full count, so
    a file with a million bad rows is still reported quickly.
    """

    examples: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, problem: Problem) -> None:
        self.examples.append(problem)
        self.total += 1

    def add_counted(self, examples: Iterable[Problem], total: int) -> None:
        self.examples.extend(examples)
        self.total += total

    def extend(self, other: ProblemLog) -> None:
        self.add_counted(other.examples, other.total)

    def __bool__(self) -> bool:
        return self.total > 0

    def report(self, limit: int = SHOWN_PROBLEMS) -> list[str]:
        """Lines for stderr: the first problems in file order, then how many there were."""
        shown = sorted(self.examples, key=Problem.sort_key)[:limit]
        lines = [str(problem) for problem in shown]
        if self.total > len(shown):
            lines.append(f"... and {self.total - len(shown)} more problem(s) not shown")
        lines.append(f"{self.total} problem(s) in total")
        return lines


class RawFileError(Exception):
    """A problem that stops reading a file at once (it cannot be parsed any further)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem
