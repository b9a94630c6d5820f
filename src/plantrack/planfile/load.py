"""Read a plan file: bytes -> text -> plain values -> model, every problem mapped to line:col."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from plantrack.core import rule_codes as codes
from plantrack.core.errors import PlanError, UsageError
from plantrack.core.periods import Period, today
from plantrack.core.problems import Finding, Loc, Problem
from plantrack.planfile import files

# A plan read from the cache needs neither the YAML reader nor the rules nor pydantic's
# errors: each is imported where the text is read or validated, not at start-up.
if TYPE_CHECKING:
    from pydantic import ValidationError

    from plantrack.core.model import Plan
    from plantrack.planfile.yamltree import SourceMap


class LoadedPlan:
    """A validated plan together with where it came from, and its text when asked for."""

    def __init__(self, plan: Plan, path: Path, source: str | bytes) -> None:
        self.plan = plan
        self.path = path
        # A plan from the cache was decoded when it was stored: its text is only made
        # if a command asks for it (check's hints, a form's stamp).
        self._source = source

    @property
    def text(self) -> str:
        """The plan file's text."""
        if isinstance(self._source, bytes):
            self._source = decode(self._source, str(self.path))
        return self._source


class Checked(NamedTuple):
    """What checking one plan file found: the plan when valid, else every problem."""

    path: Path
    plan: Plan | None
    problems: list[Problem]
    # Not wrong, but probably not what was meant: printed, and the exit code stays 0.
    warnings: tuple[Problem, ...] = ()


def load_plan(path: Path, *, as_of: dt.date | None = None) -> LoadedPlan:
    """Read, parse and validate the plan at path, raising PlanError with every problem.

    With as_of, progress entries dated after it are problems too, as `check` reports them.
    """
    data = files.read_plan(path)
    if len(data) > SNAPSHOT_UP_TO:
        text = decode(data, str(path))
        del data  # freed before the YAML reader makes its own copy: 100 MB at 100,000 tasks
        return LoadedPlan(parse_plan(text, str(path), as_of=as_of), path, text)
    plan, decoded = _validated(data, str(path), as_of)
    return LoadedPlan(plan, path, data if decoded is None else decoded)


def _validated(data: bytes, path: str, as_of: dt.date | None) -> tuple[Plan, str | None]:
    """The plan of these bytes: from the cache when they passed before, else read and kept.

    With it the text, when it had to be decoded (a miss), so it is not decoded again.
    """
    from plantrack.planfile import snapshot

    plan = snapshot.restore(data)
    if plan is None:
        text = decode(data, path)
        plan = _parse(text, path, as_of=as_of, keep_values=False)[0]
        remember(data, plan)
        return plan, text
    if _progress_findings(plan, as_of):
        # Entries dated after as_of: read the text, to say where each one stands.
        parse_plan(decode(data, path), path, as_of=as_of)
    return plan, None


def remember(data: bytes, plan: Plan) -> None:
    """Keep a plan that passed every rule as the plan of these bytes: read back next time.

    Edits call it with the bytes they wrote, so the command after a `mark` finds it ready.
    """
    if len(data) <= SNAPSHOT_UP_TO:
        from plantrack.planfile import snapshot

        snapshot.store(data, plan)


def _progress_findings(plan: Plan, as_of: dt.date | None) -> list[Finding]:
    """What the day checked can find in a plan that passed every rule before: entries after it."""
    if as_of is None:
        return []
    from plantrack.core import rules

    return rules.progress_findings(plan, as_of)


# Bytes of plan file up to which the validated plan is kept (some 13,000 tasks): beyond it,
# storing and reading it back costs more than it saves, and only the read values are kept.
SNAPSHOT_UP_TO = 16_000_000


def plan_for(explicit: Path | None, *, day: dt.date, period: Period | None = None) -> LoadedPlan:
    """The plan a command reads: --plan if given, else the one for the period or the day.

    A period picks the plan of its own year and refuses any other (see _plan_for_period);
    a day picks plans/<year>.yaml, or the newest plan when that year has none.
    """
    if period is not None:
        return _plan_for_period(explicit, period)
    return load_plan(find_plan(explicit, year=day.year))


