"""Reading YAML text into plain values, positions and spans, with libyaml and without it.

PyYAML is built with libyaml on most machines, but not on every one: each test runs once
with CSafeLoader and once with the pure-Python SafeLoader, and both must agree.
"""

from __future__ import annotations

import pytest
import yaml

from helpers import PLAN_2023
from plantrack.core.errors import PlanError
from plantrack.core.problems import Problem
from plantrack.planfile import splice, yamltree

LOADERS = [pytest.param(yaml.SafeLoader, id="python")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.insert(0, pytest.param(yaml.CSafeLoader, id="libyaml"))


@pytest.fixture(params=LOADERS, autouse=True)
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    """Run the test with each YAML parser."""
    monkeypatch.setattr(yamltree, "Loader", request.param)
    return request.param  # type: ignore[no-any-return]


def problem(text: str) -> Problem:
    with pytest.raises(PlanError) as caught:
        yamltree.read_values(text, "p.yaml")
    [found] = caught.value.problems
    return found


@pytest.mark.parametrize("track", [False, True])
def test_scalars_stay_the_strings_typed(track: bool) -> None:
    text = "a: NO\nb: 3.10\nc: 2023-02-30\nd: ~\ne: ''\nf: [1, yes]\n"
    values, _ = yamltree.read_values(text, "p.yaml", track=track)
    assert values == {
        "a": "NO",
        "b": "3.10",
        "c": "2023-02-30",
        "d": None,
        "e": "",
        "f": ["1", "yes"],
    }


def test_both_readers_build_the_bundled_plan_alike() -> None:
    text = PLAN_2023.read_text(encoding="utf-8")
    fast, _ = yamltree.read_values(text, "p.yaml")
    careful, source = yamltree.read_values(text, "p.yaml", track=True)
    assert fast == careful
    assert (
        source.problem(("sections", 4, "tasks", 0, "title"), "r", "m").line
        == text[: text.index("title: 统筹推进专项整治工作")].count("\n") + 1
    )


def test_positions_count_characters_after_chinese_text() -> None:
    text = "title: 测试计划\nunits:\n  - name: 局法规科\n    group: 局机关\n"
    _, source = yamltree.read_values(text, "p.yaml", track=True)
    found = source.problem(("units", 0, "group"), "rule", "message")
    assert (found.line, found.col, found.rule) == (4, 12, "rule")
    key = source.problem(("units", 0, "group"), "rule", "message", at_key=True)
    assert (key.line, key.col) == (4, 5)


def test_a_missing_loc_falls_back_to_its_parent() -> None:
    _, source = yamltree.read_values("a:\n  b: 1\n", "p.yaml", track=True)
    assert (source.problem(("a", "c"), "r", "m").line, source.problem(("x",), "r", "m").line) == (
        2,
        1,
    )


def test_spans_cover_a_value_without_the_comments_after_it() -> None:
    text = "tasks:\n  - id: 1\n    title: 一\n  # 注释\n  - id: 2\n"
    _, source = yamltree.read_values(text, "p.yaml", spans=True)
    start, end = source.spans[("tasks", 0)]
    assert text[start.index : end.index] == "id: 1\n    title: 一"
    key_start, key_end = source.key_spans[("tasks", 1, "id")]
    assert text[key_start.index : key_end.index] == "id"


def test_find_span_finds_one_task_by_a_light_scan() -> None:
    text = PLAN_2023.read_text(encoding="utf-8")
    span = splice.find_span(text, ("sections", 4, "tasks", 0))
    assert span is not None
    assert text[span[0] :].startswith("id: 13\n")
    assert text[: span[1]].endswith("quote: 10 月 31 日之前完成阶段性专项整治任务")
    assert splice.find_span(text, ("sections", 40, "tasks", 0)) is None


@pytest.mark.parametrize(
    ("text", "rule", "where"),
    [
        ("a: 1\na: 2\n", "duplicate-key", (2, 1)),
        ("a: !!binary abc\n", "yaml-tag", (1, 4)),
        ("<<: {a: 1}\n", "complex-key", (1, 1)),
        ("? [a]\n: 1\n", "complex-key", (1, 3)),
        ("a: 1\n---\nb: 2\n", "multiple-documents", (2, 1)),
        ("a: *x\n", "undefined-alias", (1, 4)),
        ("# 只有注释\n", "empty-file", (1, 1)),
        ("a:\n\tb: 1\n", "syntax", (2, 1)),
        ("a: 1\n...\nb: 2\n", "syntax", (3, 1)),
        ('a: "未闭合\nb: 2\nc: [\n', "syntax", (1, 4)),
    ],
)
def test_what_a_plan_must_not_contain_is_refused_at_its_place(
    text: str, rule: str, where: tuple[int, int]
) -> None:
    found = problem(text)
    assert (found.rule, (found.line, found.col)) == (rule, where)


def test_a_tab_is_named_by_both_parsers() -> None:
    assert problem("a:\n\tb: 1\n").message.endswith("请把 Tab 换成空格")


def test_text_after_a_document_end_is_explained() -> None:
    assert "文档结束标记" in problem("a: 1\n...\nb: 2\n").message


def test_a_control_character_is_placed_in_characters_not_bytes() -> None:
    found = problem("title: 中文标题\nnote: 说明\x07文字\n")
    assert (found.rule, found.line, found.col) == ("control-character", 2, 9)
    assert "U+0007" in found.message


def test_alias_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamltree, "MAX_NODES", 1_000)
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    assert problem("\n".join(levels) + "\n").rule == "alias-bomb"


