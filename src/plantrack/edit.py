"""Status changes and progress entries written into the plan's own text, atomically.

The YAML file belongs to the user: it is never re-dumped. Each change is spliced in at the
positions of the nodes it touches, so comments, key order, quoting, long lines, CRLF line
endings and a BOM all survive byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import os
import re
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plantrack import load, schedule, yamltree
from plantrack.errors import PlantrackError, UsageError
from plantrack.model import Plan, Status, Task

BOM = b"\xef\xbb\xbf"
LOCK_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A task, or one clause of it, as written on the command line: 13 or 13.2."""

    task: int
    clause: int | None = None

    def __str__(self) -> str:
        return f"{self.task}.{self.clause}" if self.clause else str(self.task)


@dataclass(frozen=True, slots=True)
class Entry:
    """A progress entry to append to a task's log."""

    date: dt.date
    status: Status | None = None
    note: str = ""
    by: str | None = None
    clause: int | None = None
    occurrence: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What an edit did, or would do with --dry-run."""

    path: Path
    before: str
    after: str
    task: Task
    written: bool

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
    """Read TASK or TASK.CLAUSE."""
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?", text.strip())
    if match is None:
        raise UsageError(f"任务写法“{text}”无效：应为任务序号（如 13）或 序号.分工（如 7.2）")
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


def mark(
    path: Path, ref: TaskRef, status: Status, entry: Entry, *, dry_run: bool = False
) -> Outcome:
    """Set the status of a task (every clause) or one clause, and log the change."""

    def change(layout: _Layout, plan: Plan) -> str:
        task = _resolve(plan, ref)
        _check_occurrence(plan, task, entry.occurrence)
        _check_date(plan, entry)
        edits: list[_Edit] = []
        if entry.occurrence is None:
            clauses = range(len(task.clauses)) if ref.clause is None else [ref.clause - 1]
            edits += [layout.status_edit(clause, status) for clause in clauses]
        logged = dataclasses.replace(entry, status=status, clause=ref.clause)
        edits += layout.progress_edits(logged)
        return _apply(layout.text, edits)

    return _edit(path, ref.task, change, dry_run=dry_run)


def log(path: Path, ref: TaskRef, entry: Entry, *, dry_run: bool = False) -> Outcome:
    """Append a progress note to a task without changing its status."""

    def change(layout: _Layout, plan: Plan) -> str:
        _resolve(plan, ref)
        _check_date(plan, entry)
        logged = dataclasses.replace(entry, status=None, clause=ref.clause)
        return _apply(layout.text, layout.progress_edits(logged))

    return _edit(path, ref.task, change, dry_run=dry_run)


def _resolve(plan: Plan, ref: TaskRef) -> Task:
    task = plan.tasks_by_id.get(ref.task)
    if task is None:
        ids = sorted(plan.tasks_by_id)
        raise UsageError(f"没有序号为 {ref.task} 的任务：可选 {ids[0]}–{ids[-1]}")
    if ref.clause is not None and not 1 <= ref.clause <= len(task.clauses):
        count = len(task.clauses)
        choices = "、".join(f"{ref.task}.{i}" for i in range(1, count + 1))
        raise UsageError(
            f"任务 {ref.task} 有 {count} 项分工，没有第 {ref.clause} 项：可选 {choices}"
        )
    return task


def _check_date(plan: Plan, entry: Entry) -> None:
    if entry.date.year < plan.year:
        raise UsageError(
            f"进展日期 {entry.date} 早于计划年度 {plan.year} 年：请检查 --date 或 --as-of"
        )


def _check_occurrence(plan: Plan, task: Task, occurrence: str | None) -> None:
    if occurrence is None:
        return
    keys = [occ.key for occ in schedule.occurrences(task, plan)]
    if occurrence not in keys:
        raise UsageError(f"任务 {task.id} 没有“{occurrence}”这一时限：可选 {'、'.join(keys)}")


# --- reading, checking and writing the file -------------------------------------------------

Change = Callable[["_Layout", Plan], str]


def _edit(path: Path, task_id: int, change: Change, *, dry_run: bool) -> Outcome:
    shown = str(path)
    with _locked(path):
        original = _read(path)
        has_bom = original.startswith(BOM)
        before = load.decode(original, shown)
        plan, raw = load.parse_with_values(before, shown)
        _resolve(plan, TaskRef(task_id))
        layout = _layout(before, _task_loc(plan, task_id), shown)
        after = change(layout, plan)
        new_plan = _revalidate(layout, after, raw, shown)
        _check_progress_grew(plan, new_plan, task_id)
        outcome = Outcome(path, before, after, new_plan.tasks_by_id[task_id], not dry_run)
        if dry_run:
            return outcome
        if _read(path) != original:
            raise PlantrackError(
                f"{shown}: 文件在读取之后被其他程序修改过，为免覆盖他人的修改，本次未写入。请重新运行命令。"
            )
        _write_atomically(path, (BOM if has_bom else b"") + after.encode("utf-8"))
        return outcome


def _revalidate(layout: _Layout, after: str, raw: Any, path: str) -> Plan:
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


def _with_task(raw: Any, loc: yamltree.Loc, task: dict[str, Any]) -> Any:
    """A copy of the plan's values with the task at loc replaced; the rest shared."""
    _, s, _, t = loc
    sections = list(raw["sections"])
    section = dict(sections[int(s)])
    tasks = list(section["tasks"])
    tasks[int(t)] = task
    section["tasks"] = tasks
    sections[int(s)] = section
    return {**raw, "sections": sections}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise PlantrackError(f"{path}: 找不到计划文件。请用 --plan 指定路径。") from None
    except OSError as exc:
        raise PlantrackError(f"{path}: 无法读取计划文件：{exc.strerror}") from None


