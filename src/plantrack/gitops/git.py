"""The one place plantrack runs git: reading versions, the user's name, three-way merges."""

from __future__ import annotations

import subprocess
from pathlib import Path

from plantrack.core.errors import UsageError

# How git's conflict markers name the three versions in a plan people read in Chinese.
MERGE_LABELS = ("当前分支", "共同祖先", "合入分支")


def output(*args: str, cwd: Path) -> str:
    """What a git command prints, or a usage error that says what to give instead."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("找不到 git：比较两个版本需要安装 git，或直接给出两个文件") from None
    if done.returncode != 0 and b"not a git repository" in done.stderr:
        raise UsageError(
            f"{cwd} 不在 git 仓库中：请给出两个计划文件，如 plantrack diff 旧.yaml 新.yaml"
        )
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        shown = " ".join(arg for arg in args if arg != "--end-of-options")
        raise UsageError(
            f"git {shown} 失败：{reason[-1] if reason else '未知原因'}。"
            "请给出存在的 git 版本（如 main、HEAD~1）或计划文件"
        )
    return done.stdout.decode("utf-8", "replace")


def show(revision: str, inside: str, *, cwd: Path) -> str:
    """The text of a file at a revision: git show REV:PATH, never read as an option."""
    if revision.startswith("-"):
        raise UsageError(
            f"“{revision}”不是 git 版本：版本不能以 - 开头，请写 main、HEAD~1 这样的版本"
        )
    return output("show", "--end-of-options", f"{revision}:{inside}", cwd=cwd)


def path_in_repository(path: Path) -> str:
    """The path of a file relative to the top of its repository, as git names it."""
    top = output("rev-parse", "--show-toplevel", cwd=path.resolve().parent).strip()
    return path.resolve().relative_to(Path(top).resolve()).as_posix()


def user_name(folder: Path) -> str | None:
    """The git user name configured for the repository at folder, if any."""
    try:
        result = subprocess.run(
            ["git", "config", "user.name"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


def merge_file(
    ours: Path, base: Path, theirs: Path, *, stdout: bool
) -> subprocess.CompletedProcess[bytes]:
    """git merge-file: the three-way text merge, into ours or (stdout) printed."""
    labels = [arg for label in MERGE_LABELS for arg in ("-L", label)]
    argv = ["git", "merge-file", *labels, *(["-p"] if stdout else []), str(ours), str(base)]
    return subprocess.run([*argv, str(theirs)], capture_output=True, check=False)


def unmerged(path: Path) -> bool:
    """Tell whether a merge is under way and path is still unmerged in git's index.

    Outside a repository, or without git, nothing is under way.
    """
    folder = path.resolve().parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--git-path", "MERGE_HEAD"],
            cwd=folder, capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
        if head.returncode != 0 or not (folder / head.stdout.strip()).exists():
            return False
        listed = subprocess.run(
            ["git", "ls-files", "-u", "--", path.resolve().name],
            cwd=folder, capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(listed.stdout.strip())
