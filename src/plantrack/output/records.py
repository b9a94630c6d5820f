"""The JSON records of `tasks`, `show` and `due`, as the README documents them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from plantrack.core.answers import DueListing, TaskLine
from plantrack.core.domain import Status
from plantrack.core.model import Target
from plantrack.core.schedule import DueItem, Occurrence
from plantrack.core.selection import ClauseRole
from plantrack.core.timeline import Counts
from plantrack.core.units import Role
from plantrack.core.wording import occurrence_label


def task_records(lines: list[TaskLine]) -> Iterator[dict[str, Any]]:
    """Every task line as a JSON record, made as it is written."""
    return (task_record(line) for line in lines)


def task_record(line: TaskLine) -> dict[str, Any]:
    """The JSON object for one task."""
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
    if task.carried_from:
        record["carried_from"] = task.carried_from
        record["carried_note"] = task.carried_note
    if line.match.roles:
        record["roles"] = [_role_record(line, item) for item in line.match.roles]
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


def _role_record(line: TaskLine, item: ClauseRole) -> dict[str, Any]:
    task = line.task
    return {
        "clause": item.clause,
        "ref": task.clause_ref(item.clause),
        "status": line.timeline.clause_status(task, item.clause - 1).value,
        "role": item.role.kind,
        "label": item.role.label,
        "via": item.role.via,
        "certain": item.role.certain,
    }


def occurrence_record(occ: Occurrence, *, done: bool) -> dict[str, Any]:
    """The JSON object for one deadline occurrence."""
    record: dict[str, Any] = {
        "date": occ.date.isoformat() if occ.date else None,
        "label": occurrence_label(occ),
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
    if occ.postponed:
        record["postponed"] = [
            {
                "on": s.day.isoformat(),
                "from": s.before.isoformat(),
                "to": s.after.isoformat(),
                "reason": s.reason,
            }
            for s in occ.postponed
        ]
    return record


def due_records(listing: DueListing) -> list[dict[str, Any]]:
    """Every item of a `due` listing as a JSON record."""
    return [
        due_record(item, listing.role_of(item), listing.status_of(item)) for item in listing.items
    ]


def due_record(
    item: DueItem, role: Role | None = None, status: Status | None = None
) -> dict[str, Any]:
    """The JSON object for one row of `plantrack due`; for a unit, its clause and role there."""
    record = {
        "task": item.task.id,
        "title": item.task.title,
        **occurrence_record(item.occurrence, done=False),
        "overdue": item.overdue,
        "days_left": item.days_left,
        "level": item.level,
        "lead": item.task.lead_units,
    }
    if item.clause is not None:
        record["clause"] = item.ref
        record["clause_number"] = item.clause
        if status is not None:
            record["clause_status"] = status.value
    if role is not None:
        record["role"] = role.kind
        record["role_label"] = role.label
    return record
