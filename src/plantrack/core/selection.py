"""Which tasks a question covers: every task, or those one unit plays a role in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NamedTuple

from plantrack.core.domain import Status
from plantrack.core.errors import UsageError
from plantrack.core.timeline import Timeline
from plantrack.core.units import Registry, Role
from plantrack.core.wording import ROLE_WORDS, closest, did_you_mean

if TYPE_CHECKING:  # a plan read from the cache is made of core.domain's twins
    from plantrack.core.model import Collective, Progress, Section, Task, Unit

# named: the roles a clause names the unit in (牵头, 责任, 配合): its duties and shares.
RoleFilter = Literal["named", "lead", "responsible", "support", "collective", "any"]
# --role as typed, in English or Chinese; 职责 is the default's Chinese name.
_ROLE_PAIRS: list[tuple[RoleFilter, str]] = [
    ("lead", ROLE_WORDS["lead"]),
    ("responsible", ROLE_WORDS["responsible"]),
    ("support", ROLE_WORDS["support"]),
    ("collective", "统称"),
    ("any", "全部"),
]
ROLE_CHOICES: dict[str, RoleFilter] = {
    "named": "named",
    "职责": "named",
    **{name: role for role, word in _ROLE_PAIRS for name in (role, word)},
}


class Involvement(NamedTuple):
    """Which of a unit's roles a query counts: by default its duties and shares."""

    role: RoleFilter = "named"
    # Mentions through 相关/有关 collectives, which may or may not mean the unit.
    include_possible: bool = False

    def admits(self, role: Role) -> bool:
        """Tell whether a role of the unit in a clause counts."""
        if role.kind == "via" and not role.certain and not self.include_possible:
            return False
        if self.role == "named":
            return role.kind != "via"
        if self.role == "collective":
            return role.kind == "via"
        return self.role == "any" or role.kind == self.role


# The default: what a unit owes or shares, not what it is merely mentioned in.
DUTIES = Involvement()


def parse_role(text: str) -> RoleFilter:
    """Read --role in English or Chinese; list the choices otherwise."""
    typed = text.strip().lower()
    found = ROLE_CHOICES.get(typed)
    if found is None:
        hint = did_you_mean(closest(typed, ROLE_CHOICES))
        choices = "、".join(f"{zh}（{en}）" for en, zh in _ROLE_PAIRS)
        raise UsageError(f"“{text}”不是可选的角色：{hint}可选 {choices}")
    return found


@dataclass(frozen=True)
class ClauseRole:
    """A role a unit plays in one clause (clause numbers start at 1)."""

    clause: int
    role: Role


@dataclass(frozen=True)
class TaskMatch:
    """A task selected by a query, with the roles the queried unit plays in it."""

    task: Task
    section: Section
    roles: list[ClauseRole] = field(default_factory=list)

    @property
    def role(self) -> Role | None:
        """The unit's strongest role in the task: leading, then named, then through a name."""
        return min((item.role for item in self.roles), key=lambda r: r.rank, default=None)

    @property
    def clauses(self) -> list[int]:
        """The clauses (1-based) the queried unit plays a role in, in order."""
        return sorted({item.clause for item in self.roles})

    @property
    def role_label(self) -> str:
        """The strongest role as one word: 牵头, 责任, 配合 or 经由 局机关各科室."""
        role = self.role
        return role.label if role else ""

    def covers(self, entry: Progress) -> bool:
        """Tell whether a progress entry is about a clause this match involves the unit in."""
        return (
            entry.clause is None
            or not self.roles
            or any(item.clause == entry.clause for item in self.roles)
        )


class Scope(NamedTuple):
    """The tasks a command covers: every task, or those one unit is involved in."""

    unit: Unit | Collective | None
    matches: list[TaskMatch]

    @property
    def tasks(self) -> list[Task]:
        """The tasks in document order."""
        return [match.task for match in self.matches]

    @property
    def name(self) -> str | None:
        """The unit's full name, or None for the whole plan."""
        return self.unit.name if self.unit else None

    def entry_filter(self) -> Callable[[Task, Progress], bool] | None:
        """For a unit: which entries count as its own progress (its clauses, or the task's)."""
        if self.unit is None:
            return None
        by_task = {match.task.id: match for match in self.matches}
        return lambda task, entry: task.id in by_task and by_task[task.id].covers(entry)

    def owed(self) -> dict[int, list[int]] | None:
        """For a unit: the clauses (1-based) it plays a role in, by task id; None: all."""
        if self.unit is None:
            return None
        return {match.task.id: match.clauses for match in self.matches}

    def role_of(self, task: Task) -> Role | None:
        """The unit's strongest role in a task in scope; None for the whole plan."""
        match = next((m for m in self.matches if m.task.id == task.id), None)
        return match.role if match else None


def select_tasks(
    timeline: Timeline,
    registry: Registry,
    *,
    unit: Unit | Collective | None = None,
    involvement: Involvement = DUTIES,
    section: int | None = None,
    status: Status | None = None,
) -> list[TaskMatch]:
    """Tasks matching every given filter, in document order."""
    plan = timeline.plan
    if section is not None and section not in {s.number for s in plan.sections}:
        numbers = "、".join(str(s.number) for s in plan.sections)
        raise UsageError(f"没有第 {section} 部分：可选 {numbers}")
    matches = []
    for sec in plan.sections:
        if section is not None and sec.number != section:
            continue
        for task in sec.tasks:
            if status is not None and timeline.status(task) is not status:
                continue
            if unit is None:
                matches.append(TaskMatch(task, sec))
                continue
            roles = [
                ClauseRole(i, r)
                for i, clause in enumerate(task.clauses, start=1)
                for r in registry.roles(unit, clause)
                if involvement.admits(r)
            ]
            if roles:
                matches.append(TaskMatch(task, sec, roles))
    return matches


def scope(timeline: Timeline, dept: str | None, involvement: Involvement = DUTIES) -> Scope:
    """The tasks a unit is involved in (all tasks without dept), the unit resolved once."""
    registry = Registry(timeline.plan)
    unit = registry.resolve(dept) if dept else None
    return Scope(unit, select_tasks(timeline, registry, unit=unit, involvement=involvement))
