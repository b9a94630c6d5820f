"""The plan's objects as commands use them, without pydantic.

core.model validates a plan file with pydantic; its models take their behaviour (a task's
text, a plan's maps) from the mixins here. A plan read back from the cache is made of the
plain twins below instead: the same fields and behaviour, built without pydantic, so a
command answered from the cache never loads pydantic's machinery for its own models.
The twins offer the few pydantic methods commands call on a plan (model_copy, model_dump)
and compare equal to the pydantic model with the same fields.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum, StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:  # the types the behaviours see: the models, or their twins below
    from plantrack.core import model

Recurrence = Literal["month", "quarter", "half-year"]


class Status(StrEnum):
    """The progress states a clause or task can be in."""

    NOT_STARTED = "未开始"
    IN_PROGRESS = "进行中"
    DONE = "已完成"
    BLOCKED = "受阻"


STATUS_ALIASES: dict[str, Status] = {
    "todo": Status.NOT_STARTED,
    "doing": Status.IN_PROGRESS,
    "done": Status.DONE,
    "blocked": Status.BLOCKED,
}


class ProgressBehaviour:
    """What a progress entry answers besides its fields."""

    if TYPE_CHECKING:
        date: dt.date
        recorded: dt.date | None

    def known_on(self, day: dt.date) -> bool:
        """Tell whether the entry existed on day: it had happened, and had been written down."""
        return self.date <= day and (self.recorded is None or self.recorded <= day)


class TaskBehaviour:
    """What a task answers besides its fields."""

    if TYPE_CHECKING:
        id: int
        title: str
        clauses: list[model.Clause]

    def clause_ref(self, number: int) -> str:
        """A clause (1-based) as people write it: 7.3 in a task of several, 13 in a task of one."""
        return f"{self.id}.{number}" if len(self.clauses) > 1 else str(self.id)

    @property
    def lead_units(self) -> list[str]:
        """Lead units across all clauses, each once, in order of first mention."""
        return list(dict.fromkeys(name for clause in self.clauses for name in clause.lead))

    @property
    def responsible_units(self) -> list[str]:
        """Responsible units across all clauses, each once, in order of first mention."""
        return list(dict.fromkeys(name for clause in self.clauses for name in clause.responsible))

    @property
    def text(self) -> str:
        """The task's full text as published: title, then each clause with its assignment."""
        # A one-sentence task repeats its sentence as its only clause: say it once.
        repeats = self.clauses[0].text.startswith(self.title)
        parts = [] if repeats else [f"{self.title}。"]
        for clause in self.clauses:
            parts.append(clause.text)
            if clause.assignment:
                parts.append(f"（{clause.assignment}）")
        return "".join(parts)


class PlanBehaviour:
    """What a plan answers besides its fields."""

    if TYPE_CHECKING:
        year: int
        default_due: dt.date | None
        sections: list[model.Section]

    @property
    def fallback_due(self) -> dt.date:
        """The due date of a task whose text states none."""
        return self.default_due or dt.date(self.year, 12, 31)

    @cached_property
    def task_sections(self) -> dict[int, model.Section]:
        """Map each task id to its section, built once."""
        return {task.id: section for section in self.sections for task in section.tasks}

    @cached_property
    def tasks_by_id(self) -> dict[int, model.Task]:
        """Map each task id to its task, built once."""
        return {task.id: task for section in self.sections for task in section.tasks}

    @property
    def tasks(self) -> list[model.Task]:
        """Every task in document order."""
        return [task for section in self.sections for task in section.tasks]


class Plain:
    """A plan object read back from the cache: its fields in __dict__, set by pickle."""

    def _fields(self) -> dict[str, Any]:
        """The fields, without what a cached property keeps beside them."""
        cls = type(self)
        return {
            name: value
            for name, value in self.__dict__.items()
            if not isinstance(getattr(cls, name, None), cached_property)
        }

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A shallow copy with some fields changed, as pydantic's model_copy makes."""
        copied = object.__new__(type(self))
        copied.__dict__.update(self._fields())
        copied.__dict__.update(update or {})
        return copied

    def model_dump(self, *, mode: str = "python", exclude_none: bool = False) -> dict[str, Any]:
        """The fields as plain values, as pydantic's model_dump gives them."""
        dumped = {}
        for name, value in self._fields().items():
            if value is None and exclude_none:
                continue
            dumped[name] = _dumped(value, mode, exclude_none)
        return dumped

    def __eq__(self, other: object) -> bool:
        # Equal to its twin of either kind with the same fields, as pydantic models compare.
        if type(other).__name__ != type(self).__name__:
            return NotImplemented
        if isinstance(other, Plain):
            theirs = other._fields()
        elif hasattr(type(other), "model_fields"):
            theirs = _model_fields(other)
        else:
            return NotImplemented
        return self._fields() == theirs

    __hash__ = None  # type: ignore[assignment]  # mutable, like the pydantic models

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self._fields().items())
        return f"{type(self).__name__}({fields})"


def _model_fields(model: Any) -> dict[str, Any]:
    """A pydantic model's fields (its __dict__ may also hold cached properties)."""
    return {name: getattr(model, name) for name in type(model).model_fields}


def _dumped(value: Any, mode: str, exclude_none: bool) -> Any:
    if isinstance(value, Plain):
        return value.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(value, list):
        return [_dumped(item, mode, exclude_none) for item in value]
    if mode == "json":
        if isinstance(value, Enum):
            return value.value
        if isinstance(value, dt.date):
            return value.isoformat()
    return value


class Unit(Plain):
    """An office of the bureau or a unit under it."""


class Collective(Plain):
    """A collective name such as 局机关各科室 that stands for members of a group."""


class Clause(Plain):
    """One assignment of a task: its text and the units that lead or are responsible."""


class Deadline(Plain):
    """A date the text states: fixed, a period, a recurring rule, or a named undated event."""


class Target(Plain):
    """A quantified target the text states, such as 出庭应诉率不低于80%."""


class Progress(Plain, ProgressBehaviour):
    """One entry of the progress log."""


class Task(Plain, TaskBehaviour):
    """A numbered task of the plan."""


class Section(Plain):
    """A numbered section (一、二、…) of the plan."""


class Reporting(Plain):
    """How the Word reports made from the plan are addressed and signed."""


class Plan(Plain, PlanBehaviour):
    """A whole annual work plan."""


# The twin of each model, by the model's name: what the cache stores a model as.
TWINS: dict[str, type[Plain]] = {
    cls.__name__: cls
    for cls in (
        Unit,
        Collective,
        Clause,
        Deadline,
        Target,
        Progress,
        Task,
        Section,
        Reporting,
        Plan,
    )
}
