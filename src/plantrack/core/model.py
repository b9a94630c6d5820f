"""Pydantic models of a plan file: the schema that validates it; no I/O happens here.

What the models answer besides their fields (a task's text, a plan's maps) comes from the
behaviours in core.domain, which a plan read back from the cache shares without pydantic.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from plantrack.core.domain import (
    PlanBehaviour,
    ProgressBehaviour,
    Recurrence,
    Status,
    TaskBehaviour,
)


def _in_plan_years(day: dt.date) -> dt.date:
    # Dates are counted forward by up to a year; 9999-12-31 would overflow, 0001 is a slip.
    if not 1900 <= day.year <= 2999:
        raise PydanticCustomError("date_out_of_range", "年份应在 1900 至 2999 之间")
    return day


Day = Annotated[dt.date, AfterValidator(_in_plan_years)]


def _one_line(text: str) -> str:
    # A title or a name is shown on one line everywhere: in tables, calendars, subjects.
    if any(char in text for char in "\r\n\u2028\u2029\x85"):
        raise ValueError(
            "标题和名称要写在一行上，这里有换行（双引号里的 \\n，或 | 多行写法）：请删去换行"
        )
    return text


OneLine = Annotated[str, AfterValidator(_one_line)]


class _Strict(BaseModel):
    """Base for every model: unknown keys are errors, so typos never vanish."""

    # Built on first validation, not at import: a command answered from the cache may import
    # the models (for a report's types) without validating anything.
    model_config = ConfigDict(extra="forbid", populate_by_name=False, defer_build=True)


class Unit(_Strict):
    """An office of the bureau or a unit under it."""

    name: OneLine = Field(min_length=1, description="全称，如“局法规科”")
    group: OneLine = Field(min_length=1, description="类别，如“局机关”“局属单位”")
    aliases: list[OneLine] = Field(default_factory=list, description="简称，如“法规科”")


class Collective(_Strict):
    """A collective name such as 局机关各科室 that stands for members of a group."""

    name: str = Field(min_length=1)
    group: str | None = Field(default=None, description="展开为该类别的单位；不详时不填")
    scope: Literal["all", "relevant"] = Field(
        description="all：该类别全部单位；relevant：其中的相关单位（可能涉及）"
    )


class Clause(_Strict):
    """One assignment of a task: its text and the units that lead or are responsible."""

    text: str = Field(min_length=1)
    assignment: str | None = Field(default=None, description="原文括注，原样保留")
    lead: list[str] = Field(default_factory=list, description="牵头单位（全称）")
    responsible: list[str] = Field(default_factory=list, description="责任单位（全称或统称）")
    support: list[str] = Field(default_factory=list, description="配合、参与或协办单位")
    unassigned: bool = Field(default=False, description="原文没有为这段文字分工时写 true")
    status: Status = Status.NOT_STARTED

    @model_validator(mode="after")
    def _names_some_unit(self) -> Clause:
        if not (self.lead or self.responsible or self.support or self.unassigned):
            raise ValueError(
                "分工没有任何单位：请在 lead 或 responsible 中至少填写一个单位"
                "（原文确实没有分工时，写 unassigned: true）"
            )
        return self


class Deadline(_Strict):
    """A date the text states: fixed, a period, a recurring rule, or a named undated event."""

    label: str = Field(min_length=1)
    date: Day | None = None
    start: Day | None = None
    end: Day | None = None
    every: Recurrence | None = None
    quote: str | None = Field(default=None, description="原文中给出该时限的语句")
    date_source: str | None = Field(default=None, description="日期不是原文所载时，注明来源")
    clause: int | None = Field(
        default=None, ge=1, description="只属于第几项分工；不写则是整项任务每项分工的时限"
    )
    standing: bool = Field(
        default=False,
        description="常态工作（原文如“长期坚持”），没有截止日期：任务不再以年底为默认时限",
    )

    @model_validator(mode="after")
    def _one_kind_of_date(self) -> Deadline:
        kinds = [self.date is not None, self.end is not None, self.every is not None]
        if sum(kinds) > 1:
            raise ValueError("时限只能是 date、start/end 或 every 三者之一")
        if (self.start is None) != (self.end is None):
            raise ValueError("活动期须同时填写 start 和 end")
        if self.start and self.end and self.start > self.end:
            raise ValueError(f"活动期的开始日期 {self.start} 晚于结束日期 {self.end}：请检查日期")
        if not any(kinds) and not self.date_source:
            raise ValueError("没有日期的事项须用 date_source 说明为何没有日期")
        return self


class Target(_Strict):
    """A quantified target the text states, such as 出庭应诉率不低于80%."""

    name: str = Field(min_length=1)
    op: Literal[">=", "<=", ">", "<", "="]
    value: int | float = Field(allow_inf_nan=False)
    unit: str = ""
    per: Recurrence | None = None
    quote: str | None = None
    actual: int | float | None = Field(
        default=None, allow_inf_nan=False, description="实际值（有记录时填写）"
    )


class Progress(_Strict, ProgressBehaviour):
    """One entry of the progress log: the history that statuses, done items and values replay."""

    date: Day
    note: str = ""
    status: Status | None = None
    by: str | None = None
    clause: int | None = Field(default=None, ge=1)
    occurrence: str | None = Field(default=None, description="周期性时限的某一次，如 2023Q2")
    target: str | None = Field(default=None, description="记录实际值的目标名称（与 value 同用）")
    value: int | float | None = Field(
        default=None, allow_inf_nan=False, description="目标在这一天的实际值"
    )
    recorded: Day | None = Field(
        default=None, description="记下这条进展的日期；晚于 date 时写明（补记），按某天回答时不算它"
    )
    postponed_to: Day | None = Field(
        default=None, description="延期：这一时限（occurrence）从 date 起改到的新日期；note 写原因"
    )

    @model_validator(mode="after")
    def _value_names_its_target(self) -> Progress:
        if (self.target is None) != (self.value is None):
            raise ValueError("记录目标实际值须同时填写 target（目标名称）和 value（数值）")
        if self.value is not None and (self.status is not None or self.occurrence is not None):
            raise ValueError("记录目标实际值的进展不能同时改变状态：请分成两条进展")
        if self.postponed_to is not None and (self.status is not None or self.value is not None):
            raise ValueError("延期的记录不能同时改变状态或记录实际值：请分成两条进展")
        if self.postponed_to is not None and not self.note.strip():
            raise ValueError("延期须写明原因（note）")
        return self


class Task(_Strict, TaskBehaviour):
    """A numbered task of the plan."""

    id: int = Field(ge=1)
    title: OneLine = Field(min_length=1)
    subsection: str | None = Field(default=None, description="所在小节，如“（一）加强制度建设”")
    carried_from: str | None = Field(
        default=None, description="结转：来自上一年计划的哪项分工，如“2023/7.3”"
    )
    carried_note: str | None = Field(default=None, description="结转：上一年年底的状态和最后的说明")
    clauses: list[Clause] = Field(min_length=1)
    phases: list[str] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    progress: list[Progress] = Field(default_factory=list)


class Section(_Strict):
    """A numbered section (一、二、…) of the plan."""

    number: int = Field(ge=1)
    title: OneLine = Field(min_length=1)
    intro: str = Field(default="", description="部分标题下、第一项任务前的文字")
    tasks: list[Task] = Field(default_factory=list)


class Reporting(_Strict):
    """How the Word reports made from the plan are addressed and signed: nothing is assumed."""

    recipient: OneLine | None = Field(
        default=None, description="季度和其他报告的主送机关，如“局党组”；不写时不印主送机关"
    )
    annual_recipient: OneLine | None = Field(
        default=None, description="全年报告的主送机关，如“市交通局”；不写时用 recipient"
    )
    signer: OneLine | None = Field(default=None, description="签发人（上行文才印）")
    contact: OneLine | None = Field(default=None, description="附注中的联系人")
    phone: OneLine | None = Field(default=None, description="附注中的联系电话")
    reply_by_day: int | None = Field(
        default=None,
        ge=1,
        le=31,
        description="进展填报表在每季度最后一个月的几日前交回，如 25；不写为季度最后一天",
    )


class Plan(_Strict, PlanBehaviour):
    """A whole annual work plan."""

    title: OneLine = Field(min_length=1)
    year: int = Field(ge=1900, le=2999)
    issuer: str | None = None
    doc_number: str | None = Field(default=None, description="文号，如“X交发〔2024〕5号”")
    issued: Day | None = Field(default=None, description="印发日期（原文落款所载）")
    preamble: str = ""
    lead_rule: str | None = Field(
        default=None,
        description=(
            "原文对分工括注的约定（照录），如“列第一位者为牵头单位，下同”："
            "写了它，只列单位的括注（A、B负责）中第一个单位为牵头单位"
        ),
    )
    default_due: Day | None = Field(
        default=None, description="原文未写明时限的任务的默认时限；缺省为当年12月31日"
    )
    warn_days: int = Field(default=7, ge=0, le=366, description="距时限不足几天时显示黄色预警")
    units: list[Unit] = Field(min_length=1)
    collectives: list[Collective] = Field(default_factory=list)
    sections: list[Section] = Field(min_length=1)
    reporting: Reporting = Field(
        default_factory=Reporting, description="报告的主送机关、签发人和附注（联系人、电话）"
    )


def plan_json_schema() -> dict[str, Any]:
    """The JSON Schema of a plan file, for editors and check-jsonschema."""
    schema = Plan.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "plantrack 计划文件"
    return schema
