"""YAML text -> plain dicts, lists and raw strings, straight from libyaml's events.

Scalars stay the strings the user typed, so Pydantic alone decides their types and YAML 1.1
surprises (NO -> false, 3.10 -> 3.1) cannot happen. Duplicate keys, unsupported tags, merge
keys and alias bombs are refused here, at their line:col.

Positions are recorded only when asked (`track=True`): a valid plan never pays for them,
and an invalid one is read a second time to say where each problem is.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from plantrack.core import rule_codes as codes
from plantrack.core.errors import PlanError
from plantrack.core.problems import Loc, Problem

# libyaml's parser is several times faster than the pure-Python one, where PyYAML has it.
Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# A real plan has tens of nodes per task; far beyond this, aliases are being multiplied.
MAX_NODES = 20_000_000
_NULLS = {"", "~", "null", "Null", "NULL"}
_PLAIN_TAGS = {
    None,
    "!",
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}
# A mapping's frame between a value and the next key.
NO_KEY = object()


@dataclass
class SourceMap:
    """Where each value and each mapping key of a document stands in the file."""

    path: str
    values: dict[Loc, yaml.Mark] = field(default_factory=dict)
    keys: dict[Loc, yaml.Mark] = field(default_factory=dict)
    # With spans: where each value starts and where its content ends, for editing the text.
    spans: dict[Loc, tuple[Any, Any]] = field(default_factory=dict)
    key_spans: dict[Loc, tuple[Any, Any]] = field(default_factory=dict)

    def problem(self, loc: Loc, rule: str, message: str, *, at_key: bool = False) -> Problem:
        """Build a problem located at loc, falling back to the nearest enclosing node."""
        mark = self._mark(loc, at_key=at_key)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(self.path, line, col, rule, message)

    def _mark(self, loc: Loc, *, at_key: bool) -> yaml.Mark | None:
        if at_key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get(())


@dataclass
class _Frame:
    """A mapping or sequence being filled."""

    container: Any
    loc: Loc
    anchor: str | None
    start: Any = None
    flow: bool = False
    last_end: Any = None
    size: int = 1
    key: Any = NO_KEY
    first_lines: dict[str, int] = field(default_factory=dict)


def read_values(
    text: str, path: str, *, track: bool = False, spans: bool = False
) -> tuple[Any, SourceMap]:
    """Parse YAML text into plain values; with track, also record every position.

    With spans, record instead where each value starts and where its content ends (not
    where the next token starts, which may lie past comments that belong to what follows).
    """
    builder = _Builder(path, spans=spans)
    try:
        if not (track or spans):
            try:
                return _read_fast(text), SourceMap(path)
            except _Unusual:
                pass  # anything unusual: the careful reader decides
        value = builder.run(text)
    except yaml.MarkedYAMLError as exc:
        from plantrack.planfile import slips  # only a file with a mistake needs it

        raise PlanError(slips.syntax_problems(exc, path, text)) from None
    except yaml.reader.ReaderError as exc:
        raise PlanError([_reader_problem(exc, path, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all we know
        raise PlanError([Problem(path, 1, 1, codes.SYNTAX, f"YAML 语法错误：{exc}")]) from None
    return value, builder.source


def _reader_problem(exc: yaml.reader.ReaderError, path: str, text: str) -> Problem:
    """A character YAML does not allow in a file, such as a stray control character."""
    before = text
    if Loader.__name__ == "CSafeLoader":  # libyaml counts bytes of UTF-8, not characters
        before = text.encode("utf-8")[: max(exc.position, 0)].decode("utf-8", "ignore")
    else:  # pragma: no cover - only without libyaml
        before = text[: max(exc.position, 0)]
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or " ")
    message = (
        f"文件中有 YAML 不允许的控制字符 U+{code:04X}：请删除它（常见于从网页或 Word 复制的文字）"
    )
    return Problem(path, line, col, codes.CONTROL_CHARACTER, message)


EMPTY_MESSAGE = "计划文件是空的：请从 plans/2023.yaml 复制一份作为起点"


@dataclass(frozen=True, slots=True)
class Pos:
    """A position in a text: character index, 0-based line and column, like yaml.Mark."""

    index: int
    line: int
    column: int


class _Unusual(Exception):
    """Raised by the fast reader when the careful one must look (duplicates, tags, aliases)."""


def _read_fast(text: str) -> Any:
    """Fold events into values for the common case: plain YAML, no anchors, no mistakes.

    A plan of 10,000 tasks is some 400,000 events, so this loop is kept flat. Anything it
    does not expect raises _Unusual, and the careful builder reads the text again.
    """
    stack: list[list[Any]] = []  # [container, pending key, size]
    result: list[Any] = []
    documents = 0
    no_key = NO_KEY
    intern = sys.intern
    loader = Loader(text)
    # libyaml's events are untyped here; each one's class is checked below.
    get_event: Callable[[], Any] = loader.get_event
    try:
        while (event := get_event()) is not None:
            kind = type(event)
            if kind is ScalarEvent:
                tag = event.tag
                if (tag is not None and tag not in _PLAIN_TAGS) or event.anchor is not None:
                    raise _Unusual
                value = event.value
                if not event.style and tag is None and value in _NULLS and event.implicit[0]:
                    value = None
                if not stack:
                    result.append(value)
                    continue
                frame = stack[-1]
                container = frame[0]
                if type(container) is list:
                    container.append(value)
                elif frame[1] is no_key:
                    if value is None or value in container or (value == "<<" and not event.style):
                        raise _Unusual
                    # One string per key name, not one per mapping: 100,000 tasks repeat
                    # the same dozen keys over a million times.
                    frame[1] = intern(value)
                    continue
                else:
                    container[frame[1]] = value
                    frame[1] = no_key
                frame[2] += 1
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if event.tag not in _PLAIN_TAGS or event.anchor is not None:
                    raise _Unusual
                if stack and type(stack[-1][0]) is dict and stack[-1][1] is no_key:
                    raise _Unusual
                stack.append([{} if kind is MappingStartEvent else [], no_key, 1])
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                container, _, size = stack.pop()
                if not stack:
                    result.append(container)
                    continue
                parent = stack[-1]
                if type(parent[0]) is list:
                    parent[0].append(container)
                else:
                    parent[0][parent[1]] = container
                    parent[1] = no_key
                parent[2] += size
            elif kind is AliasEvent:
                raise _Unusual
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _Unusual
    finally:
        loader.dispose()
    if not result:
        raise _Unusual
    return result[0]


class _Builder:
    """Fold libyaml events into values, refusing what a plan file must not contain."""

    def __init__(self, path: str, *, spans: bool = False) -> None:
        self.path = path
        # Where each value stands, for messages; with spans, also where it ends, for edits.
        self.spans = spans
        self.source = SourceMap(path)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.budget = MAX_NODES

    def run(self, text: str) -> Any:
        stack: list[_Frame] = []
        result: list[Any] = []
        documents = 0
        event: Any  # libyaml's events are untyped; their class is checked below
        for event in yaml.parse(text, Loader=Loader):
            kind = type(event)
            if kind is ScalarEvent:
                self._add(stack, result, self._scalar(event), 1, event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self._check_collection(event, stack)
                fresh: Any = {} if kind is MappingStartEvent else []
                loc = self._value_loc(stack, event)
                flow = bool(event.flow_style)
                stack.append(_Frame(fresh, loc, event.anchor, event.start_mark, flow))
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (frame.container, frame.size)
                # A block collection "ends" where the next token starts; its content ends
                # with its last child. A flow collection ends at its closing bracket.
                end = event.end_mark if frame.flow or frame.last_end is None else frame.last_end
                if self.spans:
                    self.source.spans[frame.loc] = (frame.start, end)
                self._add(
                    stack, result, frame.container, frame.size, event, container=True, end=end
                )
            elif kind is AliasEvent:
                self._alias(stack, result, event)
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise PlanError(
                        [self._at(event.start_mark, codes.MULTIPLE_DOCUMENTS, _MULTI_DOCUMENT)]
                    )
        if not result:
            raise PlanError([Problem(self.path, 1, 1, codes.EMPTY_FILE, EMPTY_MESSAGE)])
        return result[0]

    def _scalar(self, event: ScalarEvent) -> str | None:
        if event.tag is not None and event.tag not in _PLAIN_TAGS:
            message = f"不支持的 YAML 标签 {event.tag}：请删除它"
            raise PlanError([self._at(event.start_mark, codes.YAML_TAG, message)])
        value: str = event.value
        plain = event.implicit[0] and not event.style  # libyaml says "", PyYAML None
        if plain and value in _NULLS and event.tag is None:
            return None
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        return value

    def _check_collection(self, event: Any, stack: list[_Frame]) -> None:
        if event.tag not in _PLAIN_TAGS:
            message = f"不支持的 YAML 标签 {event.tag}：请删除它"
            raise PlanError([self._at(event.start_mark, codes.YAML_TAG, message)])
        if stack and isinstance(stack[-1].container, dict) and stack[-1].key is NO_KEY:
            raise PlanError([self._at(event.start_mark, codes.COMPLEX_KEY, _COMPLEX_KEY)])

    def _alias(self, stack: list[_Frame], result: list[Any], event: AliasEvent) -> None:
        found = self.anchors.get(str(event.anchor))
        if found is None:
            message = f"引用了未定义的锚点 *{event.anchor}：请检查拼写，或删除这个引用"
            raise PlanError([self._at(event.start_mark, codes.UNDEFINED_ALIAS, message)])
        value, size = found
        self.budget -= size
        if self.budget < 0:
            message = "YAML 别名（*引用）展开后过大，疑似“别名炸弹”：请删除锚点和别名"
            raise PlanError([self._at(event.start_mark, codes.ALIAS_BOMB, message)])
        if stack and isinstance(stack[-1].container, dict) and stack[-1].key is NO_KEY:
            raise PlanError([self._at(event.start_mark, codes.COMPLEX_KEY, _COMPLEX_KEY)])
        loc = self._value_loc(stack, event)
        if self.spans:
            self.source.spans[loc] = (event.start_mark, event.end_mark)
        self._add(stack, result, value, size, event, container=True, end=event.end_mark)

    def _value_loc(self, stack: list[_Frame], event: Any) -> Loc:
        """The loc of a value about to be added, recorded as it is found."""
        if not stack:
            loc: Loc = ()
        else:
            frame = stack[-1]
            if isinstance(frame.container, dict):
                loc = (*frame.loc, frame.key)
            else:
                loc = (*frame.loc, len(frame.container))
        if not self.spans:
            self.source.values[loc] = event.start_mark
        return loc

    def _add(
        self,
        stack: list[_Frame],
        result: list[Any],
        value: Any,
        size: int,
        event: Any,
        *,
        container: bool = False,
        end: Any = None,
    ) -> None:
        self.budget -= 1
        if not stack:
            result.append(value)
            return
        frame = stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            self._note_value(frame, len(frame.container), event, container, end)
            frame.container.append(value)
            return
        if frame.key is NO_KEY:
            self._set_key(frame, value, event)
            return
        self._note_value(frame, frame.key, event, container, end)
        frame.container[frame.key] = value
        frame.key = NO_KEY

    def _note_value(
        self, frame: _Frame, index: str | int, event: Any, container: bool, end: Any
    ) -> None:
        """Record where a value added to frame stands, and with spans where it ends."""
        if not container:
            end = event.end_mark
            if self.spans:
                self.source.spans[(*frame.loc, index)] = (event.start_mark, end)
            else:
                self.source.values[(*frame.loc, index)] = event.start_mark
        frame.last_end = end

    def _set_key(self, frame: _Frame, key: Any, event: Any) -> None:
        if key is None:
            key = ""
        if key == "<<" and isinstance(event, ScalarEvent) and not event.style:
            raise PlanError([self._at(event.start_mark, codes.COMPLEX_KEY, _COMPLEX_KEY)])
        line = event.start_mark.line + 1
        if key in frame.container or key in frame.first_lines:
            first = frame.first_lines.get(key, line)
            message = (
                f"重复的键“{key}”（第 {first} 行已有）：YAML 只会保留后一个，请合并或删除其中一个"
            )
            raise PlanError([self._at(event.start_mark, codes.DUPLICATE_KEY, message)])
        frame.first_lines[key] = line
        if self.spans:
            self.source.key_spans[(*frame.loc, key)] = (event.start_mark, event.end_mark)
        else:
            self.source.keys[(*frame.loc, key)] = event.start_mark
        frame.key = key

    def _at(self, mark: Any, rule: str, message: str) -> Problem:
        return Problem(self.path, mark.line + 1, mark.column + 1, rule, message)


_COMPLEX_KEY = "键必须是简单的文字（不支持 << 合并或复杂键）"
_MULTI_DOCUMENT = "文件中有多个 YAML 文档（---）：一个计划文件只能有一个文档"
