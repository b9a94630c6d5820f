"""The plan file on disk: reading it, locking it, and replacing it atomically."""

from __future__ import annotations

import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from plantrack.errors import PlantrackError

BOM = b"\xef\xbb\xbf"
LOCK_TIMEOUT_SECONDS = 30.0


def read_plan(path: Path) -> bytes:
    """The plan file's bytes, or an error that says what is wrong with the path."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PlantrackError(f"{path}: 找不到计划文件。请用 --plan 指定路径。") from None
    except IsADirectoryError:
        raise PlantrackError(
            f"{path}: 这是一个目录，不是计划文件。请用 --plan 指定 .yaml 文件。"
        ) from None
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法读取计划文件：{exc.strerror}") from None


def read_document(path: Path) -> bytes:
    """A document's bytes, for import."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法读取：{exc.strerror}") from None


def write_output(path: Path, data: bytes) -> None:
    """Write a report or an export where -o points."""
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法写入：{exc.strerror}") from None


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the plan so concurrent edits queue instead of colliding."""
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PlantrackError(f"{lock_path}: 无法创建锁文件：{exc.strerror}") from None
    try:
        _acquire(fd, lock_path)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, lock_path: Path) -> None:
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while not _try_lock(fd):
        if time.monotonic() > deadline:
            raise PlantrackError(
                f"{lock_path}: 另一个 plantrack 进程正在修改计划文件，请稍后重试。"
            )
        time.sleep(0.02)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file, fsync it, and rename it over the plan, keeping its mode."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
