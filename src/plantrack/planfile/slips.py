"""Typing slips found by reading the plan's lines: what a Chinese keyboard or git leaves behind.

The YAML parser notices these late and in its own words (a full-width colon becomes
"missing ':'" on the next line). Looking at the text itself names the line where the slip
is and says how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import yaml

from plantrack.core import rule_codes as codes
from plantrack.core.problems import Problem
from plantrack.planfile import messages

CONFLICT = "合并冲突"
_CONFLICT_MARKER = re.compile(r"^(<{7}|={7}|>{7})(?: |$)", re.MULTILINE)
# A plan's keys are English words: `status：已完成` can only be a slip.
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_FULL_WIDTH_COLON = re.compile(rf"^(\s*(?:-\s+)?)({_KEY})\s*：")
_WIDE_SPACES = {"\u3000": "全角空格（U+3000）", "\u00a0": "不换行空格（U+00A0）"}
_WIDE_AFTER_COLON = re.compile(rf"^(\s*(?:-\s+)?)({_KEY}):[\u3000\u00a0]")
_KEY_VALUE = re.compile(rf"^(\s*(?:-\s+)?(?:{_KEY}:\s+)?)(\S.*)$")
_INDICATORS = {
    "[": "列表",
    "{": "键值映射",
    "!": "标签",
    "@": "保留字符",
    "`": "保留字符",
}
# ` #` followed straight by a word: meant as text (#重点), read by YAML as a comment.
_HASH_IN_TEXT = re.compile(
    r"[ \t]*(?:-[ \t]+)?(?:note|text|title|label|quote):[ \t]+([^\"'#|>\s][^#]*?)[ \t]+(#\S.*)"
)


def conflicts(text: str, path: str) -> list[Problem]:
    """Every unresolved git conflict, named at its <<<<<<< line (or the first marker found)."""
    if "=======" not in text:  # cheap: no conflict without its middle marker
        return []
    found: list[Problem] = []
    opened = False
    for match in _CONFLICT_MARKER.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        marker = match.group(1)[0]
        if marker == "<" or (not opened and not found):
            found.append(Problem(path, line, 1, codes.MERGE_CONFLICT, _conflict_message(line)))
        opened = marker == "<" or (opened and marker == "=")
    return found


def _conflict_message(line: int) -> str:
    return (
        f"{CONFLICT}没有解决：第 {line} 行起是 git 冲突标记（<<<<<<<、=======、>>>>>>>）："
        "请保留正确的一边，删去另一边和这三行标记，再运行 plantrack check"
    )


def syntax_slip(lines: list[str], error_line: int, path: str) -> Problem | None:
    """The slip on or before error_line that explains a YAML syntax error there, if any."""
    for number in range(error_line, max(error_line - 3, 0), -1):
        if number > len(lines):
            continue
        found = _line_slip(lines[number - 1], number, path)
        if found is not None:
            return found
    return None


def _line_slip(line: str, number: int, path: str) -> Problem | None:
    wide = _WIDE_AFTER_COLON.match(line)
    if wide:
        key, value = wide.group(2), line[wide.end() :].strip() or "…"
        return Problem(
            path,
            number,
            wide.end(),
            codes.SYNTAX,
            f"YAML 语法错误：键“{key}”的冒号后面是{_WIDE_SPACES[line[wide.end() - 1]]}："
            f"冒号后要用半角空格，写成“{key}: {value}”",
        )
    colon = _FULL_WIDTH_COLON.match(line)
    if colon:
        key = colon.group(2)
        value = line[colon.end() :].strip() or "…"
        return Problem(
            path,
            number,
            colon.end(),
            codes.SYNTAX,
            f"YAML 语法错误：键“{key}”后面是全角冒号“：”：请改用英文冒号加空格，写成“{key}: {value}”",
        )
    indent = len(line) - len(line.lstrip())
    for col, char in enumerate(line[:indent], start=1):
        if char in _WIDE_SPACES:
            return Problem(
                path,
                number,
                col,
                codes.SYNTAX,
                f"YAML 语法错误：行首有{_WIDE_SPACES[char]}：YAML 只能用半角空格缩进，"
                "请把它换成半角空格",
            )
    return None


def value_needing_quotes(line: str, number: int, path: str) -> Problem | None:
    """A value that starts with a YAML indicator but is meant as text, e.g. [已报送]第3期简报."""
    match = _KEY_VALUE.match(line)
    if not match:
        return None
    value = match.group(2)
    meaning = _INDICATORS.get(value[0])
    if meaning is None or (value[0] in "[{" and _closes_at_end(value)):
        return None
    lead = match.group(1).strip()
    example = f"{lead} " if lead else ""
    return Problem(
        path,
        number,
        len(match.group(1)) + 1,
        codes.SYNTAX,
        f"YAML 语法错误：以“{value[0]}”开头的值会被当成{meaning}：若这是一段文字，"
        f'请给整段文字加引号，例如 {example}"{value}"',
    )


def _closes_at_end(value: str) -> bool:
    """Whether a [ or { value is one whole flow collection (perhaps with a comment after)."""
    closing = {"[": "]", "{": "}"}[value[0]]
    depth = 0
    for index, char in enumerate(value):
        depth += char == value[0]
        depth -= char == closing
        if depth == 0:
            rest = value[index + 1 :].strip()
            return not rest or rest.startswith("#")
    return True  # never closed: an unclosed bracket, not text


def unclosed_bracket(line: str, number: int, col: int, error_line: int, path: str) -> Problem:
    """An opening [ or { that the parser ran past without finding its end."""
    bracket = line[col - 1 : col] if col <= len(line) else "["
    name, closing = ("方括号", "]") if bracket != "{" else ("花括号", "}")
    later = f"（解析器到第 {error_line} 行才发现出错）" if error_line != number else ""
    return Problem(
        path,
        number,
        col,
        codes.SYNTAX,
        f"YAML 语法错误：{name}“{bracket}”没有闭合：请在这组值的末尾补上“{closing}”{later}",
    )


def text_lost_to_comments(text: str, path: str) -> Iterator[Problem]:
    """Warn where ` #` turns the end of a text value into a comment nobody reads."""
    if " #" not in text:
        return
    for line_start, number in _lines_with(text, " #"):
        line_end = text.find("\n", line_start)
        match = _HASH_IN_TEXT.fullmatch(text, line_start, len(text) if line_end < 0 else line_end)
        if match is None:
            continue
        kept, lost = match.group(1), match.group(2)
        yield Problem(
            path,
            number,
            match.start(2) - line_start + 1,
            codes.COMMENT_IN_TEXT,
            f"“{lost}”是 YAML 注释，不算在文字里（文字只到“{kept}”）：若它是文字的一部分，"
            "请给整段文字加引号；若是注释，在 # 后加一个空格即可消除本提示",
        )


def _lines_with(text: str, needle: str) -> Iterator[tuple[int, int]]:
    """The start index and number of each line holding needle, each line once."""
    number, counted, at = 1, 0, text.find(needle)
    while at >= 0:
        line_start = text.rfind("\n", 0, at) + 1
        number += text.count("\n", counted, line_start)
        counted = line_start
        yield line_start, number
        line_end = text.find("\n", at)
        at = -1 if line_end < 0 else text.find(needle, line_end)


def syntax_problems(exc: yaml.MarkedYAMLError, path: str, text: str) -> list[Problem]:
    """Name a syntax error where the user made the slip, not where the parser gave up."""
    markers = conflicts(text, path)
    if markers:
        return markers
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    quote = _unclosed_quote(text, line)
    if quote is not None:
        # An unclosed quote swallows the lines after it; the parser notices only much later.
        q_line, q_col = quote
        message = f"引号没有闭合：请在这段文字末尾补上对应的引号（解析器到第 {line} 行才发现出错）"
        return [Problem(path, q_line, q_col, codes.SYNTAX, f"YAML 语法错误：{message}")]
    lines = text.splitlines()
    opened = exc.context_mark if "flow" in (exc.context or "") else None
    if opened is not None and opened.line < len(lines):
        # libyaml points at where the [ or { opened: that is where the fix goes.
        opening = lines[opened.line]
        return [unclosed_bracket(opening, opened.line + 1, opened.column + 1, line, path)]
    slip = syntax_slip(lines, line, path)
    if slip is None and line <= len(lines):
        slip = value_needing_quotes(lines[line - 1], line, path)
    if slip is not None:
        return [slip]
    found = lines[line - 1][col - 1 : col] if mark and line <= len(lines) else ""
    return [Problem(path, line, col, codes.SYNTAX, messages.yaml_syntax(exc, found))]


_QUOTED_VALUE = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s"'#-][^"'#]*?:\s+)?)(["'])(.*)$""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """Find the first line before error_line whose quoted value does not close on that line."""
    for number, line in enumerate(text.splitlines()[:error_line], start=1):
        match = _QUOTED_VALUE.match(line)
        if match and match.group(2) not in match.group(3):
            return number, len(match.group(1)) + 1
    return None
