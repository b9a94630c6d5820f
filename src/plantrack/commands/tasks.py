"""`tasks`, `show` and `due`: the plan read as of a day, and the question answered."""

from __future__ import annotations

from pathlib import Path

from plantrack.core import periods
from plantrack.core.answers import (
    DueListing,
    TaskDetail,
    TaskListing,
    due_listing,
    task_detail,
    task_listing,
)
from plantrack.core.refs import parse_status
from plantrack.core.selection import DUTIES, Involvement
from plantrack.core.timeline import Timeline
from plantrack.planfile.load import plan_for


def list_tasks(
    *,
    plan: Path | None,
    dept: str | None,
    involvement: Involvement = DUTIES,
    section: int | None,
    status: str | None,
    as_of: str | None = None,
) -> TaskListing:
    """Tasks matching the filters of `plantrack tasks`, as they stood on --as-of."""
    wanted = parse_status(status) if status else None
    day = periods.today(as_of)
    timeline = Timeline(plan_for(plan, day=day).plan, as_of=day)
    return task_listing(
        timeline, dept=dept, involvement=involvement, section=section, status=wanted
    )


def show_task(*, plan: Path | None, task: str, as_of: str | None = None) -> TaskDetail:
    """One task in full as it stood on --as-of, or a usage error naming the valid ids."""
    day = periods.today(as_of)
    return task_detail(Timeline(plan_for(plan, day=day).plan, as_of=day), task)


def due(
    *,
    plan: Path | None,
    dept: str | None,
    as_of: str | None,
    within: str,
    quarter: str | None,
    involvement: Involvement = DUTIES,
) -> DueListing:
    """Occurrences overdue or due soon (or within a quarter) for a unit or the whole plan."""
    day = periods.today(as_of)
    window = periods.parse_window(within, day)
    period = periods.parse_quarter(quarter, day) if quarter else None
    timeline = Timeline(plan_for(plan, day=day, period=period).plan, as_of=day)
    return due_listing(timeline, dept=dept, window=window, period=period, involvement=involvement)
