"""Deadlines: fixed dates, periods, recurring rules expanded on read, and the year-end default."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from dataclasses import dataclass
from typing import Literal

from plantrack.errors import UsageError
from plantrack.model import Deadline, Plan, Recurrence, Status, Task

OccurrenceKind = Literal["date", "period", "recurring", "default", "undated"]
Level = Literal["红", "黄", "绿"]


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
        label = "年度任务（默认年底）"
        expanded.append(
            Occurrence(task.id, plan.fallback_due.isoformat(), label, "default", plan.fallback_due)
        )
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
        return [(f"{year}Q{q}", _month_end(year, q * 3)) for q in range(1, 5)]
    if every == "half-year":
        return [(f"{year}H1", dt.date(year, 6, 30)), (f"{year}H2", dt.date(year, 12, 31))]
    return [(f"{year}-{m:02d}", _month_end(year, m)) for m in range(1, 13)]


def _month_end(year: int, month: int) -> dt.date:
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def _unique_keys(items: list[Occurrence]) -> list[Occurrence]:
    seen: dict[str, int] = {}
    result = []
    for occ in items:
        count = seen[occ.key] = seen.get(occ.key, 0) + 1
        if count > 1:
            occ = dataclasses.replace(occ, key=f"{occ.key}#{count}")
        result.append(occ)
    return result


def completed_keys(task: Task) -> set[str]:
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


def level(days_left: int, warn_days: int) -> Level:
    """Warning colour: 红 overdue, 黄 within warn_days, 绿 on track."""
    if days_left < 0:
        return "红"
    if days_left <= warn_days:
        return "黄"
    return "绿"


def due_items(plan: Plan, tasks: list[Task], *, as_of: dt.date, within: int) -> list[DueItem]:
    """Occurrences not yet done that are overdue or due within `within` days, by date."""
    horizon = as_of + dt.timedelta(days=within)
    items = []
    for task in tasks:
        if task.status is Status.DONE:
            continue
        done = completed_keys(task)
        for occ in occurrences(task, plan):
            if occ.date is None or occ.key in done or occ.date > horizon:
                continue
            days_left = (occ.date - as_of).days
            items.append(DueItem(occ, task, days_left, level(days_left, plan.warn_days)))
    return sorted(items, key=lambda item: (item.days_left, item.task.id))


@dataclass(frozen=True, slots=True)
class Period:
    """A closed date range, such as a quarter."""

    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        """Tell whether day falls inside the period, both ends included."""
        return self.start <= day <= self.end


def quarter(year: int, number: int) -> Period:
    """The calendar quarter `number` (1–4) of `year`."""
    start = dt.date(year, number * 3 - 2, 1)
    return Period(start, _month_end(year, number * 3), f"{year}Q{number}")


def parse_quarter(text: str, as_of: dt.date) -> Period:
    """Read 2023Q3, current or previous (relative to as_of)."""
    value = text.strip().lower()
    current = (as_of.month - 1) // 3 + 1
    if value == "current":
        return quarter(as_of.year, current)
    if value == "previous":
        return quarter(as_of.year, current - 1) if current > 1 else quarter(as_of.year - 1, 4)
    head, sep, tail = value.partition("q")
    if sep and head.isdigit() and len(head) == 4 and tail in ("1", "2", "3", "4"):
        return quarter(int(head), int(tail))
    raise UsageError(
        f"--quarter 的值“{text}”无效：应为 2023Q3、current（本季度）或 previous（上季度）"
    )


def items_in_period(
    plan: Plan, tasks: list[Task], *, period: Period, as_of: dt.date
) -> list[DueItem]:
    """Occurrences not yet done whose date falls inside period, by date."""
    # due_items takes everything up to its horizon; the period's end is that horizon.
    window = (period.end - as_of).days
    items = due_items(plan, tasks, as_of=as_of, within=window)
    return [
        item for item in items if item.occurrence.date and period.contains(item.occurrence.date)
    ]


def parse_date(text: str, *, option: str) -> dt.date:
    """Parse YYYY-MM-DD from the command line, or explain the expected form."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{option} 的日期“{text}”无效：应为 YYYY-MM-DD，例如 2023-10-01") from None


def parse_window(text: str, as_of: dt.date) -> int:
    """Turn --within (30, 30d, 2w, 1m) into a number of days after as_of."""
    value = text.strip().lower()
    unit = value[-1] if value and value[-1] in "dwm" else "d"
    number = value[:-1] if value and value[-1] in "dwm" else value
    if not number.isdigit():
        raise UsageError(f"--within 的值“{text}”无效：应为天数或 14d、2w、1m 这样的写法")
    count = int(number)
    if unit == "w":
        return count * 7
    if unit == "m":
        return (_add_months(as_of, count) - as_of).days
    return count


def _add_months(day: dt.date, months: int) -> dt.date:
    # Clamp to the month's last day so 1-31 plus one month is 2-28, not 3-03.
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, _month_end(year, month).day))


def today(as_of: str | None = None) -> dt.date:
    """The date to compute against: --as-of, then $PLANTRACK_TODAY, then the system date."""
    if as_of:
        return parse_date(as_of, option="--as-of")
    env = os.environ.get("PLANTRACK_TODAY")
    if env:
        return parse_date(env, option="PLANTRACK_TODAY")
    return dt.date.today()
