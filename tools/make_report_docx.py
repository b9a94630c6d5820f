"""Write templates/report.docx: the Word template of the progress report, laid out to GB/T 9704.

    python tools/make_report_docx.py

The template is committed; a clerk may edit it in Word or WPS and pass its folder to
`plantrack report --format docx --templates DIR`. This script only makes the bundled one,
so that its styles are reviewable as code. Jinja tags (docxtpl) stay whole in single runs.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt
from docx.styles.style import ParagraphStyle
from docx.text.paragraph import Paragraph

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from plantrack.output.package import reproducible  # noqa: E402

# GB/T 9704-2012: A4; top margin 37 mm, left 28 mm; a text block of 156 x 225 mm holding
# 22 lines of 28 characters of 3号 (16 pt) type.
TOP, LEFT, BLOCK_WIDTH, BLOCK_HEIGHT = Mm(37), Mm(28), Mm(156), Mm(225)
LINE = Pt(BLOCK_HEIGHT.pt / 22)
BODY_SIZE = Pt(16)
TITLE_FONT, BODY_FONT, LEVEL1_FONT, LEVEL2_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
)
PAGE_NUMBER_FONT = "宋体"


def set_fonts(style: ParagraphStyle, east_asian: str, size: Pt, *, bold: bool = False) -> None:
    """Set a style's Latin and East Asian fonts alike: Word picks the East Asian one for CJK."""
    style.font.name = east_asian
    style.font.size = size
    style.font.bold = bold
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), east_asian)


def paragraph_style(document: DocxDocument, name: str, font: str, size: Pt, **kw: object) -> None:
    """A paragraph style on the 22-line grid."""
    style = document.styles.add_style(name, 1)  # 1: paragraph style
    style.base_style = document.styles["Normal"]
    set_fonts(style, font, size, bold=bool(kw.get("bold")))
    fmt = style.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = kw.get("line", LINE)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.alignment = kw.get("align", WD_ALIGN_PARAGRAPH.JUSTIFY)
    fmt.first_line_indent = kw.get("indent", Pt(2 * size.pt))
    fmt.widow_control = True  # no first or last line of a paragraph alone on a page
    fmt.keep_with_next = bool(kw.get("keep"))  # a heading never ends a page


def page_number(paragraph: Paragraph) -> None:
    """— PAGE — in 4号 type, the number a field Word and LibreOffice fill in."""
    for text in ("— ", None, " —"):
        run = paragraph.add_run()
        run.font.size = Pt(14)
        run.font.name = PAGE_NUMBER_FONT
        run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), PAGE_NUMBER_FONT)
        if text is not None:
            run.text = text
            continue
        for kind, value in (
            ("begin", None),
            ("instr", " PAGE "),
            ("separate", None),
            ("end", None),
        ):
            if kind == "instr":
                instr = OxmlElement("w:instrText")
                instr.set(qn("xml:space"), "preserve")
                instr.text = value
                run.element.append(instr)
            else:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run.element.append(char)
            if kind == "separate":
                shown = OxmlElement("w:t")
                shown.text = "1"
                run.element.append(shown)


def set_up_page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.left_margin = TOP, LEFT
    section.right_margin = Emu(Mm(210) - LEFT - BLOCK_WIDTH)
    section.bottom_margin = Emu(Mm(297) - TOP - BLOCK_HEIGHT)
    section.footer_distance = Mm(21)  # from the page edge: the number sits ~7 mm below the text
    # Odd pages carry the number on the right, even pages on the left, one character in.
    document.settings.odd_and_even_pages_header_footer = True
    odd = section.footer.paragraphs[0]
    odd.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(14)
    page_number(odd)
    even = section.even_page_footer.paragraphs[0]
    even.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(14)
    page_number(even)


