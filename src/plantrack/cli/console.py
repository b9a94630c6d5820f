"""Terminal output; the only module that imports rich, and only when output is drawn."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plantrack.core.model import Plan, Status
from plantrack.core.numerals import to_chinese
from plantrack.core.periods import month_end
from plantrack.core.problems import Problem
from plantrack.core.query import DueListing, TaskDetail, TaskLine, TaskListing, progress_text
from plantrack.core.schedule import DueItem, Occurrence, describe_target, occurrence_name
from plantrack.output.columns import Column, headings, text_rows
from plantrack.output.display import json_printable, printable
from plantrack.planfile import files

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from plantrack.core.digest import Digest
    from plantrack.importer import Imported
    from plantrack.notify.robots import Sent
    from plantrack.output.formats import Rendered
    from plantrack.planfile.edit import Outcome
    from plantrack.planfile.load import Checked

STATUS_STYLE = {
    Status.NOT_STARTED: "dim",
    Status.IN_PROGRESS: "cyan",
    Status.DONE: "green",
    Status.BLOCKED: "bold red",
}
LEVEL_STYLE = {"红": "bold red", "黄": "yellow", "绿": "green"}
# A shape per level, so rows differ without colour too (NO_COLOR, printouts).
LEVEL_MARK = {"红": "✖", "黄": "▲", "绿": "●"}
# Narrow columns keep to one line; the others wrap to fit the terminal.
NO_WRAP = {"序号", "状态"}


def _console() -> Console:
    from rich.console import Console

    class _SafeConsole(Console):
        """A console whose printed strings cannot carry terminal control sequences."""

        def print(self, *objects: Any, **kwargs: Any) -> None:
            shown = [printable(o) if isinstance(o, str) else o for o in objects]
            super().print(*shown, **kwargs)

    console = _SafeConsole(highlight=False)
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
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    sys.stdout.write(json_printable(text) + "\n")


def _write(text: str) -> None:
    """Write to stdout, every control character shown as an escape."""
    sys.stdout.write(printable(text))


def print_lines(lines: Iterable[str]) -> None:
    """Write plain lines to stdout."""
    _write("".join(f"{line}\n" for line in lines))


def print_plain_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write tab-separated rows for pipes, grep and spreadsheets."""
    print_lines("\t".join(cells) for cells in [header, *rows])


def print_check(results: list[Checked], *, github: bool = False) -> None:
    """Say each valid file is fine on stdout, and every problem as PATH:LINE:COL on stderr.

    With github, problems are GitHub Actions annotations on stdout, where the runner reads
    them and marks the line in the pull request.
    """
    for result in results:
        if result.plan is not None:
            print_lines([f"{result.path}: 没有发现问题（{plan_counts(result.plan)}）"])
        for level, found in [("error", p) for p in result.problems] + [
            ("warning", w) for w in result.warnings
        ]:
            if github:
                print_lines([github_annotation(level, found)])
            elif level == "error":
                print_error(str(found))
            else:
                print_error(f"{found.path}:{found.line}:{found.col}: 提示：{found.message}")


def github_annotation(level: str, problem: Problem) -> str:
    """One problem as a GitHub Actions workflow command, escaped as the runner expects."""
    path = Path(problem.path)
    with contextlib.suppress(ValueError):
        path = path.resolve().relative_to(Path.cwd().resolve())  # the runner's workspace
    where = ",".join(
        [
            f"file={_annotation_property(path.as_posix())}",
            f"line={problem.line}",
            f"col={problem.col}",
            f"title={_annotation_property(f'plantrack {problem.rule}')}",
        ]
    )
    return f"::{level} {where}::{_annotation_data(printable(problem.message))}"


def _annotation_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _annotation_property(text: str) -> str:
    return _annotation_data(text).replace(":", "%3A").replace(",", "%2C")


def plan_counts(plan: Plan) -> str:
    """How big a plan is, as `check` reports it."""
    tasks = plan.tasks
    clauses = sum(len(task.clauses) for task in tasks)
    return f"{len(plan.sections)} 个部分，{len(tasks)} 项任务，{clauses} 项分工，{len(plan.units)} 个单位"


