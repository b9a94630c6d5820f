"""An office's filled-in form read back: each row checked, and the entries it may add.

A reply is checked against the plan it names: the office, that every row is still the
clause the form was made for and one of the office's own, that a status is one of the
plan's, that a date falls inside the period and not after today, and that no cell holds a
formula or a control character. What passes becomes a progress entry `by:` the office.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from plantrack.core import rules
from plantrack.core.domain import Status
from plantrack.core.errors import UsageError
from plantrack.core.forms import Stamp, StampRow, text_fingerprint
from plantrack.core.model import Plan, Progress, Task, Unit
from plantrack.core.numerals import half_width
from plantrack.core.periods import written_date
from plantrack.core.refs import TaskRef, parse_ref, parse_status
from plantrack.core.selection import DUTIES
from plantrack.core.units import Registry
from plantrack.core.wording import month_day, unit_list

# The form's columns, 0-based, as `output.form` writes them: 序号 first, the four inputs last.
REF_COLUMN = 0
INPUT_COLUMNS = {"状态": 7, "本季度进展": 8, "日期": 9, "佐证材料": 10}
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of a date typed into a cell formatted as number
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class Reply:
    """A form as it came back: its stamp, its stamped rows, and the cells of its form sheet."""

    source: str
    stamp: Stamp
    stamped: list[StampRow]
    cells: Mapping[int, Sequence[str]]  # sheet row -> typed cells ("s…", "d…", "f…", …)


@dataclass(frozen=True)
class Answer:
    """One row that passed: the clause, the status asked for (if any), and the entry."""

    row: int
    ref: TaskRef
    status: Status | None
    entry: Progress
    # Said about the row without refusing it, e.g. the date left blank and taken as today.
    remark: str = ""


@dataclass(frozen=True)
class Refusal:
    """Why a row (or, with row None, the whole reply) cannot be taken."""

    row: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.row is None else f"第 {self.row} 行：{self.message}"


@dataclass
class ReadReply:
    """A reply checked against the plan: the rows that pass and the rows that do not."""

    reply: Reply
    answers: list[Answer] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)

    @property
    def refused_whole(self) -> bool:
        """Tell whether the reply itself (plan, office) is refused, not only some rows."""
        return any(refusal.row is None for refusal in self.refusals)


def read_reply(reply: Reply, plan: Plan, *, today: dt.date) -> ReadReply:
    """Check every row of a reply against the plan as it is now.

    The plan may have changed since the form was made (other replies, edits): a row is
    still taken while its clause is there, the office's, and worded as on the form.
    """
    found = ReadReply(reply)
    whole = _reply_problem(reply.stamp, plan)
    if whole:
        found.refusals.append(Refusal(None, whole))
        return found
    registry = Registry(plan)
    office = registry.units[reply.stamp.office]
    stamped_rows = {item.row for item in reply.stamped}
    for item in reply.stamped:
        try:
            answer = _answer(item, reply, plan, registry, office, today=today)
        except _RowRefused as exc:
            found.refusals.append(Refusal(item.row, str(exc)))
        else:
            if answer is not None:
                found.answers.append(answer)
    for row, cells in sorted(reply.cells.items()):
        if row not in stamped_rows and row > min(stamped_rows, default=row) and _inputs(cells):
            found.refusals.append(
                Refusal(row, "这一行不是表格生成时的行：请把进展填在已列出的分工行里")
            )
    return found


def _reply_problem(stamp: Stamp, plan: Plan) -> str | None:
    """Why the reply is not about this plan or a registered office; None when it is."""
    if (stamp.plan_title, stamp.plan_year) != (plan.title, plan.year):
        return (
            f"这份填报表是为《{stamp.plan_title}》（{stamp.plan_year} 年）生成的，"
            f"不是《{plan.title}》（{plan.year} 年）：请用 --plan 指定它所属的计划"
        )
    if stamp.office not in {unit.name for unit in plan.units}:
        return f"填报单位“{stamp.office}”不是计划中登记的单位：表格可能来自别的计划，或单位已改名"
    return None


class _RowRefused(Exception):
    """A row that cannot be taken, and why (in Chinese)."""


def _answer(
    item: StampRow,
    reply: Reply,
    plan: Plan,
    registry: Registry,
    office: Unit,
    *,
    today: dt.date,
) -> Answer | None:
    """The entry a row adds, None for a row left blank; _RowRefused when it cannot be taken."""
    cells = reply.cells.get(item.row, ())
    inputs = _inputs(cells)
    if not inputs:
        return None
    ref_text = _text(_cell(cells, REF_COLUMN), "序号")
    ref = _clause_of(ref_text, item, plan, registry, office, changed=reply.stamp)
    status = _status(inputs.get("状态", ""))
    note = _text(inputs.get("本季度进展", ""), "本季度进展")
    evidence = _text(inputs.get("佐证材料", ""), "佐证材料")
    if status is None and not note and not evidence:
        raise _RowRefused("没有选择状态，也没有写本季度进展：请选择状态，或写明进展")
    day, remark = _date(inputs.get("日期", ""), reply.stamp, today)
    if evidence:
        note = f"{note}；佐证材料：{evidence}" if note else f"佐证材料：{evidence}"
    done_occurrence = item.occurrence if status is Status.DONE and item.occurrence else None
    entry = Progress(
        date=day,
        note=note,
        status=status,
        by=office.name,
        clause=ref.clause,
        occurrence=done_occurrence,
        recorded=today if day != today else None,
    )
    task = plan.tasks_by_id[ref.task]
    held = _taken_before(task, entry, reply.stamp) if remark else None
    if held is not None:  # undated: the same report taken before keeps the day it was taken on
        entry, remark = held, f"日期未填，同一进展已按 {held.date.isoformat()} 收录"
    problem = next(rules.entry_messages(plan, task, entry, as_of=today), None)
    if problem is not None:
        raise _RowRefused(problem[2])
    return Answer(item.row, ref, status, entry, remark)


def _taken_before(task: Task, entry: Progress, stamp: Stamp) -> Progress | None:
    """The entry the plan already holds for the same undated row of this period, if any."""
    same = {"date": None, "recorded": None}
    wanted = entry.model_copy(update=same)
    return next(
        (
            held
            for held in task.progress
            if stamp.start <= held.date <= stamp.end and held.model_copy(update=same) == wanted
        ),
        None,
    )


def _inputs(cells: Sequence[str]) -> dict[str, str]:
    """The input cells that hold something, by heading."""
    return {
        heading: cells[column]
        for heading, column in INPUT_COLUMNS.items()
        if column < len(cells) and cells[column]
    }


def _cell(cells: Sequence[str], column: int) -> str:
    return cells[column] if column < len(cells) else ""


def _clause_of(
    ref_text: str, item: StampRow, plan: Plan, registry: Registry, office: Unit, *, changed: Stamp
) -> TaskRef:
    """The clause the row is about: the one the form was made for, still the office's."""
    try:
        ref = parse_ref(ref_text)
    except UsageError:
        raise _RowRefused(f"序号“{ref_text}”不是任务或分工的写法（应为 {item.ref}）") from None
    task = plan.tasks_by_id.get(ref.task)
    number = ref.clause or 1
    if task is None or number > len(task.clauses) or (ref.clause is None and len(task.clauses) > 1):
        raise _RowRefused(f"计划中已没有分工 {ref_text}：请用新生成的表格重新填报")
    if not _owes(registry, office, task, number):
        owners = _owners(task, number)
        raise _RowRefused(
            f"{ref_text} 不是{office.name}的分工（{owners}）：这一行原为 {item.ref}，序号不能改"
        )
    if str(ref_text).strip() != item.ref:
        raise _RowRefused(f"序号由 {item.ref} 改成了 {ref_text}：序号不能改，请按原表格填报")
    if text_fingerprint(task.clauses[number - 1].text) != item.fingerprint:
        raise _RowRefused(
            f"分工 {item.ref} 的内容在表格生成（{month_day(changed.made)}）之后改过："
            "这一行答复的是旧内容，请用新生成的表格重新填报"
        )
    return ref


