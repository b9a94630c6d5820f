"""The progress log as history: which entries set a clause's status, and what they add up to.

One rule, used by the time model, by `check` and by the merge driver: an entry with a
`status` and no `occurrence` sets the status of its clause (`clause: N`), or of every
clause when it names none. An entry with an `occurrence` only finishes (or reopens) that
occurrence, for its clause or for every clause. Any entry about a clause that no status
entry has set yet, a note included, means the work has begun: the clause reads 进行中
from that entry's date. Entries are replayed in date order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from plantrack.core.domain import Status
from plantrack.core.refs import find_occurrence
from plantrack.core.schedule import Occurrence

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Progress, Task


def sets_status(entry: Progress) -> bool:
    """Tell whether the entry sets a clause's status (rather than an occurrence's)."""
    return entry.status is not None and entry.occurrence is None


def clauses_set(entry: Progress, count: int) -> list[int]:
    """The clauses (0-based) whose status the entry sets, of a task with count clauses."""
    if not sets_status(entry):
        return []
    if entry.clause is None:
        return list(range(count))
    return [entry.clause - 1] if entry.clause <= count else []


def by_date(entries: Iterable[Progress]) -> list[Progress]:
    """Entries oldest first; entries of one day keep their written order."""
    return sorted(entries, key=_entry_date)


def _entry_date(entry: Progress) -> dt.date:
    return entry.date


def roll_up(statuses: set[Status]) -> Status:
    """One status for several: done when all are, blocked when any is, else begun or not."""
    if statuses == {Status.DONE}:
        return Status.DONE
    if Status.BLOCKED in statuses:
        return Status.BLOCKED
    if statuses & {Status.IN_PROGRESS, Status.DONE}:
        return Status.IN_PROGRESS
    return Status.NOT_STARTED


def logged_statuses(task: Task) -> list[tuple[Status, Progress | None]]:
    """Each clause's status from the whole log, with the entry that set it (None: its line).

    Cheaper than a Timeline when only the latest statuses matter: no occurrence is expanded.
    """
    if not any(sets_status(e) for e in task.progress):
        return [(clause.status, None) for clause in task.clauses]
    recorded, setters, _ = recorded_statuses(task, by_date(task.progress))
    return list(zip(recorded, setters, strict=True))


def recorded_statuses(
    task: Task, entries: list[Progress]
) -> tuple[list[Status], list[Progress | None], dt.date | None]:
    """Each clause's status from the status entries, and since when the task has been done."""
    count = len(task.clauses)
    setters: list[Progress | None] = [None] * count
    done_since: dt.date | None = None
    for entry in entries:
        indexes = clauses_set(entry, count)
        if not indexes:
            continue
        for index in indexes:
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
    count = len(task.clauses)
    return {index for entry in task.progress for index in clauses_set(entry, count)}


def concerns(entry: Progress, clause: int) -> bool:
    """Tell whether the entry is about the clause (0-based): it names it, or no clause."""
    return entry.clause is None or entry.clause == clause + 1


def begun(
    recorded: list[Status], setters: list[Progress | None], entries: list[Progress]
) -> list[Status]:
    """Statuses with work shown by the log: a clause no status entry set, but some entry
    is about (a postponement aside), reads 进行中 rather than 未开始."""
    return [
        Status.IN_PROGRESS
        if status is Status.NOT_STARTED
        and setter is None
        and any(concerns(entry, index) and entry.postponed_to is None for entry in entries)
        else status
        for index, (status, setter) in enumerate(zip(recorded, setters, strict=True))
    ]


def last_status_date(entries: Iterable[Progress], clause: int, count: int) -> dt.date | None:
    """The date of the latest entry that sets the clause's (0-based) status, if any."""
    return max((e.date for e in entries if clause in clauses_set(e, count)), default=None)


def done_occurrences(
    entries: list[Progress], occs: list[Occurrence], clause: int | None = None
) -> dict[str, dt.date | None]:
    """Occurrence keys whose latest entry marks them done, with the day they were done.

    With clause (0-based), only the entries about that clause count.
    """
    done: dict[str, dt.date | None] = {}
    for entry in entries:
        if entry.occurrence is None or entry.status is None:
            continue
        if clause is not None and not concerns(entry, clause):
            continue
        occ = find_occurrence(occs, entry.occurrence)
        key = occ.key if occ else entry.occurrence
        if entry.status is Status.DONE:
            done.setdefault(key, entry.date)
        else:
            done.pop(key, None)
    return done


def advanced(status: Status, done: int, total: int) -> Status:
    """A clause's status once done occurrences count: some done is begun, all done is done."""
    if status in (Status.BLOCKED, Status.DONE) or done == 0:
        return status
    return Status.DONE if done == total else Status.IN_PROGRESS
