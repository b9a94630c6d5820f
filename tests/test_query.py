"""Queries by unit, role, section and status, and the JSON records they produce."""

from __future__ import annotations

import pytest

from plantrack import query
from plantrack.errors import UsageError
from plantrack.model import Status, parse_status
from plantrack.schedule import Timeline
from plantrack.units import Registry


def ids(matches: list[query.TaskMatch]) -> list[int]:
    return [m.task.id for m in matches]


def select(timeline: Timeline, dept: str | None = None, **filters: object) -> list[query.TaskMatch]:
    """select_tasks with the unit given by name, as --dept gives it."""
    registry = Registry(timeline.plan)
    unit = registry.resolve(dept) if dept else None
    return query.select_tasks(timeline, registry, unit=unit, **filters)  # type: ignore[arg-type]


def test_enforcement_leads_only_task_14(timeline: Timeline) -> None:
    assert ids(select(timeline, "执法支队", role="lead")) == [14]


def test_enforcement_is_responsible_in_4_15_16_17(timeline: Timeline) -> None:
    found = select(timeline, "执法支队", role="responsible")
    assert {4, 15, 16, 17} <= set(ids(found))
    named = [m.task.id for m in found if any(r.role.kind == "responsible" for r in m.roles)]
    assert named == [4, 15, 16, 17]


def test_legal_office_roles_say_how_it_is_involved(timeline: Timeline) -> None:
    found = {m.task.id: m for m in select(timeline, "法规科")}
    # Tasks 16 and 17 name only 区交通执法支队.
    assert sorted(found) == [i for i in range(1, 27) if i not in (16, 17)]
    assert found[13].role_label == "牵头；经由 局机关各科室"
    assert found[7].role_label == "牵头（第1、2项）；经由 局机关相关科室（第1、2、3项）"


def test_tasks_where_unit_is_not_involved_are_left_out(timeline: Timeline) -> None:
    found = select(timeline, "财审科", role="lead")
    assert ids(found) == [7, 11, 12, 18]


def test_section_and_status_filters(timeline: Timeline) -> None:
    assert ids(select(timeline, section=5)) == [13, 14, 15, 16]
    assert select(timeline, status=Status.DONE) == []
    with pytest.raises(UsageError, match="没有第 10 部分"):
        select(timeline, section=10)


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
    assert parse_status(text) is status


def test_unknown_status_lists_choices() -> None:
    with pytest.raises(UsageError) as caught:
        parse_status("finished")
    message = str(caught.value)
    assert message.startswith("未知状态“finished”。")
    assert "已完成（done）" in message and "受阻（blocked）" in message


def test_task_record_follows_the_json_contract(timeline: Timeline) -> None:
    [match] = [m for m in select(timeline) if m.task.id == 5]
    record = query.task_record(query.TaskLine(match, timeline))
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


def test_scope_resolves_the_unit_once(timeline: Timeline) -> None:
    found = query.scope(timeline, "执法支队")
    assert found.name == "区交通执法支队"
    assert found.tasks == [m.task for m in found.matches]
    ids_found = {t.id for t in found.tasks}
    assert {4, 14, 15, 16, 17} <= ids_found and 9 not in ids_found
    assert all(m.roles for m in found.matches)  # the roles are kept, not thrown away
    everything = query.scope(timeline, None)
    assert everything.name is None and len(everything.tasks) == 26


def test_task_columns_share_one_definition(timeline: Timeline) -> None:
    [line] = [query.TaskLine(m, timeline) for m in select(timeline) if m.task.id == 16]
    cells = {column.heading: column.get(line) for column in query.TASK_COLUMNS}
    assert cells == {
        "序号": 16,
        "工作任务": "提升执法信息化水平",
        "牵头单位": "—",
        "责任单位": "区交通执法支队",
        "完成时限": "12月31日前（默认）",
        "状态": "未开始",
    }
