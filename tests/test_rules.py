"""Rules across fields: each finds its mistake at the right place, with a stable code.

Each test breaks one thing in the bundled plan (`check(source, problem=...)` in yamllint's
style) and names the rule and the loc it must report.
"""

from __future__ import annotations

import datetime as dt

import pytest

from plantrack.core import rules
from plantrack.core.model import Plan, Progress
from plantrack.core.problems import Finding
from plantrack.planfile.load import validate_values
from plantrack.planfile.yamltree import read_values


def findings(plan_text: str, old: str, new: str) -> list[Finding]:
    """The rule findings of the bundled plan with one text replaced."""
    assert plan_text.count(old) >= 1, old
    raw, _ = read_values(plan_text.replace(old, new, 1), "p.yaml")
    plan = Plan.model_validate(raw)
    assert validate_values(raw) is None  # the full load refuses it too
    return rules.check(plan)


def test_the_bundled_plan_breaks_no_rule(plan: Plan) -> None:
    assert rules.check(plan) == []


@pytest.mark.parametrize(
    ("old", "new", "rule", "loc"),
    [
        (
            "    aliases: [安监科]\n",
            "    aliases: [安监科]\n  - name: 局安监科\n    group: 局机关\n",
            "unit-name-duplicate",
            ("units", 9, "name"),
        ),
        (
            "aliases: [办公室]",
            "aliases: [法规科]",
            "unit-name-duplicate",
            ("units", 1, "aliases", 0),
        ),
        (
            "      - id: 14\n",
            "      - id: 13\n",
            "task-id-duplicate",
            ("sections", 4, "tasks", 1, "id"),
        ),
        (
            "  - number: 2\n",
            "  - number: 1\n",
            "section-number-duplicate",
            ("sections", 1, "number"),
        ),
        ("lead: [局法规科, 局组教科]", "lead: [局法规科, 局组织科]", "unit-unknown", None),
    ],
)
def test_registry_and_numbering_rules(
    plan_text: str, old: str, new: str, rule: str, loc: tuple[object, ...] | None
) -> None:
    found = findings(plan_text, old, new)
    assert [f.rule for f in found] == [rule]
    if loc is not None:
        assert found[0].loc == loc


def test_unknown_unit_suggests_and_alias_asks_for_the_full_name(plan_text: str) -> None:
    [typo] = findings(plan_text, "lead: [局法规科, 局组教科]", "lead: [局法规科, 局组织科]")
    assert "是否指 局组教科" in typo.message
    [alias] = findings(plan_text, "lead: [局法规科, 局组教科]", "lead: [局法规科, 组教科]")
    assert alias.message == "“组教科”是简称：请写全称“局组教科”"


def test_collective_of_an_unknown_group(plan_text: str) -> None:
    [found] = findings(
        plan_text, "    group: 局属单位\n    scope: all", "    group: 局属机构\n    scope: all"
    )
    assert found.rule == "collective-group-unknown" and found.loc[-1] == "group"


def test_task_message_names_the_valid_choices(plan: Plan) -> None:
    assert rules.task_message(plan, 13) is None
    assert rules.task_message(plan, 99) == "没有序号为 99 的任务：可选 1–26"
    assert rules.task_message(plan, 7, 3) is None
    assert rules.task_message(plan, 7, 4) == "任务 7 只有 3 项分工，没有第 4 项：可选 7.1、7.2、7.3"


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (Progress(date=dt.date(2023, 7, 3), occurrence="2023Q2"), []),
        (Progress(date=dt.date(2022, 12, 31)), [("date", "progress-outside-plan-year")]),
        (Progress(date=dt.date(2023, 7, 3), clause=2), [("clause", "progress-unknown-clause")]),
        (
            Progress(date=dt.date(2023, 7, 3), occurrence="2023Q5"),
            [("occurrence", "progress-unknown-occurrence")],
        ),
    ],
)
def test_one_progress_entry_is_vetted_by_the_same_rules(
    plan: Plan, entry: Progress, expected: list[tuple[str, str]]
) -> None:
    task = plan.tasks_by_id[26]
    assert [(field, rule) for field, rule, _ in rules.entry_messages(plan, task, entry)] == expected


def test_progress_rules_point_at_the_entry_field(plan_text: str) -> None:
    anchor = "        targets:\n          - name: 每季度"
    entry = "        progress:\n          - date: 2022-05-01\n            note: 去年\n"
    [found] = findings(plan_text, anchor, entry + anchor)
    assert found.rule == "progress-outside-plan-year"
    assert found.loc == ("sections", 8, "tasks", 3, "progress", 0, "date")
