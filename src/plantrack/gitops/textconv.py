"""The textconv git runs on every version of a plan that `git log -p` shows: fast, cached.

git starts plantrack once per version shown; most of that time was Python loading Typer
and Pydantic to say the same thing about bytes it had seen before. The answer for given
bytes is kept in the user's cache, so a version already shown costs a file read and a
hash, and only a version not seen yet loads the plan.
"""

from __future__ import annotations

from plantrack.planfile import cache

TYPE_CHECKING = False  # typing itself costs a cache hit 10 ms
if TYPE_CHECKING:
    from pathlib import Path


def textconv(path: Path) -> bytes:
    """The plan at path as one fact per line (see plandiff.readable), from the cache if there."""
    from plantrack.planfile import files

    return answer(files.read_plan(path), str(path))


def answer(data: bytes, name: str) -> bytes:
    """The plan's bytes as one fact per line: from the cache, or worked out and stored."""
    shown = cache.get("textconv", data)
    if shown is None:
        from plantrack.gitops.plandiff import readable

        shown = readable(data, name)
        cache.put("textconv", data, shown)
    return shown
