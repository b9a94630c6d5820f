"""`git-setup`: plantrack's diff and merge drivers registered so that git always finds them.

A driver registered as plain `plantrack merge-driver …` fails wherever git runs without
plantrack on its PATH (a GUI client, a shell without the venv): git then reports a conflict
but leaves the file as one side, and the other office's entries are lost once committed.
So the drivers are registered with the absolute path of the Python running plantrack now.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import NamedTuple

from plantrack.gitops import git
from plantrack.planfile import files

ATTRIBUTES = "plans/*.yaml diff=plantrack merge=plantrack"


class Registered(NamedTuple):
    """What git-setup set: the commands git will run, and whether .gitattributes changed."""

    textconv: str
    driver: str
    attributes: Path
    attributes_added: bool


def command() -> str:
    """plantrack as this Python runs it, quoted for the shell git runs drivers in."""
    return f"{shlex.quote(sys.executable)} -m plantrack"


def register(folder: Path) -> Registered:
    """Register both drivers in the repository at folder and declare them for plans/*.yaml."""
    top = Path(git.output("rev-parse", "--show-toplevel", cwd=folder).strip())
    textconv = f"{command()} textconv"
    driver = f"{command()} merge-driver %O %A %B"
    git.output("config", "diff.plantrack.textconv", textconv, cwd=top)
    git.output("config", "merge.plantrack.name", "plantrack 计划合并驱动", cwd=top)
    git.output("config", "merge.plantrack.driver", driver, cwd=top)
    attributes = top / ".gitattributes"
    added = _declare(attributes)
    return Registered(textconv, driver, attributes, added)


def _declare(attributes: Path) -> bool:
    """Add the plans/*.yaml line to .gitattributes unless it is there; keep everything else."""
    old = attributes.read_bytes() if attributes.exists() else b""
    lines = old.decode("utf-8", "replace").splitlines()
    if ATTRIBUTES in (line.strip() for line in lines):
        return False
    ending = b"\r\n" if b"\r\n" in old else b"\n"
    joiner = ending if old and not old.endswith(b"\n") else b""
    data = old + joiner + ATTRIBUTES.encode("utf-8") + ending
    if attributes.exists():
        files.write_atomically(attributes, data)
    else:
        files.write_output_file(attributes, data)
    return True
