"""The Word report: GB/T 9704 layout read back with python-docx, same bytes, user templates.

Regenerate the bundled template after changing its layout with:
    python tools/make_report_docx.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import time_machine
from docx import Document
from docx.document import Document as DocumentObject
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from helpers import PLAN_2023, PROGRESS_PLAN, ROOT, Invoke, to_pdf

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
    assert [p.text for p in document.paragraphs[:4]] == [
        "关于2023年交通法治工作要点",
        "第三季度进展情况的报告",
        "",
        "一、总体情况",  # the plan names no 主送机关 for a quarter's report: none is printed
    ]
    properties = document.core_properties
    assert properties.title == "关于2023年交通法治工作要点第三季度进展情况的报告"
    assert properties.author == "区交通局"
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


STATUTORY = [
    "一、2023年度推进法治建设的主要举措和成效",
    "二、存在的不足和原因",
    "三、党政主要负责人履行推进法治建设第一责任人职责情况",
    "四、2024年度推进法治建设的主要安排",
]


def _plans(folder: Path, *, next_year: bool) -> Path:
    """The progress plan as plans/2023.yaml, with a 2024 plan beside it if asked."""
    plans = folder / "plans"
    plans.mkdir()
    (plans / "2023.yaml").write_bytes(PROGRESS_PLAN.read_bytes())
    if next_year:  # the bundled plan, moved a year on: a stand-in for the next 工作要点
        text = PLAN_2023.read_text(encoding="utf-8").replace("2023", "2024")
        (plans / "2024.yaml").write_text(text, encoding="utf-8")
    return plans / "2023.yaml"


def test_the_annual_report_follows_the_statutory_outline(cli: Invoke, tmp_path: Path) -> None:
    out = tmp_path / "annual.docx"
    plan = _plans(tmp_path, next_year=False)
    args = ["--year", "2023", "--as-of", "2023-11-15", "--plan", str(plan), "-o", str(out)]
    cli("report", "--format", "docx", *args)
    document = open_docx(out)
    texts = [p.text for p in document.paragraphs]
    # Task 26: the annual report goes to 市交通局, which the plan names as its recipient.
    assert texts[:5] == [
        "关于2023年度法治建设",
        "情况的报告",
        "",
        "市交通局：",
        "现将2023年度法治建设情况报告如下：",
    ]
    assert document.core_properties.title == "关于2023年度法治建设情况的报告"
    assert [t for t in texts if t in STATUTORY] == STATUTORY
    duty = texts.index(STATUTORY[2])
    assert texts[duty + 1] == "第2项“严格落实法治建设第一责任人职责”，截至2023年11月15日未开始。"
    assert texts[duty + 2].startswith("本年度未登记这项任务的进展。〔请补写")  # nothing invented
    assert "全年已完成的任务1项：第9项“提高制度建设的质量和效率”。" in texts
    assert "以上逾期事项，计划中没有记录原因。〔请补写原因。〕" in texts
    plans = texts.index(STATUTORY[3])
    assert (
        texts[plans + 2] == "下一年度的工作要点尚未录入。〔请补写2024年度推进法治建设的主要安排。〕"
    )
    assert texts.index("区交通局") + 1 == texts.index("2023年11月15日")


def test_the_annual_report_takes_next_years_plan_when_there_is_one(
    cli: Invoke, tmp_path: Path
) -> None:
    out = tmp_path / "annual.docx"
    plan = _plans(tmp_path, next_year=True)
    args = ["--year", "2023", "--as-of", "2023-12-31", "--plan", str(plan), "-o", str(out)]
    cli("report", "--format", "docx", *args)
    texts = [p.text for p in open_docx(out).paragraphs]
    start = texts.index("按照《2024年交通法治工作要点》，2024年重点做好以下工作：")
    assert texts[start + 1].startswith("（一）深入学习贯彻党的二十大精神")
    assert len([t for t in texts[start + 1 :] if t.startswith("（")]) == 9  # its 9 sections


def test_a_templates_folder_without_annual_docx_uses_its_report_docx(
    cli: Invoke, tmp_path: Path
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    shutil.copy(ROOT / "templates" / "report.docx", folder)
    out = report(
        cli, tmp_path, "--year", "2023", "--as-of", "2023-11-15", "--templates", str(folder)
    )
    assert [p.text for p in open_docx(out).paragraphs][:2] == [
        "关于2023年交通法治工作要点",
        "年度进展情况的报告",
    ]


def test_a_templates_folder_with_an_edited_report_docx_is_used(cli: Invoke, tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    template = Document(str(ROOT / "templates" / "report.docx"))
    _title(template).runs[0].text = "（科室自定）{{ r.plan_title }}"
    template.save(str(folder / "report.docx"))
    shutil.copy(ROOT / "templates" / "report.md.j2", folder)
    out = report(cli, tmp_path, "--quarter", "2023Q3", "--as-of", AS_OF, "--templates", str(folder))
    assert (
        open_docx(out).paragraphs[0].text.startswith("（科室自定）2023年交通法治工作要点")
    )  # no 文号


def test_a_word_template_runs_in_the_sandbox(
    cli: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "templates"
    folder.mkdir()
    template = Document(str(ROOT / "templates" / "report.docx"))
    _title(template).runs[0].text = "{{ cycler.__init__.__globals__.os.popen('touch RAN') }}"
    template.save(str(folder / "report.docx"))
    args = ["--format", "docx", "--templates", str(folder), "-o", str(tmp_path / "r.docx")]
    err = cli("report", *args, "--plan", str(PLAN_2023), "--as-of", AS_OF, code=1).stderr
    assert "沙箱不允许" in err and not (tmp_path / "RAN").exists()


def test_docx_needs_a_file_and_a_template(cli: Invoke, tmp_path: Path) -> None:
    assert "-o 进展报告.docx" in cli("report", "--format", "docx", code=2).stderr
    err = cli("report", "--format", "docx", "--templates", str(tmp_path), "-o",
              str(tmp_path / "r.docx"), code=2).stderr  # fmt: skip
    assert "找不到模板 report.docx" in err


def test_no_row_splits_and_headings_and_the_closing_block_keep_together(
    quarter_docx: Path,
) -> None:
    document = open_docx(quarter_docx)
    [table] = document.tables
    assert all(
        row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
        for row in table.rows
    )
    kept = {
        name
        for name in ("公文标题", "一级标题", "二级标题", "三级标题", "正文末段", "附件说明", "落款")
        if document.styles[name].paragraph_format.keep_with_next
    }
    assert len(kept) == 7
    assert all(style.paragraph_format.widow_control for style in document.styles if
               style.type == 1 and style.name in kept)  # fmt: skip
    texts = [p.text for p in document.paragraphs]
    legend = texts.index("预警：红，已过时限未完成；黄，7 天内到期；绿，时限尚远或已完成。")
    assert texts[legend - 1] == "任务一览"  # under the table's title, never alone after it


# A year of reports as the clerk makes them: each quarter's just after it ends, the annual
# one before task 26's 11月20日 deadline.
SCRIPTED_YEAR = {
    "q1": ("--quarter", "2023Q1", "--as-of", "2023-04-03"),
    "q2": ("--quarter", "2023Q2", "--as-of", "2023-07-03"),
    "q3": ("--quarter", "2023Q3", "--as-of", "2023-10-08"),
    "q4": ("--quarter", "2023Q4", "--as-of", "2024-01-03"),
    "annual": ("--year", "2023", "--as-of", "2023-11-15"),
}
LEVEL_HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")


def _pages(pdf: Path) -> list[list[str]]:
    """Each page's lines of text, spaces taken out, the page number left out."""
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        pages = [(page.extract_text() or "").splitlines() for page in document.pages]
    squeezed = [["".join(line.split()) for line in lines] for lines in pages]
    return [
        [line for line in lines if line and not re.fullmatch(r"—\d+—", line)] for lines in squeezed
    ]


