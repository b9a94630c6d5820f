"""Commands of the reporting round: forms out to the offices, their replies collected back."""

from pathlib import Path
from typing import Annotated

import typer

from plantrack.cli.options import (
    AsOfOption,
    DeptOption,
    DryRunOption,
    ForceOption,
    PlanOption,
    QuarterOption,
)
from plantrack.cli.root import command, reports_errors


@command()
@reports_errors
def forms(
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="文件夹", help="填报表写到这个文件夹（没有则新建）"),
    ],
    quarter: QuarterOption = None,
    dept: DeptOption = None,
    reply_by: Annotated[
        str | None,
        typer.Option(
            "--reply-by",
            metavar="日期",
            help="交回的截止日期（YYYY-MM-DD），印在表头；缺省为季度最后一天",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """为每个有未完成分工的单位生成本季度进展填报表（.xlsx），只有填报格可以填写。"""
    from plantrack.cli import console
    from plantrack.commands import forms as made

    console.print_forms(
        made.make_forms(
            plan=plan,
            quarter=quarter or "current",
            output=output,
            dept=dept,
            as_of=as_of,
            reply_by=reply_by,
            force=force,
        )
    )


@command()
@reports_errors
def collect(
    replies: Annotated[
        list[Path],
        typer.Argument(metavar="填报表...", help="各单位交回的填报表（.xlsx），可以一次给多个"),
    ],
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="一份填报表中有不合格的行时，仍收录其余合格的行"),
    ] = False,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """收集各单位交回的填报表：逐行核对后记入计划（一次写入），重复收集不会重复记录。"""
    from plantrack.cli import console
    from plantrack.commands import forms as made

    found = made.collect(
        replies, plan=plan, as_of=as_of, dry_run=dry_run, skip_invalid=skip_invalid
    )
    console.print_collected(found)
    if found.problems:
        raise typer.Exit(1)
