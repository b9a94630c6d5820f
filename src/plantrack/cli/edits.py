"""Commands that record progress in the plan: mark, log, actual."""

from pathlib import Path
from typing import Annotated

import typer

from plantrack.cli.completion import completer
from plantrack.cli.options import (
    AsOfOption,
    ByOption,
    DateOption,
    DryRunOption,
    NoteOption,
    OccurrenceOption,
    PlanOption,
    TargetArgument,
)
from plantrack.cli.root import command, reports_errors


@command()
@reports_errors
def mark(
    target: TargetArgument,
    status: Annotated[
        str,
        typer.Argument(
            metavar="状态",
            help="未开始/进行中/已完成/受阻 或 todo/doing/done/blocked",
            autocompletion=completer("status"),
        ),
    ],
    note: NoteOption = "",
    date: DateOption = None,
    by: ByOption = None,
    occurrence: OccurrenceOption = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """标记任务或某项分工的状态，并追加一条进展记录；只改动相关的几行。"""
    from plantrack.cli import console
    from plantrack.commands import edits

    request = edits.Request(plan, target, note, date, by, as_of, dry_run)
    console.print_edit(edits.mark_request(request, status, occurrence=occurrence))


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
    from plantrack.commands import edits

    request = edits.Request(plan, target, note, date, by, as_of, dry_run)
    console.print_edit(edits.log_request(request))


@command()
@reports_errors
def actual(
    task: Annotated[
        str,
        typer.Argument(metavar="任务", help="任务序号，如 20", autocompletion=completer("task")),
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
    from plantrack.commands import edits

    request = edits.Request(plan, task, note, date, by, as_of, dry_run)
    console.print_edit(edits.actual_request(request, value, target=target))


@command()
@reports_errors
def postpone(
    target: TargetArgument,
    new_date: Annotated[str, typer.Argument(metavar="新时限", help="延期后的日期，如 2023-12-15")],
    reason: Annotated[
        str, typer.Option("--reason", metavar="原因", help="延期的原因（必填），记入台账和报告")
    ] = "",
    occurrence: OccurrenceOption = None,
    date: DateOption = None,
    by: ByOption = None,
    dry_run: DryRunOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """延期：把一项时限从今天起改到更晚的日期，并写明原因；之前的日子仍按原时限计算。"""
    from plantrack.cli import console
    from plantrack.commands import edits

    request = edits.Request(plan, target, reason, date, by, as_of, dry_run)
    console.print_edit(edits.postpone_request(request, new_date, occurrence=occurrence))


@command()
@reports_errors
def rollover(
    to: Annotated[
        Path,
        typer.Option("--to", metavar="文件", help="下一年的计划，如 plans/2024.yaml；没有时新建"),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只列出将要结转的分工，不写文件")
    ] = False,
    plan: PlanOption = None,
) -> None:
    """年终结转：把上一年没有完成的分工写进下一年的计划（“上年度结转任务”一节）。"""
    from plantrack.cli import console
    from plantrack.commands.rollover import rollover as carry

    console.print_rollover(carry(plan=plan, to=to, dry_run=dry_run))
