"""A cache of answers worked out from a file's bytes, in the user's cache folder.

An answer is stored under a key made of what was asked, the bytes it was asked of, and
the code that worked it out (every module's size and modification time, so an edited or
upgraded plantrack never reads an old answer). Each entry carries the length and hash of
what it holds: a cut, corrupt or foreign entry is a miss, never trusted and never fatal.
Entries are written atomically, readable by their owner only, and hold nothing secret.

PLANTRACK_NO_CACHE=1 turns the cache off; PLANTRACK_CACHE_DIR moves it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sys
import tempfile
from contextlib import suppress
from pathlib import Path

_MAGIC = b"plantrack-cache 1"
_PACKAGE = Path(__file__).resolve().parents[1]


def folder() -> Path | None:
    """Where entries live; None when the cache is turned off."""
    if os.environ.get("PLANTRACK_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("PLANTRACK_CACHE_DIR")
    if chosen:
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "plantrack" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "plantrack"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "plantrack"


@functools.cache
def code_stamp() -> bytes:
    """A digest of plantrack's own modules (names, sizes, times): any change to the code changes it."""
    digest = hashlib.sha256()
    for module in sorted(_PACKAGE.rglob("*.py")):
        status = module.stat()
        digest.update(
            f"{module.relative_to(_PACKAGE)}:{status.st_size}:{status.st_mtime_ns}\n".encode()
        )
    return digest.digest()


def _entry(kind: str, data: bytes) -> tuple[Path, bytes] | None:
    where = folder()
    if where is None:
        return None
    key = hashlib.sha256(kind.encode() + b"\0" + code_stamp() + data).hexdigest()
    return where / kind / key[:2] / key, key.encode()


def get(kind: str, data: bytes) -> bytes | None:
    """The answer stored for kind and data, or None."""
    found = _entry(kind, data)
    if found is None:
        return None
    path, key = found
    try:
        stored = path.read_bytes()
    except OSError:
        return None
    header, _, payload = stored.partition(b"\n")
    expected = b" ".join([_MAGIC, key, str(len(payload)).encode(), _digest(payload)])
    return payload if header == expected else None


def put(kind: str, data: bytes, payload: bytes) -> None:
    """Store the answer for kind and data; a cache that cannot be written is simply skipped."""
    found = _entry(kind, data)
    if found is None:
        return
    path, key = found
    header = b" ".join([_MAGIC, key, str(len(payload)).encode(), _digest(payload)])
    with suppress(OSError):
        for made in (path.parents[2], path.parents[1], path.parent):  # owner-only, each level
            made.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=".entry.")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(header + b"\n" + payload)
            Path(name).replace(path)
        except OSError:
            Path(name).unlink(missing_ok=True)
            raise


def _digest(payload: bytes) -> bytes:
    return hashlib.sha256(payload).hexdigest().encode()


def entries() -> tuple[Path | None, int]:
    """The cache's folder (None when turned off) and how many entries it holds."""
    where = folder()
    if where is None or not where.is_dir():
        return where, 0
    return where, sum(1 for entry in where.rglob("*") if entry.is_file())


def clear() -> tuple[Path | None, int]:
    """Empty the cache: its folder and how many entries were removed."""
    where, count = entries()
    if where is not None and count:
        shutil.rmtree(where, ignore_errors=True)
    return where, count
