"""The one model of time: each task's occurrences, their names, which are done, and statuses.

Every command asks a `Timeline` what is due, done or late, so what those words mean is
decided here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal, NamedTuple

from plantrack.core.model import Deadline, Plan, Progress, Recurrence, Status, Target, Task
from plantrack.core.periods import Period, month_end

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
    # The identifier this occurrence had before keys were made short (a period's end date,
    # an undated event's whole label): still accepted, and kept in calendar UIDs.
    legacy: str | None = None

    def answers_to(self, text: str) -> bool:
        """Tell whether text names this occurrence: its key or old key, in any letter case."""
        wanted = text.strip().casefold()
        return wanted in {self.key.casefold(), (self.legacy or self.key).casefold()}


def find_occurrence(items: list[Occurrence], text: str) -> Occurrence | None:
    """The occurrence text names, as typed by a person or written in an older plan."""
    return next((occ for occ in items if occ.answers_to(text)), None)


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


def occurrence_handle(occ: Occurrence) -> str:
    """An occurrence in a few characters: 2023Q2 for a recurring duty, else its short name."""
    if occ.kind == "recurring":
        return occ.key
    if occ.kind == "default":
        return "年度任务"
    return short_name(occ.label)


def occurrence_name(occ: Occurrence) -> str:
    """Name an occurrence for people: recurring ones carry their period, e.g. 2023Q3 报送…."""
    if occ.kind == "recurring":
        return f"{occ.key} {occ.label}"
    return occ.label


# How a recurring rule reads: 每季度 (a target per period), 每季度末 (a deadline in a table).
EVERY_WORD = {"quarter": "每季度", "half-year": "每半年", "month": "每月"}
EVERY_TEXT = {every: f"{word}末" for every, word in EVERY_WORD.items()}


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
        return EVERY_TEXT[occ.every] if occ.every else "定期"
    if occ.date is None:
        return None
    if occ.kind == "default":
        return f"{occ.date.month}月{occ.date.day}日前（默认）"
    if occ.kind == "period" and occ.start:
        return f"{occ.start.month}月{occ.start.day}日–{occ.date.month}月{occ.date.day}日"
    return f"{occ.date.month}月{occ.date.day}日前"


def deadline_text(timeline: Timeline, task: Task) -> str:
    """The deadlines in short, with how many are done once some are: 每季度末；11月20日前（已完成 3/5）."""
    summary = deadline_summary(timeline.occurrences(task))
    counts = timeline.counts(task)
    if counts.total > 1 and 0 < counts.done < counts.total:
        return f"{summary}（已完成 {counts.done}/{counts.total}）"
    return summary


def describe_target(timeline: Timeline, task: Task, target: Target) -> tuple[str, str]:
    """The target's actual value and whether it is met, as of the report's date."""
    found = timeline.target_value(task, target)
    if found is not None:
        value, day = found
        when = f"（{day.isoformat()}）" if day else ""
        met = "达到" if meets(value, target.op, target.value) else "未达到"
        return f"{format_number(value)}{target.unit}{when}", met
    if target.per is not None:
        # A duty each period counts its done occurrences: 3 of the 4 quarters so far.
        counts = timeline.counts(task, target.per)
        if counts.total:
            actual = f"{counts.done}/{counts.total} 次已完成"
            if counts.due == 0:
                return actual, "—"
            return actual, "达到" if counts.done >= counts.due else "未达到"
    return "未填报", "—"


def format_number(value: float | None) -> str:
    """85.0 as 85, 85.5 as 85.5."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


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


def roll_up(statuses: set[Status]) -> Status:
    """One status for several: done when all are, blocked when any is, else begun or not."""
    if statuses == {Status.DONE}:
        return Status.DONE
    if Status.BLOCKED in statuses:
        return Status.BLOCKED
    if statuses & {Status.IN_PROGRESS, Status.DONE}:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


