"""Reports: context, Markdown and HTML rendering, golden files, escaping, determinism.

Regenerate the golden files after an intended change with:
    PLANTRACK_UPDATE_GOLDEN=1 pytest tests/test_report.py
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
import time_machine
from markdown_it import MarkdownIt

from helpers import PLAN_2023, PROGRESS_PLAN, Invoke
from plantrack.core import report as reporting
from plantrack.core.model import Plan
from plantrack.core.periods import custom_period, next_period, quarter
from plantrack.core.timeline import Timeline
from plantrack.output import render
from plantrack.planfile.load import load_plan

GOLDEN = Path(__file__).resolve().parent / "golden"
AS_OF = "2023-10-08"


def check_golden(name: str, text: str) -> None:
    """Compare text with tests/golden/name, or rewrite it when asked to."""
    path = GOLDEN / name
    if os.environ.get("PLANTRACK_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"regenerate with PLANTRACK_UPDATE_GOLDEN=1: {name}"
    )


@pytest.fixture(scope="module")
def progress_plan() -> Plan:
    return load_plan(PROGRESS_PLAN).plan


def q3_report(plan: Plan, scope: str | None = None) -> reporting.Report:
    return reporting.build_report(
        Timeline(plan), plan.tasks, period=quarter(2023, 3), as_of=dt.date(2023, 10, 8), scope=scope
    )


def rendered(report: reporting.Report, template: str) -> str:
    """A report context laid out by one of the packaged templates."""
    return render.render(template, {"r": report})


@pytest.mark.parametrize(
    ("plan_file", "fmt", "golden"),
    [
        ("plans/2023.yaml", "md", "2023Q3.md"),
        ("plans/2023.yaml", "html", "2023Q3.html"),
        (str(PROGRESS_PLAN), "md", "2023Q3-progress.md"),
        (str(PROGRESS_PLAN), "html", "2023Q3-progress.html"),
    ],
)
def test_report_matches_golden(cli: Invoke, plan_file: str, fmt: str, golden: str) -> None:
    args = ["report", "--quarter", "2023Q3", "--as-of", AS_OF, "--format", fmt]
    result = cli(*args, "--plan", plan_file)
    check_golden(golden, result.stdout)


def test_two_runs_give_identical_bytes(cli: Invoke, tmp_path: Path) -> None:
    outputs = []
    for name in ("a.html", "b.html"):
        out = tmp_path / name
        cli("report", "--quarter", "2023Q3", "--as-of", AS_OF, "--format", "html", "-o", str(out))
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_output_does_not_depend_on_the_clock(cli: Invoke, fmt: str) -> None:
    # No generation time sneaks in: with the same --as-of, the machine's clock changes nothing.
    args = ["report", "--quarter", "2023Q3", "--as-of", AS_OF, "--format", fmt]
    outputs = []
    for moment in (dt.datetime(2024, 1, 2, 9, 30), dt.datetime(2031, 12, 31, 23, 59)):
        with time_machine.travel(moment.replace(tzinfo=dt.UTC), tick=False):
            outputs.append(cli(*args).stdout)
    assert outputs[0] == outputs[1]


def test_context_counts_and_sections(progress_plan: Plan) -> None:
    r = q3_report(progress_plan)
    assert (r.total, r.done, r.completion_rate) == (26, 1, "3.8%")
    assert [(s.status, s.count) for s in r.statuses] == [
        ("未开始", 21),
        ("进行中", 3),  # task 26: two quarterly reports done; task 20: a value recorded
        ("已完成", 1),
        ("受阻", 1),
    ]
    assert [(c.date, c.task_id, c.what) for c in r.completed] == [
        ("2023-07-03", 26, "第二季度"),
        ("2023-08-30", 9, None),
        ("2023-09-20", 26, "第三季度"),
    ]
    assert [s.number for s in r.progress] == [2, 3, 5, 8, 9]
    assert [(p.kind, p.task_id, p.what) for p in r.problems] == [
        ("逾期", 26, "第一季度报送法治建设工作文稿"),
        ("逾期", 25, "“路政宣传月”集中普法活动"),
        ("逾期", 25, "“安全生产月”集中普法活动"),
        ("逾期完成", 26, "第二季度报送法治建设工作文稿"),
        ("受阻", 7, "降本增效政策清单待市局下发"),
    ]
    assert r.next_label == "2023Q4"
    assert r.next_items[0].date == "2023-10-31" and r.next_items[0].task_id == 13


def test_units_and_targets(progress_plan: Plan) -> None:
    r = q3_report(progress_plan)
    legal = next(u for u in r.units if u.name == "局法规科")
    assert (legal.led, legal.done, legal.overdue) == (25, 1, 2)  # the clauses it leads
    assert [(t.task_id, t.expected, t.actual, t.met) for t in r.targets] == [
        (20, "≥ 80%", "未填报", "—"),
        (26, "每季度≥ 1篇", "2/4 次已完成", "未达到"),  # Q1 missed
    ]


def test_leadless_tasks_name_their_responsible_unit(progress_plan: Plan) -> None:
    rows = {row.task_id: row for row in q3_report(progress_plan).tasks}
    assert rows[16].lead == "区交通执法支队（责任单位，原文未列牵头）"


def test_next_period_of_custom_range() -> None:
    period = custom_period(dt.date(2023, 7, 1), dt.date(2023, 7, 31))
    following = next_period(period)
    assert (following.start, following.end) == (dt.date(2023, 8, 1), dt.date(2023, 8, 31))
    assert next_period(quarter(2023, 4)).label == "2024Q1"


def test_html_escapes_user_text(progress_plan: Plan) -> None:
    html = rendered(q3_report(progress_plan), "report.html.j2")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html.lower()  # no scripts at all, from anywhere


def test_html_is_self_contained(progress_plan: Plan) -> None:
    html = rendered(q3_report(progress_plan), "report.html.j2")
    for reference in ("http://", "https://", "<link", "@import", "url("):
        assert reference not in html
    assert "@media print" in html and "@page" in html and "Noto Sans CJK SC" in html


def _tables(markdown: str) -> list[list[list[str]]]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables: list[list[list[str]]] = []
    row: list[str] = []
    in_cell = False
    for token in tokens:
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            in_cell = True
        elif token.type == "inline" and in_cell:
            row.append(token.content)
            in_cell = False
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def test_markdown_parses_into_tables(progress_plan: Plan) -> None:
    markdown = rendered(q3_report(progress_plan), "report.md.j2")
    tables = _tables(markdown)
    headers = [table[0] for table in tables]
    assert ["状态", "任务数", "占比", "分布"] in headers
    assert ["序号", "工作任务", "牵头单位", "完成时限", "状态", "预警"] in headers
    assert all(len(set(map(len, table))) == 1 for table in tables)  # no row lost a column
    ledger = next(t for t in tables if t[0][0] == "序号")
    assert len(ledger) == 27


def test_markdown_cells_escape_pipes_and_newlines() -> None:
    assert render.markdown_cell("a|b\nc") == "a\\|b<br>c"
    assert render.markdown_cell("<script>") == "\\<script\\>"
    assert render.markdown_cell(None) == " "
    markdown = "| x |\n|---|\n| " + render.markdown_cell("85% | 3 件\n第二行") + " |\n"
    assert _tables(markdown) == [[["x"], ["85% | 3 件<br>第二行"]]]  # one cell, pipe kept


def test_dept_narrows_the_report(cli: Invoke) -> None:
    out = cli("report", "--quarter", "2023Q3", "--as-of", AS_OF, "--dept", "执法支队").stdout
    assert out.startswith("# 2023年交通法治工作要点 2023年第三季度进展报告（区交通执法支队）\n")
    assert "范围：区交通执法支队" in out
    assert "| 9 | 提高制度建设的质量和效率 |" not in out  # task 9 does not involve it


def test_custom_period_and_period_errors(cli: Invoke) -> None:
    out = cli("report", "--from", "2023-07-01", "--to", "2023-07-31", "--as-of", AS_OF).stdout
    assert "报告期：2023-07-01 至 2023-07-31" in out
    assert "下一步工作安排（2023年8月1日至8月31日）" in out
    assert "--from" in cli("report", "--from", "2023-07-01", code=2).stderr
    assert (
        "--from"
        in cli(
            "report", "--quarter", "2023Q3", "--from", "2023-07-01", "--to", "2023-07-02", code=2
        ).stderr
    )


def test_user_templates(cli: Invoke, tmp_path: Path) -> None:
    (tmp_path / "report.md.j2").write_text(
        "{{ r.title }}：{{ r.completion_rate }}\n", encoding="utf-8"
    )
    out = cli(
        "report", "--quarter", "2023Q3", "--as-of", AS_OF, "--templates", str(tmp_path)
    ).stdout
    assert out == "2023年交通法治工作要点 2023年第三季度进展报告：0.0%\n"
    (tmp_path / "report.md.j2").write_text("{{ r.nonexistent }}\n", encoding="utf-8")
    err = cli("report", "--templates", str(tmp_path), code=1).stderr
    assert "模板引用了不存在的字段" in err
    assert (
        "找不到模板 report.html.j2"
        in cli("report", "--format", "html", "--templates", str(tmp_path), code=2).stderr
    )


def test_packaged_templates_are_found() -> None:
    folder = render.packaged_templates()
    assert (folder / "report.md.j2").is_file() and (folder / "report.html.j2").is_file()


def test_a_custom_year_says_its_period_once_and_is_followed_by_the_next_year(
    cli: Invoke,
) -> None:
    out = cli(
        "report", "--from", "2023-01-01", "--to", "2023-12-31", "--as-of", "2023-12-31"
    ).stdout
    assert "- 报告期：2023-01-01 至 2023-12-31\n" in out
    assert "下一步工作安排（2024年1月1日至12月31日）" in out


def test_a_quarter_names_itself_beside_its_dates(cli: Invoke) -> None:
    out = cli("report", "--quarter", "2023Q3", "--as-of", AS_OF).stdout
    assert "- 报告期：2023-07-01 至 2023-09-30（2023年第三季度）\n" in out


def test_an_offices_report_lists_its_own_work_only(cli: Invoke) -> None:
    args = ["report", "--quarter", "2023Q3", "--as-of", AS_OF, "--plan", str(PROGRESS_PLAN)]
    own = cli(*args, "--dept", "财审科").stdout
    assert "降本增效政策清单待市局下发" in own  # task 7's third clause: 财审科 leads it
    assert "报送《法治工作简报》第2期" not in own  # task 26 is 法规科's duty
    assert "| 26 |" not in own.split("## 附：任务一览")[1]
    # 各单位情况 of an office's report is that office's own row, not co-leads' partial counts.
    units = own.split("## 五、各单位情况")[1].split("\n## ")[0]
    assert [line.split(" | ")[0] for line in units.splitlines() if line.startswith("| 局")] == [
        "| 局财审科"
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("第一行\n{{ 1 / 0 }}\n", "report.md.j2:2: 模板运行出错：ZeroDivisionError"),
        ("{% include 'missing.j2' %}\n", "report.md.j2:1: 模板要引入的模板 missing.j2 不存在"),
        ("{% macro m() %}{{ m() }}{% endmacro %}\n\n{{ m() }}\n", "模板无限递归"),
        ("{{ '已报送' }}".encode("gbk"), "report.md.j2: 模板不是 UTF-8 编码"),
    ],
    ids=["zero-division", "not-found", "recursion", "gbk"],
)
def test_a_user_template_that_fails_is_named_with_its_line(
    cli: Invoke, tmp_path: Path, body: str | bytes, message: str
) -> None:
    template = tmp_path / "report.md.j2"
    template.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))
    err = cli("report", "--templates", str(tmp_path), code=1).stderr
    assert message in err
    assert str(template) in err and "内部错误" not in err


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{{ cycler.__init__.__globals__.os.popen('touch RAN').read() }}", "沙箱不允许"),
        ("{{ r.__class__.__mro__ }}", "沙箱不允许"),
        ("{% for i in range(10**9) %}x{% endfor %}", "range 过长"),
        ("{{ 'x' * 10**9 }}", "结果过大"),
        ("{{ 2 ** 100000000 }}", "结果过大"),
    ],
    ids=["popen", "mro", "range", "repeat", "power"],
)
def test_a_template_runs_in_a_sandbox(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)  # where a command run by the template would leave its file
    (tmp_path / "report.md.j2").write_text(body, encoding="utf-8")
    args = ["--templates", str(tmp_path), "--as-of", AS_OF, "--plan", str(PLAN_2023)]
    err = cli("report", *args, code=1).stderr
    assert message in err and "report.md.j2" in err
    assert not (tmp_path / "RAN").exists()


def test_a_template_that_loops_for_ever_is_stopped(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "RENDER_SECONDS", 0.5)
    (tmp_path / "report.md.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    err = cli("report", "--templates", str(tmp_path), "--as-of", AS_OF, code=1).stderr
    assert "模板运行超过 0.5 秒，已停止" in err
