"""Plan -> the plain context of a progress report (counts, progress, problems, next steps).

No Jinja here: this module computes, the templates only lay out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from plantrack.core.describe import deadline_text, describe_target
from plantrack.core.domain import Status
from plantrack.core.duties import (
    Owed,
    answering,
    clauses_done,
    clauses_of,
    status_of,
)
from plantrack.core.model import Plan, Progress, Task
from plantrack.core.periods import Period, custom_period, next_period
from plantrack.core.schedule import DueItem, Level
from plantrack.core.shortfalls import (
    ProblemRow,
    UnitRow,
    blocked_rows,
    late_rows,
    overdue_rows,
    unit_rows,
)
from plantrack.core.timeline import Timeline
from plantrack.core.wording import (
    EVERY_WORD,
    entry_subject,
    month_day,
    occurrence_name,
    period_name,
    quarter_name,
    unit_list,
)


@dataclass(frozen=True)
class StatusCount:
    """How many tasks are in one status."""

    status: str
    count: int
    percent: float


@dataclass(frozen=True)
class ProgressLine:
    """One progress entry logged within the period."""

    date: str
    task_id: int
    task_title: str
    status: str | None
    note: str
    by: str | None
    what: str | None

    @property
    def sentence(self) -> str:
        """The entry as one sentence: 任务13「…」（2023Q2）：已完成。说明（记录人）."""
        text = f"任务{self.task_id}「{self.task_title}」"
        if self.what:
            text += f"（{self.what}）"
        if self.status:
            text += f"：{self.status}"
        if self.note:
            text += f"。{self.note}"
        if self.by:
            text += f"（{self.by}）"
        return text


@dataclass(frozen=True)
class SectionProgress:
    """Progress entries of one section, in date order."""

    number: int
    title: str
    entries: list[ProgressLine]


@dataclass(frozen=True)
class PostponedLine:
    """A deadline postponed within the period: 任务13 完成阶段性… 10月31日延期至12月15日（原因）."""

    date: str
    task_id: int
    task_title: str
    what: str
    before: str
    after: str
    reason: str
    by: str | None

    @property
    def sentence(self) -> str:
        """The postponement as one line of prose."""
        text = (
            f"任务{self.task_id}「{self.task_title}」{self.what}由{self.before}延期至{self.after}"
        )
        return f"{text}（原因：{self.reason}）"


@dataclass(frozen=True)
class NextItem:
    """A deadline that falls in the next period."""

    date: str
    task_id: int
    task_title: str
    what: str
    lead: str
    # True for the plan's year-end default of a task whose text states no date.
    year_end: bool = False


@dataclass(frozen=True)
class TargetRow:
    """A quantified target and its recorded value."""

    task_id: int
    name: str
    expected: str
    actual: str
    met: str


@dataclass(frozen=True)
class TaskRow:
    """One line of the task list appended to the report."""

    task_id: int
    title: str
    lead: str
    responsible: str
    deadline: str
    status: str
    level: str
    # When the clauses differ: how many are done, （1/3 完成）; else empty.
    clauses_done: str = ""


@dataclass(frozen=True)
class DutyLine:
    """A task on the 第一责任人's duty to lead the rule of law, with what was recorded on it."""

    task_id: int
    title: str
    status: str
    entries: list[ProgressLine]


@dataclass(frozen=True)
class Annual:
    """What the statutory annual report (年度法治建设情况报告) says beyond the quarterly spine.

    Its four parts follow 《法治政府建设与责任落实督察工作规定》's report: 举措和成效, 不足和
    原因, 第一责任人履职, 下一年度安排. Everything comes from the plan; a part with nothing in
    the plan is left for the clerk to write, and the template says so.
    """

    year: int
    heading: list[str]
    done: list[TaskRow]  # the tasks finished by the report's day
    targets_met: list[TargetRow]
    duties: list[DutyLine]
    unfinished: list[int]  # tasks still open: carried into the next year's work
    next_title: str  # the next year's plan, when there is one beside this plan
    next_sections: list[str]


