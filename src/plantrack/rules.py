"""Checks across fields that a schema alone cannot express; each yields (loc, message, at_key)."""

from __future__ import annotations

from collections.abc import Iterator

from plantrack import schedule
from plantrack.model import Plan
from plantrack.units import Registry

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str, bool]


def check(plan: Plan) -> list[Finding]:
    """Return every cross-field problem of a plan that passed schema validation."""
    registry = Registry(plan)
    return [
        *_registry_findings(plan, registry),
        *_numbering_findings(plan),
        *_unit_reference_findings(plan, registry),
        *_progress_findings(plan),
    ]


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
                yield loc, message, False
            seen.setdefault(spelling, unit.name)
    for i, collective in enumerate(plan.collectives):
        if collective.name in seen:
            yield ("collectives", i, "name"), f"统称“{collective.name}”与单位名称重复", False
        if collective.group is not None and collective.group not in registry.groups:
            groups = "、".join(registry.groups)
            message = (
                f"统称“{collective.name}”的类别“{collective.group}”没有任何单位：可选 {groups}"
            )
            yield ("collectives", i, "group"), message, False


def _numbering_findings(plan: Plan) -> Iterator[Finding]:
    section_lines: set[int] = set()
    task_ids: set[int] = set()
    for s, section in enumerate(plan.sections):
        if section.number in section_lines:
            yield (
                ("sections", s, "number"),
                f"部分编号 {section.number} 重复：请改为唯一编号",
                False,
            )
        section_lines.add(section.number)
        for t, task in enumerate(section.tasks):
            if task.id in task_ids:
                message = f"任务编号 {task.id} 重复：每个任务的 id 必须唯一"
                yield ("sections", s, "tasks", t, "id"), message, False
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
                            yield loc, _unknown_unit(name, registry), False


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
            if not task.progress:
                continue
            keys = {occ.key for occ in schedule.occurrences(task, plan)}
            for p, entry in enumerate(task.progress):
                loc: Loc = ("sections", s, "tasks", t, "progress", p)
                if entry.date.year < plan.year:
                    message = f"进展日期 {entry.date} 早于计划年度 {plan.year} 年：请检查年份"
                    yield (*loc, "date"), message, False
                if entry.clause is not None and entry.clause > len(task.clauses):
                    message = (
                        f"任务 {task.id} 只有 {len(task.clauses)} 项分工，没有第 {entry.clause} 项"
                    )
                    yield (*loc, "clause"), message, False
                if entry.occurrence is not None and entry.occurrence not in keys:
                    valid = "、".join(sorted(keys)) or "（无）"
                    message = f"任务 {task.id} 没有“{entry.occurrence}”这一时限：可选 {valid}"
                    yield (*loc, "occurrence"), message, False
