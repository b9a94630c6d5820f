"""The one model of time: what a plan's record says of each task on a date.

Every command asks a `Timeline` what is due, done or late, so what those words mean is
decided here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from plantrack.core import history
from plantrack.core.domain import Recurrence, Status
from plantrack.core.periods import Period
from plantrack.core.refs import postponed_occurrence
from plantrack.core.schedule import DueItem, Occurrence, Postponement, level, occurrences, postponed

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Plan, Progress, Target, Task


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
    # Per clause: the occurrences done for that clause, with the day.
    clause_done_on: list[dict[str, dt.date | None]]


class Timeline:
    """What a plan's record says of each task on a date: done items, statuses, values.

    The progress log is the history. Entries dated after `as_of`, or recorded after it (a late
    entry), do not exist for the answer, so an answer as of a day never changes afterwards;
    with no date, every entry counts. A clause's `status:` line stands, undated, only while no
    entry has ever set that clause's status.
    """

    def __init__(self, plan: Plan, as_of: dt.date | None = None) -> None:
        self.plan = plan
        self.as_of = as_of
        self._occurrences: dict[int, list[Occurrence]] = {}
        self._histories: dict[int, _History] = {}

    def occurrences(self, task: Task) -> list[Occurrence]:
        """The task's occurrences in date order, expanded once, postponements known applied."""
        found = self._occurrences.get(task.id)
        if found is None:
            found = self._occurrences[task.id] = self._postponed(task, occurrences(task, self.plan))
        return found

    def _postponed(self, task: Task, items: list[Occurrence]) -> list[Occurrence]:
        """The occurrences with each postponement known on the timeline's date applied."""
        steps = [e for e in task.progress if e.postponed_to is not None]
        if self.as_of is not None:
            steps = [e for e in steps if e.known_on(self.as_of)]
        if not steps:
            return items
        for entry in history.by_date(steps):
            target = postponed_occurrence(items, entry)
            if target is None or target.date is None or entry.postponed_to is None:
                continue
            step = Postponement(entry.date, target.date, entry.postponed_to, entry.note)
            items = [postponed(occ, step) if occ is target else occ for occ in items]
        return sorted(items, key=lambda occ: (occ.date is None, occ.date or dt.date.min))

    def entries(self, task: Task) -> list[Progress]:
        """The task's progress entries that exist on the timeline's date, oldest first."""
        return self._history(task).entries

    def clause_status(self, task: Task, index: int) -> Status:
        """The status of the task's clause at index (0-based), done occurrences counted."""
        return self._history(task).clauses[index]

    def recorded_status(self, task: Task, index: int) -> tuple[Status, Progress | None]:
        """The status entries alone give the clause (0-based), and the entry that set it."""
        found = self._history(task)
        return found.recorded[index], found.setters[index]

    def status(self, task: Task) -> Status:
        """The task's status, rolled up from its clauses."""
        return self._history(task).status

    def is_done(self, task: Task, occ: Occurrence) -> bool:
        """Tell whether an occurrence is done: the whole task is, or its own entry says so."""
        return occ.key in self._history(task).done_on

    def done_on(self, task: Task, occ: Occurrence) -> dt.date | None:
        """The day an occurrence was done; None when it is not, or no entry dates it."""
        return self._history(task).done_on.get(occ.key)

    def is_done_for(self, task: Task, clause: int, occ: Occurrence) -> bool:
        """Tell whether an occurrence is done for one clause (1-based) of the task."""
        return occ.key in self._history(task).clause_done_on[clause - 1]

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

    def clause_items(
        self, owed: list[tuple[Task, int]], *, as_of: dt.date, until: dt.date
    ) -> list[DueItem]:
        """The open occurrences of each (task, clause) owed, dated up to until, by date."""
        warn_days = self.plan.warn_days
        items = []
        for task, clause in owed:
            for occ in self.occurrences(task):
                if occ.date is None or occ.date > until or not occ.applies_to(clause):
                    continue
                if self.is_done_for(task, clause, occ):
                    continue
                days_left = (occ.date - as_of).days
                items.append(DueItem(occ, task, days_left, level(days_left, warn_days), clause))
        return sorted(items, key=lambda item: (item.days_left, item.task.id, item.clause or 0))

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
        entries = history.by_date(e for e in task.progress if as_of is None or e.known_on(as_of))
        recorded, setters, done_since = history.recorded_statuses(task, entries)
        occs = self.occurrences(task)
        done_on = history.done_occurrences(entries, occs)
        if history.roll_up(set(recorded)) is Status.DONE:
            for occ in occs:
                done_on.setdefault(occ.key, done_since)
        by_clause = [history.done_occurrences(entries, occs, i) for i in range(len(recorded))]
        for index, (status, setter) in enumerate(zip(recorded, setters, strict=True)):
            if status is Status.DONE:  # a clause done is done with each of its deadlines
                since = setter.date if setter is not None else None
                for occ in occs:
                    by_clause[index].setdefault(occ.key, since)
        _own_deadlines_done(occs, done_on, by_clause)
        done = sum(1 for occ in occs if occ.key in done_on)
        shown = history.begun(recorded, setters, entries)
        clauses = [history.advanced(status, done, len(occs)) for status in shown]
        status = history.roll_up(set(clauses))
        return _History(entries, recorded, setters, clauses, status, done_on, by_clause)

    def _unlogged(self, task: Task) -> _History:
        """A task with no log: its status lines alone, undated (most tasks of a large plan)."""
        recorded = [clause.status for clause in task.clauses]
        status = history.roll_up(set(recorded))
        keys = [occ.key for occ in self.occurrences(task)]
        done_on: dict[str, dt.date | None] = {}
        if status is Status.DONE:
            done_on = dict.fromkeys(keys, None)
        by_clause = [dict.fromkeys(keys if s is Status.DONE else [], None) for s in recorded]
        _own_deadlines_done(self.occurrences(task), done_on, by_clause)
        setters: list[Progress | None] = [None] * len(recorded)
        return _History([], recorded, setters, recorded, status, done_on, by_clause)


def _own_deadlines_done(
    occs: list[Occurrence],
    done_on: dict[str, dt.date | None],
    by_clause: list[dict[str, dt.date | None]],
) -> None:
    """A deadline of one clause is done for the task when it is done for that clause."""
    for occ in occs:
        if occ.clause is not None and occ.clause <= len(by_clause):
            own = by_clause[occ.clause - 1]
            if occ.key in own:
                done_on.setdefault(occ.key, own[occ.key])
