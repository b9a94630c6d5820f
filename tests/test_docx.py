"""The Word report: GB/T 9704 layout read back with python-docx, same bytes, user templates.

Regenerate the bundled template after changing its layout with:
    python tools/make_report_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import time_machine
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from helpers import PLAN_2023, PROGRESS_PLAN, ROOT, Invoke

AS_OF = "2023-10-08"
HEADINGS = ["一、总体情况", "二、主要进展和成效", "三、存在的问题", "四、下一步工作安排"]


def report(cli: Invoke, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "report.docx"
    cli("report", "--format", "docx", "--plan", str(PROGRESS_PLAN), "-o", str(out), *args)
    return out


@pytest.fixture
def quarter_docx(cli: Invoke, tmp_path: Path) -> Path:
    return report(cli, tmp_path, "--quarter", "2023Q3", "--as-of", AS_OF)


def open_docx(path: Path) -> DocumentObject:
    return Document(io.BytesIO(path.read_bytes()))


def east_asian_font(document: DocumentObject, style: str) -> tuple[str | None, float | None, bool]:
    """The East Asian font (the one Word uses for Chinese), size in points, and boldness."""
    found = document.styles[style]
    fonts = found.element.rPr.rFonts
    size = found.font.size.pt if found.font.size else None
    return fonts.get(qn("w:eastAsia")), size, bool(found.font.bold)


def test_page_is_a4_with_the_standard_margins(quarter_docx: Path) -> None:
    section = open_docx(quarter_docx).sections[0]
    # Word keeps lengths in twentieths of a point: compare to a tenth of a millimetre.
    for length, expected in [
        (section.page_width, Mm(210)),
        (section.page_height, Mm(297)),
        (section.top_margin, Mm(37)),
        (section.left_margin, Mm(28)),
    ]:
        assert length is not None and abs(length - expected) < Mm(0.1)
    top, left = section.top_margin or 0, section.left_margin or 0
    right, bottom = section.right_margin or 0, section.bottom_margin or 0
    # A text block of 156 x 225 mm.
    assert abs(Mm(210) - left - right - Mm(156)) < Mm(0.1)
    assert abs(Mm(297) - top - bottom - Mm(225)) < Mm(0.1)


def test_title_body_and_headings_use_the_standard_fonts(quarter_docx: Path) -> None:
    document = open_docx(quarter_docx)
    title = document.paragraphs[0]
    assert [title.text, document.paragraphs[1].text] == [
        "2023年交通法治工作要点",
        "2023年第三季度进展报告",
    ]
    assert title.style is not None and title.style.name == "公文标题"
    assert title.style.paragraph_format.alignment == 1  # centred
    assert east_asian_font(document, "公文标题") == ("方正小标宋简体", 22, False)
    assert east_asian_font(document, "公文正文") == ("仿宋_GB2312", 16, False)
    assert east_asian_font(document, "一级标题") == ("黑体", 16, False)
    assert east_asian_font(document, "二级标题") == ("楷体_GB2312", 16, False)
    assert east_asian_font(document, "三级标题") == ("仿宋_GB2312", 16, True)
    second = next(p for p in document.paragraphs if p.text.startswith("（一）"))
    assert second.style is not None and second.style.name == "二级标题"
    third = next(p for p in document.paragraphs if p.text == "1. 持续优化市场监管环境")
    assert third.style is not None and third.style.name == "三级标题"
    spacing = document.styles["公文正文"].paragraph_format.line_spacing
    assert isinstance(spacing, int) and abs(spacing - Pt(225 / 25.4 * 72 / 22)) < Pt(0.05)


def test_the_four_sections_in_order_then_issuer_and_date(quarter_docx: Path) -> None:
    texts = [p.text for p in open_docx(quarter_docx).paragraphs]
    positions = [texts.index(heading) for heading in HEADINGS]
    assert positions == sorted(positions)
    assert texts.index("区交通局") + 1 == texts.index("2023年10月8日")
    assert texts.index("附件：任务一览") < texts.index("区交通局")
    body = "\n".join(texts)
    assert "截至2023年10月8日，全局纳入统计的任务共26项" in body
    assert "第二季度报送法治建设工作文稿（时限2023年6月30日）逾期3天完成" in body
    assert "<script>alert(1)</script>" in body  # user text is text, escaped in the XML


def test_the_annex_table_lists_every_task(quarter_docx: Path) -> None:
    document = open_docx(quarter_docx)
    [table] = document.tables
    assert [c.text for c in table.rows[0].cells] == ["序号", "工作任务", "牵头单位", "完成时限", "状态", "预警"]  # fmt: skip
    assert [row.cells[0].text for row in table.rows[1:]] == [str(i) for i in range(1, 27)]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None  # on each page
    texts = [p.text for p in document.paragraphs]
    assert texts.index("附件") < texts.index("任务一览")


def test_page_numbers_are_fields_in_both_footers(quarter_docx: Path) -> None:
    document = open_docx(quarter_docx)
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer, alignment in ((section.footer, 2), (section.even_page_footer, 0)):
        [paragraph] = footer.paragraphs
        xml = paragraph._p.xml
        assert "PAGE" in xml and "fldChar" in xml
        assert paragraph.text.startswith("— ") and paragraph.text.endswith(" —")
        assert paragraph.alignment == alignment  # odd pages right, even pages left
        assert paragraph.runs[0].font.size == Pt(14)


def test_same_data_same_bytes_whatever_the_clock(cli: Invoke, tmp_path: Path) -> None:
    outputs = []
    for moment in (dt.datetime(2024, 1, 2, 9, 30), dt.datetime(2031, 12, 31, 23, 59)):
        folder = tmp_path / str(moment.year)
        folder.mkdir()
        with time_machine.travel(moment.replace(tzinfo=dt.UTC), tick=False):
            outputs.append(
                report(cli, folder, "--quarter", "2023Q3", "--as-of", AS_OF).read_bytes()
            )
    assert outputs[0] == outputs[1]


def test_the_annual_report_has_the_same_spine(cli: Invoke, tmp_path: Path) -> None:
    out = report(cli, tmp_path, "--year", "2023", "--as-of", "2023-11-15")
    texts = [p.text for p in open_docx(out).paragraphs]
    assert texts[:2] == ["2023年交通法治工作要点", "2023年度进展报告"]
    assert [t for t in texts if t in HEADINGS] == HEADINGS
    assert "2023年11月16日至12月31日须完成以下事项：" in texts
    assert texts.index("区交通局") + 1 == texts.index("2023年11月15日")


def test_a_templates_folder_with_an_edited_report_docx_is_used(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template = Document(str(ROOT / "templates" / "report.docx"))
    template.paragraphs[0].runs[0].text = "（科室自定）{{ r.plan_title }}"
    template.save(str(folder / "report.docx"))
    shutil.copy(ROOT / "templates" / "report.md.j2", folder)
    out = report(cli, tmp_path, "--quarter", "2023Q3", "--as-of", AS_OF, "--templates", str(folder))
    assert open_docx(out).paragraphs[0].text.startswith("（科室自定）2023年交通法治工作要点")


def test_a_word_template_runs_in_the_sandbox(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    template = Document(str(ROOT / "templates" / "report.docx"))
    template.paragraphs[0].runs[0].text = "{{ cycler.__init__.__globals__.os.popen('touch RAN') }}"
    template.save(str(folder / "report.docx"))
    args = ["--format", "docx", "--templates", str(folder), "-o", str(tmp_path / "r.docx")]
    err = cli("report", *args, "--plan", str(PLAN_2023), "--as-of", AS_OF, code=1).stderr
    assert "沙箱不允许" in err and not (tmp_path / "RAN").exists()


def test_docx_needs_a_file_and_a_template(cli: Invoke, tmp_path: Path) -> None:
    assert "-o 进展报告.docx" in cli("report", "--format", "docx", code=2).stderr
    err = cli("report", "--format", "docx", "--templates", str(tmp_path), "-o",
              str(tmp_path / "r.docx"), code=2).stderr  # fmt: skip
    assert "找不到模板 report.docx" in err
