"""Chinese messages for YAML and Pydantic errors, each saying how to fix the problem."""

from __future__ import annotations

import re
from typing import Any

import yaml
from pydantic_core import ErrorDetails

from plantrack.core import rule_codes as codes
from plantrack.core.periods import written_date

_TAB_HINT = "此处有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格"
# libyaml and PyYAML word their errors differently; both are matched by substring.
_SYNTAX_HINTS: list[tuple[tuple[str, ...], str]] = [
    (("tab", "'\\t'"), _TAB_HINT),
    (
        ("while scanning a quoted scalar",),
        "引号没有闭合：请在这段文字末尾补上对应的引号",
    ),
    (
        ("mapping values are not allowed",),
        "此处不能出现“: ”：可能是缩进不对；若文字本身含“: ”，请给整段文字加引号",
    ),
    (
        ("did not find expected key", "expected <block end>"),
        "缩进不对齐：同一层的键要对齐，列表项的“- ”要对齐",
    ),
    (
        ("could not find expected ':'",),
        "缺少“: ”：键和值之间要用英文冒号加空格分隔",
    ),
    (
        ("did not find expected '-' indicator",),
        "列表项缩进不对齐：同一列表的“- ”要对齐",
    ),
    (
        ("while scanning an alias", "while scanning an anchor"),
        "锚点或别名的名称（&名称、*名称）只能用英文字母、数字和连字符；若 & 或 * 是文字的一部分，请给整段文字加引号",
    ),
    (
        ("<document start>",),
        "文档结束标记（...）之后还有内容：请删除“...”这一行",
    ),
    (
        ("while scanning a block scalar",),
        "多行文字标记（| 或 >）的写法不对：| 或 > 后面只能跟 1–9、+ 或 -，再换行写文字",
    ),
    (
        ("escape",),
        "双引号里的反斜杠“\\”是转义符：要写反斜杠本身请写成“\\\\”，或改用单引号",
    ),
    (
        ("directive", "incompatible yaml document"),
        "以 % 开头的行是 YAML 指令：计划文件不需要它，请删除这一行（若是文字，请加引号）",
    ),
    (
        ("while scanning a tag", "while parsing a node"),
        "以 ! 开头的是 YAML 标签：若这是一段文字，请给整段文字加引号",
    ),
    (
        ("flow sequence", "flow mapping", "flow node"),
        "方括号或花括号没有配对：请检查 [ ] 与 { } 是否成对，若是文字请加引号",
    ),
    (
        ("block sequence entries are not allowed", "expected <block end>"),
        "此处不能出现列表项“- ”：可能是缩进不对，同一列表的“- ”要对齐",
    ),
    (
        ("mapping keys are not allowed",),
        "此处不能出现“? ”：请删除它，若是文字请加引号",
    ),
    (
        ("expected node content", "unexpected end of stream"),
        "此处缺少内容：请检查“- ”或“: ”后面是否漏写了值，以及引号、括号是否成对",
    ),
    (
        ("comment or line break", "comment or a line break"),
        "这一行的值后面有多余的内容：请检查引号或括号后面的文字，若是文字请给整段加引号",
    ),
    (
        ("cannot start any token",),
        "此处的字符不能作为值的开头：若这是一段文字，请给整段文字加引号",
    ),
]
_UNEXPLAINED = "这里的写法无法解析：请检查本行和上一行的缩进、冒号（英文“: ”）、引号和括号"


def yaml_syntax(exc: yaml.MarkedYAMLError, found: str = "") -> str:
    """Explain a YAML syntax error in Chinese, with the parser's own words as a fallback.

    found is the character where the parser stopped: libyaml does not always name a tab.
    """
    if found == "\t":
        return f"YAML 语法错误：{_TAB_HINT}"
    words = " ".join(filter(None, [exc.context, exc.problem])).lower()
    for needles, hint in _SYNTAX_HINTS:
        if any(needle.lower() in words for needle in needles):
            return f"YAML 语法错误：{hint}"
    return f"YAML 语法错误：{_UNEXPLAINED}"