def styles(document: DocxDocument) -> None:
    normal = document.styles["Normal"]
    set_fonts(normal, BODY_FONT, BODY_SIZE)
    paragraph_style(document, "公文标题", TITLE_FONT, Pt(22), align=WD_ALIGN_PARAGRAPH.CENTER,
                    indent=Pt(0), line=Pt(35), keep=True)  # fmt: skip
    paragraph_style(document, "公文正文", BODY_FONT, BODY_SIZE)
    # 发文字号 one character in from the left, 签发人 one character in from the right.
    paragraph_style(document, "文号", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT,
                    indent=Pt(0), keep=True)  # fmt: skip
    numbered = document.styles["文号"].paragraph_format
    numbered.left_indent = BODY_SIZE
    numbered.tab_stops.add_tab_stop(Emu(BLOCK_WIDTH - BODY_SIZE), WD_TAB_ALIGNMENT.RIGHT)
    paragraph_style(document, "主送机关", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT,
                    indent=Pt(0), keep=True)  # fmt: skip
    paragraph_style(document, "一级标题", LEVEL1_FONT, BODY_SIZE, keep=True)
    paragraph_style(document, "二级标题", LEVEL2_FONT, BODY_SIZE, keep=True)
    paragraph_style(document, "三级标题", BODY_FONT, BODY_SIZE, bold=True, keep=True)
    # The last lines of the body, the 附件 line and the 落款 travel together (GB/T 9704:
    # never a 落款 alone on a page).
    paragraph_style(document, "正文末段", BODY_FONT, BODY_SIZE, keep=True)
    paragraph_style(document, "附件说明", BODY_FONT, BODY_SIZE, keep=True)
    paragraph_style(document, "落款", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT,
                    indent=Pt(0), keep=True)  # fmt: skip
    paragraph_style(document, "成文日期", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT,
                    indent=Pt(0))  # fmt: skip
    paragraph_style(document, "附件标记", LEVEL1_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.LEFT,
                    indent=Pt(0), keep=True)  # fmt: skip
    # The annex starts a page of its own.
    document.styles["附件标记"].paragraph_format.page_break_before = True
    paragraph_style(document, "表格文字", BODY_FONT, Pt(12), align=WD_ALIGN_PARAGRAPH.LEFT,
                    indent=Pt(0), line=Pt(18))  # fmt: skip


def add(document: DocxDocument, style: str, text: str = "") -> Paragraph:
    paragraph = document.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


NEXT_ITEM = (
    "{{ loop.index }}. {{ n.date | cn_date }}前，{{ n.what }}"
    "（任务{{ n.task_id }}“{{ n.task_title }}”，牵头单位：{{ n.lead }}）。"
)
# 存在的问题: overdue, late and blocked items, the year-end ones in one; shared by both reports.
PROBLEMS = [
    # Tasks that state no date all fall due at the year's end: one sentence, not twenty.
    ("公文正文", "{%p set yearly = r.problems | selectattr('year_end') | list %}"),
    ("公文正文", "{%p for p in r.problems | rejectattr('year_end') %}"),
    (
        "公文正文",
        "{{ loop.index }}. {{ p.ref | cn_ref }}（{{ p.task_title }}）："
        "{% if p.kind == '受阻' %}工作受阻，{{ p.what }}"
        "{% elif p.kind == '逾期完成' %}{{ p.what }}（时限{{ p.date | cn_date }}）"
        "逾期{{ p.days_overdue }}天完成"
        "{% else %}{{ p.what }}已过时限{{ p.date | cn_date }}，逾期{{ p.days_overdue }}天"
        "{% endif %}。牵头单位：{{ p.lead }}。",
    ),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if yearly %}"),
    (
        "公文正文",
        "{{ (r.problems | length) - (yearly | length) + 1 }}. "
        "{{ yearly | length }}项原文未写明时限的年度任务已过年底时限"
        "（{{ yearly[0].date | cn_date }}），逾期{{ yearly[0].days_overdue }}天："
        "第{{ yearly | map(attribute='task_id') | unique | join('、\u200b') }}项（各项牵头单位见附件）。",
    ),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p if not r.problems %}"),
    ("公文正文", "截至{{ r.as_of | cn_date }}，没有逾期或受阻的事项。"),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p if r.postponed %}"),
    ("公文正文", "本期延期的时限："),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p for x in r.postponed %}"),
    ("公文正文", "{{ loop.index }}. {{ x.date | cn_date }}，{{ x.sentence }}。"),
    ("公文正文", "{%p endfor %}"),
]
# 附件说明, 落款, 成文日期 and 附注, kept together with the last lines of the body.
CLOSING = [
    ("附件说明", ""),
    ("附件说明", "附件：任务一览"),
    ("附件说明", ""),
    ("落款", "{{ r.issuer }}"),
    ("成文日期", "{{ r.as_of | cn_date }}"),
    ("公文正文", "{%p if r.contact or r.phone %}"),
    (
        "公文正文",
        "（{% if r.contact %}联系人：{{ r.contact }}{% endif %}"
        "{% if r.contact and r.phone %}，{% endif %}"
        "{% if r.phone %}联系电话：{{ r.phone }}{% endif %}）",
    ),
    ("公文正文", "{%p endif %}"),
]

