"""Questions asked of a plan: which tasks, for which unit and role, what is due; as records."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from plantrack.core import periods, rules
from plantrack.core.errors import UsageError
from plantrack.core.model import (
    STATUS_ALIASES,
    Collective,
    Plan,
    Progress,
    Section,
    Status,
    Target,
    Task,
    Unit,
    parse_status,
)
from plantrack.core.periods import Period
from plantrack.core.schedule import (
    Counts,
    DueItem,
    Occurrence,
    Timeline,
    deadline_text,
    find_occurrence,
    format_number,
    occurrence_handle,
    occurrence_name,
    occurrences,
)
from plantrack.core.units import Registry, Role
from plantrack.output.columns import Column
from plantrack.planfile.load import LoadedPlan, load_for, load_for_period

# named: the roles a clause names the unit in (牵头, 责任, 配合): its duties and shares.
RoleFilter = Literal["named", "lead", "responsible", "support", "collective", "any"]
ROLE_CHOICES: dict[str, RoleFilter] = {
    "named": "named",
    "职责": "named",
    "lead": "lead",
    "牵头": "lead",
    "responsible": "responsible",
    "责任": "responsible",
    "support": "support",
    "配合": "support",
    "collective": "collective",
    "统称": "collective",
    "any": "any",
    "全部": "any",
}


class Involvement(NamedTuple):
    """Which of a unit's roles a query counts: by default its duties and shares."""

    role: RoleFilter = "named"
    # Mentions through 相关/有关 collectives, which may or may not mean the unit.
    include_possible: bool = False

    def admits(self, role: Role) -> bool:
        """Tell whether a role of the unit in a clause counts."""
        if role.kind == "via" and not role.certain and not self.include_possible:
            return False
        if self.role == "named":
            return role.kind != "via"
        if self.role == "collective":
            return role.kind == "via"
        return self.role == "any" or role.kind == self.role


# The default: what a unit owes or shares, not what it is merely mentioned in.
DUTIES = Involvement()


def parse_role(text: str) -> RoleFilter:
    """Read --role in English or Chinese; list the choices otherwise."""
    found = ROLE_CHOICES.get(text.strip().lower())
    if found is None:
        close = difflib.get_close_matches(text.strip().lower(), list(ROLE_CHOICES), n=1)
        hint = f"是否指 {close[0]}？" if close else ""
        choices = "、".join(f"{zh}（{en}）" for en, zh in _ROLE_PAIRS)
        raise UsageError(f"“{text}”不是可选的角色：{hint}可选 {choices}")
    return found


_ROLE_PAIRS = [
    ("lead", "牵头"),
    ("responsible", "责任"),
    ("support", "配合"),
    ("collective", "统称"),
    ("any", "全部"),
]


@dataclass(frozen=True)
class ClauseRole:
    """A role a unit plays in one clause (clause numbers start at 1)."""

    clause: int
    role: Role


@dataclass(frozen=True)
class TaskMatch:
    """A task selected by a query, with the roles the queried unit plays in it."""

    task: Task
    section: Section
    roles: list[ClauseRole] = field(default_factory=list)

    @property
    def role(self) -> Role | None:
        """The unit's strongest role in the task: leading, then named, then through a name."""
        return min((item.role for item in self.roles), key=lambda r: r.rank, default=None)

    @property
    def role_label(self) -> str:
        """The strongest role as one word: 牵头, 责任, 配合 or 经由 局机关各科室."""
        role = self.role
        return role.label if role else ""

    def covers(self, entry: Progress) -> bool:
        """Tell whether a progress entry is about a clause this match involves the unit in."""
        return (
            entry.clause is None
            or not self.roles
            or any(item.clause == entry.clause for item in self.roles)
        )


class Scope(NamedTuple):
    """The tasks a command covers: every task, or those one unit is involved in."""

    unit: Unit | Collective | None
    matches: list[TaskMatch]

    @property
    def tasks(self) -> list[Task]:
        """The tasks in document order."""
        return [match.task for match in self.matches]

    @property
    def name(self) -> str | None:
        """The unit's full name, or None for the whole plan."""
        return self.unit.name if self.unit else None

    def entry_filter(self) -> Callable[[Task, Progress], bool] | None:
        """For a unit: which entries count as its own progress (its clauses, or the task's)."""
        if self.unit is None:
            return None
        by_task = {match.task.id: match for match in self.matches}
        return lambda task, entry: task.id in by_task and by_task[task.id].covers(entry)

    def role_of(self, task: Task) -> Role | None:
        """The unit's strongest role in a task in scope; None for the whole plan."""
        match = next((m for m in self.matches if m.task.id == task.id), None)
        return match.role if match else None


