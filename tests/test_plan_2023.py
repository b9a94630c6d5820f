"""plans/2023.yaml is valid and says what the published document says, no more and no less."""

from __future__ import annotations

import re

import pytest

from helpers import PLAN_2023, SOURCE_TEXT
from plantrack.core import schedule
from plantrack.core.domain import Status
from plantrack.core.model import Plan
from plantrack.core.units import Registry

MULTI_CLAUSE = {5: 2, 7: 3, 11: 2, 14: 2, 15: 2, 22: 2}
NUMERALS = "一二三四五六七八九"


def _source_blocks() -> tuple[dict[int, str], dict[int, str]]:
    """Split the published text into section titles and task texts, whitespace removed."""
    text = re.sub(r"\s+", "", SOURCE_TEXT.read_text(encoding="utf-8"))
    sections = {
        NUMERALS.index(m.group(1)) + 1: m.group(2)
        for m in re.finditer(r"([一二三四五六七八九])、(.+?)(?=\d+\.)", text)
    }
    tasks = {
        int(m.group(1)): m.group(2)
        for m in re.finditer(r"(\d+)\.(.+?)(?=[一二三四五六七八九]、|\d+\.(?!\d)|$)", text)
    }
    return sections, tasks


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_plan_has_nine_sections_and_26_tasks_in_order(plan: Plan) -> None:
    assert [s.number for s in plan.sections] == list(range(1, 10))
    assert [t.id for t in plan.tasks] == list(range(1, 27))


def test_clause_counts_follow_the_parenthesised_assignments(plan: Plan) -> None:
    counts = {task.id: len(task.clauses) for task in plan.tasks}
    assert counts == {i: MULTI_CLAUSE.get(i, 1) for i in range(1, 27)}


def test_task_text_reproduces_the_published_text_character_for_character(plan: Plan) -> None:
    _, source_tasks = _source_blocks()
    assert sorted(source_tasks) == list(range(1, 27))
    for task in plan.tasks:
        assert _squeeze(task.text) == source_tasks[task.id], f"task {task.id}"


def test_section_titles_are_as_published_typo_included(plan: Plan, plan_text: str) -> None:
    source_sections, _ = _source_blocks()
    assert {s.number: s.title for s in plan.sections} == source_sections
    assert plan.sections[8].title == "扎实开展展普法宣传和法治教育培训工作"
    before_title = plan_text[: plan_text.index("title: 扎实开展展普法")].splitlines()[-2]
    assert "原文如此" in before_title and "展展" in before_title


def test_title_and_preamble_are_as_published(plan: Plan) -> None:
    lines = SOURCE_TEXT.read_text(encoding="utf-8").splitlines()
    assert plan.title == lines[0].strip()
    assert plan.preamble == lines[1].strip()
    assert plan.year == 2023


def _assignment_units(assignment: str, registry: Registry) -> tuple[list[str], list[str]]:
    """Read lead and responsible units straight from the published wording."""
    lead: list[str] = []
    responsible: list[str] = []
    for part in assignment.split("，"):
        label, names = part.split("：")
        target = lead if label.startswith("牵头") else responsible
        for name in names.split("、"):
            unit = registry.aliases.get(name)
            target.append(unit.name if unit else name)
    return lead, responsible


def test_units_agree_with_the_original_assignment_wording(plan: Plan) -> None:
    registry = Registry(plan)
    for task in plan.tasks:
        for clause in task.clauses:
            assert clause.assignment is not None
            lead, responsible = _assignment_units(clause.assignment, registry)
            assert (clause.lead, clause.responsible) == (lead, responsible), task.id


def test_shorthand_names_are_written_in_full(plan: Plan) -> None:
    first = plan.tasks_by_id[1].clauses[0]
    assert first.assignment is not None and "局法规科、组教科" in first.assignment
    assert first.lead == ["局法规科", "局组教科"]
    assert plan.tasks_by_id[18].clauses[0].lead == ["局办公室", "局法规科", "局财审科"]


