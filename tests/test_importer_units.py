"""Units that are the plan's units: a new plan's names mapped onto last year's registry."""

from __future__ import annotations

import shutil
from pathlib import Path

from helpers import PLAN_2023, Invoke
from plantrack.planfile.load import load_plan

DOC_2024 = """2024年交通法治工作要点
一、制度建设
1.清理规范性文件。年底前完成。（牵头单位：法规科（牵头领导：王副局长），责任单位：执法支队、办公室、信息中心）
2.开展执法检查。（牵头单位：区交通执法支队，配合单位：铁路科）
二、普法
3.开展宪法宣传。（牵头单位：法规科，责任单位：局属各单位）
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "plans").mkdir()
    shutil.copy(PLAN_2023, tmp_path / "plans" / "2023.yaml")
    (tmp_path / "2024.txt").write_text(DOC_2024, encoding="utf-8")
    return tmp_path


def test_names_are_mapped_onto_last_years_plan_beside_the_output(
    cli: Invoke, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    out = folder / "plans" / "2024.yaml"
    result = cli("import", str(folder / "2024.txt"), "-o", str(out))
    plan = load_plan(out).plan
    names = [unit.name for unit in plan.units]
    assert names == ["局法规科", "区交通执法支队", "局办公室", "信息中心", "局铁路民航科"]
    assert not any("（" in name or "(" in name for name in names)  # no remark in a name
    first = plan.tasks_by_id[1].clauses[0]
    assert first.lead == ["局法规科"] and first.responsible == [
        "区交通执法支队",
        "局办公室",
        "信息中心",
    ]
    text = out.read_text(encoding="utf-8")
    assert "  - name: 局法规科\n    group: 局机关\n" in text  # last year's group, not a guess
    said = result.stderr
    assert "“信息中心”是新单位（登记的单位中没有它），请核对" in said
    assert "“铁路科”按推测对应已登记的“局铁路民航科”，请核对" in said
    assert (
        f"单位已按 {folder / 'plans' / '2023.yaml'} 登记的单位核对；新单位 1 个：信息中心。" in said
    )
    assert "“执法支队”按推测" not in said  # a registered alias is no guess
    both = cli("tasks", "--dept", "执法支队", "--plan", str(out)).stdout
    assert both.count("\n") == 3  # the header and tasks 1 and 2: one unit, not two


def test_units_from_names_the_registry_and_strict_fails_on_a_guess(
    cli: Invoke, tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    registry = folder / "plans" / "2023.yaml"
    out = folder / "elsewhere" / "2024.yaml"
    out.parent.mkdir()
    cli("import", str(folder / "2024.txt"), "--units-from", str(registry), "-o", str(out))
    assert load_plan(out).plan.units[0].name == "局法规科"
    refused = cli(
        "import", str(folder / "2024.txt"), "--units-from", str(registry), "--strict",
        "-o", str(folder / "elsewhere" / "strict.yaml"), code=1,
    )  # fmt: skip
    assert "未写入任何文件" in refused.stderr


def test_without_a_registry_a_short_name_is_the_unit_written_in_full(
    cli: Invoke, tmp_path: Path
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(DOC_2024, encoding="utf-8")
    out = tmp_path / "out.yaml"  # no plan beside it
    result = cli("import", str(doc), "-o", str(out))
    names = [unit.name for unit in load_plan(out).plan.units]
    assert "执法支队" not in names and "区交通执法支队" in names
    assert "“执法支队”按推测即原文另处写的“区交通执法支队”，已作为同一单位，请核对" in result.stderr
    assert "单位已按" not in result.stderr


def test_a_draft_is_written_with_each_missing_unit_marked_and_check_refuses_it(
    cli: Invoke, tmp_path: Path
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text(
        "2024年某局工作要点\n一、依法行政\n1.完善制度建设。制定三项制度。\n"
        "2.加强执法监督。开展专项检查。（牵头单位：局法规科）\n",
        encoding="utf-8",
    )
    out = tmp_path / "draft.yaml"
    plain = cli("import", str(doc), "-o", str(tmp_path / "plain.yaml"))
    assert "unassigned: true" in (tmp_path / "plain.yaml").read_text(encoding="utf-8")
    assert "已标记 unassigned: true" in plain.stderr  # without --draft, as before
    drafted = cli("import", str(doc), "-o", str(out), "--draft")
    assert f"{doc}:3: 任务 1 有一段文字没有分工括注：草稿中填了“〔待填写〕”" in drafted.stderr
    assert "这是草稿：plantrack check 会指出上面 1 处" in drafted.stderr
    assert "lead: [〔待填写〕]" in out.read_text(encoding="utf-8")
    refused = cli("check", str(out), code=1).output
    assert "这里还没有填写单位（导入草稿留下的“〔待填写〕”）" in refused


def test_a_document_with_no_assignment_refuses_unless_a_draft_is_asked_for(
    cli: Invoke, tmp_path: Path
) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("2024年某局工作要点\n一、依法行政\n1.完善制度建设。制定三项制度。\n", "utf-8")
    out = tmp_path / "out.yaml"
    assert "未写入任何文件" in cli("import", str(doc), "-o", str(out), code=1).stderr
    assert not out.exists()
    cli("import", str(doc), "-o", str(out), "--draft")
    assert "units 不能为空" in cli("check", str(out), code=1).output
