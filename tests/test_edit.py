"""mark and log change only the lines they must, atomically, and never lose a byte otherwise."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import multiprocessing
import stat
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Invoke
from plantrack.core.domain import Status
from plantrack.core.errors import PlanError, PlantrackError, UsageError
from plantrack.core.model import Plan, Progress
from plantrack.core.refs import TaskRef, parse_ref
from plantrack.core.timeline import Timeline
from plantrack.planfile import edit, files, splice
from plantrack.planfile.load import load_plan, parse_plan

COMMENT = "        # 专项整治由法规科统筹（手工添加的注释）\n"
# Task 13's responsible line, followed by the line that only task 13 has after its clause.
T13_UNITS_RESPONSIBLE = "            responsible: [局属各单位, 局机关各科室]\n            status: 未开始\n        phases"
DAY = dt.date(2023, 10, 20)


@pytest.fixture
def plan_copy(tmp_path: Path, plan_text: str) -> Path:
    """A copy of the 2023 plan with a hand-written comment inside task 13."""
    text = plan_text.replace("        phases: [安排部署", COMMENT + "        phases: [安排部署")
    path = tmp_path / "2023.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """Lines removed and added, as `git diff` would count them."""
    removed, added = [], []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        if line.startswith("- "):
            removed.append(line[2:])
        elif line.startswith("+ "):
            added.append(line[2:])
    return removed, added


def entry(note: str = "阶段性任务完成", **kwargs: object) -> Progress:
    return Progress(date=DAY, note=note, by="张三", **kwargs)


def status_of(path: Path, task_id: int) -> Status:
    """The task's status as the time model rolls it up from the file on disk."""
    plan = load_plan(path).plan
    return Timeline(plan).status(plan.tasks_by_id[task_id])


def test_mark_changes_only_status_and_appends_progress(plan_copy: Path) -> None:
    before = plan_copy.read_text(encoding="utf-8")
    edit.mark(plan_copy, TaskRef(13), Status.DONE, entry())
    after = plan_copy.read_text(encoding="utf-8")
    removed, added = changed_lines(before, after)
    assert removed == ["            status: 未开始"]
    assert added == [
        "            status: 已完成",
        "        progress:",
        "          - date: 2023-10-20",
        "            status: 已完成",
        "            note: 阶段性任务完成",
        "            by: 张三",
    ]
    assert COMMENT in after
    assert status_of(plan_copy, 13) is Status.DONE


def test_second_entry_appends_to_the_existing_log(plan_copy: Path) -> None:
    edit.log(plan_copy, TaskRef(13), entry("第一条"))
    before = plan_copy.read_text(encoding="utf-8")
    edit.log(plan_copy, TaskRef(13), entry("第二条"))
    removed, added = changed_lines(before, plan_copy.read_text(encoding="utf-8"))
    assert removed == []
    # Sorted: with two entries by 张三, a diff may show the new lines in a rotated order.
    assert sorted(added) == sorted(
        ["          - date: 2023-10-20", "            note: 第二条", "            by: 张三"]
    )
    notes = [p.note for p in load_plan(plan_copy).plan.tasks_by_id[13].progress]
    assert notes == ["第一条", "第二条"]


def test_mark_every_clause_rolls_up_and_one_clause_does_not(plan_copy: Path) -> None:
    edit.mark(plan_copy, TaskRef(7, 2), Status.DONE, entry())
    task = load_plan(plan_copy).plan.tasks_by_id[7]
    assert [c.status for c in task.clauses] == [Status.NOT_STARTED, Status.DONE, Status.NOT_STARTED]
    assert status_of(plan_copy, 7) is Status.IN_PROGRESS
    assert task.progress[-1].clause == 2
    edit.mark(plan_copy, TaskRef(7), Status.DONE, entry())
    assert status_of(plan_copy, 7) is Status.DONE


