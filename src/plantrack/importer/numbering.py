"""Numbering: which style of item numbers carries the tasks, and the numbers as written.

The style whose items carry the assignments is the task level. Numbers that skip, repeat
or restart are made into unique ids, and every oddity is noted at its line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from plantrack.core.assignments import open_brackets
from plantrack.importer.clauses import brackets
from plantrack.importer.document import Note
from plantrack.importer.recognise import (
    Style,
    bracket_assignment,
    closes_sentence,
    label_line,
    marker,
)
from plantrack.importer.sources import Block

# The official-document hierarchy (GB/T 9704): 一、 > （一） > 1. > （1） > ①.
DEPTH: dict[Style, int] = {"section": 0, "paren_cn": 1, "arabic": 2, "paren_num": 3, "circled": 4}
# A jump further than this is not a skipped item but a number in the text (110、119).
LARGEST_GAP = 20


def task_style(lines: list[Block]) -> Style | None:
    """The numbering style of tasks: the one whose items carry the assignments.

    An assignment on a numbered line belongs to that line's item. One on a line of its
    own closes the shallowest item opened since the last assignment: the ① ② under a
    task do not own the (牵头…) line that follows them.
    """
    owners: Counter[Style] = Counter()
    present: Counter[Style] = Counter()
    since: list[Style] = []
    owner: Style | None = None
    for text in _logical_lines(lines):
        found = marker(text)
        if found is not None:
            present[found.style] += 1
            since.append(found.style)
        if not assigns(text):
            continue
        if found is not None:
            owner = found.style
        elif since:
            # Sections own an assignment only in a plan with no other items.
            below = [style for style in since if style != "section"] or since
            owner = min(below, key=lambda style: DEPTH[style])
        since = []
        if owner:
            owners[owner] += 1
    below = [style for style in owners if style != "section"]
    if below:
        return max(below, key=lambda style: (owners[style], -DEPTH[style]))
    if owners:
        return "section"  # a short plan whose only items are 一、 二、, each assigned
    return next((s for s in ("arabic", "paren_cn", "paren_num", "circled") if present[s]), None)


def _logical_lines(lines: list[Block]) -> list[str]:
    """Text lines with a bracket that a page wrapped joined back to its opening line."""
    joined: list[list[str]] = []
    depth = 0
    for block in lines:
        if block.cells:
            continue
        if depth > 0 and joined and marker(block.text) is None:
            joined[-1].append(block.text)
            depth = max(0, depth + open_brackets(block.text))
        else:
            joined.append([block.text])
            depth = max(0, open_brackets(block.text))
    return ["".join(pieces) for pieces in joined]


def assigns(text: str) -> bool:
    """Whether a line assigns units: a label line, or a bracket that assigns."""
    if label_line(text) is not None:
        return True
    return any(
        bracket_assignment(text[a + 1 : b], bare=closes_sentence(text, a, b))
        for a, b in brackets(text, 0)
    )


@dataclass
class Numbers:
    """Numbers as written made into unique ids; every oddity is noted at its line."""

    noun: str
    notes: list[Note]
    last: int = 0  # the last number as written
    largest: int = 0  # the largest id given
    offset: int = 0  # id = number as written + offset
    parent_changed: bool = False
    restarted: bool = False
    sublist: int = 0  # a 1. 2. list inside an item, read as that item's text

    def accept(self, number: int, line: int, *, fused: bool = False, rest: str = "") -> int | None:
        """The id for a numbered line, or None when the number is text after all."""
        expected = self.last + 1
        if self.sublist and number == self.sublist + 1 != expected and not self.parent_changed:
            self.sublist = number
            return None
        if fused and number != expected:
            return None  # 12.5%的… : a number in the text, not an item
        if number == expected:
            if fused:
                self._fused(number, line, rest)
        elif number == 1 and self.parent_changed and self.last:
            self._restart(number, line)
        elif expected < number <= expected + LARGEST_GAP:
            self._gap(number, line)
        elif number > expected:
            return None
        elif number == 1:
            self.sublist = 1
            return None
        else:
            self._repeat(number, line)
        return self._take(number)

    def _take(self, number: int) -> int:
        self.last, self.parent_changed, self.sublist = number, False, 0
        self.largest = max(self.largest, number + self.offset)
        return number + self.offset

    def _fused(self, number: int, line: int, rest: str) -> None:
        head = re.split(r"[。；;，,]", rest, maxsplit=1)[0][:20]
        self.notes.append(
            Note(
                line,
                f"编号 {number} 与标题开头的数字相连（{number}.{head}）："
                f"已作为第 {number} 项读取，标题为“{head}”，请核对",
            )
        )

    def _restart(self, number: int, line: int) -> None:
        self.offset = self.largest
        if not self.restarted:
            self.notes.append(
                Note(
                    line,
                    f"{self.noun}编号在这里重新从 1 开始：plantrack 的{self.noun}编号须全文唯一，"
                    f"已按全文顺序连续编号（这一项记为第 {number + self.offset} 项，其后类推），请核对",
                )
            )
        self.restarted = True

    def _gap(self, number: int, line: int) -> None:
        missing = f"{self.last + 1}" if number == self.last + 2 else f"{self.last + 1}–{number - 1}"
        self.notes.append(
            Note(
                line,
                f"{self.noun}编号从 {self.last} 跳到 {number}：原文没有第 {missing} 项，"
                "已照原编号读取，请核对原文是否漏项",
            )
        )

    def _repeat(self, number: int, line: int) -> None:
        self.offset = self.largest + 1 - number
        word = "重复" if number == self.last else "倒退"
        self.notes.append(
            Note(
                line,
                f"{self.noun}编号 {number} {word}（上一项是 {self.last}）：仍作为新的一项读取，"
                f"记为第 {number + self.offset} 项，其后各项顺延，请核对原文",
            )
        )
