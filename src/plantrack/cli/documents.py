"""Commands that write documents, and read them: export, report, import."""

from pathlib import Path
from typing import Annotated

import typer

from plantrack.cli.options import (
    AsOfOption,
    DeptOption,
    ForceOption,
    OutputOption,
    PlanOption,
    PossibleOption,
    QuarterOption,
    RoleOption,
    YearOption,
    format_option,
    involvement,
    whole_number,
)
from plantrack.cli.root import command, reports_errors
from plantrack.output.formats import EXPORT_FORMATS, REPORT_FORMATS


@command()
@reports_errors
def export(
    format: Annotated[str, format_option(EXPORT_FORMATS, "导出格式")],
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    output: OutputOption = None,
    force: ForceOption = False,
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """导出到其他程序：ics 日历（每个时限一个全天日程），或 csv/xlsx/json 工作台账。"""
    from plantrack.cli import console
    from plantrack.commands import reports

    rendered = reports.export(
        format,
        plan=plan,
        dept=dept,
        involvement=involvement(role, include_possible),
        as_of=as_of,
        output=console.output_path(output),
    )
    console.write_rendered(rendered, force=force)


@command()
@reports_errors
def report(
    quarter: QuarterOption = None,
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="日期",
            help="自定义报告期起（YYYY-MM-DD），与 --to 同用",
            show_default=False,
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", metavar="日期", help="自定义报告期止（YYYY-MM-DD）", show_default=False
        ),
    ] = None,
    year: YearOption = None,
    dept: DeptOption = None,
    role: RoleOption = "named",
    include_possible: PossibleOption = False,
    format: Annotated[str, format_option(REPORT_FORMATS, "报告格式")] = "md",
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="文件",
            help="输出文件；其中的 {period} 换成报告期，如 进展报告-{period}.md；缺省或 - 写到标准输出",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates",
            metavar="目录",
            help="自定义模板目录（report.md.j2、report.html.j2、report.docx）",
            show_default=False,
        ),
    ] = None,
    doc_number: Annotated[
        str,
        typer.Option(
            "--doc-number",
            metavar="文号",
            help="Word 公文的发文字号，如 区交法〔2023〕12号（签发人写在计划的 reporting 中）",
            show_default=False,
        ),
    ] = "",
    as_of: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """生成进展报告（季度、全年或自定义期间；Markdown、HTML 或 Word 公文）。"""
    from plantrack.cli import console
    from plantrack.commands import reports

    rendered = reports.report(
        format,
        plan=plan,
        quarter=quarter,
        start=from_,
        end=to,
        dept=dept,
        involvement=involvement(role, include_possible),
        as_of=as_of,
        templates=templates,
        output=console.output_path(output),
        year=year,
        doc_number=doc_number,
    )
    console.write_rendered(rendered, force=force)


@command("import")
@reports_errors
def import_(
    document: Annotated[
        Path,
        typer.Argument(
            metavar="原文",
            help="工作要点或分工方案：.txt（UTF-8 或 GBK）、.docx、.pdf（有文字层）或 .xlsx",
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            metavar="年份",
            parser=whole_number,
            help="计划年度；缺省从标题中读取",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            metavar="文件",
            help="写入的计划文件；缺省写到标准输出",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="有任何需要人工核对之处即报错、不写入（供 CI 使用）")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示读出的提纲（部分、任务、牵头单位），不写入")
    ] = False,
    draft: Annotated[
        bool,
        typer.Option(
            "--draft",
            help="原文不足以生成有效计划时仍写出草稿：没有单位的分工填“〔待填写〕”，check 会逐处指出",
        ),
    ] = False,
    units_from: Annotated[
        Path | None,
        typer.Option(
            "--units-from",
            metavar="计划",
            help="按这份计划登记的单位核对原文中的单位名称；缺省为输出文件旁最新一年的计划",
            show_default=False,
        ),
    ] = None,
) -> None:
    """从工作要点或分工方案生成计划文件：部分、任务、分工、单位、时限和目标。"""
    from plantrack.cli import console
    from plantrack.importer import convert as importer

    target = None if dry_run else console.output_path(output)
    imported = importer.import_document(
        document,
        year=year,
        output=target,
        force=force,
        strict=strict,
        units_from=units_from,
        draft=draft,
    )
    console.print_import(imported, target, dry_run=dry_run, force=force)
    if imported.refused:
        raise typer.Exit(1)