def test_occurrence_is_completed_on_its_own(plan_copy: Path) -> None:
    before = plan_copy.read_text(encoding="utf-8")
    edit.mark(plan_copy, TaskRef(26), Status.DONE, entry("", occurrence="2023Q2"))
    removed, added = changed_lines(before, plan_copy.read_text(encoding="utf-8"))
    assert removed == []  # no clause status changes
    assert "            occurrence: 2023Q2" in added
    task = load_plan(plan_copy).plan.tasks_by_id[26]
    assert status_of(plan_copy, 26) is Status.IN_PROGRESS  # one occurrence done: begun
    assert task.progress[-1].occurrence == "2023Q2"


def test_crlf_and_bom_survive(tmp_path: Path, plan_text: str) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(files.BOM + plan_text.replace("\n", "\r\n").encode("utf-8"))
    edit.mark(path, TaskRef(13), Status.DONE, entry())
    data = path.read_bytes()
    assert data.startswith(files.BOM)
    assert data.count(b"\n") == data.count(b"\r\n")  # no bare LF: no mixed endings
    before_lines = plan_text.count("\n")
    assert data.count(b"\r\n") == before_lines + 5


def test_unchanged_bytes_elsewhere(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    edit.mark(plan_copy, TaskRef(13), Status.DONE, entry())
    after = plan_copy.read_bytes()
    head = before.index("status: 未开始\n        # 专项整治".encode())
    assert after[:head] == before[:head]
    tail = before.index(b"      - id: 14\n")
    assert after.endswith(before[tail:])


def test_quoted_status_keeps_its_quotes(tmp_path: Path, plan_text: str) -> None:
    text = plan_text.replace(
        "status: 未开始\n        phases: [安排部署", 'status: "未开始"\n        phases: [安排部署'
    )
    path = tmp_path / "q.yaml"
    path.write_text(text, encoding="utf-8")
    edit.mark(path, TaskRef(13), Status.IN_PROGRESS, entry())
    assert 'status: "进行中"\n        phases' in path.read_text(encoding="utf-8")


def test_missing_status_line_is_inserted(tmp_path: Path, plan_text: str) -> None:
    text = plan_text.replace(
        "            status: 未开始\n        phases: [安排部署", "        phases: [安排部署"
    )
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    edit.mark(path, TaskRef(13), Status.DONE, entry())
    removed, added = changed_lines(text, path.read_text(encoding="utf-8"))
    assert removed == []
    assert added[0] == "            status: 已完成"


def test_flow_empty_progress_becomes_a_block(tmp_path: Path, plan_text: str) -> None:
    text = plan_text.replace(
        "        phases: [安排部署", "        progress: []  # 暂无\n        phases: [安排部署"
    )
    path = tmp_path / "f.yaml"
    path.write_text(text, encoding="utf-8")
    edit.log(path, TaskRef(13), entry("有了"))
    after = path.read_text(encoding="utf-8")
    assert (
        "        progress:  # 暂无\n          - date: 2023-10-20\n            note: 有了\n" in after
    )
    assert load_plan(path).plan.tasks_by_id[13].progress[0].note == "有了"


def test_file_without_final_newline(tmp_path: Path, plan_text: str) -> None:
    path = tmp_path / "n.yaml"
    path.write_text(plan_text.rstrip("\n"), encoding="utf-8")
    edit.log(path, TaskRef(26), entry("最后一项"))
    assert load_plan(path).plan.tasks_by_id[26].progress[0].note == "最后一项"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda p: edit.mark(p, TaskRef(99), Status.DONE, entry()),
            "没有序号为 99 的任务：可选 1–26",
        ),
        (lambda p: edit.mark(p, TaskRef(13, 2), Status.DONE, entry()), "可选 13.1"),
        (
            lambda p: edit.mark(p, TaskRef(26), Status.DONE, entry(occurrence="2023Q5")),
            "任务 26 没有“2023Q5”这一时限：可选 2023Q1（第一季度）、2023Q2（第二季度）、2023Q3（第三季度）、2023-11-20（年度法治建设情况报告市交通局）、2023Q4（第四季度）",
        ),
        (
            lambda p: edit.log(p, TaskRef(13, 3), entry()),
            "任务 13 只有 1 项分工，没有第 3 项：可选 13.1",
        ),
        (lambda p: edit.log(p, TaskRef(0), entry()), "没有序号为 0 的任务"),
    ],
)
def test_bad_input_leaves_file_byte_identical(
    plan_copy: Path, call: Callable[[Path], object], message: str
) -> None:
    digest = hashlib.sha256(plan_copy.read_bytes()).hexdigest()
    with pytest.raises(UsageError, match=message):
        call(plan_copy)
    assert hashlib.sha256(plan_copy.read_bytes()).hexdigest() == digest