def select_tasks(
    timeline: Timeline,
    registry: Registry,
    *,
    unit: Unit | Collective | None = None,
    involvement: Involvement = DUTIES,
    section: int | None = None,
    status: Status | None = None,
) -> list[TaskMatch]:
    """Tasks matching every given filter, in document order."""
    plan = timeline.plan
    if section is not None and section not in {s.number for s in plan.sections}:
        numbers = "、".join(str(s.number) for s in plan.sections)
        raise UsageError(f"没有第 {section} 部分：可选 {numbers}")
    matches = []
    for sec in plan.sections:
        if section is not None and sec.number != section:
            continue
        for task in sec.tasks:
            if status is not None and timeline.status(task) is not status:
                continue
            if unit is None:
                matches.append(TaskMatch(task, sec))
                continue
            roles = [
                ClauseRole(i, r)
                for i, clause in enumerate(task.clauses, start=1)
                for r in registry.roles(unit, clause)
                if involvement.admits(r)
            ]
            if roles:
                matches.append(TaskMatch(task, sec, roles))
    return matches


def timeline_for(plan: Path | None, day: dt.date, period: Period | None = None) -> Timeline:
    """The plan's timeline on day: the plan --plan names, or the one for the period or day."""
    return Timeline(loaded_for(plan, day, period).plan, as_of=day)


def loaded_for(plan: Path | None, day: dt.date, period: Period | None = None) -> LoadedPlan:
    """The plan --plan names, or the one for the period or day, with where it came from."""
    return load_for_period(plan, period) if period else load_for(plan, year=day.year)


def scope(timeline: Timeline, dept: str | None, involvement: Involvement = DUTIES) -> Scope:
    """The tasks a unit is involved in (all tasks without dept), the unit resolved once."""
    registry = Registry(timeline.plan)
    unit = registry.resolve(dept) if dept else None
    return Scope(unit, select_tasks(timeline, registry, unit=unit, involvement=involvement))


# --- task tables ----------------------------------------------------------------------------


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


def _units(names: list[str]) -> str:
    return "、".join(names) or "—"


# Widths are Excel's column widths, which count a CJK character as two.
TASK_COLUMNS: list[Column[TaskLine]] = [
    Column("序号", 6, lambda line: line.task.id),
    Column("工作任务", 36, lambda line: line.task.title),
    Column("牵头单位", 24, lambda line: _units(line.task.lead_units)),
    Column("责任单位", 28, lambda line: "、".join(line.task.responsible_units)),
    Column("完成时限", 22, lambda line: line.deadline),
    Column("状态", 8, lambda line: line.status.value),
]
ROLE_COLUMN: Column[TaskLine] = Column("角色", 10, lambda line: line.match.role_label)


class TaskListing(NamedTuple):
    """The answer to `plantrack tasks`: lines and the columns to show them in."""

    lines: list[TaskLine]
    columns: list[Column[TaskLine]]

    def records(self) -> list[dict[str, Any]]:
        """The lines as JSON records."""
        return [task_record(line) for line in self.lines]


def list_tasks(
    *,
    plan: Path | None,
    dept: str | None,
    involvement: Involvement = DUTIES,
    section: int | None,
    status: str | None,
    as_of: str | None = None,
) -> TaskListing:
    """Tasks matching the filters of `plantrack tasks`, as they stood on --as-of."""
    wanted = parse_status(status) if status else None
    timeline = timeline_for(plan, periods.today(as_of))
    registry = Registry(timeline.plan)
    unit = registry.resolve(dept) if dept else None
    matches = select_tasks(
        timeline, registry, unit=unit, involvement=involvement, section=section, status=wanted
    )
    lines = [TaskLine(match, timeline) for match in matches]
    return TaskListing(lines, [*TASK_COLUMNS, ROLE_COLUMN] if unit else TASK_COLUMNS)


class TaskDetail(NamedTuple):
    """The answer to `plantrack show`: one task and where it stands."""

    line: TaskLine

    def record(self) -> dict[str, Any]:
        """The task as a JSON record."""
        return task_record(self.line)


