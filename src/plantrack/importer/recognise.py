"""Recognisers: each knows one layout element of a 工作要点 or 分工方案, and nothing else.

A recogniser looks at one line (or one table row) and says what it is, or None. Adding a
layout means adding a recogniser and its test, not widening a regular expression that
every other layout shares.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal, NamedTuple

from plantrack.core.assignments import (
    DUE_LABEL,
    LABEL,
    LEADER,
    OPENERS,
    parse_assignment,
    read_assignment,
)
from plantrack.core.numerals import from_chinese

Style = Literal["section", "paren_cn", "arabic", "paren_num", "circled"]


class Marker(NamedTuple):
    """A numbered line: its numbering style, its number, and the words after the number."""

    style: Style
    number: int
    rest: str
    # The words start with a digit (11.121人才梯队项目): a number only if it is the one due.
    fused: bool = False


_CN = "[一二三四五六七八九十]{1,3}"
_MARKERS: list[tuple[Style, re.Pattern[str]]] = [
    ("section", re.compile(rf"^({_CN})\s*[、.．]\s*(.+)$")),
    ("section", re.compile(rf"^第({_CN})(?:部分|章|篇)\s*[、：:]?\s*(.+)$")),
    ("paren_cn", re.compile(rf"^[（(]({_CN})[）)]\s*(.+)$")),
    # Four or five digits only before a full stop: 12345、12328 is a list of hotlines.
    ("arabic", re.compile(r"^(\d{1,3}(?=\s*[.．、])|\d{4,5}(?=[.．]\D))\s*[.．、]\s*(.+)$")),
    ("paren_num", re.compile(r"^[（(](\d{1,2})[）)]\s*(.+)$")),
    ("paren_num", re.compile(r"^(\d{1,2})[）)]\s*(.+)$")),
    ("circled", re.compile(r"^([①-⑳])\s*(.+)$")),
]


def marker(line: str) -> Marker | None:
    """The numbering a line starts with: 一、 （一） 1. 1、 （1） ①; None for plain text."""
    for style, pattern in _MARKERS:
        found = pattern.match(line)
        if found is None:
            continue
        raw, rest = found.group(1), found.group(2).strip()
        if style in ("section", "paren_cn"):
            number = from_chinese(raw)
        elif style == "circled":
            number = ord(raw) - 0x2460 + 1
        else:
            number = int(raw)
        # Only 11.121… is ambiguous: a decimal point or a number's full stop.
        dotted = style == "arabic" and line[len(raw) :].lstrip()[:1] in ".．"
        return Marker(style, number, rest, fused=dotted and rest[:1].isdigit())
    return None


PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—–－\s]*(?:共\s*\d+\s*页)?$")


def is_page_number(line: str) -> bool:
    """A page number left in text copied from a PDF or a web page: — 2 —, 第3页."""
    return PAGE_NUMBER.match(line) is not None


# --- assignments ----------------------------------------------------------------------------

Roles = dict[str, list[str]]


def label_line(line: str) -> Roles | None:
    """A line of its own that assigns units: 牵头单位:区发改局 / 责任单位：A、B.

    A 牵头领导：张三 line belongs with them but names a person: it assigns nothing ({}).
    """
    text = line.strip()
    if LEADER.match(text) is not None or LABEL.match(text) is not None:
        # Possibly {}: 牵头单位： with its units on the next line, or a leader's name.
        return parse_assignment(text)
    return None


_CLOSERS = frozenset(OPENERS.values())


def inline_label(text: str) -> int | None:
    """Where labels start at the end of an item's own line: 1.做好工作。牵头单位：A."""
    depth = 0
    for index, char in enumerate(text):
        if char in OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif (
            depth == 0 and index > 0 and text[index - 1] in "。；; \t" and label_line(text[index:])
        ):
            return index
    return None


def due_line(line: str) -> str | None:
    """A line of its own that says when: 完成时限：2024年6月底前."""
    found = DUE_LABEL.match(line.strip())
    return found["due"].strip() if found else None


def bracket_assignment(
    inner: str, *, first_leads: bool = False, bare: bool = False
) -> Roles | None:
    """The text of a bracket that assigns, in labels, a phrase or units and a verb; else None.

    bare: the bracket closes a sentence, so units alone assign too: 做好X。（省交通运输厅）.
    """
    return read_assignment(inner, first_leads=first_leads, bare=bare) or None


def closes_sentence(text: str, open_at: int, close_at: int) -> bool:
    """Tell whether the bracket ends its sentence: 。 or the end after it, or 。 before it."""
    after = text[close_at + 1 :].lstrip(" ")
    before = text[:open_at].rstrip(" ")
    return not after or after[0] in "。；;" or before.endswith(("。", "；", ";"))


# --- tables ---------------------------------------------------------------------------------

Column = Literal["number", "task", "content", "lead", "responsible", "support", "due"]
_HEADERS: list[tuple[Column, tuple[str, ...]]] = [
    ("number", ("序号", "编号")),
    ("lead", ("牵头单位", "牵头部门", "牵头科室", "牵头处室", "牵头")),
    ("responsible", ("责任单位", "责任部门", "责任科室", "责任处室", "责任")),
    ("support", ("配合单位", "参与单位", "协办单位", "配合")),
    ("due", ("完成时限", "完成时间", "时间要求", "时限")),
    (
        "content",
        ("工作内容", "具体内容", "主要内容", "工作措施", "具体措施", "工作目标", "目标任务"),
    ),
    (
        "task",
        ("工作任务", "重点任务", "主要任务", "任务名称", "重点工作", "工作事项", "任务", "事项"),
    ),
]


