"""The short message each office gets unasked: everything it owes, clause by clause.

Built from the same answers as `due`: the clauses the office leads, is responsible for,
or is the only unit named in, as of a date. Overdue first, then due soon, then what is
blocked and why, then the rest of this quarter.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from plantrack.core import forms, periods
from plantrack.core.answers import clause_roles
from plantrack.core.domain import Status
from plantrack.core.duties import blocked_note, target_note
from plantrack.core.model import Task
from plantrack.core.schedule import DueItem
from plantrack.core.selection import DUTIES, scope
from plantrack.core.timeline import Timeline
from plantrack.core.units import Role
from plantrack.core.wording import chinese_date, days_left, month_day, occurrence_name, period_name


class Blocked(NamedTuple):
    """A clause the office owes that is blocked, with the reason last given."""

    task: Task
    clause: int
    note: str

    @property
    def ref(self) -> str:
        """7.3, or 13 in a task of one clause."""
        return self.task.clause_ref(self.clause)


class Digest(NamedTuple):
    """One office's reminder: who, as of when, and what it owes in four groups."""

    unit: str
    as_of: dt.date
    overdue: list[DueItem]
    soon: list[DueItem]
    window: int
    blocked: list[Blocked]
    quarter_name: str
    quarter: list[DueItem]
    # After the plan's year: what it left unfinished, listed on Mondays only.
    last_year: list[DueItem]
    plan_year: int
    # What a line must not hide, by task id: 目标已达到（…）.
    notes: dict[int, str]
    # When the office's quarterly form is due back; None when it has none or has replied.
    form_due: dt.date | None = None

    @property
    def empty(self) -> bool:
        """Nothing to say: nothing overdue, due soon, blocked or left this quarter."""
        return not (self.overdue or self.soon or self.blocked or self.quarter or self.last_year)

    def text(self) -> str:
        """The digest as plain text, for email and text-only robots."""
        return "\n".join(self._lines(markdown=False)) + "\n"

    def markdown(self) -> str:
        """The digest as Markdown, for WeCom, DingTalk and Feishu robots."""
        return "\n".join(self._lines(markdown=True)) + "\n"

    def _lines(self, *, markdown: bool) -> list[str]:
        title = f"【{self.unit}】工作提醒（截至{chinese_date(self.as_of)}）"
        lines = [f"### {title}" if markdown else title]
        bullet = "- " if markdown else "· "
        if self.as_of.year > self.plan_year:
            return lines + self._turn_of_the_year(bullet, markdown=markdown)
        groups = [
            (f"已逾期 {len(self.overdue)} 项", self.overdue),
            (f"{self.window} 天内到期 {len(self.soon)} 项", self.soon),
        ]
        for heading, items in groups:
            lines += _group(heading, _item_lines(items, bullet, self.notes), markdown=markdown)
        blocked = [f"{bullet}任务{b.ref}“{b.task.title}”：{b.note}" for b in self.blocked]
        lines += _group(f"受阻 {len(self.blocked)} 项", blocked, markdown=markdown)
        heading = f"本季度（{self.quarter_name}）还须完成的其余事项 {len(self.quarter)} 项"
        lines += _group(heading, _item_lines(self.quarter, bullet, self.notes), markdown=markdown)
        if self.empty:
            lines.append("没有逾期、近期到期或受阻的事项。")
        if self.form_due is not None:
            lines.append(self._form_line(self.form_due))
        return lines

    def _form_line(self, due: dt.date) -> str:
        """What the office's quarterly form asks of it: the day to send it back by."""
        if self.as_of <= due:
            return f"请于{month_day(due)}前填报本季度进展并交回。"
        return f"本季度进展填报表应于{month_day(due)}前交回，尚未收到，请尽快填报交回。"

    def _turn_of_the_year(self, bullet: str, *, markdown: bool) -> list[str]:
        """January before next year's plan exists: last year's leftovers weekly, and what to do."""
        year, count = self.plan_year, len(self.last_year)
        heading = f"上年度（{year} 年）未完成 {count} 项"
        if self.as_of.weekday() == 0:  # listed on Mondays; other days say how many
            lines = _group(
                heading, _item_lines(self.last_year, bullet, self.notes), markdown=markdown
            )
        else:
            lines = [f"{heading}（每周一列出明细）"] if count else []
        advice = (
            f"{year} 年的计划已经结束：请用 plantrack rollover --to plans/{year + 1}.yaml "
            f"把未完成的分工结转到 {year + 1} 年的计划"
        )
        return [*lines, advice if count else f"{year} 年的计划已经结束，没有未完成的分工。"]


