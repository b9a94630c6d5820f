"""Commands that answer questions about the plan: tasks, show, due."""

from typing import Annotated

import typer

from plantrack.cli.completion import completer
from plantrack.cli.options import (
    AsOfOption,
    DeptOption,
    JsonOption,
    PlanOption,
    PossibleOption,
    QuarterOption,
    RoleOption,
    involvement,
    whole_number,
)
from plantrack.cli.root import command, reports_errors


@command()
@reports_errors
def tasks(
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    section: Annotated[
        int | None,
        typer.Option(
            "--section", metavar="N", parser=whole_number, help="只看第 N 部分", show_default=False
        ),
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
    from plantrack.cli import console, views
    from plantrack.commands import tasks as answering

    listing = answering.list_tasks(
        plan=plan,
        dept=dept,
        involvement=involvement(role, include_possible),
        section=section,
        status=status,
        as_of=as_of,
    )
    if json:
        from plantrack.output.records import task_records

        console.print_json(task_records(listing.lines))
    else:
        views.print_tasks(listing)


@command()
@reports_errors
def show(
    task: Annotated[
        str,
        typer.Argument(metavar="任务", help="任务序号，如 13", autocompletion=completer("task")),
    ],
    json: JsonOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """显示一项任务的全文、分工、时限、目标和进展（截至 --as-of 那天）。"""
    from plantrack.cli import console, views
    from plantrack.commands import tasks as answering

    detail = answering.show_task(plan=plan, task=task, as_of=as_of)
    if json:
        from plantrack.output.records import task_record

        console.print_json(task_record(detail.line))
    else:
        views.print_task(detail)


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
    from plantrack.cli import console, views
    from plantrack.commands import tasks as answering

    listing = answering.due(
        plan=plan,
        dept=dept,
        as_of=as_of,
        within=within,
        quarter=quarter,
        involvement=involvement(role, include_possible),
    )
    if json:
        from plantrack.output.records import due_records

        console.print_json(due_records(listing))
    else:
        views.print_due(listing)
