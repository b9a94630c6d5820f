"""Truth over time: a year of work recorded in git, and every answer as it stood on its day.

The progress log is the history. Reports written at a quarter's close and regenerated later
with the same --as-of must be identical, however much was recorded in between.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Invoke, git, plan_repository

# (day, command): each command runs on its own day, as a clerk would run it then.
YEAR_OF_WORK: list[tuple[str, list[str]]] = [
    ("2023-03-28", ["mark", "26", "done", "--occurrence", "2023Q1", "--note", "报送第1期简报"]),
    ("2023-04-10", ["mark", "13", "doing", "--note", "印发专项整治方案"]),
    ("2023-06-28", ["log", "13", "完成线索收集"]),
    ("2023-07-03", ["mark", "26", "done", "--occurrence", "2023Q2", "--note", "报送第2期简报"]),
    ("2023-07-20", ["actual", "20", "85%", "--note", "上半年 3 件案件均出庭"]),
    ("2023-08-30", ["mark", "9", "done", "--note", "意见已报送"]),
    ("2023-09-10", ["mark", "7.3", "blocked", "--note", "政策清单待市局下发"]),
    ("2023-09-20", ["mark", "26", "done", "--occurrence", "2023Q3", "--note", "报送经验做法"]),
    ("2023-10-20", ["mark", "13", "done", "--note", "阶段性任务完成"]),
    ("2023-11-15", ["mark", "7.3", "doing", "--note", "清单已下发，恢复推进"]),
    ("2023-11-18", ["actual", "20", "90", "--note", "全年出庭应诉率"]),
]
CLOSES = {"2023Q2": "2023-06-30", "2023Q3": "2023-09-30"}


@pytest.fixture
def repo(tmp_path: Path, plan_text: str) -> Path:
    """A git repository holding a copy of the bundled plan."""
    return plan_repository(tmp_path, plan_text, user="法规科")


def report(cli: Invoke, plan: Path, quarter: str, fmt: str) -> str:
    args = ["report", "--quarter", quarter, "--as-of", CLOSES[quarter], "--format", fmt]
    return str(cli(*args, "--plan", str(plan)).stdout)


def test_reports_written_at_a_close_are_regenerated_byte_for_byte(cli: Invoke, repo: Path) -> None:
    plan = repo / "plans" / "2023.yaml"
    written: dict[tuple[str, str], str] = {}
    for day, command in YEAR_OF_WORK:
        for quarter, close in CLOSES.items():
            if close < day:
                for fmt in ("md", "html"):
                    now = report(cli, plan, quarter, fmt)
                    assert written.setdefault((quarter, fmt), now) == now, (quarter, day)
        cli(*command, "--plan", str(plan), env={"PLANTRACK_TODAY": day})
        git(repo, "commit", "-q", "-am", f"{day} {' '.join(command)}")
    for (quarter, fmt), text in written.items():
        assert report(cli, plan, quarter, fmt) == text
    q2 = written[("2023Q2", "md")]
    # On 30 June task 13 was under way and task 9 not done; nothing was blocked yet.
    assert "| 13 | 统筹推进专项整治工作 | 局法规科 | 10月31日前 | 进行中 |" in q2
    assert "| 9 | 提高制度建设的质量和效率 | 局法规科 | 12月31日前（原文未写明） | 未开始 |" in q2
    assert "受阻" not in q2.split("## 三、存在的问题")[1].split("## 四")[0]
    assert "| 20 | 行政机关负责人出庭应诉率 | ≥ 80% | 未填报 | — |" in q2
    q3 = written[("2023Q3", "md")]
    assert (
        "| 逾期完成 | 26. 落实法治工作信息报送制度 | 第二季度报送法治建设工作文稿 | 2023-06-30 | 3 |"
        in q3
    )
    assert "| 20 | 行政机关负责人出庭应诉率 | ≥ 80% | 85%（2023-07-20） | 达到 |" in q3
    assert "| 26 | 每季度报送法治建设工作文稿 | 每季度≥ 1篇 | 3/4 次已完成 | 达到 |" in q3


def test_due_and_tasks_answer_as_of_their_date(cli: Invoke, repo: Path) -> None:
    plan = str(repo / "plans" / "2023.yaml")
    for day, command in YEAR_OF_WORK:
        cli(*command, "--plan", plan, env={"PLANTRACK_TODAY": day})
    due = cli("due", "--dept", "法规科", "--as-of", "2023-03-20", "--json", "--plan", plan)
    assert "2023Q1" in [item["occurrence"] for item in json.loads(due.stdout)]
    late = cli("due", "--dept", "法规科", "--as-of", "2023-04-01", "--json", "--plan", plan)
    assert "2023Q1" not in [item["occurrence"] for item in json.loads(late.stdout)]
    tasks = json.loads(cli("tasks", "--json", "--as-of", "2023-10-08", "--plan", plan).stdout)
    task_26 = tasks[25]
    assert task_26["status"] == "进行中"
    assert task_26["occurrence_counts"] == {"done": 3, "due": 3, "total": 5}
    q2 = next(d for d in task_26["deadlines"] if d["occurrence"] == "2023Q2")
    assert (q2["done"], q2["done_on"], q2["late_days"]) == (True, "2023-07-03", 3)
    assert tasks[6]["status"] == "受阻" and tasks[6]["clauses"][2]["status"] == "受阻"
    assert tasks[19]["targets"][0]["actual"] == 85
    later = json.loads(cli("tasks", "--json", "--as-of", "2023-12-01", "--plan", plan).stdout)
    assert later[6]["status"] == "进行中" and later[19]["targets"][0]["actual"] == 90
    early = json.loads(cli("tasks", "--json", "--as-of", "2023-03-01", "--plan", plan).stdout)
    assert {t["status"] for t in early} == {"未开始"} and early[25]["progress"] == []


def test_show_says_when_an_item_was_done_and_how_late(cli: Invoke, repo: Path) -> None:
    plan = str(repo / "plans" / "2023.yaml")
    for day, command in YEAR_OF_WORK[:4]:
        cli(*command, "--plan", plan, env={"PLANTRACK_TODAY": day})
    out = cli("show", "26", "--as-of", "2023-07-05", "--plan", plan).stdout
    assert "✓ 2023-06-30  第二季度报送法治建设工作文稿（2023-07-03 完成，逾期完成 3 天）" in out
    assert "✓ 2023-03-31  第一季度报送法治建设工作文稿（2023-03-28 完成）" in out
    assert "时限（2/5 项已完成）" in out


@pytest.fixture
def two_years(tmp_path: Path, plan_text: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plans/2023.yaml and plans/2024.yaml side by side, the working directory above them."""
    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "2023.yaml").write_text(plan_text, encoding="utf-8")
    next_year = plan_text.replace("title: 2023年交通法治工作要点", "title: 2024年交通法治工作要点")
    next_year = next_year.replace("year: 2023", "year: 2024").replace(
        "default_due: 2023-12-31", "default_due: 2024-12-31"
    )
    (plans / "2024.yaml").write_text(next_year, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return plans


def test_the_period_chooses_the_years_plan(cli: Invoke, two_years: Path) -> None:
    out = cli("report", "--quarter", "previous", env={"PLANTRACK_TODAY": "2024-01-01"}).stdout
    assert out.startswith("# 2023年交通法治工作要点 2023年第四季度进展报告\n")
    current = cli("report", "--quarter", "current", env={"PLANTRACK_TODAY": "2024-01-01"}).stdout
    assert current.startswith("# 2024年交通法治工作要点 2024年第一季度进展报告\n")
    due = cli("due", "--quarter", "2023Q4", "--as-of", "2024-01-01", "--json").stdout
    assert {item["date"][:4] for item in json.loads(due)} == {"2023"}


def test_a_period_without_a_plan_is_refused_naming_the_plans(cli: Invoke, two_years: Path) -> None:
    err = cli("report", "--quarter", "2025Q1", code=2).stderr
    assert "没有 2025 年的计划文件" in err
    assert "plans/2023.yaml（2023 年）、plans/2024.yaml（2024 年）" in err
    given = cli("report", "--quarter", "2024Q1", "--plan", "plans/2023.yaml", code=2).stderr
    assert "2024 年" in given and "plans/2023.yaml 是 2023 年的计划" in given


def test_output_path_names_the_resolved_period(cli: Invoke, two_years: Path) -> None:
    cli("report", "--quarter", "previous", "-o", "进展报告-{period}.md",
        env={"PLANTRACK_TODAY": "2024-01-01"})  # fmt: skip
    assert (two_years.parent / "进展报告-2023Q4.md").is_file()
