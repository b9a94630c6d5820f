"""Every file plantrack writes, in one registry: report and export formats, each -> bytes.

The command line takes its --format choices from here at startup, so this module imports
only what a format is; each writer imports its own libraries when it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from plantrack.core.answers import TaskLine
    from plantrack.core.model import Plan
    from plantrack.core.periods import Period
    from plantrack.core.report import Report
    from plantrack.core.selection import Scope
    from plantrack.core.timeline import Timeline


class Job(NamedTuple):
    """What a format writes from: the plan's timeline, the tasks in scope, and the dates."""

    timeline: Timeline
    scope: Scope
    as_of: dt.date
    period: Period | None = None
    templates: Path | None = None
    next_plan: Plan | None = None  # the next year's plan beside this one, for an annual report
    doc_number: str = ""  # 发文字号 of the one report being made

    @property
    def name(self) -> str:
        """The plan's title, with the unit when the job is for one unit."""
        unit = self.scope.name
        return self.timeline.plan.title + (f"（{unit}）" if unit else "")

    @property
    def scope_name(self) -> str:
        """The unit the job is for, or 全局."""
        return self.scope.name or "全局"

    @property
    def lines(self) -> list[TaskLine]:
        """The tasks in scope as table lines."""
        from plantrack.core.answers import TaskLine

        return [TaskLine(match, self.timeline) for match in self.scope.matches]


class Format(NamedTuple):
    """One file format: its name on the command line, a description, and its writer."""

    name: str
    description: str
    write: Callable[[Job], bytes]
    # Binary files would garble a terminal: they need -o, as in the example file name.
    binary: bool = False
    example: str = ""


def _markdown(job: Job) -> bytes:
    return _render_report(job, "report.md.j2")


def _html(job: Job) -> bytes:
    return _render_report(job, "report.html.j2")


def _render_report(job: Job, template: str) -> bytes:
    from plantrack.output import render

    context = {"r": _report_context(job)}
    return render.render(template, context, templates=job.templates).encode("utf-8")


def _docx(job: Job) -> bytes:
    from plantrack.output import render
    from plantrack.output.package import reproducible

    report = _report_context(job)
    # A year's report is the statutory one, in its own outline; a templates folder made
    # before it existed has only report.docx, which then serves for the year as well.
    name = "annual.docx" if report.annual else "report.docx"
    if not render.has_template(name, job.templates):
        name = "report.docx"
    # The file's own title and author, as Word's 属性 and a document list show them.
    described = {"title": report.document_title, "author": report.issuer or "plantrack"}
    data = render.render_docx(name, {"r": report}, templates=job.templates, **described)
    return reproducible(data, day=job.as_of)


def _report_context(job: Job) -> Report:
    from plantrack.core.report import build_report

    assert job.period is not None
    return build_report(
        job.timeline,
        job.scope.tasks,
        period=job.period,
        as_of=job.as_of,
        scope=job.scope.name,
        covers=job.scope.entry_filter(),
        owed=job.scope.owed(),
        next_plan=job.next_plan,
        doc_number=job.doc_number,
    )


def _ics(job: Job) -> bytes:
    from plantrack.output import ics

    scope = job.scope
    return ics.build_calendar(
        job.timeline, scope.tasks, stamp=job.as_of, name=job.name, owed=scope.owed()
    )


def _csv(job: Job) -> bytes:
    from plantrack.output import ledger

    return ledger.to_csv(job.lines)


def _json(job: Job) -> bytes:
    from plantrack.output import ledger

    return ledger.to_json(job.lines)


def _xlsx(job: Job) -> bytes:
    from plantrack.output import ledger

    plan_title = job.timeline.plan.title
    return ledger.to_xlsx(job.lines, title=plan_title, as_of=job.as_of, scope=job.scope_name)


def _report_pdf(job: Job) -> bytes:
    from plantrack.output import pdf

    return pdf.convert(_docx(job), ".docx")


def _ledger_pdf(job: Job) -> bytes:
    from plantrack.output import pdf

    return pdf.convert(_xlsx(job), ".xlsx")


REPORT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("md", "Markdown", _markdown),
        Format("html", "HTML", _html),
        Format("docx", "Word 公文（GB/T 9704）", _docx, binary=True, example="进展报告.docx"),
        Format(
            "pdf",
            "Word 公文转成的 PDF（需要 LibreOffice）",
            _report_pdf,
            binary=True,
            example="进展报告.pdf",
        ),
    ]
}
EXPORT_FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("ics", "日历（每个时限一个全天日程）", _ics),
        Format("csv", "工作台账", _csv),
        Format("xlsx", "工作台账", _xlsx, binary=True, example="台账.xlsx"),
        Format("json", "工作台账", _json),
        Format(
            "pdf",
            "工作台账转成的 PDF（需要 LibreOffice）",
            _ledger_pdf,
            binary=True,
            example="台账.pdf",
        ),
    ]
}


def binary_refusal(registry: dict[str, Format], name: str) -> str | None:
    """Why the named format cannot go to standard output, or None when it can."""
    chosen = registry[name]
    if not chosen.binary:
        return None
    return f"{chosen.name} 是二进制文件：请用 -o 指定输出文件，如 -o {chosen.example}"
