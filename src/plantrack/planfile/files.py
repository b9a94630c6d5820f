"""Files on disk: reading the plan, editing it under a lock, and writing any output safely.

Every write goes through one writer: a temporary file beside the target, fsync, and a
rename, so a crash or a full disk leaves the old file whole. The user's files are theirs:
a symlinked plan is edited where it really is and stays a link; hard links, read-only
files, pipes and devices are refused with the reason; owner, group, mode, ACL and extended
attributes are kept, or the write is refused with what would be lost; `-o` never replaces
a file without --force, never the file it was made from nor a plan holding progress, and
never writes through a symlink. Temporary and lock files carry a name the project's
.gitignore ignores, and temporary files a dead process left are removed on the next write.
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from plantrack.core.errors import PlantrackError, UsageError

BOM = b"\xef\xbb\xbf"
LOCK_TIMEOUT_SECONDS = 30.0
# Seconds to wait, one after another, for writes still headed for the replaced file.
LATE_APPEND_PAUSES = (0.0, 0.002, 0.005, 0.01, 0.02)
APPEND_RETRIES = 20
# Both names are in the project's .gitignore, which applies in every folder of a repository.
TEMP_SUFFIX = ".plantrack-tmp"
MAX_PLAN_PEEK = 64 * 2**20  # how much of a file -o would replace is read to look for progress
LOCK_SUFFIX = ".plantrack-lock"


def read_plan(path: Path) -> bytes:
    """The plan file's bytes, or an error that says what is wrong with the path."""
    try:
        _require_regular(path, path.stat(), "计划文件")
        return path.read_bytes()
    except FileNotFoundError:
        raise PlantrackError(f"{path}: 找不到计划文件。请用 --plan 指定路径。") from None
    except IsADirectoryError:
        raise PlantrackError(
            f"{path}: 这是一个目录，不是计划文件。请用 --plan 指定 .yaml 文件。"
        ) from None
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法读取计划文件：{_reason(exc)}") from None


def read_source(path: Path) -> bytes:
    """The bytes of a document to import."""
    try:
        _require_regular(path, path.stat(), "原文")
        return path.read_bytes()
    except FileNotFoundError:
        raise PlantrackError(f"{path}: 找不到这个文件：请检查文件名和所在的文件夹") from None
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法读取：{_reason(exc)}") from None


def is_file(path: Path) -> bool:
    """Tell whether path names a regular file; a name the system cannot take is not one."""
    try:
        return path.is_file()
    except OSError:  # a name too long, and the like: no such file
        return False


def _require_regular(path: Path, status: os.stat_result, what: str) -> None:
    # Reading a pipe or /dev/zero would hang or never end.
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "是目录", str(path))
    if not stat.S_ISREG(status.st_mode):
        raise UsageError(f"{path}: 不是普通文件（是管道、设备或套接字），不能作为{what}读取")


# --- writing a report or an export: -o ------------------------------------------------------


def write_output_file(
    path: Path, data: bytes, *, force: bool = False, protected: Iterable[Path] = ()
) -> None:
    """Write where -o points: atomically, over an existing file only with --force.

    Never over a protected file (the plan or document the output was made from), nor over
    a plan that holds progress, even with --force; and never through a symlink: with
    --force the link itself is replaced.
    """
    existing = check_output(path, force=force, protected=protected)
    mode = 0o666 & ~_umask() if existing is None or stat.S_ISLNK(existing.st_mode) else None
    replace(path, data, like=None if mode is not None else existing, mode=mode)


def check_output(
    path: Path, *, force: bool, protected: Iterable[Path] = ()
) -> os.stat_result | None:
    """Refuse an -o that may not be written; the status of the file it replaces, if any."""
    for source in protected:
        if _same_file(path, source):
            raise UsageError(
                f"{path} 就是读取的文件本身：输出不能写到它上面，--force 也不行。请换一个文件名（-o）"
            )
    try:
        existing = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法写入：{_reason(exc)}") from None
    _may_replace(path, existing, force=force)
    if stat.S_ISREG(existing.st_mode):
        _keep_progress(path)
    return existing


