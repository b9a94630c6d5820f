"""Each recogniser alone: one layout element, read or refused."""

from __future__ import annotations

import datetime as dt

import pytest

from plantrack.importer.recognise import (
    Marker,
    cover_notice,
    due_line,
    inline_label,
    is_page_number,
    label_line,
    marker,
    table_header,
)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("一、加强领导", Marker("section", 1, "加强领导")),
        ("十二．附则", Marker("section", 12, "附则")),
        ("第三部分 行业管理", Marker("section", 3, "行业管理")),
        ("（一）加强制度建设", Marker("paren_cn", 1, "加强制度建设")),
        ("(二)推进决策", Marker("paren_cn", 2, "推进决策")),
        ("1.做好工作。", Marker("arabic", 1, "做好工作。")),
        ("12、抓好落实", Marker("arabic", 12, "抓好落实")),
        ("１．全角数字", Marker("arabic", 1, "全角数字")),
        ("（3）细化措施", Marker("paren_num", 3, "细化措施")),
        ("4）半括号", Marker("paren_num", 4, "半括号")),
        ("②重大隐患挂牌督办。", Marker("circled", 2, "重大隐患挂牌督办。")),
        ("11.121人才梯队项目", Marker("arabic", 11, "121人才梯队项目", fused=True)),
        ("3、2024年工作", Marker("arabic", 3, "2024年工作")),  # 、 cannot be a decimal point
        ("一、2024年主要预期目标", Marker("section", 1, "2024年主要预期目标")),
        ("12345、12328 等热线", None),
        ("2023年全区交通法治工作", None),
        ("各单位要抓好落实。", None),
    ],
)
def test_marker(line: str, found: Marker | None) -> None:
    assert marker(line) == found


@pytest.mark.parametrize(
    ("line", "roles"),
    [
        ("牵头单位:区发改局", {"lead": ["区发改局"]}),
        ("责任单位:立山经济开发区,全区经济运行各专班", {"responsible": ["立山经济开发区", "全区经济运行各专班"]}),
        ("牵头部门：区发改局、区财政局", {"lead": ["区发改局", "区财政局"]}),
        ("责任科室：局办公室；局运输科", {"responsible": ["局办公室", "局运输科"]}),
        ("配合单位：区司法局", {"support": ["区司法局"]}),
        ("参与单位：区交通执法支队", {"support": ["区交通执法支队"]}),
        ("协办单位：区大数据中心", {"support": ["区大数据中心"]}),
        ("牵头领导：张三", {}),  # a person, kept with the labels, assigning nothing
        ("牵头单位：", {}),  # its units follow on the next line
        ("全区经济运行各专班", None),
        ("1.努力实现地区生产总值增长6.2%左右。", None),
    ],
)  # fmt: skip
def test_label_line(line: str, roles: dict[str, list[str]] | None) -> None:
    assert label_line(line) == roles


def test_inline_label_starts_after_the_item_text_and_never_inside_a_bracket() -> None:
    text = "推进重点项目建设。全年完成投资20亿元。牵头单位：局建管科 责任单位：区公路中心"
    assert text[inline_label(text) or 0 :].startswith("牵头单位：")
    assert inline_label("完善制度。（牵头单位：局法规科）") is None
    assert inline_label("明确牵头单位：由局法规科负责") is None  # not after a sentence end


def test_due_line_and_page_numbers() -> None:
    assert due_line("完成时限:2024年12月底前") == "2024年12月底前"
    assert due_line("时间要求：每季度") == "每季度"
    assert due_line("完成情况良好") is None
    assert [is_page_number(s) for s in ("— 2 —", "- 13 -", "第3页", "第 3 页 共 9 页")] == [
        True
    ] * 4
    assert not is_page_number("2024年工作要点")


def test_table_header_names_each_column_and_skips_leaders() -> None:
    cells = ("序号", "工作任务", "牵头领导", "牵头单位", "责任 单位", "完成时限")
    assert table_header(cells) == {
        "number": 0,
        "task": 1,
        "lead": 3,
        "responsible": 4,
        "due": 5,
    }
    assert table_header(("重点工作", "工作目标", "责任部门", "配合部门", "时间要求")) == {
        "task": 0,
        "content": 1,
        "responsible": 2,
        "support": 3,
        "due": 4,
    }
    assert table_header(("姓名", "职务", "电话")) is None
    assert table_header(("序号", "牵头单位")) is None  # no task text: not a task table


def test_cover_notice_ends_where_the_plan_it_sends_begins() -> None:
    lines = [
        "XX区人民政府办公室文件",
        "X府办发〔2024〕3号",
        "关于印发XX区2024年重点工作",
        "任务分工方案的通知",
        "各镇街、各部门：",
        "现将《XX区2024年重点工作任务分工方案》印发给你们，请认真贯彻执行。",
        "XX区人民政府办公室",
        "二〇二四年三月一日",
        "（此件公开发布）",
        "XX区2024年重点工作任务分工方案",
        "为确保完成全年目标任务，现提出如下分工。",
    ]
    cover = cover_notice(lines)
    assert cover is not None
    assert cover == ("XX区人民政府办公室", "X府办发〔2024〕3号", dt.date(2024, 3, 1), 9)


def test_no_cover_notice_without_a_notice_or_a_number() -> None:
    assert cover_notice(["2023年交通法治工作要点", "2023年全区交通法治工作的总体要求是：…"]) is None
