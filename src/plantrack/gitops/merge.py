"""A git merge driver for plans: both branches' progress kept, statuses settled, layout kept.

Two offices that record progress on the same task on their own branches should both be
heard. A plain text merge conflicts there, since both appended lines at the same place.
This driver takes from each side what it added to the progress logs and what it did to
clause statuses, merges the rest of the text as git would, then adds every new entry
(by date) and the settled statuses back with the same splices `mark` uses. Anything it
cannot settle safely is left to git's own merge, conflict markers and all.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

from plantrack.core import history
from plantrack.core.domain import Status
from plantrack.core.errors import PlanError, PlantrackError
from plantrack.core.model import Plan, Progress
from plantrack.core.problems import Problem
from plantrack.gitops import git
from plantrack.gitops.plandiff import new_entries
from plantrack.output.display import one_line
from plantrack.planfile import files, load
from plantrack.planfile.splice import Layout, task_loc
from plantrack.planfile.yamltext import Splice, apply


class _Unmergeable(Exception):
    """This merge needs a person: fall back to git's text merge."""


class Side(NamedTuple):
    """What one branch did beyond the text: entries it added, statuses it set."""

    text: str  # the branch's text with those two things taken out again
    added: dict[int, list[Progress]]
    statuses: dict[tuple[int, int], Status]


def merge_files(base: Path, ours: Path, theirs: Path) -> int:
    """Merge theirs into ours (in place) against base; 0 when clean, else git's conflict count."""
    paths = (base, ours, theirs)
    data = [files.read_plan(path) for path in paths]  # a missing file: the usual message
    try:
        texts = [load.decode(raw, str(path)) for raw, path in zip(data, paths, strict=True)]
        merged = merge_texts(*texts, name=str(ours))
    except (_Unmergeable, PlantrackError):
        return _text_merge(base, ours, theirs)
    bom = files.BOM if data[1].startswith(files.BOM) else b""  # the file keeps its BOM
    files.write_atomically(ours, bom + merged.encode("utf-8"))
    return 0


def merge_texts(base: str, ours: str, theirs: str, *, name: str) -> str:
    """The merged plan text; raises _Unmergeable when a person must decide."""
    base_plan = load.parse_plan(base, name)
    sides = [_side(text, base_plan, name) for text in (ours, theirs)]
    merged = _merge3(sides[0].text, base, sides[1].text)
    plan, source, _ = load.parse_with_spans(merged, name)
    splices: list[Splice] = []
    for task_id in sorted({t for side in sides for t in side.added} | _status_tasks(sides)):
        if task_id not in plan.tasks_by_id:
            raise _Unmergeable  # one side removed a task the other recorded progress on
        layout = Layout(merged, source, task_loc(plan, task_id))
        task = plan.tasks_by_id[task_id]
        for c, clause in enumerate(task.clauses):
            settled = _settled_status(base_plan, sides, task_id, c)
            if settled is not None and settled != clause.status:
                splices.append(layout.status_splice(c, settled))
        entries = _union(sides[0].added.get(task_id, []), sides[1].added.get(task_id, []))
        if entries:
            splices += layout.progress_splices(*entries)
    result = apply(merged, splices)
    load.parse_plan(result, name)  # validated before it is written: a failure is a conflict
    return result


def _side(text: str, base: Plan, name: str) -> Side:
    """One branch's text with its new progress entries and status changes taken out."""
    plan, source, _ = load.parse_with_spans(text, name)
    splices: list[Splice] = []
    added: dict[int, list[Progress]] = {}
    statuses: dict[tuple[int, int], Status] = {}
    for task in plan.tasks:
        old = base.tasks_by_id.get(task.id)
        if old is None:
            continue  # a task new on this branch travels as text
        loc = task_loc(plan, task.id)
        layout = Layout(text, source, loc)
        new = new_entries(old.progress, task.progress)
        if len(task.progress) - len(new) != len(old.progress):
            raise _Unmergeable  # an old entry was edited or deleted: git's text merge decides
        if new:
            added[task.id] = [task.progress[i] for i in new]
            splices += _removals(layout, loc, new, every=len(new) == len(task.progress))
        for c, clause in enumerate(task.clauses[: len(old.clauses)]):
            if clause.status != old.clauses[c].status:
                statuses[(task.id, c)] = clause.status
                splices.append(layout.status_splice(c, old.clauses[c].status))
    return Side(apply(text, splices), added, statuses)