@dataclass(frozen=True)
class Report:
    """Everything a report template shows; plain values only."""

    title: str
    # The title after the plan's: 2023年第三季度进展报告, for a title set on two lines.
    subtitle: str
    plan_title: str
    issuer: str
    scope: str
    period_label: str
    period_start: str
    period_end: str
    period_text: str
    as_of: str
    total: int
    done: int
    completion_rate: str
    overdue_tasks: int
    blocked_tasks: int
    statuses: list[StatusCount]
    completed: list[ProgressLine]
    progress: list[SectionProgress]
    problems: list[ProblemRow]
    postponed: list[PostponedLine]
    next_label: str
    # The next period as prose says it: 2023年第四季度, 2023年11月16日至12月31日.
    next_name: str
    next_items: list[NextItem]
    units: list[UnitRow]
    targets: list[TargetRow]
    tasks: list[TaskRow]
    warn_days: int
    # The 公文's own title, as set on two lines: 关于…, …进展情况的报告.
    heading: list[str]
    recipient: str  # 主送机关, "" when the plan names none for this kind of report
    signer: str
    contact: str
    phone: str
    annual: Annual | None = None
    doc_number: str = ""  # 发文字号, given for the one document (report --doc-number)  # for a whole year: the statutory report's parts

    @property
    def signer_line(self) -> str:
        """签发人：张三, as the line of the 发文字号 ends on it; empty without a signer."""
        return f"签发人：{self.signer}" if self.signer else ""

    @property
    def document_title(self) -> str:
        """The title as one line: 关于2023年交通法治工作要点第三季度进展情况的报告."""
        return "".join(self.annual.heading if self.annual else self.heading)


def build_report(
    timeline: Timeline,
    tasks: list[Task],
    *,
    period: Period,
    as_of: dt.date,
    scope: str | None,
    covers: Callable[[Task, Progress], bool] | None = None,
    owed: Owed = None,
    next_plan: Plan | None = None,
    doc_number: str = "",
) -> Report:
    """Compute the report context for the tasks in scope.

    covers, for a unit's report, keeps the entries about its own clauses: another office's
    work on a shared task is not this office's progress. owed, for a unit, names those
    clauses: its statuses, problems and counts come from them alone.
    """
    plan = timeline.plan
    near = timeline.due_items(tasks, as_of=as_of, within=plan.warn_days)
    overdue = overdue_rows(timeline, tasks, owed, as_of)
    overdue_ids = {row.task_id for row in overdue}
    statuses = {task.id: status_of(timeline, task, clauses_of(task, owed)) for task in tasks}
    done = sum(1 for status in statuses.values() if status is Status.DONE)
    following = _following(period, as_of)
    subtitle = f"{period_name(period)}进展报告" + (f"（{scope}）" if scope else "")
    entries = list(_entries_in(timeline, tasks, period, covers))
    rows = _task_rows(timeline, tasks, _levels(near))
    targets = _target_rows(timeline, tasks)
    annual = None
    if period.is_year:
        annual = _annual(timeline, tasks, period, scope, rows, targets, entries, next_plan)
    return Report(
        title=f"{plan.title} {subtitle}",
        subtitle=subtitle,
        plan_title=plan.title,
        issuer=plan.issuer or "",
        scope=scope or "全局",
        period_label=period.label,
        period_start=period.start.isoformat(),
        period_end=period.end.isoformat(),
        period_text=_period_text(period),
        as_of=as_of.isoformat(),
        total=len(tasks),
        done=done,
        completion_rate=_percent(done, len(tasks)),
        overdue_tasks=len(overdue_ids),
        blocked_tasks=sum(1 for status in statuses.values() if status is Status.BLOCKED),
        statuses=_status_counts(list(statuses.values())),
        completed=sorted(
            (line for _, line in entries if line.status == Status.DONE.value),
            key=lambda line: (line.date, line.task_id),
        ),
        progress=_group_by_section(plan, entries),
        problems=[
            *overdue,
            *late_rows(timeline, tasks, owed, period),
            *blocked_rows(timeline, tasks, owed),
        ],
        postponed=_postponed_in(timeline, tasks, period),
        next_label=following.label,
        next_name=period_name(following),
        next_items=_next_items(timeline, tasks, following, as_of),
        units=[u for u in unit_rows(timeline, tasks, owed, as_of) if not scope or u.name == scope],
        targets=targets,
        tasks=rows,
        warn_days=plan.warn_days,
        heading=_heading(plan, period, scope),
        recipient=_recipient(plan, period),
        signer=plan.reporting.signer or "",
        contact=plan.reporting.contact or "",
        phone=plan.reporting.phone or "",
        annual=annual,
        doc_number=doc_number,
    )


