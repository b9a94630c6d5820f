"""The plantrack command line: each command declares its options, makes one core call, prints.

Core modules are imported inside the commands, so `plantrack due` never pays for the
libraries that only `report` or `export` need.
"""

import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from plantrack.cli import frame
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.output.formats import EXPORT_FORMATS, REPORT_FORMATS, Format

frame.install()
app = typer.Typer(
    name="plantrack",
    cls=frame.Group,
    help="把年度工作要点变成可跟踪的台账：按科室查任务、看到期与逾期、核对计划文件。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": frame.HELP_OPTION_NAMES},
    options_metavar=frame.OPTIONS_METAVAR,
    subcommand_metavar=frame.SUBCOMMAND_METAVAR,
)
command = functools.partial(app.command, cls=frame.Command, options_metavar=frame.OPTIONS_METAVAR)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"plantrack {version('plantrack')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本并退出"),
    ] = False,
) -> None:
    """把年度工作要点变成可跟踪的台账：按科室查任务、看到期与逾期、核对计划文件。"""


P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the error root into a message and an exit code; nothing else reaches the user raw."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from plantrack.cli.console import print_error

        try:
            _refuse_undecodable(kwargs.values())
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


def _refuse_undecodable(values: Iterable[object]) -> None:
    """Refuse arguments holding bytes that are not UTF-8 (a terminal in GBK, a stray byte)."""
    for value in values:
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str | Path) and not str(text).isprintable():
                shown = str(text).encode("utf-8", "replace").decode("utf-8")
                if shown != str(text):
                    raise UsageError(
                        f"参数“{shown}”中有无法识别的字节（不是 UTF-8 编码）："
                        "请把终端或脚本的编码设为 UTF-8 后重试"
                    )


def _format_option(
    formats: dict[str, Format] | dict[str, str], help: str
) -> typer.models.OptionInfo:
    """A --format option whose choices are a registry's formats (or names and descriptions)."""

    def choose(value: str) -> str:
        if value not in formats:
            import difflib

            close = difflib.get_close_matches(value.lower(), list(formats), n=1)
            hint = f"是否指 {close[0]}？" if close else ""
            raise typer.BadParameter(f"“{value}”不是可选的格式：{hint}可选 {'、'.join(formats)}")
        return value

    described = "；".join(
        f"{name} {f if isinstance(f, str) else f.description}" for name, f in formats.items()
    )
    option: typer.models.OptionInfo = typer.Option(
        "--format", parser=choose, metavar=f"[{'|'.join(formats)}]", help=f"{help}：{described}"
    )
    return option


def _complete(kind: str) -> Callable[[typer.Context, str], list[tuple[str, str]]]:
    """A shell-completion callback offering the plan's units, tasks, statuses or occurrences."""

    def complete(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
        from plantrack.core import query

        params = ctx.params
        # Completing an option's value, the arguments before it are left unparsed in ctx.args.
        task = params.get("target") or params.get("task")
        task = task or next((arg for arg in ctx.args if arg[:1].isdigit()), None)
        return query.completions(
            kind,  # type: ignore[arg-type]
            incomplete,
            plan=params.get("plan"),
            task=str(task) if task is not None else None,
        )

    return complete


def _role(value: str) -> str:
    """--role, in English or Chinese, checked against the choices."""
    from plantrack.core.query import parse_role

    try:
        return parse_role(value)
    except PlantrackError as exc:
        raise typer.BadParameter(str(exc)) from None


PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="文件",
        help="计划文件路径。缺省依次查找 $PLANTRACK_PLAN、plans/<年份>.yaml、最新的 plans/*.yaml",
        show_default=False,
    ),
]
DeptOption = Annotated[
    str | None,
    typer.Option(
        "--dept",
        metavar="单位",
        help="单位全称或简称，如 法规科、执法支队",
        show_default=False,
        autocompletion=_complete("unit"),
    ),
]
RoleOption = Annotated[
    str,
    typer.Option(
        "--role",
        parser=_role,
        metavar="角色",
        help="与 --dept 同用：牵头、责任、配合、统称（经由“各…”涉及）或全部；缺省为前三者",
        show_default=False,
    ),
]
PossibleOption = Annotated[
    bool,
    typer.Option(
        "--include-possible",
        help="再加上经由“相关/有关”统称可能涉及的任务",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON（格式见 README）")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="日期",
        help="按此日期计算（YYYY-MM-DD）；缺省为 $PLANTRACK_TODAY 或今天",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="文件", help="输出文件；缺省或 - 写到标准输出", show_default=False
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="覆盖已存在的输出文件（计划文件本身除外）")
]
QuarterOption = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        metavar="季度",
        help="季度：2023Q3、current（本季度）或 previous（上季度）",
        show_default=False,
    ),
]
TargetArgument = Annotated[
    str,
    typer.Argument(
        metavar="任务[.分工]",
        help="任务序号，或 序号.分工，如 13、7.2",
        autocompletion=_complete("target"),
    ),
]
NoteOption = Annotated[str, typer.Option("--note", metavar="说明", help="进展说明")]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="日期",
        help="进展日期（YYYY-MM-DD）；缺省为 --as-of 或今天",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by", metavar="姓名", help="记录人；缺省为 git config user.name", show_default=False
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="只显示将要做的修改（diff），不写文件")
]


