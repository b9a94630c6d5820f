"""The command line as users drive it, through Typer's CliRunner."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import BROKEN_COPIES, DUE_PIPED_HEADER, PLANTRACK, ROOT, Invoke

Breaker = Callable[[str, str], tuple[Path, int]]


def rows(output: str) -> list[list[str]]:
    """Parse tab-separated output (what plantrack prints when piped)."""
    return [line.split("\t") for line in output.splitlines()]


def _display_width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_check_accepts_the_bundled_plan(cli: Invoke) -> None:
    result = cli("check")
    assert result.stdout == (
        "plans/2023.yaml: 没有发现问题（9 个部分，26 项任务，33 项分工，13 个单位）\n"
    )


def test_check_reports_problem_location_and_exits_1(cli: Invoke, broken_plan: Breaker) -> None:
    path, line = broken_plan("      - id: 14\n", "      - id: 13\n")
    result = cli("check", "--plan", str(path), code=1)
    assert result.stderr == f"{path}:{line}:13: 任务编号 13 重复：每个任务的 id 必须唯一\n"
    assert result.stdout == ""


def test_every_command_reports_plan_problems_the_same_way(
    cli: Invoke, broken_plan: Breaker
) -> None:
    path, line = broken_plan("      - id: 14\n", "      - id: 13\n")
    for command in (["tasks"], ["due"], ["show", "1"]):
        result = cli(*command, "--plan", str(path), code=1)
        assert result.stderr.startswith(f"{path}:{line}:13: ")


def test_due_lists_task_13_and_26_in_window(cli: Invoke) -> None:
    result = cli("due", "--dept", "法规科", "--as-of", "2023-10-01", "--within", "60")
    table = rows(result.stdout)
    assert table[0] == DUE_PIPED_HEADER
    assert {r[9] for r in table[1:]} == {"牵头"} and {r[8] for r in table[1:]} == {"未开始"}
    upcoming = [(r[4], r[2]) for r in table[1:] if r[0] != "已逾期"]
    assert upcoming == [("13", "2023-10-31"), ("26", "2023-11-20")]
    overdue = [r for r in table[1:] if r[0] == "已逾期"]
    assert all(r[1] == "红" and r[3].startswith("逾期 ") for r in overdue)
    assert ["已逾期", "红", "2023-09-30", "逾期 1 天", "26", "落实法治工作信息报送制度",
            "第三季度报送法治建设工作文稿", "局法规科", "未开始", "牵头"] in table  # fmt: skip


def test_due_json_contract(cli: Invoke) -> None:
    result = cli("due", "--dept", "法规科", "--as-of", "2023-07-05", "--json")
    items = json.loads(result.stdout)
    q2 = next(i for i in items if i.get("occurrence") == "2023Q2")
    assert q2["task"] == 26 and q2["date"] == "2023-06-30" and q2["overdue"] is True
    assert q2["label"] == "报送法治建设工作文稿"
    assert q2["days_left"] == -5 and q2["level"] == "红" and q2["lead"] == ["局法规科"]
    assert all({"task", "date", "label", "overdue"} <= set(i) for i in items)


def test_due_defaults_to_plantrack_today(cli: Invoke) -> None:
    result = cli("due", "--json", env={"PLANTRACK_TODAY": "2023-12-30"})
    items = json.loads(result.stdout)
    assert {i["date"] for i in items if not i["overdue"]} == {"2023-12-31"}


def test_due_yellow_within_warn_days(cli: Invoke) -> None:
    items = json.loads(cli("due", "--as-of", "2023-10-25", "--json", "--within", "7").stdout)
    task_13 = next(i for i in items if i["task"] == 13)
    assert (task_13["level"], task_13["days_left"], task_13["overdue"]) == ("黄", 6, False)


def test_tasks_by_role(cli: Invoke) -> None:
    lead = rows(cli("tasks", "--dept", "执法支队", "--role", "lead").stdout)
    assert [r[0] for r in lead[1:]] == ["14"]
    assert lead[1][-1] == "牵头"
    responsible = rows(cli("tasks", "--dept", "执法支队", "--role", "责任").stdout)
    assert [r[0] for r in responsible[1:]] == ["4", "15", "16", "17"]
    duties = rows(cli("tasks", "--dept", "执法支队").stdout)
    assert [(r[0], r[-1]) for r in duties[1:]] == [
        ("4", "责任"), ("14", "牵头"), ("15", "责任"), ("16", "责任"), ("17", "责任")
    ]  # fmt: skip
    everything = cli("tasks", "--dept", "执法支队", "--role", "any", "--include-possible").stdout
    assert len(rows(everything)) == 1 + 25
    assert "--role" in cli("tasks", "--dept", "执法支队", "--role", "boss", code=2).output


def test_tasks_json_contract(cli: Invoke) -> None:
    tasks = json.loads(cli("tasks", "--json").stdout)
    assert [t["id"] for t in tasks] == list(range(1, 27))
    first = tasks[0]
    assert isinstance(first["id"], int) and first["section"] == 1
    assert first["title"] == "全面学习贯彻党的二十大精神" and first["status"] == "未开始"
    assert first["clauses"][0]["lead"] == ["局法规科", "局组教科"]
    assert first["clauses"][0]["responsible"] == ["局属各单位", "局机关各科室"]
    assert first["deadlines"][0]["date"] == "2023-12-31"
    task_26 = tasks[25]
    assert [d["date"] for d in task_26["deadlines"]] == [
        "2023-03-31", "2023-06-30", "2023-09-30", "2023-11-20", "2023-12-31",
    ]  # fmt: skip


def test_tasks_filter_by_section_and_status(cli: Invoke) -> None:
    section = rows(cli("tasks", "--section", "6").stdout)
    assert [r[0] for r in section[1:]] == ["17"]
    assert rows(cli("tasks", "--status", "done").stdout)[1:] == []


def test_tasks_table_in_a_terminal(cli: Invoke) -> None:
    result = cli("tasks", "--dept", "法规科", env={"FORCE_COLOR": "1", "COLUMNS": "160"})
    screen = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout)
    assert "┃ 序号 ┃ 工作任务" in screen
    assert "│ 13   │ 统筹推进专项整治工作" in screen
    # CJK cells are two columns wide: every table line has the same display width.
    widths = {_display_width(line) for line in screen.splitlines()[:-1]}
    assert len(widths) == 1
    assert screen.endswith("共 22 项任务\n")  # the tasks 法规科 leads or shares


def test_unknown_department_suggests_the_registry_name(cli: Invoke) -> None:
    result = cli("tasks", "--dept", "法规处", code=2)
    assert result.stderr.startswith("未知单位“法规处”。是否指 局法规科？")
    result = cli("due", "--dept", "法规处", code=2)
    assert "局法规科" in result.stderr


def test_unknown_status_and_bad_dates_are_usage_errors(cli: Invoke) -> None:
    assert "可选" in cli("tasks", "--status", "finished", code=2).stderr
    assert "YYYY-MM-DD" in cli("due", "--as-of", "2023-02-30", code=2).stderr
    assert "--within" in cli("due", "--within", "soon", code=2).stderr


def test_show_prints_the_whole_task(cli: Invoke) -> None:
    out = cli("show", "13").stdout
    assert out.startswith(
        "13. 统筹推进专项整治工作  未开始\n第5部分  扎实开展交通运输执法领域突出问题专项整治\n"
    )
    assert "10 月 31 日之前完成阶段性专项整治任务" in out
    assert "牵头单位：局法规科" in out
    assert "2023-10-31  完成阶段性专项整治任务" in out
    assert "工作阶段：安排部署 → 线索收集 → 自查自纠 → 督查整改 → 全面总结" in out


def test_show_sources_dates_not_in_the_text(cli: Invoke) -> None:
    out = cli("show", "25").stdout
    assert "2023-06-01 至 2023-06-30  “安全生产月”集中普法活动" in out
    assert "日期来源：全国“安全生产月”自2002年起每年6月开展（原文未载明）" in out
    assert "日期不详  “信用交通月”集中普法活动" in out


def test_show_json_and_unknown_task(cli: Invoke) -> None:
    record = json.loads(cli("show", "20", "--json").stdout)
    assert record["targets"][0]["value"] == 80
    assert cli("show", "99", code=2).stderr == "没有序号为 99 的任务：可选 1–26\n"


def test_missing_plan_file(cli: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "none.yaml"
    result = cli("check", "--plan", str(missing), code=1)
    assert result.stderr == f"{missing}: 找不到计划文件。请用 --plan 指定路径。\n"


def test_plan_from_environment(cli: Invoke, tmp_path: Path) -> None:
    result = cli("check", code=1, env={"PLANTRACK_PLAN": str(tmp_path / "x.yaml")})
    assert "找不到计划文件" in result.stderr


def test_unexpected_error_is_reported_without_traceback(
    cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    import plantrack.core.answers

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(plantrack.core.answers, "select_tasks", explode)
    result = cli("tasks", code=3)
    assert result.stderr.startswith("plantrack 内部错误：RuntimeError: boom\n")
    assert "Traceback" not in result.stderr


def test_no_arguments_shows_help(cli: Invoke) -> None:
    result = cli(code=2)
    assert "due" in result.output and "tasks" in result.output


@pytest.mark.parametrize("name", sorted(BROKEN_COPIES))
def test_check_exits_1_on_each_broken_copy(cli: Invoke, broken_plan: Breaker, name: str) -> None:
    old, new, offset, col, message = BROKEN_COPIES[name]
    path, line = broken_plan(old, new)
    result = cli("check", "--plan", str(path), code=1)
    assert result.stderr == f"{path}:{line + offset}:{col}: {message}\n"


@pytest.fixture
def plan_in_git(tmp_path: Path, plan_text: str) -> Path:
    """A copy of the plan inside a git repository whose user is 测试员."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run(["git", "-C", str(tmp_path), "config", "user.name", "测试员"], check=True)
    path = tmp_path / "plans" / "2023.yaml"
    path.parent.mkdir()
    path.write_text(plan_text, encoding="utf-8")
    return path


