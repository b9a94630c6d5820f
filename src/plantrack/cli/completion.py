"""Shell completion: the plan's units, tasks, clauses, statuses and occurrences, as typed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import typer

if TYPE_CHECKING:
    from plantrack.core.model import Plan

CompletionKind = Literal["unit", "task", "target", "status", "occurrence"]


def completer(kind: CompletionKind) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """A shell-completion callback offering the plan's units, tasks, statuses or occurrences."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        params = ctx.params
        # Completing an option's value, the arguments before it are left unparsed in ctx.args.
        task = params.get("target") or params.get("task")
        task = task or next((arg for arg in ctx.args if arg[:1].isdigit()), None)
        return completions(
            kind, incomplete, plan=params.get("plan"), task=str(task) if task else None
        )

    return complete


def completions(
    kind: CompletionKind, incomplete: str, *, plan: Path | None = None, task: str | None = None
) -> list[tuple[str, str]]:
    """Values the shell may offer for what is being typed, each with a short description.

    Completion runs as the user types: a plan that cannot be read offers nothing rather
    than an error. The plan is read only here, when the shell asks, never at start-up.
    """
    from plantrack.core import periods
    from plantrack.core.domain import STATUS_ALIASES
    from plantrack.planfile.load import plan_for

    if kind == "status":
        choices = [(s.value, alias) for alias, s in STATUS_ALIASES.items()]
        choices += [(alias, s.value) for alias, s in STATUS_ALIASES.items()]
        return [c for c in choices if c[0].startswith(incomplete)]
    try:
        loaded = plan_for(plan, day=periods.today()).plan
    except Exception:
        return []
    return [
        c
        for c in _plan_choices(kind, loaded, task)
        if c[0].casefold().startswith(incomplete.casefold())
    ]


def _plan_choices(kind: CompletionKind, plan: Plan, task: str | None) -> list[tuple[str, str]]:
    from plantrack.core.schedule import occurrences
    from plantrack.core.wording import occurrence_handle, occurrence_name

    if kind == "unit":
        choices = [(u.name, u.group) for u in plan.units]
        return choices + [(a, u.name) for u in plan.units for a in u.aliases]
    if kind in ("task", "target"):
        choices = [(str(t.id), t.title) for t in plan.tasks]
        if kind == "target":
            choices += [
                (f"{t.id}.{i}", clause.text[:20])
                for t in plan.tasks
                if len(t.clauses) > 1
                for i, clause in enumerate(t.clauses, start=1)
            ]
        return choices
    found = plan.tasks_by_id.get(int(task.split(".")[0])) if task and task[:1].isdigit() else None
    if found is None:
        return []
    items = occurrences(found, plan)
    # The id, and the short name plantrack prints (第二季度, 安全生产月), which works as well.
    named = [(occurrence_handle(o), o.key) for o in items if occurrence_handle(o) != o.key]
    return [(o.key, occurrence_name(o)) for o in items] + named