def test_invalid_plan_is_refused_untouched(tmp_path: Path, plan_text: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(plan_text.replace("      - id: 14\n", "      - id: 13\n"), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(PlanError, match="任务编号 13 重复"):
        edit.mark(path, TaskRef(13), Status.DONE, entry())
    assert path.read_bytes() == before


def _someone_saves(plan_copy: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    """Make another program save text to the plan while an edit is being prepared."""
    original = edit._check_progress_grew

    def someone_saves(*args: object) -> None:
        original(*args)  # type: ignore[arg-type]
        plan_copy.write_text(text, encoding="utf-8")

    monkeypatch.setattr(edit, "_check_progress_grew", someone_saves)


def test_refuses_when_file_changed_on_disk(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = plan_copy.read_text(encoding="utf-8").replace("title: 2023年", "title: 2024年", 1)
    _someone_saves(plan_copy, monkeypatch, other)
    with pytest.raises(PlantrackError, match="被其他程序修改过"):
        edit.mark(plan_copy, TaskRef(13), Status.DONE, entry())
    assert plan_copy.read_text(encoding="utf-8") == other


def test_lines_appended_meanwhile_are_kept_with_the_edit(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    added = "# 另一位同事刚追加的一行\n"
    _someone_saves(plan_copy, monkeypatch, plan_copy.read_text(encoding="utf-8") + added)
    edit.mark(plan_copy, TaskRef(13), Status.DONE, entry())
    after = plan_copy.read_text(encoding="utf-8")
    assert after.endswith(added) and status_of(plan_copy, 13) == Status.DONE


def test_dry_run_writes_nothing_and_shows_the_diff(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    outcome = edit.mark(plan_copy, TaskRef(13), Status.DONE, entry(), dry_run=True)
    assert plan_copy.read_bytes() == before
    diff = outcome.diff()
    assert diff.startswith(f"--- {plan_copy}\n+++ {plan_copy}\n@@ ")
    assert "-            status: 未开始\n+            status: 已完成\n" in diff


@pytest.mark.skipif(sys.platform == "win32", reason="Windows 没有 POSIX 权限位（chmod 只管只读）")
def test_write_keeps_mode_and_leaves_no_temporary_files(plan_copy: Path) -> None:
    plan_copy.chmod(0o640)
    edit.log(plan_copy, TaskRef(1), entry())
    assert stat.S_IMODE(plan_copy.stat().st_mode) == 0o640
    leftovers = [p.name for p in plan_copy.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def _log_in_another_process(args: tuple[str, int, int]) -> None:
    path, task, n = args
    edit.log(Path(path), TaskRef(task), Progress(date=DAY, note=f"并发记录 {n}", by="测试"))


def test_concurrent_logs_all_land(plan_copy: Path) -> None:
    jobs = [(str(plan_copy), (n % 26) + 1, n) for n in range(50)]
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        pool.map(_log_in_another_process, jobs)
    plan = load_plan(plan_copy).plan
    notes = sorted(p.note for t in plan.tasks for p in t.progress)
    assert notes == sorted(f"并发记录 {n}" for n in range(50))


def test_notes_with_yaml_syntax_round_trip(plan_copy: Path) -> None:
    note = '完成率: 100% # 含"引号"和冒号\n第二行'
    edit.log(plan_copy, TaskRef(20), entry(note))
    assert (
        parse_plan(plan_copy.read_text(encoding="utf-8"), "p").tasks_by_id[20].progress[0].note
        == note
    )


@pytest.mark.parametrize("text", ["13", "7.2", " 26 "])
def test_parse_ref(text: str) -> None:
    ref = parse_ref(text)
    assert str(ref) == text.strip()


@pytest.mark.parametrize("text", ["", "abc", "13.", "1.2.3", "-1"])
def test_parse_ref_rejects(text: str) -> None:
    with pytest.raises(UsageError, match="任务写法"):
        parse_ref(text)


def test_no_lock_file_is_left_after_an_edit(plan_copy: Path) -> None:
    edit.log(plan_copy, TaskRef(1), entry())
    assert not (plan_copy.parent / f".{plan_copy.name}{files.LOCK_SUFFIX}").exists()
    assert sorted(p.name for p in plan_copy.parent.iterdir()) == [plan_copy.name]


def test_progress_date_before_the_plan_year_is_refused(plan_copy: Path) -> None:
    before = plan_copy.read_bytes()
    with pytest.raises(UsageError, match="不在计划年度 2023 年内"):
        edit.log(plan_copy, TaskRef(1), Progress(date=dt.date(2022, 12, 31), note="x"))
    assert plan_copy.read_bytes() == before


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths that load.parse_plan read in full during the test."""
    import plantrack.planfile.load as load

    reads: list[str] = []
    real = load.parse_plan

    def counting(text: str, path: str, **options: object) -> Plan:
        reads.append(path)
        return real(text, path, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "parse_plan", counting)
    return reads


def test_local_revalidation_agrees_with_a_full_read(plan_copy: Path, full_reads: list[str]) -> None:
    outcome = edit.mark(plan_copy, TaskRef(7, 2), Status.BLOCKED, entry("待上级文件"))
    assert full_reads == []  # the change stayed in task 7's lines: no second full read
    assert outcome.task == load_plan(plan_copy).plan.tasks_by_id[7]


def test_revalidation_falls_back_to_a_full_read(plan_copy: Path, full_reads: list[str]) -> None:
    import plantrack.planfile.load as load

    text = plan_copy.read_text(encoding="utf-8")
    plan, source, raw = load.parse_with_spans(text, "p")
    layout = splice.Layout(text, source, splice.task_loc(plan, 13))
    changed_elsewhere = text.replace("title: 2023年交通法治工作要点", "title: 改过的标题")
    result = edit._revalidate(layout, changed_elsewhere, raw, "p")
    assert full_reads == ["p"] and result.title == "改过的标题"


def test_task_using_an_anchor_defined_elsewhere_is_still_edited_in_place(
    tmp_path: Path, plan_text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Task 13's lines cannot be read alone (its alias points outside them): the whole text is
    # read with positions instead, and the edit is as small as ever.
    first = "            responsible: [局属各单位, 局机关各科室]\n            status: 未开始\n"
    assert plan_text.count(first) > 1
    text = plan_text.replace(
        first,
        "            responsible: &everyone [局属各单位, 局机关各科室]\n            status: 未开始\n",
        1,
    )
    assert text.count(T13_UNITS_RESPONSIBLE) == 1
    text = text.replace(
        T13_UNITS_RESPONSIBLE,
        "            responsible: *everyone\n            status: 未开始\n        phases",
    )
    path = tmp_path / "alias.yaml"
    path.write_text(text, encoding="utf-8")
    import plantrack.planfile.load as load

    whole_reads: list[str] = []
    real = load.parse_with_spans

    def spy(text: str, path: str) -> object:
        whole_reads.append(path)
        return real(text, path)

    monkeypatch.setattr(load, "parse_with_spans", spy)
    edit.mark(path, TaskRef(13), Status.DONE, entry())
    assert whole_reads == [str(path)]
    removed, added = changed_lines(text, path.read_text(encoding="utf-8"))
    assert removed == ["            status: 未开始"]
    assert added[0] == "            status: 已完成" and len(added) == 6
    assert load_plan(path).plan.tasks_by_id[13].clauses[0].responsible == [
        "局属各单位",
        "局机关各科室",
    ]


# --- plans `check` accepts but whose shape is unusual: every edit must land ----------------

MINIMAL_TEXT = (Path(__file__).parent / "data" / "valid" / "minimal.yaml").read_text(
    encoding="utf-8"
)
TASK_2_BLOCK = """      - id: 2
        title: 任务二
        clauses:
          - text: 任务二的内容。
            responsible: [区交通执法支队]
            status: 进行中
"""
SHAPES = {
    "clause-without-status": ("            status: 进行中\n", ""),
    "last-note-a-block-followed-by-blanks": (
        "            note: 已部署\n",
        "            note: |\n              已部署\n              第二行\n\n\n",
    ),
    "task-in-flow-style": (
        TASK_2_BLOCK,
        "      - {id: 2, title: 任务二, clauses: [{text: 任务二的内容。,"
        " responsible: [区交通执法支队]}]}\n",
    ),
    "anchored-empty-progress": (
        "        progress:\n          - date: 2023-03-01\n            note: 已部署\n",
        "        progress: &p []\n",
    ),
    "progress-at-key-indent": (
        "        progress:\n          - date: 2023-03-01\n            note: 已部署\n",
        "        progress:\n        - date: 2023-03-01\n          note: 已部署\n",
    ),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("target", ["1", "2", "2.1"])
@pytest.mark.parametrize("how", ["mark", "log"])
def test_edits_land_in_every_shape_check_accepts(
    tmp_path: Path, shape: str, target: str, how: str
) -> None:
    old, new = SHAPES[shape]
    assert MINIMAL_TEXT.count(old) == 1
    text = MINIMAL_TEXT.replace(old, new)
    before = parse_plan(text, "p.yaml")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    ref = parse_ref(target)
    note = "已报送, [第3期]: 简报"  # flow-style punctuation must not break a flow task
    if how == "mark":
        edit.mark(path, ref, Status.DONE, entry(note))
    else:
        edit.log(path, ref, entry(note))
    after = load_plan(path).plan  # the whole file still reads, by check's rules
    task = after.tasks_by_id[ref.task]
    assert len(task.progress) == len(before.tasks_by_id[ref.task].progress) + 1
    assert task.progress[-1].note == note and task.progress[-1].clause == ref.clause
    if how == "mark":
        assert Timeline(after).status(task) is Status.DONE
    other = 2 if ref.task == 1 else 1
    assert after.tasks_by_id[other] == before.tasks_by_id[other]
    removed, _ = changed_lines(text, path.read_text(encoding="utf-8"))
    # Only a status value, an empty list's brackets or the one-line task itself are rewritten.
    assert all("status:" in line or "[]" in line or "{id: 2" in line for line in removed)


def test_a_progress_list_shared_through_an_alias_is_refused_with_why(tmp_path: Path) -> None:
    text = MINIMAL_TEXT.replace(
        "        progress:\n          - date: 2023-03-01\n            note: 已部署\n",
        "        progress: &log\n          - date: 2023-03-01\n            note: 已部署\n",
    ).replace(TASK_2_BLOCK, TASK_2_BLOCK + "        progress: *log\n")
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="引用了别处的列表（\\*log）"):
        edit.log(path, TaskRef(2), entry())
    assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["actual", "20", "1e309"], "不是一个确定的数"),
        (["actual", "20", "nan"], "不是一个确定的数"),
        (["actual", "26", "85%"], "以“篇”计，不是百分比：请去掉 %"),
    ],
)
def test_values_are_finite_and_in_the_targets_unit(
    cli: Invoke, plan_copy: Path, args: list[str], message: str
) -> None:
    before = plan_copy.read_bytes()
    err = cli(*args, "--plan", str(plan_copy), code=2).stderr
    assert message in err and plan_copy.read_bytes() == before


def test_an_occurrence_not_done_is_never_already_blocked(cli: Invoke, plan_copy: Path) -> None:
    args = ("mark", "26", "blocked", "--occurrence", "2023Q2", "--plan", str(plan_copy))
    out = cli(*args, env={"PLANTRACK_TODAY": "2023-12-01"}).stdout
    assert "已是" not in out and out.startswith("已更新")


def test_a_plan_may_not_hold_an_infinite_value(
    cli: Invoke, broken_plan: Callable[[str, str], tuple[Path, int]]
) -> None:
    path, _ = broken_plan("            value: 80\n", "            value: .inf\n")
    assert "value" in cli("check", str(path), code=1).stderr