def test_aliases_within_budget_are_expanded() -> None:
    values, _ = yamltree.read_values("a: &u [局法规科]\nb: *u\n", "p.yaml")
    assert values == {"a": ["局法规科"], "b": ["局法规科"]}


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (
            "a: 1\nstatus：已完成\nb: 2\n",
            (2, 7),
            "全角冒号“：”：请改用英文冒号加空格，写成“status: 已完成”",
        ),
        ("a:\n  b: 1\n\u3000\u3000c: 2\n  d: 3\n", (3, 1), "行首有全角空格（U+3000）"),
        ("a: 1\n<<<<<<< HEAD\nb: 2\n=======\nb: 3\n>>>>>>> x\n", (2, 1), "合并冲突没有解决"),
        ("a: [x, y\nb: [z]\nc: 1\n", (1, 4), "方括号“[”没有闭合"),
        ("a:\n  - {k: v\n  - c\n", (2, 5), "花括号“{”没有闭合"),
        ("a: 1\nnote: [已报送]第3期简报\n", (2, 7), 'note: "[已报送]第3期简报"'),
        ("- x\n- [甲]乙\n", (2, 3), '- "[甲]乙"'),
        ("a: 1\ntitle:\u3000任务二\nb: 2\n", (2, 7), "冒号后要用半角空格，写成“title: 任务二”"),
    ],
    ids=[
        "full-width-colon",
        "u3000",
        "conflict",
        "bracket",
        "brace",
        "quotes",
        "list-item",
        "wide-after-colon",
    ],
)
def test_slips_are_named_where_they_were_typed(
    text: str, where: tuple[int, int], words: str
) -> None:
    found = problem(text)
    assert (found.line, found.col) == where
    assert words in found.message
    assert not any(ch.isascii() and ch.isalpha() for ch in found.message.split("：")[1][:2])


LIBYAML_ENGLISH = [
    "a: 'x\n",
    "a: b: c\n",
    "a:\n  - b\n  c: d\n",
    "[1, 2\n",
    "{a: 1\n",
    "a: !!python/name:os.system x\n",
    "a: |0\n  x\n",
    'a: "\\q"\n',
    "? [a]\n: b\n",
    "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
    "a: &\n",
    "a: `x`\n",
    "a: @x\n",
    "- a\nb: c\n",
    "a:\n- b\n - c\n",
    "a: 1\n...\nb: 2\n",
    "a: *\n",
    "!<tag:x a: 1\n",
]


@pytest.mark.parametrize("text", LIBYAML_ENGLISH)
def test_no_syntax_error_reaches_the_user_in_english(text: str) -> None:
    try:
        yamltree.read_values(text, "p.yaml")
    except PlanError as caught:
        for found in caught.problems:
            english = [w for w in found.message.replace("p.yaml", "").split() if w.isascii()]
            assert not any(len(w) > 3 and w.isalpha() and w.islower() for w in english), found
