"""Problems as values: where in a plan file something is wrong, what, and by which rule.

Small records here and in the modules every command imports are NamedTuples: they are
immutable like frozen dataclasses and cost a tenth as much to define at startup.
"""

from __future__ import annotations

from typing import NamedTuple

# Where a value stands in the plan's structure: ("sections", 0, "tasks", 3, "title").
Loc = tuple[str | int, ...]


class Finding(NamedTuple):
    """A problem found in the plan's values, before it is given a line and column."""

    loc: Loc
    rule: str
    message: str
    # Point at the key rather than its value, e.g. for an unknown field.
    at_key: bool = False


class Problem(NamedTuple):
    """One problem in a plan file, at a line and column (both 1-based), with a stable rule code."""

    path: str
    line: int
    col: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"
