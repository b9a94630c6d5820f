"""The columns of the task and due tables, shared by the terminal and piped output."""

from __future__ import annotations

from collections.abc import Callable

from plantrack.core.answers import DueListing, TaskLine
from plantrack.core.schedule import DueItem, due_group
from plantrack.core.wording import days_left, due_heading, occurrence_name, unit_list
from plantrack.output.columns import Column

# Widths are Excel's column widths, which count a CJK character as two.
TASK_COLUMNS: list[Column[TaskLine]] = [
    Column("序号", 6, lambda line: line.task.id),
    Column("工作任务", 36, lambda line: line.task.title),
    Column("牵头单位", 24, lambda line: unit_list(line.task.lead_units)),
    Column("责任单位", 28, lambda line: "、".join(line.task.responsible_units)),
    Column("完成时限", 22, lambda line: line.deadline),
    Column("状态", 8, lambda line: line.status.value),
]
ROLE_COLUMN: Column[TaskLine] = Column("角色", 10, lambda line: line.match.role_label)
OWN_COLUMN: Column[TaskLine] = Column("本单位分工", 16, lambda line: own_clauses(line))


def own_clauses(line: TaskLine) -> str:
    """The queried unit's own clauses and their statuses: 7.1 已完成、7.2 进行中."""
    task, timeline = line.task, line.timeline
    return "、".join(
        f"{task.clause_ref(clause)} {timeline.clause_status(task, clause - 1).value}"
        for clause in line.match.clauses
    )


def task_columns(for_unit: bool) -> list[Column[TaskLine]]:
    """The task table's columns; for one unit, its own clauses' statuses and its role."""
    return [*TASK_COLUMNS, OWN_COLUMN, ROLE_COLUMN] if for_unit else TASK_COLUMNS


def group_heading(item: DueItem) -> str:
    """The heading a due row falls under: overdue, this calendar week, this month, later."""
    return due_heading(*due_group(item))


def _date(item: DueItem) -> str:
    return item.occurrence.date.isoformat() if item.occurrence.date else ""


# In a terminal the group and the level are shown as headings and coloured dots; piped
# output spells them out in two more columns. Widths here are terminal cells, 0 for "fit".
DUE_GROUP: Column[DueItem] = Column("分组", 0, group_heading)
DUE_LEVEL: Column[DueItem] = Column("预警", 0, lambda item: item.level)
DUE_DAYS = "剩余"
DUE_COLUMNS: list[Column[DueItem]] = [
    Column("时限", 10, _date),
    Column(DUE_DAYS, 11, lambda item: days_left(item.days_left)),
    Column("序号", 4, lambda item: item.ref),
    Column("任务", 0, lambda item: item.task.title),
    Column("事项", 0, lambda item: occurrence_name(item.occurrence)),
    Column("牵头单位", 0, lambda item: unit_list(_leads(item))),
]


def _leads(item: DueItem) -> list[str]:
    """The lead units of the item's clause, or of the whole task."""
    if item.clause is None:
        return item.task.lead_units
    return item.task.clauses[item.clause - 1].lead


def due_columns(listing: DueListing) -> list[Column[DueItem]]:
    """The due table's columns; for one unit, its clause's status and its role there."""
    columns = [
        Column(c.heading, c.width, listing.what) if c.heading == "事项" else c for c in DUE_COLUMNS
    ]
    if not listing.roles:
        return columns
    return [*columns, Column("状态", 0, _status(listing)), Column("角色", 0, _role_label(listing))]


def _status(listing: DueListing) -> Callable[[DueItem], str]:
    def status(item: DueItem) -> str:
        found = listing.status_of(item)
        return found.value if found else ""

    return status


def _role_label(listing: DueListing) -> Callable[[DueItem], str]:
    def label(item: DueItem) -> str:
        role = listing.role_of(item)
        return role.label if role else ""

    return label
