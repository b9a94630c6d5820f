"""Cut a task's text into its title and clauses, each clause closed by the assignment after it."""

from __future__ import annotations

import re
from collections.abc import Iterator

from plantrack.core.assignments import DUE_LABEL, OPENERS, read_assignment
from plantrack.importer.dates import find_deadlines
from plantrack.importer.document import Note, RawClause, RawTask
from plantrack.importer.recognise import bracket_assignment, closes_sentence

# 牵头科室：, 责任单位和科室：, 配合单位: … a role word, a short label, a colon: a label we
# could not read, worth a note rather than silence.
LOOKS_LIKE_LABEL = re.compile(r"^\s*[^：:（）()]{1,8}(?:单位|科室|部门|处室)\s*[：:]")
TITLE_END = re.compile(r"[。！？!?]")
CLOSERS = frozenset(OPENERS.values())
_OPENER = re.compile("[" + re.escape("".join(OPENERS)) + "]")
_BRACKET = re.compile("[" + re.escape("".join(OPENERS) + "".join(CLOSERS)) + "]")


def split_task(task: RawTask, notes: list[Note], *, first_leads: bool = False) -> None:
    """Take the title sentence, then cut the body at each assignment bracket into clauses.

    first_leads: the document states that the first unit of a bare list leads.
    """
    body = task.body.text
    end = TITLE_END.search(body)
    if end is None:
        task.title, rest_start = body.strip(), len(body)
    else:
        task.title, rest_start = body[: end.start()].strip(), end.end()
    first_bracket = _first_assignment(body)
    if first_bracket is not None and first_bracket < rest_start:
        # The assignment closes the title itself: 1.推进依法行政（牵头单位：…）
        task.title, rest_start = body[:first_bracket].strip(), first_bracket
    if not task.title:
        task.title = body.strip()[:30] or f"任务 {task.id}"
    start = rest_start
    for open_at, close_at in brackets(body, rest_start):
        inner = body[open_at + 1 : close_at]
        bare = closes_sentence(body, open_at, close_at)
        roles = bracket_assignment(inner, first_leads=first_leads, bare=bare)
        if roles is None:
            _note_unread_label(task, inner, open_at, notes)
            continue
        for due in [d["due"] for d in DUE_LABEL.finditer(inner)] or _times_in(inner):
            task.due_text = f"{task.due_text}；{due}" if task.due_text else due
        text = _words(body[start:open_at])
        if not text and task.clauses:
            _merge(task.clauses[-1], inner.strip(), roles, notes, first_leads=first_leads)
        else:
            task.clauses.append(RawClause(text, task.body.line_at(open_at), inner.strip(), roles))
        start = close_at + 1
    _close(task, _words(body[start:]), start, notes)
    for clause in task.clauses:
        if not clause.text:
            # A one-sentence task: its sentence is both its title and its only clause.
            clause.text = body[:rest_start].strip() or task.title


def _times_in(inner: str) -> list[str]:
    """The parts of an assignment bracket that say when: （2024年底前完成，A负责）."""
    if _DATE_WORDS.search(inner) is None:  # the usual bracket: units only, no time
        return []
    parts = (part.strip() for part in re.split(r"[，,；;。]", inner))
    return [part for part in parts if part and find_deadlines(part, _ANY_YEAR)]


_DATE_WORDS = re.compile(r"\d|季度|半年|年底|年末|每月|每季|每年")


_ANY_YEAR = 2000  # only whether a part names a date matters here, not which year


def _words(text: str) -> str:
    """The text, or nothing when it is only punctuation (the 。 after a closing bracket)."""
    text = text.strip()
    return text if text.strip("。；;，,、 ") else ""


def _close(task: RawTask, tail: str, start: int, notes: list[Note]) -> None:
    """Keep text after the last assignment as an unassigned clause, and say so."""
    if not tail and task.clauses:
        return
    line = task.body.line_at(start) if tail else task.line
    task.clauses.append(RawClause(tail, line))
    notes.append(
        Note(line, f"任务 {task.id} 有一段文字没有分工括注：已标记 unassigned: true，请补充单位")
    )


def _first_assignment(body: str) -> int | None:
    return next(
        (
            start
            for start, end in brackets(body, 0)
            if bracket_assignment(body[start + 1 : end], bare=closes_sentence(body, start, end))
        ),
        None,
    )


def _merge(
    clause: RawClause,
    inner: str,
    roles: dict[str, list[str]],
    notes: list[Note],
    *,
    first_leads: bool,
) -> None:
    """Two assignments in a row close one clause: （牵头单位：A）（责任单位：B）."""
    for role, names in roles.items():
        clause.roles.setdefault(role, []).extend(n for n in names if n not in clause.roles[role])
    joined = f"{clause.assignment}；{inner}"
    if read_assignment(joined, first_leads=first_leads, bare=True) != clause.roles:
        # Two phrases (XX牵头…)(YY牵头…) do not read as one: keep the units, not the words.
        notes.append(
            Note(
                clause.line,
                f"两处分工括注紧挨着（“{clause.assignment}”和“{inner}”）："
                "已合并两处的单位，assignment 未保留，请核对",
            )
        )
        clause.assignment = None
    else:
        clause.assignment = joined


def _note_unread_label(task: RawTask, inner: str, at: int, notes: list[Note]) -> None:
    if LOOKS_LIKE_LABEL.match(inner):
        label = re.split(r"[：:]", inner, maxsplit=1)[0]
        notes.append(
            Note(
                task.body.line_at(at),
                f"括注“{label}”不是可识别的分工标签（牵头/责任/配合/参与/协办），已作为正文保留",
            )
        )


def brackets(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Outermost bracket pairs from start on, nested brackets included in their parent."""
    index = start
    while (opening := _OPENER.search(text, index)) is not None:
        depth = 0
        for found in _BRACKET.finditer(text, opening.start()):
            depth += 1 if found.group() in OPENERS else -1
            if depth == 0:
                yield opening.start(), found.start()
                index = found.end()
                break
        else:
            return  # never closed
