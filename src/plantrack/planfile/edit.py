"""Status changes and progress entries written into the plan file, atomically and checked.

An edit reads the plan under its lock, splices the change into the task's own lines
(`splice`), checks the new text with the rules `check` applies, and replaces the file
through the one safe writer. Anything wrong leaves the file as it was.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plantrack.core import history, rules
from plantrack.core import rule_codes as codes
from plantrack.core.domain import Status
from plantrack.core.errors import InternalError, PlanError, UsageError
from plantrack.core.model import Plan, Progress, Task
from plantrack.core.problems import Loc
from plantrack.core.refs import TaskRef, find_occurrence, postponed_occurrence
from plantrack.core.schedule import Occurrence, occurrences
from plantrack.core.timeline import Timeline
from plantrack.core.wording import format_number
from plantrack.planfile import files, load, yamltree
from plantrack.planfile.splice import Layout, layout_of, task_loc
from plantrack.planfile.yamltext import Splice, apply


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


def mark(
    path: Path,
    ref: TaskRef,
    status: Status,
    entry: Progress,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    dated: bool = True,
) -> Outcome:
    """Set the status of a task (every clause) or one clause, and log the change.

    Marking what is already in that state writes nothing, unless a note comes with it.
    """

    def change(layout: Layout, plan: Plan) -> str | _Unchanged:
        logged = entry.model_copy(update={"status": status, "clause": ref.clause})
        task = _vetted(plan, ref, logged, as_of, dated=dated)
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
        done = timeline.is_done(task, occ)
        # An occurrence is done or not: 已是 only for those two, never for 受阻 or 进行中.
        return (status is Status.DONE and done) or (status is Status.NOT_STARTED and not done)
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
    dated: bool = True,
) -> Outcome:
    """Append a progress note to a task without changing its status."""
    if not entry.note:
        raise UsageError('进展说明不能为空：请写明做了什么，如 plantrack log 13 "完成线索收集"')

    def change(layout: Layout, plan: Plan) -> str:
        logged = entry.model_copy(update={"status": None, "clause": ref.clause})
        _vetted(plan, ref, logged, as_of, dated=dated)
        return apply(layout.text, layout.progress_splices(logged))

    return _edit(path, ref, change, dry_run=dry_run)


def postpone(
    path: Path,
    ref: TaskRef,
    entry: Progress,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    dated: bool = True,
) -> Outcome:
    """Move a deadline to a later date from the entry's date on (延期), with the reason."""

    def change(layout: Layout, plan: Plan) -> str:
        logged = entry.model_copy(update={"status": None, "clause": ref.clause})
        task = _vetted(plan, ref, logged, as_of, dated=dated)
        logged = _with_canonical_occurrence(plan, task, logged)
        _later_than_now(Timeline(plan, as_of=as_of), task, logged)
        return apply(layout.text, layout.progress_splices(logged))

    return _edit(path, ref, change, dry_run=dry_run)


def _later_than_now(timeline: Timeline, task: Task, entry: Progress) -> None:
    """A second postponement must move the deadline past where the first one put it."""
    occ = postponed_occurrence(timeline.occurrences(task), entry)
    new = entry.postponed_to
    if occ is not None and occ.date is not None and new is not None and new <= occ.date:
        raise UsageError(f"这一时限已延期至 {occ.date}：新的日期 {new} 须晚于它")


def record_value(
    path: Path,
    ref: TaskRef,
    target: str | None,
    value: float,
    entry: Progress,
    *,
    as_of: dt.date | None = None,
    dry_run: bool = False,
    dated: bool = True,
    percent: bool = False,
) -> Outcome:
    """Append a target's actual value on the entry's date to the task's log.

    percent: the value was typed with %, which a target counted in 篇 or 件 cannot take.
    """

    def change(layout: Layout, plan: Plan) -> str:
        task = _vetted(plan, ref, entry, as_of, dated=dated)
        name = _target_name(task, target)
        unit = next(t.unit for t in task.targets if t.name == name)
        if percent and unit != "%":
            raise UsageError(
                f"任务 {task.id} 的目标“{name}”以“{unit or '数目'}”计，不是百分比：请去掉 %，"
                f"写成 plantrack actual {task.id} {format_number(value)}"
            )
        number: int | float = int(value) if value.is_integer() else value
        logged = entry.model_copy(update={"target": name, "value": number, "clause": None})
        _vetted(plan, ref, logged, as_of, dated=dated)
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


def _vetted(
    plan: Plan, ref: TaskRef, entry: Progress, as_of: dt.date | None, *, dated: bool = True
) -> Task:
    """The task ref names, once the same rules `check` applies accept the new entry.

    dated: the entry's date was given (--date), not taken from today.
    """
    problem = rules.task_message(plan, ref.task, ref.clause)
    if problem:
        raise UsageError(problem)
    task = plan.tasks_by_id[ref.task]
    for _, rule, message in rules.entry_messages(plan, task, entry, as_of=as_of):
        if rule == codes.PROGRESS_OUTSIDE_YEAR and not dated:
            raise UsageError(_outside_the_year(plan, entry))
        raise UsageError(message)
    return task


