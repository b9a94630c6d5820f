"""The plan's whole year: late entries that leave filed reports as they were, closing in January."""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import docx
import pytest

from helpers import DATA, Invoke
from plantrack.planfile.load import parse_plan


def report_q1(cli: Invoke, plan: Path, today: str, as_of: str) -> str:
    args = ("report", "--quarter", "2023Q1", "--as-of", as_of, "--plan", str(plan))
    return str(cli(*args, env={"PLANTRACK_TODAY": today}).stdout)


def test_a_late_entry_leaves_a_filed_report_as_it_was(cli: Invoke, plan_copy: Path) -> None:
    filed = report_q1(cli, plan_copy, "2023-04-03", "2023-04-03")
    late = ("log", "3", "已报送示范创建申报材料", "--date", "2023-03-30", "--by", "张三")
    cli(*late, "--plan", str(plan_copy), env={"PLANTRACK_TODAY": "2024-01-05"})
    assert "            recorded: 2024-01-05\n" in plan_copy.read_text(encoding="utf-8")
    assert report_q1(cli, plan_copy, "2024-01-05", "2023-04-03") == filed
    corrected = report_q1(cli, plan_copy, "2024-01-05", "2024-01-05")
    assert "已报送示范创建申报材料" in corrected and corrected != filed


def test_an_entry_written_on_its_own_day_carries_no_recorded(cli: Invoke, plan_copy: Path) -> None:
    args = ("log", "3", "已部署", "--plan", str(plan_copy))
    cli(*args, env={"PLANTRACK_TODAY": "2023-03-30"})
    assert "recorded:" not in plan_copy.read_text(encoding="utf-8")


def test_show_says_when_an_entry_was_written_down_late(cli: Invoke, plan_copy: Path) -> None:
    late = ("log", "3", "已报送", "--date", "2023-03-30", "--by", "张三", "--plan", str(plan_copy))
    cli(*late, env={"PLANTRACK_TODAY": "2024-01-05"})
    out = cli("show", "3", "--plan", str(plan_copy), "--as-of", "2024-01-05").stdout
    assert "2023-03-30 已报送（张三）（2024-01-05 补记）" in out
    assert (
        "已报送" not in cli("show", "3", "--plan", str(plan_copy), "--as-of", "2023-12-31").stdout
    )


def test_a_year_is_closed_in_january_with_an_explicit_date(cli: Invoke, plan_copy: Path) -> None:
    january = {"PLANTRACK_TODAY": "2024-01-10"}
    err = cli("mark", "3", "done", "--plan", str(plan_copy), code=2, env=january).stderr
    assert "今天（2024-01-10）不在计划年度 2023 年内" in err and "--date 2023-12-28" in err
    cli("mark", "3", "done", "--date", "2023-12-28", "--plan", str(plan_copy), env=january)
    text = plan_copy.read_text(encoding="utf-8")
    assert "          - date: 2023-12-28\n            status: 已完成\n" in text
    assert "            recorded: 2024-01-10\n" in text
    assert "没有发现问题" in cli("check", "--plan", str(plan_copy), env=january).stdout


