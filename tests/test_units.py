"""The unit registry: aliases, collective names, roles and suggestions."""

from __future__ import annotations

import pytest

from plantrack.core.errors import UsageError
from plantrack.core.model import Collective, Plan, Unit
from plantrack.core.units import Registry, Role


@pytest.fixture(scope="module")
def registry(plan: Plan) -> Registry:
    return Registry(plan)


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("法规科", "局法规科"),
        ("局法规科", "局法规科"),
        ("执法支队", "区交通执法支队"),
        (" 建管科 ", "局建管科"),
    ],
)
def test_resolve_by_full_name_or_alias(registry: Registry, query: str, name: str) -> None:
    found = registry.resolve(query)
    assert isinstance(found, Unit)
    assert found.name == name


def test_resolve_collective_name(registry: Registry) -> None:
    found = registry.resolve("局属各单位")
    assert isinstance(found, Collective)
    assert [u.name for u in registry.members(found)] == [
        "区公路中心",
        "区港航中心",
        "区道运中心",
        "区交通执法支队",
    ]


def test_unknown_unit_suggests_the_closest(registry: Registry) -> None:
    with pytest.raises(UsageError) as caught:
        registry.resolve("法规处")
    assert str(caught.value).startswith(
        "未知单位“法规处”。是否指 局法规科？已登记的单位：局办公室、"
    )


def test_roles_name_lead_responsible_and_collective(plan: Plan, registry: Registry) -> None:
    legal = registry.resolve("法规科")
    clause_13 = plan.tasks_by_id[13].clauses[0]
    assert registry.roles(legal, clause_13) == [Role("lead"), Role("via", "局机关各科室", True)]
    clause_2 = plan.tasks_by_id[2].clauses[0]
    assert [r.label for r in registry.roles(legal, clause_2)] == ["牵头", "经由 局机关相关科室"]
    audit = registry.resolve("财审科")
    assert registry.roles(audit, clause_2) == [Role("via", "局机关相关科室", False)]


def test_collective_does_not_reach_the_other_group(plan: Plan, registry: Registry) -> None:
    enforcement = registry.resolve("执法支队")
    clause = plan.tasks_by_id[9].clauses[0]  # 责任科室：局建管科、局港航科
    assert registry.roles(enforcement, clause) == []


def test_role_labels() -> None:
    assert Role("lead").label == "牵头"
    assert Role("responsible").label == "责任"
    assert Role("via", "局机关各科室").label == "经由 局机关各科室"
