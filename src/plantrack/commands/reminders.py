"""`digest` and `notify`: each office's reminder, read from the plan, shown or sent."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from plantrack.core import periods
from plantrack.core.digest import Digest, build_digest
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry
from plantrack.notify.config import SERVICE_NAMES, load_config
from plantrack.notify.robots import Sent, chosen_robots, preview, route, send
from plantrack.planfile.load import plan_for


def digests(
    *, plan: Path | None, depts: list[str], as_of: str | None, within: str | None
) -> list[Digest]:
    """The digest of each office named, or of every registered unit."""
    day = periods.today(as_of)
    timeline = Timeline(plan_for(plan, day=day).plan, as_of=day)
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
    found = digests(plan=plan, depts=[r.dept for r in robots], as_of=as_of, within=settings.within)
    routes = [route(robot, settings) for robot in robots]  # every address checked up front
    run_deadline = time.monotonic() + settings.run_timeout
    results = []
    for where, digest in zip(routes, found, strict=True):
        if dry_run:
            echo(preview(where, digest))
            results.append(Sent(digest.unit, SERVICE_NAMES[where.robot.service], 0, where.problem))
            continue
        results.append(send(where, digest, settings, run_deadline=run_deadline))
    return results
