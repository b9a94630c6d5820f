"""A received document as numbered blocks: lines of text and rows of tables, whatever it was.

The format is told by the bytes, not the file name: a .doc renamed .txt, or a PDF mailed
as .dat, is read as what it is. A block's number is what notes call DOC:LINE.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any, NamedTuple

from plantrack.core.errors import PlantrackError, UsageError
from plantrack.core.numerals import to_chinese


class Block(NamedTuple):
    """One line of text, or one table row (its cells), at a line of the document."""

    line: int
    text: str
    cells: tuple[str, ...] = ()


def read_blocks(path: Path, data: bytes) -> list[Block]:
    """The document's blocks in reading order."""
    kind = sniff(data)
    if kind == "ole":
        raise UsageError(
            f"{path}: 这是旧版 Word（.doc）、WPS 或 Excel（.xls）文件，无法直接读取："
            "请在 Word 或 WPS 中另存为 .docx（表格另存为 .xlsx）后再导入"
        )
    if kind == "pdf":
        return _pdf_blocks(path, data)
    if kind == "docx":
        return _docx_blocks(path, data)
    if kind == "xlsx":
        return _xlsx_blocks(path, data)
    return text_blocks(decode_document(path, data))


def sniff(data: bytes) -> str:
    """pdf, docx, xlsx, ole (.doc, .wps, .xls) or text, from the content."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return "text"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return "text"


def decode_document(path: Path, data: bytes) -> str:
    """Decode UTF-8 (BOM allowed), falling back to GBK as offices often save."""
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlantrackError(f"{path}: 既不是 UTF-8 也不是 GBK 编码：请另存为 UTF-8 后重试")


def text_blocks(text: str) -> list[Block]:
    """Each line of a text as a block, numbered from 1; a table copied as text keeps its cells."""
    return [_text_block(number, line) for number, line in enumerate(text.splitlines(), start=1)]


def _text_block(number: int, line: str) -> Block:
    # A table row pasted from Word or a web page arrives as cells between tabs.
    cells = tuple(line.split("\t")) if line.count("\t") >= 2 else ()
    return Block(number, line, cells)


def _pdf_blocks(path: Path, data: bytes) -> list[Block]:
    import pdfplumber

    blocks: list[Block] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                for text, cells in _pdf_page(page):
                    blocks.append(Block(len(blocks) + 1, text, cells))
    except Exception as exc:  # pdfplumber raises many kinds on a damaged file
        raise PlantrackError(f"{path}: 无法读取这个 PDF（{type(exc).__name__}）") from None
    if not any(block.text.strip() for block in blocks):
        raise UsageError(
            f"{path}: 这个 PDF 没有文字层（可能是扫描件）：请先用 OCR 软件识别成文字，"
            "或找到原始的 Word 文件再导入"
        )
    return blocks


def _pdf_page(page: Any) -> list[tuple[str, tuple[str, ...]]]:
    """A page's lines and table rows, top to bottom."""
    tables = page.find_tables()
    if not tables:
        return [(line, ()) for line in (page.extract_text() or "").splitlines()]
    placed: list[tuple[float, str, tuple[str, ...]]] = []
    outside = page
    for table in tables:
        outside = outside.outside_bbox(table.bbox)
        for row, cells in zip(table.rows, table.extract(), strict=False):
            # A cell's line breaks are where the page wrapped it, not the writer's.
            flat = tuple("".join((cell or "").split("\n")).strip() for cell in cells)
            placed.append((row.bbox[1], "\t".join(flat), flat))
    for line in outside.extract_text_lines():
        placed.append((line["top"], line["text"], ()))
    placed.sort(key=lambda item: item[0])
    return [(text, cells) for _, text, cells in placed]


def _docx_blocks(path: Path, data: bytes) -> list[Block]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise PlantrackError(f"{path}: 无法读取这个 Word 文件（{type(exc).__name__}）") from None
    numbering = _Numbering(document)
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            blocks.append(Block(len(blocks) + 1, numbering.label(item) + item.text))
        elif isinstance(item, Table):
            for row in item.rows:
                # Merged cells repeat across the columns they span, keeping columns aligned.
                cells = tuple(cell.text.strip() for cell in row.cells)
                blocks.append(Block(len(blocks) + 1, "\t".join(cells), cells))
    return blocks


class _Numbering:
    """Word's automatic list numbers, which are not in a paragraph's text: 1. 一、 （1） ①."""

    def __init__(self, document: Any) -> None:
        self.formats: dict[tuple[str, str], tuple[str, str]] = {}
        self.counters: dict[tuple[str, str], int] = {}
        part = getattr(getattr(document, "part", None), "numbering_part", None)
        if part is not None:
            self._read(part.element)

    def _read(self, root: Any) -> None:
        ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
        w = f"{{{ns['w']}}}"
        abstract: dict[str, dict[str, tuple[str, str]]] = {}
        for node in root.findall("w:abstractNum", ns):
            levels = {}
            for level in node.findall("w:lvl", ns):
                fmt = level.find("w:numFmt", ns)
                text = level.find("w:lvlText", ns)
                levels[level.get(f"{w}ilvl")] = (
                    fmt.get(f"{w}val") if fmt is not None else "decimal",
                    text.get(f"{w}val") if text is not None else "%1.",
                )
            abstract[node.get(f"{w}abstractNumId")] = levels
        for num in root.findall("w:num", ns):
            ref = num.find("w:abstractNumId", ns)
            for ilvl, spec in abstract.get(
                ref.get(f"{w}val") if ref is not None else "", {}
            ).items():
                self.formats[(num.get(f"{w}numId"), ilvl)] = spec

    def label(self, paragraph: Any) -> str:
        """The number Word shows before the paragraph, or nothing."""
        numpr = _numbering_of(paragraph)
        if numpr is None or numpr.numId is None or numpr.numId.val == 0:
            return ""
        key = (str(numpr.numId.val), str(numpr.ilvl.val if numpr.ilvl is not None else 0))
        fmt, template = self.formats.get(key, ("decimal", "%1."))
        if fmt in ("none", "bullet"):
            return ""
        count = self.counters[key] = self.counters.get(key, 0) + 1
        # A deeper level restarts when a shallower one counts on.
        for other in list(self.counters):
            if other[0] == key[0] and int(other[1]) > int(key[1]):
                del self.counters[other]
        return re.sub(r"%\d", _formatted(fmt, count), template, count=1)


def _numbering_of(paragraph: Any) -> Any:
    """The paragraph's list numbering: its own, else its style's (List Number), inherited."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = paragraph.style
    while style is not None:
        ppr = style.element.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = style.base_style
    return None


def _formatted(fmt: str, count: int) -> str:
    if fmt.startswith(("chinese", "ideograph", "japaneseCounting")):
        return to_chinese(count)
    if fmt == "decimalEnclosedCircle" and 1 <= count <= 20:
        return chr(0x2460 + count - 1)
    return str(count)


def _xlsx_blocks(path: Path, data: bytes) -> list[Block]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise PlantrackError(f"{path}: 无法读取这个 Excel 文件（{type(exc).__name__}）") from None
    blocks: list[Block] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = tuple("" if value is None else str(value).strip() for value in row)
            while cells and not cells[-1]:
                cells = cells[:-1]
            if cells:
                blocks.append(Block(len(blocks) + 1, "\t".join(cells), cells))
    return blocks