def _owes(registry: Registry, office: Unit, task: Task, clause: int) -> bool:
    """Tell whether the office has a duty in the clause: the roles its form lists."""
    return any(DUTIES.admits(role) for role in registry.roles(office, task.clauses[clause - 1]))


def _owners(task: Task, clause: int) -> str:
    named = task.clauses[clause - 1]
    parts = [f"牵头：{unit_list(named.lead)}"] if named.lead else []
    if named.responsible:
        parts.append(f"责任：{unit_list(named.responsible)}")
    return "，".join(parts) or "没有列出单位"


def _status(cell: str) -> Status | None:
    if not cell:
        return None
    text = _text(cell, "状态")
    try:
        return parse_status(text)
    except UsageError:
        choices = "、".join(status.value for status in Status)
        raise _RowRefused(f"状态“{text}”不是可选的状态：请从下拉列表中选择 {choices}") from None


def _text(cell: str, heading: str) -> str:
    """A cell's text, refused when it is a formula or holds control characters."""
    if not cell:
        return ""
    kind, value = cell[0], cell[1:]
    if kind == "f":
        raise _RowRefused(f"“{heading}”是公式（{value[:30]}）：请填写文字，不要用公式")
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    bad = next((char for char in text if _is_control(char)), None)
    if bad is not None:
        raise _RowRefused(
            f"“{heading}”含有控制字符 U+{ord(bad):04X}（多由复制粘贴带入）：请删去后重新输入"
        )
    return text


