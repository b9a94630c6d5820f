"""`check`: every problem of each plan file, and a merge git has left unfinished."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from plantrack.core import rule_codes as codes
from plantrack.core.problems import Problem
from plantrack.gitops import git
from plantrack.planfile.load import Checked, check_files

UNFINISHED = (
    "git 的合并还没有完成，这个计划文件仍是“未合并”：合并驱动没有运行（多半是 git 找不到 "
    "plantrack），文件可能只是一边的样子，另一边的进展不在其中。请先 git merge --abort，"
    "运行 plantrack git-setup 后重新合并"
)


def check(
    paths: Sequence[Path], *, plan: Path | None = None, as_of: dt.date | None = None
) -> list[Checked]:
    """Check each file as `check_files` does; a file git has left unmerged is a problem too."""
    results = []
    for result in check_files(paths, plan=plan, as_of=as_of):
        if git.unmerged(result.path):
            problem = Problem(str(result.path), 1, 1, codes.MERGE_UNFINISHED, UNFINISHED)
            result = Checked(result.path, None, [problem, *result.problems], result.warnings)
        results.append(result)
    return results
