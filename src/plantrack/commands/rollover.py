"""`rollover`: the clauses a year left unfinished, carried into next year's plan (结转).

Each clause not done by the end of the year becomes a task of a section 上年度结转任务 in
next year's plan, with its text, units, last status and note, and where it came from
(`carried_from: 2023/7.3`). Done clauses stay behind, and so do standing duties (a task with
a recurring deadline): next year's plan states its own. An existing plan is changed only by
lines added at the end of its lists, never re-dumped; running it again adds nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from plantrack.core.domain import Status
from plantrack.core.errors import UsageError
from plantrack.core.model import Clause, Collective, Plan, Task, Unit
from plantrack.core.timeline import Timeline
from plantrack.planfile import files, load
from plantrack.planfile.splice import Layout
from plantrack.planfile.yamltext import Splice, apply, insert_lines, scalar

SECTION_TITLE = "上年度结转任务"


class Carried(NamedTuple):
    """One clause carried over: where from, the task it becomes, and its last state."""

    origin: str
    task: Task
    clause: Clause
    status: Status
    note: str


class Rolled(NamedTuple):
    """What a rollover did, or would do with --dry-run."""

    target: Path
    carried: list[Carried]
    skipped: int  # already carried by an earlier run
    written: bool


def rollover(*, plan: Path | None, to: Path, dry_run: bool) -> Rolled:
    """Carry the unfinished clauses of plan's year into the plan at to (made if missing)."""
    old = load.load_plan(plan or load.find_plan(None, year=_year_of(to) - 1)).plan
    every = unfinished(old)
    if not to.exists():
        text = _new_plan(old, every)
        load.parse_plan(text, str(to))  # never write a plan `check` would refuse
        if every and not dry_run:
            files.write_output_file(to, text.encode("utf-8"))
        return Rolled(to, every, 0, bool(every) and not dry_run)
    with files.editing(to, lock=not dry_run) as opened:
        before = load.decode(opened.data, str(to))
        existing, source, _ = load.parse_with_spans(before, str(to))
        if existing.year != old.year + 1:
            raise UsageError(
                f"{to} 是 {existing.year} 年的计划：{old.year} 年的工作只能结转到 {old.year + 1} 年"
            )
        done_before = {task.carried_from for task in existing.tasks}
        carried = [item for item in every if item.origin not in done_before]
        text = _added(Layout(before, source, ()), existing, old, carried, to)
        load.parse_plan(text, str(to))  # never write a plan `check` would refuse
        written = bool(carried) and not dry_run
        if written:
            bom = files.BOM if opened.data.startswith(files.BOM) else b""
            opened.replace(bom + text.encode("utf-8"))
    return Rolled(to, carried, len(every) - len(carried), written)


def unfinished(plan: Plan) -> list[Carried]:
    """Each clause not done by the year's end, standing duties aside, in document order."""
    timeline = Timeline(plan)  # everything known now, entries made in January included
    found = []
    for task in plan.tasks:
        if any(deadline.every for deadline in task.deadlines):
            continue  # a standing duty: next year's plan states its own
        for index, clause in enumerate(task.clauses):
            status = timeline.clause_status(task, index)
            if status is not Status.DONE:
                origin = f"{plan.year}/{task.clause_ref(index + 1)}"
                found.append(
                    Carried(origin, task, clause, status, _last_note(timeline, task, index))
                )
    return found


def _last_note(timeline: Timeline, task: Task, index: int) -> str:
    notes = [
        f"{entry.note}（{entry.date}）"
        for entry in timeline.entries(task)
        if entry.note and (entry.clause is None or entry.clause == index + 1)
    ]
    return notes[-1] if notes else ""


def _year_of(path: Path) -> int:
    if path.stem.isdigit():
        return int(path.stem)
    raise UsageError(f"{path}：请用 --plan 指定上一年的计划，或把新计划命名为 plans/<年份>.yaml")


# --- writing ------------------------------------------------------------------------------