# A task is on the 第一责任人's duty when its title says so, as task 2 of the bundled plan
# (“严格落实法治建设第一责任人职责”) does.
FIRST_DUTY = "第一责任人"


def _annual(
    timeline: Timeline,
    tasks: list[Task],
    period: Period,
    scope: str | None,
    rows: list[TaskRow],
    targets: list[TargetRow],
    entries: list[tuple[int, ProgressLine]],
    next_plan: Plan | None,
) -> Annual:
    """The statutory annual report's parts, from the year's plan (and the next, if there)."""
    year = period.start.year
    lines = [line for _, line in entries]
    duties = [
        DutyLine(
            task.id,
            task.title,
            timeline.status(task).value,
            [line for line in lines if line.task_id == task.id],
        )
        for task in tasks
        if FIRST_DUTY in task.title
    ]
    return Annual(
        year=year,
        heading=[f"关于{year}年度法治建设", "情况的报告" + (f"（{scope}）" if scope else "")],
        done=[row for row in rows if row.status == Status.DONE.value],
        targets_met=[row for row in targets if row.met == "达到"],
        duties=duties,
        unfinished=[row.task_id for row in rows if row.status != Status.DONE.value],
        next_title=next_plan.title if next_plan else "",
        next_sections=[section.title for section in next_plan.sections] if next_plan else [],
    )


def _heading(plan: Plan, period: Period, scope: str | None) -> list[str]:
    """关于{plan}{period}进展情况的报告, in two lines; the period said without the plan's year."""
    number = period.quarter_number
    if number is not None and period.start.year == plan.year:
        when = quarter_name(number)
    elif period.is_year and period.start.year == plan.year:
        when = "年度"
    else:
        when = period_name(period)
    return [f"关于{plan.title}", f"{when}进展情况的报告" + (f"（{scope}）" if scope else "")]


def _recipient(plan: Plan, period: Period) -> str:
    """The 主送机关 the plan names for this kind of report; none is ever assumed."""
    reporting = plan.reporting
    annual = reporting.annual_recipient if period.is_year else None
    return annual or reporting.recipient or ""


def _period_text(period: Period) -> str:
    """The period once: 2023-07-01 至 2023-09-30（2023年第三季度）, or just the range."""
    text = f"{period.start.isoformat()} 至 {period.end.isoformat()}"
    name = period_name(period)
    return f"{text}（{name}）" if period.label != text else text


def _following(period: Period, as_of: dt.date) -> Period:
    """What 下一步工作安排 covers: for a year still running, the rest of it; else what follows."""
    if period.is_year and period.start <= as_of < period.end:
        return custom_period(as_of + dt.timedelta(days=1), period.end)
    return next_period(period)


def _percent(part: int, whole: int) -> str:
    return f"{part / whole * 100:.1f}%" if whole else "—"


def _status_counts(statuses: list[Status]) -> list[StatusCount]:
    total = len(statuses) or 1
    return [
        StatusCount(
            status.value,
            count := sum(1 for each in statuses if each is status),
            round(count / total * 100, 1),
        )
        for status in Status
    ]