def _check_progress_grew(before: Plan, after: Plan, task_id: int) -> None:
    # A guard against a splice landing in the wrong place: exactly one entry must appear.
    old = len(before.tasks_by_id[task_id].progress)
    new = len(after.tasks_by_id[task_id].progress)
    if new != old + 1:
        raise PlantrackError(f"内部错误：任务 {task_id} 的进展记录没有按预期增加一条，文件未修改。")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock beside the plan so concurrent edits queue instead of colliding."""
    lock_path = path.with_name(f".{path.name}.lock")
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PlantrackError(f"{lock_path}: 无法创建锁文件：{exc.strerror}") from None
    try:
        _acquire(fd, lock_path)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(fd: int, lock_path: Path) -> None:
    deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
    while not _try_lock(fd):
        if time.monotonic() > deadline:
            raise PlantrackError(
                f"{lock_path}: 另一个 plantrack 进程正在修改计划文件，请稍后重试。"
            )
        time.sleep(0.02)


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file, fsync it, and rename it over the plan."""
    mode = stat.S_IMODE(path.stat().st_mode)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)


def _fsync_directory(folder: Path) -> None:
    # Makes the rename itself durable; not every platform can open a directory.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# --- splicing text at node positions --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Edit:
    start: int
    end: int
    text: str


def _apply(text: str, edits: list[_Edit]) -> str:
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _task_loc(plan: Plan, task_id: int) -> yamltree.Loc:
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            if task.id == task_id:
                return ("sections", s, "tasks", t)
    raise PlantrackError(f"内部错误：在文件中找不到任务 {task_id} 的位置，文件未修改。")


def _layout(text: str, task: yamltree.Loc, path: str) -> _Layout:
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
            return _Layout(text, _shifted(source, text, start, task), task)
    # Anything unusual (a task in flow style, aliases): read the whole text with positions.
    _, whole, _ = load.parse_with_spans(text, path)
    return _Layout(text, whole, task)


def _shifted(
    source: yamltree.SourceMap, text: str, offset: int, task: yamltree.Loc
) -> yamltree.SourceMap:
    """Positions read from the task's lines alone, moved to where those lines stand."""
    lines = text.count("\n", 0, offset)

    def move(mark: Any) -> yamltree.Pos:
        return yamltree.Pos(int(mark.index) + offset, int(mark.line) + lines, int(mark.column))

    def rebase(spans: dict[yamltree.Loc, tuple[Any, Any]]) -> dict[yamltree.Loc, tuple[Any, Any]]:
        return {
            (*task, *loc[1:]): (move(a), move(b))
            for loc, (a, b) in spans.items()
            if loc[:1] == (0,)
        }

    return yamltree.SourceMap(
        source.path, spans=rebase(source.spans), key_spans=rebase(source.key_spans)
    )


