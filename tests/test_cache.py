"""The cache of answers by file content: a hit is the same answer, anything odd is a miss."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from helpers import PLAN_2023, PLANTRACK, PROGRESS_PLAN, Invoke
from plantrack.gitops.plandiff import readable
from plantrack.gitops.textconv import textconv
from plantrack.planfile import cache


def _entries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of this test's own."""
    where = tmp_path / "cache"
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(where))
    return where


def test_a_second_textconv_is_read_from_the_cache_and_is_the_same(folder: Path) -> None:
    first = textconv(PLAN_2023)
    assert first == readable(PLAN_2023.read_bytes(), str(PLAN_2023))
    [entry] = _entries(folder)
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in (folder, entry.parent))
    assert textconv(PLAN_2023) == first and _entries(folder) == [entry]
    textconv(PROGRESS_PLAN)  # other bytes, another entry
    assert len(_entries(folder)) == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data.replace(b"13", b"31"),  # changed, header intact
        lambda data: b"not a plantrack cache entry\n" + data,  # foreign
        lambda data: b"",  # empty
    ],
    ids=["cut", "changed", "foreign", "empty"],
)
def test_a_damaged_entry_is_a_miss_and_is_written_again(folder: Path, damage: object) -> None:
    good = textconv(PLAN_2023)
    [entry] = _entries(folder)
    entry.write_bytes(damage(entry.read_bytes()))  # type: ignore[operator]
    assert textconv(PLAN_2023) == good
    assert cache.get("textconv", PLAN_2023.read_bytes()) == good  # repaired


def test_an_unwritable_cache_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PLANTRACK_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be
    assert textconv(PLAN_2023) == readable(PLAN_2023.read_bytes(), str(PLAN_2023))


def test_no_cache_turns_it_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTRACK_NO_CACHE", "1")
    textconv(PLAN_2023)
    assert not folder.exists()


def test_cache_clear_empties_it_and_says_how_much(cli: Invoke, folder: Path) -> None:
    textconv(PLAN_2023)
    assert cli("cache").stdout == f"缓存位置：{folder}（1 个文件）\n"
    assert cli("cache", "clear").stdout == f"已清空缓存 {folder}（1 个文件）\n"
    assert _entries(folder) == []
    assert "只有 clear" in cli("cache", "purge", code=2).stderr


def test_the_textconv_git_runs_answers_alike_cold_and_warm(folder: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PLANTRACK_CACHE_DIR": str(folder)}
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"<<<<<<< HEAD\nx: [\n")
    for plan in (PLAN_2023, PROGRESS_PLAN, broken):
        expected = readable(plan.read_bytes(), str(plan))
        for _ in ("cold", "warm"):
            done = subprocess.run(
                [str(PLANTRACK), "textconv", str(plan)], capture_output=True, env=env, check=True
            )
            assert done.stdout == expected
    missing = subprocess.run(
        [str(PLANTRACK), "textconv", str(tmp_path / "nope.yaml")], capture_output=True, env=env
    )
    assert missing.returncode == 1 and "找不到计划文件" in missing.stderr.decode("utf-8")


def test_a_plan_read_again_comes_from_the_cache_as_the_same_plan(
    folder: Path, monkeypatch: pytest.MonkeyPatch, plan_text: str
) -> None:
    from plantrack.planfile import load

    monkeypatch.setattr(load, "CACHED_FROM", 0)  # the bundled plan is below the threshold
    read = load.parse_plan(plan_text, "p")
    [entry] = _entries(folder / "values")
    cached = load.parse_plan(plan_text, "p")
    assert cached == read and _entries(folder / "values") == [entry]
    entry.write_bytes(entry.read_bytes()[:-10])  # cut: a miss, read and stored again
    assert load.parse_plan(plan_text, "p") == read
    edited = plan_text.replace("title: 统筹推进专项整治工作", "title: 统筹推进专项整治", 1)
    assert load.parse_plan(edited, "p").tasks_by_id[13].title == "统筹推进专项整治"
