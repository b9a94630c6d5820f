"""Filters over a plan: by unit and role, section, status; and plain records for JSON."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any, Literal

from plantrack import schedule
from plantrack.errors import UsageError
from plantrack.model import STATUS_ALIASES, Plan, Progress, Section, Status, Task
from plantrack.units import Registry, Role

RoleFilter = Literal["lead", "responsible", "any"]


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
    def role_label(self) -> str:
        """The roles as users read them, e.g. 牵头（第1、2项）；经由 局机关相关科室（第3项）."""
        by_label: dict[str, list[int]] = {}
        for item in sorted(self.roles, key=lambda r: r.role.rank):
            by_label.setdefault(item.role.label, []).append(item.clause)
        if len(self.task.clauses) == 1:
            return "；".join(by_label)
        return "；".join(
            f"{label}（第{'、'.join(map(str, clauses))}项）" for label, clauses in by_label.items()
        )


def parse_status(text: str) -> Status:
    """Accept a Chinese status or its English alias; list the choices otherwise."""
    value = text.strip()
    lowered = value.lower()
    if lowered in STATUS_ALIASES:
        return STATUS_ALIASES[lowered]
    for status in Status:
        if value == status.value:
            return status
    choices = [s.value for s in Status] + list(STATUS_ALIASES)
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.4)
    hint = f"是否指 {close[0]}？" if close else ""
    valid = "、".join(f"{s.value}（{alias}）" for alias, s in STATUS_ALIASES.items())
    raise UsageError(f"未知状态“{text}”。{hint}可选：{valid}")


def select_tasks(
    plan: Plan,
    registry: Registry,
    *,
    dept: str | None = None,
    role: RoleFilter = "any",
    section: int | None = None,
    status: Status | None = None,
) -> list[TaskMatch]:
    """Tasks matching every given filter, in document order."""
    if section is not None and section not in {s.number for s in plan.sections}:
        numbers = "、".join(str(s.number) for s in plan.sections)
        raise UsageError(f"没有第 {section} 部分：可选 {numbers}")
    target = registry.resolve(dept) if dept else None
    matches = []
    for sec in plan.sections:
        if section is not None and sec.number != section:
            continue
        for task in sec.tasks:
            if status is not None and task.status is not status:
                continue
            if target is None:
                matches.append(TaskMatch(task, sec))
                continue
            roles = [
                ClauseRole(i, r)
                for i, clause in enumerate(task.clauses, start=1)
                for r in registry.roles(target, clause)
                if _role_passes(r, role)
            ]
            if roles:
                matches.append(TaskMatch(task, sec, roles))
    return matches


def scope(plan: Plan, dept: str | None) -> tuple[list[Task], str | None]:
    """The tasks a unit is involved in (all tasks without dept), and the unit's full name."""
    registry = Registry(plan)
    tasks = [match.task for match in select_tasks(plan, registry, dept=dept)]
    return tasks, registry.resolve(dept).name if dept else None


def _role_passes(role: Role, wanted: RoleFilter) -> bool:
    if wanted == "lead":
        return role.kind == "lead"
    if wanted == "responsible":
        return role.kind != "lead"
    return True


def task_record(match: TaskMatch, plan: Plan) -> dict[str, Any]:
    """The JSON object for one task, as documented in the README."""
    task = match.task
    done = schedule.completed_keys(task)
    record: dict[str, Any] = {
        "id": task.id,
        "section": match.section.number,
        "section_title": match.section.title,
        "title": task.title,
        "status": task.status.value,
        "text": task.text,
        "clauses": [
            {
                "number": i,
                "text": clause.text,
                "lead": clause.lead,
                "responsible": clause.responsible,
                "support": clause.support,
                "status": clause.status.value,
            }
            for i, clause in enumerate(task.clauses, start=1)
        ],
        "deadlines": [
            occurrence_record(occ, done=task.status is Status.DONE or occ.key in done)
            for occ in schedule.occurrences(task, plan)
        ],
        "phases": task.phases,
        "targets": [target.model_dump(mode="json", exclude_none=True) for target in task.targets],
        "progress": [entry.model_dump(mode="json", exclude_none=True) for entry in task.progress],
    }
    if match.roles:
        record["roles"] = [
            {
                "clause": item.clause,
                "role": item.role.kind,
                "label": item.role.label,
                "via": item.role.via,
                "certain": item.role.certain,
            }
            for item in match.roles
        ]
    return record


def occurrence_record(occ: schedule.Occurrence, *, done: bool) -> dict[str, Any]:
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


def due_record(item: schedule.DueItem) -> dict[str, Any]:
    """The JSON object for one row of `plantrack due`."""
    return {
        "task": item.task.id,
        "title": item.task.title,
        **occurrence_record(item.occurrence, done=False),
        "overdue": item.overdue,
        "days_left": item.days_left,
        "level": item.level,
        "lead": item.task.lead_units,
    }


def deadline_summary(task: Task, plan: Plan) -> str:
    """A short Chinese summary of a task's deadlines, e.g. 每季度末；11月20日前."""
    parts: list[str] = []
    for occ in schedule.occurrences(task, plan):
        text = _short_date(occ)
        if text and text not in parts:
            parts.append(text)
    return "；".join(parts)


_EVERY = {"quarter": "每季度末", "half-year": "每半年末", "month": "每月末"}


def _short_date(occ: schedule.Occurrence) -> str | None:
    if occ.kind == "recurring":
        return _EVERY[occ.every] if occ.every else "定期"
    if occ.date is None:
        return None
    if occ.kind == "default":
        return f"{occ.date.month}月{occ.date.day}日前（默认）"
    if occ.kind == "period" and occ.start:
        return f"{occ.start.month}月{occ.start.day}日–{occ.date.month}月{occ.date.day}日"
    return f"{occ.date.month}月{occ.date.day}日前"


def progress_text(entry: Progress) -> str:
    """One progress entry as a line: 2023-07-03 2023Q2 已完成 说明（记录人）."""
    parts = [entry.date.isoformat()]
    if entry.clause:
        parts.append(f"分工{entry.clause}")
    if entry.occurrence:
        parts.append(entry.occurrence)
    if entry.status:
        parts.append(entry.status.value)
    if entry.note:
        parts.append(entry.note)
    text = " ".join(parts)
    return f"{text}（{entry.by}）" if entry.by else text