CHECK_FORMATS = {
    "text": "每个问题一行：文件:行:列: 说明",
    "github": "GitHub Actions 注释（::error file=…,line=…,col=…::说明），在拉取请求中标在出错的行上",
}


@command()
@reports_errors
def check(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="文件",
            help="要核对的计划文件（可多个）；缺省同 --plan 的查找顺序",
            show_default=False,
        ),
    ] = None,
    format: Annotated[str, _format_option(CHECK_FORMATS, "输出格式")] = "text",
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """核对计划文件：逐条列出问题（文件:行:列: 说明），有问题时退出码为 1。"""
    from plantrack.cli import console
    from plantrack.core import periods
    from plantrack.planfile import load

    results = load.check_files(files or [], plan=plan, as_of=periods.today(as_of))
    console.print_check(results, github=format == "github")
    if any(result.problems for result in results):
        raise typer.Exit(1)


@command()
@reports_errors
def diff(
    old: Annotated[
        str | None,
        typer.Argument(metavar="旧版本", help="git 版本（如 main、HEAD~1）或计划文件；缺省为 HEAD"),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(metavar="新版本", help="git 版本或计划文件；缺省为工作区中的计划文件"),
    ] = None,
    json: JsonOption = False,
    plan: PlanOption = None,
) -> None:
    """比较计划的两个版本：状态、进展、时限、目标、单位的变化（Markdown，供拉取请求阅读）。"""
    from plantrack.cli import console
    from plantrack.gitops import plandiff

    found = plandiff.diff_versions(old, new, plan=plan)
    if json:
        console.print_json(found.record())
    else:
        console.print_lines([found.markdown().rstrip("\n")])


@command(name="merge-driver")
@reports_errors
def merge_driver(
    base: Annotated[Path, typer.Argument(metavar="共同祖先", help="git 的 %O")],
    ours: Annotated[Path, typer.Argument(metavar="当前分支", help="git 的 %A；合并结果写回这里")],
    theirs: Annotated[Path, typer.Argument(metavar="合入分支", help="git 的 %B")],
) -> None:
    """git 合并驱动：两边的进展都保留、状态按规则取舍；其余冲突照常留给人处理（见 README）。"""
    from plantrack.gitops import merge

    conflicts = merge.merge_files(base, ours, theirs)
    if conflicts:
        raise typer.Exit(1)


@command()
@reports_errors
def textconv(
    file: Annotated[Path, typer.Argument(metavar="文件", help="git 交给差异驱动的计划文件")],
) -> None:
    """把计划写成一行一事的文字，供 git diff 的 textconv 使用（见 README）。"""
    from plantrack.cli import console
    from plantrack.gitops import plandiff
    from plantrack.planfile import files

    console.write_output(plandiff.readable(files.read_plan(file), str(file)), None)


@command()
@reports_errors
def tasks(
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    section: Annotated[
        int | None, typer.Option("--section", metavar="N", help="只看第 N 部分", show_default=False)
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", metavar="状态", help="未开始/进行中/已完成/受阻 或 todo/doing/done/blocked"
        ),
    ] = None,
    json: JsonOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """列出任务，可按单位、角色、部分、状态筛选；状态按 --as-of 那天计算。"""
    from plantrack.cli import console
    from plantrack.core import query

    listing = query.list_tasks(
        plan=plan,
        dept=dept,
        involvement=query.Involvement(query.parse_role(role), include_possible),
        section=section,
        status=status,
        as_of=as_of,
    )
    if json:
        console.print_json(listing.records())
    else:
        console.print_tasks(listing)


