"""Problems where a merge request shows them: GitHub Actions workflow commands, escaped as
the runner reads them, or a GitLab Code Quality report."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path
from typing import Any

from plantrack.core.problems import Problem
from plantrack.output.display import printable


def _in_workspace(name: str) -> str:
    """The path as the CI sees it: relative to the checkout when inside it."""
    path = Path(name)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())  # the runner's workspace
    return path.as_posix()


def github_annotation(level: str, problem: Problem) -> str:
    """One problem as a GitHub Actions workflow command, escaped as the runner expects."""
    where = ",".join(
        [
            f"file={_annotation_property(_in_workspace(problem.path))}",
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


def gitlab_issue(level: str, problem: Problem) -> dict[str, Any]:
    """One problem as an entry of a GitLab Code Quality report (JSON, shown in the merge request)."""
    path = _in_workspace(problem.path)
    key = f"{path}:{problem.line}:{problem.col}:{problem.rule}:{problem.message}"
    return {
        "description": problem.message,
        "check_name": f"plantrack {problem.rule}",
        # GitLab tells one report's issues from another's by this: stable for the same problem.
        "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest(),
        "severity": "major" if level == "error" else "info",
        "location": {"path": path, "lines": {"begin": problem.line}},
    }
