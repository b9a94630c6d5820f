"""Status changes and progress entries written into the plan's own text, atomically.

The YAML file belongs to the user: it is never re-dumped. Each change is spliced in at the
positions of the nodes it touches, so comments, key order, quoting, long lines, CRLF line
endings and a BOM all survive byte for byte.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plantrack.core import periods, rules
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.model import Plan, Progress, Status, Task, parse_status
from plantrack.core.numerals import half_width
from plantrack.core.problems import Loc
from plantrack.core.schedule import (
    Occurrence,
    Timeline,
    find_occurrence,
    format_number,
    occurrences,
)
from plantrack.planfile import files, load, yamltree
from plantrack.planfile.yamltext import Splice, apply, double_quoted, insert_lines, scalar


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A task, or one clause of it, as written on the command line: 13 or 13.2."""

    task: int
    clause: int | None = None

    def __str__(self) -> str:
        return f"{self.task}.{self.clause}" if self.clause else str(self.task)


@dataclass(frozen=True)
class Outcome:
    """What an edit did, or would do with --dry-run."""

    path: Path
    ref: TaskRef
    before: str
    after: str
    task: Task
    # The status of what was marked: the clause for 7.2, else the whole task.
    status: Status
    written: bool
    # Nothing to do: the task, clause or occurrence was already in the state wanted (and
    # no note was given); occurrence and wanted say what was asked.
    unchanged: bool = False
    occurrence: str | None = None
    wanted: Status | None = None
    # The task's occurrences, for naming the one an entry completed.
    occurrences: tuple[Occurrence, ...] = ()

    def diff(self) -> str:
        """A unified diff of the change, as git would show it."""
        a, b = ("", "") if self.path.is_absolute() else ("a/", "b/")
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"{a}{self.path}",
            tofile=f"{b}{self.path}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def parse_ref(text: str) -> TaskRef:
    """Read TASK or TASK.CLAUSE (full-width digits too: ２６, ７．２)."""
    match = re.fullmatch(r"([0-9]{1,9})(?:\.([0-9]{1,4}))?", half_width(text).strip())
    if match is None:
        shown = text if len(text) <= 20 else text[:20] + "…"
        raise UsageError(f"任务写法“{shown}”无效：应为任务序号（如 13）或 序号.分工（如 7.2）")
    task, clause = match.groups()
    return TaskRef(int(task), int(clause) if clause else None)


