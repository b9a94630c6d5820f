"""Terminal output: plain lines, JSON, errors, files written; rich only when a table is drawn."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plantrack.core.numerals import to_chinese
from plantrack.core.wording import plan_counts, progress_text
from plantrack.output.display import json_printable, one_line, printable
from plantrack.planfile import files

if TYPE_CHECKING:
    from rich.console import Console

    from plantrack.commands.forms import Collected, FormsMade
    from plantrack.commands.reports import Rendered
    from plantrack.commands.rollover import Rolled
    from plantrack.core.digest import Digest
    from plantrack.core.rule_codes import Rule
    from plantrack.gitops.plandiff import Change, PlanDiff
    from plantrack.gitops.setup import Registered
    from plantrack.importer.convert import Imported
    from plantrack.notify.robots import Sent
    from plantrack.planfile.edit import Outcome
    from plantrack.planfile.load import Checked


def rich_console() -> Console:
    """A rich console for stdout whose printed strings cannot carry control sequences."""
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
    """Write UTF-8 JSON, Chinese left readable; indented for people, compact for programs.

    A list may be given as any iterable: written compact, it goes out one item at a time.
    """
    # Indenting forces json's pure-Python encoder, ten times slower on a large plan.
    indent = 2 if (is_terminal() if pretty is None else pretty) else None
    if indent is None and isinstance(data, list | Iterator):
        _print_json_items(data)
        return
    if isinstance(data, Iterator):
        data = list(data)
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    sys.stdout.write(json_printable(text) + "\n")


def _print_json_items(items: Iterable[Any]) -> None:
    """A compact JSON array, written item by item: the bytes json.dumps gives the whole list.

    100,000 task records are never all in memory, nor their text twice.
    """
    write = sys.stdout.write
    write("[")
    for index, item in enumerate(items):
        if index:
            write(", ")
        write(json_printable(json.dumps(item, ensure_ascii=False)))
    write("]\n")


def _write(text: str) -> None:
    """Write to stdout, every control character shown as an escape."""
    sys.stdout.write(printable(text))


def print_lines(lines: Iterable[str]) -> None:
    """Write plain lines to stdout."""
    _write("".join(f"{line}\n" for line in lines))


def print_plain_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Write tab-separated rows for pipes, grep and spreadsheets."""
    print_lines("\t".join(cells) for cells in [header, *rows])


def print_check(results: list[Checked], *, style: str = "text") -> None:
    """Say each valid file is fine on stdout, and every problem as PATH:LINE:COL on stderr.

    style github: problems are GitHub Actions annotations on stdout, where the runner reads
    them and marks the line in the pull request. style gitlab: stdout is one Code Quality
    report (JSON) for the merge request, and nothing else.
    """
    found = [
        (level, problem)
        for result in results
        for level, problem in [("error", p) for p in result.problems]
        + [("warning", w) for w in result.warnings]
    ]
    if style == "gitlab":
        from plantrack.output.annotations import gitlab_issue

        print_json([gitlab_issue(level, problem) for level, problem in found], pretty=False)
        return
    for result in results:
        if result.plan is not None:
            # A file's name is data: a newline in it must not start a line of its own,
            # where a CI runner would read it as a command (::error …, ::add-mask::).
            name = one_line(str(result.path))
            print_lines([f"{name}: 没有发现问题（{plan_counts(result.plan)}）"])
    for level, problem in found:
        if style == "github":
            from plantrack.output.annotations import github_annotation

            print_lines([github_annotation(level, problem)])
        elif level == "error":
            print_error(str(problem))
        else:
            print_error(f"{problem.path}:{problem.line}:{problem.col}: 提示：{problem.message}")


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
    if entry.postponed_to is not None:
        now = f"时限已延期至 {entry.postponed_to}（{outcome.status.value}）"
    else:
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
    failed = [result.dept for result in sent if result.error]
    if len(sent) > 1:
        line = f"共 {len(sent)} 个单位：已发送 {len(sent) - len(failed)} 个"
        print_lines(
            [line + (f"，未送达 {len(failed)} 个（{'、'.join(failed)}）" if failed else "")]
        )


def print_lost(found: PlanDiff, lost: Sequence[Change]) -> None:
    """Say on stderr which progress entries of the old version the new one dropped."""
    print_error(f"{found.new.label} 丢掉了 {found.old.label} 中的 {len(lost)} 条进展：")
    for change in lost:
        print_error(f"  任务 {change.ref()}：{change.before}")


def print_cache(where: Path | None, count: int, *, cleared: bool) -> None:
    """Say where the cache is and how many entries it holds, or held before it was cleared."""
    if where is None:
        print_lines(["缓存已关闭（环境变量 PLANTRACK_NO_CACHE）"])
    elif cleared:
        print_lines([f"已清空缓存 {where}（{count} 个文件）"])
    else:
        print_lines([f"缓存位置：{where}（{count} 个文件）"])


