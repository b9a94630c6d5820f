"""An RFC 5545 calendar of every dated deadline occurrence, with UIDs stable across exports."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from plantrack.core.duties import Owed, clause_ref, clauses_of
from plantrack.core.model import Plan, Task
from plantrack.core.schedule import Occurrence
from plantrack.core.timeline import Timeline
from plantrack.core.wording import occurrence_name
from plantrack.output.display import one_line, printable

if TYPE_CHECKING:
    from icalendar import Event

_NAMESPACE = uuid.UUID("6f1c2a52-3c55-4c1e-9a55-2f6c8d1e7a10")


def occurrence_uid(plan: Plan, task: Task, occ: Occurrence) -> str:
    """A UID that depends only on the plan, the task and the occurrence key, never on wording."""
    # The old key where there is one, so calendars keep the events they already have.
    name = f"{plan.title}|{plan.year}|{task.id}|{occ.legacy or occ.key}"
    return f"{uuid.uuid5(_NAMESPACE, name)}@plantrack"


def build_calendar(
    timeline: Timeline, tasks: list[Task], *, stamp: dt.date, name: str, owed: Owed = None
) -> bytes:
    """Return an iCalendar file with one all-day VEVENT per dated occurrence.

    For one office (owed), an event is a deadline of its own clauses, done when it is done
    for them: another office's clause finished or not changes nothing in its calendar.
    """
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//plantrack//plantrack//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", one_line(name))  # a title is data: one line, no controls
    # DTSTAMP follows --as-of so that the same plan on the same day exports the same bytes.
    stamp_time = dt.datetime.combine(stamp, dt.time(), tzinfo=dt.UTC)
    for task in tasks:
        counted = clauses_of(task, owed)
        for occ in timeline.occurrences(task):
            mine = [clause for clause in counted if occ.applies_to(clause)]
            if occ.date is not None and mine:
                event = _event(timeline, task, occ, stamp_time, mine if owed else None)
                calendar.add_component(event)
    return bytes(calendar.to_ical())


def _event(
    timeline: Timeline,
    task: Task,
    occ: Occurrence,
    stamp: dt.datetime,
    clauses: list[int] | None,
) -> Event:
    from icalendar import Alarm, Event

    assert occ.date is not None
    if clauses is None:
        finished = timeline.is_done(task, occ)
    else:
        finished = all(timeline.is_done_for(task, clause, occ) for clause in clauses)
    event = Event()
    event.add("uid", occurrence_uid(timeline.plan, task, occ))
    event.add("dtstamp", stamp)
    event.add("dtstart", occ.start or occ.date)
    event.add("dtend", occ.date + dt.timedelta(days=1))
    ref = clause_ref(task, clauses) if clauses else str(task.id)
    summary = _summary(task, ref, occ, finished=finished, late=timeline.late_days(task, occ))
    event.add("summary", printable(summary))
    event.add("description", printable(_description(timeline, task, occ)))
    event.add("categories", [timeline.plan.title])
    event.add("transp", "TRANSPARENT")
    warn_days = timeline.plan.warn_days
    if not finished and warn_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", printable(_summary(task, ref, occ, finished=False, late=None)))
        alarm.add("trigger", dt.timedelta(days=-warn_days))
        event.add_component(alarm)
    return event


def _summary(task: Task, ref: str, occ: Occurrence, *, finished: bool, late: int | None) -> str:
    # A calendar shows no task column, so the year-end default is named after its task.
    label = f"{task.title}（年度任务）" if occ.kind == "default" else occurrence_name(occ)
    prefix = f"[逾期完成 {late} 天] " if late else "[已完成] " if finished else ""
    return f"{prefix}【任务{ref}】{label}"


def _description(timeline: Timeline, task: Task, occ: Occurrence) -> str:
    lines = [f"任务 {task.id}：{task.title}（{timeline.status(task).value}）"]
    lines.append(f"牵头单位：{'、'.join(task.lead_units) or '（原文未列）'}")
    lines.append(f"责任单位：{'、'.join(task.responsible_units)}")
    if occ.quote:
        lines.append(f"原文：{occ.quote}")
    if occ.date_source:
        lines.append(f"日期来源：{occ.date_source}")
    lines.append("")
    lines.append(task.text)
    return "\n".join(lines)
