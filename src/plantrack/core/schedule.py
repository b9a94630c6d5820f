"""Deadlines expanded into occurrences: each dated (or knowingly undated) thing a task delivers.

Recurring deadlines are computed from their rule every time, never stored, so they cannot
drift. What an occurrence is called in Chinese is the wording module's business.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from plantrack.core.periods import month_end

if TYPE_CHECKING:  # types only: naming an occurrence must not load pydantic (`plantrack -h`)
    from plantrack.core.domain import Recurrence
    from plantrack.core.model import Deadline, Plan, Task

OccurrenceKind = Literal["date", "period", "recurring", "default", "undated"]
Level = Literal["红", "黄", "绿"]
# Where a due item falls: past its date, by this Sunday, by the month's end, or later.
DueGroup = Literal["last-year", "overdue", "week", "month", "later"]


@dataclass(frozen=True, slots=True)
class Postponement:
    """A deadline moved (延期): on which day, from which date to which, and why."""

    day: dt.date
    before: dt.date
    after: dt.date
    reason: str


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
    # The identifier this occurrence had before keys were made short (a period's end date,
    # an undated event's whole label): still accepted, and kept in calendar UIDs.
    legacy: str | None = None
    # The one clause (1-based) whose deadline this is; None: every clause of the task.
    clause: int | None = None
    # Each postponement known on the timeline's date, oldest first; date is the latest.
    postponed: tuple[Postponement, ...] = ()
    # A standing duty (长期坚持): undated by nature, not for want of a source.
    standing: bool = False

    def applies_to(self, clause: int) -> bool:
        """Tell whether this is a deadline of the task's clause (1-based)."""
        return self.clause is None or self.clause == clause

    def answers_to(self, text: str) -> bool:
        """Tell whether text names this occurrence: its key or old key, in any letter case."""
        wanted = text.strip().casefold()
        return wanted in {self.key.casefold(), (self.legacy or self.key).casefold()}


def postponed(occ: Occurrence, step: Postponement) -> Occurrence:
    """The occurrence with its date moved by one postponement."""
    return dataclasses.replace(occ, date=step.after, postponed=(*occ.postponed, step))


def occurrence_by_key(items: list[Occurrence], text: str) -> Occurrence | None:
    """The occurrence whose id (or old id) text is, in any letter case; names: core.refs."""
    return next((occ for occ in items if occ.answers_to(text)), None)


@dataclass(frozen=True, slots=True)
class DueItem:
    """An occurrence that is overdue or falls inside the window asked about.

    For one office the item is about one of its clauses (1-based); for the whole plan it
    is about the task, and clause is None.
    """

    occurrence: Occurrence
    task: Task
    days_left: int
    level: Level
    clause: int | None = None

    @property
    def ref(self) -> str:
        """The task, or the clause as people write it: 13, or 7.3 in a task of several."""
        return str(self.task.id) if self.clause is None else self.task.clause_ref(self.clause)

    @property
    def overdue(self) -> bool:
        """Tell whether the date has passed without the occurrence being done."""
        return self.days_left < 0


def due_group(item: DueItem) -> tuple[DueGroup, dt.date | None]:
    """The calendar group of a due item, and the last day of that group (None when open)."""
    due = item.occurrence.date
    assert due is not None  # only dated occurrences fall due
    as_of = due - dt.timedelta(days=item.days_left)
    if due.year < as_of.year:
        return "last-year", None  # a year ended unfinished, until it is carried over
    if item.days_left < 0:
        return "overdue", None
    sunday = as_of + dt.timedelta(days=6 - as_of.weekday())
    if due <= sunday:
        return "week", sunday
    if (due.year, due.month) == (as_of.year, as_of.month):
        return "month", month_end(as_of.year, as_of.month)
    return "later", None


def occurrences(task: Task, plan: Plan) -> list[Occurrence]:
    """Expand a task's deadlines; a task whose text states no date is due by the plan default.

    The default has no label of its own: the wording module names it.
    """
    expanded = [occ for deadline in task.deadlines for occ in _expand(task.id, deadline, plan.year)]
    standing = bool(task.deadlines) and all(d.standing for d in task.deadlines)
    if not any(occ.date for occ in expanded) and not standing:
        due = plan.fallback_due
        expanded.append(Occurrence(task.id, due.isoformat(), "", "default", due))
    expanded.sort(key=lambda occ: (occ.date is None, occ.date or dt.date.min))
    return _unique_keys(expanded)


def _expand(task_id: int, deadline: Deadline, year: int) -> list[Occurrence]:
    def make(
        key: str, kind: OccurrenceKind, due: dt.date | None, legacy: str | None = None
    ) -> Occurrence:
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
            legacy=legacy if legacy != key else None,
            clause=deadline.clause,
            standing=deadline.standing,
        )

    if deadline.every is not None:
        return [make(key, "recurring", due) for key, due in _recurrence(deadline.every, year)]
    if deadline.date is not None:
        return [make(deadline.date.isoformat(), "date", deadline.date)]
    if deadline.end is not None:
        return [make(_period_key(deadline), "period", deadline.end, deadline.end.isoformat())]
    return [make(short_name(deadline.label), "undated", None, deadline.label)]


def _period_key(deadline: Deadline) -> str:
    """A campaign month is named by its month (2023-05); any other period by its last day."""
    start, end = deadline.start, deadline.end
    assert end is not None
    whole_month = (
        start is not None
        and start.day == 1
        and (start.year, start.month)
        == (
            end.year,
            end.month,
        )
    )
    if whole_month and end == month_end(end.year, end.month):
        return f"{end.year}-{end.month:02d}"
    return end.isoformat()


_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{1,20})[”\"」』]")


def short_name(label: str) -> str:
    """What a person calls an event: the quoted name in “信用交通月”集中普法活动, else the label."""
    found = _QUOTED.search(label)
    return found.group(1) if found else label


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


def meets(actual: float, op: str, value: float) -> bool:
    """Tell whether actual satisfies the target's comparison with value."""
    return {
        ">=": actual >= value,
        "<=": actual <= value,
        ">": actual > value,
        "<": actual < value,
        "=": actual == value,
    }[op]


def level(days_left: int, warn_days: int) -> Level:
    """Warning colour: 红 overdue, 黄 within warn_days, 绿 on track."""
    if days_left < 0:
        return "红"
    if days_left <= warn_days:
        return "黄"
    return "绿"
