"""Slips found by reading the plan's lines: git's conflict markers and text lost to a # comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import DATA, Invoke
from plantrack.planfile import slips

MINIMAL = DATA / "valid" / "minimal.yaml"


def test_each_conflict_is_named_at_its_opening_marker() -> None:
    text = "a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> x\nc: 1\n<<<<<<< HEAD\nd: 1\n=======\n>>>>>>> y\n"
    found = slips.conflicts(text, "p.yaml")
    assert [(p.line, p.col, p.rule) for p in found] == [
        (2, 1, "merge-conflict"),
        (8, 1, "merge-conflict"),
    ]
    assert all(slips.CONFLICT in p.message for p in found)


def test_a_conflict_whose_opening_marker_was_deleted_is_named_at_its_first_marker() -> None:
    found = slips.conflicts("a: 1\nb: 2\n=======\nb: 3\n>>>>>>> x\n", "p.yaml")
    assert [p.line for p in found] == [3]


def test_lines_that_only_look_like_markers_are_not_conflicts() -> None:
    assert slips.conflicts("note: 见 ======= 分隔线\ntitle: <<<<<<<< 八个\n", "p.yaml") == []


@pytest.mark.parametrize(
    ("line", "lost"),
    [
        ("    note: 进入自查自纠阶段 #重点", "#重点"),
        ("  - text: 开展培训 #待核实 第二句", "#待核实 第二句"),
    ],
)
def test_a_word_after_hash_in_text_is_a_warning(line: str, lost: str) -> None:
    [found] = slips.text_lost_to_comments(f"a: 1\n{line}\n", "p.yaml")
    assert (found.line, found.col, found.rule) == (2, line.index("#") + 1, "comment-in-text")
    assert f"“{lost}”是 YAML 注释" in found.message


@pytest.mark.parametrize(
    "line",
    [
        "    note: 已报送  # 注释：井号后有空格",
        '    note: "已报送 #重点"',
        "    note: 见 http://example.org/#重点",
        "    status: 已完成 #待核实",
        "    # note: 已报送 #重点",
    ],
)
def test_ordinary_comments_and_quoted_text_are_left_alone(line: str) -> None:
    assert list(slips.text_lost_to_comments(f"a: 1\n{line}\n", "p.yaml")) == []


def test_check_prints_the_warning_and_still_exits_0(cli: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    text = MINIMAL.read_text(encoding="utf-8").replace("note: 已部署", "note: 已部署 #重点")
    plan.write_text(text, encoding="utf-8")
    result = cli("check", str(plan))
    assert "没有发现问题" in result.stdout
    assert f"{plan}:36:23: 提示：“#重点”是 YAML 注释" in result.stderr
