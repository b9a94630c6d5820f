"""Reading structure: which numbering carries the tasks, and numbers that mislead."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from plantrack.core.errors import UsageError
from plantrack.importer.document import Note
from plantrack.importer.numbering import Numbers, task_style
from plantrack.importer.sources import text_blocks
from plantrack.importer.structure import read_structure


@pytest.mark.parametrize(
    ("text", "style"),
    [
        ("一、甲\n（一）小节\n1.任务。（牵头单位：A）\n2.任务。（牵头单位：B）", "arabic"),
        ("一、甲\n（一）任务。（A牵头）\n1.细项；\n2.细项。\n（二）任务。（B牵头）", "paren_cn"),
        ("一、甲\n(1)任务。\n①细项；\n②细项。\n（牵头科室：A）", "paren_num"),
        ("一、甲\n1.任务。\n牵头单位：A\n2.任务。\n牵头单位：B", "arabic"),
        ("一、做好工作（牵头单位：A）\n二、抓好落实（牵头单位：B）", "section"),
        ("一、甲\n1.任务。\n2.任务。", "arabic"),  # no assignment anywhere: the usual level
    ],
)
def test_task_style_is_the_numbering_that_carries_assignments(text: str, style: str) -> None:
    assert task_style(text_blocks(text)) == style


def test_numbers_that_skip_repeat_restart_or_fuse_are_read_and_noted() -> None:
    notes: list[Note] = []
    numbers = Numbers("任务", notes)
    ids = [
        numbers.accept(1, 1),
        numbers.accept(2, 2),
        numbers.accept(4, 3),  # a gap: kept as 4
        numbers.accept(4, 4),  # a repeat: becomes 5
        numbers.accept(5, 5, fused=True, rest="121人才梯队项目"),  # due next: an item
        numbers.accept(9, 6, fused=True, rest="5%的增长"),  # not due: a number in text
        numbers.accept(110, 7),  # too far to be a skipped item
    ]
    assert ids == [1, 2, 4, 5, 6, None, None]
    assert [note.line for note in notes] == [3, 4, 5]


def test_numbering_that_restarts_in_each_section_is_made_unique_once_noted() -> None:
    notes: list[Note] = []
    numbers = Numbers("任务", notes)
    ids = [numbers.accept(1, 1), numbers.accept(2, 2)]
    numbers.parent_changed = True
    ids += [numbers.accept(1, 3), numbers.accept(2, 4)]
    numbers.parent_changed = True
    ids += [numbers.accept(1, 5)]
    assert ids == [1, 2, 3, 4, 5] and [note.line for note in notes] == [3]


def test_a_list_inside_an_item_stays_its_text() -> None:
    document = read_structure(
        text_blocks(
            "2024年要点\n一、甲\n1.任务一。\n2.任务二，包括：\n1.细项甲；\n2.细项乙。\n"
            "（牵头单位：A）\n3.任务三。（牵头单位：B）"
        ),
        year=None,
    )
    assert [task.id for task in document.tasks] == [1, 2, 3]
    assert "细项甲；2.细项乙。" in document.tasks[1].clauses[0].text


def test_items_with_no_parts_go_into_one_part_named_from_the_title() -> None:
    document = read_structure(
        text_blocks("2024年重点任务\n1.任务一。（牵头单位：A）\n2.任务二。（牵头单位：B）"),
        year=None,
    )
    assert [(s.number, s.title, len(s.tasks)) for s in document.sections] == [
        (1, "2024年重点任务", 2)
    ]
    assert "原文没有“一、……”这样的部分标题" in document.notes[0].message


def test_text_with_neither_parts_nor_items_is_not_a_plan() -> None:
    with pytest.raises(UsageError, match="不像工作要点"):
        read_structure(text_blocks("这是一篇普通的文章。\n没有编号。"), year=2024)


def test_labels_wrapped_by_a_page_rejoin_their_line(tmp_path: Path) -> None:
    document = read_structure(
        text_blocks(
            "2024年要点\n一、甲\n1.做好工作。\n责任单位:立山经济开发区,全区经济运行各\n专班"
        ),
        year=None,
    )
    assert document.tasks[0].clauses[0].roles == {
        "responsible": ["立山经济开发区", "全区经济运行各专班"]
    }


def test_a_completion_date_inside_the_assignment_is_a_date_not_a_unit() -> None:
    document = read_structure(
        text_blocks(
            "2024年要点\n一、甲\n1.编制规划。（牵头单位：A，配合单位：B；完成时限：2024年6月底）"
        ),
        year=None,
    )
    [task] = document.tasks
    assert task.clauses[0].roles == {"lead": ["A"], "support": ["B"]}
    assert task.due_text == "2024年6月底"


def test_a_signature_at_the_end_is_the_issuer_and_date_not_a_task() -> None:
    from documents import FRAMEWORK

    document = read_structure(text_blocks(FRAMEWORK.text()), year=None)
    assert (document.issuer, document.issued) == ("国务院办公厅", dt.date(2024, 3, 1))
    assert [task.id for task in document.tasks] == [4, 5]
    last = document.tasks[-1]
    assert "各地区要结合实际" not in last.body.text and "2024年3月1日" not in last.body.text
    assert document.sections[0].intro and "指导思想" in document.sections[0].intro[0]
    said = [note.message for note in document.notes]
    assert any("“指导思想”没有分工，是说明文字" in m for m in said)
    assert any("是结尾的文字或落款，不是任务" in m for m in said)


def test_the_lead_rule_stated_once_reaches_the_plan() -> None:
    from documents import DIVISION

    document = read_structure(text_blocks(DIVISION.text()), year=None)
    assert document.lead_rule == "列第一位者为牵头单位，下同"
    # A later bracket lists units alone: its first unit leads under the rule.
    assert document.tasks[3].clauses[0].roles["lead"] == ["国家开发银行"]


def test_a_document_that_assigns_nothing_keeps_its_items_as_tasks() -> None:
    document = read_structure(
        text_blocks("2024年要点\n一、总体要求\n1.指导思想。坚持。\n二、重点任务\n2.做好工作。"),
        year=None,
    )
    assert [task.id for task in document.tasks] == [1, 2]  # nothing to tell tasks from text


def test_the_year_comes_from_the_title_the_issue_date_or_the_number_never_the_body() -> None:
    body = "一、甲\n1.到2020年完成，落实国办发〔2016〕82号文件。（教育部负责）\n"
    signed = read_structure(text_blocks(f"重点任务分工方案\n{body}国务院\n2012年3月1日"), year=None)
    assert (signed.year, signed.year_source, signed.issuer) == (2012, "印发日期", "国务院")
    titled = read_structure(text_blocks(f"2024年重点任务分工方案\n{body}"), year=None)
    assert (titled.year, titled.year_source) == (2024, "标题")
    with pytest.raises(UsageError, match="无法判断计划的年度"):
        read_structure(text_blocks(f"重点任务分工方案\n{body}"), year=None)


def test_a_title_set_on_two_lines_is_joined() -> None:
    document = read_structure(
        text_blocks(
            "2024年推进城市公共交通高质量发展\n重点任务分工方案\n一、甲\n1.做好工作。（教育部负责）"
        ),
        year=None,
    )
    assert document.title == "2024年推进城市公共交通高质量发展重点任务分工方案"
    assert document.preamble == ""


def test_a_notice_that_opens_with_its_issuer_is_a_cover_not_the_title() -> None:
    from documents import PROVINCE_BARE

    document = read_structure(text_blocks(PROVINCE_BARE.text()), year=None)
    assert document.title == "2024年全省交通运输重点工作任务分工"
    assert (document.issuer, document.issued) == ("某省人民政府办公厅", dt.date(2024, 2, 20))
    assert "印发" not in document.preamble
    assert document.lead_rule == "列第一位的为牵头单位"


def test_a_table_cell_marks_its_lead_unit() -> None:
    document = read_structure(
        text_blocks(
            "2024年重点任务清单\n序号\t重点任务\t责任单位\t完成时限\n"
            "1\t推行告知承诺制\t省司法厅（牵头）、省公安厅\t2024年6月底前"
        ),
        year=None,
    )
    assert document.tasks[0].clauses[0].roles == {"lead": ["省司法厅"], "responsible": ["省公安厅"]}