def test_a_date_picks_its_own_years_plan(
    cli: Invoke, plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    next_year = plan_copy.with_name("2024.yaml")
    next_year.write_text(
        plan_copy.read_text(encoding="utf-8")
        .replace("year: 2023", "year: 2024", 1)
        .replace("default_due: 2023-12-31", "default_due: 2024-12-31"),
        encoding="utf-8",
    )
    before = next_year.read_bytes()
    january = {"PLANTRACK_TODAY": "2024-01-10"}
    monkeypatch.chdir(plan_copy.parent.parent)
    cli("mark", "3", "done", "--date", "2023-12-28", env=january)
    assert next_year.read_bytes() == before
    assert "recorded: 2024-01-10" in plan_copy.read_text(encoding="utf-8")


def test_a_postponed_deadline_is_not_overdue_until_its_new_date(
    cli: Invoke, plan_copy: Path
) -> None:
    args = ("--plan", str(plan_copy))
    move = ("postpone", "13", "2023-12-15", "--reason", "等待市局统一部署", "--by", "张三", *args)
    out = cli(*move, env={"PLANTRACK_TODAY": "2023-10-25"}).stdout
    assert "时限已延期至 2023-12-15" in out

    def overdue(as_of: str) -> list[tuple[int, str]]:
        found = json.loads(cli("due", "--dept", "法规科", "--json", *args, "--as-of", as_of).stdout)
        return [(i["task"], i["date"]) for i in found if i["overdue"] and i["task"] == 13]

    assert overdue("2023-11-05") == []
    assert overdue("2023-12-20") == [(13, "2023-12-15")]
    # Before the postponement was decided, the old date stood.
    assert (
        json.loads(cli("show", "13", "--json", *args, "--as-of", "2023-10-20").stdout)["deadlines"][
            0
        ]["date"]
        == "2023-10-31"
    )
    report = cli("report", "--quarter", "2023Q4", "--as-of", "2024-01-03", *args).stdout
    assert "本期延期的时限：" in report
    assert (
        "完成阶段性专项整治任务由10月31日延期至12月15日（原因：等待市局统一部署）（张三）" in report
    )
    assert "完成阶段性专项整治任务（延期至12月15日，原因：等待市局统一部署）" in report
    word = plan_copy.with_name("q4.docx")
    cli("report", "--quarter", "2023Q4", "--as-of", "2024-01-03", "--format", "docx", *args,
        "-o", str(word))  # fmt: skip
    paragraphs = [paragraph.text for paragraph in docx.Document(str(word)).paragraphs]
    assert "本期延期的时限：" in paragraphs
    ledger = json.loads(cli("export", "--format", "json", *args, "--as-of", "2023-11-05").stdout)
    [row] = [row for row in ledger if row["序号"] == "13"]
    assert row["完成时限"] == "2023-12-15"
    assert "完成阶段性专项整治任务：10月31日延期至12月15日（等待市局统一部署）" in row["备注"]


def test_a_deadline_postponed_twice_shows_both_steps(cli: Invoke, plan_copy: Path) -> None:
    args = ("--plan", str(plan_copy))
    cli(
        "postpone",
        "13",
        "2023-12-15",
        "--reason",
        "甲",
        *args,
        env={"PLANTRACK_TODAY": "2023-10-25"},
    )
    cli(
        "postpone",
        "13",
        "2023-12-20",
        "--reason",
        "乙",
        *args,
        env={"PLANTRACK_TODAY": "2023-11-20"},
    )
    out = cli("show", "13", *args, "--as-of", "2023-11-25").stdout
    assert "延期：2023-10-31 → 2023-12-15（2023-10-25，原因：甲）" in out
    assert "延期：2023-12-15 → 2023-12-20（2023-11-20，原因：乙）" in out


@pytest.mark.parametrize(
    ("new_date", "message"),
    [
        ("2023-10-01", "不晚于原时限 2023-10-31：延期只能往后推"),
        ("2024-02-01", "不在计划年度 2023 年内"),
    ],
)
def test_a_postponement_backwards_or_out_of_the_year_is_refused(
    cli: Invoke, plan_copy: Path, new_date: str, message: str
) -> None:
    before = plan_copy.read_bytes()
    args = ("postpone", "13", new_date, "--reason", "甲", "--plan", str(plan_copy))
    assert message in cli(*args, code=2, env={"PLANTRACK_TODAY": "2023-10-25"}).stderr
    assert plan_copy.read_bytes() == before


def test_a_postponement_needs_a_reason_and_a_deadline(cli: Invoke, plan_copy: Path) -> None:
    env = {"PLANTRACK_TODAY": "2023-10-25"}
    args = ("--plan", str(plan_copy))
    assert "延期须写明原因" in cli("postpone", "13", "2023-12-15", *args, code=2, env=env).stderr
    err = cli("postpone", "26", "2023-12-15", "--reason", "甲", *args, code=2, env=env).stderr
    assert "延期须用 occurrence 写明延的是哪一个" in err


@pytest.fixture
def closed_year(cli: Invoke, plan_copy: Path) -> Path:
    """The bundled plan, its year closed in January: 7.3 blocked, task 3 done."""
    january = {"PLANTRACK_TODAY": "2024-01-10"}
    args = ("--plan", str(plan_copy))
    cli(
        "mark", "7.3", "blocked", "--note", "资金未到位", "--date", "2023-10-10", *args, env=january
    )
    cli("mark", "3", "done", "--date", "2023-12-28", *args, env=january)
    return plan_copy


def test_rollover_carries_what_is_unfinished_once(cli: Invoke, closed_year: Path) -> None:
    january = {"PLANTRACK_TODAY": "2024-01-10"}
    target = closed_year.with_name("2024.yaml")
    args = ("rollover", "--to", str(target), "--plan", str(closed_year))
    out = cli(*args, env=january).stdout
    assert "2023/7.3 持续优化市场监管环境（受阻：资金未到位（2023-10-10））" in out
    assert "2023/3 " not in out and "2023/26 " not in out  # done; a standing duty
    assert "没有发现问题" in cli("check", str(target), env=january).stdout
    written = target.read_bytes()
    again = cli(*args, env=january).stdout
    assert "没有需要结转的分工（已结转过" in again and target.read_bytes() == written
    listing = cli("tasks", "--dept", "财审科", "--plan", str(target), env=january).stdout
    [row] = [line for line in listing.splitlines() if "持续优化市场监管环境" in line]
    assert "受阻" in row
    shown = cli("show", row.split("\t")[0], "--plan", str(target), env=january).stdout
    assert "结转自 2023 年计划的 7.3（上年年底：受阻：资金未到位（2023-10-10））" in shown


def test_rollover_into_an_imported_plan_only_adds_lines(
    cli: Invoke, closed_year: Path, tmp_path: Path
) -> None:
    january = {"PLANTRACK_TODAY": "2024-01-10"}
    target = closed_year.with_name("2024.yaml")
    document = DATA / "docs" / "2024年重点工作任务分工方案.docx"
    cli("import", str(document), "-o", str(target), env=january)
    imported = target.read_text(encoding="utf-8").splitlines()
    cli("rollover", "--to", str(target), "--plan", str(closed_year), env=january)
    after = target.read_text(encoding="utf-8").splitlines()
    # Every line the import wrote is still there, in order: lines were only added.
    changes = difflib.SequenceMatcher(None, imported, after, autojunk=False).get_opcodes()
    assert {tag for tag, *_ in changes} == {"equal", "insert"}
    plan = parse_plan("\n".join(after), "2024.yaml")
    assert [t.id for t in plan.sections[0].tasks] == [
        t.id for t in parse_plan("\n".join(imported), "2024.yaml").sections[0].tasks
    ]
    assert plan.sections[-1].title == "上年度结转任务"
    assert "没有发现问题" in cli("check", str(target), env=january).stdout


def test_rollover_dry_run_and_wrong_year(cli: Invoke, closed_year: Path) -> None:
    january = {"PLANTRACK_TODAY": "2024-01-10"}
    target = closed_year.with_name("2024.yaml")
    out = cli("rollover", "--to", str(target), "--dry-run", "--plan", str(closed_year), env=january)
    assert "--dry-run" in out.stdout and not target.exists()
    wrong = closed_year.with_name("2025.yaml")
    wrong.write_bytes(closed_year.read_bytes())
    err = cli("rollover", "--to", str(wrong), "--plan", str(closed_year), code=2, env=january)
    assert "只能结转到 2024 年" in err.stderr


def test_in_january_last_years_leftovers_come_weekly_with_the_way_out(
    cli: Invoke, closed_year: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(closed_year.parent.parent)
    wednesday = cli("digest", "--dept", "财审科", "--as-of", "2024-01-10").stdout
    assert "上年度（2023 年）未完成 4 项（每周一列出明细）" in wednesday
    assert "已逾期" not in wednesday and "plantrack rollover --to plans/2024.yaml" in wednesday
    monday = cli("digest", "--dept", "财审科", "--as-of", "2024-01-15").stdout
    assert (
        "上年度（2023 年）未完成 4 项\n· 年底前完成的年度任务 4 项：任务7.3、11.2、12、18" in monday
    )
    due = cli("due", "--dept", "财审科", "--as-of", "2024-01-10").stdout
    assert due.splitlines()[1].startswith("上年度未完成")
    # Once next year's plan exists, the carried clauses are its own tasks.
    cli("rollover", "--to", "plans/2024.yaml", env={"PLANTRACK_TODAY": "2024-01-10"})
    carried = cli("digest", "--dept", "财审科", "--as-of", "2024-01-15").stdout
    assert "上年度（" not in carried
    assert "· 任务9“持续优化市场监管环境”：上年度结转：受阻：资金未到位（2023-10-10）" in carried
