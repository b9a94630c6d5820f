"""Dates and targets read out of a task's words: each way of writing one, and what is not one."""

from __future__ import annotations

import pytest

from plantrack.importer.dates import find_deadlines, find_targets, ongoing, unread_dates


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2024.11.30", "2024-11-30"),
        ("2024/6/5前完成", "2024-06-05"),
        ("2024年11月前", "2024-11-30"),
        ("11月前完成清理", "2024-11-30"),
        ("2024年第三季度", "2024-09-30"),
        ("三季度末前完成", "2024-09-30"),
        ("上半年完成评估", "2024-06-30"),
        ("下半年开展检查", "2024-12-31"),
        ("年底前完成", "2024-12-31"),
        ("10月31日前完成", "2024-10-31"),
        # A yearly rule in a one-year plan: its date in that year, never another year's.
        ("每年2月底前报送上年度报告", "2024-02-29"),
        ("每年3月10日前报送", "2024-03-10"),
    ],
)
def test_each_way_of_writing_a_date(text: str, date: str) -> None:
    assert [d["date"] for d in find_deadlines(text, 2024)] == [date]


def test_a_quarter_in_every_quarter_is_a_rule_not_a_date() -> None:
    [found] = find_deadlines("每季度至少报送1篇", 2024)
    assert found["every"] == "quarter"


def test_standing_duties_and_words_with_no_one_day() -> None:
    assert ongoing("长期坚持") == "长期坚持" and ongoing("持续推进") == "持续推进"
    assert ongoing("2024年6月底前") is None
    assert unread_dates("9月中旬完成部署，10月初开展检查") == ["9月中旬", "10月初"]
    assert unread_dates("适时开展宣传") == []  # prose, not a time to keep


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("出庭应诉率不低于80%。", ("出庭应诉率", ">=", "80", "%")),
        ("行政诉讼败诉率低于5%。", ("行政诉讼败诉率", "<", "5", "%")),
        ("复议纠错率控制在10%以内。", ("复议纠错率", "<=", "10", "%")),
        ("群众诉求办复率100%。", ("群众诉求办复率", ">=", "100", "%")),
        ("每人每年参加培训60学时。", ("每人每年参加培训", ">=", "60", "学时")),
        ("全年办理案件不少于30件。", ("全年办理案件", ">=", "30", "件")),
    ],
)
def test_targets_keep_their_comparison_and_unit(text: str, target: tuple[str, ...]) -> None:
    [found] = find_targets(text)
    assert (found["name"], found["op"], found["value"], found["unit"]) == target
