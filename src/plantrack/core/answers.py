"""The answers to `tasks`, `show` and `due`, computed from a timeline; plain values only."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from plantrack.core import rules
from plantrack.core.errors import UsageError
from plantrack.core.model import Progress, Status, Task
from plantrack.core.periods import Period
from plantrack.core.refs import parse_ref
from plantrack.core.schedule import DueItem
from plantrack.core.selection import DUTIES, Involvement, TaskMatch, scope, select_tasks
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry, Role
from plantrack.core.wording import deadline_text, progress_text


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
        late: dict[dt.date, list[int]] = {}
        for occ in timeline.occurrences(task):
            days, done_on = timeline.late_days(task, occ), timeline.done_on(task, occ)
            if days is not None and done_on is not None:
                late.setdefault(done_on, []).append(days)
        texts = []
        for entry in self.entries:
            found = late.pop(entry.date, []) if entry.status is Status.DONE else []
            texts.append(
                progress_text(
                    entry,
                    task,
                    late=max(found, default=None),
                    occurrences=timeline.occurrences(task),
                )
            )
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
    """One task in full, or a usage error naming the valid ids."""
    task_id = parse_ref(task).task
    problem = rules.task_message(timeline.plan, task_id)
    if problem:
        raise UsageError(problem)
    plan = timeline.plan
    match = TaskMatch(plan.tasks_by_id[task_id], plan.task_sections[task_id])
    return TaskDetail(TaskLine(match, timeline))


class DueListing(NamedTuple):
    """The answer to `plantrack due`: the day, the window or period asked about, and the items."""

    as_of: dt.date
    window: int | None
    period: Period | None
    items: list[DueItem]
    # For one unit: its strongest role in each task listed (empty for the whole plan).
    roles: dict[int, Role]

    def role_of(self, item: DueItem) -> Role | None:
        """The unit's role in the item's task; None for the whole plan."""
        return self.roles.get(item.task.id)


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
    if period is not None:
        items = timeline.items_in_period(chosen.tasks, period=period, as_of=day)
    else:
        items = timeline.due_items(chosen.tasks, as_of=day, within=window)
    roles = {m.task.id: m.role for m in chosen.matches if m.role} if chosen.unit else {}
    return DueListing(day, None if period else window, period, items, roles)
