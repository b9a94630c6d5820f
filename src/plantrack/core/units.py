"""The unit registry: full names, aliases, collective names, and who is involved in a clause."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeGuard

from plantrack.core.errors import UsageError
from plantrack.core.wording import closest, did_you_mean, role_label

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Clause, Collective, Plan, Unit

RoleKind = Literal["lead", "responsible", "support", "via"]
_ROLE_RANK: dict[RoleKind, int] = {"lead": 0, "responsible": 1, "support": 2, "via": 3}


@dataclass(frozen=True, slots=True)
class Role:
    """How a unit is involved in a clause: it leads, is named responsible, or is in a collective."""

    kind: RoleKind
    via: str | None = None
    certain: bool = True

    @property
    def label(self) -> str:
        """The Chinese label shown to users: 牵头, 责任, 配合, or 经由 <统称>."""
        return role_label(self.kind, self.via)

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: leading first, then named, then through a certain collective."""
        return (_ROLE_RANK[self.kind], 0 if self.certain else 1)


_LEAD, _RESPONSIBLE, _SUPPORT = Role("lead"), Role("responsible"), Role("support")


def _rank(role: Role) -> tuple[int, int]:
    return role.rank


class Registry:
    """Every unit and collective name of a plan, indexed once."""

    def __init__(self, plan: Plan) -> None:
        self.units: dict[str, Unit] = {unit.name: unit for unit in plan.units}
        self.collectives: dict[str, Collective] = {c.name: c for c in plan.collectives}
        self.aliases: dict[str, Unit] = {}
        for unit in plan.units:
            for alias in unit.aliases:
                self.aliases.setdefault(alias, unit)
        self.groups: dict[str, list[Unit]] = {}
        for unit in plan.units:
            self.groups.setdefault(unit.group, []).append(unit)
        self._via = {c.name: Role("via", c.name, c.scope == "all") for c in plan.collectives}
        self._group_of_collective = {c.name: c.group for c in plan.collectives if c.group}
        self._collective_groups = set(self._group_of_collective.values())

    def resolve(self, query: str) -> Unit | Collective:
        """Find a unit by full name or alias, or a collective by name; suggest on failure."""
        name = query.strip()
        found = self.units.get(name) or self.aliases.get(name) or self.collectives.get(name)
        if found is None:
            raise UsageError(self.unknown_message(name))
        return found

    def unknown_message(self, name: str) -> str:
        """Say that name is unknown and list the closest valid names."""
        hint = did_you_mean(self.suggest(name))
        known = "、".join(self.units)
        return f"未知单位“{name}”。{hint}已登记的单位：{known}"

    def suggest(self, name: str) -> list[str]:
        """Return up to three full names that look like name."""
        spelled = {**{a: u.name for a, u in self.aliases.items()}, **{n: n for n in self.units}}
        spelled.update({n: n for n in self.collectives})
        close = closest(name, spelled, n=5, cutoff=0.5)
        return list(dict.fromkeys(spelled[c] for c in close))[:3]

    def is_unit(self, found: Unit | Collective) -> TypeGuard[Unit]:
        """Whether a resolved name is a unit, not a collective.

        Asked of the registry, not with isinstance: a plan from the cache is made of twins.
        """
        return found.name in self.units

    def is_known(self, name: str) -> bool:
        """Tell whether name is a full unit name or a collective name."""
        return name in self.units or name in self.collectives

    def roles(self, target: Unit | Collective, clause: Clause) -> list[Role]:
        """List how target is involved in clause, strongest role first."""
        # Asked of every clause of the plan: roles are immutable, so each is made once, and
        # they are added in rank order (only several "via" roles may need sorting).
        name = target.name
        roles: list[Role] = []
        if name in clause.lead:
            roles.append(_LEAD)
        if name in clause.responsible:
            roles.append(_RESPONSIBLE)
        if name in clause.support:
            roles.append(_SUPPORT)
        group = target.group
        if self.is_unit(target) and group in self._collective_groups:
            via = [
                self._via[other]
                for listed in (clause.responsible, clause.support)
                for other in listed
                if self._group_of_collective.get(other) == group
            ]
            if len(via) > 1:
                via.sort(key=_rank)
            roles += via
        return roles

    def members(self, collective: Collective) -> list[Unit]:
        """Every unit a collective name can stand for."""
        return self.groups.get(collective.group, []) if collective.group else []
