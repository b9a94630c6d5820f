"""The 台账 as offices keep it: one row per 分工, as XLSX (printable), CSV or JSON.

Every text cell is written so that a spreadsheet shows it as text: a title or a note that
begins with = + - @ or a tab is never run as a formula (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

from plantrack.core.answers import TaskLine
from plantrack.core.describe import describe_target
from plantrack.core.domain import Status
from plantrack.core.model import Clause, Progress
from plantrack.core.schedule import Level, Occurrence, level
from plantrack.core.wording import (
    EVERY_TEXT,
    chinese_date,
    month_day,
    occurrence_name,
    progress_text,
    unit_list,
)
from plantrack.output.columns import Column, headings, text_rows
from plantrack.output.display import printable

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell, MergedCell
    from openpyxl.worksheet.worksheet import Worksheet

TITLE = "任务台账"
LATEST_ENTRIES = 3
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ClauseLine(NamedTuple):
    """One 分工 of a task, as a row of the 台账."""

    line: TaskLine
    clause_index: int

    @property
    def clause(self) -> Clause:
        """The clause itself."""
        return self.line.task.clauses[self.clause_index]

    @property
    def number(self) -> str:
        """7.1, 7.2 for a task of several clauses; 13 for a task of one."""
        return self.line.task.clause_ref(self.clause_index + 1)

    @property
    def status(self) -> Status:
        """The clause's status on the timeline's date."""
        return self.line.timeline.clause_status(self.line.task, self.clause_index)

    @property
    def next_open(self) -> Occurrence | None:
        """The clause's first dated occurrence not yet done for it, or None when all are."""
        timeline, task, clause = self.line.timeline, self.line.task, self.clause_index + 1
        return next(
            (
                o
                for o in timeline.occurrences(task)
                if o.date and o.applies_to(clause) and not timeline.is_done_for(task, clause, o)
            ),
            None,
        )

    @property
    def due(self) -> dt.date | str:
        """The date to meet: the next open occurrence, else the last one; blank if undated."""
        occ = self.next_open
        if occ is None:
            dated = [o for o in self.line.timeline.occurrences(self.line.task) if o.date]
            occ = dated[-1] if dated else None
        return occ.date if occ and occ.date else ""

    @property
    def level(self) -> Level:
        """红 overdue, 黄 near, 绿 on track or done, from the next open occurrence."""
        occ, as_of = self.next_open, self.line.timeline.as_of
        if occ is None or occ.date is None or as_of is None or self.status is Status.DONE:
            return "绿"
        return level((occ.date - as_of).days, self.line.timeline.plan.warn_days)

    @property
    def progress(self) -> str:
        """The latest entries for this clause or the whole task, oldest first."""
        own = [e for e in self.line.entries if e.clause in (None, self.clause_index + 1)]
        return "\n".join(_entry_text(self.line, e) for e in own[-LATEST_ENTRIES:])

    @property
    def remarks(self) -> str:
        """What the other columns cannot say: the rule, dates' sources, supporting units."""
        timeline, task = self.line.timeline, self.line.task
        notes: list[str] = []
        for occ in timeline.occurrences(task):
            if occ.every and EVERY_TEXT[occ.every] not in "".join(notes):
                counts = timeline.counts(task, occ.every)
                notes.append(f"{EVERY_TEXT[occ.every]}（已完成 {counts.done}/{counts.total}）")
            if occ.date_source:
                notes.append(f"{occurrence_name(occ)}：{occ.date_source}")
            late = timeline.late_days(task, occ)
            if late:
                notes.append(f"{occurrence_name(occ)} 逾期完成 {late} 天")
            for step in occ.postponed:  # a 台账 keeps each 延期 with its reason
                moved = f"{month_day(step.before)}延期至{month_day(step.after)}"
                notes.append(f"{occ.label or occurrence_name(occ)}：{moved}（{step.reason}）")
        for target in task.targets:
            actual, met = describe_target(timeline, task, target)
            if met == "达到":
                notes.append(f"{target.name} {actual}（达到）")
        if self.clause.support:
            notes.append(f"配合单位：{'、'.join(self.clause.support)}")
        return "\n".join(notes)


def _entry_text(line: TaskLine, entry: Progress) -> str:
    # Given the occurrences, a dated one is named (“12·4”国家宪法日…), not its date again.
    return progress_text(entry, line.task, occurrences=line.timeline.occurrences(line.task))


# Widths are Excel's column widths, which count a CJK character as two.
COLUMNS: list[Column[ClauseLine]] = [
    Column("序号", 6, lambda row: row.number),
    Column("工作任务", 18, lambda row: row.line.task.title),
    Column("工作内容", 44, lambda row: row.clause.text),
    Column("牵头单位", 14, lambda row: unit_list(row.clause.lead)),
    Column("责任单位", 16, lambda row: unit_list(row.clause.responsible)),
    Column("完成时限", 11, lambda row: row.due),
    Column("状态", 7, lambda row: row.status.value),
    Column("进展情况", 30, lambda row: row.progress),
    Column("预警", 6, lambda row: row.level),
    Column("备注", 24, lambda row: row.remarks),
]
LEVEL_FILLS = {"红": "FFC7CE", "黄": "FFEB9C", "绿": "C6EFCE"}


