"""The 台账 export: CSV for Excel on Chinese Windows, XLSX through openpyxl, JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from helpers import PROGRESS_PLAN, Invoke
from plantrack.columns import headings
from plantrack.ledger import COLUMNS


def test_csv_starts_with_a_bom_and_has_the_ledger_columns(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "台账.csv"
    cli(
        "export",
        "--format",
        "csv",
        "-o",
        str(out),
        "--plan",
        str(PROGRESS_PLAN),
        "--as-of",
        "2023-10-08",
    )
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["序号", "工作任务", "牵头单位", "责任单位", "完成时限", "状态", "进展情况"]
    assert len(rows) == 27
    task_26 = rows[26]
    assert task_26[:6] == [
        "26",
        "落实法治工作信息报送制度",
        "局法规科",
        "局属各单位、局机关各科室",
        "每季度末；11月20日前（已完成 2/5）",
        "进行中",  # two of its quarterly reports are done
    ]
    assert task_26[6].splitlines() == [
        "2023-07-03 2023Q2 已完成（逾期完成 3 天） 报送《法治工作简报》第2期（张三）",
        "2023-09-20 2023Q3 已完成 报送专项整治经验做法（张三）",
    ]


def test_xlsx_has_header_frozen_panes_wrapping_and_26_rows(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    cli("export", "--format", "xlsx", "-o", str(out))
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet.title == "工作台账"
    assert [c.value for c in sheet[1]] == headings(COLUMNS)
    assert sheet.max_row == 27
    assert [sheet.cell(row=r, column=1).value for r in range(2, 28)] == list(range(1, 27))
    assert sheet.freeze_panes == "A2"
    assert sheet["B2"].alignment.wrap_text is True
    assert sheet["A1"].font.bold is True
    assert sheet.column_dimensions["B"].width >= 30
    assert sheet.column_dimensions["G"].width >= 40
    assert [sheet.column_dimensions[c].width for c in "ABCDEFG"] == [c.width for c in COLUMNS]


def test_xlsx_needs_an_output_file(cli: Invoke) -> None:
    assert "-o" in cli("export", "--format", "xlsx", code=2).stderr


def test_json_ledger_and_dept_filter(cli: Invoke) -> None:
    records = json.loads(cli("export", "--format", "json", "--dept", "执法支队").stdout)
    assert list(records[0]) == headings(COLUMNS)
    ids = [int(r["序号"]) for r in records]
    assert {4, 14, 15, 16, 17} <= set(ids) and 9 not in ids