def _entries_in(
    timeline: Timeline,
    tasks: list[Task],
    period: Period,
    covers: Callable[[Task, Progress], bool] | None,
) -> Iterable[tuple[int, ProgressLine]]:
    sections = timeline.plan.task_sections
    for task in tasks:
        for entry in timeline.entries(task):
            if period.contains(entry.date) and (covers is None or covers(task, entry)):
                yield sections[task.id].number, _progress_line(timeline, task, entry)


def _progress_line(timeline: Timeline, task: Task, entry: Progress) -> ProgressLine:
    return ProgressLine(
        date=entry.date.isoformat(),
        task_id=task.id,
        task_title=task.title,
        status=entry.status.value if entry.status else None,
        note=entry.note,
        by=entry.by,
        what=entry_subject(entry, task, timeline.occurrences(task)),
    )


def _group_by_section(plan: Plan, entries: list[tuple[int, ProgressLine]]) -> list[SectionProgress]:
    groups = []
    for section in plan.sections:
        lines = [line for number, line in entries if number == section.number]
        if lines:
            lines.sort(key=lambda line: (line.date, line.task_id))
            groups.append(SectionProgress(section.number, section.title, lines))
    return groups


def _postponed_in(timeline: Timeline, tasks: list[Task], period: Period) -> list[PostponedLine]:
    """Each postponement decided within the period, as the timeline knows it."""
    lines = []
    for task in tasks:
        for occ in timeline.occurrences(task):
            for step in occ.postponed:
                if period.contains(step.day):
                    entry = next(
                        (e for e in timeline.entries(task) if e.postponed_to == step.after), None
                    )
                    lines.append(
                        PostponedLine(
                            date=step.day.isoformat(),
                            task_id=task.id,
                            task_title=task.title,
                            what=occ.label or occurrence_name(occ),
                            before=month_day(step.before),
                            after=month_day(step.after),
                            reason=step.reason,
                            by=entry.by if entry else None,
                        )
                    )
    return sorted(lines, key=lambda line: (line.date, line.task_id))


def _next_items(
    timeline: Timeline, tasks: list[Task], period: Period, as_of: dt.date
) -> list[NextItem]:
    return [
        NextItem(
            date=item.occurrence.date.isoformat() if item.occurrence.date else "",
            task_id=item.task.id,
            task_title=item.task.title,
            what=occurrence_name(item.occurrence),
            lead=answering(item.task, clauses_of(item.task, None)),
            year_end=item.occurrence.kind == "default",
        )
        for item in timeline.items_in_period(tasks, period=period, as_of=as_of)
    ]


_OPS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "=": "="}


def _target_rows(timeline: Timeline, tasks: list[Task]) -> list[TargetRow]:
    rows = []
    for task in tasks:
        for target in task.targets:
            expected = f"{EVERY_WORD.get(target.per or '', '')}{_OPS[target.op]} {target.value}{target.unit}"
            actual, met = describe_target(timeline, task, target)
            rows.append(TargetRow(task.id, target.name, expected, actual, met))
    return rows


def _task_rows(timeline: Timeline, tasks: list[Task], levels: dict[int, Level]) -> list[TaskRow]:
    return [
        TaskRow(
            task_id=task.id,
            title=task.title + (f"（结转自{task.carried_from}）" if task.carried_from else ""),
            lead=answering(task, clauses_of(task, None)),
            responsible=unit_list(task.responsible_units),
            deadline=deadline_text(timeline, task),
            status=timeline.status(task).value,
            clauses_done=clauses_done(timeline, task),
            level=levels.get(task.id, "绿"),
        )
        for task in tasks
    ]


def _levels(near: list[DueItem]) -> dict[int, Level]:
    """Each task's worst level among its open deadlines near or past; absent means 绿."""
    levels: dict[int, Level] = {}
    for item in near:
        if levels.get(item.task.id) != "红":
            levels[item.task.id] = "红" if item.overdue else "黄"
    return levels
