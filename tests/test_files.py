"""The plan file on disk: read errors that say what to do, the lock, the atomic replace."""

from __future__ import annotations

import stat
import threading
import time
from pathlib import Path

import pytest

from plantrack import files
from plantrack.errors import PlantrackError


def test_read_errors_name_the_path_and_the_fix(tmp_path: Path) -> None:
    with pytest.raises(PlantrackError, match="找不到计划文件。请用 --plan 指定路径"):
        files.read_plan(tmp_path / "none.yaml")
    with pytest.raises(PlantrackError, match="这是一个目录，不是计划文件"):
        files.read_plan(tmp_path)


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
        assert (tmp_path / ".2023.yaml.lock").exists()
        waiting = threading.Thread(target=second)
        waiting.start()
        time.sleep(0.2)  # the second holder must still be waiting
        order.append("first")
    waiting.join(timeout=5)
    assert order == ["first", "second"]


def test_output_that_cannot_be_written_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(PlantrackError, match="无法写入"):
        files.write_output(tmp_path / "no-such-folder" / "r.md", b"x")
