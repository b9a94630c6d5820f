"""The single error root; the CLI turns it into a message and an exit code in one place."""

from __future__ import annotations

from collections.abc import Sequence

from plantrack.core.problems import Problem


class PlantrackError(Exception):
    """Root of every error plantrack reports to the user; exit code 1 unless told otherwise."""

    exit_code = 1


class UsageError(PlantrackError):
    """The user asked for something that does not exist: an unknown unit, task or status."""

    exit_code = 2


class InternalError(PlantrackError):
    """Something plantrack itself got wrong, caught before it could do harm; exit code 3."""

    exit_code = 3


class PlanError(PlantrackError):
    """A plan file that cannot be used; carries every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