def clause_lines(lines: list[TaskLine]) -> list[ClauseLine]:
    """A row for every clause of every task, in document order."""
    return [ClauseLine(line, i) for line in lines for i in range(len(line.task.clauses))]


def as_text(value: str) -> str:
    """Text a spreadsheet will not run: a leading ' before = + - @ tab or return."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(lines: list[TaskLine]) -> bytes:
    """CSV with a BOM, so Excel on Chinese Windows reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings(COLUMNS))
    writer.writerows([as_text(cell) for cell in row] for row in _rows(lines))
    return buffer.getvalue().encode("utf-8-sig")


def to_json(lines: list[TaskLine]) -> bytes:
    """A JSON array of objects keyed by the Chinese column names."""
    names = headings(COLUMNS)
    records = [dict(zip(names, row, strict=True)) for row in _rows(lines)]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _rows(lines: list[TaskLine]) -> list[list[str]]:
    return text_rows(COLUMNS, clause_lines(lines))


def to_xlsx(lines: list[TaskLine], *, title: str, as_of: dt.date, scope: str) -> bytes:
    """The 台账 workbook: title and 截至 rows, frozen header, filters, fills, A4 landscape."""
    from openpyxl import Workbook

    from plantrack.output.package import reproducible

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TITLE
    rows = clause_lines(lines)
    _write_title(sheet, title, as_of, scope)
    _write_table(sheet, rows)
    set_up_printing(
        sheet, header_row=HEADER_ROW, last_row=len(rows) + HEADER_ROW, columns=len(COLUMNS)
    )
    workbook.properties.title = f"{title}{TITLE}"
    workbook.properties.creator = "plantrack"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue(), day=as_of)


HEADER_ROW = 3
LINE_HEIGHT = 15  # points per line of 11-point text


def _lines(column: Column[ClauseLine], row: ClauseLine) -> int:
    """How many lines the cell's text wraps to in the column's width."""
    return wrapped_lines(column.text(row), column.width)


def wrapped_lines(text: str, width: float) -> int:
    """How many lines text wraps to in a column of width, erring on the long side.

    Fonts differ from machine to machine; a row a line too tall is better than a clipped one.
    The width is Excel's (Calibri 11): a column of 44 holds about 21 CJK characters there,
    and more in LibreOffice; 0.95 of it per line clips nothing and leaves rows near full.
    """
    per_line = max(width * 0.95 - 1, 1)
    count = 0
    for part in text.split("\n"):
        count += max(1, math.ceil(_display_width(part) / per_line))
    return count


def _display_width(text: str) -> int:
    # Excel's column width counts a CJK character as two.
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _write_title(sheet: Worksheet, title: str, as_of: dt.date, scope: str) -> None:
    from openpyxl.styles import Alignment, Font

    last = len(COLUMNS)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    put_text(sheet.cell(row=1, column=1), f"{title}{TITLE}")
    put_text(sheet.cell(row=2, column=1), f"截至 {chinese_date(as_of)}　范围：{scope}")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet["A2"].alignment = Alignment(horizontal="right")
    sheet.row_dimensions[1].height = 30


def _write_table(sheet: Worksheet, rows: list[ClauseLine]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for col, column in enumerate(COLUMNS, start=1):
        head = sheet.cell(row=HEADER_ROW, column=col)
        put_text(head, column.heading)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDEBF7")
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
        sheet.column_dimensions[get_column_letter(col)].width = column.width
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=r, column=col)
            value = column.get(row)
            if isinstance(value, dt.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                put_text(cell, str(value))
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
        # Spreadsheets do not grow a row to fit wrapped text written by a program.
        sheet.row_dimensions[r].height = LINE_HEIGHT * max(_lines(c, row) for c in COLUMNS)
        level_cell = sheet.cell(row=r, column=_column_index("预警"))
        level_cell.fill = PatternFill("solid", fgColor=LEVEL_FILLS[row.level])
        level_cell.alignment = Alignment(horizontal="center", vertical="top")
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    last_column = get_column_letter(len(COLUMNS))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last_column}{HEADER_ROW + max(len(rows), 1)}"


def set_up_printing(sheet: Worksheet, *, header_row: int, last_row: int, columns: int) -> None:
    """A4 landscape, one page wide, the header row on every page, 第 N 页，共 M 页 below."""
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_area = f"A1:{_letter(columns)}{last_row}"
    footer = sheet.oddFooter
    assert footer is not None
    footer.center.text = "第 &P 页，共 &N 页"
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    # Inches. The footer's line lives between the page edge (footer) and the table (bottom):
    # with 0.6 and Excel's 0.3 it got 7.6 mm, and LibreOffice cut 第 N 页 in half.
    sheet.page_margins.top = 0.6
    sheet.page_margins.bottom = 0.9
    sheet.page_margins.header = sheet.page_margins.footer = 0.3


def put_text(cell: Cell | MergedCell, value: str) -> None:
    """Put text in a cell as a string, never as a formula, whatever it begins with."""
    cell.value = printable(value)  # openpyxl refuses control characters in a worksheet
    cell.data_type = "s"


def _column_index(heading: str) -> int:
    return headings(COLUMNS).index(heading) + 1


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