# 发文字号 and 签发人, above the title, when the report has them.
NUMBERED = [
    ("公文正文", "{%p if r.doc_number or r.signer %}"),
    ("文号", "{{ r.doc_number }}\t{{ r.signer_line }}"),
    ("公文正文", ""),
    ("公文正文", "{%p endif %}"),
]
BODY = [
    *NUMBERED,
    # A title of two lines, broken where the words break: 关于 the plan, then the period.
    ("公文标题", "{{ r.heading[0] }}"),
    ("公文标题", "{{ r.heading[1] }}"),
    ("公文正文", ""),
    ("主送机关", "{%p if r.recipient %}"),
    ("主送机关", "{{ r.recipient }}："),
    ("主送机关", "{%p endif %}"),
    ("一级标题", "一、总体情况"),
    (
        "公文正文",
        "截至{{ r.as_of | cn_date }}，{{ r.scope }}纳入统计的任务共{{ r.total }}项，"
        "完成率{{ r.completion_rate }}："
        "{% for s in r.statuses %}{{ s.status }}{{ s.count }}项"
        "{% if not loop.last %}，{% endif %}{% endfor %}。"
        "有逾期事项的任务{{ r.overdue_tasks }}项。",
    ),
    ("一级标题", "二、主要进展和成效"),
    ("公文正文", "{%p if r.completed %}"),
    ("公文正文", "本期完成事项{{ r.completed | length }}项。"),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p for sec in r.progress %}"),
    ("二级标题", "（{{ loop.index | cn_number }}）{{ sec.title }}"),
    ("公文正文", "{%p for task in sec.entries | groupby('task_id') %}"),
    ("三级标题", "{{ loop.index }}. {{ task.list[0].task_title }}"),
    ("公文正文", "{%p for e in task.list %}"),
    (
        "公文正文",
        "{{ e.date | cn_date }}{% if e.what %}，{{ e.what }}{% endif %}"
        "{% if e.status %}，{{ e.status }}{% endif %}"
        "{% if e.note %}：{{ e.note }}{% endif %}。",
    ),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if not r.progress %}"),
    ("公文正文", "本期没有登记进展。"),
    ("公文正文", "{%p endif %}"),
    ("一级标题", "三、存在的问题"),
    *PROBLEMS,
    ("一级标题", "四、下一步工作安排"),
    ("公文正文", "{%p if r.next_items %}"),
    ("公文正文", "{{ r.next_name }}须完成以下事项："),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p set dated = r.next_items | rejectattr('year_end') | list %}"),
    ("公文正文", "{%p set year_end = r.next_items | selectattr('year_end') | list %}"),
    ("公文正文", "{%p for n in dated %}"),
    ("公文正文", "{%p if loop.last and not year_end %}"),
    ("正文末段", NEXT_ITEM),
    ("公文正文", "{%p else %}"),
    ("公文正文", NEXT_ITEM),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if year_end %}"),
    (
        "正文末段",
        "另有{{ year_end | length }}项原文未写明时限的任务，以年底为限"
        "（{{ year_end[0].date | cn_date }}）：任务"
        # A zero-width space after each 、 lets a long list of numbers break between lines.
        "{{ year_end | map(attribute='task_id') | join('、\u200b') }}。",
    ),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p if not r.next_items %}"),
    ("正文末段", "{{ r.next_name }}没有到期的时限。"),
    ("公文正文", "{%p endif %}"),
    *CLOSING,
]
# The statutory annual report (《法治政府建设与责任落实督察工作规定》): four parts, filled
# from the plan. A part the plan holds nothing for says so, in a sentence to replace.
ANNUAL_BODY = [
    *NUMBERED,
    ("公文标题", "{{ r.annual.heading[0] }}"),
    ("公文标题", "{{ r.annual.heading[1] }}"),
    ("公文正文", ""),
    ("主送机关", "{%p if r.recipient %}"),
    ("主送机关", "{{ r.recipient }}："),
    ("主送机关", "{%p endif %}"),
    ("公文正文", "现将{{ r.annual.year }}年度法治建设情况报告如下："),
    ("一级标题", "一、{{ r.annual.year }}年度推进法治建设的主要举措和成效"),
    (
        "公文正文",
        "截至{{ r.as_of | cn_date }}，{{ r.plan_title }}"
        "{% if r.scope != '全局' %}中{{ r.scope }}承担的{% else %}的{% endif %}"
        "{{ r.total }}项任务已完成{{ r.done }}项，完成率{{ r.completion_rate }}。",
    ),
    ("公文正文", "{%p for sec in r.progress %}"),
    ("二级标题", "（{{ loop.index | cn_number }}）{{ sec.title }}"),
    ("公文正文", "{%p for e in sec.entries %}"),
    (
        "公文正文",
        "{{ e.date | cn_date }}{% if e.what %}，{{ e.what }}{% endif %}"
        "{% if e.status %}，{{ e.status }}{% endif %}"
        "{% if e.note %}：{{ e.note }}{% endif %}"
        "（第{{ e.task_id }}项“{{ e.task_title }}”）。",
    ),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if r.annual.done %}"),
    (
        "公文正文",
        "全年已完成的任务{{ r.annual.done | length }}项："
        "{% for t in r.annual.done %}第{{ t.task_id }}项“{{ t.title }}”"
        "{% if not loop.last %}；{% endif %}{% endfor %}。",
    ),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p for t in r.annual.targets_met %}"),
    ("公文正文", "第{{ t.task_id }}项的目标“{{ t.name }}”（{{ t.expected }}）已经达到。"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if not r.progress and not r.annual.done %}"),
    ("公文正文", "本年度计划中没有登记进展。〔请补写本年度推进法治建设的主要举措和成效。〕"),
    ("公文正文", "{%p endif %}"),
    ("一级标题", "二、存在的不足和原因"),
    *PROBLEMS,
    ("公文正文", "{%p if r.problems | rejectattr('kind', 'equalto', '受阻') | list %}"),
    ("公文正文", "以上逾期事项，计划中没有记录原因。〔请补写原因。〕"),
    ("公文正文", "{%p endif %}"),
    ("一级标题", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("公文正文", "{%p for d in r.annual.duties %}"),
    ("公文正文", "第{{ d.task_id }}项“{{ d.title }}”，截至{{ r.as_of | cn_date }}{{ d.status }}。"),
    ("公文正文", "{%p for e in d.entries %}"),
    (
        "公文正文",
        "{{ e.date | cn_date }}{% if e.what %}，{{ e.what }}{% endif %}"
        "{% if e.status %}，{{ e.status }}{% endif %}{% if e.note %}：{{ e.note }}{% endif %}。",
    ),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if not d.entries %}"),
    (
        "公文正文",
        "本年度未登记这项任务的进展。〔请补写党政主要负责人履行第一责任人职责的具体情况。〕",
    ),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p if not r.annual.duties %}"),
    (
        "公文正文",
        "计划中没有关于第一责任人职责的任务。〔请补写党政主要负责人履行推进法治建设第一责任人职责的情况。〕",
    ),
    ("公文正文", "{%p endif %}"),
    ("一级标题", "四、{{ r.annual.year + 1 }}年度推进法治建设的主要安排"),
    ("公文正文", "{%p if r.annual.unfinished %}"),
    (
        "公文正文",
        "年内尚未完成的{{ r.annual.unfinished | length }}项任务继续推进："
        "第{{ r.annual.unfinished | join('、\u200b') }}项。",
    ),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p if r.annual.next_sections %}"),
    ("公文正文", "按照《{{ r.annual.next_title }}》，{{ r.annual.year + 1 }}年重点做好以下工作："),
    ("公文正文", "{%p for title in r.annual.next_sections %}"),
    ("公文正文", "{%p if loop.last %}"),
    ("正文末段", "（{{ loop.index | cn_number }}）{{ title }}。"),
    ("公文正文", "{%p else %}"),
    ("公文正文", "（{{ loop.index | cn_number }}）{{ title }}。"),
    ("公文正文", "{%p endif %}"),
    ("公文正文", "{%p endfor %}"),
    ("公文正文", "{%p else %}"),
    (
        "正文末段",
        "下一年度的工作要点尚未录入。〔请补写{{ r.annual.year + 1 }}年度推进法治建设的主要安排。〕",
    ),
    ("公文正文", "{%p endif %}"),
    *CLOSING,
]
HEADERS = ["序号", "工作任务", "牵头单位", "完成时限", "状态", "预警"]
WIDTHS = [Mm(14), Mm(40), Mm(34), Mm(34), Mm(18), Mm(14)]
CELLS = [
    "{{ t.task_id }}",
    "{{ t.title }}",
    "{{ t.lead }}",
    "{{ t.deadline }}",
    "{{ t.status }}{{ t.clauses_done }}",
    "{{ t.level }}",
]


