"""The fill-in form each office gets for a period: its own 分工, and a stamp to check the reply.

An office's form lists the clauses it plays a role in (the same duties its digest counts)
that are not done on the day the form is made. Each row says the clause's deadlines in the
period (and any already overdue), its status and last note. A stamp names the plan (title,
year, file and a hash of its bytes), the office and the period, and for each row the
clause it was made for, so a reply can be matched to the plan it answers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from plantrack.core.domain import Status
from plantrack.core.model import Collective, Plan, Progress, Task
from plantrack.core.periods import Period
from plantrack.core.schedule import Occurrence
from plantrack.core.selection import DUTIES, scope
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry
from plantrack.core.wording import deadline_summary, month_day, period_of, progress_text

FORM_KIND = "plantrack-form"
FORM_VERSION = 1


@dataclass(frozen=True)
class FormRow:
    """One clause an office reports on: where it stands, and what is due in the period."""

    task: Task
    clause: int  # 1-based
    role: str
    deadlines: str
    status: Status
    last_note: str
    # The one recurring occurrence of the period that 已完成 on this row completes.
    occurrence: str | None = None

    @property
    def ref(self) -> str:
        """13 in a task of one clause, 7.3 in a task of several."""
        return self.task.clause_ref(self.clause)

    @property
    def text(self) -> str:
        """The clause's text as published."""
        return self.task.clauses[self.clause - 1].text

    @property
    def fingerprint(self) -> str:
        """A short hash of the clause's text: a reply is about this text, not a later one."""
        return text_fingerprint(self.text)


@dataclass(frozen=True)
class OfficeForm:
    """One office's form: the office and its rows."""

    office: str
    rows: list[FormRow]


@dataclass(frozen=True)
class StampRow:
    """What a form row was made for: the sheet row, the clause and its text's hash."""

    row: int
    ref: str
    fingerprint: str
    occurrence: str | None = None


@dataclass(frozen=True)
class Stamp:
    """What a form was made for; kept in the form's hidden sheet and read back with the reply."""

    plan_title: str
    plan_year: int
    plan_file: str
    plan_hash: str
    office: str
    period: str  # 2023Q3
    start: dt.date
    end: dt.date
    made: dt.date
    reply_by: dt.date

    def header(self) -> str:
        """The stamp as one JSON text (the rows are kept apart, one a line)."""
        fields = {
            "kind": FORM_KIND,
            "version": FORM_VERSION,
            "plan_title": self.plan_title,
            "plan_year": self.plan_year,
            "plan_file": self.plan_file,
            "plan_hash": self.plan_hash,
            "office": self.office,
            "period": self.period,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "made": self.made.isoformat(),
            "reply_by": self.reply_by.isoformat(),
        }
        return json.dumps(fields, ensure_ascii=False)

    @classmethod
    def from_header(cls, text: str) -> Stamp:
        """Read a stamp back; ValueError when it is not one plantrack wrote."""
        fields: Any = json.loads(text)
        if not isinstance(fields, dict) or fields.get("kind") != FORM_KIND:
            raise ValueError("not a plantrack form")
        if fields.get("version") != FORM_VERSION:
            raise ValueError(f"form version {fields.get('version')!r}")
        day = dt.date.fromisoformat
        return cls(
            plan_title=str(fields["plan_title"]),
            plan_year=int(fields["plan_year"]),
            plan_file=str(fields["plan_file"]),
            plan_hash=str(fields["plan_hash"]),
            office=str(fields["office"]),
            period=str(fields["period"]),
            start=day(fields["start"]),
            end=day(fields["end"]),
            made=day(fields["made"]),
            reply_by=day(fields["reply_by"]),
        )


def reply_by(plan: Plan, period: Period) -> dt.date:
    """The day an office's form is due back: the plan's day of the period's last month, or its end."""
    day = plan.reporting.reply_by_day
    if day is None:
        return period.end
    return period.end.replace(day=min(day, period.end.day))