def test_mark_then_tasks_shows_done(cli: Invoke, plan_in_git: Path) -> None:
    plan = str(plan_in_git)
    result = cli(
        "mark",
        "13",
        "done",
        "--note",
        "阶段性任务完成",
        "--date",
        "2023-10-20",
        "--plan",
        plan,
        env={"PLANTRACK_TODAY": "2023-10-20"},
    )
    assert result.stdout == (
        f"已更新 {plan}：任务 13「统筹推进专项整治工作」现为 已完成\n"
        "  进展：2023-10-20 已完成 阶段性任务完成（测试员）\n"
    )
    listed = cli("tasks", "--json", "--plan", plan, "--as-of", "2023-10-20").stdout
    [task] = [t for t in json.loads(listed) if t["id"] == 13]
    assert task["status"] == "已完成"
    assert task["progress"] == [
        {"date": "2023-10-20", "note": "阶段性任务完成", "status": "已完成", "by": "测试员"}
    ]


def test_mark_date_defaults_to_as_of_then_today(cli: Invoke, plan_in_git: Path) -> None:
    plan = str(plan_in_git)
    cli("mark", "1", "doing", "--as-of", "2023-03-01", "--by", "李四", "--plan", plan)
    cli("log", "1", "学习了二十大报告", "--plan", plan)  # PLANTRACK_TODAY is 2023-07-05
    progress = json.loads(cli("show", "1", "--json", "--plan", plan).stdout)["progress"]
    assert [(p["date"], p.get("status"), p["by"]) for p in progress] == [
        ("2023-03-01", "进行中", "李四"),
        ("2023-07-05", None, "测试员"),
    ]


