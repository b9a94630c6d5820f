"""One office's fill-in form as an .xlsx: its rows locked, four input columns open, a hidden stamp.

The sheet is protected without a password, so a slip cannot change a task's text or number;
only the input cells (状态, 本季度进展, 日期, 佐证材料) take typing. The hidden sheet `STAMP_SHEET`
holds the stamp (`core.forms.Stamp`): the plan, its hash, the office and the period, and for
each row the clause it was made for.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from plantrack.core.domain import Status
from plantrack.core.forms import FormRow, Stamp
from plantrack.core.periods import Period
from plantrack.core.wording import month_day, period_name
from plantrack.output.columns import Column, headings
from plantrack.output.ledger import LINE_HEIGHT, put_text, set_up_printing, wrapped_lines

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

SHEET = "进展填报"
STAMP_SHEET = "plantrack"
HEADER_ROW = 4
INPUT_FILL = "FFF2CC"  # the pale yellow offices know as "fill in here"

COLUMNS: list[Column[FormRow]] = [
    Column("序号", 7, lambda r: r.ref),
    Column("工作任务", 18, lambda r: r.task.title),
    Column("分工内容", 40, lambda r: r.text),
    Column("角色", 6, lambda r: r.role),
    Column("本期时限", 18, lambda r: r.deadlines),
    Column("当前状态", 8, lambda r: r.status.value),
    Column("最近进展", 20, lambda r: r.last_note),
]
INPUTS: list[tuple[str, int]] = [("状态", 9), ("本季度进展", 34), ("日期", 12), ("佐证材料", 16)]
INPUT_HEADINGS = [heading for heading, _ in INPUTS]
ALL_HEADINGS = [*headings(COLUMNS), *INPUT_HEADINGS]


def file_name(office: str, period: str) -> str:
    """The form's file name: 局法规科-2023Q3-进展填报.xlsx."""
    return f"{office}-{period}-进展填报.xlsx"


def to_xlsx(rows: list[FormRow], *, stamp: Stamp, title: str) -> bytes:
    """The form workbook: the office's rows, its input cells, and the hidden stamp."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    from plantrack.output.package import reproducible

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    _write_heading(sheet, stamp, title)
    _write_rows(sheet, rows)
    _offer_choices(sheet, stamp, last_row=HEADER_ROW + len(rows))
    _protect(sheet)
    set_up_printing(
        sheet, header_row=HEADER_ROW, last_row=HEADER_ROW + len(rows), columns=len(ALL_HEADINGS)
    )
    _write_stamp(workbook.create_sheet(STAMP_SHEET), stamp, rows)
    # The order and number of sheets stay as made: the stamp cannot be dropped by a slip.
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.properties.title = f"{stamp.office}{period_name_of(stamp)}进展填报"
    workbook.properties.creator = "plantrack"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return reproducible(buffer.getvalue(), day=stamp.made)


def period_name_of(stamp: Stamp) -> str:
    """The stamp's period as prose: 2023年第三季度."""
    return period_name(Period(stamp.start, stamp.end, stamp.period))


def _write_heading(sheet: Worksheet, stamp: Stamp, title: str) -> None:
    from openpyxl.styles import Alignment, Font

    last = len(ALL_HEADINGS)
    period = period_name_of(stamp)
    span = f"{month_day(stamp.start)}至{month_day(stamp.end)}"
    lines = [
        f"{title}进展填报表",
        f"填报单位：{stamp.office}　　填报期间：{period}（{span}）",
        f"请于{month_day(stamp.reply_by)}前填报本季度进展并交回。只填浅黄色的格子：状态（下拉选择）、"
        "本季度进展、日期、佐证材料；其余格子已锁定，不必改动。",
    ]
    for row, text in enumerate(lines, start=1):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        put_text(sheet.cell(row=row, column=1), text)
        sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="center")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.row_dimensions[3].height = LINE_HEIGHT * 2


def _write_rows(sheet: Worksheet, rows: list[FormRow]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="999999")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    input_fill = PatternFill("solid", fgColor=INPUT_FILL)
    widths = [c.width for c in COLUMNS] + [width for _, width in INPUTS]
    for col, (heading, width) in enumerate(zip(ALL_HEADINGS, widths, strict=True), start=1):
        head = sheet.cell(row=HEADER_ROW, column=col)
        put_text(head, heading)
        head.font = Font(bold=True)
        head.fill = PatternFill("solid", fgColor="DDEBF7" if col <= len(COLUMNS) else INPUT_FILL)
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        head.border = border
        sheet.column_dimensions[get_column_letter(col)].width = width
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        for col, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=r, column=col)
            put_text(cell, column.text(row))
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = border
        for col in range(len(COLUMNS) + 1, len(ALL_HEADINGS) + 1):
            cell = sheet.cell(row=r, column=col)
            cell.fill = input_fill
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.protection = Protection(locked=False)
        sheet.cell(row=r, column=_input_column("日期")).number_format = "yyyy-mm-dd"
        # Room for the row's text, and for three lines of an answer.
        tallest = max(wrapped_lines(c.text(row), c.width) for c in COLUMNS)
        sheet.row_dimensions[r].height = LINE_HEIGHT * max(tallest, 3)
    sheet.freeze_panes = f"B{HEADER_ROW + 1}"


def _offer_choices(sheet: Worksheet, stamp: Stamp, *, last_row: int) -> None:
    """A drop-down of the plan's statuses, and a date cell that takes days of the period."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if last_row <= HEADER_ROW:
        return
    first = HEADER_ROW + 1
    statuses = ",".join(status.value for status in Status)
    status = DataValidation(type="list", formula1=f'"{statuses}"', allow_blank=True)
    status.error = f"请从下拉列表中选择：{statuses.replace(',', '、')}"
    status.errorTitle = "状态"
    status.showErrorMessage = True
    start, end = stamp.start, stamp.end
    date = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({start.year},{start.month},{start.day})",
        formula2=f"DATE({end.year},{end.month},{end.day})",
        allow_blank=True,
    )
    date.error = f"请填写{month_day(start)}至{month_day(end)}之间的日期，如 {_example(stamp)}"
    date.errorTitle = "日期"
    date.showErrorMessage = True
    for validation, heading in ((status, "状态"), (date, "日期")):
        letter = _letter(_input_column(heading))
        validation.add(f"{letter}{first}:{letter}{last_row}")
        sheet.add_data_validation(validation)


def _example(stamp: Stamp) -> str:
    return min(stamp.end, max(stamp.start, stamp.made)).isoformat()


def _protect(sheet: Worksheet) -> None:
    """Lock every cell but the inputs; no password: this guards against slips, not people."""
    protection = sheet.protection
    protection.sheet = True
    protection.formatRows = False  # a row may be made taller for a long answer
    protection.formatColumns = False
    protection.selectLockedCells = False
    protection.selectUnlockedCells = False


def _write_stamp(sheet: Worksheet, stamp: Stamp, rows: list[FormRow]) -> None:
    sheet.sheet_state = "hidden"
    put_text(sheet.cell(row=1, column=1), stamp.header())
    for index, row in enumerate(rows, start=2):
        values = [str(HEADER_ROW + index - 1), row.ref, row.fingerprint, row.occurrence or ""]
        for col, value in enumerate(values, start=1):
            put_text(sheet.cell(row=index, column=col), value)
    sheet.protection.sheet = True


def _input_column(heading: str) -> int:
    return ALL_HEADINGS.index(heading) + 1


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
