"""Checks across fields that a schema alone cannot express, each with a stable rule code.

`check` finds every problem of a whole plan; the small checks below it also vet a single
edit (`task_message`, `entry_messages`), so `mark` refuses exactly what `check` would flag.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from plantrack.core import history, schedule
from plantrack.core import rule_codes as codes
from plantrack.core.assignments import TO_FILL_IN, read_assignment
from plantrack.core.model import Clause, Plan, Progress, Task
from plantrack.core.problems import Finding, Loc
from plantrack.core.refs import occurrence_problem, postponed_occurrence
from plantrack.core.units import Registry
from plantrack.core.wording import ROLE_WORDS, did_you_mean


def check(plan: Plan, *, as_of: dt.date | None = None) -> list[Finding]:
    """Return every cross-field problem of a plan that passed schema validation.

    as_of is the day the check is made: progress entries dated after it are refused.
    """
    registry = Registry(plan)
    numbering = list(_numbering_findings(plan))
    names: list[Finding] = [
        *_registry_findings(plan, registry),
        *_unit_reference_findings(plan, registry),
    ]
    findings = [*names, *numbering]
    if not names:
        # An unknown or doubled name is one mistake: it is not said again as a disagreement.
        findings += _assignment_findings(plan, registry)
    findings += _progress_findings(plan, as_of)
    findings += _deadline_findings(plan)
    if not numbering:
        # Replaying the log needs each task id to name one task.
        findings += _status_findings(plan)
    return findings


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


def entry_messages(
    plan: Plan, task: Task, entry: Progress, *, as_of: dt.date | None = None
) -> Iterator[tuple[str, str, str]]:
    """Problems of one progress entry of task, as (field, rule, message)."""
    if entry.date.year != plan.year:
        message = f"进展日期 {entry.date} 不在计划年度 {plan.year} 年内：请检查年份"
        yield "date", codes.PROGRESS_OUTSIDE_YEAR, message
    elif as_of is not None and entry.date > as_of:
        message = f"进展日期 {entry.date} 晚于 {as_of}（--as-of 或今天）：尚未发生的进展不能先记"
        yield "date", codes.PROGRESS_AFTER_AS_OF, message
    if entry.recorded is not None and entry.recorded < entry.date:
        message = (
            f"记录日期 {entry.recorded} 早于进展日期 {entry.date}：事情发生之前不能记下它，"
            "请改正 recorded 或 date"
        )
        yield "recorded", codes.PROGRESS_RECORDED_BEFORE_DATE, message
    elif entry.recorded is not None and as_of is not None and entry.recorded > as_of:
        message = f"记录日期 {entry.recorded} 晚于 {as_of}（--as-of 或今天）：请检查 recorded"
        yield "recorded", codes.PROGRESS_AFTER_AS_OF, message
    if entry.clause is not None:
        clause_problem = _clause_message(task, entry.clause)
        if clause_problem:
            yield "clause", codes.PROGRESS_UNKNOWN_CLAUSE, clause_problem
    if entry.occurrence is not None:
        found = schedule.occurrences(task, plan)
        problem = occurrence_problem(task.id, found, entry.occurrence)
        if problem:
            yield "occurrence", codes.PROGRESS_UNKNOWN_OCCURRENCE, problem
    if entry.postponed_to is not None:
        problem = postponement_problem(plan, task, entry)
        if problem:
            yield "postponed_to", codes.POSTPONEMENT_INVALID, problem
    if entry.target is not None and entry.target not in {t.name for t in task.targets}:
        names = "、".join(t.name for t in task.targets) or "（该任务没有量化目标）"
        message = f"任务 {task.id} 没有名为“{entry.target}”的目标：可选 {names}"
        yield "target", codes.PROGRESS_UNKNOWN_TARGET, message


def postponement_problem(plan: Plan, task: Task, entry: Progress) -> str | None:
    """Why a postponement cannot stand: no deadline named, earlier than before, another year."""
    new = entry.postponed_to
    assert new is not None
    occ = postponed_occurrence(schedule.occurrences(task, plan), entry)
    if occ is None or occ.date is None:
        return f"任务 {task.id} 有几个时限：延期须用 occurrence 写明延的是哪一个"
    if new <= occ.date:
        return f"延期后的日期 {new} 不晚于原时限 {occ.date}：延期只能往后推，请检查日期"
    if new.year != plan.year:
        return f"延期后的日期 {new} 不在计划年度 {plan.year} 年内：跨年的工作请在年终结转到下一年的计划"
    return None


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
                yield Finding(loc, codes.UNIT_NAME_DUPLICATE, message)
            seen.setdefault(spelling, unit.name)
    for i, collective in enumerate(plan.collectives):
        if collective.name in seen:
            message = f"统称“{collective.name}”与单位名称重复"
            yield Finding(("collectives", i, "name"), codes.COLLECTIVE_NAME_DUPLICATE, message)
        if collective.group is not None and collective.group not in registry.groups:
            groups = "、".join(registry.groups)
            message = (
                f"统称“{collective.name}”的类别“{collective.group}”没有任何单位：可选 {groups}"
            )
            yield Finding(("collectives", i, "group"), codes.COLLECTIVE_GROUP_UNKNOWN, message)


def _numbering_findings(plan: Plan) -> Iterator[Finding]:
    section_numbers: set[int] = set()
    task_ids: set[int] = set()
    for s, section in enumerate(plan.sections):
        if section.number in section_numbers:
            message = f"部分编号 {section.number} 重复：请改为唯一编号"
            yield Finding(("sections", s, "number"), codes.SECTION_NUMBER_DUPLICATE, message)
        section_numbers.add(section.number)
        for t, task in enumerate(section.tasks):
            if task.id in task_ids:
                message = f"任务编号 {task.id} 重复：每个任务的 id 必须唯一"
                yield Finding(("sections", s, "tasks", t, "id"), codes.TASK_ID_DUPLICATE, message)
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
                            yield Finding(loc, codes.UNIT_UNKNOWN, _unknown_unit(name, registry))


def _unknown_unit(name: str, registry: Registry) -> str:
    if name == TO_FILL_IN:
        return (
            f"这里还没有填写单位（导入草稿留下的“{TO_FILL_IN}”）：请按原文填上牵头或责任单位，"
            "并在 units 中登记；原文确实没有分工的，删去这一行，写 unassigned: true"
        )
    unit = registry.aliases.get(name)
    if unit is not None:
        return f"“{name}”是简称：请写全称“{unit.name}”"
    parts = [part.strip() for part in re.split("[，、；;]", name) if part.strip()]
    if len(parts) > 1 and all(registry.is_known(_full_name(p, registry)) for p in parts):
        listed = ", ".join(_full_name(p, registry) for p in parts)
        return f"“{name}”是几个单位写在了一起：单位之间请用英文逗号分隔，写成 [{listed}]"
    close = registry.suggest(name)
    if close and all(c in registry.collectives for c in close):
        return (
            f"未登记的统称“{name}”。{did_you_mean(close)}"
            "请改用 collectives 中登记的统称，或先在 collectives 中登记它"
        )
    hint = did_you_mean(close)
    return f"未登记的单位“{name}”。{hint}请改用 units 中的全称，或先在 units 中登记该单位"


def _tasks_with_locs(plan: Plan) -> Iterator[tuple[Loc, Task]]:
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            yield ("sections", s, "tasks", t), task


def progress_findings(plan: Plan, as_of: dt.date | None) -> list[Finding]:
    """The problems of the progress entries alone: all that as_of can add to a valid plan."""
    return list(_progress_findings(plan, as_of))


def _progress_findings(plan: Plan, as_of: dt.date | None) -> Iterator[Finding]:
    for loc, task in _tasks_with_locs(plan):
        for p, entry in enumerate(task.progress):
            for field, rule, message in entry_messages(plan, task, entry, as_of=as_of):
                yield Finding((*loc, "progress", p, field), rule, message)


def _deadline_findings(plan: Plan) -> Iterator[Finding]:
    """A deadline given to one clause must name a clause the task has."""
    for loc, task in _tasks_with_locs(plan):
        for d, deadline in enumerate(task.deadlines):
            if deadline.clause is not None:
                problem = _clause_message(task, deadline.clause)
                if problem:
                    where = (*loc, "deadlines", d, "clause")
                    yield Finding(where, codes.DEADLINE_UNKNOWN_CLAUSE, problem)


def _status_findings(plan: Plan) -> Iterator[Finding]:
    """A clause's `status:` line must say what its latest status entry says."""
    for loc, task in _tasks_with_locs(plan):
        for c, (recorded, setter) in enumerate(history.logged_statuses(task)):
            clause = task.clauses[c]
            if setter is None or recorded is clause.status:
                continue
            message = (
                f"分工的 status 是“{clause.status}”，但最新的进展记录（{setter.date}）是"
                f"“{recorded}”：请把 status 改为 {recorded}，或补记一条进展说明变化"
            )
            yield Finding((*loc, "clauses", c, "status"), codes.STATUS_DISAGREES, message)


