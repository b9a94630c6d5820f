"""Read a document's blocks into a plan's shape: cover, title, sections, tasks and clauses.

Items are found by structure. The numbering style that carries the assignments is the
task level; shallower styles are sections and sub-sections, deeper ones are a task's own
text. A number that skips, repeats or runs into its title is read all the same and named
at its line, so one odd number cannot derail the items after it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from plantrack.core.assignments import (
    REMARK,
    lead_rule,
    open_brackets,
    unit_names,
    with_marked_leads,
)
from plantrack.core.errors import UsageError
from plantrack.importer.clauses import TITLE_END, brackets, split_task
from plantrack.importer.document import Document, Note, RawClause, RawSection, RawTask
from plantrack.importer.numbering import DEPTH, Numbers, assigns, task_style
from plantrack.importer.recognise import (
    Column,
    Cover,
    Marker,
    Style,
    cover_notice,
    due_line,
    header_words,
    inline_label,
    is_page_number,
    label_line,
    marker,
    signature,
    table_header,
)
from plantrack.importer.sources import Block

_CN_NUMBER = re.compile(r"^[一二三四五六七八九十]{1,3}[、.．]?$")
_CN_PAREN = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]$")
_ARABIC = re.compile(r"^(\d{1,5})[.．、]?$")
_ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?$")


def read_structure(blocks: list[Block], *, year: int | None) -> Document:
    """Split the blocks into cover, title, preamble, sections, sub-sections and tasks."""
    lines = [cleaned for block in blocks if (cleaned := _clean(block)) is not None]
    first = _first_numbered(lines)
    cover = cover_notice([block.text for block in lines[:first]])
    body = lines[cover.ends_before :] if cover else lines
    notes: list[Note] = []
    body, signed = _without_furniture(body, notes)
    style = task_style(body)
    reader = _Reader(style, has_sections=style != "section" and _has_sections(body), notes=notes)
    for block in body:
        reader.feed(block)
    issued = (cover.issued if cover else None) or (signed.issued if signed else None)
    number = cover.doc_number if cover else None
    all_text = "\n".join(block.text for block in lines)
    document = reader.finish(year, all_text, issued=issued, doc_number=number)
    if cover:
        document.issuer, document.doc_number, document.issued = cover[:3]
    if signed:  # signed at the end: a cover, when there is one, says it first
        document.issuer = document.issuer or signed.issuer
        document.issued = document.issued or signed.issued
    return document


def _without_furniture(body: list[Block], notes: list[Note]) -> tuple[list[Block], Cover | None]:
    """The body without its signature, 抄送 lines and the closing paragraphs before them.

    A closing paragraph (各地区各部门要…) is unnumbered text after a last task that ended
    with its assignment: it is the document's, not the task's, and its dates are no deadlines.
    """
    texts = [block.text for block in body]
    signed = signature(texts)
    end = signed.ends_before if signed else len(body)
    cut = _closing_text(body, texts, end)
    for block in body[cut:]:
        notes.append(
            Note(block.line, f"“{_first_sentence(block.text)}”是结尾的文字或落款，不是任务，已略去")
        )
    return body[:cut], signed


def _clean(block: Block) -> Block | None:
    if block.cells:
        cells = tuple(cell.replace("\u3000", " ").strip() for cell in block.cells)
        values = {cell for cell in cells if cell}
        if len(values) == 1:
            # A heading merged across a table, or a spreadsheet row of text: a line.
            return _clean(Block(block.line, _flat(values.pop())))
        return Block(block.line, "\t".join(cells), cells) if values else None
    text = block.text.replace("\u3000", " ").strip()
    return Block(block.line, text) if text else None


def _first_numbered(lines: list[Block]) -> int:
    """Where numbered content starts: a cover notice can only come before it."""
    for index, block in enumerate(lines):
        found = marker(block.text)
        if (found and not found.fused) or (block.cells and table_header(block.cells)):
            return index
    return len(lines)


def _has_sections(lines: list[Block]) -> bool:
    return any((m := marker(b.text)) and m.style == "section" for b in lines if not b.cells)


@dataclass
class _Reader:
    """Reads blocks one by one into sections and tasks."""

    style: Style | None
    has_sections: bool
    notes: list[Note] = field(default_factory=list)
    title: str = ""
    preamble: list[str] = field(default_factory=list)
    sections: list[RawSection] = field(default_factory=list)
    subsection: str | None = None
    task: RawTask | None = None
    labels: list[tuple[int, str]] = field(default_factory=list)
    columns: dict[Column, int] | None = None
    row_number: str = ""
    row_title: str = ""
    header_line: int = 0

    def __post_init__(self) -> None:
        self.tasks = Numbers("任务", self.notes)
        self.section_numbers = Numbers("部分", self.notes)

    # --- lines ---------------------------------------------------------------------------

    def feed(self, block: Block) -> None:
        """Take the next line or table row."""
        if block.cells:
            self._flush_labels()
            self._row(block)
            return
        if is_page_number(block.text) and (self.sections or self.preamble or self.title):
            self.notes.append(Note(block.line, f"“{block.text}”看起来是页码，已略去"))
            return
        if self._label(block):
            return
        self._flush_labels()
        self._line(block.line, block.text)

    def _label(self, block: Block) -> bool:
        """Hold a label line (牵头单位：…) or its wrapped end until the task's text is complete."""
        if self.task is None or self.task.body.depth > 0:
            return False  # inside a bracket the page wrapped: the line continues it
        due = due_line(block.text)
        if due is not None:
            self.task.due_text = f"{self.task.due_text}；{due}" if self.task.due_text else due
            return True
        if label_line(block.text) is not None:
            self.labels.append((block.line, block.text))
            return True
        if self.labels and marker(block.text) is None and "。" not in block.text:
            # A label wrapped onto the next line, as PDFs and narrow pages do.
            line, text = self.labels[-1]
            self.labels[-1] = (line, text + block.text)
            return True
        return False

    def _flush_labels(self) -> None:
        """Close the task's text with its label lines, read as one assignment."""
        if not self.labels or self.task is None:
            return
        line = self.labels[0][0]
        joined = "；".join(text.rstrip("；;。 ") for _, text in self.labels)
        self.task.body.add(f"（{joined}）", line)
        self.labels = []

    def _line(self, line: int, text: str) -> None:
        found = marker(text)
        if found and found.style == "section" != self.style and self._section(found, line, text):
            return
        if found and found.style == self.style and self._task(found, line, text):
            return
        if found and self._is_subsection(found):
            self.subsection, self.task = text, None
            self.tasks.parent_changed = True
            return
        self._text(line, text)

    def _is_subsection(self, found: Marker) -> bool:
        if self.style is None or found.style in ("section", self.style):
            return False
        return DEPTH[found.style] < DEPTH[self.style] and bool(
            self.sections or not self.has_sections
        )

    def _section(self, found: Marker, line: int, text: str) -> bool:
        expected = self.section_numbers.last + 1
        if found.number != expected and not _looks_like_heading(found.rest):
            return False  # “一、…” inside a task's text
        number = self.section_numbers.accept(found.number, line, fused=found.fused, rest=found.rest)
        if number is None:
            return False
        self.sections.append(RawSection(number, found.rest, line))
        self.subsection, self.task = None, None
        self.tasks.parent_changed = True
        return True

    def _task(self, found: Marker, line: int, text: str) -> bool:
        if self.has_sections and not self.sections:
            return False  # numbered lines before the first section are preamble
        number = self.tasks.accept(found.number, line, fused=found.fused, rest=found.rest)
        if number is None:
            return False
        self.task = RawTask(number, line, self.subsection)
        self._section_for_task(line).tasks.append(self.task)
        self._add(found.rest, line)
        return True

    def _add(self, text: str, line: int) -> None:
        """Add a line to the task's text; labels at its end wait with the other labels."""
        assert self.task is not None
        # Inside a bracket the page wrapped, a label belongs to the bracket.
        split = inline_label(text) if self.task.body.depth <= 0 else None
        if split is None:
            self.task.body.add(text, line)
        else:
            self.task.body.add(text[:split], line)
            self.labels.append((line, text[split:]))

    def _section_for_task(self, line: int) -> RawSection:
        if not self.sections:
            # A 分工方案 may list its items with no 一、 parts: keep them in one part.
            self.section_numbers.accept(1, line)
            self.sections.append(RawSection(1, self.title or "全部任务", line))
            self.notes.append(
                Note(
                    line,
                    "原文没有“一、……”这样的部分标题：全部任务记入一个部分，"
                    f"部分标题取“{self.sections[0].title}”，请核对",
                )
            )
        return self.sections[-1]

    def _text(self, line: int, text: str) -> None:
        if self.task is not None:
            if self.task.body.endswith(("）", ")", "〕")) and not assigns(text):
                self.notes.append(
                    Note(
                        line,
                        f"这一行接在任务 {self.task.id} 的分工之后，已并入该任务；"
                        "如不属于该任务，请手工移开",
                    )
                )
            self._add(text, line)
        elif self.sections:
            self.sections[-1].intro.append(text)
            self.notes.append(
                Note(
                    line,
                    f"这段文字在第{self.sections[-1].number}部分标题之下、任务之前，"
                    "已记入该部分的 intro",
                )
            )
        elif _ATTACHMENT.match(text):
            self.notes.append(Note(line, f"“{text}”是公文的附件标记，已略去"))
        elif not self.title and _looks_like_title(text):
            self.title = text
        elif self._continues_title(text):
            self.title += text
        else:
            self.preamble.append(text)

    def _continues_title(self, text: str) -> bool:
        """A title set on two lines: the second ends in the kind of document (…分工方案)."""
        if not self.title or self.preamble or self.sections or not _looks_like_title(text):
            return False
        return text.endswith(_DOCUMENT_KINDS) and not self.title.endswith(_DOCUMENT_KINDS)

    # --- tables --------------------------------------------------------------------------

    def _row(self, block: Block) -> None:
        header = table_header(block.cells)
        if header is not None:
            self.columns = header  # a header repeated on a new page starts nothing new
            self.header_line = block.line
            return
        follows_header = self.columns is not None and self.header_line == block.line - 1
        if follows_header and self._sub_header(block.cells):
            return
        if self.columns is None:
            # Not a task table (a layout box, a signature block): read its cells as lines.
            for value in dict.fromkeys(cell for cell in block.cells if cell):
                self._line(block.line, _flat(value))
            return
        self._task_row(block)

    def _sub_header(self, cells: tuple[str, ...]) -> bool:
        """A second header row (牵头单位 | 配合单位 under 责任单位) refines the first."""
        assert self.columns is not None
        refined = {
            column: index
            for column, index in header_words(cells).items()
            if column in ("lead", "responsible", "support", "due")
        }
        if not refined:
            return False
        taken = set(refined.values())
        self.columns = {c: i for c, i in self.columns.items() if i not in taken} | refined
        return True

    def _cell(self, block: Block, column: Column) -> str:
        index = self.columns.get(column) if self.columns else None
        return block.cells[index] if index is not None and index < len(block.cells) else ""

    def _task_row(self, block: Block) -> None:
        number = re.sub(r"\s", "", self._cell(block, "number"))
        title = _flat(self._cell(block, "task")).rstrip("。")
        content = _flat(self._cell(block, "content"))
        if _CN_NUMBER.match(number):
            self._line(block.line, f"{number.rstrip('、.．')}、{title or content}")
            return
        if _CN_PAREN.match(number):
            self.subsection, self.task = number + (title or content), None
            self.tasks.parent_changed = True
            return
        continues = self.task is not None and (
            (not number and title in ("", self.row_title))
            or (number == self.row_number and title == self.row_title)
        )
        if not continues and not self._row_task(block, number, title or _first_sentence(content)):
            self._text(block.line, _flat("".join(block.cells)))
            return
        assert self.task is not None
        self.row_number, self.row_title = number, title
        roles = {
            # 局法规科（牵头领导：王副局长） in a cell: the remark names a person, not the unit.
            role: unit_names(REMARK.sub("", self._cell(block, role)).replace("\n", "、"))
            for role in ("lead", "responsible", "support")
        }
        roles = with_marked_leads({role: names for role, names in roles.items() if names})
        self.task.clauses.append(RawClause(content or title, block.line, None, roles))
        due = _flat(self._cell(block, "due"))
        if due:
            self.task.due_text = f"{self.task.due_text}；{due}" if self.task.due_text else due
        if not roles:
            self.notes.append(
                Note(
                    block.line,
                    f"任务 {self.task.id} 的表格行没有填写牵头或责任单位："
                    "已标记 unassigned: true，请补充单位",
                )
            )

    def _row_task(self, block: Block, number: str, title: str) -> bool:
        """Start the task a table row opens; False when the row opens none."""
        if not title:
            return False
        written = _ARABIC.match(number)
        if written:
            found = self.tasks.accept(int(written.group(1)), block.line)
        else:
            found = self.tasks.accept(self.tasks.last + 1, block.line)
            if self.columns and "number" in self.columns:
                self.notes.append(
                    Note(block.line, f"这一行没有序号：已作为第 {found} 项任务读取，请核对")
                )
        if found is None:
            return False
        self.task = RawTask(found, block.line, self.subsection, title=title)
        self._section_for_task(block.line).tasks.append(self.task)
        return True

    # --- the end -------------------------------------------------------------------------

    def _keep_text_items_as_text(self) -> None:
        """Items that assign nothing under 总体要求, 保障措施 and the like become section text.

        Only in a document whose other items do assign: a plan that assigns nothing
        anywhere keeps every item as a task, for a person to assign.
        """
        if not any(assigns(t.body.text) for s in self.sections for t in s.tasks):
            return
        for section in self.sections:
            kept = []
            for task in section.tasks:
                if _is_text_item(section, task):
                    section.intro.append(task.body.text)
                    self.notes.append(
                        Note(
                            task.line,
                            f"“{_first_sentence(task.body.text)}”没有分工，是说明文字，不作为任务",
                        )
                    )
                else:
                    kept.append(task)
            section.tasks = kept

    def finish(
        self, year: int | None, all_text: str, *, issued: dt.date | None, doc_number: str | None
    ) -> Document:
        """The document as read, each task's text cut into clauses; its year and where from."""
        self._flush_labels()
        if not self.sections:
            raise UsageError(
                "没有找到“一、……”这样的部分标题，也没有编号的任务或任务表："
                "这份文字不像工作要点，未生成计划"
            )
        found_year, year_source = _year(year, self.title, issued, doc_number)
        rule = lead_rule(all_text)
        self._keep_text_items_as_text()
        for section in self.sections:
            for task in section.tasks:
                if not task.clauses:
                    split_task(task, self.notes, first_leads=rule is not None)
        self.notes.sort(key=lambda note: note.line)
        return Document(
            self.title or "工作要点",
            found_year,
            "".join(self.preamble),
            self.sections,
            self.notes,
            lead_rule=rule,
            year_source=year_source,
        )


