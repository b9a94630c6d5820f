"""What a person types to name things: a task or clause (13, 7.2, ７．２), a status (done, 已完成)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from plantrack.core.errors import UsageError
from plantrack.core.model import STATUS_ALIASES, Status
from plantrack.core.numerals import half_width
from plantrack.core.wording import closest, did_you_mean


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