def test_a_year_of_reports_reads_as_fileable_pages(cli: Invoke, tmp_path: Path) -> None:
    documents = []
    for name, args in SCRIPTED_YEAR.items():
        out = tmp_path / f"{name}.docx"
        cli("report", "--format", "docx", "--plan", str(PROGRESS_PLAN), "-o", str(out), *args)
        documents.append(out)
    to_pdf(*documents)
    for document in documents:
        pages = _pages(document.with_suffix(".pdf"))
        name = document.stem
        assert all(len(lines) >= 4 for lines in pages), (name, [len(p) for p in pages])
        for lines in pages:
            assert not LEVEL_HEADING.match(lines[-1]), (name, lines[-1])
        text = "\n".join(line for lines in pages for line in lines)
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{4}Q\d|默认|分工\d", text), name
        first = pages[0]
        if name == "annual":  # the statutory report: 关于2023年度法治建设情况的报告
            assert first[:2] == ["关于2023年度法治建设", "情况的报告"]
        else:
            assert first[0] == "关于2023年交通法治工作要点"
            assert first[1].endswith("进展情况的报告")
        assert ("市交通局：" in first) == (name == "annual")  # task 26: the annual goes there
        closing = next(lines for lines in pages if "区交通局" in lines)
        body = [line for line in closing if line not in ("区交通局", "附件：任务一览")]
        assert len(body) >= 2, (name, closing)  # the 落款 shares its page with the body


def test_a_doc_number_and_the_plans_signer_head_the_report(cli: Invoke, tmp_path: Path) -> None:
    plan = tmp_path / "2023.yaml"
    plan.write_text(
        PROGRESS_PLAN.read_text(encoding="utf-8") + "  signer: 王局长\n  contact: 张三\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.docx"
    cli("report", "--format", "docx", "--quarter", "2023Q3", "--as-of", AS_OF, "--plan",
        str(plan), "--doc-number", "区交法〔2023〕12号", "-o", str(out))  # fmt: skip
    texts = [p.text for p in open_docx(out).paragraphs]
    assert texts[:3] == ["区交法〔2023〕12号\t签发人：王局长", "", "关于2023年交通法治工作要点"]
    assert "（联系人：张三）" in texts  # 附注 under the date


def _title(template: DocumentObject) -> Any:
    """The template's first title paragraph (the 文号 line's tags come before it)."""
    return next(p for p in template.paragraphs if p.text == "{{ r.heading[0] }}")
