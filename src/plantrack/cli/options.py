"""Options several commands share, and the parsers that read them in Chinese."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from plantrack.cli.completion import completer
from plantrack.core.errors import PlantrackError
from plantrack.core.wording import closest, did_you_mean

if TYPE_CHECKING:
    from plantrack.core.selection import Involvement
    from plantrack.output.formats import Format


def format_option(
    formats: dict[str, Format] | dict[str, str], help: str
) -> typer.models.OptionInfo:
    """A --format option whose choices are a registry's formats (or names and descriptions)."""

    def choose(value: str) -> str:
        if value not in formats:
            hint = did_you_mean(closest(value.lower(), formats))
            raise typer.BadParameter(f"“{value}”不是可选的格式：{hint}可选 {'、'.join(formats)}")
        return value

    described = "；".join(
        f"{name} {f if isinstance(f, str) else f.description}" for name, f in formats.items()
    )
    option: typer.models.OptionInfo = typer.Option(
        "--format", parser=choose, metavar=f"[{'|'.join(formats)}]", help=f"{help}：{described}"
    )
    return option


def whole_number(value: str) -> int:
    """A whole number as typed (full-width digits too), or a Chinese usage error."""
    from plantrack.core.numerals import half_width

    text = half_width(value).strip()
    if not text.isdigit() or len(text) > 9:
        raise typer.BadParameter(f"应为整数，而不是“{value}”")
    return int(text)


def involvement(role: str, include_possible: bool) -> Involvement:
    """Which of a unit's roles count, from --role and --include-possible."""
    from plantrack.core.selection import Involvement, parse_role

    return Involvement(parse_role(role), include_possible)


def role(value: str) -> str:
    """--role, in English or Chinese, checked against the choices."""
    from plantrack.core.selection import parse_role

    try:
        return parse_role(value)
    except PlantrackError as exc:
        raise typer.BadParameter(str(exc)) from None


def plan_path(value: str) -> Path:
    """--plan as typed; an empty value is a slip, not "find the plan yourself"."""
    if not value.strip():
        raise typer.BadParameter("不能为空：请写计划文件的路径，或者不写 --plan")
    return Path(value)


PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="文件",
        parser=plan_path,
        help="计划文件路径。缺省依次查找 $PLANTRACK_PLAN、plans/<年份>.yaml、最新的 plans/*.yaml",
        show_default=False,
    ),
]
DeptOption = Annotated[
    str | None,
    typer.Option(
        "--dept",
        metavar="单位",
        help="单位全称或简称，如 法规科、执法支队",
        show_default=False,
        autocompletion=completer("unit"),
    ),
]
RoleOption = Annotated[
    str,
    typer.Option(
        "--role",
        parser=role,
        metavar="角色",
        help="与 --dept 同用：牵头、责任、配合、统称（经由“各…”涉及）或全部；缺省为前三者",
        show_default=False,
    ),
]
PossibleOption = Annotated[
    bool,
    typer.Option(
        "--include-possible",
        help="再加上经由“相关/有关”统称可能涉及的任务",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON（格式见 README）")]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="日期",
        help="按此日期计算（YYYY-MM-DD）；缺省为 $PLANTRACK_TODAY 或今天",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "-o", "--output", metavar="文件", help="输出文件；缺省或 - 写到标准输出", show_default=False
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="覆盖已存在的输出文件（计划文件本身除外）")
]
QuarterOption = Annotated[
    str | None,
    typer.Option(
        "--quarter",
        metavar="季度",
        help="季度：2023Q3、current（本季度）或 previous（上季度）",
        show_default=False,
    ),
]
TargetArgument = Annotated[
    str,
    typer.Argument(
        metavar="任务[.分工]",
        help="任务序号，或 序号.分工，如 13、7.2",
        autocompletion=completer("target"),
    ),
]
OccurrenceOption = Annotated[
    str | None,
    typer.Option(
        "--occurrence",
        metavar="标识",
        help="某一次时限：第二季度、安全生产月、2023Q2、2023-05 或 show 列出的标识",
        show_default=False,
        autocompletion=completer("occurrence"),
    ),
]
NoteOption = Annotated[str, typer.Option("--note", metavar="说明", help="进展说明")]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="日期",
        help="进展日期（YYYY-MM-DD）；缺省为 --as-of 或今天",
        show_default=False,
    ),
]
ByOption = Annotated[
    str | None,
    typer.Option(
        "--by", metavar="姓名", help="记录人；缺省为 git config user.name", show_default=False
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="只显示将要做的修改（diff），不写文件")
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year", metavar="年份", parser=whole_number, help="全年报告，如 2023", show_default=False
    ),
]