def test_mark_occurrence_clears_only_that_quarter(cli: Invoke, plan_in_git: Path) -> None:
    plan = str(plan_in_git)

    def overdue_keys() -> list[str]:
        out = cli("due", "--dept", "法规科", "--as-of", "2023-07-05", "--json", "--plan", plan)
        return [i["occurrence"] for i in json.loads(out.stdout) if i["task"] == 26]

    assert overdue_keys() == ["2023Q1", "2023Q2"]
    cli("mark", "26", "done", "--occurrence", "2023Q2", "--plan", plan)
    assert overdue_keys() == ["2023Q1"]
    q3 = cli("due", "--as-of", "2023-09-29", "--json", "--plan", plan).stdout
    assert "2023Q3" in [i["occurrence"] for i in json.loads(q3) if i["task"] == 26]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["mark", "13", "finished"],
            "可选：未开始（todo）、进行中（doing）、已完成（done）、受阻（blocked）",
        ),
        (["mark", "99", "done"], "没有序号为 99 的任务：可选 1–26"),
        (["mark", "13", "done", "--date", "2023-13-01"], "--date 的日期“2023-13-01”无效"),
        (
            ["mark", "26", "done", "--occurrence", "Q2"],
            "可选 2023Q1（第一季度）、2023Q2（第二季度）",
        ),
        (["log", "x", "备注"], "任务写法“x”无效"),
    ],
)
def test_bad_mark_leaves_file_identical(
    cli: Invoke, plan_in_git: Path, args: list[str], message: str
) -> None:
    digest = hashlib.sha256(plan_in_git.read_bytes()).hexdigest()
    result = cli(*args, "--plan", str(plan_in_git), code=2)
    assert message in result.stderr
    assert hashlib.sha256(plan_in_git.read_bytes()).hexdigest() == digest


