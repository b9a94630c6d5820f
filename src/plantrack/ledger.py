"""The 台账: one row per task with the columns offices keep, as CSV, XLSX or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from plantrack.model import Plan, Task
from plantrack.query import deadline_summary, progress_text

COLUMNS = ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "状态", "进展情况"]
# Column widths in Excel character units; CJK characters count about double.
XLSX_WIDTHS = [6, 36, 24, 28, 22, 8, 48]


def ledger_rows(plan: Plan, tasks: list[Task]) -> list[list[str]]:
    """One row per task, cells as plain text."""
    return [
        [
            str(task.id),
            task.title,
            "、".join(task.lead_units),
            "、".join(task.responsible_units),
            deadline_summary(task, plan),
            task.status.value,
            "\n".join(progress_text(entry) for entry in task.progress),
        ]
        for task in tasks
    ]


def to_csv(rows: list[list[str]]) -> bytes:
    """CSV with a BOM, so Excel on Chinese Windows reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_json(rows: list[list[str]]) -> bytes:
    """A JSON array of objects keyed by the Chinese column names."""
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_xlsx(rows: list[list[str]], *, title: str, stamp: dt.date) -> bytes:
    """An Excel workbook: bold header, frozen panes, wrapped text, sensible widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "工作台账"
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([int(row[0]), *row[1:]])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    # Fixed document dates keep exports of the same plan on the same day identical in content.
    moment = dt.datetime.combine(stamp, dt.time())
    workbook.properties.title = title
    workbook.properties.creator = "plantrack"
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
