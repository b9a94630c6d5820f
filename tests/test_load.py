"""Loading: every way a hand-edited plan breaks is reported at its line:col, in words that fix it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import PLAN_2023
from plantrack.errors import PlanError, PlantrackError
from plantrack.load import find_plan, load_plan, parse_plan

Breaker = Callable[[str, str], tuple[Path, int]]

T13_UNITS = "            lead: [局法规科]\n            responsible: [局属各单位, 局机关各科室]\n"
T13_TAIL = "            status: 未开始\n        phases"

# name: (text to replace, replacement, line offset from the edit, column, message)
CASES: dict[str, tuple[str, str, int, int, str]] = {
    "tab_indent": (
        "        title: 统筹推进专项整治工作\n",
        "\ttitle: 统筹推进专项整治工作\n",
        0,
        1,
        "YAML 语法错误：此处有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
    ),
    "unclosed_quote": (
        "        title: 统筹推进专项整治工作\n",
        '        title: "统筹推进专项整治工作\n',
        0,
        16,
        "YAML 语法错误：引号没有闭合：请在这段文字末尾补上对应的引号（解析器到第 309 行才发现出错）",
    ),
    "bad_indent": (
        "        title: 统筹推进专项整治工作\n",
        "       title: 统筹推进专项整治工作\n",
        0,
        8,
        "YAML 语法错误：列表项缩进不对齐：同一列表的“- ”要对齐",
    ),
    "duplicate_key": (
        "        phases: [安排部署",
        "        title: 重复的标题\n        phases: [安排部署",
        0,
        9,
        "重复的键“title”（第 219 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    ),
    "unknown_field": (
        "        phases: [安排部署",
        "        phase: [安排部署",
        0,
        9,
        "未知字段“phase”：请检查拼写，或删除它（可运行 plantrack schema 查看所有字段）",
    ),
    "wrong_type": ("      - id: 13\n", "      - id: 十三\n", 0, 13, "id 应是数字，实际是“十三”"),
    "impossible_date": (
        "          - date: 2023-10-31\n",
        "          - date: 2023-02-30\n",
        0,
        19,
        "date 日期无效：“2023-02-30”（该月没有这一天），例如 2023-10-31",
    ),
    "duplicate_task_id": (
        "      - id: 14\n",
        "      - id: 13\n",
        0,
        13,
        "任务编号 13 重复：每个任务的 id 必须唯一",
    ),
    "unknown_unit": (
        T13_UNITS + T13_TAIL,
        T13_UNITS.replace("[局法规科]", "[局法规处]") + T13_TAIL,
        0,
        20,
        "未登记的单位“局法规处”。是否指 局法规科？请改用 units 中的全称，或先在 units 中登记该单位",
    ),
    "alias_instead_of_full_name": (
        T13_UNITS + T13_TAIL,
        T13_UNITS.replace("[局法规科]", "[法规科]") + T13_TAIL,
        0,
        20,
        "“法规科”是简称：请写全称“局法规科”",
    ),
    "unknown_status": (
        T13_TAIL,
        T13_TAIL.replace("未开始", "完成"),
        0,
        21,
        "status 的值“完成”无效：可选 未开始、进行中、已完成、受阻",
    ),
    "clause_without_units": (
        T13_UNITS + T13_TAIL,
        "            lead: []\n            responsible: []\n" + T13_TAIL,
        -2,
        13,
        "分工没有任何单位：请在 lead 或 responsible 中至少填写一个单位（原文确实没有分工时，写 unassigned: true）",
    ),
    "scalar_instead_of_list": (
        T13_UNITS + T13_TAIL,
        T13_UNITS.replace("[局法规科]", "局法规科") + T13_TAIL,
        0,
        19,
        "lead 应是列表，例如 lead: [局法规科]，实际是“局法规科”",
    ),
    "missing_field": ("year: 2023\n", "", -1, 1, "缺少必填字段“year”：请补上 year: …"),
    "bad_recurrence": (
        "          - every: quarter\n",
        "          - every: fortnight\n",
        0,
        20,
        "every 的值“fortnight”无效：可选 month、quarter、half-year",
    ),
    "text_not_number": (
        "            value: 80\n",
        "            value: 八十\n",
        0,
        20,
        "value 应是数字，实际是“八十”",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_copy_is_reported_at_the_culprit(broken_plan: Breaker, name: str) -> None:
    old, new, offset, col, message = CASES[name]
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


def test_alias_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from plantrack import yamltree

    monkeypatch.setattr(yamltree, "MAX_NODES", 10_000)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    with pytest.raises(PlanError) as caught:
        parse_plan("\n".join(levels) + "\n", "bomb.yaml")
    assert "别名炸弹" in str(caught.value)


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