class Counts(NamedTuple):
    """How many occurrences are done, how many fall due by the timeline's date, and in all."""

    done: int
    due: int
    total: int


class _History(NamedTuple):
    """A task's progress log replayed up to the timeline's date."""

    entries: list[Progress]
    # Per clause: the status its entries (or, with none, its `status:` line) give it.
    recorded: list[Status]
    # Per clause: the entry that set that status, if an entry did.
    setters: list[Progress | None]
    clauses: list[Status]
    status: Status
    done_on: dict[str, dt.date | None]


class Timeline:
    """What a plan's record says of each task on a date: done items, statuses, values.

    The progress log is the history. Entries dated after `as_of` do not exist for the answer;
    with no date, every entry counts. A clause's `status:` line stands, undated, only while no
    entry has ever set that clause's status.
    """

    def __init__(self, plan: Plan, as_of: dt.date | None = None) -> None:
        self.plan = plan
        self.as_of = as_of
        self._occurrences: dict[int, list[Occurrence]] = {}
        self._histories: dict[int, _History] = {}

    def occurrences(self, task: Task) -> list[Occurrence]:
        """The task's occurrences in date order, expanded once."""
        found = self._occurrences.get(task.id)
        if found is None:
            found = self._occurrences[task.id] = occurrences(task, self.plan)
        return found

    def entries(self, task: Task) -> list[Progress]:
        """The task's progress entries that exist on the timeline's date, oldest first."""
        return self._history(task).entries

    def clause_status(self, task: Task, index: int) -> Status:
        """The status of the task's clause at index (0-based), done occurrences counted."""
        return self._history(task).clauses[index]

    def recorded_status(self, task: Task, index: int) -> tuple[Status, Progress | None]:
        """The status entries alone give the clause (0-based), and the entry that set it."""
        history = self._history(task)
        return history.recorded[index], history.setters[index]

    def status(self, task: Task) -> Status:
        """The task's status, rolled up from its clauses."""
        return self._history(task).status

    def is_done(self, task: Task, occ: Occurrence) -> bool:
        """Tell whether an occurrence is done: the whole task is, or its own entry says so."""
        return occ.key in self._history(task).done_on

    def done_on(self, task: Task, occ: Occurrence) -> dt.date | None:
        """The day an occurrence was done; None when it is not, or no entry dates it."""
        return self._history(task).done_on.get(occ.key)

    def late_days(self, task: Task, occ: Occurrence) -> int | None:
        """How many days after its date an occurrence was done; None if on time or not done."""
        done = self.done_on(task, occ)
        if done is None or occ.date is None or done <= occ.date:
            return None
        return (done - occ.date).days

    def counts(self, task: Task, every: Recurrence | None = None) -> Counts:
        """Done, due and total occurrences of the task, or of its rule `every` alone."""
        chosen = [o for o in self.occurrences(task) if every is None or o.every == every]
        due = [o for o in chosen if o.date and (self.as_of is None or o.date <= self.as_of)]
        done = sum(1 for o in chosen if self.is_done(task, o))
        return Counts(done, len(due), len(chosen))

    def target_value(self, task: Task, target: Target) -> tuple[float, dt.date | None] | None:
        """A target's value on the date: its latest value entry, else the undated `actual:`."""
        recorded = [e for e in task.progress if e.target == target.name and e.value is not None]
        visible = [e for e in self.entries(task) if e.target == target.name and e.value is not None]
        if visible:
            latest = visible[-1]
            assert latest.value is not None
            return latest.value, latest.date
        if not recorded and target.actual is not None:
            return target.actual, None
        return None

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

    def _history(self, task: Task) -> _History:
        found = self._histories.get(task.id)
        if found is None:
            found = self._histories[task.id] = self._replay(task)
        return found

    def _replay(self, task: Task) -> _History:
        if not task.progress:
            return self._unlogged(task)
        as_of = self.as_of
        entries = sorted(
            (e for e in task.progress if as_of is None or e.date <= as_of), key=_entry_date
        )
        recorded, setters, done_since = _recorded_statuses(task, entries)
        occs = self.occurrences(task)
        done_on = _done_occurrences(entries, occs)
        if roll_up(set(recorded)) is Status.DONE:
            for occ in occs:
                done_on.setdefault(occ.key, done_since)
        done = sum(1 for occ in occs if occ.key in done_on)
        clauses = [_advanced(status, done, len(occs)) for status in recorded]
        return _History(entries, recorded, setters, clauses, roll_up(set(clauses)), done_on)

    def _unlogged(self, task: Task) -> _History:
        """A task with no log: its status lines alone, undated (most tasks of a large plan)."""
        recorded = [clause.status for clause in task.clauses]
        status = roll_up(set(recorded))
        done_on: dict[str, dt.date | None] = {}
        if status is Status.DONE:
            done_on = dict.fromkeys((occ.key for occ in self.occurrences(task)), None)
        setters: list[Progress | None] = [None] * len(recorded)
        return _History([], recorded, setters, recorded, status, done_on)


