"""Read a plan file: bytes -> text -> YAML nodes -> model, every problem mapped to line:col."""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from plantrack import messages, rules
from plantrack.errors import PlanError, PlantrackError, Problem, UsageError
from plantrack.model import Plan

try:  # libyaml's composer is several times faster than the pure-Python one
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Loc = tuple[str | int, ...]

# A plan has a few thousand nodes per thousand tasks; far beyond that is an alias bomb.
MAX_NODES = 20_000_000
_NULL_TAG = "tag:yaml.org,2002:null"
_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:timestamp",
    _NULL_TAG,
}


@dataclass
class SourceMap:
    """Where each value and each mapping key of a document stands in the file."""

    path: str
    values: dict[Loc, yaml.Mark] = field(default_factory=dict)
    keys: dict[Loc, yaml.Mark] = field(default_factory=dict)

    def problem(self, loc: Loc, message: str, *, at_key: bool = False) -> Problem:
        """Build a problem located at loc, falling back to the nearest enclosing node."""
        mark = self._mark(loc, at_key=at_key)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(self.path, line, col, message)

    def line_of(self, loc: Loc) -> int:
        """Return the 1-based line of the value at loc."""
        mark = self._mark(loc, at_key=False)
        return mark.line + 1 if mark else 1

    def _mark(self, loc: Loc, *, at_key: bool) -> yaml.Mark | None:
        if at_key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get(())


@dataclass
class LoadedPlan:
    """A validated plan together with where it came from."""

    plan: Plan
    path: Path
    source: SourceMap
    text: str


def load_plan(path: Path) -> LoadedPlan:
    """Read, parse and validate the plan at path, raising PlanError with every problem."""
    shown = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise PlantrackError(f"{shown}: 找不到计划文件。请用 --plan 指定路径。") from None
    except OSError as exc:
        raise PlantrackError(f"{shown}: 无法读取计划文件：{exc.strerror}") from None
    text = decode(data, shown)
    plan, source = parse_with_source(text, shown)
    return LoadedPlan(plan, path, source, text)


def parse_plan(text: str, path: str) -> Plan:
    """Parse and validate plan text; path is used only in messages."""
    return parse_with_source(text, path)[0]


def parse_with_source(text: str, path: str) -> tuple[Plan, SourceMap]:
    """Parse and validate plan text, also returning where each node stands."""
    raw, source = build_values(compose_document(text, path), path)
    return validate(raw, source), source


def validate(raw: Any, source: SourceMap) -> Plan:
    """Validate plain values against the schema and the cross-field rules."""
    if not isinstance(raw, dict):
        kind = "列表" if isinstance(raw, list) else "单个值"
        message = f"计划文件的顶层应是键值映射（title:、year:、sections: …），而不是{kind}"
        raise PlanError([source.problem((), message)])
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(_validation_problems(exc, source)) from None
    problems = [source.problem(loc, msg, at_key=at_key) for loc, msg, at_key in rules.check(plan)]
    if problems:
        raise PlanError(problems)
    return plan


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM); explain how to fix anything else."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors do, not bytes.
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        raise PlanError([Problem(path, line, col, _encoding_message(data, exc.start))]) from None


def _encoding_message(data: bytes, offset: int) -> str:
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        guess = ""
    else:
        guess = "，看起来是 GBK 编码"
    return (
        f"文件不是 UTF-8 编码（字节 0x{data[offset]:02X} 无法识别{guess}）。"
        "请在编辑器中“另存为 UTF-8”，或运行 iconv -f GBK -t UTF-8 原文件 > 新文件"
    )


def parse_yaml(text: str, path: str) -> tuple[Any, SourceMap]:
    """Compose YAML text into plain values, recording where each one stands."""
    return build_values(compose_document(text, path), path)


