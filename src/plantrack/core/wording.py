"""Chinese wording in one place: the time model and selection return values, this says them.

Days left, role words, unit lists, dates as 公文 write them, period names, occurrence
names, a progress entry as a line, and the "是否指…？" suggestion after a slip.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from plantrack.core.schedule import DueGroup, Occurrence, occurrence_by_key, short_name

if TYPE_CHECKING:
    from plantrack.core.model import Plan, Progress, Task
    from plantrack.core.periods import Period

# --- roles ----------------------------------------------------------------------------------

# The roles a clause names units in, as the plan's keys and as people say them.
ROLE_WORDS = {"lead": "牵头", "responsible": "责任", "support": "配合"}
# Words published plans use for a role, each read as one of the three.
ROLE_OF_WORD = {word: role for role, word in ROLE_WORDS.items()} | {
    "参与": "support",
    "协办": "support",
}


def role_label(kind: str, via: str | None = None) -> str:
    """A role as one word: 牵头, 责任, 配合, or 经由 局机关各科室 for a collective."""
    return ROLE_WORDS.get(kind) or f"经由 {via}"


def unit_list(names: Iterable[str]) -> str:
    """Units as a list is written: 局法规科、局财审科; a dash for none."""
    return "、".join(names) or "—"


# --- suggestions ----------------------------------------------------------------------------


def closest(value: str, choices: Iterable[str], *, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The choices that look most like value, best first."""
    return difflib.get_close_matches(value, list(choices), n=n, cutoff=cutoff)


def did_you_mean(close: Sequence[str]) -> str:
    """The suggestion after a slip: 是否指 局法规科？ (nothing when there is none)."""
    return f"是否指 {'、'.join(close)}？" if close else ""


# --- dates and periods ----------------------------------------------------------------------

QUARTER_NAMES = "一二三四"


def chinese_date(day: dt.date) -> str:
    """A date as 公文 write it: 2023年10月8日."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_day(day: dt.date) -> str:
    """A date within the plan's year: 10月31日."""
    return f"{day.month}月{day.day}日"


def quarter_name(number: int) -> str:
    """A quarter as prose says it: 3 -> 第三季度."""
    return f"第{QUARTER_NAMES[number - 1]}季度"


def period_name(period: Period) -> str:
    """A period as a sentence says it: 2023年第三季度, 2023年度, 2023年7月1日至7月31日."""
    number = period.quarter_number
    if number is not None:
        return f"{period.start.year}年{quarter_name(number)}"
    if period.is_year:
        return period.label
    start, end = period.start, period.end
    tail = month_day(end) if end.year == start.year else chinese_date(end)
    return f"{chinese_date(start)}至{tail}"


def days_left(days: int) -> str:
    """How far a date is: 逾期 12 天, 今天到期, 还剩 3 天."""
    if days < 0:
        return f"逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"还剩 {days} 天"


def due_heading(group: DueGroup, until: dt.date | None) -> str:
    """The heading a due row falls under: 已逾期, 本周内到期（至 10月8日 周日）, …."""
    if group == "last-year":
        return "上年度未完成（请年终结转，见 plantrack rollover）"
    if group == "overdue":
        return "已逾期"
    if group == "week" and until is not None:
        return f"本周内到期（至 {month_day(until)} 周日）"
    if group == "month" and until is not None:
        return f"本月内到期（至 {month_day(until)}）"
    return "下月及以后到期"


# --- deadlines and occurrences --------------------------------------------------------------

DEFAULT_LABEL = "年度任务（原文未写明时限）"
# How a recurring rule reads: 每季度 (a target per period), 每季度末 (a deadline in a table).
EVERY_WORD = {"quarter": "每季度", "half-year": "每半年", "month": "每月"}
EVERY_TEXT = {every: f"{word}末" for every, word in EVERY_WORD.items()}


def occurrence_label(occ: Occurrence) -> str:
    """The occurrence's label; the year-end default of a task that states no date is named."""
    return DEFAULT_LABEL if occ.kind == "default" else occ.label


def period_of(occ: Occurrence) -> str:
    """The period a recurring occurrence stands for: 第三季度, 上半年, 10月."""
    key = occ.key.split("#")[0]
    if occ.every == "quarter":
        return quarter_name(int(key[-1]))
    if occ.every == "half-year":
        return "上半年" if key.endswith("H1") else "下半年"
    return f"{int(key[-2:])}月"


def occurrence_handle(occ: Occurrence) -> str:
    """An occurrence in a few characters: 第二季度 for a recurring duty, else its short name."""
    if occ.kind == "recurring":
        return period_of(occ)
    if occ.kind == "default":
        return "年度任务"
    return short_name(occ.label)


