"""The git merge driver: progress from both branches kept, statuses settled, the rest to git."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from helpers import PLAN_2023, PLANTRACK, Invoke, git, plan_repository
from plantrack.core.domain import Status
from plantrack.gitops import merge
from plantrack.planfile.load import parse_plan

TEXT = PLAN_2023.read_text(encoding="utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding plans/2023.yaml on its first commit."""
    return plan_repository(tmp_path, TEXT)


def branch(repo: Path, cli: Invoke, name: str, *edits: list[str]) -> None:
    """A branch from the first commit with plantrack's edits on it, committed."""
    git(repo, "checkout", "-q", "-b", name, "master" if _has(repo, "master") else "main")
    plan = str(repo / "plans" / "2023.yaml")
    for args in edits:
        cli(*args, "--plan", plan, "--as-of", "2023-10-20")
    git(repo, "commit", "-qam", name)


def _has(repo: Path, name: str) -> bool:
    return git(repo, "rev-parse", "--verify", "-q", name, check=False).returncode == 0


def register(repo: Path) -> None:
    """The two commands the README gives."""
    git(repo, "config", "merge.plantrack.driver", f"{PLANTRACK} merge-driver %O %A %B")
    (repo / ".git" / "info" / "attributes").write_text("plans/*.yaml merge=plantrack\n")


def two_offices(repo: Path, cli: Invoke) -> None:
    branch(repo, cli, "a", ["log", "13", "法规科：已报送", "--date", "2023-10-18"],
           ["mark", "7.1", "done", "--note", "甲", "--date", "2023-10-18"])  # fmt: skip
    branch(repo, cli, "b", ["log", "13", "执法支队：已自查", "--date", "2023-10-19"],
           ["mark", "7.2", "blocked", "--note", "乙", "--date", "2023-10-19"])  # fmt: skip
    git(repo, "checkout", "-q", "a")


def test_two_branches_logging_and_marking_merge_with_the_driver(repo: Path, cli: Invoke) -> None:
    two_offices(repo, cli)
    register(repo)
    merged = git(repo, "merge", "-q", "b", "-m", "合并", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    plan = parse_plan((repo / "plans" / "2023.yaml").read_text(encoding="utf-8"), "p")
    assert [e.note for e in plan.tasks_by_id[13].progress] == ["法规科：已报送", "执法支队：已自查"]
    statuses = [c.status for c in plan.tasks_by_id[7].clauses]
    assert statuses[:2] == [Status.DONE, Status.BLOCKED]
    check = cli("check", str(repo / "plans" / "2023.yaml"), "--as-of", "2023-10-20")
    assert "没有发现问题" in check.stdout
    text = (repo / "plans" / "2023.yaml").read_text(encoding="utf-8")
    comments = [line for line in TEXT.splitlines() if line.lstrip().startswith("#")]
    assert (
        comments
        and [line for line in text.splitlines() if line.lstrip().startswith("#")] == comments
    )


def test_the_same_branches_conflict_without_the_driver(repo: Path, cli: Invoke) -> None:
    two_offices(repo, cli)
    assert git(repo, "merge", "-q", "b", "-m", "合并", check=False).returncode != 0


def test_both_sides_changing_one_title_is_left_as_a_conflict_check_names(
    repo: Path, cli: Invoke
) -> None:
    plan = repo / "plans" / "2023.yaml"
    for name, title in (("a", "甲"), ("b", "乙")):
        git(repo, "checkout", "-q", "-b", name, "master" if _has(repo, "master") else "main")
        plan.write_text(
            TEXT.replace("title: 统筹推进专项整治工作", f"title: 统筹推进专项整治工作（{title}）"),
            encoding="utf-8",
        )
        git(repo, "commit", "-qam", name)
    register(repo)
    assert git(repo, "merge", "-q", "a", "-m", "合并", check=False).returncode != 0
    text = plan.read_text(encoding="utf-8")
    line = text.splitlines().index("<<<<<<< 当前分支") + 1
    err = cli("check", str(plan), code=1).stderr
    assert f"{plan}:{line}:1: 合并冲突没有解决" in err


NEW_TASK = (
    "      - id: 27\n        title: {0}\n        clauses:\n"
    "          - text: {0}。\n            lead: [局法规科]\n            status: 未开始\n"
)
T13_PHASES = "        phases: [安排部署"


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        (  # both add a task 27, in different sections: a clean text merge, two tasks 27
            TEXT.rstrip("\n") + "\n" + NEW_TASK.format("甲任务"),
            TEXT.replace("  - number: 2\n", NEW_TASK.format("乙任务") + "  - number: 2\n", 1),
        ),
        (  # both log task 13, in flow style
            TEXT.replace(
                T13_PHASES, "        progress: [{date: 2023-10-18, note: 甲}]\n" + T13_PHASES
            ),
            TEXT.replace(
                T13_PHASES, "        progress: [{date: 2023-10-19, note: 乙}]\n" + T13_PHASES
            ),
        ),
    ],
    ids=["task-27-twice", "flow-progress"],
)
def test_every_conflict_the_driver_reports_leaves_markers_check_refuses(
    repo: Path, cli: Invoke, ours: str, theirs: str
) -> None:
    plan = repo / "plans" / "2023.yaml"
    for name, text in (("a", ours), ("b", theirs)):
        git(repo, "checkout", "-q", "-b", name, "master" if _has(repo, "master") else "main")
        plan.write_text(text, encoding="utf-8")
        git(repo, "commit", "-qam", name)
    register(repo)
    assert git(repo, "merge", "-q", "a", "-m", "合并", check=False).returncode != 0
    lines = plan.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("<<<<<<<"))
    assert f"{plan}:{line}:1: 合并冲突没有解决" in cli("check", str(plan), code=1).stderr


