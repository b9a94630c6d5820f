"""Dates and periods as users give them: --within, --as-of, --quarter, --from/--to."""

from __future__ import annotations

import datetime as dt

import pytest

from plantrack.core import periods
from plantrack.core.errors import UsageError

D = dt.date


@pytest.mark.parametrize(
    ("text", "days"), [("30", 30), ("30d", 30), ("2w", 14), ("1m", 31), ("2m", 62)]
)
def test_window_forms(text: str, days: int) -> None:
    assert periods.parse_window(text, D(2023, 7, 5)) == days


def test_window_month_clamps_to_month_end() -> None:
    assert periods.parse_window("1m", D(2023, 1, 31)) == 28


@pytest.mark.parametrize("text", ["", "x", "-3", "2y", "1.5w"])
def test_bad_window_is_a_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="--within"):
        periods.parse_window(text, D(2023, 7, 5))


def test_today_prefers_option_then_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert periods.today("2023-01-02") == D(2023, 1, 2)
    monkeypatch.setenv("PLANTRACK_TODAY", "2023-03-04")
    assert periods.today(None) == D(2023, 3, 4)
    with pytest.raises(UsageError, match="PLANTRACK_TODAY"):
        monkeypatch.setenv("PLANTRACK_TODAY", "2023-02-30")
        periods.today(None)


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
    period = periods.parse_quarter(text, D(2023, 8, 15))
    assert (period.label, period.start, period.end) == (label, start, end)


def test_previous_quarter_of_q1_is_last_year() -> None:
    assert periods.parse_quarter("previous", D(2024, 2, 1)).label == "2023Q4"


@pytest.mark.parametrize("text", ["2023Q5", "Q3", "23Q3", "last", ""])
def test_bad_quarter(text: str) -> None:
    with pytest.raises(UsageError, match="--quarter"):
        periods.parse_quarter(text, D(2023, 8, 15))


@pytest.mark.parametrize(
    ("month", "last"), [(1, D(2023, 1, 31)), (2, D(2023, 2, 28)), (12, D(2023, 12, 31))]
)
def test_month_end(month: int, last: D) -> None:
    assert periods.month_end(2023, month) == last


def test_report_period_from_options() -> None:
    day = D(2023, 8, 15)
    assert periods.report_period(None, None, None, day).label == "2023Q3"
    assert periods.report_period("2023Q1", None, None, day).end == D(2023, 3, 31)
    custom = periods.report_period(None, "2023-07-01", "2023-07-31", day)
    assert (custom.start, custom.end, custom.quarter_number) == (
        D(2023, 7, 1),
        D(2023, 7, 31),
        None,
    )


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (None, "2023-07-01", None),
        ("2023Q3", "2023-07-01", "2023-07-31"),
        (None, "2023-08-01", "2023-07-01"),
    ],
)
def test_report_period_refuses_half_or_mixed_ranges(
    quarter: str | None, start: str | None, end: str | None
) -> None:
    with pytest.raises(UsageError, match="--from"):
        periods.report_period(quarter, start, end, D(2023, 8, 15))


@pytest.mark.parametrize(
    ("start", "end", "following"),
    [
        (D(2023, 1, 1), D(2023, 12, 31), (D(2024, 1, 1), D(2024, 12, 31))),  # 31 December kept
        (D(2023, 2, 1), D(2023, 2, 28), (D(2023, 3, 1), D(2023, 3, 31))),  # a month, not 28 days
        (D(2023, 1, 1), D(2023, 6, 30), (D(2023, 7, 1), D(2023, 12, 31))),
        (D(2023, 7, 5), D(2023, 7, 20), (D(2023, 7, 21), D(2023, 8, 5))),  # days for days
    ],
)
def test_a_custom_periods_next_period_covers_the_days_that_follow(
    start: D, end: D, following: tuple[D, D]
) -> None:
    nxt = periods.next_period(periods.custom_period(start, end))
    assert (nxt.start, nxt.end) == following


def test_slugs_name_files() -> None:
    assert periods.quarter(2023, 4).slug == "2023Q4"
    assert periods.custom_period(D(2023, 1, 1), D(2023, 12, 31)).slug == "2023-01-01_2023-12-31"


@pytest.mark.parametrize(
    "text", ["2023-10-01", "2023年10月1日", "2023/10/01", "２０２３－１０－０１", " 2023.10.1 "]
)
def test_dates_are_read_as_people_write_them(text: str) -> None:
    assert periods.parse_date(text, option="--date") == dt.date(2023, 10, 1)


@pytest.mark.parametrize("text", ["2023-02-30", "20231001", "十月一日", "2023-10", "0001-01-01"])
def test_other_dates_are_refused_with_the_expected_form(text: str) -> None:
    with pytest.raises(UsageError, match="--date 的日期"):
        periods.parse_date(text, option="--date")
