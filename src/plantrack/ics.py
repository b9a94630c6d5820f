"""An RFC 5545 calendar of every dated deadline occurrence, with UIDs stable across exports."""

from __future__ import annotations

import datetime as dt
import uuid

from plantrack import schedule
from plantrack.model import Plan, Status, Task

_NAMESPACE = uuid.UUID("6f1c2a52-3c55-4c1e-9a55-2f6c8d1e7a10")


def occurrence_uid(plan: Plan, task: Task, occ: schedule.Occurrence) -> str:
    """A UID that depends only on the plan, the task and the occurrence key, never on wording."""
    name = f"{plan.title}|{plan.year}|{task.id}|{occ.key}"
    return f"{uuid.uuid5(_NAMESPACE, name)}@plantrack"


def build_calendar(plan: Plan, tasks: list[Task], *, stamp: dt.date, name: str) -> bytes:
    """Return an iCalendar file with one all-day VEVENT per dated occurrence."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//plantrack//plantrack//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    # DTSTAMP follows --as-of so that the same plan on the same day exports the same bytes.
    stamp_time = dt.datetime.combine(stamp, dt.time(), tzinfo=dt.UTC)
    for task in tasks:
        done = schedule.completed_keys(task)
        for occ in schedule.occurrences(task, plan):
            if occ.date is None:
                continue
            finished = task.status is Status.DONE or occ.key in done
            event = Event()
            event.add("uid", occurrence_uid(plan, task, occ))
            event.add("dtstamp", stamp_time)
            event.add("dtstart", occ.start or occ.date)
            event.add("dtend", occ.date + dt.timedelta(days=1))
            event.add("summary", _summary(task, occ, finished=finished))
            event.add("description", _description(task, occ))
            event.add("categories", [plan.title])
            event.add("transp", "TRANSPARENT")
            if not finished and plan.warn_days:
                alarm = Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", _summary(task, occ, finished=False))
                alarm.add("trigger", dt.timedelta(days=-plan.warn_days))
                event.add_component(alarm)
            calendar.add_component(event)
    return bytes(calendar.to_ical())


def _summary(task: Task, occ: schedule.Occurrence, *, finished: bool) -> str:
    if occ.kind == "default":
        label = f"{task.title}（年度任务）"
    elif occ.kind == "recurring":
        label = f"{occ.key} {occ.label}"
    else:
        label = occ.label
    prefix = "[已完成] " if finished else ""
    return f"{prefix}【任务{task.id}】{label}"


def _description(task: Task, occ: schedule.Occurrence) -> str:
    lines = [f"任务 {task.id}：{task.title}（{task.status.value}）"]
    lines.append(f"牵头单位：{'、'.join(task.lead_units) or '（原文未列）'}")
    lines.append(f"责任单位：{'、'.join(task.responsible_units)}")
    if occ.quote:
        lines.append(f"原文：{occ.quote}")
    if occ.date_source:
        lines.append(f"日期来源：{occ.date_source}")
    lines.append("")
    lines.append(task.text)
    return "\n".join(lines)
