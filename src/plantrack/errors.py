"""The single error root and the problem values that core modules raise."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class PlantrackError(Exception):
    """Root of every error plantrack reports to the user; exit code 1 unless told otherwise."""

    exit_code = 1


class UsageError(PlantrackError):
    """The user asked for something that does not exist: an unknown unit, task or status."""

    exit_code = 2


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem in a plan file, located at a line and column (both 1-based)."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class PlanError(PlantrackError):
    """A plan file that cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
