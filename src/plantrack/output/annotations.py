"""Problems as GitHub Actions workflow commands, escaped as the runner reads them."""

from __future__ import annotations

import contextlib
from pathlib import Path

from plantrack.core.problems import Problem
from plantrack.output.display import printable


def github_annotation(level: str, problem: Problem) -> str:
    """One problem as a GitHub Actions workflow command, escaped as the runner expects."""
    path = Path(problem.path)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())  # the runner's workspace
    where = ",".join(
        [
            f"file={_annotation_property(path.as_posix())}",
            f"line={problem.line}",
            f"col={problem.col}",
            f"title={_annotation_property(f'plantrack {problem.rule}')}",
        ]
    )
    return f"::{level} {where}::{_annotation_data(printable(problem.message))}"


def _annotation_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_property(text: str) -> str:
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")
