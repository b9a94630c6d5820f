"""Read a plan file: bytes -> text -> plain values -> model, every problem mapped to line:col."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from plantrack import files, messages, rules, yamltree
from plantrack.errors import PlanError, UsageError
from plantrack.model import Plan
from plantrack.periods import today
from plantrack.problems import Finding, Loc, Problem
from plantrack.yamltree import SourceMap


@dataclass
class LoadedPlan:
    """A validated plan together with where it came from."""

    plan: Plan
    path: Path
    text: str


@dataclass(frozen=True)
class Checked:
    """What checking one plan file found: the plan when valid, else every problem."""

    path: Path
    plan: Plan | None
    problems: list[Problem]


def load_plan(path: Path) -> LoadedPlan:
    """Read, parse and validate the plan at path, raising PlanError with every problem."""
    text = decode(files.read_plan(path), str(path))
    return LoadedPlan(parse_plan(text, str(path)), path, text)


def load_for(explicit: Path | None, *, year: int) -> LoadedPlan:
    """Load the plan given by --plan, or else the one find_plan picks for year."""
    return load_plan(find_plan(explicit, year=year))


def check_files(paths: Sequence[Path], *, plan: Path | None = None) -> list[Checked]:
    """Check each file (or the plan --plan or today's year picks), collecting problems as values.

    A file that cannot be read at all raises instead: there is no line to point at.
    """
    results = []
    for path in paths or [find_plan(plan, year=today().year)]:
        try:
            valid = load_plan(path).plan
        except PlanError as exc:
            results.append(Checked(path, None, exc.problems))
        else:
            results.append(Checked(path, valid, []))
    return results


def parse_plan(text: str, path: str) -> Plan:
    """Parse and validate plan text; path is used only in messages."""
    return parse_with_values(text, path)[0]


def parse_with_values(text: str, path: str) -> tuple[Plan, Any]:
    """Parse and validate plan text, also returning the plain values it was built from."""
    with _gc_paused():
        raw, _ = yamltree.read_values(text, path)
        findings = _findings(raw)
        if isinstance(findings, Plan):
            return findings, raw
        # Only now is it worth knowing where every node stands: read the text again.
        _, source = yamltree.read_values(text, path, track=True)
    raise PlanError(_locate(findings, source))


def parse_with_spans(text: str, path: str) -> tuple[Plan, SourceMap, Any]:
    """Parse and validate, also returning where each value starts and ends, and the values."""
    with _gc_paused():
        raw, source = yamltree.read_values(text, path, spans=True)
        findings = _findings(raw)
        if isinstance(findings, Plan):
            return findings, source, raw
        _, located = yamltree.read_values(text, path, track=True)
    raise PlanError(_locate(findings, located))


def validate_values(raw: Any) -> Plan | None:
    """Validate plain values already read; None when they are not a valid plan."""
    with _gc_paused():
        findings = _findings(raw)
    return findings if isinstance(findings, Plan) else None


def _findings(raw: Any) -> Plan | list[Finding]:
    """Validate plain values: the plan, or every problem found, each at its loc."""
    if not isinstance(raw, dict):
        kind = "列表" if isinstance(raw, list) else "单个值"
        message = f"计划文件的顶层应是键值映射（title:、year:、sections: …），而不是{kind}"
        return [Finding((), "top-level", message)]
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        return _validation_findings(exc)
    return rules.check(plan) or plan


def _locate(findings: list[Finding], source: SourceMap) -> list[Problem]:
    problems = {source.problem(f.loc, f.rule, f.message, at_key=f.at_key) for f in findings}
    return sorted(problems, key=lambda p: (p.line, p.col, p.message))


_UNION_MEMBERS = {"int", "float"}


def _validation_findings(exc: ValidationError) -> list[Finding]:
    findings: list[Finding] = []
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if loc and loc[-1] in _UNION_MEMBERS:
            # `value: int | float` reports once per member; one message per value suffices.
            loc = loc[:-1]
        message, rule = messages.validation(error), messages.validation_rule(error)
        findings.append(Finding(loc, rule, message, at_key=rule == "unknown-field"))
    return findings


def decode(data: bytes, path: str) -> str:
    """Decode UTF-8 (with or without BOM); explain how to fix anything else."""
    if data.startswith(files.BOM):
        data = data[len(files.BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        # Columns count characters, as editors do, not bytes.
        col = len(data[line_start : exc.start].decode("utf-8", "replace")) + 1
        message = _encoding_message(data, exc.start)
        raise PlanError([Problem(path, line, col, "encoding", message)]) from None


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


@contextmanager
def _gc_paused() -> Iterator[None]:
    # Building a large plan creates millions of objects and no cycles; the collector would
    # otherwise walk the growing heap again and again (15x slower at 10,000 tasks).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