def print_tasks(listing: TaskListing) -> None:
    """Show tasks as an aligned table in a terminal, or tab-separated when piped."""
    header = headings(listing.columns)
    rows = text_rows(listing.columns, listing.lines)
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
    console = _console()
    console.print(table)
    console.print(f"共 {len(rows)} 项任务")


def describe_days(days_left: int) -> str:
    """Say in Chinese how far a date is: 逾期 12 天, 今天到期, 还剩 3 天."""
    if days_left < 0:
        return f"逾期 {-days_left} 天"
    if days_left == 0:
        return "今天到期"
    return f"还剩 {days_left} 天"


def due_group(item: DueItem) -> str:
    """The heading a due row falls under: overdue, this calendar week, this month, later."""
    if item.days_left < 0:
        return "已逾期"
    due = item.occurrence.date
    assert due is not None  # only dated occurrences fall due
    as_of = due - dt.timedelta(days=item.days_left)
    sunday = as_of + dt.timedelta(days=6 - as_of.weekday())
    if due <= sunday:
        return f"本周内到期（至 {sunday.month}月{sunday.day}日 周日）"
    if (due.year, due.month) == (as_of.year, as_of.month):
        last = month_end(as_of.year, as_of.month)
        return f"本月内到期（至 {last.month}月{last.day}日）"
    return "下月及以后到期"


def _date(item: DueItem) -> str:
    return item.occurrence.date.isoformat() if item.occurrence.date else ""


# In a terminal the group and the level are shown as headings and coloured dots; piped
# output spells them out in two more columns. Widths here are terminal cells, 0 for "fit".
DUE_GROUP: Column[DueItem] = Column("分组", 0, due_group)
DUE_LEVEL: Column[DueItem] = Column("预警", 0, lambda item: item.level)
DUE_DAYS = "剩余"
DUE_COLUMNS: list[Column[DueItem]] = [
    Column("时限", 10, _date),
    Column(DUE_DAYS, 13, lambda item: describe_days(item.days_left)),
    Column("序号", 4, lambda item: item.task.id),
    Column("任务", 0, lambda item: item.task.title),
    Column("事项", 0, lambda item: occurrence_name(item.occurrence)),
    Column("牵头单位", 0, lambda item: "、".join(item.task.lead_units) or "—"),
]


def print_due(listing: DueListing) -> None:
    """Show due items grouped as overdue, this week, this month, later."""
    items = listing.items
    columns = _due_columns(listing)
    if not is_terminal():
        plain = [DUE_GROUP, DUE_LEVEL, *columns]
        print_plain_rows(headings(plain), text_rows(plain, items))
        return
    console = _console()
    console.print(listing.heading)
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


def _due_columns(listing: DueListing) -> list[Column[DueItem]]:
    """The due table's columns, with the unit's role when the listing is for one unit."""
    if not listing.roles:
        return DUE_COLUMNS
    return [*DUE_COLUMNS, Column("角色", 0, listing.role_label)]


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

    console = _console()
    line = detail.line
    task, section = line.task, line.match.section
    style = STATUS_STYLE[line.status]
    console.print(f"[bold]{task.id}. {escape(task.title)}[/]  [{style}]{line.status.value}[/]")
    console.print(f"第{section.number}部分  {escape(section.title)}")
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
        when = occ.date.isoformat() if occ.date else "日期不详"
        if occ.start and occ.date:
            when = f"{occ.start.isoformat()} 至 {occ.date.isoformat()}"
        mark = "✓ " if timeline.is_done(task, occ) else ""
        # The identifier to type after --occurrence, where the name does not already show it.
        handle = f"  [dim]标识 {escape(occ.key)}[/]" if occ.kind != "recurring" else ""
        name = escape(occurrence_name(occ))
        console.print(f"  {mark}{when}  {name}{_done_note(line, occ)}{handle}")
        if occ.date_source:
            console.print(f"      [dim]日期来源：{escape(occ.date_source)}[/]")


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