def _closing_text(body: list[Block], texts: list[str], end: int) -> int:
    """Where the closing paragraphs after the last item start; end when there are none.

    The last item (numbered line or table row) ends with its assignment: a bracket that
    assigns, or a label line. Whole sentences after it that assign nothing are closing text;
    a fragment with no full stop is a wrapped line of the item and stays.
    """
    last_item = next(
        (i for i in range(end - 1, -1, -1) if body[i].cells or marker(texts[i]) is not None), None
    )
    if last_item is None:
        return end
    for cut in range(last_item + 1, end):
        head, tail = "".join(texts[last_item:cut]), texts[cut:end]
        if open_brackets(head) != 0 or not _ends_assigned(head, texts[cut - 1], body[cut - 1]):
            continue
        if all("。" in text and marker(text) is None and not assigns(text) for text in tail):
            return cut
    return end


def _ends_assigned(head: str, last_line: str, last_block: Block) -> bool:
    """Tell whether an item's text ends with its assignment: a bracket, a label line, a row."""
    if last_block.cells or label_line(last_line) is not None:
        return True
    text = head.rstrip("。；;，, ")
    found = list(brackets(text, 0))
    return bool(found) and found[-1][1] == len(text) - 1 and assigns(text[found[-1][0] :])


_DOCUMENT_KINDS = (
    "方案",
    "要点",
    "分工",
    "计划",
    "通知",
    "意见",
    "办法",
    "规划",
    "清单",
    "措施",
    "安排",
)


