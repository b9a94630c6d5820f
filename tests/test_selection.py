"""Queries by unit, role, section and status, and the JSON records they produce."""

from __future__ import annotations

import datetime as dt

import pytest

from plantrack.core import selection
from plantrack.core.answers import TaskLine
from plantrack.core.domain import Status
from plantrack.core.errors import UsageError
from plantrack.core.model import Progress
from plantrack.core.refs import parse_status
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry
from plantrack.output.records import task_record
from plantrack.output.tables import TASK_COLUMNS


def ids(matches: list[selection.TaskMatch]) -> list[int]:
    return [m.task.id for m in matches]


def select(
    timeline: Timeline,
    dept: str | None = None,
    role: selection.RoleFilter = "named",
    possible: bool = False,
    **filters: object,
) -> list[selection.TaskMatch]:
    """select_tasks with the unit given by name, as --dept gives it."""
    registry = Registry(timeline.plan)
    unit = registry.resolve(dept) if dept else None
    involvement = selection.Involvement(role, possible)
    return selection.select_tasks(timeline, registry, unit=unit, involvement=involvement, **filters)  # type: ignore[arg-type]


def test_enforcement_leads_only_task_14(timeline: Timeline) -> None:
    assert ids(select(timeline, "执法支队", role="lead")) == [14]


def test_by_default_a_unit_sees_its_duties_and_shares(timeline: Timeline) -> None:
    found = select(timeline, "执法支队")
    assert ids(found) == [4, 14, 15, 16, 17]
    assert [m.role_label for m in found] == ["责任", "牵头", "责任", "责任", "责任"]
    assert ids(select(timeline, "执法支队", role="responsible")) == [4, 15, 16, 17]


def test_mentions_through_collectives_only_when_asked(timeline: Timeline) -> None:
    certain = select(timeline, "执法支队", role="collective")
    assert all(r.role.kind == "via" and r.role.certain for m in certain for r in m.roles)
    possible = select(timeline, "执法支队", role="collective", possible=True)
    assert len(possible) > len(certain)
    assert len(select(timeline, "执法支队", role="any", possible=True)) == 25
    assert len(select(timeline, "执法支队", role="any")) < 25  # 相关 alone is not enough


def test_the_role_column_is_one_word(timeline: Timeline) -> None:
    found = {m.task.id: m for m in select(timeline, "法规科", role="any", possible=True)}
    # Tasks 16 and 17 name only 区交通执法支队.
    assert sorted(found) == [i for i in range(1, 27) if i not in (16, 17)]
    assert found[13].role_label == "牵头"  # not "牵头；经由 局机关各科室"
    assert found[7].role_label == "牵头"
    via = select(timeline, "安监科", role="collective")
    assert via[0].role_label.startswith("经由 局机关各科室")


@pytest.mark.parametrize(
    ("text", "role"),
    [("lead", "lead"), ("牵头", "lead"), ("责任", "responsible"), ("配合", "support"),
     ("统称", "collective"), ("全部", "any"), ("ANY", "any"), (" 职责 ", "named")],
)  # fmt: skip
def test_roles_in_english_or_chinese(text: str, role: str) -> None:
    assert selection.parse_role(text) == role


def test_an_unknown_role_lists_the_choices() -> None:
    with pytest.raises(UsageError, match="牵头（lead）、责任（responsible）"):
        selection.parse_role("boss")


def test_tasks_where_unit_is_not_involved_are_left_out(timeline: Timeline) -> None:
    found = select(timeline, "财审科", role="lead")
    assert ids(found) == [7, 11, 12, 18]


def test_a_units_report_counts_only_its_own_clauses(timeline: Timeline) -> None:
    chosen = selection.scope(timeline, "财审科")
    covers = chosen.entry_filter()
    assert covers is not None
    task_7 = timeline.plan.tasks_by_id[7]

    from plantrack.core.model import Progress

    def entry(clause: int | None) -> Progress:
        return Progress(date=dt.date(2023, 9, 1), clause=clause, note="x")

    # 财审科 leads clause 3 of task 7 only; clause 1 is 法规科's work.
    assert covers(task_7, entry(3)) and covers(task_7, entry(None))
    assert not covers(task_7, entry(1))
    assert selection.scope(timeline, None).entry_filter() is None


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
    record = task_record(TaskLine(match, timeline))
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
            "label": "年度任务（原文未写明时限）",
            "kind": "default",
            "occurrence": "2023-12-31",
            "done": False,
        }
    ]


def test_scope_resolves_the_unit_once(timeline: Timeline) -> None:
    found = selection.scope(timeline, "执法支队")
    assert found.name == "区交通执法支队"
    assert found.tasks == [m.task for m in found.matches]
    ids_found = {t.id for t in found.tasks}
    assert {4, 14, 15, 16, 17} <= ids_found and 9 not in ids_found
    assert all(m.roles for m in found.matches)  # the roles are kept, not thrown away
    everything = selection.scope(timeline, None)
    assert everything.name is None and len(everything.tasks) == 26


def test_task_columns_share_one_definition(timeline: Timeline) -> None:
    [line] = [TaskLine(m, timeline) for m in select(timeline) if m.task.id == 16]
    cells = {column.heading: column.get(line) for column in TASK_COLUMNS}
    assert cells == {
        "序号": 16,
        "工作任务": "提升执法信息化水平",
        "牵头单位": "—",
        "责任单位": "区交通执法支队",
        "完成时限": "12月31日前（原文未写明）",
        "状态": "未开始",
    }
