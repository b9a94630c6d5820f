"""The assignment in brackets read into units by role, as import and check both read it."""

from __future__ import annotations

import pytest

from plantrack.core import assignments


@pytest.mark.parametrize(
    ("inner", "roles"),
    [
        ("牵头科室：局法规科、组教科，责任单位和科室：局属各单位、局机关各科室",
         {"lead": ["局法规科", "组教科"], "responsible": ["局属各单位", "局机关各科室"]}),
        ("责任单位：区交通执法支队", {"responsible": ["区交通执法支队"]}),
        ("牵头单位:甲科,配合单位:乙中心；参与部门：丙（丁）", {"lead": ["甲科"], "support": ["乙中心", "丙（丁）"]}),
        # A remark with a label in brackets names a person, never part of the unit.
        ("牵头单位：局法规科（牵头领导：王副局长）；责任单位：局办公室（联系人：张三）、执法支队",
         {"lead": ["局法规科"], "responsible": ["局办公室", "执法支队"]}),
    ],
)  # fmt: skip
def test_parse_assignment(inner: str, roles: dict[str, list[str]]) -> None:
    assert assignments.parse_assignment(inner) == roles


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("牵头单位：局法规科", True),
        ("  责任科室:局建管科", True),
        ("见附件", False),
        ("2023年", False),
    ],
)
def test_only_role_labels_make_an_assignment(inner: str, expected: bool) -> None:
    assert assignments.is_assignment_text(inner) is expected


@pytest.mark.parametrize(
    ("inner", "first_leads", "roles"),
    [
        # No label, no rule: every unit shares the duty, none leads.
        ("教育部、财政部负责", False, {"responsible": ["教育部", "财政部"]}),
        ("商务部、市场监管总局按职责分工负责，各地区结合实际落实", False,
         {"responsible": ["商务部", "市场监管总局"]}),
        # The rule in force, or stated in the bracket itself: the first unit leads.
        ("教育部、财政部负责", True, {"lead": ["教育部"], "responsible": ["财政部"]}),
        ("人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同", False,
         {"lead": ["人力资源社会保障部"], "responsible": ["财政部"]}),
        ("税务总局、财政部、海关总署负责，排在第一位的部门为牵头部门，下同", False,
         {"lead": ["税务总局"], "responsible": ["财政部", "海关总署"]}),
        # 会同: the unit before it leads; 牵头负责: every unit named leads.
        ("教育部会同有关部门负责", False, {"lead": ["教育部"], "responsible": ["有关部门"]}),
        ("工业和信息化部、科技部牵头负责", False, {"lead": ["工业和信息化部", "科技部"]}),
        # 等 closes a list; 和 before 各… joins a collective to it.
        ("国家发展改革委、财政部等和各有关省级人民政府负责", False,
         {"responsible": ["国家发展改革委", "财政部", "各有关省级人民政府"]}),
        ("应急管理部、国家林草局负责", False, {"responsible": ["应急管理部", "国家林草局"]}),
        ("各省级人民政府负责", False, {"responsible": ["各省级人民政府"]}),
        ("市发展改革委负责，市财政局配合", False,
         {"responsible": ["市发展改革委"], "support": ["市财政局"]}),
        # 负责部门 is a label; 适用范围 is another label, not units.
        ("负责部门：市场监管总局、商务部；适用范围：全国", False,
         {"responsible": ["市场监管总局", "商务部"]}),
        # A sentence that ends in 负责 is not an assignment; nor is a person's label.
        ("所需经费由地方财政负责", False, {}),
        ("企业负责", False, {}),
        ("负责人：李四", False, {}),
        ("2023年底前完成", False, {}),
    ],
)  # fmt: skip
def test_units_and_a_verb_without_a_label(
    inner: str, first_leads: bool, roles: dict[str, list[str]]
) -> None:
    assert assignments.read_assignment(inner, first_leads=first_leads) == roles