def _is_control(char: str) -> bool:
    if char in "\n\t":
        return False
    category = unicodedata.category(char)
    return category in ("Cc", "Cs", "Co", "Cn") or _BIDI.match(char) is not None


def _date(cell: str, stamp: Stamp, today: dt.date) -> tuple[dt.date, str]:
    """The row's date, within the period and not after today; blank: today or the period's end."""
    if not cell:
        taken = min(today, stamp.end)
        if taken < stamp.start:
            raise _RowRefused("日期未填，而填报期间尚未开始：请填写日期")
        return taken, f"日期未填，记为 {taken.isoformat()}"
    kind, value = cell[0], cell[1:]
    if kind == "f":
        raise _RowRefused(f"“日期”是公式（{value[:30]}）：请填写日期，如 {stamp.end.isoformat()}")
    day = _day_of(kind, value, stamp.start.year)
    if day is None:
        raise _RowRefused(f"日期“{value[:30]}”无法识别：请写成 {stamp.end.isoformat()} 这样的日期")
    if not stamp.start <= day <= stamp.end:
        raise _RowRefused(
            f"日期 {day.isoformat()} 不在填报期间（{stamp.start.isoformat()} 至 "
            f"{stamp.end.isoformat()}）内：请填写本期内的日期"
        )
    if day > today:
        raise _RowRefused(
            f"日期 {day.isoformat()} 晚于今天（{today.isoformat()}）：尚未发生的进展不能先报"
        )
    return day, ""


def _day_of(kind: str, value: str, year: int) -> dt.date | None:
    """The day a date cell holds: a date, Excel's day number, or text (9月15日 is this year's)."""
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(value).date()
        except ValueError:
            return None
    if kind == "n":
        try:
            serial = float(value)
        except ValueError:
            return None
        if not 1 <= serial <= 2958465:  # 9999-12-31, Excel's last day
            return None
        return _EXCEL_EPOCH + dt.timedelta(days=int(serial))
    if kind == "s":
        return written_date(value) or _month_day(value, year)
    return None


_MONTH_DAY = re.compile(r"(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?")


def _month_day(text: str, year: int) -> dt.date | None:
    found = _MONTH_DAY.fullmatch(half_width(text).strip())
    if found is None:
        return None
    try:
        return dt.date(year, int(found.group(1)), int(found.group(2)))
    except ValueError:
        return None
