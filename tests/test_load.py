"""Loading: every way a hand-edited plan breaks is reported at its line:col, in words that fix it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import BROKEN_COPIES, PLAN_2023
from plantrack.core.errors import PlanError, PlantrackError
from plantrack.planfile.load import find_plan, load_plan, parse_plan

Breaker = Callable[[str, str], tuple[Path, int]]


@pytest.mark.parametrize("name", sorted(BROKEN_COPIES))
def test_broken_copy_is_reported_at_the_culprit(broken_plan: Breaker, name: str) -> None:
    old, new, offset, col, message = BROKEN_COPIES[name]
    path, line = broken_plan(old, new)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert str(caught.value) == f"{path}:{line + offset}:{col}: {message}"


def test_all_schema_problems_are_reported_together(broken_plan: Breaker, plan_text: str) -> None:
    path, _ = broken_plan("      - id: 13\n", "      - id: 十三\n")
    text = path.read_text(encoding="utf-8").replace("value: 80", "value: 八十")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert [p.line for p in caught.value.problems] == [218, 310]


def test_gbk_file_is_rejected_with_a_fix(tmp_path: Path, plan_text: str) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(plan_text.encode("gbk"))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    first_cjk = next(i for i, line in enumerate(plan_text.splitlines(), 1) if not line.isascii())
    col = plan_text.splitlines()[first_cjk - 1].index(next(c for c in plan_text if ord(c) > 127))
    assert str(caught.value).startswith(f"{path}:{first_cjk}:{col + 1}: 文件不是 UTF-8 编码")
    assert "看起来是 GBK 编码" in str(caught.value)
    assert "另存为 UTF-8" in str(caught.value)


def test_bom_and_crlf_are_accepted(tmp_path: Path, plan_text: str) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + plan_text.replace("\n", "\r\n").encode("utf-8"))
    loaded = load_plan(path)
    assert len(loaded.plan.tasks) == 26


def test_crlf_positions_stay_right(tmp_path: Path, plan_text: str) -> None:
    broken = plan_text.replace("      - id: 14\n", "      - id: 13\n").replace("\n", "\r\n")
    path = tmp_path / "crlf.yaml"
    path.write_bytes(broken.encode("utf-8"))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert str(caught.value) == f"{path}:231:13: 任务编号 13 重复：每个任务的 id 必须唯一"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "p.yaml:1:1: 计划文件是空的：请从 plans/2023.yaml 复制一份作为起点"),
        ("# 只有注释\n", "p.yaml:1:1: 计划文件是空的：请从 plans/2023.yaml 复制一份作为起点"),
        (
            "- title: x\n",
            "p.yaml:1:1: 计划文件的顶层应是键值映射（title:、year:、sections: …），而不是列表",
        ),
        ("a: !!binary aGk=\n", "p.yaml:1:4: 不支持的 YAML 标签 tag:yaml.org,2002:binary：请删除它"),
        ("<<: {a: 1}\n", "p.yaml:1:1: 键必须是简单的文字（不支持 << 合并或复杂键）"),
    ],
)
def test_malformed_documents(text: str, message: str) -> None:
    with pytest.raises(PlanError) as caught:
        parse_plan(text, "p.yaml")
    assert str(caught.value) == message


def test_yaml_11_traps_do_not_change_text(plan_text: str) -> None:
    # Unquoted NO, 3.10 and on would become false, 3.1 and true under YAML 1.1 typing.
    text = plan_text.replace("title: 统筹推进专项整治工作", "title: NO").replace(
        "label: 完成阶段性专项整治任务", "label: 3.10"
    )
    plan = parse_plan(text, "p.yaml")
    task = plan.tasks_by_id[13]
    assert task.title == "NO"
    assert task.deadlines[0].label == "3.10"


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(PlantrackError) as caught:
        load_plan(missing)
    assert str(caught.value) == f"{missing}: 找不到计划文件。请用 --plan 指定路径。"


def test_find_plan_prefers_option_then_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    explicit = tmp_path / "x.yaml"
    monkeypatch.setenv("PLANTRACK_PLAN", "env.yaml")
    assert find_plan(explicit, year=2023) == explicit
    assert find_plan(None, year=2023) == Path("env.yaml")


def test_find_plan_looks_upward_for_current_year_then_newest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for year in (2022, 2023, 2024):
        (plans / f"{year}.yaml").write_text("", encoding="utf-8")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    assert find_plan(None, year=2023, cwd=nested) == Path("../../plans/2023.yaml")
    assert find_plan(None, year=2030, cwd=nested) == Path("../../plans/2024.yaml")


def test_find_plan_without_any_plan_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(PlantrackError, match="--plan"):
        find_plan(None, year=2023, cwd=tmp_path)


def test_bundled_plan_loads() -> None:
    assert len(load_plan(PLAN_2023).plan.tasks) == 26
