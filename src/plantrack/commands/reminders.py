"""`digest` and `notify`: each office's reminder, read from the plan, shown or sent."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

from plantrack.commands.forms import form_file
from plantrack.core import periods
from plantrack.core.digest import Digest, build_digest
from plantrack.core.forms import OfficeForm, office_rows
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry
from plantrack.notify.config import SERVICE_NAMES, load_config
from plantrack.notify.robots import Attachment, Sent, chosen_robots, preview, route, send
from plantrack.planfile.load import LoadedPlan, plan_for


def digests(
    *, plan: Path | None, depts: list[str], as_of: str | None, within: str | None
) -> list[Digest]:
    """The digest of each office named, or of every registered unit."""
    day = periods.today(as_of)
    return _digests(plan_for(plan, day=day), depts, day, within)


def _digests(
    loaded: LoadedPlan, depts: list[str], day: dt.date, within: str | None
) -> list[Digest]:
    timeline = Timeline(loaded.plan, as_of=day)
    days = periods.parse_window(within, day) if within else timeline.plan.warn_days
    names = depts or [unit.name for unit in timeline.plan.units]
    registry = Registry(timeline.plan)
    return [build_digest(timeline, registry.resolve(n).name, as_of=day, within=days) for n in names]


def notify(
    *,
    plan: Path | None,
    config: Path | None,
    depts: list[str],
    as_of: str | None,
    dry_run: bool,
    echo: Callable[[str], None],
) -> list[Sent]:
    """Send each configured office its digest (or, with dry_run, show what would be sent)."""
    _, settings = load_config(config)
    robots = chosen_robots(settings, depts)
    day = periods.today(as_of)
    loaded = plan_for(plan, day=day)
    found = _digests(loaded, [r.dept for r in robots], day, settings.within)
    routes = [route(robot, settings) for robot in robots]  # every address checked up front
    run_deadline = time.monotonic() + settings.run_timeout
    results = []
    for where, digest in zip(routes, found, strict=True):
        attachment = _form_of(loaded, digest, day) if where.robot.attach_form else None
        if dry_run:
            echo(preview(where, digest, attachment))
            results.append(Sent(digest.unit, SERVICE_NAMES[where.robot.service], 0, where.problem))
            continue
        results.append(
            send(where, digest, settings, run_deadline=run_deadline, attachment=attachment)
        )
    return results


def _form_of(loaded: LoadedPlan, digest: Digest, day: dt.date) -> Attachment | None:
    """The office's form for this quarter, when it owes one and has not replied."""
    if digest.form_due is None:
        return None
    quarter = periods.parse_quarter("current", day)
    rows = office_rows(Timeline(loaded.plan, as_of=day), digest.unit, quarter)
    office = OfficeForm(digest.unit, rows)
    name, data = form_file(loaded, office, quarter, made=day, due=digest.form_due)
    return Attachment(name, data)
