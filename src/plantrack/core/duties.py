"""Who owes what: the 分工 as the unit of duty.

A clause's lead units own its deadlines; its responsible units share them; a clause that
names no lead is answered for by its responsible units. An office's view, its reminders,
its report lines and its blame follow its own clauses, never the whole task.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from plantrack.core import history
from plantrack.core.describe import describe_target
from plantrack.core.domain import Status
from plantrack.core.schedule import Occurrence
from plantrack.core.timeline import Timeline
from plantrack.core.wording import unit_list

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Task

# For one office: the clauses (1-based) it plays a role in, by task id. None: every clause.
Owed = Mapping[int, list[int]] | None


def clauses_of(task: Task, owed: Owed) -> list[int]:
    """The clauses (1-based) of the task a view counts."""
    if owed is None:
        return list(range(1, len(task.clauses) + 1))
    return owed.get(task.id, [])


def clause_ref(task: Task, clauses: list[int]) -> str:
    """The task, or its clauses as people write them: 13, 7.3, 7.1、7.2."""
    if len(clauses) == len(task.clauses) or not clauses:
        return str(task.id)
    return "、".join(task.clause_ref(clause) for clause in clauses)


def open_clauses(timeline: Timeline, task: Task, occ: Occurrence, clauses: list[int]) -> list[int]:
    """The clauses among those counted whose deadline occ is, and not done for them."""
    return [c for c in clauses if occ.applies_to(c) and not timeline.is_done_for(task, c, occ)]


def answering(task: Task, clauses: list[int]) -> str:
    """Who answers for the clauses: each clause's lead units, or its responsible units where
    it names no lead (said so when no clause names one)."""
    leads = _names(task, [c for c in clauses if task.clauses[c - 1].lead], "lead")
    leadless = [c for c in clauses if not task.clauses[c - 1].lead]
    if not leads:
        return f"{unit_list(_names(task, leadless, 'responsible'))}（责任单位，原文未列牵头）"
    return unit_list(list(dict.fromkeys([*leads, *_names(task, leadless, "responsible")])))


def sharing(task: Task, clauses: list[int]) -> str:
    """The responsible units of the clauses."""
    return unit_list(_names(task, clauses, "responsible"))


def _names(task: Task, clauses: list[int], role: str) -> list[str]:
    found = (name for c in clauses for name in getattr(task.clauses[c - 1], role))
    return list(dict.fromkeys(found))


def answers_for(task: Task, clause: int, unit: str) -> bool:
    """Tell whether the unit answers for the clause: it leads, or is named where none leads."""
    named = task.clauses[clause - 1]
    return unit in named.lead or (not named.lead and unit in named.responsible)


def status_of(timeline: Timeline, task: Task, clauses: list[int]) -> Status:
    """The status of the counted clauses together: done when all are, blocked when any is."""
    if len(clauses) == len(task.clauses):
        return timeline.status(task)
    return history.roll_up({timeline.clause_status(task, c - 1) for c in clauses})


def clauses_done(timeline: Timeline, task: Task) -> str:
    """How many clauses are done, when the clauses differ: （1/3 完成）; else nothing."""
    statuses = [timeline.clause_status(task, i) for i in range(len(task.clauses))]
    if len(set(statuses)) == 1:
        return ""
    return f"（{statuses.count(Status.DONE)}/{len(statuses)} 完成）"


def blocked_note(timeline: Timeline, task: Task, clause: int) -> str:
    """Why a clause (1-based) is blocked: the note of its latest 受阻 entry."""
    for entry in reversed(timeline.entries(task)):
        if entry.status is Status.BLOCKED and entry.note and history.concerns(entry, clause - 1):
            return entry.note
    if task.carried_note:  # blocked last year, and carried over as it stood
        return f"上年度结转：{task.carried_note}"
    return "受阻（未填写原因）"


def target_note(timeline: Timeline, task: Task) -> str | None:
    """For a task whose every target is met: 目标已达到（出庭应诉率 85%）; else None.

    A met target does not finish the task (the text asks for more than the number), but a
    line that lists the task as due or overdue must not hide that the target is met.
    """
    if not task.targets:
        return None
    described = [(target.name, *describe_target(timeline, task, target)) for target in task.targets]
    if any(met != "达到" for _, _, met in described):
        return None
    values = "；".join(f"{name} {actual.split('（')[0]}" for name, actual, _ in described)
    return f"目标已达到（{values}）"