@pytest.mark.parametrize("task_id", [15, 16, 17])
def test_tasks_naming_responsible_units_without_a_lead(plan: Plan, task_id: int) -> None:
    clause = plan.tasks_by_id[task_id].clauses[0]
    assert clause.lead == []
    assert clause.responsible == ["区交通执法支队"]


def test_every_task_starts_not_started_with_no_progress(plan: Plan) -> None:
    assert {c.status for t in plan.tasks for c in t.clauses} == {Status.NOT_STARTED}
    assert all(not t.progress for t in plan.tasks)


def test_stated_dates_phases_and_targets_are_data(plan: Plan) -> None:
    def dates(task_id: int) -> list[str]:
        occs = schedule.occurrences(plan.tasks_by_id[task_id], plan)
        return [o.date.isoformat() for o in occs if o.date]

    assert dates(13) == ["2023-10-31"]
    assert plan.tasks_by_id[13].phases == [
        "安排部署",
        "线索收集",
        "自查自纠",
        "督查整改",
        "全面总结",
    ]
    assert dates(26) == ["2023-03-31", "2023-06-30", "2023-09-30", "2023-11-20", "2023-12-31"]
    assert "2023-12-04" in dates(25)
    target = plan.tasks_by_id[20].targets[0]
    assert (target.op, target.value, target.unit) == (">=", 80, "%")
    assert plan.tasks_by_id[26].targets[0].per == "quarter"


def test_year_end_default_is_stated_once_not_per_task(plan: Plan, plan_text: str) -> None:
    assert plan.default_due is not None and plan.default_due.isoformat() == "2023-12-31"
    assert plan_text.count("2023-12-31") == 1
    assert dates_of_undated_task(plan) == ["2023-12-31"]


def dates_of_undated_task(plan: Plan) -> list[str]:
    occs = schedule.occurrences(plan.tasks_by_id[1], plan)
    return [o.date.isoformat() for o in occs if o.date]


_STATED = re.compile(r"(\d+)\s*月\s*(\d+)\s*日|(\d+)·(\d+)")


def test_every_date_not_in_the_text_names_its_source(plan: Plan) -> None:
    for task in plan.tasks:
        for deadline in task.deadlines:
            day = deadline.date or deadline.end
            if deadline.every or day is None:
                continue
            stated = {
                (int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4)))
                for m in _STATED.finditer(deadline.quote or "")
            }
            if (day.month, day.day) not in stated:
                assert deadline.date_source, f"task {task.id}: {deadline.label}"


def test_undated_campaign_is_kept_without_an_invented_date(plan: Plan) -> None:
    credit = [d for d in plan.tasks_by_id[25].deadlines if "信用交通月" in d.label]
    assert len(credit) == 1
    assert credit[0].date is None and credit[0].end is None
    assert credit[0].date_source and "未找到" in credit[0].date_source


def test_registry_lists_the_bureau_offices_and_units(plan: Plan) -> None:
    groups = {u.name: u.group for u in plan.units}
    offices = ["局办公室", "局法规科", "局组教科", "局财审科", "局建管科", "局港航科"]
    offices += ["局运输科", "局铁路民航科", "局安监科"]
    assert [n for n, g in groups.items() if g == "局机关"] == offices
    agencies = ["区公路中心", "区港航中心", "区道运中心", "区交通执法支队"]
    assert [n for n, g in groups.items() if g == "局属单位"] == agencies
    scopes = {c.name: c.scope for c in plan.collectives}
    assert scopes == {
        "局机关各科室": "all",
        "局属各单位": "all",
        "局机关相关科室": "relevant",
        "局属相关单位": "relevant",
        "局属有关单位": "relevant",
    }


def test_plan_file_declares_its_schema_for_editors() -> None:
    first = PLAN_2023.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=")