def _outside_the_year(plan: Plan, entry: Progress) -> str:
    """Why today cannot be the date of an entry of another year's plan, and what to type."""
    return (
        f"今天（{entry.date}）不在计划年度 {plan.year} 年内：要记下 {plan.year} 年的工作，"
        f"请用 --date 写明它发生的日期，如 --date {plan.year}-12-28"
    )


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
        before = load.decode(opened.data, shown)
        plan, raw = load.parse_with_values(before, shown)
        problem = rules.task_message(plan, ref.task)
        if problem:
            raise UsageError(problem)
        layout = layout_of(before, task_loc(plan, ref.task), shown)
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
            _write(opened, after, new_plan)
        return outcome


def _write(opened: files.Editing, after: str, plan: Plan) -> None:
    """Replace the file with the new text, its BOM kept, and keep the plan it validated to."""
    bom = files.BOM if opened.data.startswith(files.BOM) else b""
    written = bom + after.encode("utf-8")
    opened.replace(written)
    load.remember(written, plan)


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
        except PlanError:
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
        raise InternalError(f"任务 {task_id} 的进展记录没有按预期增加一条，文件未修改。")


# --- many entries in one write (collect) ----------------------------------------------------


@dataclass(frozen=True)
class Batch:
    """What adding many entries did, or would do with --dry-run."""

    path: Path
    before: Plan
    after: Plan
    added: list[tuple[TaskRef, Progress]]
    # Entries the plan already holds, or statuses it already shows (with no note).
    already: list[tuple[TaskRef, Progress]]
    written: bool


def add_entries(
    path: Path, entries: list[tuple[TaskRef, Progress]], *, as_of: dt.date, dry_run: bool
) -> Batch:
    """Append entries to their tasks, set the statuses they change, and write once.

    An entry the plan already holds (the same in all but `recorded`) is not added again,
    nor a status the clause already has with no note: collecting a reply twice adds nothing.
    Each clause's `status:` line becomes what its log now says, as `mark` keeps it.
    """
    shown = str(path)
    with files.editing(path, lock=not dry_run) as opened:
        before = load.decode(opened.data, shown)
        plan = load.parse_plan(before, shown)
        added, already = _new_entries(plan, entries, as_of)
        if not added:
            return Batch(path, plan, plan, [], already, False)
        after = apply(before, _batch_splices(before, plan, added, shown))
        new_plan = load.parse_plan(after, shown)
        for task_id, count in Counter(ref.task for ref, _ in added).items():
            if (
                len(new_plan.tasks_by_id[task_id].progress)
                != len(plan.tasks_by_id[task_id].progress) + count
            ):
                raise InternalError(f"任务 {task_id} 的进展记录没有按预期增加，文件未修改。")
        if not dry_run:
            _write(opened, after, new_plan)
        return Batch(path, plan, new_plan, added, already, not dry_run)


def _new_entries(
    plan: Plan, entries: list[tuple[TaskRef, Progress]], as_of: dt.date
) -> tuple[list[tuple[TaskRef, Progress]], list[tuple[TaskRef, Progress]]]:
    """The entries to add, and those already there (or changing nothing), each vetted."""
    timeline = Timeline(plan)
    added: list[tuple[TaskRef, Progress]] = []
    already: list[tuple[TaskRef, Progress]] = []
    for ref, entry in entries:
        task = _vetted(plan, ref, entry, as_of)
        held = [_unrecorded(e) for e in task.progress] + [
            _unrecorded(e) for r, e in added if r == ref
        ]
        unchanged = (
            entry.status is not None
            and not entry.note
            and _already(timeline, task, ref, entry.status, entry.occurrence)
        )
        if _unrecorded(entry) in held or unchanged:
            already.append((ref, entry))
        else:
            added.append((ref, entry))
    return added, already


def _unrecorded(entry: Progress) -> Progress:
    """The entry as it compares with another: when it was written down does not matter."""
    return entry.model_copy(update={"recorded": None})


def _batch_splices(
    text: str, plan: Plan, added: list[tuple[TaskRef, Progress]], path: str
) -> list[Splice]:
    """For each task: its clauses' status lines as the log now says, then the new entries."""
    splices: list[Splice] = []
    for task_id in dict.fromkeys(ref.task for ref, _ in added):
        task = plan.tasks_by_id[task_id]
        new = [entry for ref, entry in added if ref.task == task_id]
        layout = layout_of(text, task_loc(plan, task_id), path)
        logged = history.logged_statuses(
            task.model_copy(update={"progress": [*task.progress, *new]})
        )
        for index, (status, _) in enumerate(logged):
            if status is not task.clauses[index].status:
                splices.append(layout.status_splice(index, status))
        splices += layout.progress_splices(*new)
    return splices