def default_author(folder: Path) -> str | None:
    """The git user name configured for the plan's repository, if any."""
    try:
        result = subprocess.run(
            ["git", "config", "user.name"],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None


@dataclass(frozen=True)
class Request:
    """An edit as asked on the command line, before anything is parsed."""

    plan: Path | None
    target: str
    note: str = ""
    date: str | None = None
    by: str | None = None
    as_of: str | None = None
    dry_run: bool = False


def mark_request(request: Request, status: str, *, occurrence: str | None) -> Outcome:
    """`plantrack mark`: parse what was asked, then set the status and log it."""
    ref = parse_ref(request.target)
    wanted = parse_status(status)
    path, entry, day = _request_entry(request, occurrence=occurrence)
    return mark(path, ref, wanted, entry, as_of=day, dry_run=request.dry_run)


def log_request(request: Request) -> Outcome:
    """`plantrack log`: parse what was asked, then append the note."""
    ref = parse_ref(request.target)
    path, entry, day = _request_entry(request, occurrence=None)
    return log(path, ref, entry, as_of=day, dry_run=request.dry_run)


def actual_request(request: Request, value: str, *, target: str | None) -> Outcome:
    """`plantrack actual`: record a target's value on a date, as an entry of the log."""
    ref = parse_ref(request.target)
    if ref.clause is not None:
        raise UsageError(f"目标属于整项任务：请写任务序号 {ref.task}，不要写分工 {ref}")
    number = _parse_value(value)
    path, entry, day = _request_entry(request, occurrence=None)
    return record_value(path, ref, target, number, entry, as_of=day, dry_run=request.dry_run)


def _parse_value(text: str) -> float:
    """85, 85%, 85.5 or ８５％ as a number."""
    cleaned = text.strip().replace("％", "%").rstrip("%").strip()
    try:
        return float(cleaned.translate(_FULL_WIDTH_DIGITS))
    except ValueError:
        raise UsageError(f"实际值“{text}”不是数字：请写数字，如 85 或 85%") from None


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _request_entry(request: Request, *, occurrence: str | None) -> tuple[Path, Progress, dt.date]:
    today = periods.today(request.as_of)
    path = load.find_plan(request.plan, year=today.year)
    day = periods.parse_date(request.date, option="--date") if request.date is not None else today
    by = request.by if request.by is not None else default_author(path.resolve().parent)
    note = request.note.strip()
    return path, Progress(date=day, note=note, by=by or None, occurrence=occurrence), today


def mark(
    path: Path,
    ref: TaskRef,
    status: Status,
    entry: Progress,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Set the status of a task (every clause) or one clause, and log the change.

    Marking what is already in that state writes nothing, unless a note comes with it.
    """

    def change(layout: Layout, plan: Plan) -> str | _Unchanged:
        logged = entry.model_copy(update={"status": status, "clause": ref.clause})
        task = _vetted(plan, ref, logged, as_of)
        logged = _with_canonical_occurrence(plan, task, logged)
        if not entry.note and _already(Timeline(plan), task, ref, status, logged.occurrence):
            return _Unchanged(logged.occurrence, status)
        splices: list[Splice] = []
        if entry.occurrence is None:
            clauses = range(len(task.clauses)) if ref.clause is None else [ref.clause - 1]
            splices += [layout.status_splice(clause, status) for clause in clauses]
        splices += layout.progress_splices(logged)
        return apply(layout.text, splices)

    return _edit(path, ref, change, dry_run=dry_run)


def _with_canonical_occurrence(plan: Plan, task: Task, entry: Progress) -> Progress:
    """The entry with its occurrence written as the key (2023Q2), however it was typed."""
    if entry.occurrence is None:
        return entry
    found = find_occurrence(occurrences(task, plan), entry.occurrence)
    return entry.model_copy(update={"occurrence": found.key}) if found else entry


def _already(
    timeline: Timeline, task: Task, ref: TaskRef, status: Status, occurrence: str | None
) -> bool:
    """Tell whether the clause, the task or the occurrence is already in that state."""
    if occurrence is not None:
        occ = find_occurrence(timeline.occurrences(task), occurrence)
        assert occ is not None  # vetted against the same occurrences
        return timeline.is_done(task, occ) == (status is Status.DONE)
    indexes = range(len(task.clauses)) if ref.clause is None else [ref.clause - 1]
    return all(
        timeline.recorded_status(task, i)[0] is status and task.clauses[i].status is status
        for i in indexes
    )


def log(
    path: Path,
    ref: TaskRef,
    entry: Progress,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Append a progress note to a task without changing its status."""
    if not entry.note:
        raise UsageError('进展说明不能为空：请写明做了什么，如 plantrack log 13 "完成线索收集"')

    def change(layout: Layout, plan: Plan) -> str:
        logged = entry.model_copy(update={"status": None, "clause": ref.clause})
        _vetted(plan, ref, logged, as_of)
        return apply(layout.text, layout.progress_splices(logged))

    return _edit(path, ref, change, dry_run=dry_run)


def record_value(
    path: Path,
    ref: TaskRef,
    target: str | None,
    value: float,
    entry: Progress,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Append a target's actual value on the entry's date to the task's log."""

    def change(layout: Layout, plan: Plan) -> str:
        task = _vetted(plan, ref, entry, as_of)
        name = _target_name(task, target)
        number: int | float = int(value) if value.is_integer() else value
        logged = entry.model_copy(update={"target": name, "value": number, "clause": None})
        _vetted(plan, ref, logged, as_of)
        return apply(layout.text, layout.progress_splices(logged))

    return _edit(path, ref, change, dry_run=dry_run)


def _target_name(task: Task, given: str | None) -> str:
    """The target meant: the one named, or the task's only target."""
    names = [t.name for t in task.targets]
    if given is None and len(names) == 1:
        return names[0]
    if given is not None and given in names:
        return given
    if not names:
        raise UsageError(f"任务 {task.id} 没有量化目标，无法记录实际值")
    choices = "、".join(names)
    if given is None:
        raise UsageError(f"任务 {task.id} 有多个目标：请用 --target 指定，可选 {choices}")
    raise UsageError(f"任务 {task.id} 没有名为“{given}”的目标：可选 {choices}")


def _vetted(plan: Plan, ref: TaskRef, entry: Progress, as_of: dt.date | None) -> Task:
    """The task ref names, once the same rules `check` applies accept the new entry."""
    problem = rules.task_message(plan, ref.task, ref.clause)
    if problem:
        raise UsageError(problem)
    task = plan.tasks_by_id[ref.task]
    for _, _, message in rules.entry_messages(plan, task, entry, as_of=as_of):
        raise UsageError(message)
    return task


# --- reading, checking and writing the file -------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Unchanged:
    """What a change returns when the state asked for already holds."""

    occurrence: str | None
    wanted: Status


# The new text, or why there is nothing to write.
Change = Callable[["Layout", Plan], "str | _Unchanged"]


def _edit(path: Path, ref: TaskRef, change: Change, *, dry_run: bool) -> Outcome:
    shown = str(path)
    # A dry run writes nothing, so it need not wait for another edit to finish.
    with files.editing(path, lock=not dry_run) as opened:
        original = opened.data
        has_bom = original.startswith(files.BOM)
        before = load.decode(original, shown)
        plan, raw = load.parse_with_values(before, shown)
        problem = rules.task_message(plan, ref.task)
        if problem:
            raise UsageError(problem)
        layout = _layout(before, task_loc(plan, ref.task), shown)
        after = change(layout, plan)
        if isinstance(after, _Unchanged):
            nothing, task = after, plan.tasks_by_id[ref.task]
            status = _status_of(plan, task, ref)
            return Outcome(
                path, ref, before, before, task, status, False, True, nothing.occurrence,
                nothing.wanted,
            )  # fmt: skip
        new_plan = _revalidate(layout, after, raw, shown)
        _check_progress_grew(plan, new_plan, ref.task)
        task = new_plan.tasks_by_id[ref.task]
        status = _status_of(new_plan, task, ref)
        outcome = Outcome(
            path, ref, before, after, task, status, not dry_run,
            occurrences=tuple(occurrences(task, new_plan)),
        )  # fmt: skip
        if not dry_run:
            opened.replace((files.BOM if has_bom else b"") + after.encode("utf-8"))
        return outcome


def _status_of(plan: Plan, task: Task, ref: TaskRef) -> Status:
    timeline = Timeline(plan)
    return timeline.clause_status(task, ref.clause - 1) if ref.clause else timeline.status(task)


def _revalidate(layout: Layout, after: str, raw: Any, path: str) -> Plan:
    """Validate the new text; cheaply when the change stayed inside the task's own lines.

    The edits touch only the lines of one task. If everything outside those lines is
    byte-identical and the task's new lines parse on their own into a task that, put back
    into the plan, validates, then the whole new text reads as that plan. Anything else
    falls back to reading the whole new text, exactly as a later command will.
    """
    before = layout.text
    start = before.rfind("\n", 0, int(layout.span(layout.task)[0].index)) + 1
    end = layout.line_after(layout.task)
    new_end = end + len(after) - len(before)
    local = after[:start] == before[:start] and after[new_end:] == before[end:]
    if local:
        try:
            block, _ = yamltree.read_values(after[start:new_end], path)
        except PlantrackError:
            block = None
        if isinstance(block, list) and len(block) == 1 and isinstance(block[0], dict):
            plan = load.validate_values(_with_task(raw, layout.task, block[0]))
            if plan is not None:
                return plan
    return load.parse_plan(after, path)


def _with_task(raw: Any, loc: Loc, task: dict[str, Any]) -> Any:
    """A copy of the plan's values with the task at loc replaced; the rest shared."""
    _, s, _, t = loc
    sections = list(raw["sections"])
    section = dict(sections[int(s)])
    tasks = list(section["tasks"])
    tasks[int(t)] = task
    section["tasks"] = tasks
    sections[int(s)] = section
    return {**raw, "sections": sections}


def _check_progress_grew(before: Plan, after: Plan, task_id: int) -> None:
    # A guard against a splice landing in the wrong place: exactly one entry must appear.
    old = len(before.tasks_by_id[task_id].progress)
    new = len(after.tasks_by_id[task_id].progress)
    if new != old + 1:
        raise PlantrackError(f"内部错误：任务 {task_id} 的进展记录没有按预期增加一条，文件未修改。")


# --- splicing text at node positions --------------------------------------------------------


def task_loc(plan: Plan, task_id: int) -> Loc:
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            if task.id == task_id:
                return ("sections", s, "tasks", t)
    raise PlantrackError(f"内部错误：在文件中找不到任务 {task_id} 的位置，文件未修改。")


def _layout(text: str, task: Loc, path: str) -> Layout:
    """Where the task's parts stand: found by a light scan and a read of its lines alone."""
    span = yamltree.find_span(text, task)
    if span is not None:
        start = text.rfind("\n", 0, span[0]) + 1
        newline = text.find("\n", span[1])
        end = len(text) if newline == -1 else newline + 1
        try:
            block, source = yamltree.read_values(text[start:end], path, spans=True)
        except PlantrackError:
            block = None
        if isinstance(block, list) and len(block) == 1:
            return Layout(text, _shifted(source, text, start, task), task)
    # Anything unusual (a task in flow style, aliases): read the whole text with positions.
    _, whole, _ = load.parse_with_spans(text, path)
    return Layout(text, whole, task)


def _shifted(source: yamltree.SourceMap, text: str, offset: int, task: Loc) -> yamltree.SourceMap:
    """Positions read from the task's lines alone, moved to where those lines stand."""
    lines = text.count("\n", 0, offset)

    def move(mark: Any) -> yamltree.Pos:
        return yamltree.Pos(int(mark.index) + offset, int(mark.line) + lines, int(mark.column))

    def rebase(spans: dict[Loc, tuple[Any, Any]]) -> dict[Loc, tuple[Any, Any]]:
        return {
            (*task, *loc[1:]): (move(a), move(b))
            for loc, (a, b) in spans.items()
            if loc[:1] == (0,)
        }

    return yamltree.SourceMap(
        source.path, spans=rebase(source.spans), key_spans=rebase(source.key_spans)
    )


@dataclass(frozen=True)
class Layout:
    """One task's place in the text, from the spans recorded while parsing."""

    text: str
    source: yamltree.SourceMap
    task: Loc

    def span(self, loc: Loc) -> tuple[Any, Any]:
        """Where the value at loc starts and where its content ends."""
        found = self.source.spans.get(loc)
        if found is None:
            raise PlantrackError(f"内部错误：在文件中找不到 {loc} 的位置，文件未修改。")
        return found

    def line_after(self, loc: Loc) -> int:
        """Index of the line after the last line the value at loc occupies."""
        mark = self.span(loc)[1]
        end = int(mark.index)
        if mark.column == 0 and end > 0:
            return end  # a block scalar (note: |) ends where the next line begins
        newline = self.text.find("\n", end)
        return len(self.text) if newline == -1 else newline + 1

    def status_splice(self, clause: int, status: Status) -> Splice:
        """Set one clause's status, keeping its quoting; add the line if it has none."""
        clause_loc = (*self.task, "clauses", clause)
        found = self.source.spans.get((*clause_loc, "status"))
        if found is None:
            closing = self._flow_end(clause_loc, "{")
            if closing is not None:  # `- {text: …, lead: […]}`: add the key inside the braces
                return Splice(closing, closing, f", status: {status}")
            indent = " " * self.span(clause_loc)[0].column
            return insert_lines(
                self.text, self.line_after(clause_loc), [f"{indent}status: {status}"]
            )
        start, end = int(found[0].index), int(found[1].index)
        quote = self.text[start] if self.text[start] in "\"'" else ""
        return Splice(start, end, f"{quote}{status}{quote}")

    def progress_splices(self, *entries: Progress) -> list[Splice]:
        """Append entries to the task's progress list, creating the list if needed."""
        loc = (*self.task, "progress")
        key = self.source.key_spans.get(loc)
        flow = ", ".join(_flow_entry(entry) for entry in entries)
        if key is None:
            closing = self._flow_end(self.task, "{")
            if closing is not None:  # a task written on one line, in braces
                return [Splice(closing, closing, f", progress: [{flow}]")]
            indent = self.span(self.task)[0].column
            lines = [" " * indent + "progress:", *_entries_lines(entries, indent + 2)]
            return [insert_lines(self.text, self.line_after(self.task), lines)]
        start, end = (int(mark.index) for mark in self.span(loc))
        if self.text[start] == "*":
            raise UsageError(
                f"第 {key[0].line + 1} 行的 progress 引用了别处的列表（{self.text[start:end]}）："
                "记在这里会同时改动别的任务，请先为本任务写出自己的 progress 列表"
            )
        closing = self._flow_end(loc, "[")
        if closing is None:
            lines = _entries_lines(entries, self._dash_column(loc))
            return [insert_lines(self.text, self.line_after(loc), lines)]
        opening = self.text.index("[", start)
        if self.text[opening + 1 : closing].strip() or self._flow_end(self.task, "{"):
            # A list in brackets stays one: the entries join it, in braces.
            comma = ", " if self.text[opening + 1 : closing].strip() else ""
            return [Splice(closing, closing, f"{comma}{flow}")]
        # `progress: []` in a block task becomes a block list: drop the brackets, add below.
        lines = _entries_lines(entries, key[0].column + 2)
        drop = Splice(len(self.text[:opening].rstrip(" ")), end, "")
        return [drop, insert_lines(self.text, self.line_after(loc), lines)]

    def _dash_column(self, loc: Loc) -> int:
        """The column of the "- " that starts a block list's first item."""
        first = int(self.span((*loc, 0))[0].index)
        line_start = self.text.rfind("\n", 0, first) + 1
        line = self.text[line_start:first]
        return len(line) - len(line.lstrip(" "))

    def removal(self, loc: Loc, *, with_key: bool = False) -> Splice:
        """Remove the lines of the block-list item (or, with_key, the key and value) at loc."""
        start = self.source.key_spans[loc][0] if with_key else self.span(loc)[0]
        line_start = self.text.rfind("\n", 0, int(start.index)) + 1
        return Splice(line_start, self.line_after(loc), "")

    def _flow_end(self, loc: Loc, opening: str) -> int | None:
        """Where the closing bracket of a flow collection at loc stands, if it is one."""
        start, end = (int(mark.index) for mark in self.span(loc))
        body = _PROPERTIES.sub("", self.text[start:end], count=1)
        closing = {"{": "}", "[": "]"}[opening]
        if body.startswith(opening) and self.text[end - 1] == closing:
            return end - 1
        return None


# An anchor (&p) or tag (!!seq) before a collection: the value starts after it.
_PROPERTIES = re.compile(r"^(?:[&!]\S*\s+)+")


def _flow_entry(entry: Progress) -> str:
    """A progress entry in braces, for a list or task written in flow style."""
    fields = _entry_fields(entry, quote=double_quoted)
    return "{" + ", ".join(f"{key}: {value}" for key, value in fields) + "}"


def _entries_lines(entries: tuple[Progress, ...], indent: int) -> list[str]:
    """Block-list lines for entries, "- " at indent."""
    lines: list[str] = []
    for entry in entries:
        for number, (key, value) in enumerate(_entry_fields(entry, quote=scalar)):
            prefix = "- " if number == 0 else "  "
            lines.append(f"{' ' * indent}{prefix}{key}: {value}")
    return lines


def _entry_fields(entry: Progress, *, quote: Callable[[str], str]) -> list[tuple[str, str]]:
    """The entry's keys in their written order, each value as YAML text that reads back typed."""
    fields: list[tuple[str, str | None]] = [
        ("date", entry.date.isoformat()),
        ("clause", str(entry.clause) if entry.clause else None),
        ("occurrence", entry.occurrence),
        ("status", entry.status.value if entry.status else None),
        ("target", entry.target),
        ("value", format_number(entry.value) if entry.value is not None else None),
        ("note", entry.note or None),
        ("by", entry.by),
    ]
    # Dates and numbers are written plain so they read back as what they are; in braces,
    # text is always quoted, since a comma or bracket would end it there.
    return [
        (key, value if key in ("date", "clause", "value") else quote(value))
        for key, value in fields
        if value is not None
    ]