@dataclass(frozen=True)
class _Layout:
    """One task's place in the text, from the spans recorded while parsing."""

    text: str
    source: yamltree.SourceMap
    task: yamltree.Loc

    def span(self, loc: yamltree.Loc) -> tuple[Any, Any]:
        """Where the value at loc starts and where its content ends."""
        found = self.source.spans.get(loc)
        if found is None:
            raise PlantrackError(f"内部错误：在文件中找不到 {loc} 的位置，文件未修改。")
        return found

    def line_after(self, loc: yamltree.Loc) -> int:
        """Index of the line after the last line the value at loc occupies."""
        end = int(self.span(loc)[1].index)
        newline = self.text.find("\n", end)
        return len(self.text) if newline == -1 else newline + 1

    def status_edit(self, clause: int, status: Status) -> _Edit:
        """Set one clause's status, keeping its quoting; add the line if it has none."""
        clause_loc = (*self.task, "clauses", clause)
        found = self.source.spans.get((*clause_loc, "status"))
        if found is None:
            indent = " " * self.span(clause_loc)[0].column
            return _insert_lines(
                self.text, self.line_after(clause_loc), [f"{indent}status: {status}"]
            )
        start, end = int(found[0].index), int(found[1].index)
        quote = self.text[start] if self.text[start] in "\"'" else ""
        return _Edit(start, end, f"{quote}{status}{quote}")

    def progress_edits(self, entry: Entry) -> list[_Edit]:
        """Append an entry to the task's progress list, creating the list if needed."""
        loc = (*self.task, "progress")
        key = self.source.key_spans.get(loc)
        if key is None:
            indent = self.span(self.task)[0].column
            lines = [" " * indent + "progress:", *_entry_lines(entry, indent + 2)]
            return [_insert_lines(self.text, self.line_after(self.task), lines)]
        start, end = (int(mark.index) for mark in self.span(loc))
        if self.text[start] != "[":
            lines = _entry_lines(entry, self.span(loc)[0].column)
            return [_insert_lines(self.text, self.line_after(loc), lines)]
        if self.text[start:end].replace(" ", "") == "[]":
            # `progress: []` becomes a block list: drop the brackets, add the entry below.
            lines = _entry_lines(entry, key[0].column + 2)
            after_colon = self.text.index(":", int(key[1].index)) + 1
            drop = _Edit(after_colon, end, "")
            return [drop, _insert_lines(self.text, self.line_after(loc), lines)]
        line = key[0].line + 1
        raise UsageError(
            f"第 {line} 行的 progress 不是块格式的列表：请改写为“- date: …”的形式后重试"
        )


def _insert_lines(text: str, at: int, lines: list[str]) -> _Edit:
    newline = _newline(text)
    block = "".join(line + newline for line in lines)
    if at == len(text) and text and not text.endswith("\n"):
        block = newline + block
    return _Edit(at, at, block)


def _entry_lines(entry: Entry, indent: int) -> list[str]:
    fields: list[tuple[str, str | None]] = [
        ("date", entry.date.isoformat()),
        ("clause", str(entry.clause) if entry.clause else None),
        ("occurrence", entry.occurrence),
        ("status", entry.status.value if entry.status else None),
        ("note", entry.note or None),
        ("by", entry.by),
    ]
    lines: list[str] = []
    for key, value in fields:
        if value is None:
            continue
        prefix = "- " if not lines else "  "
        # Dates and clause numbers are written plain so they read back as what they are.
        shown = value if key in ("date", "clause") else yaml_scalar(value)
        lines.append(f"{' ' * indent}{prefix}{key}: {shown}")
    return lines


def yaml_scalar(value: str) -> str:
    """Write value plain when YAML reads it back as the same string, else double-quoted."""
    plain_ok = value == value.strip() and value.isprintable() and _reads_as_string(value)
    return value if plain_ok else _double_quoted(value)


def _double_quoted(value: str) -> str:
    """A YAML double-quoted scalar; control characters and YAML's own line breaks escaped."""
    out = []
    for char in value:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _reads_as_string(value: str) -> bool:
    try:
        loaded = yaml.safe_load(f"k: {value}")
    except yaml.YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("k") == value
