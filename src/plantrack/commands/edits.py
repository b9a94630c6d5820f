"""`mark`, `log` and `actual`: what was typed, turned into an entry and written into the plan."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from pathlib import Path

from plantrack.core import periods
from plantrack.core.errors import UsageError
from plantrack.core.model import Progress
from plantrack.core.numerals import half_width
from plantrack.core.refs import parse_ref, parse_status
from plantrack.gitops import git
from plantrack.planfile import load
from plantrack.planfile.edit import Outcome, log, mark, postpone, record_value


@dataclass(frozen=True)
class Request:
    """An edit as asked on the command line, before anything is parsed."""

    plan: Path | None
    target: str
    note: str = ""
    date: str | None = None
    by: str | None = None
    as_of: str | None = None
    dry_run: bool = False

    @property
    def dated(self) -> bool:
        """Whether the entry's day was given (--date), rather than taken as the day it is written."""
        return self.date is not None


def mark_request(request: Request, status: str, *, occurrence: str | None) -> Outcome:
    """`plantrack mark`: parse what was asked, then set the status and log it."""
    ref = parse_ref(request.target)
    wanted = parse_status(status)
    path, entry, day = _request_entry(request, occurrence=occurrence)
    return mark(path, ref, wanted, entry, as_of=day, dry_run=request.dry_run, dated=request.dated)


def log_request(request: Request) -> Outcome:
    """`plantrack log`: parse what was asked, then append the note."""
    ref = parse_ref(request.target)
    path, entry, day = _request_entry(request, occurrence=None)
    return log(path, ref, entry, as_of=day, dry_run=request.dry_run, dated=request.dated)


def actual_request(request: Request, value: str, *, target: str | None) -> Outcome:
    """`plantrack actual`: record a target's value on a date, as an entry of the log."""
    ref = parse_ref(request.target)
    if ref.clause is not None:
        raise UsageError(f"目标属于整项任务：请写任务序号 {ref.task}，不要写分工 {ref}")
    number = parse_value(value)
    percent = "%" in value.replace("％", "%")
    path, entry, day = _request_entry(request, occurrence=None)
    return record_value(
        path,
        ref,
        target,
        number,
        entry,
        as_of=day,
        dry_run=request.dry_run,
        dated=request.dated,
        percent=percent,
    )


def postpone_request(request: Request, new_date: str, *, occurrence: str | None) -> Outcome:
    """`plantrack postpone`: move a deadline to a later date, with the reason, from today on."""
    ref = parse_ref(request.target)
    if not request.note.strip():
        raise UsageError("延期须写明原因：请加 --reason，如 --reason 等待上级文件")
    moved_to = periods.parse_date(new_date, option="新的时限")
    path, entry, day = _request_entry(request, occurrence=occurrence)
    entry = entry.model_copy(update={"postponed_to": moved_to})
    return postpone(path, ref, entry, as_of=day, dry_run=request.dry_run, dated=request.dated)


def parse_value(text: str) -> float:
    """85, 85%, 85.5 or ８５％ as a finite number."""
    cleaned = half_width(text.strip().replace("％", "%").rstrip("%").strip())
    try:
        number = float(cleaned)
    except ValueError:
        raise UsageError(f"实际值“{text}”不是数字：请写数字，如 85 或 85%") from None
    if not math.isfinite(number):
        raise UsageError(f"实际值“{text}”不是一个确定的数：请写数字，如 85 或 85%")
    return number


def _request_entry(request: Request, *, occurrence: str | None) -> tuple[Path, Progress, dt.date]:
    """The plan to write to, the entry to add, and the day it is written on.

    An entry about another day than the one it is written on carries `recorded:`, so an
    answer as of an earlier day stays what it was. A given --date picks its year's plan:
    closing 2023 in January writes to plans/2023.yaml.
    """
    today = periods.today(request.as_of)
    day = periods.parse_date(request.date, option="--date") if request.date is not None else today
    path = load.find_plan(request.plan, year=day.year)
    by = request.by if request.by is not None else git.user_name(path.resolve().parent)
    entry = Progress(
        date=day,
        note=request.note.strip(),
        by=by or None,
        occurrence=occurrence,
        recorded=today if day != today else None,
    )
    return path, entry, today