def compose_document(text: str, path: str) -> yaml.Node:
    """Compose YAML text into a node tree that keeps every position; syntax errors located."""
    try:
        with _gc_paused():
            root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        raise PlanError([_syntax_problem(exc, path, text)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - libyaml reports marks for all we know
        raise PlanError([Problem(path, 1, 1, f"YAML 语法错误：{exc}")]) from None
    if root is None:
        message = "计划文件是空的：请从 plans/2023.yaml 复制一份作为起点"
        raise PlanError([Problem(path, 1, 1, message)])
    return root


def build_values(root: yaml.Node, path: str) -> tuple[Any, SourceMap]:
    """Turn a node tree into plain values and a map of where each one stands."""
    source = SourceMap(path)
    with _gc_paused():
        return _Builder(source).build(root, ()), source


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Building many small objects triggers needless collections; pausing halves parse time.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Builder:
    """Turn YAML nodes into dicts, lists and raw scalar strings, catching duplicates."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.budget = MAX_NODES

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        """Convert one node; scalars stay strings so Pydantic alone decides their type."""
        self.budget -= 1
        if self.budget < 0:
            message = "YAML 别名（*引用）展开后过大，疑似“别名炸弹”：请删除锚点和别名"
            raise PlanError([self.source.problem(loc, message)])
        self.source.values[loc] = node.start_mark
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        return self._mapping(node, loc)

    def _scalar(self, node: yaml.ScalarNode, loc: Loc) -> str | None:
        if node.tag not in _PLAIN_TAGS:
            raise PlanError([self.source.problem(loc, f"不支持的 YAML 标签 {node.tag}：请删除它")])
        if node.tag == _NULL_TAG and node.style is None:
            return None
        return str(node.value)

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if (
                not isinstance(key_node, yaml.ScalarNode)
                or key_node.tag == "tag:yaml.org,2002:merge"
            ):
                raise PlanError(
                    [self._at(key_node, "键必须是简单的文字（不支持 << 合并或复杂键）")]
                )
            key = str(key_node.value)
            if key in first_line:
                raise PlanError(
                    [
                        self._at(
                            key_node,
                            f"重复的键“{key}”（第 {first_line[key]} 行已有）："
                            "YAML 只会保留后一个，请合并或删除其中一个",
                        )
                    ]
                )
            first_line[key] = key_node.start_mark.line + 1
            self.source.keys[(*loc, key)] = key_node.start_mark
            result[key] = self.build(value_node, (*loc, key))
        return result

    def _at(self, node: yaml.Node, message: str) -> Problem:
        mark = node.start_mark
        return Problem(self.source.path, mark.line + 1, mark.column + 1, message)


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str, text: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    quote = _unclosed_quote(text, line)
    if quote is not None:
        # An unclosed quote swallows the lines after it; the parser notices only much later.
        q_line, q_col = quote
        message = f"引号没有闭合：请在这段文字末尾补上对应的引号（解析器到第 {line} 行才发现出错）"
        return Problem(path, q_line, q_col, f"YAML 语法错误：{message}")
    return Problem(path, line, col, messages.yaml_syntax(exc))


_QUOTED_VALUE = re.compile(r"""^(\s*(?:-\s+)?(?:[^\s"'#-][^"'#]*?:\s+)?)(["'])(.*)$""")


def _unclosed_quote(text: str, error_line: int) -> tuple[int, int] | None:
    """Find the first line before error_line whose quoted value does not close on that line."""
    for number, line in enumerate(text.splitlines()[:error_line], start=1):
        match = _QUOTED_VALUE.match(line)
        if match and match.group(2) not in match.group(3):
            return number, len(match.group(1)) + 1
    return None


def _validation_problems(exc: ValidationError, source: SourceMap) -> list[Problem]:
    problems: dict[tuple[Loc, str], Problem] = {}
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if loc and loc[-1] in _UNION_MEMBERS:
            # `value: int | float` reports once per member; one message per value suffices.
            loc = loc[:-1]
        message = messages.validation(error)
        at_key = error["type"] == "extra_forbidden"
        problems.setdefault((loc, message), source.problem(loc, message, at_key=at_key))
    return sorted(problems.values(), key=lambda p: (p.line, p.col))


_UNION_MEMBERS = {"int", "float"}


def find_plan(explicit: Path | None, *, year: int, cwd: Path | None = None) -> Path:
    """Locate the plan: --plan, then $PLANTRACK_PLAN, then plans/<year>.yaml, then the newest."""
    if explicit is not None:
        return explicit
    env = os.environ.get("PLANTRACK_PLAN")
    if env:
        return Path(env)
    start = (cwd or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        plans = folder / "plans"
        if not plans.is_dir():
            continue
        current = plans / f"{year}.yaml"
        if current.is_file():
            return _relative(current, start)
        newest = _newest_plan(plans)
        if newest is not None:
            return _relative(newest, start)
    raise UsageError(
        "找不到计划文件：当前目录及上级目录中没有 plans/*.yaml。"
        "请用 --plan 指定，或设置环境变量 PLANTRACK_PLAN"
    )


def _newest_plan(plans: Path) -> Path | None:
    candidates = [p for p in plans.glob("*.yaml") if p.stem.isdigit()]
    return max(candidates, key=lambda p: int(p.stem)) if candidates else None


def _relative(path: Path, start: Path) -> Path:
    # Messages read better with a path relative to where the user stands.
    try:
        return Path(os.path.relpath(path, start))
    except ValueError:  # pragma: no cover - different drives on Windows
        return path