def show_task(*, plan: Path | None, task: str, as_of: str | None = None) -> TaskDetail:
    """One task in full as it stood on --as-of, or a usage error naming the valid ids."""
    from plantrack.planfile.edit import parse_ref  # what `mark` and `log` accept, ２６ included

    task_id = parse_ref(task).task
    timeline = timeline_for(plan, periods.today(as_of))
    problem = rules.task_message(timeline.plan, task_id)
    if problem:
        raise UsageError(problem)
    match = TaskMatch(timeline.plan.tasks_by_id[task_id], timeline.plan.task_sections[task_id])
    return TaskDetail(TaskLine(match, timeline))


# --- due ------------------------------------------------------------------------------------


class DueListing(NamedTuple):
    """The answer to `plantrack due`: a heading that says what was asked, and the items."""

    heading: str
    items: list[DueItem]
    # For one unit: its strongest role in each task listed (empty for the whole plan).
    roles: dict[int, Role]

    def role_label(self, item: DueItem) -> str:
        """The unit's role in the item's task, as one word; blank for the whole plan."""
        role = self.roles.get(item.task.id)
        return role.label if role else ""

    def records(self) -> list[dict[str, Any]]:
        """The items as JSON records."""
        return [due_record(item, self.roles.get(item.task.id)) for item in self.items]


def due(
    *,
    plan: Path | None,
    dept: str | None,
    as_of: str | None,
    within: str,
    quarter: str | None,
    involvement: Involvement = DUTIES,
) -> DueListing:
    """Occurrences overdue or due soon (or within a quarter) for a unit or the whole plan."""
    day = periods.today(as_of)
    window = periods.parse_window(within, day)
    period = periods.parse_quarter(quarter, day) if quarter else None
    timeline = timeline_for(plan, day, period)
    chosen = scope(timeline, dept, involvement)
    if period is not None:
        items = timeline.items_in_period(chosen.tasks, period=period, as_of=day)
        heading = f"截至 {day}：{period.label}（{period.start} 至 {period.end}）的未完成时限"
    else:
        items = timeline.due_items(chosen.tasks, as_of=day, within=window)
        heading = f"截至 {day}：已逾期及 {window} 天内到期的事项"
    roles = {m.task.id: m.role for m in chosen.matches if m.role} if chosen.unit else {}
    return DueListing(heading, items, roles)


# --- records for JSON -----------------------------------------------------------------------


def task_record(line: TaskLine) -> dict[str, Any]:
    """The JSON object for one task, as documented in the README."""
    task, timeline = line.task, line.timeline
    record: dict[str, Any] = {
        "id": task.id,
        "section": line.match.section.number,
        "section_title": line.match.section.title,
        "title": task.title,
        "status": line.status.value,
        "text": task.text,
        "clauses": [
            {
                "number": i,
                "text": clause.text,
                "lead": clause.lead,
                "responsible": clause.responsible,
                "support": clause.support,
                "status": timeline.clause_status(task, i - 1).value,
            }
            for i, clause in enumerate(task.clauses, start=1)
        ],
        "deadlines": [_deadline_record(line, occ) for occ in timeline.occurrences(task)],
        "occurrence_counts": _counts_record(timeline.counts(task)),
        "phases": task.phases,
        "targets": [_target_record(line, target) for target in task.targets],
        "progress": [entry.model_dump(mode="json", exclude_none=True) for entry in line.entries],
    }
    if line.match.roles:
        record["roles"] = [_role_record(item) for item in line.match.roles]
    return record


def _deadline_record(line: TaskLine, occ: Occurrence) -> dict[str, Any]:
    timeline = line.timeline
    record = occurrence_record(occ, done=timeline.is_done(line.task, occ))
    done_on = timeline.done_on(line.task, occ)
    if done_on is not None:
        record["done_on"] = done_on.isoformat()
    late = timeline.late_days(line.task, occ)
    if late is not None:
        record["late_days"] = late
    return record


def _counts_record(counts: Counts) -> dict[str, int]:
    return {"done": counts.done, "due": counts.due, "total": counts.total}


def _target_record(line: TaskLine, target: Target) -> dict[str, Any]:
    record = target.model_dump(mode="json", exclude_none=True)
    record.pop("actual", None)
    found = line.timeline.target_value(line.task, target)
    if found is not None:
        record["actual"] = found[0]
        if found[1] is not None:
            record["actual_date"] = found[1].isoformat()
    if target.per is not None:
        record["occurrence_counts"] = _counts_record(line.timeline.counts(line.task, target.per))
    return record


