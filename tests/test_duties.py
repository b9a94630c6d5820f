"""The 分工 is the unit of duty: an office sees, is reminded of and reported for its clauses."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import PLAN_2023, Invoke, timeline_of
from plantrack.core import duties
from plantrack.core.domain import Status


@pytest.fixture
def plan(plan_copy: Path) -> Path:
    """A copy of the bundled plan that commands may change."""
    return plan_copy


def due(cli: Invoke, plan: Path, dept: str, as_of: str) -> list[dict[str, object]]:
    out = cli("due", "--dept", dept, "--json", "--plan", str(plan), "--as-of", as_of).stdout
    records: list[dict[str, object]] = json.loads(out)
    return records


def test_an_office_no_longer_sees_the_clause_it_finished(cli: Invoke, plan: Path) -> None:
    cli(
        "mark", "22.1", "done", "--date", "2023-12-20", "--plan", str(plan), "--as-of", "2023-12-28"
    )
    assert 22 not in {item["task"] for item in due(cli, plan, "安监科", "2023-12-28")}
    office = [item for item in due(cli, plan, "办公室", "2023-12-28") if item["task"] == 22]
    assert [(item["clause"], item["clause_status"], item["role"]) for item in office] == [
        ("22.2", "未开始", "lead")
    ]


def test_the_plan_wide_view_stays_per_task(cli: Invoke, plan: Path) -> None:
    cli(
        "mark", "22.1", "done", "--date", "2023-12-20", "--plan", str(plan), "--as-of", "2023-12-28"
    )
    out = cli("due", "--json", "--plan", str(plan), "--as-of", "2023-12-28").stdout
    [item] = [item for item in json.loads(out) if item["task"] == 22]
    assert "clause" not in item  # a task is done only when all its clauses are


def test_tasks_shows_the_offices_own_clause_beside_the_task(cli: Invoke, plan: Path) -> None:
    cli(
        "mark",
        "14.1",
        "doing",
        "--date",
        "2023-09-01",
        "--plan",
        str(plan),
        "--as-of",
        "2023-10-01",
    )
    out = cli("tasks", "--dept", "安监科", "--plan", str(plan), "--as-of", "2023-10-01").stdout
    [row] = [line.split("\t") for line in out.splitlines() if line.startswith("14\t")]
    header = out.splitlines()[0].split("\t")
    cells = dict(zip(header, row, strict=True))
    assert cells["状态"] == "进行中" and cells["本单位分工"] == "14.2 未开始"
    record = json.loads(
        cli(
            "tasks", "--dept", "安监科", "--json", "--plan", str(plan), "--as-of", "2023-10-01"
        ).stdout
    )
    [task] = [r for r in record if r["id"] == 14]
    assert [(role["ref"], role["status"]) for role in task["roles"]] == [("14.2", "未开始")]


def test_the_digest_tells_an_office_everything_it_owes(cli: Invoke) -> None:
    text = cli("digest", "--dept", "执法支队", "--as-of", "2023-10-25").stdout
    assert "2023Q" not in text
    assert "本季度（2023年第四季度）还须完成的其余事项" in text
    year_end = next(line for line in text.splitlines() if "年底前完成的年度任务" in line)
    # Led clauses first, then shared ones, then those it alone is named in.
    assert year_end.split("：任务")[1].split("、") == ["14.1", "4", "15.2", "15.1", "16", "17"]


def test_the_digest_names_blocked_clauses_with_their_reason(cli: Invoke, plan: Path) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-10-20")
    cli("mark", "7.3", "blocked", "--note", "资金未到位", "--date", "2023-10-10", *args)
    text = cli("digest", "--dept", "财审科", *args).stdout
    assert "受阻 1 项\n· 任务7.3“持续优化市场监管环境”：资金未到位" in text
    assert "资金未到位" not in cli("digest", "--dept", "法规科", *args).stdout


def test_a_blocked_clause_is_reported_against_its_own_units(cli: Invoke, plan: Path) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-10-20")
    cli("mark", "7.3", "blocked", "--note", "资金未到位", "--date", "2023-10-10", *args)
    report = cli("report", "--quarter", "2023Q4", *args).stdout
    [row] = [line for line in report.splitlines() if line.startswith("| 受阻 | 7")]
    assert row.startswith("| 受阻 | 7.3. 持续优化市场监管环境 | 资金未到位 |")
    assert "局财审科" in row and "局法规科" not in row
    assert (
        "| 7 | 持续优化市场监管环境 | 局法规科、局财审科 | 12月31日前（原文未写明） | 受阻（0/3 完成） |"
        in report
    )


def test_units_are_counted_by_their_own_clauses(cli: Invoke, plan: Path) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-12-28")
    for clause in ("14.1", "15.1", "16", "17"):
        cli("mark", clause, "done", "--date", "2023-12-20", *args)
    report = cli("report", "--quarter", "2023Q4", "--as-of", "2024-01-03", "--plan", str(plan))
    [row] = [line for line in report.stdout.splitlines() if line.startswith("| 区交通执法支队 |")]
    assert row == "| 区交通执法支队 | 4 | 4 | 0 | 0 |"


def test_a_clause_with_a_note_has_begun() -> None:
    timeline = timeline_of(
        PLAN_2023.read_text(encoding="utf-8").replace(
            "        title: 统筹推进专项整治工作\n",
            "        title: 统筹推进专项整治工作\n        progress:\n"
            "          - date: 2023-03-01\n            note: 已部署\n",
        )
    )
    task = timeline.plan.tasks_by_id[13]
    assert timeline.status(task) is Status.IN_PROGRESS
    before = type(timeline)(timeline.plan, as_of=__import__("datetime").date(2023, 2, 28))
    assert before.status(task) is Status.NOT_STARTED  # from the entry's date on


def test_a_met_target_shows_as_met_and_says_so_where_the_task_is_due(
    cli: Invoke, plan: Path
) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-12-28")
    cli("actual", "20", "85%", "--date", "2023-07-20", *args)
    assert "实际 85%（2023-07-20）（达到）" in cli("show", "20", *args).stdout
    report = cli("report", "--quarter", "2023Q4", *args).stdout
    assert "| 20 | 行政机关负责人出庭应诉率 | ≥ 80% | 85%（2023-07-20） | 达到 |" in report
    assert cli("show", "20", "--json", *args).stdout.count('"status": "进行中"') >= 1


def test_a_clause_that_does_not_exist_is_refused(cli: Invoke) -> None:
    err = cli("show", "7.5", code=2).stderr
    assert "任务 7 只有 3 项分工，没有第 5 项：可选 7.1、7.2、7.3" in err


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("安全生产月", "2023-06"),
        ("宪法宣传周", "2023-12-07"),
        ("2023-05", "2023-05"),
        ("6月", "2023-06"),
    ],
)
def test_an_occurrence_is_named_as_plantrack_prints_it(
    cli: Invoke, plan: Path, typed: str, key: str
) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-12-28")
    cli("mark", "25", "done", "--occurrence", typed, "--date", "2023-12-10", *args)
    written = plan.read_text(encoding="utf-8")
    assert any(f"occurrence: {q}{key}{q}\n" in written for q in ("", "'", '"')), written[-400:]


def test_an_ambiguous_occurrence_is_refused_with_the_choices(cli: Invoke, plan: Path) -> None:
    before = plan.read_bytes()
    err = cli("mark", "25", "done", "--occurrence", "12月", "--plan", str(plan), code=2).stderr
    assert "“12月”可指任务 25 的几个时限" in err and "宪法宣传周" in err and "12·4" in err
    assert plan.read_bytes() == before


def test_the_ledger_warns_by_the_clause(cli: Invoke, plan: Path, tmp_path: Path) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-12-28")
    cli("mark", "22.1", "done", "--date", "2023-12-20", *args)
    out = cli("export", "--format", "json", *args).stdout
    rows = {row["序号"]: row for row in json.loads(out)}
    assert (rows["22.1"]["预警"], rows["22.2"]["预警"]) == ("绿", "黄")


def test_a_units_calendar_counts_its_own_clauses(cli: Invoke, plan: Path) -> None:
    args = ("--plan", str(plan), "--as-of", "2023-12-28")
    cli("mark", "22.1", "done", "--date", "2023-12-20", *args)
    mine = cli("export", "--format", "ics", "--dept", "安监科", *args).stdout
    theirs = cli("export", "--format", "ics", "--dept", "办公室", *args).stdout
    assert "[已完成] 【任务22.1】" in mine.replace("\r\n ", "")
    assert "SUMMARY:【任务22.2】" in theirs.replace("\r\n ", "")


def test_clause_refs_and_who_answers() -> None:
    timeline = timeline_of(PLAN_2023.read_text(encoding="utf-8"))
    task7, task16 = timeline.plan.tasks_by_id[7], timeline.plan.tasks_by_id[16]
    assert duties.clause_ref(task7, [3]) == "7.3"
    assert duties.clause_ref(task7, [1, 2, 3]) == "7"
    assert duties.answering(task7, [3]) == "局财审科"
    assert duties.answering(task16, [1]) == "区交通执法支队（责任单位，原文未列牵头）"
    assert duties.answers_for(task16, 1, "区交通执法支队")
    assert duties.clauses_done(timeline, task7) == ""  # all three alike
