"""Commands that check a plan and show its changes: check, diff, textconv, merge-driver, schema."""

from pathlib import Path
from typing import Annotated

import typer

from plantrack.cli.options import AsOfOption, JsonOption, PlanOption, format_option
from plantrack.cli.root import command, reports_errors
from plantrack.core.errors import UsageError

CHECK_FORMATS = {
    "text": "每个问题一行：文件:行:列: 说明",
    "github": "GitHub Actions 注释（::error file=…,line=…,col=…::说明），在拉取请求中标在出错的行上",
    "gitlab": "GitLab 代码质量报告（JSON），在合并请求中列出问题（见 .gitlab-ci.yml）",
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
    format: Annotated[str, format_option(CHECK_FORMATS, "输出格式")] = "text",
    list_rules: Annotated[
        bool, typer.Option("--list-rules", help="列出 check 的全部规则代码及其说明，然后退出")
    ] = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """核对计划文件：逐条列出问题（文件:行:列: 说明），有问题时退出码为 1。"""
    from plantrack.cli import console
    from plantrack.core import periods

    if list_rules:
        from plantrack.core.rule_codes import RULES

        console.print_rules(RULES)
        return
    from plantrack.commands.check import check as checking

    results = checking(files or [], plan=plan, as_of=periods.today(as_of))
    console.print_check(results, style=format)
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
    keeps_progress: Annotated[
        bool,
        typer.Option(
            "--keeps-progress",
            help="旧版本的每条进展都须留在新版本中，否则列出丢掉的并以 1 退出（核对合并提交）",
        ),
    ] = False,
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
    if isinstance(found, plandiff.UnreadableDiff):
        raise typer.Exit(1)  # said, and summarised as far as it goes: still a problem
    lost = found.lost_progress()
    if keeps_progress and lost:
        console.print_lost(found, lost)
        raise typer.Exit(1)


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
    from plantrack.gitops.textconv import textconv as readable

    console.deliver(readable(file), None)


@command()
@reports_errors
def schema() -> None:
    """输出计划文件的 JSON Schema（供编辑器补全和校验，见 schema/plan.schema.json）。"""
    from plantrack.cli import console
    from plantrack.core.model import plan_json_schema

    console.print_json(plan_json_schema(), pretty=True)


@command(name="git-setup")
@reports_errors
def git_setup() -> None:
    """在当前 git 仓库中登记 plantrack 的差异驱动和合并驱动（用本机 plantrack 的完整路径）。"""
    from plantrack.cli import console
    from plantrack.gitops import setup

    console.print_registered(setup.register(Path.cwd()))


@command()
@reports_errors
def cache(
    action: Annotated[
        str | None,
        typer.Argument(metavar="操作", help="clear：清空缓存；不写时显示缓存的位置和条数"),
    ] = None,
) -> None:
    """plantrack 的缓存（按文件内容保存的结果，如 textconv）：显示位置，或清空。"""
    from plantrack.cli import console
    from plantrack.planfile import cache as stored

    if action not in (None, "clear"):
        raise UsageError(f"不认识的操作“{action}”：只有 clear（清空缓存）")
    where, count = stored.clear() if action == "clear" else stored.entries()
    console.print_cache(where, count, cleared=action == "clear")
