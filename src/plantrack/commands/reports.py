"""`report` and `export`: the plan read as of a day, made into the bytes of a file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from plantrack.core import periods
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.model import Plan
from plantrack.core.periods import Period
from plantrack.core.selection import DUTIES, Involvement, scope
from plantrack.core.timeline import Timeline
from plantrack.output.formats import EXPORT_FORMATS, REPORT_FORMATS, Format, Job, binary_refusal
from plantrack.planfile import files
from plantrack.planfile.load import load_plan, plan_for


class Rendered(NamedTuple):
    """A file's bytes, the file they go to (None: standard output), and the plan they came from."""

    data: bytes
    output: Path | None
    source: Path


PERIOD_FIELD = "{period}"


def report(
    name: str,
    *,
    plan: Path | None,
    quarter: str | None,
    start: str | None,
    end: str | None,
    dept: str | None,
    as_of: str | None,
    templates: Path | None,
    output: Path | None,
    year: int | None = None,
    involvement: Involvement | None = None,
    doc_number: str = "",
) -> Rendered:
    """A progress report over a quarter or a custom period, in the named format.

    `{period}` in the output path becomes the period, e.g. 进展报告-{period}.md -> 进展报告-2023Q4.md,
    so a scheduled job asking for `previous` names its file after the quarter it got.
    """
    day = periods.today(as_of)
    period = periods.report_period(quarter, start, end, day, year)
    who = _Who(dept, involvement)
    data, source = _render(
        REPORT_FORMATS, name, plan, who, day, output, period, templates, doc_number=doc_number
    )
    if output is None or PERIOD_FIELD not in str(output):
        return Rendered(data, output, source)
    return Rendered(data, Path(str(output).replace(PERIOD_FIELD, period.slug)), source)


def export(
    name: str,
    *,
    plan: Path | None,
    dept: str | None,
    as_of: str | None,
    output: Path | None,
    involvement: Involvement | None = None,
) -> Rendered:
    """The plan, or one unit's part of it, in the named export format."""
    day = periods.today(as_of)
    who = _Who(dept, involvement)
    data, source = _render(EXPORT_FORMATS, name, plan, who, day, output, None, None)
    return Rendered(data, output, source)


class _Who(NamedTuple):
    """The unit a file is for, and which of its roles count."""

    dept: str | None
    involvement: Involvement | None


def _render(
    registry: dict[str, Format],
    name: str,
    plan: Path | None,
    who: _Who,
    day: dt.date,
    output: Path | None,
    period: Period | None,
    templates: Path | None,
    *,
    doc_number: str = "",
) -> tuple[bytes, Path]:
    """The file's bytes, made from the plan for the day (or period), and the plan's path."""
    refusal = binary_refusal(registry, name)
    if refusal and output is None:
        raise UsageError(refusal)
    loaded = plan_for(plan, day=day, period=period)
    timeline = Timeline(loaded.plan, as_of=day)
    chosen = scope(timeline, who.dept, who.involvement or DUTIES)
    following = (
        _next_year_plan(loaded.path, loaded.plan.year) if period and period.is_year else None
    )
    job = Job(timeline, chosen, day, period, templates, following, doc_number)
    return registry[name].write(job), loaded.path


def _next_year_plan(path: Path, year: int) -> Plan | None:
    """The next year's plan beside this one (plans/2024.yaml beside 2023.yaml), if it is valid."""
    following = path.with_name(f"{year + 1}{path.suffix}")
    if not files.is_file(following):
        return None
    try:
        return load_plan(following).plan
    except PlantrackError:
        return None  # a draft still being written: the report's part says there is none
