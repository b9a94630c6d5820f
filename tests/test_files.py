"""The plan file on disk: read errors that say what to do, the lock, the atomic replace."""

from __future__ import annotations

import datetime as dt
import errno
import os
import random
import shutil
import stat
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import PLAN_2023, ROOT, SOURCE_TEXT, Invoke
from plantrack.core.errors import PlantrackError
from plantrack.core.model import Progress
from plantrack.core.refs import TaskRef
from plantrack.planfile import edit, files
from plantrack.planfile.load import parse_plan

# What Windows does not have, said in each skip: the suite runs there too (tests.yml).
WINDOWS = sys.platform == "win32"
NO_MODES = pytest.mark.skipif(WINDOWS, reason="Windows 没有 POSIX 权限位（chmod 只管只读）")
NO_SYMLINKS = pytest.mark.skipif(WINDOWS, reason="Windows 上建符号链接需要管理员权限或开发者模式")
NO_FIFOS = pytest.mark.skipif(WINDOWS, reason="Windows 没有命名管道文件（mkfifo）")


def test_read_errors_name_the_path_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(PlantrackError, match="找不到计划文件。请用 --plan 指定路径"):
        files.read_plan(tmp_path / "none.yaml")
    with pytest.raises(PlantrackError, match="这是一个目录，不是计划文件"):
        files.read_plan(tmp_path)


@NO_MODES
def test_atomic_write_keeps_the_mode_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "2023.yaml"
    path.write_bytes(b"old\n")
    path.chmod(0o640)
    files.write_atomically(path, b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023.yaml"]


def test_lock_sits_beside_the_plan_and_queues_a_second_holder(tmp_path: Path) -> None:
    path = tmp_path / "2023.yaml"
    path.write_bytes(b"x\n")
    order: list[str] = []

    def second() -> None:
        with files.locked(path):
            order.append("second")

    with files.locked(path):
        assert (tmp_path / f".2023.yaml{files.LOCK_SUFFIX}").exists()
        waiting = threading.Thread(target=second)
        waiting.start()
        time.sleep(0.2)  # the second holder must still be waiting
        order.append("first")
    waiting.join(timeout=5)
    assert order == ["first", "second"]


def test_output_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(PlantrackError, match="无法写入"):
        files.write_output_file(tmp_path / "no-such-folder" / "r.md", b"x")


# --- -o: never the plan, never without --force, never through a link -----------------------


@pytest.fixture
def plan(plan_copy: Path) -> Path:
    """A copy of the bundled plan that commands may change."""
    return plan_copy


REPORT = ("report", "--quarter", "2023Q3", "--as-of", "2023-10-08")


def test_a_report_is_never_written_over_the_plan_it_came_from(cli: Invoke, plan: Path) -> None:
    before = plan.read_bytes()
    for force in ([], ["--force"]):
        result = cli(*REPORT, "--plan", str(plan), "-o", str(plan), *force, code=2)
        assert "就是读取的文件本身" in result.stderr
    link = plan.parent / "link.md"
    link.symlink_to(plan)
    cli(*REPORT, "--plan", str(plan), "-o", str(link), "--force", code=2)
    assert plan.read_bytes() == before


def test_an_existing_output_needs_force_and_is_replaced_whole(cli: Invoke, plan: Path) -> None:
    out = plan.parent / "r.md"
    out.write_text("旧报告\n", encoding="utf-8")
    out.chmod(0o640)
    result = cli(*REPORT, "--plan", str(plan), "-o", str(out), code=2)
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "旧报告\n"
    cli(*REPORT, "--plan", str(plan), "-o", str(out), "--force")
    assert out.read_text(encoding="utf-8").startswith("# 2023年交通法治工作要点")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert sorted(p.name for p in out.parent.iterdir()) == ["2023.yaml", "r.md"]


@NO_SYMLINKS
def test_output_never_writes_through_a_symlink(cli: Invoke, plan: Path) -> None:
    precious = plan.parent / "precious.txt"
    precious.write_text("珍贵\n", encoding="utf-8")
    link = plan.parent / "r.html"
    link.symlink_to(precious)
    cli(*REPORT, "--plan", str(plan), "--format", "html", "-o", str(link), code=2)
    cli(*REPORT, "--plan", str(plan), "--format", "html", "-o", str(link), "--force")
    assert precious.read_text(encoding="utf-8") == "珍贵\n"
    assert not link.is_symlink() and "<html" in link.read_text(encoding="utf-8")
    dangling = plan.parent / "new.yaml"
    dangling.symlink_to(plan.parent / "elsewhere.yaml")
    result = cli("import", str(SOURCE_TEXT), "--year", "2023", "-o", str(dangling), code=2)
    assert "已存在" in result.stderr and not (plan.parent / "elsewhere.yaml").exists()


def test_dash_means_standard_output(cli: Invoke, plan: Path, tmp_path: Path) -> None:
    result = cli(*REPORT, "--plan", str(plan), "-o", "-")
    assert result.stdout.startswith("# 2023年交通法治工作要点")
    assert not (Path.cwd() / "-").exists()


def test_a_full_disk_leaves_the_old_file_whole_and_no_litter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "r.md"
    path.write_bytes(b"old\n")

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(PlantrackError, match="磁盘空间不足（原文件未改动）"):
        files.write_output_file(path, b"new\n" * 1000, force=True)
    assert path.read_bytes() == b"old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.md"]


