"""The 台账: one row per task with the columns offices keep, as CSV, XLSX or JSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from plantrack.columns import Column, headings, text_rows
from plantrack.query import PROGRESS_COLUMN, TASK_COLUMNS, TaskLine

COLUMNS: list[Column[TaskLine]] = [*TASK_COLUMNS, PROGRESS_COLUMN]


def to_csv(lines: list[TaskLine]) -> bytes:
    """CSV with a BOM, so Excel on Chinese Windows reads it as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headings(COLUMNS))
    writer.writerows(text_rows(COLUMNS, lines))
    return buffer.getvalue().encode("utf-8-sig")


def to_json(lines: list[TaskLine]) -> bytes:
    """A JSON array of objects keyed by the Chinese column names."""
    names = headings(COLUMNS)
    records = [dict(zip(names, row, strict=True)) for row in text_rows(COLUMNS, lines)]
    return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_xlsx(lines: list[TaskLine], *, title: str, stamp: dt.date) -> bytes:
    """An Excel workbook: bold header, frozen panes, wrapped text, sensible widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "工作台账"
    sheet.append(headings(COLUMNS))
    for line in lines:
        sheet.append([column.get(line) for column in COLUMNS])
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
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