@command()
@reports_errors
def show(
    task: Annotated[
        str,
        typer.Argument(metavar="任务", help="任务序号，如 13", autocompletion=_complete("task")),
    ],
    json: JsonOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """显示一项任务的全文、分工、时限、目标和进展（截至 --as-of 那天）。"""
    from plantrack.cli import console
    from plantrack.core import query

    detail = query.show_task(plan=plan, task=task, as_of=as_of)
    if json:
        console.print_json(detail.record())
    else:
        console.print_task(detail)


@command()
@reports_errors
def due(
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    as_of: AsOfOption = None,
    within: Annotated[
        str, typer.Option("--within", metavar="时长", help="往后看多久：天数，或 14d、2w、1m")
    ] = "30",
    quarter: QuarterOption = None,
    json: JsonOption = False,
    plan: PlanOption = None,
) -> None:
    """列出已逾期和即将到期的事项（红：逾期；黄：临近时限）；--quarter 只看某季度的时限。"""
    from plantrack.cli import console
    from plantrack.core import query

    listing = query.due(
        plan=plan,
        dept=dept,
        as_of=as_of,
        within=within,
        quarter=quarter,
        involvement=query.Involvement(query.parse_role(role), include_possible),
    )
    if json:
        console.print_json(listing.records())
    else:
        console.print_due(listing)


@command()
@reports_errors
def export(
    format: Annotated[str, _format_option(EXPORT_FORMATS, "导出格式")],
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """导出到其他程序：ics 日历（每个时限一个全天日程），或 csv/xlsx/json 工作台账。"""
    from plantrack.cli import console
    from plantrack.core import query
    from plantrack.output import formats

    involvement = query.Involvement(query.parse_role(role), include_possible)
    rendered = formats.export(
        format,
        plan=plan,
        dept=dept,
        involvement=involvement,
        as_of=as_of,
        output=console.output_path(output),
    )
    console.write_rendered(rendered, force=force)


@command()
@reports_errors
def report(
    quarter: QuarterOption = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="日期",
            help="自定义报告期起（YYYY-MM-DD），与 --to 同用",
            show_default=False,
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="日期", help="自定义报告期止（YYYY-MM-DD）", show_default=False
        ),
    ] = None,
    year: Annotated[
        int | None,
        typer.Option("--year", metavar="年份", help="全年报告，如 2023", show_default=False),
    ] = None,
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    format: Annotated[str, _format_option(REPORT_FORMATS, "报告格式")] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="输出文件；其中的 {period} 换成报告期，如 进展报告-{period}.md；缺省或 - 写到标准输出",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="目录",
            help="自定义模板目录（report.md.j2、report.html.j2、report.docx）",
            show_default=False,
        ),
    ] = None,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """生成进展报告（季度、全年或自定义期间；Markdown、HTML 或 Word 公文）。"""
    from plantrack.cli import console
    from plantrack.core import query
    from plantrack.output import formats

    rendered = formats.report(
        format,
        plan=plan,
        quarter=quarter,
        start=from_,
        end=to,
        dept=dept,
        involvement=query.Involvement(query.parse_role(role), include_possible),
        as_of=as_of,
        templates=templates,
        output=console.output_path(output),
        year=year,
    )
    console.write_rendered(rendered, force=force)


