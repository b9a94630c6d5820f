"""The plantrack command line: each command parses options, makes one core call, and prints."""

import functools
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from plantrack.errors import PlantrackError, UsageError

if TYPE_CHECKING:
    from datetime import date

    from plantrack.edit import Entry
    from plantrack.load import LoadedPlan
    from plantrack.model import Plan, Task
    from plantrack.schedule import Period

app = typer.Typer(
    name="plantrack",
    help="把年度工作要点变成可跟踪的台账：按科室查任务、看到期与逾期、核对计划文件。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the error root into a message and an exit code; nothing else reaches the user raw."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from plantrack.console import print_error

        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except PlantrackError as exc:
            print_error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away; say nothing more.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except Exception as exc:
            if os.environ.get("PLANTRACK_DEBUG"):
                raise
            print_error(
                f"plantrack 内部错误：{type(exc).__name__}: {exc}\n"
                "这是 plantrack 的缺陷，不是您的操作问题。请把这条信息和所用命令报告给维护者；"
                "设置环境变量 PLANTRACK_DEBUG=1 可看到完整的调用栈。"
            )
            raise typer.Exit(3) from None

    return wrapper


class RoleChoice(StrEnum):
    """Which involvement --role selects."""

    lead = "lead"
    responsible = "responsible"
    any = "any"


PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        help="计划文件路径。缺省依次查找 $PLANTRACK_PLAN、plans/<年份>.yaml、最新的 plans/*.yaml",
        show_default=False,
    ),
]
DeptOption = Annotated[
    str | None,
    typer.Option("--dept", help="单位全称或简称，如 法规科、执法支队", show_default=False),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON（格式见 README）")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="按此日期计算（YYYY-MM-DD）；缺省为 $PLANTRACK_TODAY 或今天",
        show_default=False,
    ),
]


def _load(plan: Path | None, as_of: str | None = None) -> "LoadedPlan":
    from plantrack.load import load_plan

    return load_plan(_plan_path(plan, as_of))


@app.command()
@reports_errors
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="要核对的计划文件（可多个）；缺省同 --plan 的查找顺序", show_default=False
        ),
    ] = None,
    plan: PlanOption = None,
) -> None:
    """核对计划文件：逐条列出问题（文件:行:列: 说明），有问题时退出码为 1。"""
    from plantrack.console import print_error, print_lines
    from plantrack.errors import PlanError

    paths = files or [_plan_path(plan, None)]
    failed: list[PlanError] = []
    for path in paths:
        try:
            loaded = _load(path)
        except PlanError as exc:
            failed.append(exc)
            continue
        print_lines([f"{loaded.path}: 没有发现问题（{_plan_counts(loaded.plan)}）"])
    if failed:
        for problem in failed[:-1]:
            print_error(str(problem))
        raise failed[-1]


def _plan_counts(plan: "Plan") -> str:
    tasks = plan.tasks
    clauses = sum(len(task.clauses) for task in tasks)
    return f"{len(plan.sections)} 个部分，{len(tasks)} 项任务，{clauses} 项分工，{len(plan.units)} 个单位"


@app.command()
@reports_errors
def tasks(
    dept: DeptOption = None,
    role: Annotated[
        RoleChoice,
        typer.Option("--role", help="lead 牵头；responsible 责任（含经由统称）；any 全部"),
    ] = RoleChoice.any,
    section: Annotated[
        int | None, typer.Option("--section", help="只看第 N 部分", show_default=False)
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="未开始/进行中/已完成/受阻 或 todo/doing/done/blocked"),
    ] = None,
    json: JsonOption = False,
    plan: PlanOption = None,
) -> None:
    """列出任务，可按单位、角色、部分、状态筛选。"""
    from plantrack import console, query
    from plantrack.units import Registry

    loaded = _load(plan)
    wanted = query.parse_status(status) if status else None
    matches = query.select_tasks(
        loaded.plan,
        Registry(loaded.plan),
        dept=dept,
        role=role.value,
        section=section,
        status=wanted,
    )
    if json:
        console.print_json([query.task_record(m, loaded.plan) for m in matches])
    else:
        console.print_tasks(matches, loaded.plan, with_roles=dept is not None)


@app.command()
@reports_errors
def show(
    task: Annotated[int, typer.Argument(help="任务序号，如 13")],
    json: JsonOption = False,
    plan: PlanOption = None,
) -> None:
    """显示一项任务的全文、分工、时限、目标和进展。"""
    from plantrack import console, query

    loaded = _load(plan)
    found = loaded.plan.tasks_by_id.get(task)
    if found is None:
        ids = sorted(loaded.plan.tasks_by_id)
        raise UsageError(f"没有序号为 {task} 的任务：可选 {ids[0]}–{ids[-1]}")
    if json:
        section = loaded.plan.task_sections[task]
        console.print_json(query.task_record(query.TaskMatch(found, section), loaded.plan))
    else:
        console.print_task(found, loaded.plan)


OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="输出文件；缺省写到标准输出", show_default=False),
]
QuarterOption = Annotated[
    str | None,
    typer.Option(
        "--quarter", help="季度：2023Q3、current（本季度）或 previous（上季度）", show_default=False
    ),
]


@app.command()
@reports_errors
def due(
    dept: DeptOption = None,
    as_of: AsOfOption = None,
    within: Annotated[
        str, typer.Option("--within", help="往后看多久：天数，或 14d、2w、1m")
    ] = "30",
    quarter: QuarterOption = None,
    json: JsonOption = False,
    plan: PlanOption = None,
) -> None:
    """列出已逾期和即将到期的事项（红：逾期；黄：临近时限）；--quarter 只看某季度的时限。"""
    from plantrack import console, query, schedule

    day = schedule.today(as_of)
    window = schedule.parse_window(within, day)
    period = schedule.parse_quarter(quarter, day) if quarter else None
    loaded = _load(plan, as_of)
    tasks, _ = query.scope(loaded.plan, dept)
    if period is not None:
        items = schedule.items_in_period(loaded.plan, tasks, period=period, as_of=day)
        heading = f"截至 {day}：{period.label}（{period.start} 至 {period.end}）的未完成时限"
    else:
        items = schedule.due_items(loaded.plan, tasks, as_of=day, within=window)
        heading = f"截至 {day}：已逾期及 {window} 天内到期的事项"
    if json:
        console.print_json([query.due_record(item) for item in items])
    else:
        console.print_due(items, heading=heading)


class ExportFormat(StrEnum):
    """File formats `plantrack export` writes."""

    ics = "ics"
    csv = "csv"
    xlsx = "xlsx"
    json = "json"


@app.command()
@reports_errors
def export(
    format: Annotated[
        ExportFormat,
        typer.Option("--format", help="ics 日历；csv、xlsx、json 工作台账"),
    ],
    dept: DeptOption = None,
    output: OutputOption = None,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """导出到其他程序：ics 日历（每个时限一个全天日程），或 csv/xlsx/json 工作台账。"""
    from plantrack import console, query, schedule

    day = schedule.today(as_of)
    loaded = _load(plan, as_of)
    tasks, unit = query.scope(loaded.plan, dept)
    name = loaded.plan.title + (f"（{unit}）" if unit else "")
    if format is ExportFormat.xlsx and output is None:
        raise UsageError("xlsx 是二进制文件：请用 -o 指定输出文件，如 -o 台账.xlsx")
    console.write_output(_export_bytes(format, loaded.plan, tasks, day, name), output)


def _export_bytes(
    format: ExportFormat, plan: "Plan", tasks: "list[Task]", day: "date", name: str
) -> bytes:
    from plantrack import ics, ledger

    if format is ExportFormat.ics:
        return ics.build_calendar(plan, tasks, stamp=day, name=name)
    rows = ledger.ledger_rows(plan, tasks)
    if format is ExportFormat.csv:
        return ledger.to_csv(rows)
    if format is ExportFormat.json:
        return ledger.to_json(rows)
    return ledger.to_xlsx(rows, title=name, stamp=day)


class ReportFormat(StrEnum):
    """Formats `plantrack report` renders."""

    md = "md"
    html = "html"


@app.command()
@reports_errors
def report(
    quarter: QuarterOption = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from", help="自定义报告期起（YYYY-MM-DD），与 --to 同用", show_default=False
        ),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="自定义报告期止（YYYY-MM-DD）", show_default=False)
    ] = None,
    dept: DeptOption = None,
    format: Annotated[ReportFormat, typer.Option("--format", help="md 或 html")] = ReportFormat.md,
    output: OutputOption = None,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="自定义模板目录（report.md.j2、report.html.j2）", show_default=False
        ),
    ] = None,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """生成季度进展报告（Markdown 或 HTML）：总体情况、主要进展、存在问题、下一步安排。"""
    from plantrack import console, query, render, schedule
    from plantrack import report as reporting

    day = schedule.today(as_of)
    period = _report_period(quarter, from_, to, day)
    loaded = _load(plan, as_of)
    tasks, unit = query.scope(loaded.plan, dept)
    context = reporting.build_report(loaded.plan, tasks, period=period, as_of=day, scope=unit)
    text = render.render_report(context, fmt=format.value, templates=templates)
    console.write_output(text.encode("utf-8"), output)