def validation(error: ErrorDetails) -> str:
    """Explain one Pydantic validation error in Chinese."""
    kind = error["type"]
    field = _field_name(error["loc"])
    given = _shown(error.get("input"))
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    if kind == "missing":
        return f"缺少必填字段“{field}”：请补上 {field}: …"
    if kind == "extra_forbidden" and field != field.lstrip("\u3000\u00a0"):
        return (
            f"字段名“{field}”前面有全角空格：YAML 只能用半角空格缩进，"
            f"请把它换成半角空格，写成“{field.strip()}”"
        )
    if kind == "extra_forbidden":
        return f"未知字段“{field}”：请检查拼写，或删除它（可运行 plantrack schema 查看所有字段）"
    if kind in ("string_type",):
        return f"{field} 应是文字，实际是{given}：若要原样保留，请加引号"
    if kind.startswith("int_") or kind == "float_type" or kind.startswith("float_"):
        return _number_message(field, error.get("input"))
    if kind.startswith("date"):
        return _date_message(kind, field, given, ctx)
    if kind == "list_type" and str(error.get("input", "")).startswith(("【", "［", "〔")):
        return (
            f"{field} 应是列表，实际是{given}：请把全角括号换成英文方括号，例如 {field}: [局法规科]"
        )
    if kind == "list_type":
        return f"{field} 应是列表，例如 {field}: [局法规科]，实际是{given}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"{field or '此处'} 应是键值映射（key: value），实际是{given}"
    if kind in ("enum", "literal_error"):
        return f"{field} 的值{given}无效：可选 {_choices(str(ctx.get('expected', '')))}"
    if kind == "too_short":
        return f"{field} 不能为空：至少要有一项"
    if kind == "string_too_short":
        return f"{field} 不能为空"
    if kind == "greater_than_equal":
        return f"{field} 应不小于 {ctx.get('ge')}，实际是{given}"
    if kind == "less_than_equal":
        return f"{field} 应不大于 {ctx.get('le')}，实际是{given}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{field}：{error['msg']}"


def validation_rule(error: ErrorDetails) -> str:
    """A stable rule code for one Pydantic validation error."""
    kind = error["type"]
    if kind in ("missing", "extra_forbidden"):
        return codes.MISSING_FIELD if kind == "missing" else codes.UNKNOWN_FIELD
    if kind.startswith("date"):
        return codes.INVALID_DATE
    if kind in ("enum", "literal_error"):
        return codes.INVALID_CHOICE
    if kind.endswith("_type") or kind.endswith("_parsing") or kind == "model_attributes_type":
        return codes.WRONG_TYPE
    if kind in ("too_short", "string_too_short", "greater_than_equal", "less_than_equal"):
        return codes.OUT_OF_RANGE
    return codes.INVALID_VALUE


_PERCENT = re.compile(r"\s*([-+]?[0-9]+(?:\.[0-9]+)?)\s*[%％]\s*")


def _number_message(field: str, given: Any) -> str:
    percent = _PERCENT.fullmatch(given) if isinstance(given, str) else None
    if percent:
        return (
            f"{field} 应是数字，实际是“{given}”：请去掉 %，写成 {field}: {percent.group(1)}"
            '（百分号写在目标的 unit: "%" 中）'
        )
    return f"{field} 应是数字，实际是{_shown(given)}"


def _date_message(kind: str, field: str, given: str, ctx: dict[str, Any]) -> str:
    reason = str(ctx.get("error", ""))
    if kind == "date_out_of_range":
        detail = "超出范围：年份应在 1900 至 2999 之间"
    elif "day value" in reason:
        detail = "该月没有这一天"
    else:
        detail = "应为 YYYY-MM-DD 格式的真实日期"
    written = given.strip("“”")
    meant = written_date(written)
    if meant and meant.isoformat() != written:
        return f"{field} 日期无效：{given}（{detail}）：请写成 {meant.isoformat()}"
    return f"{field} 日期无效：{given}（{detail}），例如 2023-10-31"


def _choices(expected: str) -> str:
    # Pydantic words choices as "'a', 'b' or 'c'"; list them the Chinese way.
    return "、".join(re.findall(r"'([^']*)'", expected)) or expected


def _field_name(loc: tuple[int | str, ...]) -> str:
    names = [part for part in loc if isinstance(part, str) and part not in ("int", "float")]
    return names[-1] if names else "计划文件"


def _shown(value: Any) -> str:
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "键值映射"
    if isinstance(value, list):
        return "列表"
    return f"“{value}”"