def _group(heading: str, lines: list[str], *, markdown: bool) -> list[str]:
    if not lines:
        return []
    return [f"**{heading}**" if markdown else heading, *lines]


def _item_lines(items: list[DueItem], bullet: str, notes: dict[int, str]) -> list[str]:
    noted = [i for i in items if i.task.id in notes]
    dated = [i for i in items if i.occurrence.kind != "default" or i.task.id in notes]
    year_end = [i for i in items if i.occurrence.kind == "default" and i not in noted]
    lines = [bullet + _item(item, notes.get(item.task.id)) for item in dated]
    if year_end:
        # Tasks whose text states no date: one line, not a page of identical dates.
        refs = "、".join(item.ref for item in year_end)
        lines.append(f"{bullet}年底前完成的年度任务 {len(year_end)} 项：任务{refs}")
    return lines


def _item(item: DueItem, note: str | None = None) -> str:
    date = item.occurrence.date
    when = month_day(date) if date else ""
    what = occurrence_name(item.occurrence) + (f"；{note}" if note else "")
    return f"{when} 任务{item.ref}“{item.task.title}”：{what}（{days_left(item.days_left)}）"


def build_digest(timeline: Timeline, dept: str, *, as_of: dt.date, within: int) -> Digest:
    """The digest of one office: the clauses it owes, as of a day."""
    chosen = scope(timeline, dept, DUTIES)
    roles = clause_roles(chosen.matches)
    owed = [(match.task, clause) for match in chosen.matches for clause in match.clauses]
    quarter = periods.parse_quarter("current", as_of)
    horizon = as_of + dt.timedelta(days=within)
    near = timeline.clause_items(owed, as_of=as_of, until=horizon)
    rest = timeline.clause_items(owed, as_of=as_of, until=quarter.end)
    later = [i for i in rest if i.occurrence.date and horizon < i.occurrence.date]

    def answering(item: DueItem) -> tuple[int, int, int]:
        role = roles.get((item.task.id, item.clause or 0))
        return _duty_order(item.task, item.clause or 1, role), item.days_left, item.task.id

    noted = [(i, target_note(timeline, i.task)) for i in near + later]
    notes = {item.task.id: note for item, note in noted if note}
    ended = as_of.year > timeline.plan.year
    return Digest(
        form_due=None if ended else _form_due(timeline, chosen.name or dept, owed, quarter),
        unit=chosen.name or dept,
        as_of=as_of,
        overdue=[] if ended else sorted((i for i in near if i.overdue), key=answering),
        soon=sorted((i for i in near if not i.overdue), key=answering),
        window=within,
        blocked=_blocked(timeline, owed),
        quarter_name=period_name(quarter),
        quarter=sorted(later, key=answering),
        notes=notes,
        last_year=sorted((i for i in near if i.overdue), key=answering) if ended else [],
        plan_year=timeline.plan.year,
    )


def _form_due(
    timeline: Timeline, office: str, owed: list[tuple[Task, int]], quarter: periods.Period
) -> dt.date | None:
    """When the office's form for the quarter is due back, if it has one and has not replied.

    It has one when a clause it owes is not done: the rows `forms.office_rows` would list.
    """
    plan = timeline.plan
    open_clause = any(timeline.clause_status(t, c - 1) is not Status.DONE for t, c in owed)
    if not open_clause or forms.has_replied(plan, office, quarter):
        return None
    return forms.reply_by(plan, quarter)


def _duty_order(task: Task, clause: int, role: Role | None) -> int:
    """Led clauses first, then shared ones, then those where the office is the only one named."""
    if role is None or role.kind == "lead":
        return 0
    if role.kind == "responsible" and task.clauses[clause - 1].lead:
        return 1
    return 2 if role.kind == "responsible" else 3


def _blocked(timeline: Timeline, owed: list[tuple[Task, int]]) -> list[Blocked]:
    """The owed clauses that are blocked, each with the reason last recorded."""
    return [
        Blocked(task, clause, blocked_note(timeline, task, clause))
        for task, clause in owed
        if timeline.clause_status(task, clause - 1) is Status.BLOCKED
    ]