def has_replied(plan: Plan, office: str, period: Period) -> bool:
    """Tell whether the plan holds an entry by the office dated in the period."""
    return any(
        entry.by == office and period.contains(entry.date)
        for task in plan.tasks
        for entry in task.progress
    )


def plan_hash(data: bytes) -> str:
    """The hash a form keeps of the plan file's bytes."""
    return hashlib.sha256(data).hexdigest()[:16]


def text_fingerprint(text: str) -> str:
    """The hash a form keeps of a clause's text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def office_forms(
    timeline: Timeline, period: Period, *, dept: str | None = None
) -> list[OfficeForm]:
    """The form of every office that owes something (or of dept alone), in registry order.

    An office owes a clause it plays a role in (lead, responsible or support) that is not
    done on the timeline's date; an office that owes nothing gets no form.
    """
    forms = []
    for name in _offices(timeline, dept):
        rows = office_rows(timeline, name, period)
        if rows:
            forms.append(OfficeForm(name, rows))
    return forms


def _offices(timeline: Timeline, dept: str | None) -> list[str]:
    """Every registered unit; or the one dept names; or a collective's members."""
    registry = Registry(timeline.plan)
    if dept is None:
        return list(registry.units)
    found = registry.resolve(dept)
    if registry.is_unit(found):
        return [found.name]
    return [unit.name for unit in registry.members(cast("Collective", found))]


def office_rows(timeline: Timeline, office: str, period: Period) -> list[FormRow]:
    """The rows of one office's form: its clauses not yet done, in document order."""
    chosen = scope(timeline, office, DUTIES)
    rows = []
    for match in chosen.matches:
        task = match.task
        for clause in match.clauses:
            status = timeline.clause_status(task, clause - 1)
            if status is Status.DONE:
                continue
            role = min(
                (r.role for r in match.roles if r.clause == clause), key=lambda r: r.rank
            ).label
            occs = [o for o in timeline.occurrences(task) if o.applies_to(clause)]
            rows.append(
                FormRow(
                    task=task,
                    clause=clause,
                    role=role,
                    deadlines=_deadlines(timeline, task, clause, occs, period),
                    status=status,
                    last_note=_last_note(timeline, task, clause),
                    occurrence=_period_occurrence(occs, period),
                )
            )
    return rows


def _deadlines(
    timeline: Timeline, task: Task, clause: int, occs: list[Occurrence], period: Period
) -> str:
    """The clause's deadlines in the period, after any still open from before it."""
    late = [
        f"{_when(o)}（已逾期）"
        for o in occs
        if o.date and o.date < period.start and not timeline.is_done_for(task, clause, o)
    ]
    within = [_when(o) for o in occs if o.date and period.contains(o.date)]
    if late or within:
        return "；".join([*late, *within])
    summary = deadline_summary(occs)
    return f"本期无，时限为{summary}" if summary else "本期无"


def _when(occ: Occurrence) -> str:
    assert occ.date is not None
    if occ.kind == "recurring":
        return f"{month_day(occ.date)}前（{period_of(occ)}）"
    if occ.kind == "default":
        return f"{month_day(occ.date)}前（原文未写明）"
    return f"{month_day(occ.date)}前"


def _period_occurrence(occs: list[Occurrence], period: Period) -> str | None:
    """The recurring occurrence a 已完成 means, when every deadline of the clause recurs."""
    if not occs or any(o.kind != "recurring" for o in occs):
        return None
    within = [o for o in occs if o.date and period.contains(o.date)]
    return within[0].key if len(within) == 1 else None


def _last_note(timeline: Timeline, task: Task, clause: int) -> str:
    """The clause's latest entry (or the whole task's) as a line; blank when none."""
    own: list[Progress] = [e for e in timeline.entries(task) if e.clause in (None, clause)]
    if not own:
        return ""
    return progress_text(own[-1], task, occurrences=timeline.occurrences(task))
