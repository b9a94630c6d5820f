"""Deadlines: expansion of rules, the year-end default, warning levels and windows."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import with_q2_report_done
from plantrack import schedule
from plantrack.errors import UsageError
from plantrack.load import parse_plan
from plantrack.model import Plan

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


def test_due_items_list_overdue_and_window_sorted(plan: Plan) -> None:
    items = schedule.due_items(plan, plan.tasks, as_of=D(2023, 10, 1), within=60)
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
    plan = parse_plan(with_q2_report_done(plan_text), "p.yaml")
    items = schedule.due_items(plan, [plan.tasks_by_id[26]], as_of=D(2023, 7, 5), within=90)
    assert [i.occurrence.key for i in items] == ["2023Q1", "2023Q3"]


@pytest.mark.parametrize(
    ("text", "days"), [("30", 30), ("30d", 30), ("2w", 14), ("1m", 31), ("2m", 62)]
)
def test_window_forms(text: str, days: int) -> None:
    assert schedule.parse_window(text, D(2023, 7, 5)) == days


def test_window_month_clamps_to_month_end() -> None:
    assert schedule.parse_window("1m", D(2023, 1, 31)) == 28


@pytest.mark.parametrize("text", ["", "x", "-3", "2y", "1.5w"])
def test_bad_window_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--within"):
        schedule.parse_window(text, D(2023, 7, 5))


def test_today_prefers_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert schedule.today("2023-01-02") == D(2023, 1, 2)
    monkeypatch.setenv("PLANTRACK_TODAY", "2023-03-04")
    assert schedule.today(None) == D(2023, 3, 4)
    with pytest.raises(UsageError, match="PLANTRACK_TODAY"):
        monkeypatch.setenv("PLANTRACK_TODAY", "2023-02-30")
        schedule.today(None)


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2023Q3", "2023Q3", D(2023, 7, 1), D(2023, 9, 30)),
        ("2023q1", "2023Q1", D(2023, 1, 1), D(2023, 3, 31)),
        ("current", "2023Q3", D(2023, 7, 1), D(2023, 9, 30)),
        ("previous", "2023Q2", D(2023, 4, 1), D(2023, 6, 30)),
    ],
)
def test_parse_quarter(text: str, label: str, start: D, end: D) -> None:
    period = schedule.parse_quarter(text, D(2023, 8, 15))
    assert (period.label, period.start, period.end) == (label, start, end)


def test_previous_quarter_of_q1_is_last_year() -> None:
    assert schedule.parse_quarter("previous", D(2024, 2, 1)).label == "2023Q4"


@pytest.mark.parametrize("text", ["2023Q5", "Q3", "23Q3", "last", ""])
def test_bad_quarter(text: str) -> None:
    with pytest.raises(UsageError, match="--quarter"):
        schedule.parse_quarter(text, D(2023, 8, 15))


def test_items_in_period_keep_only_that_quarter(plan: Plan) -> None:
    q3 = schedule.quarter(2023, 3)
    items = schedule.items_in_period(plan, plan.tasks, period=q3, as_of=D(2023, 10, 8))
    assert [(i.task.id, i.occurrence.key, i.overdue) for i in items] == [(26, "2023Q3", True)]
