"""Importing a plan from its published text: the 2023 document, variants, and an unseen one."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from documents import BRACKETS, LABELS, LAYOUTS
from helpers import DATA, SOURCE_TEXT, Invoke, bundled_plan
from plantrack.core.errors import UsageError
from plantrack.core.numerals import from_chinese
from plantrack.importer import convert as importer
from plantrack.importer.sources import text_blocks
from plantrack.planfile.load import parse_plan

DOCS = DATA / "docs"


def import_text(text: str, *, year: int | None = None) -> tuple[str, list[importer.Note]]:
    """A document's text imported as a plan, with the notes on what needs a person's look."""
    imported = importer.import_blocks(text_blocks(text), source=Path("<text>"), year=year)
    return imported.text, imported.notes


def _shape(tasks: list[dict[str, Any]]) -> list[object]:
    """What the import must reproduce: id, section, title, clause count, lead/responsible."""
    return [
        (
            t["id"],
            t["section"],
            t["title"],
            len(t["clauses"]),
            [(c["lead"], c["responsible"]) for c in t["clauses"]],
        )
        for t in tasks
    ]


def test_import_of_2023_text_matches_the_hand_made_plan(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    result = cli("import", str(SOURCE_TEXT), "--year", "2023", "-o", str(out))
    plan = bundled_plan()
    clauses = sum(len(task.clauses) for task in plan.tasks)
    leads = sum(1 for task in plan.tasks if task.lead_units)
    # Nothing in the real document needs a look: the summary alone follows.
    assert result.stderr == (
        f"已写入 {out}\n共读取 9 个部分、26 项任务、{clauses} 条分工；"
        f"有牵头单位的任务 {leads} 项，没有的 {26 - leads} 项；找到时限 4 处。"
        "年度 2023 由 --year 指定。\n"
    )
    assert "没有发现问题" in cli("check", "--plan", str(out)).stdout
    imported = json.loads(cli("tasks", "--json", "--plan", str(out)).stdout)
    bundled = json.loads(cli("tasks", "--json").stdout)
    assert _shape(imported) == _shape(bundled)


def test_import_of_2023_text_keeps_its_dates_and_targets() -> None:
    text, notes = import_text(SOURCE_TEXT.read_text(encoding="utf-8"), year=2023)
    plan = parse_plan(text, "p.yaml")
    assert notes == []
    dates = {
        t.id: sorted(str(d.date or d.every) for d in t.deadlines) for t in plan.tasks if t.deadlines
    }
    assert dates == {13: ["2023-10-31"], 25: ["2023-12-04"], 26: ["2023-11-20", "quarter"]}
    [target] = plan.tasks_by_id[20].targets
    assert (target.name, target.value, target.unit) == ("行政机关负责人出庭应诉率", 80, "%")


Variants = tuple[dict[int, dict[str, Any]], list[importer.Note]]


@pytest.fixture(scope="module")
def variants() -> Variants:
    text, notes = import_text((DOCS / "variants.txt").read_text(encoding="utf-8"))
    plan = parse_plan(text, "v.yaml")
    return {t.id: t.model_dump() for t in plan.tasks}, notes


def _clause(tasks: dict[int, dict[str, Any]], task_id: int, index: int = 0) -> dict[str, Any]:
    found: dict[str, Any] = tasks[task_id]["clauses"][index]
    return found


def test_half_width_brackets_colons_and_commas(variants: Variants) -> None:
    clause = _clause(variants[0], 1)
    assert clause["lead"] == ["局政策法规股"]
    assert clause["responsible"] == ["局办公室", "局综合股"]  # 综合股 written in full


def test_hexagonal_brackets_groups_and_supporting_units(variants: Variants) -> None:
    clause = _clause(variants[0], 2)
    assert clause["assignment"] == "牵头科室：局政策法规股；配合单位：县交通执法大队"
    assert (clause["lead"], clause["support"]) == (["局政策法规股"], ["县交通执法大队"])


def test_assignment_on_its_own_line(variants: Variants) -> None:
    clause = _clause(variants[0], 3)
    assert clause["text"] == "重大行政决策事项实行目录管理，6月底前公布年度目录。"
    assert (clause["lead"], clause["responsible"]) == (["局办公室"], ["局属各单位"])


def test_a_unit_is_registered_without_the_brackets_of_its_second_name(variants: Variants) -> None:
    clause = _clause(variants[0], 4)
    # No unit name holds a bracket; the name as written is the unit's alias (check reads it).
    assert clause["support"] == ["市交通委"]
    assert clause["text"] == "配合市交通委（市道路运输管理局）开展法治调研，年底前完成。"


def test_task_without_assignment_is_kept_and_reported(variants: Variants) -> None:
    tasks, notes = variants
    clause = _clause(tasks, 6)
    assert clause["unassigned"] is True and clause["text"] == "组织“12·4”国家宪法日宣传活动。"
    assert [(n.line, n.message) for n in notes] == [
        (14, "任务 6 有一段文字没有分工括注：已标记 unassigned: true，请补充单位")
    ]


def test_sub_sections(variants: Variants) -> None:
    tasks, _ = variants
    assert [tasks[i]["subsection"] for i in (1, 2, 3, 4, 5)] == [
        "（一）加强规范性文件管理",
        "（一）加强规范性文件管理",
        "（二）推进重大决策",
        "（二）推进重大决策",
        None,
    ]


def test_dates_rules_and_targets_from_variants(variants: Variants) -> None:
    tasks, _ = variants
    assert [d["date"] for d in tasks[3]["deadlines"]] == [dt.date(2024, 6, 30)]
    assert tasks[5]["deadlines"][0]["every"] == "half-year"
    assert tasks[5]["targets"][0]["value"] == 95


def test_unseen_document_imports_and_names_every_doubt(cli: Invoke, tmp_path: Path) -> None:
    doc = DOCS / "2024-other-city.txt"
    out = tmp_path / "2024.yaml"
    result = cli("import", str(doc), "-o", str(out))
    assert result.stderr.splitlines() == [
        f"{doc}:14: “— 2 —”看起来是页码，已略去",
        # The closing paragraph after the last task's assignment is the document's own.
        f"{doc}:21: “各单位要结合实际抓好落实，重要情况及时报告”是结尾的文字或落款，不是任务，已略去",
        f"已写入 {out}",
        "共读取 3 个部分、7 项任务、7 条分工；有牵头单位的任务 6 项，没有的 1 项；找到时限 4 处。"
        "年度 2024 取自标题。",
        "共 2 处需要人工核对（见上）。",
    ]
    plan = parse_plan(out.read_text(encoding="utf-8"), str(out))
    assert plan.year == 2024 and len(plan.tasks) == 7
    assert plan.tasks_by_id[4].clauses[0].responsible == [
        "信息中心"
    ]  # assignment after a blank line
    assert "各单位要结合实际" not in plan.tasks_by_id[7].text  # the closing words stay out


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (
            "10 月 31 日之前完成阶段性专项整治任务。",
            [("date", "2023-10-31", "完成阶段性专项整治任务")],
        ),
        ("11月20 日前，将年度报告报市局。", [("date", "2023-11-20", "将年度报告报市局")]),
        ("开展“12·4”国家宪法日活动。", [("date", "2023-12-04", "开展“12·4”国家宪法日活动")]),
        ("6月底前公布目录。", [("date", "2023-06-30", "公布目录")]),
        ("年底前完成清理。", [("date", "2023-12-31", "完成清理")]),
        ("每季度报送1篇。", [("every", "quarter", "报送1篇")]),
        ("2月30日前完成。", []),
    ],
)
def test_find_deadlines(text: str, found: list[tuple[str, str, str]]) -> None:
    deadlines = importer.find_deadlines(text, 2023)
    kinds = [(k, d[k], d["label"]) for d in deadlines for k in ("date", "every") if k in d]
    assert kinds == found


def test_find_targets() -> None:
    [target] = importer.find_targets("坚持出庭出声，行政机关负责人出庭应诉率不低于80%，自觉履行。")
    assert (target["name"], target["value"], target["unit"]) == (
        "行政机关负责人出庭应诉率",
        "80",
        "%",
    )


@pytest.mark.parametrize(
    ("numeral", "number"),
    [("一", 1), ("九", 9), ("十", 10), ("十二", 12), ("二十", 20), ("二十三", 23)],
)
def test_section_numerals(numeral: str, number: int) -> None:
    assert from_chinese(numeral) == number


def test_import_refuses_to_overwrite(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "p.yaml"
    out.write_text("# 已有的计划\n", encoding="utf-8")
    result = cli("import", str(SOURCE_TEXT), "-o", str(out), code=2)
    assert "已存在" in result.stderr and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "# 已有的计划\n"


def test_import_never_replaces_its_own_source_even_with_force(cli: Invoke, tmp_path: Path) -> None:
    source = tmp_path / "要点.txt"
    source.write_bytes(SOURCE_TEXT.read_bytes())
    result = cli("import", str(source), "-o", str(source), "--force", code=2)
    assert "就是读取的文件本身" in result.stderr
    assert source.read_bytes() == SOURCE_TEXT.read_bytes()


def test_import_never_replaces_a_plan_holding_progress(cli: Invoke, plan_copy: Path) -> None:
    cli("log", "13", "已报送第一批", "--plan", str(plan_copy), "--as-of", "2023-05-10")
    cli("mark", "26", "done", "--plan", str(plan_copy), "--as-of", "2023-11-15")
    before = plan_copy.read_bytes()
    result = cli(
        "import", str(SOURCE_TEXT), "--year", "2023", "-o", str(plan_copy), "--force", code=2
    )
    assert "是一份记有 2 条进展的计划" in result.stderr and "--force 也不行" in result.stderr
    assert f"-o {plan_copy.with_name('2023-新.yaml')}" in result.stderr
    assert plan_copy.read_bytes() == before
    fresh = plan_copy.with_name("导入.yaml")  # an earlier import, with no progress yet
    cli("import", str(SOURCE_TEXT), "--year", "2023", "-o", str(fresh))
    cli("import", str(SOURCE_TEXT), "--year", "2023", "-o", str(fresh), "--force")


def test_import_reads_gbk_and_refuses_non_plans(cli: Invoke, tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes((DOCS / "variants.txt").read_text(encoding="utf-8").encode("gbk"))
    assert "title: 某县交通运输局2024年依法行政工作要点" in cli("import", str(gbk)).stdout
    prose = tmp_path / "prose.txt"
    prose.write_text("这是一篇普通的文章。\n没有部分标题。\n", encoding="utf-8")
    assert "没有找到“一、……”这样的部分标题" in cli("import", str(prose), code=2).stderr
    undated = tmp_path / "undated.txt"
    undated.write_text("工作要点\n一、总体\n1.做好工作。（牵头单位：局办公室）\n", encoding="utf-8")
    assert "--year" in cli("import", str(undated), code=2).stderr


# --- never a plan `check` rejects -----------------------------------------------------------


def _mangled(text: str, every: int = 1) -> Iterator[tuple[str, str]]:
    """The text with a line dropped, doubled, swapped or cut short, and a few global slips."""
    lines = text.splitlines()
    for i in range(0, len(lines), every):
        yield f"drop {i + 1}", "\n".join(lines[:i] + lines[i + 1 :])
        yield f"double {i + 1}", "\n".join(lines[: i + 1] + lines[i:])
        yield (
            f"swap {i + 1}",
            "\n".join(lines[:i] + lines[i + 1 : i + 2] + lines[i : i + 1] + lines[i + 2 :]),
        )
        yield f"cut {i + 1}", "\n".join([*lines[:i], lines[i][: len(lines[i]) // 2]])
    yield "half-width", text.translate(str.maketrans("（），：；。、", "(),:;.,"))
    yield "no full stops", text.replace("。", "")
    yield "no brackets", text.replace("（", "").replace("）", "")
    yield "one line", text.replace("\n", "")
    yield "yaml in names", text.replace("局", "局: [x] #")
    yield "quotes", text.replace("单位", "'单位\"")
    yield "blank lines", text.replace("\n", "\n\n \u3000\n")


def _all_documents() -> dict[str, str]:
    texts = {layout.name: layout.text() for layout in LAYOUTS}
    texts["2023"] = SOURCE_TEXT.read_text(encoding="utf-8")
    texts.update({p.stem: p.read_text(encoding="utf-8") for p in DOCS.glob("*.txt")})
    return texts


def test_no_import_of_any_document_or_mangled_copy_gives_a_plan_check_rejects() -> None:
    outcomes: Counter[str] = Counter()
    for name, text in _all_documents().items():
        # Every line of the small documents; every fourth of the long 2023 one.
        every = 4 if name == "2023" else 1
        for slip, mangled in [("as written", text), *_mangled(text, every)]:
            try:
                imported = importer.import_blocks(
                    text_blocks(mangled), source=Path(f"{name}.txt"), year=2024
                )
            except UsageError:
                outcomes["not a plan"] += 1  # exit 2: no sections and no tasks at all
                continue
            if imported.refused:
                assert all(p.line >= 1 for p in imported.problems), (name, slip)
                outcomes["refused"] += 1
                continue
            # What the import would write passes every rule `check` applies.
            parse_plan(imported.text, f"{name} ({slip})")
            outcomes["written"] += 1
    # Most slips still leave a plan; the rest (a document cut to its title, every
    # assignment gone) are refused with a reason, never written half-valid.
    assert outcomes["written"] >= 0.85 * sum(outcomes.values()), outcomes


@pytest.mark.parametrize("slip", ["drop 3", "double 5", "swap 6", "cut 8", "half-width"])
def test_a_mangled_document_written_as_a_plan_passes_check(
    cli: Invoke, tmp_path: Path, slip: str
) -> None:
    document = tmp_path / "doc.txt"
    document.write_text(dict(_mangled(BRACKETS.text()))[slip], encoding="utf-8")
    out = tmp_path / "plan.yaml"
    cli("import", str(document), "-o", str(out))
    assert "没有发现问题" in cli("check", "--plan", str(out)).stdout


def test_a_document_with_no_assignment_exits_1_with_its_line(cli: Invoke, tmp_path: Path) -> None:
    document = tmp_path / "bare.txt"
    document.write_text("2024年工作要点\n一、总体\n1.做好工作。\n2.抓好落实。\n", encoding="utf-8")
    out = tmp_path / "plan.yaml"
    result = cli("import", str(document), "-o", str(out), code=1)
    assert f"{document}:3: 无法生成有效的计划：没有一项任务写明了牵头或责任单位" in result.stderr
    assert "未写入任何文件" in result.stderr and not out.exists()


def test_strict_turns_any_doubt_into_an_error(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    doc = DOCS / "2024-other-city.txt"
    result = cli("import", str(doc), "--strict", "-o", str(out), code=1)
    assert "--strict 要求没有需要人工核对之处" in result.stderr and not out.exists()
    cli("import", str(SOURCE_TEXT), "--year", "2023", "--strict", "-o", str(out))
    assert out.exists()


def test_dry_run_prints_the_outline_and_writes_nothing(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "plan.yaml"
    result = cli("import", str(DOCS / "2024-other-city.txt"), "--dry-run", "-o", str(out))
    assert not out.exists()
    assert result.stdout.splitlines()[:4] == [
        "XX市交通运输局2024年法治政府建设工作要点",
        "一、加强党对法治建设的领导",
        "  1. 落实第一责任人职责  牵头：法规处",
        "  2. 组织学习培训  牵头：人事处、法规处",
    ]
    assert "  5. 开展“双随机、一公开”抽查  牵头：（未写明）" in result.stdout
    assert "共读取 3 个部分、7 项任务" in result.stderr


def test_the_format_is_told_by_content_not_by_name(cli: Invoke, tmp_path: Path) -> None:
    disguised = LABELS.docx(tmp_path / "分工方案.txt")  # a Word file saved with a .txt name
    result = cli("import", str(disguised))
    assert "title: XX区2024年重点工作任务分工方案" in result.stdout


def test_a_scanned_pdf_is_refused_with_a_pointer_to_ocr(cli: Invoke, tmp_path: Path) -> None:
    from PIL import Image

    scanned = tmp_path / "扫描件.pdf"
    Image.new("RGB", (200, 280), "white").save(scanned)
    result = cli("import", str(scanned), code=2)
    assert "没有文字层" in result.stderr and "OCR" in result.stderr


def test_a_bracketed_remark_about_a_person_is_never_part_of_a_unit(
    cli: Invoke, tmp_path: Path
) -> None:
    source = tmp_path / "要点.txt"
    source.write_text(
        "2024年法治工作要点\n一、总体要求\n1.开展专项工作。\n"
        "牵头单位：局法规科（牵头领导：王副局长）\n"
        "责任单位：局办公室（联系人：张三）、局财审科\n",
        encoding="utf-8",
    )
    out = tmp_path / "2024.yaml"
    cli("import", str(source), "--strict", "-o", str(out))
    text = out.read_text(encoding="utf-8")
    assert "lead: [局法规科]" in text and "responsible: [局办公室, 局财审科]" in text
    assert "（牵头领导：王副局长）" in text  # the assignment as written, kept whole
    assert "name: 局法规科（" not in text and "name: 局办公室（" not in text
    cli("check", str(out))


def test_a_remark_without_its_colon_is_flagged_and_a_second_name_is_kept(
    cli: Invoke, tmp_path: Path
) -> None:
    source = tmp_path / "要点.txt"
    source.write_text(
        "2024年法治工作要点\n一、总体要求\n"
        "1.开展专项工作。（牵头单位：局法规科（牵头领导王副局长）；责任单位：局办公室）\n"
        "2.做好宣传。（牵头单位：市交通委（市道路运输管理局））\n",
        encoding="utf-8",
    )
    err = cli("import", str(source), "--strict", "-o", str(tmp_path / "p.yaml"), code=1).stderr
    assert f"{source}:3: 单位名称“局法规科（牵头领导王副局长）”的括号里像是关于人的说明" in err
    assert "市道路运输管理局" not in err  # the unit's second name: not a doubt
