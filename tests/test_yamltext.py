"""Writing YAML text: scalars read back as the same string; splices land where they should."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from plantrack.planfile import yamltext


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("阶段性任务完成", "阶段性任务完成"),
        ("比例: 80%", '"比例: 80%"'),
        ("见 #12 号文", '"见 #12 号文"'),  # " #" would start a comment
        ("见#12号文", "见#12号文"),
        ("yes", '"yes"'),
        ("2023", '"2023"'),
        ("- 列表样", '"- 列表样"'),
        ('他说"好"', '他说"好"'),
        (" 前后空格 ", '" 前后空格 "'),
        ("两行\n文字", '"两行\\n文字"'),
        ("下一行\x85字符", '"下一行\\x85字符"'),  # NEL is a line break to YAML
        ("删除\x7f符", '"删除\\x7F符"'),  # YAML refuses raw control characters
        ("行\u2028分隔", '"行\\u2028分隔"'),
    ],
)
def test_yaml_scalar_round_trips(value: str, written: str) -> None:
    assert yamltext.scalar(value) == written
    assert yaml.safe_load(f"k: {written}")["k"] == value


def test_splices_apply_back_to_front() -> None:
    text = "a: 1\nb: 2\n"
    splices = [yamltext.Splice(3, 4, "一"), yamltext.Splice(8, 9, "二")]
    assert yamltext.apply(text, splices) == "a: 一\nb: 二\n"
    assert yamltext.apply(text, list(reversed(splices))) == "a: 一\nb: 二\n"


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("a: 1\nc: 3\n", 5, "a: 1\nb: 2\nc: 3\n"),
        ("a: 1\r\nc: 3\r\n", 6, "a: 1\r\nb: 2\r\nc: 3\r\n"),  # CRLF stays CRLF
        ("a: 1", 4, "a: 1\nb: 2\n"),  # a file without a final newline gets one first
    ],
)
def test_insert_lines_keeps_the_files_line_endings(text: str, at: int, expected: str) -> None:
    assert yamltext.apply(text, [yamltext.insert_lines(text, at, ["b: 2"])]) == expected


_PIECES = [
    *"abyYnNtTfFoO019.-+:#,[]{}&*!|>'\"%@` ~=<_局法：，（）\\x",
    " #", ": ", "2023-01-01", "null", "true", "0x", "0x1f", ".inf", "1_000", "\u3000",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=6).map("".join))
def test_text_settled_without_the_parser_is_settled_as_the_parser_would(value: str) -> None:
    assert yaml.safe_load(f"k: {yamltext.scalar(value)}") == {"k": value}
    assume(value == value.strip())  # scalar() quotes the rest without asking
    try:
        loaded = yaml.safe_load(f"k: {value}")
        parser_says = isinstance(loaded, dict) and loaded.get("k") == value
    except (yaml.YAMLError, ValueError):
        parser_says = False
    assert yamltext._reads_as_string(value) == parser_says