def _removals(layout: Layout, loc: Any, new: list[int], *, every: bool) -> list[Splice]:
    progress = (*loc, "progress")
    opening = layout.text[int(layout.span(progress)[0].index)]
    if opening in "[{&*!":
        raise _Unmergeable  # a list in brackets or an alias: not one line per entry
    if every:  # the list was new on this branch: take the key away too
        return [layout.removal(progress, with_key=True)]
    return [layout.removal((*progress, i)) for i in new]


def _union(ours: list[Progress], theirs: list[Progress]) -> list[Progress]:
    """Both sides' new entries, each once, by date (ours first on the same day)."""
    # An entry made on both branches alike is in theirs and ours: it is kept once.
    both = ours + [theirs[index] for index in new_entries(ours, theirs)]
    return sorted(both, key=lambda entry: entry.date)


def _status_tasks(sides: list[Side]) -> set[int]:
    return {task for side in sides for task, _ in side.statuses}


def _settled_status(base: Plan, sides: list[Side], task_id: int, clause: int) -> Status | None:
    """One side's status if only it changed; if both did, the side with the later entry."""
    if task_id not in base.tasks_by_id or clause >= len(base.tasks_by_id[task_id].clauses):
        return None
    original = base.tasks_by_id[task_id].clauses[clause].status
    ours, theirs = (side.statuses.get((task_id, clause), original) for side in sides)
    if ours == theirs or theirs == original:
        return ours
    if ours == original:
        return theirs
    count = len(base.tasks_by_id[task_id].clauses)
    when = [_last_status_date(side, task_id, clause, count) for side in sides]
    if when[0] is None or when[1] is None or when[0] == when[1]:
        raise _Unmergeable  # both set it, and nothing says which came later
    return ours if when[0] > when[1] else theirs


def _last_status_date(side: Side, task_id: int, clause: int, count: int) -> dt.date | None:
    """When this side last set the clause's status, by the rule the time model replays."""
    return history.last_status_date(side.added.get(task_id, []), clause, count)


def _merge3(ours: str, base: str, theirs: str) -> str:
    """git's own three-way text merge; a conflict means a person must decide."""
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / name for name in ("ours", "base", "theirs")]
        for path, text in zip(paths, (ours, base, theirs), strict=True):
            path.write_text(text, encoding="utf-8")
        done = git.merge_file(*paths, stdout=True)
    if done.returncode != 0:
        raise _Unmergeable
    return done.stdout.decode("utf-8")


def _text_merge(base: Path, ours: Path, theirs: Path) -> int:
    """git's text merge into ours, conflict markers and all; 0 only for a valid plan."""
    done = git.merge_file(ours, base, theirs, stdout=False)
    if done.returncode != 0:
        return done.returncode if done.returncode > 0 else 1
    data = ours.read_bytes()
    try:  # clean as text, but is it a plan? If not, git must treat it as a conflict
        load.parse_plan(load.decode(data, str(ours)), str(ours))
    except PlanError as exc:
        files.write_atomically(ours, _marked(data, exc.problems))
        return 1
    except PlantrackError:
        return 1
    return 0


SHOWN_PROBLEMS = 5


def _marked(data: bytes, problems: list[Problem]) -> bytes:
    """A clean text merge that is no plan, with conflict markers where its first problem is.

    Both sides merged line by line, yet the result breaks a rule (two tasks numbered 27,
    a key twice). git reports a conflict; without markers the file would look finished
    and `check` would be the only one to notice. The markers say what is wrong, right
    where it is, and deleting them leaves git's merge as it was.
    """
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(newline)
    at = min(max(problems[0].line, 1), len(lines)) - 1
    shown = problems[:SHOWN_PROBLEMS]
    size = len(shown) + 3  # the lines the block adds, before the lines it names
    said = [
        f"# 第 {p.line + (size if p.line > at else 0)} 行：{one_line(p.message)}" for p in shown
    ]
    block = [
        "<<<<<<< plantrack：两边都能按行合并，但合并后的计划不是有效的计划",
        *said,
        "=======",
        ">>>>>>> 改好上面说的问题，删去这几行标记，再运行 plantrack check 和 git add",
    ]
    marked = lines[:at] + [line.encode("utf-8") for line in block] + lines[at:]
    return newline.join(marked)
