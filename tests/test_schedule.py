"""The time model: expansion of rules, the year-end default, done occurrences, statuses, levels."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import timeline_of, with_q2_report_done
from plantrack.core import describe, history, schedule, wording
from plantrack.core.domain import Status
from plantrack.core.model import Plan
from plantrack.core.periods import quarter
from plantrack.core.refs import find_occurrence
from plantrack.core.timeline import Counts, Timeline
from plantrack.planfile.load import parse_plan

D = dt.date


def test_quarterly_rule_expands_to_quarter_ends(plan: Plan) -> None:
    occs = [o for o in schedule.occurrences(plan.tasks_by_id[26], plan) if o.kind == "recurring"]
    assert [(o.key, o.date) for o in occs] == [
        ("2023Q1", D(2023, 3, 31)),
        ("2023Q2", D(2023, 6, 30)),
        ("2023Q3", D(2023, 9, 30)),
        ("2023Q4", D(2023, 12, 31)),
    ]


@pytest.mark.parametrize(
    ("every", "keys", "last_dates"),
    [
        ("half-year", ["2024H1", "2024H2"], [D(2024, 6, 30), D(2024, 12, 31)]),
        ("month", ["2024-01", "2024-02"], [D(2024, 1, 31), D(2024, 2, 29)]),
    ],
)
def test_other_rules_do_not_slide(
    plan_text: str, every: str, keys: list[str], last_dates: list[D]
) -> None:
    text = plan_text.replace("every: quarter", f"every: {every}").replace(
        "year: 2023", "year: 2024"
    )
    other = parse_plan(text, "p.yaml")
    occs = [o for o in schedule.occurrences(other.tasks_by_id[26], other) if o.kind == "recurring"]
    assert [o.key for o in occs][:2] == keys
    assert [o.date for o in occs][:2] == last_dates


def test_task_without_stated_date_gets_the_plan_default(plan: Plan) -> None:
    [occ] = schedule.occurrences(plan.tasks_by_id[1], plan)
    assert (occ.kind, occ.date) == ("default", D(2023, 12, 31))


def test_task_with_stated_date_gets_no_default(plan: Plan) -> None:
    kinds = {o.kind for o in schedule.occurrences(plan.tasks_by_id[13], plan)}
    assert kinds == {"date"}


def test_campaign_periods_carry_their_source(plan: Plan) -> None:
    occs = {o.label: o for o in schedule.occurrences(plan.tasks_by_id[25], plan)}
    safety = occs["“安全生产月”集中普法活动"]
    assert (safety.start, safety.date) == (D(2023, 6, 1), D(2023, 6, 30))
    assert safety.date_source and "2002" in safety.date_source
    assert occs["“信用交通月”集中普法活动"].date is None


@pytest.mark.parametrize(("days", "level"), [(-1, "红"), (0, "黄"), (7, "黄"), (8, "绿")])
def test_levels(days: int, level: str) -> None:
    assert schedule.level(days, 7) == level


def test_due_items_list_overdue_and_window_sorted(plan: Plan, timeline: Timeline) -> None:
    items = timeline.due_items(plan.tasks, as_of=D(2023, 10, 1), within=60)
    assert [(i.task.id, i.occurrence.date.isoformat()) for i in items if i.occurrence.date] == [
        (26, "2023-03-31"),
        (25, "2023-05-31"),
        (25, "2023-06-30"),
        (26, "2023-06-30"),
        (26, "2023-09-30"),
        (13, "2023-10-31"),
        (26, "2023-11-20"),
    ]
    assert [i.overdue for i in items] == [True] * 5 + [False] * 2


def test_completed_occurrence_leaves_the_others(plan_text: str) -> None:
    timeline = timeline_of(with_q2_report_done(plan_text))
    task = timeline.plan.tasks_by_id[26]
    items = timeline.due_items([task], as_of=D(2023, 7, 5), within=90)
    assert [i.occurrence.key for i in items] == ["2023Q1", "2023Q3"]
    done = [occ.key for occ in timeline.occurrences(task) if timeline.is_done(task, occ)]
    assert done == ["2023Q2"]


def test_a_later_entry_reopens_an_occurrence(plan_text: str) -> None:
    reopened = with_q2_report_done(plan_text).replace(
        "            occurrence: 2023Q2\n",
        "            occurrence: 2023Q2\n"
        "          - date: 2023-07-10\n            status: 进行中\n            occurrence: 2023Q2\n",
    )
    timeline = timeline_of(reopened)
    task = timeline.plan.tasks_by_id[26]
    assert not any(timeline.is_done(task, occ) for occ in timeline.occurrences(task))


def test_a_done_task_has_every_occurrence_done(plan_text: str) -> None:
    timeline = timeline_of(
        plan_text.replace(
            "            lead: [局法规科]\n            responsible: [局属各单位, 局机关各科室]\n"
            "            status: 未开始\n        deadlines:\n          - every",
            "            lead: [局法规科]\n            responsible: [局属各单位, 局机关各科室]\n"
            "            status: 已完成\n        deadlines:\n          - every",
        )
    )
    task = timeline.plan.tasks_by_id[26]
    assert timeline.status(task) is Status.DONE
    assert all(timeline.is_done(task, occ) for occ in timeline.occurrences(task))
    assert timeline.due_items([task], as_of=D(2023, 12, 31), within=0) == []


@pytest.mark.parametrize(
    ("clauses", "status"),
    [
        ({Status.NOT_STARTED}, Status.NOT_STARTED),
        ({Status.DONE}, Status.DONE),
        ({Status.DONE, Status.NOT_STARTED}, Status.IN_PROGRESS),
        ({Status.IN_PROGRESS, Status.NOT_STARTED}, Status.IN_PROGRESS),
        ({Status.BLOCKED, Status.DONE}, Status.BLOCKED),
    ],
)
def test_clause_statuses_roll_up(clauses: set[Status], status: Status) -> None:
    assert history.roll_up(clauses) is status


def test_occurrence_names(plan: Plan, timeline: Timeline) -> None:
    names = [wording.occurrence_name(o) for o in timeline.occurrences(plan.tasks_by_id[26])]
    assert names[:2] == ["第一季度报送法治建设工作文稿", "第二季度报送法治建设工作文稿"]
    assert "年度法治建设情况报告市交通局" in names
    [default] = timeline.occurrences(plan.tasks_by_id[1])
    assert wording.occurrence_name(default) == "年度任务（原文未写明时限）"


def test_deadline_summary(plan: Plan, timeline: Timeline) -> None:
    def summary(task_id: int) -> str:
        return wording.deadline_summary(timeline.occurrences(plan.tasks_by_id[task_id]))

    assert summary(26) == "每季度末；11月20日前"
    assert summary(1) == "12月31日前（原文未写明）"
    assert summary(25).startswith("5月1日–5月31日；6月1日–6月30日")


def test_items_in_period_keep_only_that_quarter(plan: Plan, timeline: Timeline) -> None:
    items = timeline.items_in_period(plan.tasks, period=quarter(2023, 3), as_of=D(2023, 10, 8))
    assert [(i.task.id, i.occurrence.key, i.overdue) for i in items] == [(26, "2023Q3", True)]


# --- status as of a date --------------------------------------------------------------------

T13_STATUS = "            responsible: [局属各单位, 局机关各科室]\n            status: 未开始\n        phases"


def with_entries(plan_text: str, task_anchor: str, entries: str) -> str:
    """The plan with a progress list inserted before task_anchor."""
    assert plan_text.count(task_anchor) == 1
    return plan_text.replace(task_anchor, "        progress:\n" + entries + task_anchor)


def test_entries_after_the_date_do_not_exist(plan_text: str) -> None:
    text = plan_text.replace(T13_STATUS, T13_STATUS.replace("未开始", "已完成"))
    text = with_entries(
        text,
        "      - id: 14\n",
        "          - date: 2023-04-10\n            status: 进行中\n"
        "          - date: 2023-10-20\n            status: 已完成\n",
    )
    plan = parse_plan(text, "p.yaml")
    task = plan.tasks_by_id[13]
    statuses = [Timeline(plan, as_of=D(2023, m, 1)).status(task) for m in (3, 5, 11)]
    assert statuses == [Status.NOT_STARTED, Status.IN_PROGRESS, Status.DONE]
    assert [e.date for e in Timeline(plan, as_of=D(2023, 5, 1)).entries(task)] == [D(2023, 4, 10)]
    assert Timeline(plan).recorded_status(task, 0)[1] == task.progress[-1]


def test_a_status_line_with_no_entry_behind_it_holds_on_every_date(plan_text: str) -> None:
    plan = parse_plan(plan_text.replace(T13_STATUS, T13_STATUS.replace("未开始", "进行中")), "p")
    task = plan.tasks_by_id[13]
    assert Timeline(plan, as_of=D(2023, 1, 1)).status(task) is Status.IN_PROGRESS


def test_a_done_entry_finishes_the_task_from_its_day(plan_text: str) -> None:
    text = plan_text.replace(T13_STATUS, T13_STATUS.replace("未开始", "已完成"))
    text = with_entries(
        text, "      - id: 14\n", "          - date: 2023-09-01\n            status: 已完成\n"
    )
    plan = parse_plan(text, "p")
    task = plan.tasks_by_id[13]
    # Before its first entry the clause had not started, whatever its line says today.
    assert Timeline(plan, as_of=D(2023, 8, 1)).status(task) is Status.NOT_STARTED
    timeline = Timeline(plan, as_of=D(2023, 11, 1))
    assert timeline.status(task) is Status.DONE
    assert timeline.due_items([task], as_of=D(2023, 11, 1), within=30) == []
    [occ] = timeline.occurrences(task)
    assert (timeline.done_on(task, occ), timeline.late_days(task, occ)) == (D(2023, 9, 1), None)


def test_done_occurrences_roll_up(plan_text: str) -> None:
    entries = "".join(
        f"          - date: {day}\n            occurrence: {key}\n            status: 已完成\n"
        for key, day in [("2023Q1", "2023-03-28"), ("2023Q2", "2023-07-03")]
    )
    anchor = "        targets:\n          - name: 每季度"
    timeline = Timeline(parse_plan(with_entries(plan_text, anchor, entries), "p"))
    task = timeline.plan.tasks_by_id[26]
    assert timeline.status(task) is Status.IN_PROGRESS
    assert timeline.clause_status(task, 0) is Status.IN_PROGRESS
    assert timeline.recorded_status(task, 0) == (Status.NOT_STARTED, None)
    q2 = next(o for o in timeline.occurrences(task) if o.key == "2023Q2")
    assert timeline.late_days(task, q2) == 3
    assert timeline.counts(task) == Counts(done=2, due=5, total=5)
    assert timeline.counts(task, "quarter") == Counts(done=2, due=4, total=4)
    rest = "".join(
        f"          - date: {day}\n            occurrence: {key}\n            status: 已完成\n"
        for key, day in [
            ("2023Q3", "2023-09-20"),
            ("2023-11-20", "2023-11-18"),
            ("2023Q4", "2023-12-20"),
        ]
    )
    finished = Timeline(parse_plan(with_entries(plan_text, anchor, entries + rest), "p"))
    assert finished.status(finished.plan.tasks_by_id[26]) is Status.DONE


def test_a_targets_value_is_the_latest_recorded_by_the_date(plan_text: str) -> None:
    entries = (
        "          - date: 2023-07-20\n            target: 行政机关负责人出庭应诉率\n            value: 85\n"
        "          - date: 2023-11-18\n            target: 行政机关负责人出庭应诉率\n            value: 90\n"
    )
    plan = parse_plan(with_entries(plan_text, "      - id: 21\n", entries), "p")
    task = plan.tasks_by_id[20]
    [target] = task.targets
    values = [Timeline(plan, as_of=D(2023, m, 1)).target_value(task, target) for m in (7, 8, 12)]
    assert values == [None, (85, D(2023, 7, 20)), (90, D(2023, 11, 18))]
    assert describe.describe_target(Timeline(plan, as_of=D(2023, 8, 1)), task, target) == (
        "85%（2023-07-20）",
        "达到",
    )


def test_identifiers_are_short_and_old_ones_still_answer(plan: Plan, timeline: Timeline) -> None:
    occs = timeline.occurrences(plan.tasks_by_id[25])
    assert [o.key for o in occs] == ["2023-05", "2023-06", "2023-12-04", "2023-12-07", "信用交通月"]
    may = find_occurrence(occs, "2023-05-31")  # the key plans used before
    assert may is not None and may.key == "2023-05"
    assert find_occurrence(occs, "“信用交通月”集中普法活动") is occs[-1]
    assert find_occurrence(timeline.occurrences(plan.tasks_by_id[26]), "2023q3")
    assert schedule.short_name("“12·4”国家宪法日集中宣传活动") == "12·4"
    assert schedule.short_name("报送法治建设工作文稿") == "报送法治建设工作文稿"
