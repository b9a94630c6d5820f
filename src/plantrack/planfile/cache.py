"""A cache of answers worked out from a file's bytes, in the user's cache folder.

An answer is stored under a key made of what was asked, the bytes it was asked of, and
the code that worked it out (every module's size and modification time, and where and
when pydantic and PyYAML were installed, so an edited or upgraded plantrack or library
never reads an old answer). Each entry carries the length and hash of
what it holds: a cut, corrupt or foreign entry is a miss, never trusted and never fatal.
Entries are written atomically, readable by their owner only, and hold nothing secret.

PLANTRACK_NO_CACHE=1 turns the cache off; PLANTRACK_CACHE_DIR moves it.

Reading an entry imports little more than os and hashlib: git's textconv answers from here
once per version it shows, and its start-up is most of its time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys

TYPE_CHECKING = False  # typing itself costs a cache hit 10 ms
if TYPE_CHECKING:
    from pathlib import Path

_MAGIC = b"plantrack-cache 1"
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _where() -> str | None:
    """The cache folder as a path string; None when the cache is turned off."""
    if os.environ.get("PLANTRACK_NO_CACHE", "") not in ("", "0"):
        return None
    chosen = os.environ.get("PLANTRACK_CACHE_DIR")
    if chosen:
        return chosen
    home = os.path.expanduser("~")
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "plantrack", "Cache")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "plantrack")
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache")
    return os.path.join(base, "plantrack")


def folder() -> Path | None:
    """Where entries live; None when the cache is turned off."""
    from pathlib import Path

    where = _where()
    return None if where is None else Path(where)


# The libraries whose objects an answer may hold: an upgrade of any of them is a miss too.
_LIBRARIES = ("pydantic", "pydantic_core", "yaml")


@functools.cache
def code_stamp() -> bytes:
    """A digest of the code behind an answer: plantrack's modules (names, sizes, times),
    the libraries it keeps objects of, and Python's version. Any change to them changes it."""
    digest = hashlib.sha256(sys.version.encode())
    for top, folders, names in os.walk(_PACKAGE):
        folders.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                status = os.stat(os.path.join(top, name))
                where = os.path.relpath(os.path.join(top, name), _PACKAGE)
                digest.update(f"{where}:{status.st_size}:{status.st_mtime_ns}\n".encode())
    for library in _LIBRARIES:
        digest.update(f"{library}:{_installed(library)}\n".encode())
    return digest.digest()


def _installed(library: str) -> str:
    """Where a library is installed and when, without importing it: changes on any upgrade."""
    from importlib.util import find_spec

    try:
        spec = find_spec(library)
    except (ImportError, ValueError):
        return "-"
    if spec is None or spec.origin is None:
        return "-"
    # An upgrade replaces the package's files, which changes its folder's time.
    status = os.stat(os.path.dirname(spec.origin))
    return f"{spec.origin}:{status.st_mtime_ns}:{os.stat(spec.origin).st_size}"


def _entry(kind: str, data: bytes) -> tuple[str, bytes] | None:
    where = _where()
    if where is None:
        return None
    key = hashlib.sha256(kind.encode() + b"\0" + code_stamp() + data).hexdigest()
    return os.path.join(where, kind, key[:2], key), key.encode()


def _header(key: bytes, payload: bytes) -> bytes:
    digest = hashlib.sha256(payload).hexdigest().encode()
    return b" ".join([_MAGIC, key, str(len(payload)).encode(), digest])


def get(kind: str, data: bytes) -> bytes | None:
    """The answer stored for kind and data, or None."""
    found = _entry(kind, data)
    if found is None:
        return None
    path, key = found
    try:
        with open(path, "rb") as file:
            stored = file.read()
    except OSError:
        return None
    header, _, payload = stored.partition(b"\n")
    if header != _header(key, payload):
        return None
    # Marked as used: entries are pruned least recently used first. (No contextlib here:
    # textconv reads from this module, and each import is start-up time.)
    try:  # noqa: SIM105
        os.utime(path)
    except OSError:
        pass
    return payload


def put(kind: str, data: bytes, payload: bytes, *, keep: int | None = None) -> None:
    """Store the answer for kind and data; a cache that cannot be written is simply skipped.

    With keep, only that many entries of the kind stay: the least recently used go.
    """
    import tempfile
    from contextlib import suppress

    found = _entry(kind, data)
    if found is None:
        return
    path, key = found
    with suppress(OSError):
        leaf = os.path.dirname(path)
        for made in (os.path.dirname(os.path.dirname(leaf)), os.path.dirname(leaf), leaf):
            os.makedirs(made, mode=0o700, exist_ok=True)  # owner-only, each level
        fd, name = tempfile.mkstemp(dir=leaf, prefix=".entry.")  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(_header(key, payload) + b"\n" + payload)
            os.replace(name, path)
        except OSError:
            os.unlink(name)
            raise
        if keep is not None:
            _prune(os.path.dirname(os.path.dirname(leaf)), keep)


def _prune(kind_folder: str, keep: int) -> None:
    """Remove the least recently used entries of a kind beyond keep."""
    from contextlib import suppress

    found = []
    for top, _, names in os.walk(kind_folder):
        for name in names:
            path = os.path.join(top, name)
            with suppress(OSError):
                found.append((os.stat(path).st_mtime_ns, path))
    found.sort(reverse=True)
    for _, path in found[keep:]:
        with suppress(OSError):
            os.unlink(path)


def entries() -> tuple[Path | None, int]:
    """The cache's folder (None when turned off) and how many entries it holds."""
    where = folder()
    if where is None or not where.is_dir():
        return where, 0
    return where, sum(1 for entry in where.rglob("*") if entry.is_file())


def clear() -> tuple[Path | None, int]:
    """Empty the cache: its folder and how many entries were removed."""
    import shutil

    where, count = entries()
    if where is not None and count:
        shutil.rmtree(where, ignore_errors=True)
    return where, count