def _may_replace(path: Path, existing: os.stat_result, *, force: bool) -> None:
    if stat.S_ISDIR(existing.st_mode):
        raise UsageError(f"{path} 是一个目录：请在 -o 中写出文件名")
    if not force:
        link = "（一个符号链接）" if stat.S_ISLNK(existing.st_mode) else ""
        raise UsageError(f"{path}{link} 已存在：为免覆盖，未写入。换一个文件名，或加 --force 覆盖")
    if not (stat.S_ISREG(existing.st_mode) or stat.S_ISLNK(existing.st_mode)):
        raise UsageError(f"{path} 不是普通文件（是管道或设备）：不能写到这里")


_PROGRESS_KEY = re.compile(rb"^[ \t]*-?[ \t]*progress[ \t]*:", re.MULTILINE)


def _keep_progress(path: Path) -> None:
    """Refuse to replace a plan in which progress has been recorded: a year of work."""
    try:
        with path.open("rb") as file:
            head = file.read(MAX_PLAN_PEEK)
    except OSError:
        return  # unreadable here: replace() will say why it cannot write either
    if not _PROGRESS_KEY.search(head):
        return
    entries = _progress_entries(head)
    counted = f"记有 {entries} 条进展" if entries else "记有进展"
    suggestion = path.with_name(f"{path.stem}-新{path.suffix}")
    raise UsageError(
        f"{path} 是一份{counted}的计划：覆盖它会丢掉这些进展，--force 也不行。"
        f"请写到另一个文件，如 -o {suggestion}，核对后再合并"
    )


def _progress_entries(text: bytes) -> int:
    """How many progress entries a plan's text holds; 0 when it cannot be read as YAML."""
    import yaml

    try:
        tree = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (yaml.YAMLError, ValueError):
        return 0
    return _count_progress(tree)


def _count_progress(node: object) -> int:
    if isinstance(node, dict):
        own = node.get("progress")
        entries = len(own) if isinstance(own, list) else 0
        return entries + sum(_count_progress(v) for k, v in node.items() if k != "progress")
    if isinstance(node, list):
        return sum(_count_progress(item) for item in node)
    return 0


def _same_file(path: Path, other: Path) -> bool:
    try:
        return path.samefile(other)
    except OSError:
        return False


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- editing the plan: mark and log ---------------------------------------------------------


@dataclass
class Editing:
    """A plan opened for editing: where it really is, its bytes and identity as read."""

    path: Path
    data: bytes
    status: os.stat_result
    descriptor: int

    def replace(self, data: bytes) -> None:
        """Write the new plan, keeping what others appended meanwhile; refuse any other change.

        A program that only appends (a logger, a script adding lines) loses nothing: its
        lines are carried over, even those that land in the instant of the rename.
        """
        for _ in range(APPEND_RETRIES):
            current = self._appended_to()
            try:
                replace(
                    self.path,
                    data + current[len(self.data) :],
                    like=self.status,
                    before_rename=functools.partial(self._still, current),
                )
            except _Moved:
                continue  # what was appended changed while the new file was written: again
            self._keep_appended(len(current))
            return
        raise PlantrackError(
            f"{self.path}: 其他程序一直在向文件追加内容，本次未写入。请稍后重新运行命令。"
        )

    def _appended_to(self) -> bytes:
        """The file as it is now, when it is the file read with only lines appended."""
        try:
            now = self.path.stat()
            current = self.path.read_bytes()
        except OSError:
            current, now = b"", None
        same = now is not None and (now.st_dev, now.st_ino) == (
            self.status.st_dev,
            self.status.st_ino,
        )
        if not same or not current.startswith(self.data):
            raise PlantrackError(
                f"{self.path}: 文件在读取之后被其他程序修改过，为免覆盖他人的修改，本次未写入。"
                "请重新运行命令。"
            )
        return current

    def _still(self, expected: bytes) -> None:
        """At the last moment before the rename: the file must be `expected`, perhaps grown.

        What was appended since is carried over after the rename (_keep_appended).
        """
        if not self._appended_to().startswith(expected):
            raise _Moved

    def _keep_appended(self, written: int) -> None:
        """Lines appended in the instant of the rename went to the old file: add them.

        A program that opened the old file just before the rename writes to it a moment
        later, so the old file is watched for a short while, not looked at once.
        """
        for pause in LATE_APPEND_PAUSES:
            time.sleep(pause)
            size = os.fstat(self.descriptor).st_size
            if size <= written:
                continue
            os.lseek(self.descriptor, written, os.SEEK_SET)
            late = b""
            while chunk := os.read(self.descriptor, 1 << 20):
                late += chunk
            with self.path.open("ab") as handle:
                handle.write(late)
                handle.flush()
                os.fsync(handle.fileno())
            written += len(late)