def occurrence_name(occ: Occurrence) -> str:
    """Name an occurrence for people: 第三季度报送…; a postponed one says so and why."""
    name = f"{period_of(occ)}{occ.label}" if occ.kind == "recurring" else occurrence_label(occ)
    if occ.postponed and occ.date is not None:
        name += f"（延期至{month_day(occ.date)}，原因：{occ.postponed[-1].reason}）"
    return name


def occurrence_names(occ: Occurrence) -> list[str]:
    """Every name a person may type for an occurrence: its id, old id, handle and month."""
    names = [occ.key, occ.legacy or occ.key, occurrence_handle(occ), occurrence_label(occ)]
    if occ.kind != "recurring":
        names.append(short_name(occ.label))
    return list(dict.fromkeys(name for name in names if name))


def deadline_summary(items: list[Occurrence]) -> str:
    """A short summary of a task's deadlines, e.g. 每季度末；11月20日前."""
    parts: list[str] = []
    for occ in items:
        text = _short_date(occ)
        if text and text not in parts:
            parts.append(text)
    return "；".join(parts)


def _short_date(occ: Occurrence) -> str | None:
    if occ.kind == "recurring":
        return EVERY_TEXT[occ.every] if occ.every else "定期"
    if occ.date is None:
        return None
    if occ.kind == "default":
        return f"{month_day(occ.date)}前（原文未写明）"
    if occ.kind == "period" and occ.start:
        return f"{month_day(occ.start)}–{month_day(occ.date)}"
    return f"{month_day(occ.date)}前"


# --- numbers and targets --------------------------------------------------------------------


def format_number(value: float | None) -> str:
    """85.0 as 85, 85.5 as 85.5."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def target_unit(task: Task, name: str) -> str:
    """The unit of the task's target called name (%, 篇), or nothing."""
    return next((t.unit for t in task.targets if t.name == name), "")


# --- progress entries -----------------------------------------------------------------------


def entry_subject(
    entry: Progress, task: Task, occurrences: list[Occurrence] | None = None
) -> str | None:
    """What an entry is about, when not the whole task: 第二季度, 路政宣传月, 第7项第2条, 出庭应诉率 实际 85%."""
    if entry.occurrence:
        return _occurrence_part(entry.occurrence, occurrences)
    if entry.clause:
        return clause_words(task, entry.clause)
    if entry.target is not None:
        return _value_part(entry, task)
    return None


def clause_words(task: Task, clause: int) -> str:
    """A clause as a 公文 names it: 第7项第3条."""
    return f"第{task.id}项第{clause}条"


def _occurrence_part(key: str, occurrences: list[Occurrence] | None) -> str:
    found = occurrence_by_key(occurrences or [], key)
    return occurrence_handle(found) if found else key


def _value_part(entry: Progress, task: Task) -> str:
    target = entry.target or ""
    return f"{target} 实际 {format_number(entry.value)}{target_unit(task, target)}"


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
        parts.append(clause_words(task, entry.clause))
    if entry.occurrence:
        parts.append(_occurrence_part(entry.occurrence, occurrences))
    if entry.status:
        parts.append(entry.status.value + (f"（逾期完成 {late} 天）" if late else ""))
    if entry.postponed_to is not None:
        parts.append(f"延期至 {entry.postponed_to}")
    if entry.target is not None:
        parts.append(_value_part(entry, task))
    if entry.note:
        parts.append(entry.note)
    text = " ".join(parts)
    if entry.by:
        text += f"（{entry.by}）"
    if entry.recorded is not None and entry.recorded != entry.date:
        text += f"（{entry.recorded} 补记）"  # written down later than it happened
    return text


def due_title(as_of: dt.date, window: int | None, period: Period | None) -> str:
    """What a `due` listing answers: 截至 2023-10-01：已逾期及 60 天内到期的事项."""
    if period is not None:
        span = f"{period.start} 至 {period.end}"
        return f"截至 {as_of}：{period.label}（{span}）的未完成时限"
    return f"截至 {as_of}：已逾期及 {window} 天内到期的事项"


def plan_counts(plan: Plan) -> str:
    """How big a plan is, as `check` reports it: 9 个部分，26 项任务，33 项分工，13 个单位."""
    tasks = plan.tasks
    clauses = sum(len(task.clauses) for task in tasks)
    sizes = [f"{len(plan.sections)} 个部分", f"{len(tasks)} 项任务"]
    sizes += [f"{clauses} 项分工", f"{len(plan.units)} 个单位"]
    return "，".join(sizes)
