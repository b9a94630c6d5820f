"""Property tests (hypothesis): generated plans survive edits, and nothing escapes the error root."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plantrack.core import report as reporting
from plantrack.core.domain import Status
from plantrack.core.errors import PlantrackError
from plantrack.core.model import Plan, Progress
from plantrack.core.periods import quarter
from plantrack.core.refs import TaskRef
from plantrack.core.timeline import Timeline
from plantrack.output import render
from plantrack.planfile import edit
from plantrack.planfile.load import decode, load_plan, parse_plan

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from generate import generate

PLAN_2023 = (Path(__file__).resolve().parent.parent / "plans" / "2023.yaml").read_text(
    encoding="utf-8"
)
FAST = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

plans = st.builds(generate, st.integers(min_value=1, max_value=40), seed=st.integers(0, 10_000))


def _without(plan: Plan, task_id: int) -> dict[str, object]:
    """Everything in the plan except the one task an edit may touch."""
    data = plan.model_dump(mode="json")
    for section in data["sections"]:
        section["tasks"] = [t for t in section["tasks"] if t["id"] != task_id]
    return data


@FAST
@given(
    text=plans,
    pick=st.integers(min_value=0),
    status=st.sampled_from(list(Status)),
    note=st.text(max_size=40),
)
def test_mark_changes_only_the_marked_task(
    tmp_path_factory: pytest.TempPathFactory, text: str, pick: int, status: Status, note: str
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    before = load_plan(path).plan
    task = before.tasks[pick % len(before.tasks)]
    timeline = Timeline(before)
    already = all(
        timeline.recorded_status(task, i)[0] is status and clause.status is status
        for i, clause in enumerate(task.clauses)
    )
    data = path.read_bytes()
    entry = Progress(date=dt.date(2023, 10, 1), note=note, by="测试")
    edit.mark(path, TaskRef(task.id), status, entry)
    after = load_plan(path).plan
    assert _without(after, task.id) == _without(before, task.id)
    changed = after.tasks_by_id[task.id]
    assert [c.status for c in changed.clauses] == [status] * len(task.clauses)
    assert [c.text for c in changed.clauses] == [c.text for c in task.clauses]
    if already and not note:
        assert path.read_bytes() == data  # nothing new to say: nothing written
        return
    assert changed.progress[:-1] == task.progress
    assert (changed.progress[-1].note, changed.progress[-1].status) == (note, status)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_the_error_root(data: bytes) -> None:
    with contextlib.suppress(PlantrackError):
        parse_plan(decode(data, "x.yaml"), "x.yaml")


@settings(max_examples=200, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(PLAN_2023)),
    junk=st.text(max_size=8),
    cut=st.integers(0, 20),
)
def test_mangled_real_plan_raises_only_the_error_root(position: int, junk: str, cut: int) -> None:
    text = PLAN_2023[:position] + junk + PLAN_2023[position + cut :]
    try:
        parse_plan(text, "p.yaml")
    except PlantrackError as exc:
        assert str(exc).startswith("p.yaml:")


@FAST
@given(
    text=plans,
    quarter_number=st.integers(1, 4),
    day=st.dates(dt.date(2023, 1, 1), dt.date(2024, 3, 31)),
)
def test_reports_render_for_any_valid_plan(text: str, quarter_number: int, day: dt.date) -> None:
    plan = parse_plan(text, "p.yaml")
    context = reporting.build_report(
        Timeline(plan), plan.tasks, period=quarter(2023, quarter_number), as_of=day, scope=None
    )
    markdown = render.render("report.md.j2", {"r": context})
    html = render.render("report.html.j2", {"r": context})
    assert markdown.startswith(f"# {plan.title}")
    assert html.count('data-label="序号"') == len(plan.tasks)  # every task in the list
