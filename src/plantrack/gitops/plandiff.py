"""The change between two versions of a plan, in the plan's own terms: statuses, entries, dates.

A reviewer of a pull request wants to read "任务 13：未开始 → 已完成" and "新增进展 2023-10-20
…", not YAML lines. Versions come from files or from git (`main`, `HEAD~1`, `HEAD:plans/2023.yaml`).
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from plantrack.core.errors import PlanError, PlantrackError
from plantrack.core.model import Clause, Deadline, Plan, Progress, Target, Task
from plantrack.core.periods import today
from plantrack.core.problems import Problem
from plantrack.core.wording import EVERY_WORD, ROLE_WORDS, format_number, progress_text
from plantrack.gitops import git
from plantrack.output.display import printable
from plantrack.planfile import files, load


class Change(NamedTuple):
    """One change: what kind, to which task (and clause), and the values before and after."""

    kind: str
    task: int | None
    clause: int | None
    what: str
    before: str | None
    after: str | None

    def ref(self) -> str:
        """The task or clause as people write it: 13 or 7.2."""
        if self.task is None:
            return ""
        return f"{self.task}.{self.clause}" if self.clause else str(self.task)

    def record(self) -> dict[str, Any]:
        """The change as JSON-ready data."""
        return {
            "kind": self.kind,
            "task": self.task,
            "clause": self.clause,
            "what": self.what,
            "before": self.before,
            "after": self.after,
        }


class Version(NamedTuple):
    """One version of the plan: where it came from, and the plan."""

    label: str
    plan: Plan


class PlanDiff(NamedTuple):
    """Everything that changed from one version to the other, in plan order."""

    old: Version
    new: Version
    changes: list[Change]

    def lost_progress(self) -> list[Change]:
        """Progress entries of the old version that the new one no longer holds."""
        return [change for change in self.changes if change.kind == "progress-removed"]

    def record(self) -> dict[str, Any]:
        """The diff as JSON-ready data."""
        return {
            "old": self.old.label,
            "new": self.new.label,
            "changes": [change.record() for change in self.changes],
        }

    def markdown(self) -> str:
        """The diff for a pull-request comment or a job summary."""
        lines = [f"### 计划变化：{self.old.label} → {self.new.label}", ""]
        if not self.changes:
            return "\n".join([*lines, "没有变化。", ""])
        titles = {t.id: t.title for v in (self.old, self.new) for t in v.plan.tasks}
        current: int | None = -1
        for change in self.changes:
            if change.task != current:
                current = change.task
                heading = "计划" if current is None else f"任务 {current} {titles[current]}"
                lines += ["", f"**{_md(heading)}**", ""]
            lines.append(f"- {_md(describe(change))}")
        return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def describe(change: Change) -> str:
    """One change in words: 任务 7.2 状态：未开始 → 已完成."""
    where = f"{change.ref()} " if change.clause else ""
    if change.before is None:
        return f"{where}新增{change.what}：{change.after}"
    if change.after is None:
        return f"{where}删除{change.what}：{change.before}"
    return f"{where}{change.what}：{change.before} → {change.after}"


def _md(text: str) -> str:
    from plantrack.output.render import markdown_text

    return markdown_text(text)


# --- reading versions ----------------------------------------------------------------------


def diff_versions(
    old: str | None, new: str | None, *, plan: Path | None
) -> PlanDiff | UnreadableDiff:
    """Compare two versions of the plan: by default HEAD against the file as it is now.

    A version that is not a valid plan cannot be compared task by task; the answer then
    says which version and why, and shows how their texts differ.
    """
    path = load.find_plan(plan, year=today().year)
    texts = [version_text(old or "HEAD", path), version_text(new, path)]
    versions: list[Version] = []
    invalid: list[Invalid] = []
    for label, text in texts:
        try:
            versions.append(Version(label, load.parse_plan(text, label)))
        except PlanError as exc:
            invalid.append(Invalid(label, exc.problems))
    if invalid:
        return UnreadableDiff(texts[0], texts[1], invalid)
    return compare(*versions)


def version_text(spec: str | None, path: Path) -> tuple[str, str]:
    """The label and text of the plan at path (spec None), a git revision, or another file."""
    if spec is None or files.is_file(Path(spec)):
        where = path if spec is None else Path(spec)
        label = str(path) if spec is None else spec
        return label, load.decode(files.read_plan(where), label)
    revision, _, inner = spec.partition(":")
    inside = inner or git.path_in_repository(path)
    return f"{revision}:{inside}", git.show(revision, inside, cwd=path.resolve().parent)


class Invalid(NamedTuple):
    """A version that is not a valid plan, and why."""

    label: str
    problems: list[Problem]


TEXT_DIFF_LINES = 200  # of the text diff shown when a version cannot be read as a plan
PROBLEMS_SHOWN = 10


class UnreadableDiff(NamedTuple):
    """Two versions that cannot be compared task by task: which is invalid, and the text diff."""

    old: tuple[str, str]  # label, text
    new: tuple[str, str]
    invalid: list[Invalid]

    def text_diff(self) -> list[str]:
        """The unified diff of the two texts, cut at TEXT_DIFF_LINES lines."""
        (old_label, old_text), (new_label, new_text) = self.old, self.new
        lines = list(
            difflib.unified_diff(
                old_text.splitlines(), new_text.splitlines(), old_label, new_label, lineterm=""
            )
        )
        if len(lines) > TEXT_DIFF_LINES:
            lines = [*lines[:TEXT_DIFF_LINES], f"…（其余 {len(lines) - TEXT_DIFF_LINES} 行从略）"]
        return lines

    def record(self) -> dict[str, Any]:
        """The answer as JSON-ready data: no changes, the invalid versions, the text diff."""
        return {
            "old": self.old[0],
            "new": self.new[0],
            "invalid": [
                {"version": v.label, "problems": [str(p) for p in v.problems]} for v in self.invalid
            ],
            "changes": None,
            "text_diff": self.text_diff(),
        }

    def markdown(self) -> str:
        """The answer for a pull-request summary: why it cannot compare, then the text diff."""
        lines = [f"### 计划变化：{_md(self.old[0])} → {_md(self.new[0])}", ""]
        for version in self.invalid:
            count = len(version.problems)
            lines += [
                f"**{_md(version.label)} 不是有效的计划（{count} 个问题），无法逐项比较：**",
                "",
            ]
            lines += [f"- {_md(str(p))}" for p in version.problems[:PROBLEMS_SHOWN]]
            if count > PROBLEMS_SHOWN:
                lines.append(f"- …其余 {count - PROBLEMS_SHOWN} 个问题见 plantrack check")
            lines.append("")
        diff = self.text_diff()
        body = ["```diff", *(line.replace("```", "ˋˋˋ") for line in diff), "```"]
        lines += ["两个版本的文字差异：", "", *body] if diff else ["两个版本的文字相同。"]
        return "\n".join(lines) + "\n"


# --- comparing ------------------------------------------------------------------------------


def compare(old: Version, new: Version) -> PlanDiff:
    """Every change from old to new: the plan's own fields, then task by task."""
    changes = list(_plan_changes(old.plan, new.plan))
    before = {task.id: task for task in old.plan.tasks}
    after = {task.id: task for task in new.plan.tasks}
    for task_id in sorted(before.keys() | after.keys()):
        changes += _task_changes(task_id, before.get(task_id), after.get(task_id))
    return PlanDiff(old, new, changes)


