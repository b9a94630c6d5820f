"""Checks across fields that a schema alone cannot express, each with a stable rule code.

`check` finds every problem of a whole plan; the small checks below it also vet a single
edit (`task_message`, `entry_messages`), so `mark` refuses exactly what `check` would flag.
"""

from __future__ import annotations

from collections.abc import Iterator

from plantrack import schedule
from plantrack.model import Plan, Progress, Task
from plantrack.problems import Finding, Loc
from plantrack.units import Registry


def check(plan: Plan) -> list[Finding]:
    """Return every cross-field problem of a plan that passed schema validation."""
    registry = Registry(plan)
    return [
        *_registry_findings(plan, registry),
        *_numbering_findings(plan),
        *_unit_reference_findings(plan, registry),
        *_progress_findings(plan),
    ]


def task_message(plan: Plan, task_id: int, clause: int | None = None) -> str | None:
    """Why task_id (or its clause, 1-based) names nothing in the plan; None when it exists."""
    task = plan.tasks_by_id.get(task_id)
    if task is None:
        ids = sorted(plan.tasks_by_id)
        return f"没有序号为 {task_id} 的任务：可选 {ids[0]}–{ids[-1]}"
    if clause is not None:
        return _clause_message(task, clause)
    return None


def _clause_message(task: Task, clause: int) -> str | None:
    count = len(task.clauses)
    if 1 <= clause <= count:
        return None
    choices = "、".join(f"{task.id}.{i}" for i in range(1, count + 1))
    return f"任务 {task.id} 只有 {count} 项分工，没有第 {clause} 项：可选 {choices}"


def entry_messages(plan: Plan, task: Task, entry: Progress) -> Iterator[tuple[str, str, str]]:
    """Problems of one progress entry of task, as (field, rule, message)."""
    if entry.date.year < plan.year:
        message = f"进展日期 {entry.date} 早于计划年度 {plan.year} 年：请检查年份"
        yield "date", "progress-before-plan-year", message
    if entry.clause is not None:
        clause_problem = _clause_message(task, entry.clause)
        if clause_problem:
            yield "clause", "progress-unknown-clause", clause_problem
    if entry.occurrence is not None:
        keys = [occ.key for occ in schedule.occurrences(task, plan)]
        if entry.occurrence not in keys:
            valid = "、".join(keys)
            message = f"任务 {task.id} 没有“{entry.occurrence}”这一时限：可选 {valid}"
            yield "occurrence", "progress-unknown-occurrence", message


def _registry_findings(plan: Plan, registry: Registry) -> Iterator[Finding]:
    seen: dict[str, str] = {}
    for i, unit in enumerate(plan.units):
        spellings: list[tuple[Loc, str]] = [(("units", i, "name"), unit.name)]
        spellings += [(("units", i, "aliases", j), alias) for j, alias in enumerate(unit.aliases)]
        for loc, spelling in spellings:
            if spelling in seen:
                owner = seen[spelling]
                what = "重复登记" if owner == spelling else f"已是“{owner}”的名称或简称"
                message = f"单位名称“{spelling}”{what}：单位的全称和简称都不能重复"
                yield Finding(loc, "unit-name-duplicate", message)
            seen.setdefault(spelling, unit.name)
    for i, collective in enumerate(plan.collectives):
        if collective.name in seen:
            message = f"统称“{collective.name}”与单位名称重复"
            yield Finding(("collectives", i, "name"), "collective-name-duplicate", message)
        if collective.group is not None and collective.group not in registry.groups:
            groups = "、".join(registry.groups)
            message = (
                f"统称“{collective.name}”的类别“{collective.group}”没有任何单位：可选 {groups}"
            )
            yield Finding(("collectives", i, "group"), "collective-group-unknown", message)


def _numbering_findings(plan: Plan) -> Iterator[Finding]:
    section_numbers: set[int] = set()
    task_ids: set[int] = set()
    for s, section in enumerate(plan.sections):
        if section.number in section_numbers:
            message = f"部分编号 {section.number} 重复：请改为唯一编号"
            yield Finding(("sections", s, "number"), "section-number-duplicate", message)
        section_numbers.add(section.number)
        for t, task in enumerate(section.tasks):
            if task.id in task_ids:
                message = f"任务编号 {task.id} 重复：每个任务的 id 必须唯一"
                yield Finding(("sections", s, "tasks", t, "id"), "task-id-duplicate", message)
            task_ids.add(task.id)


def _unit_reference_findings(plan: Plan, registry: Registry) -> Iterator[Finding]:
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            for c, clause in enumerate(task.clauses):
                for role in ("lead", "responsible", "support"):
                    names: list[str] = getattr(clause, role)
                    for n, name in enumerate(names):
                        if not registry.is_known(name):
                            loc: Loc = ("sections", s, "tasks", t, "clauses", c, role, n)
                            yield Finding(loc, "unit-unknown", _unknown_unit(name, registry))


def _unknown_unit(name: str, registry: Registry) -> str:
    unit = registry.aliases.get(name)
    if unit is not None:
        return f"“{name}”是简称：请写全称“{unit.name}”"
    close = registry.suggest(name)
    hint = f"是否指 {'、'.join(close)}？" if close else ""
    return f"未登记的单位“{name}”。{hint}请改用 units 中的全称，或先在 units 中登记该单位"


def _progress_findings(plan: Plan) -> Iterator[Finding]:
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            for p, entry in enumerate(task.progress):
                for field, rule, message in entry_messages(plan, task, entry):
                    yield Finding(("sections", s, "tasks", t, "progress", p, field), rule, message)
