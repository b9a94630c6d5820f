"""Terminal output; the only module that imports rich, and only when output is drawn."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plantrack import query, schedule
from plantrack.errors import PlantrackError
from plantrack.model import Plan, Status, Task

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from plantrack import edit

STATUS_STYLE = {
    Status.NOT_STARTED: "dim",
    Status.IN_PROGRESS: "cyan",
    Status.DONE: "green",
    Status.BLOCKED: "bold red",
}
LEVEL_STYLE = {"红": "bold red", "黄": "yellow", "绿": "green"}


def _console() -> Console:
    from rich.console import Console

    console = Console(highlight=False)
    # Piped output is read by programs and pagers: don't break long Chinese lines.
    console.soft_wrap = not console.is_terminal
    return console


def is_terminal() -> bool:
    """Tell whether stdout is a terminal, or forced to act as one by FORCE_COLOR as rich does."""
    # Decided without importing rich: piped output never needs it, and it costs ~20 ms.
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def print_json(data: Any, *, pretty: bool | None = None) -> None:
    """Write UTF-8 JSON, Chinese left readable; indented for people, compact for programs."""
    # Indenting forces json's pure-Python encoder, ten times slower on a large plan.
    indent = 2 if (is_terminal() if pretty is None else pretty) else None
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def print_lines(lines: Iterable[str]) -> None:
    """Write plain lines to stdout."""
    sys.stdout.write("".join(f"{line}\n" for line in lines))


def print_plain_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write tab-separated rows for pipes, grep and spreadsheets."""
    print_lines("\t".join(cells) for cells in [header, *rows])


def print_tasks(matches: list[query.TaskMatch], plan: Plan, *, with_roles: bool) -> None:
    """Show tasks as an aligned table in a terminal, or tab-separated when piped."""
    header = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "状态"]
    if with_roles:
        header.append("本单位角色")
    rows = []
    for match in matches:
        task = match.task
        row = [
            str(task.id),
            task.title,
            "、".join(task.lead_units) or "—",
            "、".join(task.responsible_units),
            query.deadline_summary(task, plan),
            task.status.value,
        ]
        if with_roles:
            row.append(match.role_label)
        rows.append(row)
    if not is_terminal():
        print_plain_rows(header, rows)
        return
    from rich.table import Table

    console = _console()
    table = Table(show_lines=False, header_style="bold")
    for name in header:
        table.add_column(name, overflow="fold", no_wrap=name in ("序号", "状态"))
    for match, row in zip(matches, rows, strict=True):
        style = STATUS_STYLE[match.task.status]
        table.add_row(*row[:5], f"[{style}]{row[5]}[/]", *row[6:])
    console.print(table)
    console.print(f"共 {len(rows)} 项任务")


def describe_days(days_left: int) -> str:
    """Say in Chinese how far a date is: 逾期 12 天, 今天到期, 还剩 3 天."""
    if days_left < 0:
        return f"逾期 {-days_left} 天"
    if days_left == 0:
        return "今天到期"
    return f"还剩 {days_left} 天"


def due_group(days_left: int) -> str:
    """The heading a due row falls under."""
    if days_left < 0:
        return "已逾期"
    if days_left <= 7:
        return "本周内到期（7天内）"
    if days_left <= 30:
        return "本月内到期（30天内）"
    return "稍后到期"


def occurrence_title(occ: schedule.Occurrence) -> str:
    """Name an occurrence for people: recurring ones carry their period, e.g. 2023Q3 报送…."""
    if occ.kind == "recurring":
        return f"{occ.key} {occ.label}"
    return occ.label


def print_due(items: list[schedule.DueItem], *, heading: str) -> None:
    """Show due items grouped as overdue, this week, this month, later."""
    header = ["分组", "预警", "时限", "剩余", "序号", "任务", "事项", "牵头单位"]
    rows = [
        [
            due_group(item.days_left),
            item.level,
            item.occurrence.date.isoformat() if item.occurrence.date else "",
            describe_days(item.days_left),
            str(item.task.id),
            item.task.title,
            occurrence_title(item.occurrence),
            "、".join(item.task.lead_units) or "—",
        ]
        for item in items
    ]
    if not is_terminal():
        print_plain_rows(header, rows)
        return
    console = _console()
    console.print(heading)
    if not rows:
        console.print("没有需要列出的事项。")
        return
    groups: dict[str, list[tuple[schedule.DueItem, list[str]]]] = {}
    for item, row in zip(items, rows, strict=True):
        groups.setdefault(row[0], []).append((item, row))
    for title, members in groups.items():
        console.print(_due_table(title, members))
    overdue = sum(1 for item in items if item.overdue)
    console.print(f"共 {len(items)} 项，其中逾期 {overdue} 项")