def _report_period(
    quarter: str | None, start: str | None, end: str | None, day: "date"
) -> "Period":
    from plantrack import schedule
    from plantrack.report import custom_period

    if start or end:
        if quarter or not (start and end):
            raise UsageError("自定义报告期须同时给出 --from 和 --to，且不能与 --quarter 同用")
        first = schedule.parse_date(start, option="--from")
        last = schedule.parse_date(end, option="--to")
        if first > last:
            raise UsageError(f"--from {first} 晚于 --to {last}")
        return custom_period(first, last)
    return schedule.parse_quarter(quarter or "current", day)


NoteOption = Annotated[str, typer.Option("--note", help="进展说明")]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date", help="进展日期（YYYY-MM-DD）；缺省为 --as-of 或今天", show_default=False
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option("--by", help="记录人；缺省为 git config user.name", show_default=False),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="只显示将要做的修改（diff），不写文件")
]


@app.command()
@reports_errors
def mark(
    target: Annotated[str, typer.Argument(help="任务序号，或 序号.分工，如 13、7.2")],
    status: Annotated[
        str, typer.Argument(help="未开始/进行中/已完成/受阻 或 todo/doing/done/blocked")
    ],
    note: NoteOption = "",
    date: DateOption = None,
    by: ByOption = None,
    occurrence: Annotated[
        str | None,
        typer.Option(
            "--occurrence", help="只标记周期性时限的某一次，如 2023Q2", show_default=False
        ),
    ] = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """标记任务或某项分工的状态，并追加一条进展记录；只改动相关的几行。"""
    from plantrack import console, edit, query

    ref = edit.parse_ref(target)
    wanted = query.parse_status(status)
    path = _plan_path(plan, as_of)
    entry = _entry(path, note=note, date=date, by=by, as_of=as_of, occurrence=occurrence)
    outcome = edit.mark(path, ref, wanted, entry, dry_run=dry_run)
    console.print_edit(outcome, ref)


@app.command()
@reports_errors
def log(
    target: Annotated[str, typer.Argument(help="任务序号，或 序号.分工，如 13、7.2")],
    note: Annotated[str, typer.Argument(help="进展说明")],
    date: DateOption = None,
    by: ByOption = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """追加一条进展记录，不改变状态。"""
    from plantrack import console, edit

    ref = edit.parse_ref(target)
    path = _plan_path(plan, as_of)
    entry = _entry(path, note=note, date=date, by=by, as_of=as_of, occurrence=None)
    outcome = edit.log(path, ref, entry, dry_run=dry_run)
    console.print_edit(outcome, ref)


def _plan_path(plan: Path | None, as_of: str | None) -> Path:
    from plantrack.load import find_plan
    from plantrack.schedule import today

    return find_plan(plan, year=today(as_of).year)


def _entry(
    path: Path,
    *,
    note: str,
    date: str | None,
    by: str | None,
    as_of: str | None,
    occurrence: str | None,
) -> "Entry":
    from plantrack import edit, schedule

    day = schedule.parse_date(date, option="--date") if date else schedule.today(as_of)
    author = by if by is not None else edit.default_author(path.resolve().parent)
    return edit.Entry(day, note=note.strip(), by=author or None, occurrence=occurrence)


@app.command("import")
@reports_errors
def import_(
    document: Annotated[Path, typer.Argument(help="工作要点原文（纯文本，UTF-8 或 GBK）")],
    year: Annotated[
        int | None, typer.Option("--year", help="计划年度；缺省从标题中读取", show_default=False)
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="写入的计划文件；缺省写到标准输出", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """从工作要点原文生成计划文件：部分、任务、分工、单位、时限和目标。"""
    from plantrack import console, importer
    from plantrack.errors import PlanError
    from plantrack.load import parse_plan

    text = _read_document(document)
    plan_text, notes = importer.import_text(text, year=year)
    for note in notes:
        console.print_error(f"{document}:{note.line}: {note.message}")
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} 已存在：为免覆盖，未写入。换一个文件名，或加 --force 覆盖")
    problems: PlanError | None = None
    try:
        parse_plan(plan_text, str(output or "<stdout>"))
    except PlanError as exc:
        problems = exc
    console.write_output(plan_text.encode("utf-8"), output)
    if notes:
        console.print_error(f"共 {len(notes)} 处需要人工核对（见上）。")
    if problems is not None:
        raise problems


def _read_document(path: Path) -> str:
    """Read a document as UTF-8 (BOM allowed), falling back to GBK as offices often save."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法读取：{exc.strerror}") from None
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlantrackError(f"{path}: 既不是 UTF-8 也不是 GBK 编码：请另存为 UTF-8 后重试")


@app.command()
@reports_errors
def schema() -> None:
    """输出计划文件的 JSON Schema（供编辑器补全和校验，见 schema/plan.schema.json）。"""
    from plantrack import console
    from plantrack.model import plan_json_schema

    console.print_json(plan_json_schema(), pretty=True)


def main() -> None:
    """Run the plantrack command line."""
    app()
