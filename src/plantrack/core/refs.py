"""What a person types to name things: a task or clause (13, 7.2, ７．２), a status (done,
已完成), an occurrence (2023Q2, 第二季度, 安全生产月, 2023-06)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from plantrack.core.domain import STATUS_ALIASES, Status
from plantrack.core.errors import UsageError
from plantrack.core.numerals import half_width
from plantrack.core.schedule import Occurrence, occurrence_by_key
from plantrack.core.wording import closest, did_you_mean, occurrence_handle, occurrence_names

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Progress


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A task, or one clause of it, as written on the command line: 13 or 13.2."""

    task: int
    clause: int | None = None

    def __str__(self) -> str:
        return f"{self.task}.{self.clause}" if self.clause else str(self.task)


def parse_ref(text: str) -> TaskRef:
    """Read TASK or TASK.CLAUSE (full-width digits too: ２６, ７．２)."""
    match = re.fullmatch(r"([0-9]{1,9})(?:\.([0-9]{1,4}))?", half_width(text).strip())
    if match is None:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise UsageError(f"任务写法“{shown}”无效：应为任务序号（如 13）或 序号.分工（如 7.2）")
    task, clause = match.groups()
    return TaskRef(int(task), int(clause) if clause else None)


def parse_status(text: str) -> Status:
    """Read a status as typed: Chinese or its English alias; list the choices otherwise."""
    value = text.strip()
    lowered = value.lower()
    if lowered in STATUS_ALIASES:
        return STATUS_ALIASES[lowered]
    for status in Status:
        if value == status.value:
            return status
    choices = [s.value for s in Status] + list(STATUS_ALIASES)
    hint = did_you_mean(closest(value, choices, cutoff=0.4))
    valid = "、".join(f"{s.value}（{alias}）" for alias, s in STATUS_ALIASES.items())
    raise UsageError(f"未知状态“{text}”。{hint}可选：{valid}")


_MONTH = re.compile(r"(?:(\d{4})\s*[-年./]\s*)?(\d{1,2})\s*月?")


def occurrence_matches(items: list[Occurrence], text: str) -> list[Occurrence]:
    """The occurrences text may mean: by id, then by any name plantrack prints, then by month."""
    typed = half_width(text).strip()
    exact = occurrence_by_key(items, typed)
    if exact is not None:
        return [exact]
    wanted = typed.casefold()
    named = [o for o in items if wanted in {n.casefold() for n in occurrence_names(o)}]
    return named or _in_month(items, typed)


def _in_month(items: list[Occurrence], typed: str) -> list[Occurrence]:
    """The dated occurrences that fall in the month typed (2023-06, 6月); none for other text."""
    found = _MONTH.fullmatch(typed)
    if found is None or not 1 <= int(found.group(2)) <= 12:
        return []
    year, month = found.group(1), int(found.group(2))

    def spans(occ: Occurrence) -> bool:
        if occ.date is None:
            return False
        first = occ.start or occ.date
        asked = (int(year) if year else occ.date.year, month)
        return (first.year, first.month) <= asked <= (occ.date.year, occ.date.month)

    return [occ for occ in items if spans(occ)]


def find_occurrence(items: list[Occurrence], text: str) -> Occurrence | None:
    """The one occurrence text means; None when it means none, or more than one."""
    found = occurrence_matches(items, text)
    return found[0] if len(found) == 1 else None


def occurrence_problem(task_id: int, items: list[Occurrence], text: str) -> str | None:
    """Why text names no single occurrence of the task, listing the choices; None if it does."""
    found = occurrence_matches(items, text)
    if len(found) == 1:
        return None
    if found:
        choices = "、".join(_choice(occ) for occ in found)
        return f"“{text}”可指任务 {task_id} 的几个时限：{choices}。请写明其中一个"
    choices = "、".join(_choice(occ) for occ in items)
    return f"任务 {task_id} 没有“{text}”这一时限：可选 {choices}"


def _choice(occ: Occurrence) -> str:
    shown = occurrence_handle(occ)
    return f"{occ.key}（{shown}）" if shown != occ.key else occ.key


def postponed_occurrence(items: list[Occurrence], entry: Progress) -> Occurrence | None:
    """The occurrence a postponement entry moves: the one it names, or a task's only dated one."""
    if entry.occurrence is not None:
        return find_occurrence(items, entry.occurrence)
    dated = [occ for occ in items if occ.date is not None]
    return dated[0] if len(dated) == 1 else None
