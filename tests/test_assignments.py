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