def _role_record(item: ClauseRole) -> dict[str, Any]:
    return {
        "clause": item.clause,
        "role": item.role.kind,
        "label": item.role.label,
        "via": item.role.via,
        "certain": item.role.certain,
    }


def occurrence_record(occ: Occurrence, *, done: bool) -> dict[str, Any]:
    """The JSON object for one deadline occurrence."""
    record: dict[str, Any] = {
        "date": occ.date.isoformat() if occ.date else None,
        "label": occ.label,
        "kind": occ.kind,
        "occurrence": occ.key,
        "done": done,
    }
    if occ.start:
        record["start"] = occ.start.isoformat()
    if occ.quote:
        record["quote"] = occ.quote
    if occ.date_source:
        record["date_source"] = occ.date_source
    return record


def due_record(item: DueItem, role: Role | None = None) -> dict[str, Any]:
    """The JSON object for one row of `plantrack due`; with a unit, its role in the task."""
    record = {
        "task": item.task.id,
        "title": item.task.title,
        **occurrence_record(item.occurrence, done=False),
        "overdue": item.overdue,
        "days_left": item.days_left,
        "level": item.level,
        "lead": item.task.lead_units,
    }
    if role is not None:
        record["role"] = role.kind
        record["role_label"] = role.label
    return record


def progress_text(
    entry: Progress,
    task: Task,
    *,
    late: int | None = None,
    occurrences: list[Occurrence] | None = None,
) -> str:
    """One progress entry as a line: 2023-07-03 2023Q2 已完成（逾期完成 3 天） 说明（记录人）.

    Given the task's occurrences, an occurrence is named as people say it (路政宣传月), so a
    line does not read as two dates.
    """
    parts = [entry.date.isoformat()]
    if entry.clause:
        parts.append(f"分工{entry.clause}")
    if entry.occurrence:
        found = find_occurrence(occurrences or [], entry.occurrence)
        parts.append(occurrence_handle(found) if found else entry.occurrence)
    if entry.status:
        parts.append(entry.status.value + (f"（逾期完成 {late} 天）" if late else ""))
    if entry.target is not None:
        unit = next((t.unit for t in task.targets if t.name == entry.target), "")
        parts.append(f"{entry.target} 实际 {format_number(entry.value)}{unit}")
    if entry.note:
        parts.append(entry.note)
    text = " ".join(parts)
    return f"{text}（{entry.by}）" if entry.by else text


# --- shell completion -----------------------------------------------------------------------

CompletionKind = Literal["unit", "task", "target", "status", "occurrence"]


def completions(
    kind: CompletionKind, incomplete: str, *, plan: Path | None = None, task: str | None = None
) -> list[tuple[str, str]]:
    """Values the shell may offer for what is being typed, each with a short description.

    Completion runs as the user types: a plan that cannot be read offers nothing rather
    than an error.
    """
    if kind == "status":
        choices = [(s.value, alias) for alias, s in STATUS_ALIASES.items()]
        choices += [(alias, s.value) for alias, s in STATUS_ALIASES.items()]
        return [c for c in choices if c[0].startswith(incomplete)]
    try:
        loaded = load_for(plan, year=periods.today().year).plan
    except UsageError:
        return []
    except Exception:
        return []
    return [
        c
        for c in _plan_choices(kind, loaded, task)
        if c[0].casefold().startswith(incomplete.casefold())
    ]


def _plan_choices(kind: CompletionKind, plan: Plan, task: str | None) -> list[tuple[str, str]]:
    if kind == "unit":
        choices = [(u.name, u.group) for u in plan.units]
        return choices + [(a, u.name) for u in plan.units for a in u.aliases]
    if kind in ("task", "target"):
        choices = [(str(t.id), t.title) for t in plan.tasks]
        if kind == "target":
            choices += [
                (f"{t.id}.{i}", clause.text[:20])
                for t in plan.tasks
                if len(t.clauses) > 1
                for i, clause in enumerate(t.clauses, start=1)
            ]
        return choices
    found = plan.tasks_by_id.get(int(task.split(".")[0])) if task and task[:1].isdigit() else None
    if found is None:
        return []
    return [(o.key, occurrence_name(o)) for o in occurrences(found, plan)]