def test_the_lead_rule_is_quoted_as_the_document_states_it() -> None:
    text = "（人力资源社会保障部、财政部负责。列第一位者为牵头单位，下同）"
    assert assignments.lead_rule(text) == "列第一位者为牵头单位，下同"
    assert assignments.lead_rule("排在第一位的部门为牵头部门") == "排在第一位的部门为牵头部门"
    assert assignments.lead_rule("（教育部、财政部负责）") is None


def test_check_reads_bare_brackets_by_the_plans_lead_rule(plan_text: str) -> None:
    from plantrack.core import rules
    from plantrack.core.errors import PlanError
    from plantrack.planfile.load import parse_with_values

    one = plan_text.replace(
        "assignment: 牵头科室：局法规科，责任单位和科室：局属各单位、局机关各科室",
        "assignment: 局法规科、局属各单位、局机关各科室负责",
        1,
    )
    assert one != plan_text
    with_rule = one.replace("\nunits:", "\nlead_rule: 列第一位者为牵头单位，下同\nunits:", 1)
    plan, _ = parse_with_values(with_rule, "p.yaml")
    assert plan.lead_rule == "列第一位者为牵头单位，下同"
    assert rules.check(plan) == []  # the first unit read as the lead, as listed
    with pytest.raises(PlanError, match="assignment 的牵头单位里没有它"):
        parse_with_values(one, "p.yaml")  # without the rule, the list names no lead


@pytest.mark.parametrize(
    ("inner", "roles"),
    [
        ("2024年底前完成，国家发展改革委负责", {"responsible": ["国家发展改革委"]}),
        ("国家卫生健康委、国家医保局分别负责", {"responsible": ["国家卫生健康委", "国家医保局"]}),
        ("科技部、中国科学院组织实施", {"responsible": ["科技部", "中国科学院"]}),
        ("人力资源社会保障部牵头，教育部、财政部等配合",
         {"lead": ["人力资源社会保障部"], "support": ["教育部", "财政部"]}),
    ],
)  # fmt: skip
def test_more_verbs_and_a_time_before_the_units(inner: str, roles: dict[str, list[str]]) -> None:
    assert assignments.read_assignment(inner) == roles


def test_units_alone_assign_only_where_a_bracket_closes_its_sentence() -> None:
    from plantrack.importer.recognise import bracket_assignment, closes_sentence

    inner = "省交通运输厅、省发展改革委"
    assert assignments.read_assignment(inner) == {}  # on its own: could be a second name
    assert assignments.read_assignment(inner, bare=True) == {
        "responsible": ["省交通运输厅", "省发展改革委"]
    }
    assert assignments.read_assignment(inner, bare=True, first_leads=True) == {
        "lead": ["省交通运输厅"],
        "responsible": ["省发展改革委"],
    }
    closing = "新建高速公路500公里。（省交通运输厅、省发展改革委）"
    inside = "配合市交通委（市道路运输管理局）开展法治调研。"
    assert closes_sentence(closing, closing.index("（"), closing.index("）"))
    assert not closes_sentence(inside, inside.index("（"), inside.index("）"))
    assert bracket_assignment("开展调研工作", bare=True) is None  # words, not units


@pytest.mark.parametrize(
    ("inner", "bare", "roles"),
    [
        ("责任单位：省司法厅（牵头）、省公安厅", False,
         {"lead": ["省司法厅"], "responsible": ["省公安厅"]}),
        ("省司法厅（牵头）、省公安厅负责", False, {"lead": ["省司法厅"], "responsible": ["省公安厅"]}),
        ("省住房城乡建设厅（牵头）、省自然资源厅", True,
         {"lead": ["省住房城乡建设厅"], "responsible": ["省自然资源厅"]}),
    ],
)  # fmt: skip
def test_a_unit_marked_as_lead_in_a_list_leads(
    inner: str, bare: bool, roles: dict[str, list[str]]
) -> None:
    assert assignments.read_assignment(inner, bare=bare) == roles