def _due_table(title: str, members: list[tuple[schedule.DueItem, list[str]]]) -> Table:
    from rich.table import Table

    table = Table(title=title, title_justify="left", title_style="bold", header_style="bold")
    widths = {"时限": 10, "剩余": 13, "序号": 4}
    for name in ["时限", "剩余", "序号", "任务", "事项", "牵头单位"]:
        width = widths.get(name)
        table.add_column(name, overflow="fold", no_wrap=width is not None, min_width=width)
    for item, row in members:
        # The coloured dot carries the 红/黄/绿 level; plain output and JSON spell it out.
        style = LEVEL_STYLE[item.level]
        table.add_row(row[2], f"[{style}]● {row[3]}[/]", *row[4:])
    return table


def print_task(task: Task, plan: Plan) -> None:
    """Show one task in full: text, clauses, units, deadlines, targets, progress."""
    from rich.markup import escape

    console = _console()
    section = plan.task_sections[task.id]
    style = STATUS_STYLE[task.status]
    console.print(f"[bold]{task.id}. {escape(task.title)}[/]  [{style}]{task.status.value}[/]")
    console.print(f"第{section.number}部分  {escape(section.title)}")
    for i, clause in enumerate(task.clauses, start=1):
        console.print()
        heading = f"分工 {i}（{clause.status.value}）" if len(task.clauses) > 1 else "内容"
        console.print(f"[bold]{heading}[/]")
        console.print(escape(clause.text))
        console.print(f"  牵头单位：{'、'.join(clause.lead) or '（原文未列牵头单位）'}")
        console.print(f"  责任单位：{'、'.join(clause.responsible) or '—'}")
    _print_schedule(console, task, plan)
    if task.phases:
        console.print()
        console.print(f"[bold]工作阶段[/]：{' → '.join(task.phases)}")
    if task.targets:
        console.print()
        console.print("[bold]目标[/]")
        for target in task.targets:
            actual = f"，实际 {target.actual}{target.unit}" if target.actual is not None else ""
            line = f"  {target.name} {target.op} {target.value}{target.unit}{actual}"
            console.print(escape(line))
    _print_progress(console, task)


def _print_schedule(console: Console, task: Task, plan: Plan) -> None:
    from rich.markup import escape

    done = schedule.completed_keys(task)
    console.print()
    console.print("[bold]时限[/]")
    for occ in schedule.occurrences(task, plan):
        when = occ.date.isoformat() if occ.date else "日期不详"
        if occ.start and occ.date:
            when = f"{occ.start.isoformat()} 至 {occ.date.isoformat()}"
        mark = "✓ " if task.status is Status.DONE or occ.key in done else ""
        console.print(f"  {mark}{when}  {escape(occurrence_title(occ))}")
        if occ.date_source:
            console.print(f"      [dim]日期来源：{escape(occ.date_source)}[/]")


def _print_progress(console: Console, task: Task) -> None:
    from rich.markup import escape

    if not task.progress:
        return
    console.print()
    console.print("[bold]进展[/]")
    for entry in task.progress:
        console.print(f"  {escape(query.progress_text(entry))}")


def print_edit(outcome: edit.Outcome, ref: edit.TaskRef) -> None:
    """Report an edit: the diff for --dry-run, a one-line summary otherwise."""
    if not outcome.written:
        sys.stdout.write(outcome.diff())
        print_error("（--dry-run：以上为将要做的修改，文件未改动）")
        return
    task = outcome.task
    print_lines(
        [
            f"已更新 {outcome.path}：任务 {ref}「{task.title}」现为 {task.status.value}",
            f"  进展：{query.progress_text(task.progress[-1])}",
        ]
    )


def write_output(data: bytes, output: Path | None) -> None:
    """Write an exported file, or send it to stdout when no file is named."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise PlantrackError(f"{output}: 无法写入：{exc.strerror}") from None
    print_error(f"已写入 {output}")


def print_error(message: str) -> None:
    """Write an error message to stderr, with no markup interpretation."""
    sys.stderr.write(message.rstrip("\n") + "\n")