def test_a_status_set_on_both_sides_goes_to_the_later_entry() -> None:
    def marked(status: str, day: str) -> str:
        return TEXT.replace(
            "            responsible: [局属各单位, 局机关各科室]\n            status: 未开始\n        phases",
            f"            responsible: [局属各单位, 局机关各科室]\n            status: {status}\n"
            f"        progress:\n          - date: {day}\n            status: {status}\n"
            "        phases",
        )

    merged = merge.merge_texts(
        TEXT, marked("受阻", "2023-10-18"), marked("已完成", "2023-10-19"), name="p"
    )
    task = parse_plan(merged, "p").tasks_by_id[13]
    assert task.clauses[0].status is Status.DONE
    assert [(e.date.day, e.status) for e in task.progress] == [
        (18, Status.BLOCKED),
        (19, Status.DONE),
    ]
    with pytest.raises(merge._Unmergeable):  # same day: nothing says which came later
        merge.merge_texts(
            TEXT, marked("受阻", "2023-10-19"), marked("已完成", "2023-10-19"), name="p"
        )


def test_the_same_entry_on_both_branches_is_kept_once() -> None:
    logged = TEXT.replace(
        "        phases: [安排部署",
        "        progress:\n          - date: 2023-10-19\n            note: 同一条\n        phases: [安排部署",
    )
    merged = merge.merge_texts(TEXT, logged, logged, name="p")
    assert [e.note for e in parse_plan(merged, "p").tasks_by_id[13].progress] == ["同一条"]


def test_the_driver_keeps_a_bom_and_crlf_line_endings(tmp_path: Path) -> None:
    crlf = TEXT.replace("\n", "\r\n")

    def logged(note: str, day: str) -> str:
        return crlf.replace(
            "        phases: [安排部署",
            f"        progress:\r\n          - date: {day}\r\n            note: {note}\r\n"
            "        phases: [安排部署",
        )

    paths = [tmp_path / name for name in ("base", "ours", "theirs")]
    texts = (crlf, logged("甲", "2023-10-18"), logged("乙", "2023-10-19"))
    for path, text in zip(paths, texts, strict=True):
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert merge.merge_files(*paths) == 0
    data = paths[1].read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\n" not in data.replace(b"\r\n", b"")
    notes = [e.note for e in parse_plan(data[3:].decode("utf-8"), "p").tasks_by_id[13].progress]
    assert notes == ["甲", "乙"]


def test_an_old_entry_edited_on_one_side_goes_to_git_s_text_merge() -> None:
    entry = "        progress:\n          - date: 2023-10-01\n            note: {note}\n"
    base = TEXT.replace(
        "        phases: [安排部署", entry.format(note="原稿") + "        phases: [安排部署"
    )
    edited = base.replace("note: 原稿", "note: 改稿")
    with pytest.raises(merge._Unmergeable):
        merge.merge_texts(base, edited, base, name="p")