def annex(document: DocxDocument) -> None:
    """附件: the task table, on a page of its own (the 附件标记 style breaks the page)."""
    add(document, "附件标记", "附件")
    add(document, "公文标题", "任务一览")
    # The legend under the title, where it cannot end up alone on a last page.
    legend = add(
        document,
        "表格文字",
        "预警：红，已过时限未完成；黄，{{ r.warn_days }} 天内到期；绿，时限尚远或已完成。",
    )
    legend.paragraph_format.keep_with_next = True
    table = document.add_table(rows=3, cols=len(HEADERS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, WIDTHS, strict=True):
        column.width = width
    rows = [HEADERS, ["{%tr for t in r.tasks %}"] + [""] * 5, CELLS]
    for row, texts in zip(table.rows, rows, strict=True):
        for cell, text, width in zip(row.cells, texts, WIDTHS, strict=True):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["表格文字"]
            run = paragraph.add_run(text)
            run.bold = row is table.rows[0]
    # The header row repeats on every page the table runs onto.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    end = table.add_row()
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for row in table.rows:  # a row is never split across two pages
        cant_split = OxmlElement("w:cantSplit")
        cant_split.set(qn("w:val"), "true")
        row._tr.get_or_add_trPr().append(cant_split)


def write(name: str, body: list[tuple[str, str]]) -> None:
    """One template: the styles and page, the body's paragraphs, then the annex."""
    document = Document()
    styles(document)
    set_up_page(document)
    first = document.paragraphs[0] if document.paragraphs else None
    for style, text in body:
        add(document, style, text)
    if first is not None:
        first._element.getparent().remove(first._element)
    annex(document)
    document.core_properties.author = "plantrack"
    document.core_properties.title = ""  # each report sets its own title
    target = ROOT / "templates" / name
    document.save(str(target))
    target.write_bytes(reproducible(target.read_bytes(), day=dt.date(2023, 1, 1)))
    print(f"wrote {target.relative_to(ROOT)}")


def main() -> None:
    write("report.docx", BODY)
    write("annual.docx", ANNUAL_BODY)


if __name__ == "__main__":
    main()
