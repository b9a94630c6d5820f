"""The short message each office gets unasked: what it owes, overdue and due soon, this quarter.

Built from the same answers as `due`: the office's duties and shares only, as of a date.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from plantrack.core import periods
from plantrack.core.schedule import DueItem
from plantrack.core.selection import Involvement, scope
from plantrack.core.timeline import Timeline
from plantrack.core.wording import chinese_date, days_left, month_day, occurrence_name


class Digest(NamedTuple):
    """One office's reminder: who, as of when, and the items in three groups."""

    unit: str
    as_of: dt.date
    overdue: list[DueItem]
    soon: list[DueItem]
    window: int
    quarter_label: str
    quarter: list[DueItem]

    @property
    def empty(self) -> bool:
        """Nothing to say: nothing overdue, nothing due soon or this quarter."""
        return not (self.overdue or self.soon or self.quarter)

    def text(self) -> str:
        """The digest as plain text, for email and text-only robots."""
        return "\n".join(self._lines(markdown=False)) + "\n"

    def markdown(self) -> str:
        """The digest as Markdown, for WeCom, DingTalk and Feishu robots."""
        return "\n".join(self._lines(markdown=True)) + "\n"

    def _lines(self, *, markdown: bool) -> list[str]:
        title = f"【{self.unit}】工作提醒（截至{chinese_date(self.as_of)}）"
        lines = [f"### {title}" if markdown else title]
        groups = [
            (f"已逾期 {len(self.overdue)} 项", self.overdue),
            (f"{self.window} 天内到期 {len(self.soon)} 项", self.soon),
            (f"{self.quarter_label}牵头的其余事项 {len(self.quarter)} 项", self.quarter),
        ]
        bullet = "- " if markdown else "· "
        for heading, items in groups:
            if not items:
                continue
            lines.append(f"**{heading}**" if markdown else heading)
            dated = [i for i in items if i.occurrence.kind != "default"]
            year_end = [i for i in items if i.occurrence.kind == "default"]
            lines += [bullet + _item(item) for item in dated]
            if year_end:
                # Tasks whose text states no date: one line, not a page of identical dates.
                ids = "、".join(str(i.task.id) for i in year_end)
                lines.append(f"{bullet}年底前完成的年度任务 {len(year_end)} 项：任务{ids}")
        if self.empty:
            lines.append("没有逾期或近期到期的事项。")
        return lines


def _item(item: DueItem) -> str:
    date = item.occurrence.date
    when = month_day(date) if date else ""
    what = occurrence_name(item.occurrence)
    return f"{when} 任务{item.task.id}“{item.task.title}”：{what}（{days_left(item.days_left)}）"


def build_digest(timeline: Timeline, dept: str, *, as_of: dt.date, within: int) -> Digest:
    """The digest of one office: its duties and shares, as of a day."""
    chosen = scope(timeline, dept, Involvement())
    near = timeline.due_items(chosen.tasks, as_of=as_of, within=within)
    quarter = periods.parse_quarter("current", as_of)
    led = [m.task for m in chosen.matches if m.role is not None and m.role.kind == "lead"]
    shown = {(i.task.id, i.occurrence.key) for i in near}
    later = [
        item
        for item in timeline.items_in_period(led, period=quarter, as_of=as_of)
        if (item.task.id, item.occurrence.key) not in shown
    ]
    return Digest(
        unit=chosen.name or dept,
        as_of=as_of,
        overdue=[i for i in near if i.overdue],
        soon=[i for i in near if not i.overdue],
        window=within,
        quarter_label=f"本季度（{quarter.label}）",
        quarter=later,
    )