def test_dry_run_prints_diff_only(cli: Invoke, plan_in_git: Path) -> None:
    before = plan_in_git.read_bytes()
    result = cli("mark", "13", "done", "--dry-run", "--plan", str(plan_in_git))
    assert "-            status: 未开始\n+            status: 已完成\n" in result.stdout
    assert "文件未改动" in result.stderr
    assert plan_in_git.read_bytes() == before


def test_due_for_a_quarter(cli: Invoke) -> None:
    table = rows(cli("due", "--quarter", "2023Q4", "--as-of", "2023-10-08").stdout)
    dates = sorted({r[2] for r in table[1:]})
    assert dates == ["2023-10-31", "2023-11-20", "2023-12-04", "2023-12-07", "2023-12-31"]
    assert "--quarter" in cli("due", "--quarter", "Q9", code=2).stderr


def test_marking_a_clause_names_that_clauses_status(cli: Invoke, plan_in_git: Path) -> None:
    plan = str(plan_in_git)
    cli("mark", "7.3", "blocked", "--note", "待市局下发", "--plan", plan)
    result = cli("mark", "7.1", "done", "--plan", plan)
    assert result.stdout.startswith(f"已更新 {plan}：任务 7.1「持续优化市场监管环境」现为 已完成\n")


@pytest.mark.parametrize(
    "args",
    [["13", "done"], ["26", "done", "--occurrence", "2023Q2"], ["7.2", "doing"]],
)
def test_marking_again_says_so_and_writes_nothing(
    cli: Invoke, plan_in_git: Path, args: list[str]
) -> None:
    plan = str(plan_in_git)
    cli("mark", *args, "--plan", plan)
    before = plan_in_git.read_bytes()
    again = cli("mark", *args, "--plan", plan)
    assert "未改动" in again.stdout and "要补记说明，请加 --note" in again.stdout
    if "--occurrence" in args:
        assert "的 2023Q2 已是 已完成" in again.stdout
    assert plan_in_git.read_bytes() == before
    cli("mark", *args, "--note", "补充说明", "--plan", plan)
    assert plan_in_git.read_bytes() != before  # with a note there is something to record


def test_an_empty_note_is_refused(cli: Invoke, plan_in_git: Path) -> None:
    before = plan_in_git.read_bytes()
    for note in ("", "   "):
        assert (
            "进展说明不能为空" in cli("log", "13", note, "--plan", str(plan_in_git), code=2).stderr
        )
    assert plan_in_git.read_bytes() == before


def test_actual_records_a_targets_value_in_the_log(cli: Invoke, plan_in_git: Path) -> None:
    plan = str(plan_in_git)
    result = cli("actual", "20", "85%", "--date", "2023-07-01", "--plan", plan)
    assert result.stdout == (
        f"已更新 {plan}：任务 20「依法开展行政复议和应诉相关工作」已记录目标实际值\n"
        "  进展：2023-07-01 行政机关负责人出庭应诉率 实际 85%（测试员）（2023-07-05 补记）\n"
    )
    assert "            target: 行政机关负责人出庭应诉率\n            value: 85\n" in (
        plan_in_git.read_text(encoding="utf-8")
    )
    record = json.loads(cli("show", "20", "--json", "--plan", plan).stdout)
    assert (record["targets"][0]["actual"], record["targets"][0]["actual_date"]) == (
        85,
        "2023-07-01",
    )
    assert "不是数字" in cli("actual", "20", "很高", "--plan", plan, code=2).stderr
    assert "没有量化目标" in cli("actual", "13", "5", "--plan", plan, code=2).stderr
    wrong = cli("actual", "20", "85", "--target", "结案率", "--plan", plan, code=2).stderr
    assert "可选 行政机关负责人出庭应诉率" in wrong


def test_occurrences_have_identifiers_a_person_can_type(cli: Invoke, plan_in_git: Path) -> None:
    plan = str(plan_in_git)
    shown = cli("show", "25", "--plan", plan).stdout
    for handle in (
        "标识 2023-05",
        "标识 2023-06",
        "标识 2023-12-04",
        "标识 2023-12-07",
        "标识 信用交通月",
    ):
        assert handle in shown
    result = cli(
        "mark", "25", "done", "--occurrence", "2023-05", "--date", "2023-06-02", "--plan", plan
    )
    assert "进展：2023-06-02 路政宣传月 已完成" in result.stdout
    assert "            occurrence: 2023-05\n" in plan_in_git.read_text(encoding="utf-8")
    cli("mark", "26", "done", "--occurrence", "2023q2", "--plan", plan)  # any letter case
    cli("mark", "25", "done", "--occurrence", "信用交通月", "--plan", plan)
    record = json.loads(cli("show", "25", "--json", "--plan", plan).stdout)
    done = {d["occurrence"] for d in record["deadlines"] if d["done"]}
    assert done == {"2023-05", "信用交通月"}