# --- editing: links, permissions, owners, pipes, leftovers -----------------------------------


@NO_SYMLINKS
def test_mark_through_a_symlink_changes_the_real_file_and_keeps_the_link(
    cli: Invoke, plan: Path, tmp_path: Path
) -> None:
    link = tmp_path / "current.yaml"
    link.symlink_to(plan)
    cli("mark", "9", "done", "--plan", str(link))
    assert link.is_symlink() and link.resolve() == plan
    assert "status: 已完成" in plan.read_text(encoding="utf-8")
    assert sorted(p.name for p in plan.parent.iterdir()) == ["2023.yaml"]  # no lock left
    assert not (tmp_path / f".current.yaml{files.LOCK_SUFFIX}").exists()


@NO_MODES
def test_read_only_and_hard_linked_plans_are_refused_unchanged(cli: Invoke, plan: Path) -> None:
    before = plan.read_bytes()
    plan.chmod(0o444)
    result = cli("mark", "9", "done", "--plan", str(plan), code=2)
    assert "只读" in result.stderr and "chmod u+w" in result.stderr
    plan.chmod(0o644)
    os.link(plan, plan.parent / "copy.yaml")
    result = cli("log", "9", "x", "--plan", str(plan), code=2)
    assert "硬链接" in result.stderr
    assert plan.read_bytes() == before


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() != 0,
    reason="only root can give a file to another owner (POSIX owners; Windows has none)",
)
def test_an_edit_by_root_keeps_the_owner_group_and_mode(cli: Invoke, plan: Path) -> None:
    os.chown(plan, 65534, 65534)
    plan.chmod(0o640)
    cli("mark", "9", "done", "--plan", str(plan))
    after = plan.stat()
    assert (after.st_uid, after.st_gid, stat.S_IMODE(after.st_mode)) == (65534, 65534, 0o640)


def _acl(*entries: tuple[int, int, int]) -> bytes:
    """A POSIX ACL as Linux stores it in system.posix_acl_access: version 2, then entries."""
    return (2).to_bytes(4, "little") + b"".join(
        tag.to_bytes(2, "little") + perm.to_bytes(2, "little") + uid.to_bytes(4, "little")
        for tag, perm, uid in entries
    )


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="extended attributes need Linux")
def test_an_edit_keeps_the_acl_and_extended_attributes(cli: Invoke, plan: Path) -> None:
    undefined = 0xFFFFFFFF
    # owner rw, user 1234 rw, group r, mask rw, others r: what `setfacl -m u:1234:rw` makes
    acl = _acl((1, 6, undefined), (2, 6, 1234), (4, 4, undefined), (0x10, 6, undefined),
               (0x20, 4, undefined))  # fmt: skip
    try:
        os.setxattr(plan, "user.plantrack.reviewed", b"2023-10-20")
        os.setxattr(plan, "system.posix_acl_access", acl)
    except OSError as exc:
        pytest.skip(f"this file system keeps no extended attributes or ACLs: {exc}")
    cli("mark", "9", "done", "--plan", str(plan), "--as-of", "2023-10-20")
    assert "已完成" in plan.read_text(encoding="utf-8")
    assert os.getxattr(plan, "user.plantrack.reviewed") == b"2023-10-20"
    assert os.getxattr(plan, "system.posix_acl_access") == acl


# Tests that become another user in a child process: only root may do that.
as_root = pytest.mark.skipif(
    not hasattr(os, "fork") or os.geteuid() != 0,
    reason="needs root, to become another user in a child process",
)


