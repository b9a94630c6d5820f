"""What is behind, and who answers for it: overdue, late and blocked clauses, per unit.

The report's 存在的问题 and 各单位情况, counted by the 分工: a row names the units of the
clauses it is about, and a unit is counted by its own clauses only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from plantrack.core.domain import Status
from plantrack.core.duties import (
    Owed,
    answering,
    answers_for,
    blocked_note,
    clause_ref,
    clauses_of,
    open_clauses,
    sharing,
    target_note,
)
from plantrack.core.model import Task
from plantrack.core.periods import Period
from plantrack.core.schedule import Occurrence
from plantrack.core.timeline import Timeline
from plantrack.core.wording import occurrence_name


@dataclass(frozen=True)
class ProblemRow:
    """An overdue occurrence, one done late, or a blocked clause, with who answers for it."""

    task_id: int
    # The task, or the clauses concerned when they are not all of it: 7.3, 7.1、7.2.
    ref: str
    task_title: str
    kind: str
    what: str
    date: str
    days_overdue: int | None
    lead: str
    responsible: str
    # The year-end limit of a task whose text states no date: reports list these together.
    year_end: bool = False


@dataclass(frozen=True)
class UnitRow:
    """The clauses one unit answers for, and how many are done, overdue or blocked."""

    name: str
    led: int
    done: int
    overdue: int
    blocked: int = 0


def overdue_rows(
    timeline: Timeline, tasks: list[Task], owed: Owed, as_of: dt.date
) -> list[ProblemRow]:
    """Each deadline past its date, with the counted clauses still open and their units."""
    rows = []
    for task in tasks:
        counted = clauses_of(task, owed)
        for occ in timeline.occurrences(task):
            if occ.date is None or occ.date >= as_of:
                continue
            still = open_clauses(timeline, task, occ, counted)
            if still:
                row = _problem(task, still, "逾期", occ, (as_of - occ.date).days)
                note = target_note(timeline, task)
                rows.append(dataclasses.replace(row, what=f"{row.what}；{note}") if note else row)
    return sorted(rows, key=lambda row: (-(row.days_overdue or 0), row.task_id))


def late_rows(
    timeline: Timeline, tasks: list[Task], owed: Owed, period: Period
) -> list[ProblemRow]:
    """Deadlines done late, on a day within the period."""
    return [
        _problem(task, clauses_of(task, owed), "逾期完成", occ, late)
        for task in tasks
        for occ, late in _late_in(timeline, task, period)
    ]


def blocked_rows(timeline: Timeline, tasks: list[Task], owed: Owed) -> list[ProblemRow]:
    """Each blocked clause counted, with its reason and its own units."""
    return [
        ProblemRow(
            task_id=task.id,
            ref=task.clause_ref(clause),
            task_title=task.title,
            kind="受阻",
            what=blocked_note(timeline, task, clause),
            date="",
            days_overdue=None,
            lead=answering(task, [clause]),
            responsible=sharing(task, [clause]),
        )
        for task in tasks
        for clause in clauses_of(task, owed)
        if timeline.clause_status(task, clause - 1) is Status.BLOCKED
    ]


def _problem(task: Task, clauses: list[int], kind: str, occ: Occurrence, days: int) -> ProblemRow:
    return ProblemRow(
        task_id=task.id,
        ref=clause_ref(task, clauses),
        task_title=task.title,
        kind=kind,
        what=occurrence_name(occ),
        date=occ.date.isoformat() if occ.date else "",
        days_overdue=days,
        lead=answering(task, clauses),
        responsible=sharing(task, clauses),
        year_end=occ.kind == "default",
    )


def _late_in(timeline: Timeline, task: Task, period: Period) -> Iterable[tuple[Occurrence, int]]:
    """Occurrences done late, on a day within the period."""
    for occ in timeline.occurrences(task):
        late = timeline.late_days(task, occ)
        done_on = timeline.done_on(task, occ)
        if late is not None and done_on is not None and period.contains(done_on):
            yield occ, late


def unit_rows(timeline: Timeline, tasks: list[Task], owed: Owed, as_of: dt.date) -> list[UnitRow]:
    """Per unit, the counted clauses it answers for: done, overdue and blocked among them."""
    rows = []
    for unit in timeline.plan.units:
        mine = [
            (task, clause)
            for task in tasks
            for clause in clauses_of(task, owed)
            if answers_for(task, clause, unit.name)
        ]
        if not mine:
            continue
        statuses = [timeline.clause_status(task, clause - 1) for task, clause in mine]
        late = [
            (task, clause)
            for task, clause in mine
            if any(
                occ.date is not None and occ.date < as_of
                for occ in timeline.occurrences(task)
                if open_clauses(timeline, task, occ, [clause])
            )
        ]
        rows.append(
            UnitRow(
                name=unit.name,
                led=len(mine),
                done=statuses.count(Status.DONE),
                overdue=len(late),
                blocked=statuses.count(Status.BLOCKED),
            )
        )
    return rows
