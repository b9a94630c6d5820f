"""The answers to `tasks`, `show` and `due`, computed from a timeline; plain values only."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from plantrack.core.describe import deadline_text
from plantrack.core.domain import Status
from plantrack.core.duties import target_note
from plantrack.core.errors import UsageError
from plantrack.core.periods import Period
from plantrack.core.refs import find_occurrence, parse_ref
from plantrack.core.schedule import DueItem
from plantrack.core.selection import DUTIES, Involvement, TaskMatch, scope, select_tasks
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry, Role
from plantrack.core.wording import occurrence_name, progress_text

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Progress, Task


class TaskLine(NamedTuple):
    """One task as the task tables and records show it."""

    match: TaskMatch
    timeline: Timeline

    @property
    def task(self) -> Task:
        """The task itself."""
        return self.match.task

    @property
    def status(self) -> Status:
        """The task's status, as the timeline has it."""
        return self.timeline.status(self.task)

    @property
    def deadline(self) -> str:
        """The task's deadlines in short, e.g. 每季度末；11月20日前."""
        return deadline_text(self.timeline, self.task)

    @property
    def entries(self) -> list[Progress]:
        """The task's progress entries up to the timeline's date."""
        return self.timeline.entries(self.task)

    def progress_texts(self) -> list[str]:
        """Each entry as a line; one that finished something late says by how many days."""
        timeline, task = self.timeline, self.task
        occs = timeline.occurrences(task)
        late = {
            occ.key: (timeline.done_on(task, occ), timeline.late_days(task, occ)) for occ in occs
        }
        named = [find_occurrence(occs, e.occurrence) for e in self.entries if e.occurrence]
        own = {occ.key for occ in named if occ is not None}
        texts = []
        for entry in self.entries:
            days: int | None = None
            if entry.status is Status.DONE:
                found = find_occurrence(occs, entry.occurrence) if entry.occurrence else None
                # An entry for one occurrence speaks for it; one for the task, for the rest.
                keys = [found.key] if found else [key for key in late if key not in own]
                lates = [late[k][1] for k in keys if late[k][0] == entry.date and late[k][1]]
                days = max((d for d in lates if d is not None), default=None)
            texts.append(progress_text(entry, task, late=days, occurrences=occs))
        return texts


class TaskListing(NamedTuple):
    """The answer to `plantrack tasks`: the lines, and whether they are one unit's."""

    lines: list[TaskLine]
    for_unit: bool


def task_listing(
    timeline: Timeline,
    *,
    dept: str | None,
    involvement: Involvement = DUTIES,
    section: int | None = None,
    status: Status | None = None,
) -> TaskListing:
    """Tasks matching the filters of `plantrack tasks`, as they stand on the timeline's date."""
    registry = Registry(timeline.plan)
    unit = registry.resolve(dept) if dept else None
    matches = select_tasks(
        timeline, registry, unit=unit, involvement=involvement, section=section, status=status
    )
    return TaskListing([TaskLine(match, timeline) for match in matches], unit is not None)


class TaskDetail(NamedTuple):
    """The answer to `plantrack show`: one task and where it stands."""

    line: TaskLine


def task_detail(timeline: Timeline, task: str) -> TaskDetail:
    """One task in full, or a usage error naming the valid ids (or clauses: 7.5 of three)."""
    ref = parse_ref(task)
    task_id = ref.task
    from plantrack.core import rules  # the rules' other checks are not needed to answer

    problem = rules.task_message(timeline.plan, task_id, ref.clause)
    if problem:
        raise UsageError(problem)
    plan = timeline.plan
    match = TaskMatch(plan.tasks_by_id[task_id], plan.task_sections[task_id])
    return TaskDetail(TaskLine(match, timeline))


class DueListing(NamedTuple):
    """The answer to `plantrack due`: the day, the window or period asked about, and the items.

    For one unit every item is one of its clauses, with its role there; for the whole plan
    items are tasks and roles is empty.
    """

    as_of: dt.date
    window: int | None
    period: Period | None
    items: list[DueItem]
    roles: dict[tuple[int, int], Role]
    # For one unit: the status of each clause listed, on the day.
    statuses: dict[tuple[int, int], Status]
    # What a line must not hide, by task id: 目标已达到（…）.
    notes: dict[int, str]

    def what(self, item: DueItem) -> str:
        """What falls due, as the 事项 column says it, with the task's note if it has one."""
        note = self.notes.get(item.task.id)
        name = occurrence_name(item.occurrence)
        return f"{name}；{note}" if note else name

    def role_of(self, item: DueItem) -> Role | None:
        """The unit's role in the item's clause; None for the whole plan."""
        return self.roles.get((item.task.id, item.clause or 0))

    def status_of(self, item: DueItem) -> Status | None:
        """The status of the item's clause; None for a whole-plan item."""
        return self.statuses.get((item.task.id, item.clause or 0))


def due_listing(
    timeline: Timeline,
    *,
    dept: str | None,
    window: int,
    period: Period | None,
    involvement: Involvement = DUTIES,
) -> DueListing:
    """Occurrences overdue or due soon (or within a period) for a unit or the whole plan."""
    day = timeline.as_of
    assert day is not None  # `due` always asks as of a day
    chosen = scope(timeline, dept, involvement)
    until = period.end if period else day + dt.timedelta(days=window)
    if chosen.unit is None:
        items = timeline.due_items(chosen.tasks, as_of=day, within=(until - day).days)
        roles: dict[tuple[int, int], Role] = {}
    else:
        roles = clause_roles(chosen.matches)
        owed = [(match.task, clause) for match in chosen.matches for clause in match.clauses]
        items = timeline.clause_items(owed, as_of=day, until=until)
    if period is not None:
        items = [i for i in items if i.occurrence.date and period.contains(i.occurrence.date)]
    statuses = {
        (i.task.id, i.clause): timeline.clause_status(i.task, i.clause - 1)
        for i in items
        if i.clause is not None
    }
    notes = {
        task.id: note
        for task in {item.task.id: item.task for item in items}.values()
        if (note := target_note(timeline, task))
    }
    return DueListing(day, None if period else window, period, items, roles, statuses, notes)


def clause_roles(matches: list[TaskMatch]) -> dict[tuple[int, int], Role]:
    """The unit's strongest role in each (task id, clause) it plays a role in."""
    roles: dict[tuple[int, int], Role] = {}
    for match in matches:
        for item in match.roles:
            key = (match.task.id, item.clause)
            if key not in roles or item.role.rank < roles[key].rank:
                roles[key] = item.role
    return roles