def test_a_whole_task_marked_on_one_side_and_a_clause_later_on_the_other(
    cli: Invoke, tmp_path: Path
) -> None:
    def edited(*commands: list[str]) -> str:
        path = tmp_path / "p.yaml"
        path.write_text(TEXT, encoding="utf-8")
        for args in commands:
            cli(*args, "--plan", str(path), "--as-of", "2023-10-25")
        return path.read_text(encoding="utf-8")

    ours = edited(["mark", "14", "done", "--note", "甲", "--date", "2023-10-20"])
    theirs = edited(
        ["mark", "14.2", "blocked", "--note", "乙", "--date", "2023-10-21"],
        ["actual", "20", "85", "--date", "2023-10-21"],
    )
    plan = parse_plan(merge.merge_texts(TEXT, ours, theirs, name="p"), "p")
    assert [c.status for c in plan.tasks_by_id[14].clauses] == [Status.DONE, Status.BLOCKED]
    assert [e.value for e in plan.tasks_by_id[20].progress] == [85]


def test_a_missing_version_is_named_not_a_crash(cli: Invoke, tmp_path: Path) -> None:
    err = cli("merge-driver", str(tmp_path / "o"), str(tmp_path / "a"), str(tmp_path / "b"), code=1)
    assert f"{tmp_path / 'o'}: 找不到计划文件" in err.stderr and "内部错误" not in err.stderr


def test_a_late_entry_keeps_its_recorded_day_through_the_driver() -> None:
    def logged(note: str, recorded: str) -> str:
        entry = f"          - date: 2023-10-19\n            note: {note}\n"
        entry += f"            recorded: {recorded}\n" if recorded else ""
        return TEXT.replace(
            "        phases: [安排部署", f"        progress:\n{entry}        phases: [安排部署"
        )

    merged = merge.merge_texts(TEXT, logged("补记的", "2024-01-05"), logged("当天的", ""), name="p")
    entries = parse_plan(merged, "p").tasks_by_id[13].progress
    assert {(e.note, str(e.recorded)) for e in entries} == {
        ("补记的", "2024-01-05"),
        ("当天的", "None"),
    }


def test_git_setup_makes_the_driver_work_with_plantrack_off_the_path(
    repo: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_offices(repo, cli)
    monkeypatch.chdir(repo)
    cli("git-setup")
    cli("git-setup")  # twice: one line in .gitattributes
    assert (repo / ".gitattributes").read_text().count("merge=plantrack") == 1
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-qm", "登记驱动")
    # A GUI client or a shell without the venv: nothing of plantrack's on PATH.
    bare = {**os.environ, "PATH": "/usr/bin:/bin"}
    merged = subprocess.run(
        ["git", "-C", str(repo), "merge", "-q", "b", "-m", "合并"],
        capture_output=True, text=True, env=bare, check=False,
    )  # fmt: skip
    assert merged.returncode == 0, merged.stdout + merged.stderr
    plan = parse_plan((repo / "plans" / "2023.yaml").read_text(encoding="utf-8"), "p")
    assert [e.note for e in plan.tasks_by_id[13].progress] == ["法规科：已报送", "执法支队：已自查"]


def test_check_refuses_a_plan_git_left_unmerged(
    repo: Path, cli: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_offices(repo, cli)
    # A driver git cannot run: the file stays as one side, with no conflict markers.
    git(repo, "config", "merge.plantrack.driver", "plantrack-not-installed merge-driver %O %A %B")
    (repo / ".git" / "info" / "attributes").write_text("plans/*.yaml merge=plantrack\n")
    assert git(repo, "merge", "-q", "b", "-m", "合并", check=False).returncode != 0
    plan = repo / "plans" / "2023.yaml"
    assert "<<<<<<<" not in plan.read_text(encoding="utf-8")
    err = cli("check", str(plan), "--as-of", "2023-10-20", code=1).stderr
    assert f"{plan}:1:1: git 的合并还没有完成" in err and "plantrack git-setup" in err
    git(repo, "merge", "--abort")
    assert "没有发现问题" in cli("check", str(plan), "--as-of", "2023-10-20").stdout
