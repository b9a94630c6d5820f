"""The 台账 as Word/Excel users see it: LibreOffice converts it to PDF, and the pages hold up.

Skips when LibreOffice or poppler is absent, unless PLANTRACK_REQUIRE_TOOLS=1 (set by
.ci/run, which installs them), so CI always runs it. One conversion per file: it is slow.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from helpers import PROGRESS_PLAN, Invoke, convert, require_tool, to_pdf


def pdf_pages(pdf: Path) -> tuple[int, str]:
    """The PDF's page count and its text, as poppler reads them."""
    info = subprocess.run(
        [require_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True
    )
    pages = next(
        int(row.split()[-1]) for row in info.stdout.splitlines() if row.startswith("Pages:")
    )
    text = subprocess.run(
        [require_tool("pdftotext"), "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return pages, text


def test_the_ledger_prints_on_a_few_landscape_pages(cli: Invoke, tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    cli("export", "--format", "xlsx", "--as-of", "2023-10-08", "--plan", str(PROGRESS_PLAN),
        "-o", str(ledger))  # fmt: skip
    pages, text = pdf_pages(to_pdf(ledger))
    assert 2 <= pages <= 8
    assert "2023年交通法治工作要点任务台账" in text and "截至 2023年10月8日" in text
    assert text.count("工作内容") == pages  # the header row repeats on every page
    assert f"第 {pages} 页，共 {pages} 页" in text
    assert "7.3" in text and "受阻" in text


@pytest.mark.parametrize(
    ("period", "date"),
    [(["--quarter", "2023Q3", "--as-of", "2023-10-08"], "2023年10月8日"),
     (["--year", "2023", "--as-of", "2023-11-15"], "2023年11月15日")],
)  # fmt: skip
def test_the_word_report_converts_with_its_headings_annex_and_issuer(
    cli: Invoke, tmp_path: Path, period: list[str], date: str
) -> None:
    document = tmp_path / "进展报告.docx"
    cli("report", "--format", "docx", *period, "--plan", str(PROGRESS_PLAN), "-o", str(document))
    pages, text = pdf_pages(to_pdf(document))
    assert 4 <= pages <= 12
    flat = "".join(text.split())  # pdftotext spaces out justified Chinese lines
    quarterly = ("一、总体情况", "二、主要进展和成效", "三、存在的问题", "四、下一步工作安排")
    statutory = ("一、2023年度推进法治建设的主要举措和成效", "二、存在的不足和原因")
    for heading in statutory if "--year" in period else quarterly:
        assert heading in flat
    assert "附件" in flat and "任务一览" in flat and "序号工作任务牵头单位完成时限状态预警" in flat
    assert f"区交通局{date}" in flat
    assert f"—{pages}—" in flat  # the last page is numbered


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["report", "--quarter", "2023Q3"], "第三季度进展情况的报告"),
        (["export"], "2023年交通法治工作要点任务台账"),
    ],
    ids=["report", "ledger"],
)
def test_pdf_comes_from_libreoffice(
    cli: Invoke, tmp_path: Path, command: list[str], said: str
) -> None:
    require_tool("soffice")
    out = tmp_path / "文件.pdf"
    cli(*command, "--format", "pdf", "--as-of", "2023-10-08", "--plan", str(PROGRESS_PLAN),
        "-o", str(out))  # fmt: skip
    assert out.read_bytes().startswith(b"%PDF-")
    pages, text = pdf_pages(out)
    assert pages >= 2 and said in "".join(text.split())


def test_pdf_without_libreoffice_says_how_to_get_it(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "进展报告.pdf"
    args = ["--format", "pdf", "--quarter", "2023Q3", "--as-of", "2023-10-08", "-o", str(out)]
    err = cli("report", *args, code=2, env={"PATH": str(tmp_path)}).stderr  # no soffice there
    assert "生成 PDF 需要 LibreOffice" in err and "apt-get install libreoffice-writer-nogui" in err
    assert not out.exists()


ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"


def _editable_cells(fods: Path, sheet: str) -> set[tuple[int, int]]:
    """The (row, column) cells, 1-based, that LibreOffice lets a person type into."""
    from xml.etree import ElementTree

    root = ElementTree.parse(fods).getroot()
    t, s = f"{{{ODF_TABLE}}}", f"{{{ODF_STYLE}}}"
    open_styles = {
        style.get(f"{s}name")
        for style in root.iter(f"{s}style")
        for props in style.iter(f"{s}table-cell-properties")
        if props.get(f"{s}cell-protect") == "none"
    }
    table = next(x for x in root.iter(f"{t}table") if x.get(f"{t}name") == sheet)
    assert table.get(f"{t}protected") == "true"
    defaults: list[str | None] = []
    for column in table.iter(f"{t}table-column"):
        repeat = int(column.get(f"{t}number-columns-repeated", "1"))
        defaults += [column.get(f"{t}default-cell-style-name")] * min(repeat, 64)
    editable = set()
    row_number = 0
    for row in table.iter(f"{t}table-row"):
        row_number += 1
        col = 0
        for cell in row:
            repeat = min(int(cell.get(f"{t}number-columns-repeated", "1")), 64)
            for _ in range(repeat):
                col += 1
                fallback = defaults[col - 1] if col <= len(defaults) else None
                if (cell.get(f"{t}style-name") or fallback) in open_styles:
                    editable.add((row_number, col))
        row_number += int(row.get(f"{t}number-rows-repeated", "1")) - 1
    return editable


def test_the_form_opens_with_only_its_input_cells_editable(cli: Invoke, tmp_path: Path) -> None:
    from plantrack.output import form

    cli("forms", "--quarter", "2023Q3", "-o", str(tmp_path), "--as-of", "2023-09-20",
        "--dept", "财审科", "--plan", str(PROGRESS_PLAN))  # fmt: skip
    [made] = tmp_path.glob("*.xlsx")
    pages, text = pdf_pages(to_pdf(made))
    flat = "".join(text.split())
    assert pages == 1 and "2023年交通法治工作要点进展填报表" in flat
    assert "填报单位：局财审科" in flat and "本季度进展" in flat and "第1页，共1页" in flat
    assert "7.3" in text and "受阻" in text  # 局财审科's blocked clause, its status shown
    editable = _editable_cells(convert(made, to="fods"), form.SHEET)
    inputs = range(len(form.ALL_HEADINGS) - len(form.INPUTS) + 1, len(form.ALL_HEADINGS) + 1)
    first = form.HEADER_ROW + 1
    last = max((row for row, _ in editable), default=0)
    assert last > form.HEADER_ROW
    assert editable == {(r, c) for r in range(first, last + 1) for c in inputs}
