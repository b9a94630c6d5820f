"""Queries by unit, role, section and status, and the JSON records they produce."""

from __future__ import annotations

import pytest

from plantrack import query
from plantrack.errors import UsageError
from plantrack.model import Plan, Status
from plantrack.units import Registry


def ids(matches: list[query.TaskMatch]) -> list[int]:
    return [m.task.id for m in matches]


@pytest.fixture(scope="module")
def registry(plan: Plan) -> Registry:
    return Registry(plan)


def test_enforcement_leads_only_task_14(plan: Plan, registry: Registry) -> None:
    assert ids(query.select_tasks(plan, registry, dept="执法支队", role="lead")) == [14]


def test_enforcement_is_responsible_in_4_15_16_17(plan: Plan, registry: Registry) -> None:
    found = query.select_tasks(plan, registry, dept="执法支队", role="responsible")
    assert {4, 15, 16, 17} <= set(ids(found))
    named = [m.task.id for m in found if any(r.role.kind == "responsible" for r in m.roles)]
    assert named == [4, 15, 16, 17]


def test_legal_office_roles_say_how_it_is_involved(plan: Plan, registry: Registry) -> None:
    found = {m.task.id: m for m in query.select_tasks(plan, registry, dept="法规科")}
    # Tasks 16 and 17 name only 区交通执法支队.
    assert sorted(found) == [i for i in range(1, 27) if i not in (16, 17)]
    assert found[13].role_label == "牵头；经由 局机关各科室"
    assert found[7].role_label == "牵头（第1、2项）；经由 局机关相关科室（第1、2、3项）"


def test_tasks_where_unit_is_not_involved_are_left_out(plan: Plan, registry: Registry) -> None:
    found = query.select_tasks(plan, registry, dept="财审科", role="lead")
    assert ids(found) == [7, 11, 12, 18]


def test_section_and_status_filters(plan: Plan, registry: Registry) -> None:
    assert ids(query.select_tasks(plan, registry, section=5)) == [13, 14, 15, 16]
    assert query.select_tasks(plan, registry, status=Status.DONE) == []
    with pytest.raises(UsageError, match="没有第 10 部分"):
        query.select_tasks(plan, registry, section=10)


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("done", Status.DONE),
        ("DONE", Status.DONE),
        ("进行中", Status.IN_PROGRESS),
        ("todo", Status.NOT_STARTED),
    ],
)
def test_parse_status(text: str, status: Status) -> None:
    assert query.parse_status(text) is status


def test_unknown_status_lists_choices() -> None:
    with pytest.raises(UsageError) as caught:
        query.parse_status("finished")
    message = str(caught.value)
    assert message.startswith("未知状态“finished”。")
    assert "已完成（done）" in message and "受阻（blocked）" in message


def test_task_record_follows_the_json_contract(plan: Plan, registry: Registry) -> None:
    [match] = [m for m in query.select_tasks(plan, registry) if m.task.id == 5]
    record = query.task_record(match, plan)
    assert record["id"] == 5 and record["section"] == 2
    assert record["status"] == "未开始"
    assert record["clauses"][1]["lead"] == [
        "局法规科",
        "局建管科",
        "局港航科",
        "局运输科",
        "局铁路民航科",
    ]
    assert record["clauses"][1]["responsible"] == ["局属有关单位"]
    assert record["deadlines"] == [
        {
            "date": "2023-12-31",
            "label": "年度任务（默认年底）",
            "kind": "default",
            "occurrence": "2023-12-31",
            "done": False,
        }
    ]


def test_deadline_summary(plan: Plan) -> None:
    assert query.deadline_summary(plan.tasks_by_id[26], plan) == "每季度末；11月20日前"
    assert query.deadline_summary(plan.tasks_by_id[1], plan) == "12月31日前（默认）"
    assert query.deadline_summary(plan.tasks_by_id[25], plan) == (
        "5月1日–5月31日；6月1日–6月30日；12月4日前；12月1日–12月7日"
    )
