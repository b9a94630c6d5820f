"""The one model of time: each task's occurrences, their names, which are done, and statuses.

Every command asks a `Timeline` what is due, done or late, so what those words mean is
decided here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from plantrack.model import Deadline, Plan, Recurrence, Status, Task
from plantrack.periods import Period, month_end

OccurrenceKind = Literal["date", "period", "recurring", "default", "undated"]
Level = Literal["红", "黄", "绿"]
DEFAULT_LABEL = "年度任务（默认年底）"


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One dated (or knowingly undated) thing a task must deliver."""

    task_id: int
    key: str
    label: str
    kind: OccurrenceKind
    date: dt.date | None
    start: dt.date | None = None
    quote: str | None = None
    date_source: str | None = None
    every: Recurrence | None = None


@dataclass(frozen=True, slots=True)
class DueItem:
    """An occurrence that is overdue or falls inside the window asked about."""

    occurrence: Occurrence
    task: Task
    days_left: int
    level: Level

    @property
    def overdue(self) -> bool:
        """Tell whether the date has passed without the occurrence being done."""
        return self.days_left < 0


def occurrences(task: Task, plan: Plan) -> list[Occurrence]:
    """Expand a task's deadlines; a task whose text states no date is due by the plan default."""
    expanded = [occ for deadline in task.deadlines for occ in _expand(task.id, deadline, plan.year)]
    if not any(occ.date for occ in expanded):
        due = plan.fallback_due
        expanded.append(Occurrence(task.id, due.isoformat(), DEFAULT_LABEL, "default", due))
    expanded.sort(key=lambda occ: (occ.date is None, occ.date or dt.date.min))
    return _unique_keys(expanded)


def _expand(task_id: int, deadline: Deadline, year: int) -> list[Occurrence]:
    def make(key: str, kind: OccurrenceKind, due: dt.date | None) -> Occurrence:
        return Occurrence(
            task_id,
            key,
            deadline.label,
            kind,
            due,
            start=deadline.start,
            quote=deadline.quote,
            date_source=deadline.date_source,
            every=deadline.every,
        )

    if deadline.every is not None:
        return [make(key, "recurring", due) for key, due in _recurrence(deadline.every, year)]
    if deadline.date is not None:
        return [make(deadline.date.isoformat(), "date", deadline.date)]
    if deadline.end is not None:
        return [make(deadline.end.isoformat(), "period", deadline.end)]
    return [make(deadline.label, "undated", None)]


def _recurrence(every: Recurrence, year: int) -> list[tuple[str, dt.date]]:
    # Period ends are computed from the calendar, never by adding months, so they cannot slide.
    if every == "quarter":
        return [(f"{year}Q{q}", month_end(year, q * 3)) for q in range(1, 5)]
    if every == "half-year":
        return [(f"{year}H1", dt.date(year, 6, 30)), (f"{year}H2", dt.date(year, 12, 31))]
    return [(f"{year}-{m:02d}", month_end(year, m)) for m in range(1, 13)]


def _unique_keys(items: list[Occurrence]) -> list[Occurrence]:
    seen: dict[str, int] = {}
    result = []
    for occ in items:
        count = seen[occ.key] = seen.get(occ.key, 0) + 1
        if count > 1:
            occ = dataclasses.replace(occ, key=f"{occ.key}#{count}")
        result.append(occ)
    return result


def occurrence_name(occ: Occurrence) -> str:
    """Name an occurrence for people: recurring ones carry their period, e.g. 2023Q3 报送…."""
    if occ.kind == "recurring":
        return f"{occ.key} {occ.label}"
    return occ.label


_EVERY = {"quarter": "每季度末", "half-year": "每半年末", "month": "每月末"}


def deadline_summary(items: list[Occurrence]) -> str:
    """A short Chinese summary of a task's deadlines, e.g. 每季度末；11月20日前."""
    parts: list[str] = []
    for occ in items:
        text = _short_date(occ)
        if text and text not in parts:
            parts.append(text)
    return "；".join(parts)


def _short_date(occ: Occurrence) -> str | None:
    if occ.kind == "recurring":
        return _EVERY[occ.every] if occ.every else "定期"
    if occ.date is None:
        return None
    if occ.kind == "default":
        return f"{occ.date.month}月{occ.date.day}日前（默认）"
    if occ.kind == "period" and occ.start:
        return f"{occ.start.month}月{occ.start.day}日–{occ.date.month}月{occ.date.day}日"
    return f"{occ.date.month}月{occ.date.day}日前"


def level(days_left: int, warn_days: int) -> Level:
    """Warning colour: 红 overdue, 黄 within warn_days, 绿 on track."""
    if days_left < 0:
        return "红"
    if days_left <= warn_days:
        return "黄"
    return "绿"


def roll_up(statuses: set[Status]) -> Status:
    """One status for several: done when all are, blocked when any is, else begun or not."""
    if statuses == {Status.DONE}:
        return Status.DONE
    if Status.BLOCKED in statuses:
        return Status.BLOCKED
    if statuses & {Status.IN_PROGRESS, Status.DONE}:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


class Timeline:
    """What a plan's record says of each task: its occurrences, which are done, its status."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self._occurrences: dict[int, list[Occurrence]] = {}
        self._done_keys: dict[int, set[str]] = {}

    def occurrences(self, task: Task) -> list[Occurrence]:
        """The task's occurrences in date order, expanded once."""
        found = self._occurrences.get(task.id)
        if found is None:
            found = self._occurrences[task.id] = occurrences(task, self.plan)
        return found

    def clause_status(self, task: Task, index: int) -> Status:
        """The status of the task's clause at index (0-based)."""
        return task.clauses[index].status

    def status(self, task: Task) -> Status:
        """The task's status, rolled up from its clauses."""
        return roll_up({clause.status for clause in task.clauses})

    def is_done(self, task: Task, occ: Occurrence) -> bool:
        """Tell whether an occurrence is done: the whole task is, or its own entry says so."""
        if self.status(task) is Status.DONE:
            return True
        done = self._done_keys.get(task.id)
        if done is None:
            done = self._done_keys[task.id] = _completed_keys(task)
        return occ.key in done

    def due_items(self, tasks: list[Task], *, as_of: dt.date, within: int) -> list[DueItem]:
        """Occurrences not yet done that are overdue or due within `within` days, by date."""
        horizon = as_of + dt.timedelta(days=within)
        warn_days = self.plan.warn_days
        items = []
        for task in tasks:
            for occ in self.occurrences(task):
                if occ.date is None or occ.date > horizon or self.is_done(task, occ):
                    continue
                days_left = (occ.date - as_of).days
                items.append(DueItem(occ, task, days_left, level(days_left, warn_days)))
        return sorted(items, key=lambda item: (item.days_left, item.task.id))

    def items_in_period(
        self, tasks: list[Task], *, period: Period, as_of: dt.date
    ) -> list[DueItem]:
        """Occurrences not yet done whose date falls inside period, by date."""
        # due_items takes everything up to its horizon; the period's end is that horizon.
        items = self.due_items(tasks, as_of=as_of, within=(period.end - as_of).days)
        return [
            item for item in items if item.occurrence.date and period.contains(item.occurrence.date)
        ]


def _completed_keys(task: Task) -> set[str]:
    """Occurrence keys whose latest progress entry marks them done."""
    done: set[str] = set()
    for entry in task.progress:
        if entry.occurrence is None or entry.status is None:
            continue
        if entry.status is Status.DONE:
            done.add(entry.occurrence)
        else:
            done.discard(entry.occurrence)
    return done
