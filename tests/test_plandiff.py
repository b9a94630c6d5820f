"""The change between two plan versions in the plan's terms, from files or from git."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import PLAN_2023, PLANTRACK, Invoke, git, plan_repository
from plantrack.gitops import plandiff
from plantrack.planfile.load import parse_plan

TEXT = PLAN_2023.read_text(encoding="utf-8")


def version(text: str, label: str) -> plandiff.Version:
    return plandiff.Version(label, parse_plan(text, label))


def changes(*edits: tuple[str, str]) -> list[plandiff.Change]:
    """The changes found after applying each (old, new) text replacement once."""
    new = TEXT
    for old, replacement in edits:
        assert new.count(old) == 1, old
        new = new.replace(old, replacement)
    return plandiff.compare(version(TEXT, "旧"), version(new, "新")).changes


T13_STATUS = "            responsible: [局属各单位, 局机关各科室]\n            status: 未开始\n        phases"
T13_LOG = "        progress:\n          - date: 2023-10-20\n            note: 已完成阶段性任务\n            by: 张三\n"


def test_nothing_changed_says_so() -> None:
    found = plandiff.compare(version(TEXT, "a"), version(TEXT, "b"))
    assert found.changes == [] and "没有变化" in found.markdown()


def test_a_task_status_change() -> None:
    found = changes((T13_STATUS, T13_STATUS.replace("未开始", "已完成")))
    assert [(c.kind, c.task, c.clause, c.before, c.after) for c in found] == [
        ("status", 13, None, "未开始", "已完成")
    ]
    assert plandiff.describe(found[0]) == "状态：未开始 → 已完成"


def test_a_clause_status_is_named_by_its_clause() -> None:
    lines = TEXT.splitlines(keepends=True)
    start = lines.index("      - id: 7\n")
    at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("status:"))
    nth = sum(1 for line in lines[start:at] if line.strip().startswith("- text:"))
    edited = "".join(
        [*lines[:at], lines[at].replace(lines[at].split(": ")[1], "受阻\n"), *lines[at + 1 :]]
    )
    found = plandiff.compare(version(TEXT, "a"), version(edited, "b")).changes
    assert [(c.kind, c.task, c.clause, c.after) for c in found] == [("status", 7, nth, "受阻")]
    assert plandiff.describe(found[0]).startswith(f"7.{nth} 状态：")


def test_progress_added_and_removed_with_office_date_and_note() -> None:
    added = changes(
        (
            T13_STATUS + ": [",
            T13_STATUS.replace("\n        phases", "\n" + T13_LOG + "        phases") + ": [",
        )
    )
    assert [(c.kind, c.after) for c in added] == [
        ("progress-added", "2023-10-20 已完成阶段性任务（张三）")
    ]
    with_log = TEXT.replace(
        T13_STATUS, T13_STATUS.replace("\n        phases", "\n" + T13_LOG + "        phases")
    )
    removed = plandiff.compare(version(with_log, "a"), version(TEXT, "b")).changes
    assert [(c.kind, c.before) for c in removed] == [
        ("progress-removed", "2023-10-20 已完成阶段性任务（张三）")
    ]


def test_dates_targets_units_titles_and_tasks() -> None:
    found = changes(
        ("date: 2023-10-31", "date: 2023-11-15"),
        ("            value: 80\n", "            value: 85\n"),
        ("        title: 统筹推进专项整治工作\n", "        title: 统筹推进专项整治工作（调整）\n"),
        (
            "            assignment: 牵头单位：局法规科，责任单位和科室：局属各单位、局机关各科室\n"
            "            lead: [局法规科]\n            responsible: [局属各单位, 局机关各科室]\n",
            "            assignment: 牵头单位：局法规科、局办公室，责任单位和科室：局属各单位、局机关各科室\n"
            "            lead: [局法规科, 局办公室]\n            responsible: [局属各单位, 局机关各科室]\n",
        ),
    )  # fmt: skip
    kinds = {(c.kind, c.task, c.what, c.before, c.after) for c in found}
    assert ("title", 13, "标题", "统筹推进专项整治工作", "统筹推进专项整治工作（调整）") in kinds
    assert ("units", 13, "牵头单位", "局法规科", "局法规科、局办公室") in kinds
    assert (
        "deadline-changed",
        13,
        "时限",
        "2023-10-31 完成阶段性专项整治任务",
        "2023-11-15 完成阶段性专项整治任务",
    ) in kinds
    assert any(
        k[0] == "target-changed" and k[1] == 20 and "80" in str(k[3]) and "85" in str(k[4])
        for k in kinds
    )
    assert ("assignment", 13, "原文分工") in {k[:3] for k in kinds}
    assert len(found) == 5


def test_tasks_added_and_removed() -> None:
    plan = parse_plan(TEXT, "p")
    last = plan.tasks[-1]
    start = TEXT.index(f"      - id: {last.id}\n")
    without = TEXT[:start]  # the last task is the last thing in the file
    found = plandiff.compare(version(TEXT, "a"), version(without, "b")).changes
    assert [(c.kind, c.task, c.before) for c in found] == [("task-removed", last.id, last.title)]
    back = plandiff.compare(version(without, "a"), version(TEXT, "b")).changes
    assert [(c.kind, c.task, c.after) for c in back] == [("task-added", last.id, last.title)]


def marked_13_in_git(cli: Invoke, folder: Path, *, new: bool = True) -> Path:
    """The plan in a repository (new, or the one there), task 13 marked done and committed."""
    if new:
        plan_repository(folder, TEXT)
    plan = folder / "plans" / "2023.yaml"
    cli(
        "mark",
        "13",
        "done",
        "--note",
        "阶段性任务完成",
        "--plan",
        str(plan),
        "--as-of",
        "2023-10-20",
    )
    git(folder, "commit", "-qam", "mark")
    return plan


def test_diff_of_the_last_commit_after_mark_is_one_status_and_one_entry(
    cli: Invoke, tmp_path: Path
) -> None:
    plan = marked_13_in_git(cli, tmp_path)
    out = cli("diff", "HEAD~1", "HEAD", "--plan", str(plan)).stdout
    assert out.splitlines()[2:] == [
        "**任务 13 统筹推进专项整治工作**",
        "",
        "- 状态：未开始 → 已完成",
        "- 新增进展：2023-10-20 已完成 阶段性任务完成（测试员）",
    ]
    record = json.loads(cli("diff", "HEAD~1", "--plan", str(plan), "--json").stdout)
    assert [c["kind"] for c in record["changes"]] == ["status", "progress-added"]
    assert "没有变化" in cli("diff", "--plan", str(plan)).stdout  # HEAD against the file
    err = cli("diff", "nosuch", "--plan", str(plan), code=2).stderr
    assert "git show nosuch:plans/2023.yaml 失败" in err


def test_textconv_writes_one_fact_per_line_and_passes_anything_else_through(
    cli: Invoke, tmp_path: Path
) -> None:
    out = cli("textconv", str(PLAN_2023)).stdout
    assert "任务 13 统筹推进专项整治工作\n  13 状态 未开始\n  13 牵头单位 局法规科\n" in out
    broken = tmp_path / "broken.yaml"
    broken.write_bytes(b"<<<<<<< HEAD\nx: [\n")
    assert cli("textconv", str(broken)).stdout == "<<<<<<< HEAD\nx: [\n"


def test_git_log_reads_as_plan_changes_with_the_textconv_driver(
    cli: Invoke, tmp_path: Path
) -> None:
    plan_repository(tmp_path, TEXT)
    git(tmp_path, "config", "diff.plantrack.textconv", f"{PLANTRACK} textconv")
    (tmp_path / ".gitattributes").write_text("plans/*.yaml diff=plantrack\n", encoding="utf-8")
    marked_13_in_git(cli, tmp_path, new=False)
    changed = [
        line
        for line in git(tmp_path, "log", "-p", "-1", "plans/2023.yaml").stdout.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert changed == [
        "-  13 状态 未开始",
        "+  13 状态 已完成",
        "+  进展 2023-10-20 已完成 阶段性任务完成（测试员）",
    ]


def test_outside_a_repository_two_files_are_asked_for(cli: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "2023.yaml"
    plan.write_text(TEXT, encoding="utf-8")
    err = cli(
        "diff", "--plan", str(plan), code=2, env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}
    ).stderr
    assert "不在 git 仓库中：请给出两个计划文件" in err
    assert "没有变化" in cli("diff", str(PLAN_2023), str(plan), "--plan", str(plan)).stdout


def test_a_clause_added_to_a_task() -> None:
    clause = "          - text: 新增的一段分工。\n            lead: [局法规科]\n            status: 未开始\n"
    found = changes((T13_STATUS, T13_STATUS.replace("        phases", clause + "        phases")))
    assert [(c.kind, c.task, c.clause, c.after) for c in found] == [
        ("clause-added", 13, 2, "新增的一段分工。")
    ]


def test_a_revision_is_never_passed_to_git_as_an_option(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = plan_repository(tmp_path, PLAN_2023.read_text(encoding="utf-8"))
    monkeypatch.chdir(repo)
    err = cli("diff", "--", "--output=pwn:x", "HEAD", code=2).stderr
    assert "不是 git 版本" in err
    assert not list(repo.glob("pwn*"))


def test_a_diff_against_an_invalid_version_says_why_and_shows_the_text_diff(
    cli: Invoke, tmp_path: Path
) -> None:
    plan = marked_13_in_git(cli, tmp_path)
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("status: 已完成", "status: 已完成了", 1), encoding="utf-8")
    result = cli("diff", "--plan", str(plan), code=1)
    out = result.stdout
    assert out.startswith("### 计划变化：HEAD:plans/2023.yaml → ")
    assert "不是有效的计划（1 个问题），无法逐项比较：" in out
    assert "status 的值“已完成了”无效" in out
    assert "```diff\n" in out and re.search(r"\n-( +)status: 已完成\n\+\1status: 已完成了\n", out)
    record = json.loads(cli("diff", "--plan", str(plan), "--json", code=1).stdout)
    assert record["changes"] is None and record["invalid"][0]["version"] == str(plan)


def test_keeps_progress_names_the_entries_a_merge_commit_dropped(
    cli: Invoke, tmp_path: Path
) -> None:
    plan = plan_repository(tmp_path, TEXT) / "plans" / "2023.yaml"
    at = ["--plan", str(plan), "--as-of", "2023-10-20"]
    git(tmp_path, "checkout", "-qb", "zhifa")
    cli("log", "16", "开展执法检查", "--by", "执法支队", *at)
    git(tmp_path, "commit", "-qam", "执法支队的进展")
    git(tmp_path, "checkout", "-q", "-")
    cli("log", "13", "阶段性任务完成", "--by", "法规科", *at)
    git(tmp_path, "commit", "-qam", "法规科的进展")
    git(tmp_path, "merge", "-q", "-s", "ours", "--no-edit", "zhifa")  # keeps our file only
    result = cli("diff", "zhifa", "HEAD", "--keeps-progress", "--plan", str(plan), code=1)
    assert "丢掉了 zhifa:plans/2023.yaml 中的 1 条进展" in result.stderr
    assert "任务 16：2023-10-20 开展执法检查（执法支队）" in result.stderr
    cli("diff", "HEAD^1", "HEAD", "--keeps-progress", "--plan", str(plan))  # our side is whole