@command()
@reports_errors
def mark(
    target: TargetArgument,
    status: Annotated[
        str,
        typer.Argument(
            metavar="状态",
            help="未开始/进行中/已完成/受阻 或 todo/doing/done/blocked",
            autocompletion=_complete("status"),
        ),
    ],
    note: NoteOption = "",
    date: DateOption = None,
    by: ByOption = None,
    occurrence: Annotated[
        str | None,
        typer.Option(
            "--occurrence",
            metavar="标识",
            help="只标记某一次时限：2023Q2、2023-05 或 show 列出的标识",
            show_default=False,
            autocompletion=_complete("occurrence"),
        ),
    ] = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """标记任务或某项分工的状态，并追加一条进展记录；只改动相关的几行。"""
    from plantrack.cli import console
    from plantrack.planfile import edit

    request = edit.Request(plan, target, note, date, by, as_of, dry_run)
    console.print_edit(edit.mark_request(request, status, occurrence=occurrence))


@command()
@reports_errors
def log(
    target: TargetArgument,
    note: Annotated[str, typer.Argument(metavar="说明", help="进展说明")],
    date: DateOption = None,
    by: ByOption = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """追加一条进展记录，不改变状态。"""
    from plantrack.cli import console
    from plantrack.planfile import edit

    request = edit.Request(plan, target, note, date, by, as_of, dry_run)
    console.print_edit(edit.log_request(request))


@command()
@reports_errors
def actual(
    task: Annotated[
        str,
        typer.Argument(metavar="任务", help="任务序号，如 20", autocompletion=_complete("task")),
    ],
    value: Annotated[str, typer.Argument(metavar="实际值", help="实际值，如 85 或 85%")],
    target: Annotated[
        str | None,
        typer.Option(
            "--target",
            metavar="目标",
            help="目标名称；任务只有一个目标时可省略",
            show_default=False,
        ),
    ] = None,
    note: NoteOption = "",
    date: DateOption = None,
    by: ByOption = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """记录量化目标在某一天的实际值（如 出庭应诉率 85%），作为一条进展记录。"""
    from plantrack.cli import console
    from plantrack.planfile import edit

    request = edit.Request(plan, task, note, date, by, as_of, dry_run)
    console.print_edit(edit.actual_request(request, value, target=target))


@command()
@reports_errors
def digest(
    dept: Annotated[
        list[str] | None,
        typer.Option(
            "--dept",
            metavar="单位",
            help="单位全称或简称（可多次）；缺省为所有单位",
            show_default=False,
            autocompletion=_complete("unit"),
        ),
    ] = None,
    within: Annotated[
        str | None,
        typer.Option(
            "--within",
            metavar="时长",
            help="“近期到期”看多远；缺省为计划的 warn_days",
            show_default=False,
        ),
    ] = None,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="输出 Markdown（群机器人用）")
    ] = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """各单位的工作提醒：已逾期、近期到期和本季度牵头的事项，一段简短的文字。"""
    from plantrack.cli import console
    from plantrack.core import digest as digesting

    found = digesting.digests(plan=plan, depts=dept or [], as_of=as_of, within=within)
    console.print_digests(found, markdown=markdown)


@command()
@reports_errors
def notify(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            metavar="文件",
            help="通知配置（缺省为 $PLANTRACK_NOTIFY_CONFIG 或 plantrack-notify.toml）",
            show_default=False,
        ),
    ] = None,
    dept: Annotated[
        list[str] | None,
        typer.Option("--dept", metavar="单位", help="只发给这些单位（可多次）", show_default=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示将要发送的内容，不发送")
    ] = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """把各单位的工作提醒发到企业微信、钉钉、飞书群机器人或邮箱（地址和密钥只从环境变量读取）。"""
    from plantrack.cli import console
    from plantrack.notify import robots as notifying

    sent = notifying.notify(
        plan=plan,
        config=config,
        depts=dept or [],
        as_of=as_of,
        dry_run=dry_run,
        echo=console.print_text,
    )
    console.print_sent(sent, dry_run=dry_run)
    if any(result.error for result in sent):
        raise typer.Exit(1)


@command("import")
@reports_errors
def import_(
    document: Annotated[
        Path,
        typer.Argument(
            metavar="原文",
            help="工作要点或分工方案：.txt（UTF-8 或 GBK）、.docx、.pdf（有文字层）或 .xlsx",
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year", metavar="年份", help="计划年度；缺省从标题中读取", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="文件",
            help="写入的计划文件；缺省写到标准输出",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="有任何需要人工核对之处即报错、不写入（供 CI 使用）")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示读出的提纲（部分、任务、牵头单位），不写入")
    ] = False,
) -> None:
    """从工作要点或分工方案生成计划文件：部分、任务、分工、单位、时限和目标。"""
    from plantrack import importer
    from plantrack.cli import console

    target = None if dry_run else console.output_path(output)
    imported = importer.import_document(
        document, year=year, output=target, force=force, strict=strict
    )
    console.print_import(imported, target, dry_run=dry_run, force=force)
    if imported.refused:
        raise typer.Exit(1)


@command()
@reports_errors
def schema() -> None:
    """输出计划文件的 JSON Schema（供编辑器补全和校验，见 schema/plan.schema.json）。"""
    from plantrack.cli import console
    from plantrack.core.model import plan_json_schema

    console.print_json(plan_json_schema(), pretty=True)