def _task_lines(item: Carried, task_id: int, indent: str) -> list[str]:
    clause, status = item.clause, item.status
    last = status.value + (f"：{item.note}" if item.note else "")
    lines = [
        f"{indent}- id: {task_id}",
        f"{indent}  title: {scalar(item.task.title)}",
        f"{indent}  carried_from: {scalar(item.origin)}",
        f"{indent}  carried_note: {scalar(last)}",
        f"{indent}  clauses:",
        f"{indent}    - text: {scalar(clause.text)}",
    ]
    if clause.assignment:
        lines.append(f"{indent}      assignment: {scalar(clause.assignment)}")
    for role in ("lead", "responsible", "support"):
        names: list[str] = getattr(clause, role)
        if names or role != "support":
            lines.append(f"{indent}      {role}: [{', '.join(scalar(n) for n in names)}]")
    if clause.unassigned:
        lines.append(f"{indent}      unassigned: true")
    # Done clauses stay behind; one carried over starts its new year where it stood.
    lines.append(f"{indent}      status: {status.value}")
    return lines


def _section_lines(number: int, items: list[Carried], first_id: int, indent: str) -> list[str]:
    lines = [
        f"{indent}- number: {number}",
        f"{indent}  title: {SECTION_TITLE}",
        f"{indent}  tasks:",
    ]
    for offset, item in enumerate(items):
        lines += _task_lines(item, first_id + offset, indent + "    ")
    return lines


def _unit_lines(unit: Unit, indent: str) -> list[str]:
    lines = [f"{indent}- name: {scalar(unit.name)}", f"{indent}  group: {scalar(unit.group)}"]
    if unit.aliases:
        lines.append(f"{indent}  aliases: [{', '.join(scalar(a) for a in unit.aliases)}]")
    return lines


def _collective_lines(collective: Collective, indent: str) -> list[str]:
    lines = [f"{indent}- name: {scalar(collective.name)}"]
    if collective.group:
        lines.append(f"{indent}  group: {scalar(collective.group)}")
    lines.append(f"{indent}  scope: {collective.scope}")
    return lines


def _new_plan(old: Plan, carried: list[Carried]) -> str:
    year = old.year + 1
    title = old.title.replace(str(old.year), str(year), 1)
    lines = [
        "# yaml-language-server: $schema=../schema/plan.schema.json",
        f"# {year} 年的计划，由 plantrack rollover 从 {old.year} 年的计划结转未完成的分工而成。",
        "# 标题由上一年的标题推出；收到新一年的工作要点后，请核对标题并补上新的部分和任务。",
        f"title: {scalar(title)}",
        f"year: {year}",
        f"warn_days: {old.warn_days}",
        "units:",
    ]
    for unit in old.units:
        lines += _unit_lines(unit, "  ")
    if old.collectives:
        lines.append("collectives:")
        for collective in old.collectives:
            lines += _collective_lines(collective, "  ")
    lines.append("sections:")
    lines += _section_lines(1, carried, 1, "  ")
    return "\n".join(lines) + "\n"


def _added(layout: Layout, existing: Plan, old: Plan, carried: list[Carried], to: Path) -> str:
    """The existing plan's text with the missing units and the carried section appended."""
    text = layout.text
    if not carried:
        return text
    needed = {
        name
        for item in carried
        for role in ("lead", "responsible", "support")
        for name in getattr(item.clause, role)
    }
    splices: list[Splice] = []
    known = {unit.name for unit in existing.units}
    missing = [u for u in old.units if u.name not in known and u.name in needed]
    if missing:
        lines = [line for unit in missing for line in _unit_lines(unit, _indent(layout, "units"))]
        splices.append(_after_last(layout, "units", len(existing.units), lines))
    have = {c.name for c in existing.collectives}
    lacking = [c for c in old.collectives if c.name not in have and c.name in needed]
    if lacking and not existing.collectives:
        raise UsageError(
            f"{to} 没有 collectives 一节：请先从 {old.year} 年的计划抄来所需的统称，再结转"
        )
    if lacking:
        indent = _indent(layout, "collectives")
        lines = [line for c in lacking for line in _collective_lines(c, indent)]
        splices.append(_after_last(layout, "collectives", len(existing.collectives), lines))
    number = max(section.number for section in existing.sections) + 1
    first_id = max((task.id for task in existing.tasks), default=0) + 1
    lines = _section_lines(number, carried, first_id, _indent(layout, "sections"))
    splices.append(_after_last(layout, "sections", len(existing.sections), lines))
    return apply(text, splices)


def _indent(layout: Layout, key: str) -> str:
    return " " * layout.dash_column((key,))


def _after_last(layout: Layout, key: str, count: int, lines: list[str]) -> Splice:
    """New items after the last of the list at key, in the file's own line endings."""
    return insert_lines(layout.text, layout.line_after((key, count - 1)), lines)