def print_edit(outcome: Outcome) -> None:
    """Report an edit: the diff for --dry-run, a one-line summary otherwise."""
    task = outcome.task
    if outcome.unchanged:
        what = f"的 {outcome.occurrence} " if outcome.occurrence else ""
        state = outcome.wanted.value if outcome.wanted else outcome.status.value
        print_lines(
            [
                f"任务 {outcome.ref}「{task.title}」{what}已是 {state}，未改动 {outcome.path}"
                "（要补记说明，请加 --note）"
            ]
        )
        return
    if not outcome.written:
        _write(outcome.diff())
        print_error("（--dry-run：以上为将要做的修改，文件未改动）")
        return
    entry = task.progress[-1]
    now = "已记录目标实际值" if entry.target else f"现为 {outcome.status.value}"
    print_lines(
        [
            f"已更新 {outcome.path}：任务 {outcome.ref}「{task.title}」{now}",
            f"  进展：{progress_text(entry, task, occurrences=list(outcome.occurrences))}",
        ]
    )


def print_digests(found: list[Digest], *, markdown: bool) -> None:
    """Each office's digest, one after another."""
    _write("\n".join(d.markdown() if markdown else d.text() for d in found))


def print_text(text: str) -> None:
    """Write a block of text and a blank line after it."""
    _write(text.rstrip("\n") + "\n\n")


def print_sent(sent: list[Sent], *, dry_run: bool) -> None:
    """One line per office: sent (how many messages), or why not; errors on stderr."""
    if dry_run:
        print_error(f"（--dry-run：以上为将发给 {len(sent)} 个单位的内容，未发送）")
        return
    for result in sent:
        if result.error:
            print_error(result.error)
        else:
            print_lines([f"已发送：{result.dept}（{result.service}，{result.messages} 条）"])


def print_import(
    imported: Imported, output: Path | None, *, dry_run: bool = False, force: bool = False
) -> None:
    """Write the imported plan (or its outline), with notes and the summary on stderr."""
    where = imported.source
    for note in imported.notes:
        print_error(f"{where}:{note.line}: {note.message}")
    for problem in imported.problems:
        print_error(f"{where}:{problem.line}: 无法生成有效的计划：{problem.message}")
    if dry_run:
        _write("\n".join(import_outline(imported)) + "\n")
    elif not imported.refused:
        write_output(imported.text.encode("utf-8"), output, force=force)
    print_error(str(imported.summary))
    if imported.notes:
        print_error(f"共 {len(imported.notes)} 处需要人工核对（见上）。")
    if imported.problems:
        print_error("未写入任何文件：请按上面的提示修改原文后重新导入。")
    elif imported.strict and imported.notes and not dry_run:
        print_error("未写入任何文件：--strict 要求没有需要人工核对之处。")


def import_outline(imported: Imported) -> list[str]:
    """Section, then each task with its lead units: what the import read, at a glance."""
    lines = [imported.read.title]
    for section in imported.read.sections:
        lines.append(f"{to_chinese(section.number)}、{section.title}")
        for task in section.tasks:
            leads = dict.fromkeys(n for c in task.clauses for n in c.roles.get("lead", []))
            lead = "、".join(leads) or "（未写明）"
            lines.append(f"  {task.id}. {task.title}  牵头：{lead}")
    return lines


def output_path(output: Path | None) -> Path | None:
    """The file -o names; None for standard output (no -o, or -o -)."""
    return None if output is None or str(output) == "-" else output


def write_rendered(rendered: Rendered, *, force: bool) -> None:
    """Write a report or export where -o points, never over the plan it was made from."""
    write_output(rendered.data, rendered.output, force=force, protected=[rendered.source])


def write_output(
    data: bytes, output: Path | None, *, force: bool = False, protected: list[Path] | None = None
) -> None:
    """Write an exported file, or send it to stdout when no file is named."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    files.write_output(output, data, force=force, protected=protected or [])
    print_error(f"已写入 {output}")


def print_error(message: str) -> None:
    """Write an error message to stderr, with no markup interpretation."""
    sys.stderr.write(printable(message.rstrip("\n")) + "\n")