def _entry_date(entry: Progress) -> dt.date:
    return entry.date


def logged_statuses(task: Task) -> list[tuple[Status, Progress | None]]:
    """Each clause's status from the whole log, with the entry that set it (None: its line).

    Cheaper than a Timeline when only the latest statuses matter: no occurrence is expanded.
    """
    if not any(e.status is not None and e.occurrence is None for e in task.progress):
        return [(clause.status, None) for clause in task.clauses]
    recorded, setters, _ = _recorded_statuses(task, sorted(task.progress, key=_entry_date))
    return list(zip(recorded, setters, strict=True))


def _recorded_statuses(
    task: Task, entries: list[Progress]
) -> tuple[list[Status], list[Progress | None], dt.date | None]:
    """Each clause's status from the status entries, and since when the task has been done."""
    count = len(task.clauses)
    setters: list[Progress | None] = [None] * count
    done_since: dt.date | None = None
    for entry in entries:
        if entry.status is None or entry.occurrence is not None:
            continue
        for index in [entry.clause - 1] if entry.clause else range(count):
            if index < count:
                setters[index] = entry
        statuses = {s.status for s in setters if s is not None and s.status is not None}
        finished = len(statuses) == 1 and all(setters) and Status.DONE in statuses
        done_since = (done_since or entry.date) if finished else None
    logged = _logged_clauses(task)
    recorded = [
        setter.status
        if setter is not None and setter.status is not None
        # A clause no entry ever set keeps its `status:` line; one whose entries all come
        # later had not started yet.
        else (Status.NOT_STARTED if index in logged else task.clauses[index].status)
        for index, setter in enumerate(setters)
    ]
    return recorded, setters, done_since


def _logged_clauses(task: Task) -> set[int]:
    """Clauses (0-based) whose status some entry of the whole log sets."""
    logged: set[int] = set()
    for entry in task.progress:
        if entry.status is not None and entry.occurrence is None:
            logged |= {entry.clause - 1} if entry.clause else set(range(len(task.clauses)))
    return logged


def _done_occurrences(entries: list[Progress], occs: list[Occurrence]) -> dict[str, dt.date | None]:
    """Occurrence keys whose latest entry marks them done, with the day they were done."""
    done: dict[str, dt.date | None] = {}
    for entry in entries:
        if entry.occurrence is None or entry.status is None:
            continue
        occ = find_occurrence(occs, entry.occurrence)
        key = occ.key if occ else entry.occurrence
        if entry.status is Status.DONE:
            done.setdefault(key, entry.date)
        else:
            done.pop(key, None)
    return done


def _advanced(status: Status, done: int, total: int) -> Status:
    """A clause's status once done occurrences count: some done is begun, all done is done."""
    if status in (Status.BLOCKED, Status.DONE) or done == 0:
        return status
    return Status.DONE if done == total else Status.IN_PROGRESS