def _plan_for_period(explicit: Path | None, period: Period) -> LoadedPlan:
    """Load the plan whose year holds period: --plan if given, else plans/<year>.yaml.

    A period outside that year is refused, naming the plans there are, rather than
    answered from another year's plan with every count at zero.
    """
    year = period.start.year
    if period.end.year != year:
        raise UsageError(
            f"报告期 {period.start} 至 {period.end} 跨越两个年度：每个年度的计划单独成文件，"
            "请按年度分别生成"
        )
    given = explicit or _plan_from_environment()
    path = given or _plans_folder_file(year)
    loaded = load_plan(path)
    if loaded.plan.year != year:
        found = _found_plans() or str(path)
        raise UsageError(
            f"报告期 {period.label} 在 {year} 年，但 {path} 是 {loaded.plan.year} 年的计划。"
            f"找到的计划：{found}。请换一个报告期，或用 --plan 指定 {year} 年的计划文件"
        )
    return loaded


def check_files(
    paths: Sequence[Path], *, plan: Path | None = None, as_of: dt.date | None = None
) -> list[Checked]:
    """Check each file (or the plan --plan or today's year picks), collecting problems as values.

    A file that cannot be read at all raises instead: there is no line to point at.
    """
    day = as_of or today()
    results = []
    for path in paths or [find_plan(plan, year=day.year)]:
        try:
            loaded = load_plan(path, as_of=day)
        except PlanError as exc:
            results.append(Checked(path, None, exc.problems))
        else:
            results.append(_lint(loaded))
    return results


def _lint(loaded: LoadedPlan) -> Checked:
    """A valid plan, with what only `check` looks for in its text: words lost to a # comment."""
    from plantrack.planfile import slips

    warnings = tuple(slips.text_lost_to_comments(loaded.text, str(loaded.path)))
    return Checked(loaded.path, loaded.plan, [], warnings)


def parse_plan(text: str, path: str, *, as_of: dt.date | None = None) -> Plan:
    """Parse and validate plan text; path is used only in messages."""
    return parse_with_values(text, path, as_of=as_of)[0]


def parse_with_values(text: str, path: str, *, as_of: dt.date | None = None) -> tuple[Plan, Any]:
    """Parse and validate plan text, also returning the plain values it was built from."""
    return _parse(text, path, as_of=as_of, keep_values=True)


def _parse(text: str, path: str, *, as_of: dt.date | None, keep_values: bool) -> tuple[Plan, Any]:
    """Parse and validate; with keep_values, the values of a large text go to the cache."""
    from plantrack.planfile import yamltree

    with _gc_paused():
        if keep_values:
            raw, passed = _values(text, path)
        else:
            raw, passed = yamltree.read_values(text, path)[0], None
        findings = _findings(raw, as_of, passed=passed is not None and passed.known)
        if not isinstance(findings, list):
            if passed is not None:
                passed.remember()
            return findings, raw
        # Only now is it worth knowing where every node stands: read the text again.
        _, source = yamltree.read_values(text, path, track=True)
    raise PlanError(_locate(findings, source))


# Characters of plan text from which the values are kept in the cache: below it (a district
# plan of a few hundred tasks), reading the YAML takes less time than hashing and the cache.
CACHED_FROM = 100_000


def _values(text: str, path: str) -> tuple[Any, _Passed | None]:
    """The plain values of the text: read from YAML, or from the cache for the same text.

    With them, for a text large enough to be cached, whether it passed every rule before.
    """
    from plantrack.planfile import yamltree

    if len(text) < CACHED_FROM:
        return yamltree.read_values(text, path)[0], None
    import hashlib
    import json

    from plantrack.planfile import cache

    # Both entries are keyed by the text's digest: the text is hashed once, and its bytes
    # need not stay in memory while it is read.
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    passed = _Passed(digest, known=cache.get(_PASSED, digest) is not None)
    stored = cache.get("values", digest)
    if stored is not None:
        with suppress(ValueError):  # an entry that is no JSON is a miss like any other
            return json.loads(stored), passed
    raw, _ = yamltree.read_values(text, path)
    cache.put("values", digest, json.dumps(raw, ensure_ascii=False).encode("utf-8"))
    return raw, passed


# The cache's note that a text passed every rule: its values then need the models built,
# and only the rules that depend on the day checked again.
_PASSED = "passed"


@dataclass
class _Passed:
    """Whether the cache says a text passed every rule before, and how to say it did."""

    digest: bytes
    known: bool

    def remember(self) -> None:
        """Note that the text passed, unless the cache already says so."""
        if not self.known:
            from plantrack.planfile import cache

            cache.put(_PASSED, self.digest, b"")