@pytest.fixture
def reachable() -> Iterator[Path]:
    """The 2023 plan in a folder anyone may reach (pytest's own are root's alone)."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="plantrack-shared-"))
    folder.chmod(0o755)
    plan = folder / "2023.yaml"
    plan.write_bytes(PLAN_2023.read_bytes())
    yield plan
    shutil.rmtree(folder)


@as_root
def test_an_edit_that_would_take_the_file_from_its_owner_is_refused(reachable: Path) -> None:
    # A shared, world-writable plan that root owns, edited by "nobody".
    reachable.parent.chmod(0o777)
    reachable.chmod(0o666)
    said = _as_nobody(lambda: files.write_atomically(reachable, reachable.read_bytes() + b"# x\n"))
    assert "这个文件属于用户 root、组 root" in said and "没有改动" in said
    assert reachable.read_bytes() == PLAN_2023.read_bytes() and reachable.stat().st_uid == 0
    assert not [p for p in reachable.parent.iterdir() if p.name.endswith(files.TEMP_SUFFIX)]


@as_root
def test_a_plan_nobody_may_read_is_said_in_chinese(reachable: Path) -> None:
    from plantrack.planfile.load import load_plan

    reachable.chmod(0o000)
    said = _as_nobody(lambda: load_plan(reachable))
    assert said == f"PlantrackError: {reachable}: 无法读取计划文件：没有权限", said


def _as_nobody(action: Any) -> str:
    """Run action in a child process as user nobody; what it raised, or "done"."""
    import grp  # noqa: F401 -- loaded now: nobody cannot read root's Python installation
    import pwd  # noqa: F401

    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        said = "done"
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            action()
        except BaseException as exc:  # the child must never return into pytest
            said = f"{type(exc).__name__}: {exc}"
        finally:
            os.write(write, said.encode("utf-8"))
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as reply:
        said = reply.read().decode("utf-8")
    os.waitpid(child, 0)
    return said


@NO_SYMLINKS
def test_a_lock_file_that_is_a_symlink_is_not_followed(cli: Invoke, plan: Path) -> None:
    target = plan.parent / "victim.txt"
    target.write_text("keep\n", encoding="utf-8")
    (plan.parent / f".2023.yaml{files.LOCK_SUFFIX}").symlink_to(target)
    result = cli("mark", "9", "done", "--plan", str(plan), code=1)
    assert "锁文件是一个符号链接" in result.stderr
    assert target.read_text(encoding="utf-8") == "keep\n"


@NO_FIFOS
def test_a_pipe_as_the_plan_is_refused_not_waited_on(cli: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "plan.yaml"
    os.mkfifo(fifo)
    result = cli("check", "--plan", str(fifo), code=2)
    assert "不是普通文件" in result.stderr


def test_no_lock_is_left_for_a_missing_plan(cli: Invoke, tmp_path: Path) -> None:
    cli("mark", "9", "done", "--plan", str(tmp_path / "none.yaml"), code=1)
    assert list(tmp_path.iterdir()) == []


def test_stale_temporaries_are_removed_and_a_dry_run_takes_no_lock(cli: Invoke, plan: Path) -> None:
    stale = plan.parent / f".2023.yaml.999999999.abc{files.TEMP_SUFFIX}"
    stale.write_bytes(b"half a plan")
    with files.locked(plan):  # another edit holds the lock: a dry run need not wait
        cli("mark", "9", "done", "--plan", str(plan), "--dry-run")
    cli("mark", "9", "done", "--plan", str(plan))
    assert not stale.exists()


# --- races with the world outside (bench/races.py runs these at full size) -------------------


def _races() -> Any:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import races
    finally:
        sys.path.pop(0)
    return races


def test_lines_another_program_appends_during_edits_are_never_lost(tmp_path: Path) -> None:
    path = tmp_path / "2023.yaml"
    path.write_bytes(PLAN_2023.read_bytes())

    def log(plan: Path, run: int) -> bool:
        entry = Progress(date=dt.date(2023, 7, 1), note=f"第 {run} 次记录")
        edit.log(plan, TaskRef(1), entry, as_of=dt.date(2023, 12, 31))
        return True

    appended, lost, written = _races().lost_appends(path, 40, log)
    assert (lost, written) == (0, 40) and appended > 40
    plan = parse_plan(path.read_text(encoding="utf-8"), str(path))
    assert len(plan.tasks_by_id[1].progress) == 40


def test_edits_killed_midway_leave_only_the_plan_changed_in_git(tmp_path: Path) -> None:
    if not shutil.which("git"):
        pytest.skip("git is needed")
    seed = random.SystemRandom().randrange(10**6)
    porcelain, valid = _races().killed_marks(tmp_path, 8, seed)
    again = f"重跑：python bench/races.py kills 8 {seed}"
    assert porcelain in ("", " M plans/2023.yaml\n") and valid, again


@NO_MODES
def test_a_folder_the_user_cannot_write_is_named_before_anything_is_tried(
    cli: Invoke, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = plan.read_bytes()
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode: False if Path(p) == plan.parent else real_access(p, mode),
    )
    result = cli("log", "13", "已报送", "--plan", str(plan), "--as-of", "2023-10-10", code=2)
    assert f"{plan.parent}: 没有写入这个文件夹的权限" in result.stderr
    assert plan.read_bytes() == before


def test_a_lock_that_cannot_be_created_says_why(
    cli: Invoke, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def refuse_locks(path: Any, flags: int, mode: int = 0o777) -> int:
        if str(path).endswith(files.LOCK_SUFFIX):
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, mode)

    monkeypatch.setattr(os, "open", refuse_locks)
    result = cli("log", "13", "已报送", "--plan", str(plan), "--as-of", "2023-10-10", code=1)
    assert "无法创建锁文件：没有权限" in result.stderr and "内部错误" not in result.stderr


@NO_SYMLINKS
def test_two_links_to_one_plan_share_one_lock(plan: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.symlink_to(plan)
    second.symlink_to(plan)
    order: list[str] = []

    def other() -> None:
        with files.editing(second):
            order.append("second")

    with files.editing(first):
        waiting = threading.Thread(target=other)
        waiting.start()
        time.sleep(0.2)  # the edit through the other link must still be waiting
        order.append("first")
    waiting.join(timeout=5)
    assert order == ["first", "second"]