def _assignment_findings(plan: Plan, registry: Registry) -> Iterator[Finding]:
    """The units the published assignment names must be the units listed, role by role."""
    for loc, task in _tasks_with_locs(plan):
        for c, clause in enumerate(task.clauses):
            if clause.assignment:
                for message in _assignment_messages(clause, registry, plan.lead_rule is not None):
                    where = (*loc, "clauses", c, "assignment")
                    yield Finding(where, codes.ASSIGNMENT_DISAGREES, message)


def _assignment_messages(clause: Clause, registry: Registry, first_leads: bool) -> Iterator[str]:
    assert clause.assignment is not None
    written = read_assignment(clause.assignment, first_leads=first_leads, bare=True)
    if not written:
        return  # no role labels to compare with: nothing can be said either way
    for role, word in ROLE_WORDS.items():
        listed: list[str] = getattr(clause, role)
        named = {_full_name(name, registry): name for name in written.get(role, [])}
        listed_once = set(listed)  # a clause may name thousands of units
        for full, name in named.items():
            if full not in listed_once:
                yield (
                    f"assignment 写明{word}单位“{name}”，但 {role} 中没有“{full}”："
                    f"请核对原文，在 {role} 中补上它，或改正 assignment"
                )
        for name in listed:
            if name not in named:
                yield (
                    f"{role} 中有“{name}”，但 assignment 的{word}单位里没有它：请核对原文，"
                    f"改正 assignment，或从 {role} 中删去它"
                )


def _full_name(name: str, registry: Registry) -> str:
    found = registry.units.get(name) or registry.aliases.get(name) or registry.collectives.get(name)
    return found.name if found else name