# Items that say why and how, not what: under them, an item with no assignment is text.
_NOT_A_TASK = re.compile(
    r"指导思想|基本原则|总体要求|主要目标|发展目标|工作目标|总体目标|目标任务要求|"
    r"保障措施|组织实施|组织保障|组织领导|工作要求|实施步骤|工作步骤|进度安排|有关要求"
)


def _is_text_item(section: RawSection, task: RawTask) -> bool:
    """An unassigned item under 总体要求/保障措施, or itself titled 指导思想, 基本原则…"""
    title = _first_sentence(task.body.text)
    named = _NOT_A_TASK.search(section.title) or _NOT_A_TASK.match(title)
    return bool(named) and not assigns(task.body.text)  # the cheap test first


def _flat(text: str) -> str:
    """A cell's text on one line: a cell's paragraphs run on, as Chinese text does."""
    return "".join(part.strip() for part in text.splitlines())


def _first_sentence(text: str) -> str:
    end = TITLE_END.search(text)
    return text[: end.start()] if end else text


def _looks_like_title(line: str) -> bool:
    wrapped = line[:1] in "（(" and line[-1:] in "）)"
    return len(line) <= 40 and not line.endswith(("。", "：", ":")) and not wrapped


def _looks_like_heading(rest: str) -> bool:
    return len(rest) <= 30 and not rest.endswith(("。", "；", ";")) and not assigns(rest)


def _year(
    year: int | None, title: str, issued: dt.date | None, doc_number: str | None
) -> tuple[int, str]:
    """The plan's year and where it came from: --year, the title, the issue date, the 文号.

    A year in the body (到2025年, 国办发〔2016〕82号 cited) never decides it.
    """
    if year is not None:
        return year, "--year"
    found = re.search(r"((?:19|20)\d\d)\s*年", title)
    if found is not None:
        return int(found.group(1)), "标题"
    if issued is not None:
        return issued.year, "印发日期"
    number = re.search(r"[〔\[［(（]\s*((?:19|20)\d\d)\s*[〕\]］)）]", doc_number or "")
    if number is not None:
        return int(number.group(1)), "文号"
    raise UsageError(
        "无法判断计划的年度：标题中没有年份，也没有找到印发日期或文号。请用 --year 指定，如 --year 2024"
    )
