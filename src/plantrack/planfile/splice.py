"""Changes spliced into the plan's own text at node positions; nothing else moves.

The YAML file belongs to the user: it is never re-dumped. `mark`, `log` and the merge
driver all change it through the `Layout` of one task: a status set, entries appended or
removed, each as a `Splice` of the text, so comments, key order, quoting, long lines,
CRLF line endings and a BOM all survive byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from plantrack.core.domain import Status
from plantrack.core.errors import InternalError, PlanError, UsageError
from plantrack.core.model import Plan, Progress
from plantrack.core.problems import Loc
from plantrack.core.wording import format_number
from plantrack.planfile import load, yamltree
from plantrack.planfile.yamltext import Splice, double_quoted, insert_lines, scalar


def task_loc(plan: Plan, task_id: int) -> Loc:
    """Where a task stands in the plan's structure: ("sections", s, "tasks", t)."""
    for s, section in enumerate(plan.sections):
        for t, task in enumerate(section.tasks):
            if task.id == task_id:
                return ("sections", s, "tasks", t)
    raise InternalError(f"在文件中找不到任务 {task_id} 的位置，文件未修改。")


def find_span(text: str, target: Loc) -> tuple[int, int] | None:
    """Where the collection at target starts and where its content ends, by a light scan.

    No values are built and the scan stops at the target's end, so finding one task of a
    large plan costs a fraction of reading the plan.
    """
    # One frame per open collection: [on the path to target, is mapping, key or index, flow]
    frames: list[list[Any]] = [[True, False, 0, False]]
    depth_of_target = len(target)
    start: int | None = None
    last_end = 0
    loader = yamltree.Loader(text)
    get_event: Callable[[], Any] = loader.get_event
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            frame = frames[-1]
            if kind is ScalarEvent or kind is AliasEvent:
                if frame[1]:
                    if frame[2] is yamltree.NO_KEY:
                        frame[2] = event.value if kind is ScalarEvent else None
                        continue
                    frame[2] = yamltree.NO_KEY
                else:
                    frame[2] += 1
                if start is not None:
                    last_end = event.end_mark.index
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                depth = len(frames) - 1  # frames[0] stands for the document around the root
                on_path = frame[0] and (
                    depth == 0 or (depth <= depth_of_target and frame[2] == target[depth - 1])
                )
                if on_path and depth == depth_of_target:
                    start = event.start_mark.index
                mapping = kind is MappingStartEvent
                flow = bool(event.flow_style)
                frames.append([on_path, mapping, yamltree.NO_KEY if mapping else 0, flow])
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                closed = frames.pop()
                if closed[3] and start is not None:
                    last_end = event.end_mark.index
                if start is not None and len(frames) - 1 == depth_of_target:
                    return int(start), int(last_end)
                parent = frames[-1]
                if parent[1]:
                    parent[2] = yamltree.NO_KEY
                else:
                    parent[2] += 1
    except yaml.YAMLError:
        return None
    finally:
        loader.dispose()
    return None


def layout_of(text: str, task: Loc, path: str) -> Layout:
    """Where the task's parts stand: found by a light scan and a read of its lines alone."""
    span = find_span(text, task)
    if span is not None:
        start = text.rfind("\n", 0, span[0]) + 1
        newline = text.find("\n", span[1])
        end = len(text) if newline == -1 else newline + 1
        try:
            block, source = yamltree.read_values(text[start:end], path, spans=True)
        except PlanError:
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
            raise InternalError(f"在文件中找不到 {loc} 的位置，文件未修改。")
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
            lines = _entries_lines(entries, self.dash_column(loc))
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

    def dash_column(self, loc: Loc) -> int:
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
        ("postponed_to", entry.postponed_to.isoformat() if entry.postponed_to else None),
        ("note", entry.note or None),
        ("by", entry.by),
        ("recorded", entry.recorded.isoformat() if entry.recorded else None),
    ]
    # Dates and numbers are written plain so they read back as what they are; in braces,
    # text is always quoted, since a comma or bracket would end it there.
    return [
        (
            key,
            value
            if key in ("date", "recorded", "postponed_to", "clause", "value")
            else quote(value),
        )
        for key, value in fields
        if value is not None
    ]