def table_header(cells: tuple[str, ...]) -> dict[Column, int] | None:
    """Which column holds what, when a row is a header with a task and a 牵头/责任 column."""
    found = header_words(cells)
    assigns = "lead" in found or "responsible" in found
    has_text = "task" in found or "content" in found
    return found if assigns and has_text else None


def header_words(cells: tuple[str, ...]) -> dict[Column, int]:
    """The columns a row names, header or not: 牵头单位 | 配合单位 under a merged 责任单位."""
    found: dict[Column, int] = {}
    for index, cell in enumerate(cells):
        text = re.sub(r"\s+", "", cell)
        if "领导" in text:
            continue  # 牵头领导 names people; the unit columns come separately
        for column, words in _HEADERS:
            if column not in found and any(text.startswith(word) for word in words):
                found[column] = index
                break
    return found


# --- the cover notice before a plan's own title ---------------------------------------------

DOC_NUMBER = re.compile(
    r"^[\u4e00-\u9fa5A-Za-z]{1,12}[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*\d{1,4}\s*号$"
)
# 关于印发…的通知, often after the issuer's name: 某省人民政府办公厅关于印发….
NOTICE_START = re.compile(r"^[^，。：:；;]{0,30}?关于印发")
NOTICE_NAME = re.compile(r"^[^，。：:；;]{0,30}?关于印发《?(?P<name>.+?)》?的(?:通知|函)")
_DIGITS = str.maketrans("〇零○一二三四五六七八九", "00012345678" + "9")
_DATE = re.compile(
    r"^(?P<year>\d{4}|[〇零○一二三四五六七八九]{4})\s*年\s*(?P<month>\d{1,2}|[一二三四五六七八九十]{1,3})"
    r"\s*月\s*(?P<day>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日$"
)
_ISSUER_ENDINGS = ("局", "委", "办", "办公室", "政府", "委员会", "厅", "部", "中心", "院")


class Cover(NamedTuple):
    """What a cover notice says: who issued it, its number, its date; and where it ends."""

    issuer: str | None
    doc_number: str | None
    issued: dt.date | None
    ends_before: int


def cover_notice(lines: list[str]) -> Cover | None:
    """A notice (通知, 文号, 主送, 落款) before the plan's title, or None if there is none.

    The notice names the plan it sends (关于印发《X》的通知): the cover ends where X
    begins. Failing that, it ends after the notice's date.
    """
    notice = next((i for i, line in enumerate(lines) if NOTICE_START.match(line)), None)
    number = next((line for line in lines if DOC_NUMBER.match(line)), None)
    if notice is None and number is None:
        return None
    dates = [i for i, line in enumerate(lines) if _DATE.match(line)]
    end = _title_after(lines, notice)
    if end is None:
        end = dates[0] + 1 if dates else (notice + 1 if notice is not None else 0)
    dates = [i for i in dates if i < end]
    issued = _date(lines[dates[0]]) if dates else None
    return Cover(_issuer(lines, dates), number, issued, end)


# --- the signature and what follows it, after the last task ----------------------------------

_PUBLISHED = re.compile(r"[（(]此件[^）)]*[）)]$")
_AFTER_SIGNATURE = re.compile(
    r"^(?:抄送|抄报|印发|分送|发送)[:：]|^[（(]此件[^）)]*[）)]$|^.{2,30}\d{4}年\d{1,2}月\d{1,2}日印发$"
)


def signature(lines: list[str]) -> Cover | None:
    """The 落款 at the end (issuer, date), with the 抄送 and 印发 lines after it; None if none.

    ends_before is where the signature starts: everything from there on is furniture.
    """
    end = len(lines)
    while end > 0 and _AFTER_SIGNATURE.match(lines[end - 1]):
        end -= 1
    if end == 0:
        return None
    issued = _date(_PUBLISHED.sub("", lines[end - 1]).strip())
    if issued is None:
        return None if end == len(lines) else Cover(None, None, None, end)
    start = end - 1
    issuer = _issuer(lines, [start])
    if issuer is not None:
        start -= 1
    return Cover(issuer, None, issued, start)


def _title_after(lines: list[str], notice: int | None) -> int | None:
    """Where the plan the notice sends begins: the line that repeats its name."""
    if notice is None:
        return None
    # The notice's own title may wrap onto a second line.
    found = NOTICE_NAME.match(_plain(lines[notice] + "".join(lines[notice + 1 : notice + 2])))
    if found is None:
        return None
    name = _plain(found["name"])
    return next((i for i in range(notice + 1, len(lines)) if _plain(lines[i]) == name), None)


def _plain(text: str) -> str:
    return re.sub(r"\s", "", text)


def _issuer(lines: list[str], dates: list[int]) -> str | None:
    """The body signing the notice (落款), else the one named in its masthead."""
    candidates = [lines[dates[0] - 1]] if dates and dates[0] > 0 else []
    candidates += lines[:1]
    for line in candidates:
        name = line.removesuffix("文件").strip()
        if name.endswith(_ISSUER_ENDINGS) and len(name) <= 30:
            return name
    return None


def _date(line: str) -> dt.date | None:
    found = _DATE.match(line)
    if found is None:
        return None
    try:
        year = int(found["year"].translate(_DIGITS))
        return dt.date(year, _number(found["month"]), _number(found["day"]))
    except ValueError:
        return None


def _number(text: str) -> int:
    return int(text) if text.isdigit() else from_chinese(text)
