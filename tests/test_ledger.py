"""The 台账: one row per 分工, real dates, 预警 fills, print set-up; CSV and JSON alike."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from helpers import PROGRESS_PLAN, Invoke
from plantrack.output.columns import headings
from plantrack.output.ledger import COLUMNS, HEADER_ROW, as_text

AS_OF = "2023-10-08"
HEADINGS = ["序号", "工作任务", "工作内容", "牵头单位", "责任单位", "完成时限", "状态", "进展情况", "预警", "备注"]  # fmt: skip


def export(cli: Invoke, fmt: str, out: Path, *args: str) -> None:
    cli("export", "--format", fmt, "-o", str(out), "--as-of", AS_OF, *args)


def test_csv_has_one_row_per_clause_with_the_ledger_columns(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "台账.csv"
    export(cli, "csv", out, "--plan", str(PROGRESS_PLAN))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == HEADINGS == headings(COLUMNS)
    assert len(rows) == 1 + 33
    by_number = {row[0]: dict(zip(HEADINGS, row, strict=True)) for row in rows[1:]}
    assert [n for n in by_number if n.startswith("7")] == ["7.1", "7.2", "7.3"]
    blocked = by_number["7.3"]
    assert (blocked["牵头单位"], blocked["状态"]) == ("局财审科", "受阻")
    assert blocked["进展情况"] == "2023-09-10 第7项第3条 受阻 降本增效政策清单待市局下发（张三）"
    assert by_number["7.1"]["状态"] == "未开始"
    report = by_number["26"]
    # The next open occurrence is Q1 (never done): it is overdue, hence 红.
    assert (report["完成时限"], report["状态"], report["预警"]) == ("2023-03-31", "进行中", "红")
    assert report["备注"].splitlines()[:2] == [
        "每季度末（已完成 2/4）",
        "第二季度报送法治建设工作文稿 逾期完成 3 天",
    ]
    assert by_number["16"]["牵头单位"] == "—"


def test_xlsx_is_a_printable_ledger(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    export(cli, "xlsx", out, "--plan", str(PROGRESS_PLAN))
    sheet = load_workbook(out).active
    assert sheet is not None
    assert sheet["A1"].value == "2023年交通法治工作要点任务台账"
    assert sheet["A2"].value == "截至 2023年10月8日　范围：全局"
    assert [c.value for c in sheet[HEADER_ROW]] == HEADINGS
    assert sheet.max_row == HEADER_ROW + 33
    due = sheet.cell(row=HEADER_ROW + 1, column=HEADINGS.index("完成时限") + 1)
    assert isinstance(due, Cell) and due.is_date and due.number_format == "yyyy-mm-dd"
    assert due.value == dt.datetime(2023, 12, 31)
    assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
    assert sheet.auto_filter.ref == f"A{HEADER_ROW}:J{HEADER_ROW + 33}"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9  # A4
    fit = sheet.sheet_properties.pageSetUpPr
    assert sheet.page_setup.fitToWidth == 1 and fit is not None and fit.fitToPage
    assert sheet.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert sheet.oddFooter is not None
    assert sheet.oddFooter.center.text == "第 &P 页，共 &N 页"
    # Room for the footer's line between the page edge and the table: at least 12 mm.
    margins = sheet.page_margins
    assert (margins.bottom - margins.footer) * 25.4 >= 12
    fills = {
        row[0].value: row[HEADINGS.index("预警")].fill.fgColor.rgb
        for row in sheet.iter_rows(min_row=HEADER_ROW + 1)
    }
    assert fills["26"].endswith("FFC7CE") and fills["1"].endswith("C6EFCE")


def test_same_plan_same_day_same_bytes_whatever_the_clock(cli: Invoke, tmp_path: Path) -> None:
    outputs = []
    for moment in (dt.datetime(2024, 1, 2, 9, 30), dt.datetime(2031, 12, 31, 23, 59)):
        out = tmp_path / f"{moment.year}.xlsx"
        with time_machine.travel(moment.replace(tzinfo=dt.UTC), tick=False):
            export(cli, "xlsx", out)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.fixture
def hostile_plan(tmp_path: Path, plan_text: str) -> Path:
    """A plan whose task title is a formula, as a document received from outside might carry."""
    path = tmp_path / "plans" / "2023.yaml"
    path.parent.mkdir()
    title = "title: 统筹推进专项整治工作"
    path.write_text(plan_text.replace(title, 'title: \'=HYPERLINK("http://x","y")\''), "utf-8")
    return path


FORMULA = '=HYPERLINK("http://x","y")'


def test_a_formula_title_and_note_stay_text_in_csv(
    cli: Invoke, tmp_path: Path, hostile_plan: Path
) -> None:
    cli("log", "14", FORMULA, "--plan", str(hostile_plan))
    out = tmp_path / "台账.csv"
    export(cli, "csv", out, "--plan", str(hostile_plan))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    cells = [cell for row in rows for cell in row]
    assert "'" + FORMULA in cells  # the title
    assert any(cell.startswith("2023-") and FORMULA in cell for cell in cells)  # the note
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_a_formula_title_and_note_stay_text_in_xlsx(
    cli: Invoke, tmp_path: Path, hostile_plan: Path
) -> None:
    cli("log", "13", FORMULA, "--plan", str(hostile_plan))
    out = tmp_path / "台账.xlsx"
    export(cli, "xlsx", out, "--plan", str(hostile_plan))
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    title = next(c for c in cells if c.value == FORMULA)
    assert title.data_type == "s"
    assert any(FORMULA in str(c.value) and c.value != FORMULA for c in cells)  # the note


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+1", "'=1+1"), ("+86", "'+86"), ("-3 件", "'-3 件"), ("@SUM", "'@SUM"),
     ("\tx", "'\tx"), ("\rx", "'\rx"), ("局法规科", "局法规科"), ("", "")],
)  # fmt: skip
def test_cells_that_would_run_get_a_quote(value: str, safe: str) -> None:
    assert as_text(value) == safe


def test_xlsx_needs_an_output_file(cli: Invoke) -> None:
    assert "-o" in cli("export", "--format", "xlsx", code=2).stderr


def test_json_ledger_and_dept_filter(cli: Invoke) -> None:
    records = json.loads(cli("export", "--format", "json", "--dept", "执法支队").stdout)
    assert list(records[0]) == HEADINGS
    tasks = {r["序号"].split(".")[0] for r in records}
    assert {"4", "14", "15", "16", "17"} <= tasks and "9" not in tasks


def test_an_entry_for_a_dated_deadline_names_it_and_writes_the_date_once(
    cli: Invoke, plan_copy: Path, tmp_path: Path
) -> None:
    at = ["--plan", str(plan_copy), "--as-of", "2023-12-05"]
    cli("mark", "25", "done", "--occurrence", "2023-12-04", "--date", "2023-12-04",
        "--note", "已开展", "--by", "张三", *at)  # fmt: skip
    out = tmp_path / "台账.csv"
    cli("export", "--format", "csv", "-o", str(out), *at)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    [row] = [dict(zip(HEADINGS, row, strict=True)) for row in rows[1:] if row[0] == "25"]
    assert row["进展情况"] == "2023-12-04 12·4 已完成 已开展（张三）（2023-12-05 补记）"


def test_rows_are_as_tall_as_their_text_in_excel_and_no_taller(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    export(cli, "xlsx", out, "--plan", str(PROGRESS_PLAN))
    sheet = load_workbook(out).active
    assert sheet is not None
    # Task 1's text in the 工作内容 column (width 44), where Excel fits about 21 CJK
    # characters a line: enough lines for all of it, and none to spare.
    first = HEADER_ROW + 1
    text = sheet.cell(row=first, column=HEADINGS.index("工作内容") + 1).value
    assert isinstance(text, str)
    lines = -(-len(text) // 21)
    height = sheet.row_dimensions[first].height
    assert height == lines * 15