def print_import(
    imported: Imported, output: Path | None, *, dry_run: bool = False, force: bool = False
) -> None:
    """Write the imported plan (or its outline), with notes and the summary on stderr."""
    where = imported.source
    for note in imported.notes:
        print_error(f"{where}:{note.line}: {note.message}")
    for problem in imported.problems:
        lead = "草稿中待填写" if imported.draft else "无法生成有效的计划"
        print_error(f"{where}:{problem.line}: {lead}：{problem.message}")
    if dry_run:
        _write("\n".join(import_outline(imported)) + "\n")
    elif not imported.refused:
        deliver(imported.text.encode("utf-8"), output, force=force, protected=[imported.source])
    print_error(str(imported.summary))
    if imported.registry is not None:
        new = imported.new_units
        print_error(
            f"单位已按 {imported.registry} 登记的单位核对"
            + (f"；新单位 {len(new)} 个：{'、'.join(new)}" if new else "，没有新单位")
            + "。"
        )
    if imported.notes:
        print_error(f"共 {len(imported.notes)} 处需要人工核对（见上）。")
    if imported.draft and imported.problems:
        print_error(
            f"这是草稿：plantrack check 会指出上面 {len(imported.problems)} 处，"
            "按原文填好（如“〔待填写〕”换成单位）后再使用。"
        )
    elif imported.problems:
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
    deliver(rendered.data, rendered.output, force=force, protected=[rendered.source])


def deliver(
    data: bytes, output: Path | None, *, force: bool = False, protected: list[Path] | None = None
) -> None:
    """Write an exported file, or send it to stdout when no file is named."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    files.write_output_file(output, data, force=force, protected=protected or [])
    print_error(f"已写入 {output}")


def print_error(message: str) -> None:
    """Write an error message to stderr, with no markup interpretation."""
    sys.stderr.write(printable(message.rstrip("\n")) + "\n")


def print_rules(rules: Sequence[Rule]) -> None:
    """The rule table of `check --list-rules`: a table in a terminal, tab-separated when piped."""
    header = ["规则代码", "说明", "检查位置"]
    rows = [[rule.code, rule.description, rule.where] for rule in rules]
    if not is_terminal():
        print_plain_rows(header, rows)
        return
    from rich.table import Table

    table = Table(header_style="bold")
    for name in header:
        table.add_column(name, overflow="fold", no_wrap=name == "规则代码")
    for row in rows:
        table.add_row(*row)
    rich_console().print(table)


def print_rollover(rolled: Rolled) -> None:
    """What a rollover carried (or would carry), one clause a line."""
    lines = [
        f"  {item.origin} {item.task.title}（{item.status.value}{'：' + item.note if item.note else ''}）"
        for item in rolled.carried
    ]
    if not rolled.carried:
        done = f"（已结转过 {rolled.skipped} 项）" if rolled.skipped else ""
        print_lines([f"{rolled.target}：没有需要结转的分工{done}，未改动"])
        return
    verb = "已写入" if rolled.written else "（--dry-run：未写入）将写入"
    print_lines([f"{verb} {rolled.target}：结转 {len(rolled.carried)} 项未完成的分工", *lines])


def print_registered(registered: Registered) -> None:
    """What git-setup registered, so the user sees the commands git will run."""
    added = "已添加" if registered.attributes_added else "已有，未改动"
    print_lines(
        [
            f"已登记差异驱动：{registered.textconv}",
            f"已登记合并驱动：{registered.driver}",
            f"{registered.attributes}：plans/*.yaml 一行{added}",
        ]
    )


def print_forms(made: FormsMade) -> None:
    """Each form written, with its office and rows, then when replies are due."""
    from plantrack.core.wording import month_day, period_name

    lines = [f"已写入 {item.path}（{item.office}，{item.rows} 项分工）" for item in made.written]
    lines.append(
        f"共 {len(made.written)} 份{period_name(made.period)}进展填报表；"
        f"请各单位于{month_day(made.reply_by)}前填好交回，再用 plantrack collect 收集"
    )
    print_lines(lines)


def print_collected(found: Collected) -> None:
    """Each reply taken or refused and why, the change to the plan, and who has not replied."""
    from plantrack.core.wording import period_name
    from plantrack.gitops.plandiff import Version, compare
    from plantrack.output.form import period_name_of

    lines: list[str] = []
    for path, read in found.replies:
        stamp = read.reply.stamp
        whose = f"{path}（{stamp.office}，{period_name_of(stamp)}）"
        if found.taken(read):
            lines.append(f"{whose}：合格 {len(read.answers)} 行")
            lines += [f"  第 {a.row} 行：{a.remark}" for a in read.answers if a.remark]
            if read.refusals:
                lines.append(f"  按 --skip-invalid 跳过 {len(read.refusals)} 行：")
        elif read.refused_whole:
            lines.append(f"{whose}：未收录")
        else:
            lines.append(
                f"{whose}：有 {len(read.refusals)} 行不合格，整份未收录"
                "（请改正后重新交回；或加 --skip-invalid 只收录合格的行）"
            )
        lines += [f"  {refusal}" for refusal in read.refusals]
    batch = found.batch
    if batch.already:
        lines.append(f"已收录过或状态未变 {len(batch.already)} 行，未重复记录。")
    if batch.added:
        verb = "已写入" if batch.written else "（--dry-run，未写入）将写入"
        lines.append(f"{verb} {batch.path}：新增 {len(batch.added)} 条进展")
        diff = compare(Version("收集前", batch.before), Version("收集后", batch.after))
        lines.append(diff.markdown().rstrip("\n"))
    else:
        lines.append(f"没有新的进展，{batch.path} 未改动。")
    for period, names in found.missing:
        who = "、".join(names) if names else "无"
        lines.append(f"未报送（{period_name(period)}）：{who}")
    print_lines(lines)