def _plan_changes(old: Plan, new: Plan) -> Iterator[Change]:
    for field, what in (("title", "标题"), ("year", "年度"), ("default_due", "默认时限")):
        a, b = getattr(old, field), getattr(new, field)
        if a != b:
            yield Change(f"plan-{field}", None, None, what, str(a), str(b))
    old_units = {unit.name for unit in old.units}
    new_units = {unit.name for unit in new.units}
    for name in sorted(new_units - old_units):
        yield Change("unit-added", None, None, "登记单位", None, name)
    for name in sorted(old_units - new_units):
        yield Change("unit-removed", None, None, "登记单位", name, None)


def _task_changes(task_id: int, old: Task | None, new: Task | None) -> list[Change]:
    if old is None and new is not None:
        return [Change("task-added", task_id, None, "任务", None, new.title)]
    if new is None and old is not None:
        return [Change("task-removed", task_id, None, "任务", old.title, None)]
    assert old is not None and new is not None
    changes: list[Change] = []
    if old.title != new.title:
        changes.append(Change("title", task_id, None, "标题", old.title, new.title))
    changes += _clause_changes(old, new)
    changes += _listed("deadline", task_id, "时限", old.deadlines, new.deadlines, _deadline_text)
    changes += _listed("target", task_id, "目标", old.targets, new.targets, _target_text)
    changes += _progress_changes(old, new)
    return changes


def _clause_changes(old: Task, new: Task) -> Iterator[Change]:
    single = len(old.clauses) == len(new.clauses) == 1
    for index in range(max(len(old.clauses), len(new.clauses))):
        number = None if single else index + 1
        a = old.clauses[index] if index < len(old.clauses) else None
        b = new.clauses[index] if index < len(new.clauses) else None
        if a is None or b is None:
            text = next(clause.text for clause in (a, b) if clause is not None)
            yield Change(
                "clause-added" if a is None else "clause-removed",
                new.id,
                index + 1,
                "分工",
                None if a is None else text,
                text if a is None else None,
            )
            continue
        yield from _same_clause(new.id, number, a, b)