class _Moved(PlantrackError):
    """The file grew while its replacement was being written."""


@contextmanager
def editing(path: Path, *, lock: bool = True) -> Iterator[Editing]:
    """Open the plan for an edit: the real file behind a symlink, locked unless told not to."""
    real = _editable(path)
    with locked(real) if lock else _nothing():
        if lock:
            remove_stale_temporaries(real)
        try:
            descriptor = os.open(real, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        except OSError as exc:
            raise PlantrackError(f"{path}: 无法读取计划文件：{_reason(exc)}") from None
        try:
            status = os.fstat(descriptor)
            with os.fdopen(os.dup(descriptor), "rb") as handle:
                data = handle.read()
            yield Editing(real, data, status, descriptor)
        finally:
            os.close(descriptor)


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _editable(path: Path) -> Path:
    """The file an edit of path must change, or why plantrack will not change it."""
    read_plan(path)  # the same messages as every other command for a missing or odd path
    real = path.resolve()
    status = real.stat()
    if status.st_nlink > 1:
        raise UsageError(
            f"{path}: 计划文件有 {status.st_nlink} 个硬链接。改写会把它们拆开，"
            "所以 plantrack 不改写它：请改用符号链接，或先复制成独立的文件"
        )
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(
            f"{path}: 计划文件是只读的（权限 {stat.S_IMODE(status.st_mode):04o}），"
            "plantrack 不会改写它。确需修改，请先 chmod u+w"
        )
    if not os.access(real.parent, os.W_OK):
        raise UsageError(f"{real.parent}: 没有写入这个文件夹的权限，无法改写其中的计划文件")
    return real


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the plan so concurrent edits queue instead of colliding.

    The lock file is removed when the edit ends, so it never shows in `git status`.
    """
    lock_path = path.with_name(f".{path.name}{LOCK_SUFFIX}")
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while True:
        fd = _open_lock(lock_path)
        try:
            _acquire(fd, lock_path, deadline)
        except BaseException:
            os.close(fd)
            raise
        if _still_there(fd, lock_path):
            break
        os.close(fd)  # its holder removed it as we waited: lock the file there now
    try:
        yield
    finally:
        with suppress(OSError):
            lock_path.unlink()  # while still held: a waiter then sees it gone and retries
        os.close(fd)  # closing the descriptor releases the lock


def _open_lock(lock_path: Path) -> int:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    try:
        return os.open(lock_path, flags, 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise PlantrackError(
                f"{lock_path}: 锁文件是一个符号链接，plantrack 不会跟随它：请删除它后重试"
            ) from None
        raise PlantrackError(f"{lock_path}: 无法创建锁文件：{_reason(exc)}") from None


def _still_there(fd: int, lock_path: Path) -> bool:
    """Whether the locked file is still the one at lock_path."""
    try:
        here = lock_path.stat(follow_symlinks=False)
    except OSError:
        return False
    mine = os.fstat(fd)
    return (here.st_dev, here.st_ino) == (mine.st_dev, mine.st_ino)


def _acquire(fd: int, lock_path: Path, deadline: float) -> None:
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


# --- the one writer -------------------------------------------------------------------------


def write_atomically(path: Path, data: bytes) -> None:
    """Replace an existing file with data, keeping its mode, owner and group."""
    replace(path, data, like=path.stat())


def replace(
    path: Path,
    data: bytes,
    *,
    like: os.stat_result | None,
    mode: int | None = None,
    before_rename: object = None,
) -> None:
    """Write data to a temporary file beside path, fsync it, and rename it over path.

    like: the file being replaced, whose mode, owner and group the new one keeps.
    before_rename: a check run at the last moment; when it raises, nothing is replaced.
    """
    try:
        fd, name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=TEMP_SUFFIX
        )
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法写入：{_reason(exc)}") from None
    temporary = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _take_on(temporary, like, mode, path)
        if callable(before_rename):
            before_rename()
        temporary.replace(path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        kept = "（原文件未改动）" if like is not None else ""
        raise PlantrackError(f"{path}: 无法写入：{_reason(exc)}{kept}") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _take_on(
    temporary: Path, like: os.stat_result | None, mode: int | None, original: Path
) -> None:
    """Give the new file the old one's mode, owner, group, ACL and extended attributes.

    The new file replaces the old by a rename, so it is a new inode: everything the old
    one carried is copied, or the write is refused, saying what would be lost.
    """
    if like is None:
        temporary.chmod(mode if mode is not None else 0o644)
        return
    temporary.chmod(stat.S_IMODE(like.st_mode))
    if (like.st_uid, like.st_gid) != (os.geteuid(), os.getegid()):
        # Only root may give a file away; an owner may give it a group they belong to.
        with suppress(PermissionError):
            os.chown(temporary, like.st_uid, like.st_gid)
        now = temporary.stat()
        if (now.st_uid, now.st_gid) != (like.st_uid, like.st_gid):
            raise PlantrackError(_ownership_lost(original, like))
    _copy_attributes(original, temporary)


def _ownership_lost(path: Path, like: os.stat_result) -> str:
    owner, group = _user_name(like.st_uid), _group_name(like.st_gid)
    me = _user_name(os.geteuid())
    return (
        f"{path}: 这个文件属于用户 {owner}、组 {group}；由你（{me}）改写后它会变成属于你，"
        f"{owner} 和组里的同事可能就改不了它了，所以没有改动。"
        f"请由 {owner} 来运行这条命令，或请管理员把你加入组 {group}、由 {owner} 持有文件"
    )


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        import grp

        return grp.getgrgid(gid).gr_name
    except (ImportError, KeyError):
        return str(gid)


def _copy_attributes(original: Path, temporary: Path) -> None:
    """Copy extended attributes (an ACL is one: system.posix_acl_access), where they exist."""
    if not hasattr(os, "listxattr"):
        return  # not Linux: no extended attributes through os
    try:
        names = os.listxattr(original)
    except OSError:
        return  # the file system keeps none
    for name in names:
        try:
            os.setxattr(temporary, name, os.getxattr(original, name))
        except OSError as exc:
            what = (
                "访问控制列表（ACL）" if name.startswith("system.posix_acl") else f"扩展属性 {name}"
            )
            raise PlantrackError(
                f"{original}: 改写后无法保留它的{what}（{_reason(exc)}），所以没有改动。"
                "请检查文件所在的文件系统和权限"
            ) from None


def remove_stale_temporaries(path: Path) -> None:
    """Delete temporary files of path that a killed plantrack left behind."""
    for temporary in path.parent.glob(f".{path.name}.*{TEMP_SUFFIX}"):
        pid = temporary.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            with suppress(OSError):
                temporary.unlink()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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


def _reason(exc: OSError) -> str:
    """An OS error in words a clerk can act on."""
    reasons = {
        errno.ENOSPC: "磁盘空间不足",
        errno.EACCES: "没有权限",
        errno.EPERM: "没有权限",
        errno.EROFS: "文件系统是只读的",
        errno.ENOENT: "文件夹不存在",
        errno.ENOTDIR: "路径中有一段不是文件夹",
        errno.EDQUOT: "超出磁盘配额",
        errno.ENAMETOOLONG: "文件名太长",
    }
    return reasons.get(exc.errno or 0, exc.strerror or type(exc).__name__)