def parse_with_spans(text: str, path: str) -> tuple[Plan, SourceMap, Any]:
    """Parse and validate, also returning where each value starts and ends, and the values."""
    from plantrack.planfile import yamltree

    with _gc_paused():
        raw, source = yamltree.read_values(text, path, spans=True)
        findings = _findings(raw)
        if not isinstance(findings, list):
            return findings, source, raw
        _, located = yamltree.read_values(text, path, track=True)
    raise PlanError(_locate(findings, located))


def validate_values(raw: Any) -> Plan | None:
    """Validate plain values already read; None when they are not a valid plan."""
    with _gc_paused():
        findings = _findings(raw)
    return None if isinstance(findings, list) else findings


def _findings(
    raw: Any, as_of: dt.date | None = None, *, passed: bool = False
) -> Plan | list[Finding]:
    """Validate plain values: the plan, or every problem found, each at its loc.

    passed: the values are known to have passed every rule, so only those of the day run.
    """
    from pydantic import ValidationError

    from plantrack.core import rules
    from plantrack.core.model import Plan

    if not isinstance(raw, dict):
        kind = "列表" if isinstance(raw, list) else "单个值"
        message = f"计划文件的顶层应是键值映射（title:、year:、sections: …），而不是{kind}"
        return [Finding((), codes.TOP_LEVEL, message)]
    try:
        plan = Plan.model_validate(raw)
    except ValidationError as exc:
        return _validation_findings(exc)
    if passed:
        return _progress_findings(plan, as_of) or plan
    return rules.check(plan, as_of=as_of) or plan


def _locate(findings: list[Finding], source: SourceMap) -> list[Problem]:
    problems = {source.problem(f.loc, f.rule, f.message, at_key=f.at_key) for f in findings}
    return sorted(problems, key=lambda p: (p.line, p.col, p.message))


_UNION_MEMBERS = {"int", "float"}


def _validation_findings(exc: ValidationError) -> list[Finding]:
    from plantrack.planfile import messages  # the messages are needed only for mistakes

    findings: list[Finding] = []
    for error in exc.errors(include_url=False):
        loc: Loc = tuple(error["loc"])
        if loc and loc[-1] in _UNION_MEMBERS:
            # `value: int | float` reports once per member; one message per value suffices.
            loc = loc[:-1]
        message, rule = messages.validation(error), messages.validation_rule(error)
        findings.append(Finding(loc, rule, message, at_key=rule == codes.UNKNOWN_FIELD))
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
        raise PlanError([Problem(path, line, col, codes.ENCODING, message)]) from None


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
    given = explicit or _plan_from_environment()
    if given is not None:
        return given
    start = (cwd or Path.cwd()).resolve()
    plans = _known_plans(start)
    if not plans:
        raise UsageError(_NO_PLANS)
    for path in plans:
        if path.stem == str(year):
            return _relative(path, start)
    return _relative(plans[-1], start)


_NO_PLANS = (
    "找不到计划文件：当前目录及上级目录中没有 plans/*.yaml。"
    "请用 --plan 指定，或设置环境变量 PLANTRACK_PLAN"
)


def _plan_from_environment() -> Path | None:
    env = os.environ.get("PLANTRACK_PLAN")
    return Path(env) if env else None


def _known_plans(start: Path | None = None) -> list[Path]:
    """The plans/<year>.yaml files of the nearest plans/ folder up from start, by year."""
    start = start or Path.cwd().resolve()
    for folder in (start, *start.parents):
        plans = folder / "plans"
        if plans.is_dir():
            found = [p for p in plans.glob("*.yaml") if p.stem.isdigit()]
            if found:
                return sorted(found, key=lambda p: int(p.stem))
    return []


def _plans_folder_file(year: int) -> Path:
    """plans/<year>.yaml in the nearest plans/ folder, or a usage error naming what there is."""
    start = Path.cwd().resolve()
    plans = _known_plans(start)
    for path in plans:
        if path.stem == str(year):
            return _relative(path, start)
    if not plans:
        raise UsageError(_NO_PLANS)
    found = _found_plans()
    raise UsageError(
        f"没有 {year} 年的计划文件：找到的计划有 {found}。"
        f"请换一个报告期，或用 --plan 指定 {year} 年的计划文件"
    )


def _found_plans() -> str:
    """The plans there are, as a message lists them: plans/2023.yaml（2023 年）、…."""
    start = Path.cwd().resolve()
    return "、".join(f"{_relative(p, start)}（{p.stem} 年）" for p in _known_plans(start))


def _relative(path: Path, start: Path) -> Path:
    # Messages read better with a path relative to where the user stands.
    try:
        return Path(os.path.relpath(path, start))
    except ValueError:  # pragma: no cover - different drives on Windows
        return path