def _same_clause(task_id: int, number: int | None, a: Clause, b: Clause) -> Iterator[Change]:
    if a.status != b.status:
        yield Change("status", task_id, number, "状态", a.status.value, b.status.value)
    for role, word in ROLE_WORDS.items():
        before, after = getattr(a, role), getattr(b, role)
        if before != after:
            shown = ["、".join(before) or "（无）", "、".join(after) or "（无）"]
            yield Change("units", task_id, number, f"{word}单位", *shown)
    if a.text != b.text:
        yield Change("text", task_id, number, "内容", a.text, b.text)
    if a.assignment != b.assignment:
        yield Change("assignment", task_id, number, "原文分工", a.assignment, b.assignment)


def _listed(
    kind: str,
    task_id: int,
    what: str,
    old: Sequence[Deadline | Target],
    new: Sequence[Deadline | Target],
    text: Callable[[Any], str],
) -> Iterator[Change]:
    """Items of a list matched by their label or name: moved, added or removed."""
    before = {_key(item): item for item in old}
    after = {_key(item): item for item in new}
    for key, item in after.items():
        if key not in before:
            yield Change(f"{kind}-added", task_id, None, what, None, text(item))
        elif before[key] != item:
            yield Change(f"{kind}-changed", task_id, None, what, text(before[key]), text(item))
    for key, item in before.items():
        if key not in after:
            yield Change(f"{kind}-removed", task_id, None, what, text(item), None)


def _key(item: Deadline | Target) -> str:
    return item.name if isinstance(item, Target) else item.label


def _deadline_text(deadline: Deadline) -> str:
    if deadline.date:
        when = deadline.date.isoformat()
    elif deadline.start and deadline.end:
        when = f"{deadline.start.isoformat()} 至 {deadline.end.isoformat()}"
    elif deadline.every:
        when = EVERY_WORD[deadline.every]
    else:
        when = deadline.date_source or "未定日期"
    return f"{when} {deadline.label}"


def _target_text(target: Target) -> str:
    actual = f"（实际 {format_number(target.actual)}{target.unit}）" if target.actual else ""
    return f"{target.name} {target.op} {format_number(target.value)}{target.unit}{actual}"


def _progress_changes(old: Task, new: Task) -> Iterator[Change]:
    """Entries added or removed, matched as whole entries: an edited entry is both."""
    for index in new_entries(old.progress, new.progress):
        text = progress_text(new.progress[index], new)
        yield Change("progress-added", new.id, None, "进展", None, text)
    for index in new_entries(new.progress, old.progress):
        text = progress_text(old.progress[index], old)
        yield Change("progress-removed", new.id, None, "进展", text, None)


def new_entries(old: list[Progress], new: list[Progress]) -> list[int]:
    """Indexes of the entries in new that old does not have (each old entry matched once)."""
    left = Counter(_entry_key(entry) for entry in old)
    found = []
    for index, entry in enumerate(new):
        key = _entry_key(entry)
        if left[key] > 0:
            left[key] -= 1
        else:
            found.append(index)
    return found


def _entry_key(entry: Progress) -> tuple[Any, ...]:
    return tuple(entry.model_dump().values())


# --- one version as lines a text diff can compare (git's textconv) --------------------------


def readable(data: bytes, name: str) -> bytes:
    """The plan as one fact per line, so `git diff` shows what changed in the plan's terms.

    Bytes that are not a valid plan (a half-finished edit, a conflict) are given back as
    they are: git's log and diff must never fail on a version.
    """
    try:
        plan = load.parse_plan(load.decode(data, name), name)
    except PlantrackError:
        return data
    # git log -p shows these lines in a terminal: nothing in them may command it.
    return printable(_plan_lines(plan)).encode("utf-8")


def _plan_lines(plan: Plan) -> str:
    lines = [f"计划 {plan.title}（{plan.year} 年）"]
    for task in plan.tasks:
        lines += ["", f"任务 {task.id} {task.title}"]
        for index, clause in enumerate(task.clauses, start=1):
            ref = task.clause_ref(index)
            lines.append(f"  {ref} 状态 {clause.status.value}")
            for role, word in ROLE_WORDS.items():
                units = getattr(clause, role)
                if units:
                    lines.append(f"  {ref} {word}单位 {'、'.join(units)}")
            lines.append(f"  {ref} 内容 {clause.text}")
        lines += [f"  时限 {_deadline_text(deadline)}" for deadline in task.deadlines]
        lines += [f"  目标 {_target_text(target)}" for target in task.targets]
        lines += [f"  进展 {progress_text(entry, task)}" for entry in task.progress]
    return "\n".join(lines) + "\n"
