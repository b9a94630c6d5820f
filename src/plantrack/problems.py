"""Problems as values: where in a plan file something is wrong, what, and by which rule."""

from __future__ import annotations

from dataclasses import dataclass

# Where a value stands in the plan's structure: ("sections", 0, "tasks", 3, "title").
Loc = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem found in the plan's values, before it is given a line and column."""

    loc: Loc
    rule: str
    message: str
    # Point at the key rather than its value, e.g. for an unknown field.
    at_key: bool = False


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a plan file, at a line and column (both 1-based), with a stable rule code."""

    path: str
    line: int
    col: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
