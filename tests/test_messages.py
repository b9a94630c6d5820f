"""The Chinese wording of YAML and Pydantic errors: each says what is wrong and how to fix it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from plantrack.core.model import Plan
from plantrack.planfile import messages


def syntax_error(text: str) -> yaml.MarkedYAMLError:
    with pytest.raises(yaml.MarkedYAMLError) as caught:
        list(yaml.parse(text, Loader=yaml.SafeLoader))
    return caught.value


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ('a: "未闭合\n', "引号没有闭合"),
        ("a: b: c\n", "此处不能出现“: ”"),
        ("a:\n  b: 1\n c: 2\n", "缩进不对齐"),
        ("- a\nb: 1\n", "缩进不对齐"),
        ("a: &é 1\n", "锚点或别名的名称"),
        ("a: 1\n...\nb: 2\n", "文档结束标记"),
    ],
)
def test_syntax_errors_get_a_hint(text: str, hint: str) -> None:
    message = messages.yaml_syntax(syntax_error(text))
    assert message.startswith("YAML 语法错误：") and hint in message


def test_a_tab_where_the_parser_stopped_is_named_whatever_the_parser_said() -> None:
    error = syntax_error("a: 1\nb: [1,\n  2,\n@\n")
    assert "Tab" not in messages.yaml_syntax(error)
    assert "把 Tab 换成空格" in messages.yaml_syntax(error, "\t")


def test_a_syntax_error_no_hint_explains_is_still_said_in_chinese() -> None:
    error = syntax_error("a: @x\n")
    error.context, error.problem = "while doing something new", "found a thing"
    message = messages.yaml_syntax(error)
    assert (
        message
        == "YAML 语法错误：这里的写法无法解析：请检查本行和上一行的缩进、冒号（英文“: ”）、引号和括号"
    )


class _Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str
    count: int = Field(default=0, ge=0)
    names: list[str] = Field(default_factory=list, min_length=1)


def errors(model: type[BaseModel], data: dict[str, Any]) -> list[ErrorDetails]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return caught.value.errors(include_url=False)


@pytest.mark.parametrize(
    ("data", "message", "rule"),
    [
        ({"names": ["a"]}, "缺少必填字段“title”：请补上 title: …", "missing-field"),
        ({"title": "x", "names": ["a"], "titel": 1}, "未知字段“titel”", "unknown-field"),
        ({"title": ["x"], "names": ["a"]}, "title 应是文字，实际是列表", "wrong-type"),
        ({"title": "x", "count": "三", "names": ["a"]}, "count 应是数字，实际是“三”", "wrong-type"),
        (
            {"title": "x", "count": -1, "names": ["a"]},
            "count 应不小于 0，实际是“-1”",
            "out-of-range",
        ),
        ({"title": "x", "names": []}, "names 不能为空：至少要有一项", "out-of-range"),
        ({"title": "x", "names": "a"}, "names 应是列表", "wrong-type"),
        (
            {"title": "x", "names": "【a】"},
            "names 应是列表，实际是“【a】”：请把全角括号换成英文方括号",
            "wrong-type",
        ),
        (
            {"title": "x", "count": "85%", "names": ["a"]},
            "count 应是数字，实际是“85%”：请去掉 %，写成 count: 85",
            "wrong-type",
        ),
        (
            {"title": "x", "names": ["a"], "\u3000count": 1},
            "字段名“\u3000count”前面有全角空格：YAML 只能用半角空格缩进",
            "unknown-field",
        ),
    ],
)
def test_validation_errors_in_chinese_with_a_rule(
    data: dict[str, Any], message: str, rule: str
) -> None:
    [error] = errors(_Sample, data)
    assert messages.validation(error).startswith(message)
    assert messages.validation_rule(error) == rule


def test_dates_and_choices_are_explained() -> None:
    plan = {"title": "t", "year": 2023, "units": [{"name": "u", "group": "g"}], "sections": []}
    found = errors(Plan, {**plan, "default_due": "2023-02-30"})
    assert [messages.validation(e) for e in found if e["loc"] == ("default_due",)] == [
        "default_due 日期无效：“2023-02-30”（该月没有这一天），例如 2023-10-31"
    ]
    assert messages.validation_rule(found[0]) == "invalid-date"
    section = {"number": 1, "title": "s", "tasks": [{"id": 1, "title": "t", "clauses": [
        {"text": "x", "lead": ["u"], "status": "完成"}
    ]}]}  # fmt: skip
    [status] = errors(Plan, {**plan, "sections": [section]})
    assert messages.validation(status) == "status 的值“完成”无效：可选 未开始、进行中、已完成、受阻"
    assert messages.validation_rule(status) == "invalid-choice"
