"""Commands that tell offices what they owe: digest, notify."""

from pathlib import Path
from typing import Annotated

import typer

from plantrack.cli.completion import completer
from plantrack.cli.options import AsOfOption, PlanOption
from plantrack.cli.root import command, reports_errors


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
            autocompletion=completer("unit"),
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
    from plantrack.commands import reminders

    found = reminders.digests(plan=plan, depts=dept or [], as_of=as_of, within=within)
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
    from plantrack.commands import reminders

    sent = reminders.notify(
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