def test_old_identifiers_in_a_plan_still_count(cli: Invoke, plan_in_git: Path) -> None:
    # Plans written before identifiers were short name a campaign month by its last day.
    text = plan_in_git.read_text(encoding="utf-8")
    anchor = "      - id: 26\n"
    entry = (
        "        progress:\n          - date: 2023-06-02\n            occurrence: 2023-05-31\n"
        "            status: 已完成\n"
    )
    plan_in_git.write_text(text.replace(anchor, entry + anchor), encoding="utf-8")
    record = json.loads(cli("show", "25", "--json", "--plan", str(plan_in_git)).stdout)
    assert [d["occurrence"] for d in record["deadlines"] if d["done"]] == ["2023-05"]


def test_an_office_is_not_sent_other_offices_duties(cli: Invoke) -> None:
    items = json.loads(
        cli("due", "--dept", "安监科", "--json", env={"PLANTRACK_TODAY": "2023-12-20"}).stdout
    )
    assert items and all(item["role"] in ("lead", "responsible", "support") for item in items)
    assert all("role_label" in item for item in items)
    # 法规科's annual report to 市交通局 names 安监科 only among 局机关各科室.
    assert not [i for i in items if i["task"] == 26]
    everything = cli(
        "due", "--dept", "安监科", "--json", "--role", "any", "--include-possible",
        env={"PLANTRACK_TODAY": "2023-12-20"},
    ).stdout  # fmt: skip
    assert {i["role"] for i in json.loads(everything)} >= {"lead", "via"}


# --- ordinary bad input: a Chinese message and exit 1 or 2, never 3 (内部错误) ---------------

ORDINARY_SLIPS = [
    (["due", "--within", "²"], "--within 的值"),
    (["due", "--within", "999999999"], "--within 的值"),
    (["due", "--within", "99999m"], "太大"),
    (["due", "--quarter", "0000Q1"], "超出范围"),
    (["due", "--as-of", "9999-12-31"], "超出范围"),
    (["due", "--as-of", ""], "日期为空"),
    (["report", "--from", "0001-01-01", "--to", "9999-12-31"], "超出范围"),
    (["show", "9" * 5000], "任务写法"),
    (["log", "9" * 5000, "x", "--dry-run"], "任务写法"),
    (["log", "13", "x", "--date", "", "--dry-run"], "日期为空"),
    (["log", "13", "x", "--date", "9999-12-31", "--dry-run"], "超出范围"),
    (["log", "13", "已报送\udce9", "--dry-run"], "不是 UTF-8"),
]


@pytest.mark.parametrize(("args", "message"), ORDINARY_SLIPS, ids=lambda v: str(v)[:40])
def test_ordinary_bad_input_is_a_usage_error_never_an_internal_one(
    cli: Invoke, args: list[str], message: str
) -> None:
    result = cli(*args, code=2)
    assert message in result.output
    assert "内部错误" not in result.output


def test_garbage_in_plantrack_today_is_named_as_the_variable(cli: Invoke) -> None:
    result = cli("check", code=2, env={"PLANTRACK_TODAY": "garbage"})
    assert "环境变量 PLANTRACK_TODAY 的日期“garbage”无效" in result.output


def test_full_width_task_numbers_work_in_show_as_in_log(cli: Invoke) -> None:
    assert cli("show", "２６", "--json").output == cli("show", "26", "--json").output


def test_non_utf8_bytes_on_a_real_command_line_are_refused(tmp_path: Path) -> None:
    # The bytes a GBK terminal sends for 已报送: Python sees them as lone surrogates.
    script = PLANTRACK
    argv = [os.fsencode(str(script)), b"log", b"13", "已报送".encode("gbk"), b"--dry-run"]
    done = subprocess.run(argv, capture_output=True, cwd=ROOT, check=False)
    assert done.returncode == 2
    assert "不是 UTF-8" in done.stderr.decode("utf-8")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["import", "nope.docx"], 1, "nope.docx: 找不到这个文件"),
        (["due", "--plan", ""], 2, "--plan 的值无效：不能为空"),
        (["report", "--quarter", "2023Q3", "--templates", "t" * 300], 2, "找不到模板"),
        (["diff", "r" * 300, "HEAD"], 2, "失败"),
    ],
)
def test_odd_paths_get_chinese_answers_not_internal_errors(
    cli: Invoke, args: list[str], code: int, message: str
) -> None:
    result = cli(*args, code=code)
    assert message in result.output and "内部错误" not in result.output
