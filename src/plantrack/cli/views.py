"""The answers of `tasks`, `due` and `show` drawn in a terminal: tables, colours, headings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plantrack.cli.console import is_terminal, print_plain_rows, rich_console
from plantrack.core.answers import DueListing, TaskDetail, TaskLine, TaskListing
from plantrack.core.describe import describe_target
from plantrack.core.domain import Status
from plantrack.core.schedule import DueItem, Occurrence
from plantrack.core.wording import due_title, occurrence_name
from plantrack.output.columns import Column, headings, text_rows
from plantrack.output.tables import DUE_DAYS, DUE_GROUP, DUE_LEVEL, due_columns, task_columns

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

STATUS_STYLE = {
    Status.NOT_STARTED: "dim",
    Status.IN_PROGRESS: "cyan",
    Status.DONE: "green",
    Status.BLOCKED: "bold red",
}
LEVEL_STYLE = {"红": "bold red", "黄": "yellow", "绿": "green"}
# A shape per level, so rows differ without colour too (NO_COLOR, printouts).
LEVEL_MARK = {"红": "✖", "黄": "▲", "绿": "●"}
# Terminal columns below which an office's due table leaves out the lead units.
ROOMY = 110
# Narrow columns keep to one line; the others wrap to fit the terminal.
NO_WRAP = {"序号", "状态"}


def print_tasks(listing: TaskListing) -> None:
    """Show tasks as an aligned table in a terminal, or tab-separated when piped."""
    columns = task_columns(listing.for_unit)
    header = headings(columns)
    rows = text_rows(columns, listing.lines)
    if not is_terminal():
        print_plain_rows(header, rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_lines=False, header_style="bold")
    for name in header:
        table.add_column(name, overflow="fold", no_wrap=name in NO_WRAP)
    for line, row in zip(listing.lines, rows, strict=True):
        cells = [escape(cell) for cell in row]
        status = header.index("状态")
        cells[status] = f"[{STATUS_STYLE[line.status]}]{cells[status]}[/]"
        table.add_row(*cells)
    console = rich_console()
    console.print(table)
    console.print(f"共 {len(rows)} 项任务")


def print_due(listing: DueListing) -> None:
    """Show due items grouped as overdue, this week, this month, later."""
    items = listing.items
    columns = due_columns(listing)
    if not is_terminal():
        plain = [DUE_GROUP, DUE_LEVEL, *columns]
        print_plain_rows(headings(plain), text_rows(plain, items))
        return
    console = rich_console()
    if listing.roles and console.width < ROOMY:
        # An office's own rows: in a narrow terminal the title and the item need the room
        # more than the lead units, which the office's role already speaks for.
        columns = [column for column in columns if column.heading != "牵头单位"]
    console.print(due_title(listing.as_of, listing.window, listing.period))
    if not items:
        console.print("没有需要列出的事项。")
        return
    groups: dict[str, list[DueItem]] = {}
    for item in items:
        groups.setdefault(DUE_GROUP.text(item), []).append(item)
    for title, members in groups.items():
        console.print(_due_table(title, members, columns))
    overdue = sum(1 for item in items if item.overdue)
    console.print(f"共 {len(items)} 项，其中逾期 {overdue} 项")


def _due_table(title: str, members: list[DueItem], columns: list[Column[DueItem]]) -> Table:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold")
    for column in columns:
        fixed = column.width or None
        table.add_column(column.heading, overflow="fold", no_wrap=bool(fixed), min_width=fixed)
    for item in members:
        cells = [escape(column.text(item)) for column in columns]
        # A coloured mark carries the 红/黄/绿 level; plain output and JSON spell it out.
        days = headings(columns).index(DUE_DAYS)
        mark = LEVEL_MARK[item.level]
        cells[days] = f"[{LEVEL_STYLE[item.level]}]{mark} {cells[days]}[/]"
        table.add_row(*cells)
    return table


def print_task(detail: TaskDetail) -> None:
    """Show one task in full: text, clauses, units, deadlines, targets, progress."""
    from rich.markup import escape

    console = rich_console()
    line = detail.line
    task, section = line.task, line.match.section
    style = STATUS_STYLE[line.status]
    console.print(f"[bold]{task.id}. {escape(task.title)}[/]  [{style}]{line.status.value}[/]")
    console.print(f"第{section.number}部分  {escape(section.title)}")
    if task.carried_from:
        origin = f"结转自 {task.carried_from.replace('/', ' 年计划的 ')}"
        console.print(
            escape(origin + (f"（上年年底：{task.carried_note}）" if task.carried_note else ""))
        )
    for i, clause in enumerate(task.clauses, start=1):
        console.print()
        status = line.timeline.clause_status(task, i - 1)
        heading = f"分工 {i}（{status.value}）" if len(task.clauses) > 1 else "内容"
        console.print(f"[bold]{heading}[/]")
        console.print(escape(clause.text))
        console.print(f"  牵头单位：{'、'.join(clause.lead) or '（原文未列牵头单位）'}")
        console.print(f"  责任单位：{'、'.join(clause.responsible) or '—'}")
    _print_schedule(console, line)
    if task.phases:
        console.print()
        console.print(f"[bold]工作阶段[/]：{' → '.join(task.phases)}")
    if task.targets:
        console.print()
        console.print("[bold]目标[/]")
        for target in task.targets:
            actual, met = describe_target(line.timeline, task, target)
            verdict = f"（{met}）" if met != "—" else ""
            text = (
                f"  {target.name} {target.op} {target.value}{target.unit}，实际 {actual}{verdict}"
            )
            console.print(escape(text))
    _print_progress(console, line)


def _print_schedule(console: Console, line: TaskLine) -> None:
    from rich.markup import escape

    timeline, task = line.timeline, line.task
    counts = timeline.counts(task)
    console.print()
    tally = f"（{counts.done}/{counts.total} 项已完成）" if counts.total > 1 and counts.done else ""
    console.print(f"[bold]时限[/]{tally}")
    for occ in timeline.occurrences(task):
        when = occ.date.isoformat() if occ.date else ("常态工作" if occ.standing else "日期不详")
        if occ.start and occ.date:
            when = f"{occ.start.isoformat()} 至 {occ.date.isoformat()}"
        mark = "✓ " if timeline.is_done(task, occ) else ""
        # The identifier to type after --occurrence (the name plantrack prints works too).
        handle = f"  [dim]标识 {escape(occ.key)}[/]"
        name = escape(occurrence_name(occ))
        console.print(f"  {mark}{when}  {name}{_done_note(line, occ)}{handle}")
        if occ.date_source:
            console.print(f"      [dim]日期来源：{escape(occ.date_source)}[/]")
        for step in occ.postponed:
            moved = f"延期：{step.before} → {step.after}（{step.day}，原因：{step.reason}）"
            console.print(f"      {escape(moved)}")


def _done_note(line: TaskLine, occ: Occurrence) -> str:
    """When an occurrence was done, and how late: （2023-07-03 完成，逾期完成 3 天）."""
    done_on = line.timeline.done_on(line.task, occ)
    if done_on is None:
        return ""
    late = line.timeline.late_days(line.task, occ)
    return f"（{done_on} 完成" + (f"，逾期完成 {late} 天）" if late else "）")


def _print_progress(console: Console, line: TaskLine) -> None:
    from rich.markup import escape

    if not line.entries:
        return
    console.print()
    console.print("[bold]进展[/]")
    for text in line.progress_texts():
        console.print(f"  {escape(text)}")
