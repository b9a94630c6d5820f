"""A received document as numbered blocks: lines of text and rows of tables, whatever it was.

The format is told by the bytes, not the file name: a .doc renamed .txt, or a PDF mailed
as .dat, is read as what it is. A block's number is what notes call DOC:LINE.

A received file may be damaged, or made to hurt: a zip that unpacks to gigabytes, a
sheet that claims a million rows, a PDF of endless pages. What the bytes show cheaply is
checked here; `isolated.read_blocks` then reads Word, Excel and PDF in a child process
with a memory and time limit, and every refusal says what the file is and what to do.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from plantrack.core.errors import PlantrackError
from plantrack.core.numerals import to_chinese


class Block(NamedTuple):
    """One line of text, or one table row (its cells), at a line of the document."""

    line: int
    text: str
    cells: tuple[str, ...] = ()


MAX_BYTES = 64 * 2**20  # a work plan is a few hundred KB; a scanned one a few MB
MAX_MEMBERS = 5000  # files inside a .docx or .xlsx
MAX_UNPACKED = 256 * 2**20  # what those files add up to, unpacked
MAX_PAGES = 500
MAX_ROWS = 20000  # of a worksheet
MAX_COLUMNS = 256
MAX_STREAM = 32 * 2**20  # one PDF stream, unpacked

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_OFFICE = "EncryptedPackage".encode("utf-16-le")  # Word/Excel with a password


class Unreadable(Exception):
    """A document that cannot or will not be read, said without its name."""


class Purpose(NamedTuple):
    """What a file is read for, as messages say it: the document and the step that takes it."""

    document: str  # 工作要点
    step: str  # 导入
    formats: str  # what to send instead


IMPORT = Purpose("工作要点", "导入", "请导入工作要点的 Word、PDF、Excel 或文本文件")


def sniff(data: bytes, purpose: Purpose = IMPORT) -> str:
    """pdf, docx, xlsx or text, from the content; anything else is refused as Unreadable."""
    doc, step = purpose.document, purpose.step
    if len(data) > MAX_BYTES:
        raise Unreadable(
            f"文件有 {_mb(len(data))}，超过{step}上限 {_mb(MAX_BYTES)}：{doc}不会这么大"
        )
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(_OLE):
        if _ENCRYPTED_OFFICE in data:
            raise Unreadable(
                "这个 Word 或 Excel 文件加密了，需要密码才能打开：请在 Word、WPS 中打开，"
                f"去掉打开密码后另存，再{step}"
            )
        raise Unreadable(
            "这是旧版 Word（.doc）、WPS 或 Excel（.xls）文件，无法直接读取："
            f"请在 Word 或 WPS 中另存为 .docx（表格另存为 .xlsx）后再{step}"
        )
    if data.startswith(b"PK\x03\x04"):
        return _archive_kind(data, purpose)
    return "text"


def _archive_kind(data: bytes, purpose: Purpose) -> str:
    """docx or xlsx, for a zip that is one and is small enough to unpack."""
    doc, step = purpose.document, purpose.step
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Unreadable(
            "文件已损坏：它像 Word 或 Excel 文件，但不完整（可能没有下载或复制完）。"
            f"请重新下载，或在 Word、WPS 中打开后另存，再{step}"
        ) from None
    if len(members) > MAX_MEMBERS:
        raise Unreadable(
            f"文件内含 {len(members)} 个部件，超过{step}上限 {MAX_MEMBERS}：不像是{doc}"
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED:
        raise Unreadable(
            f"文件解压后有 {_mb(unpacked)}，超过{step}上限 {_mb(MAX_UNPACKED)}："
            f"若其中有大图片，请删去图片后另存，再{step}"
        )
    names = {member.filename for member in members}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    raise Unreadable(
        "这是一个压缩包（或 PowerPoint、OFD 等文件），不是 Word（.docx）或 Excel（.xlsx）文件："
        + purpose.formats
    )


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size / 1024:.0f} KB"


def parse_binary(kind: str, data: bytes) -> list[Block]:
    """Read a PDF, Word or Excel file's blocks (run by `isolated`, in a child process)."""
    readers = {
        "pdf": _pdf_blocks,
        "docx": _docx_blocks,
        "xlsx": _xlsx_blocks,
        "cells": _cell_blocks,
    }
    return readers[kind](data)


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


def _pdf_blocks(data: bytes) -> list[Block]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    _bound_pdf_streams()
    blocks: list[Block] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise Unreadable(
                    f"PDF 有 {len(pdf.pages)} 页，超过导入上限 {MAX_PAGES} 页：不像是工作要点"
                )
            for page in pdf.pages:
                for text, cells in _pdf_page(page):
                    blocks.append(Block(len(blocks) + 1, text, cells))
                page.close()  # let go of the page's layout before reading the next
    except Exception as exc:  # pdfplumber wraps what pdfminer raises on a damaged file
        causes = _causes(exc)
        if any(isinstance(cause, Unreadable) for cause in causes):
            raise next(c for c in causes if isinstance(c, Unreadable)) from None
        if any(isinstance(cause, PDFPasswordIncorrect) for cause in causes):
            raise Unreadable(
                "这个 PDF 加密了，需要密码才能打开：请用 PDF 阅读器输入密码后另存一份无密码的，再导入"
            ) from None
        raise Unreadable(f"PDF 文件已损坏，无法读取（{type(causes[-1]).__name__}）") from None
    if not any(block.text.strip() for block in blocks):
        raise Unreadable(
            "这个 PDF 没有文字层（可能是扫描件）：请先用 OCR 软件识别成文字，"
            "或找到原始的 Word 文件再导入"
        )
    return blocks


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what lies under it: its cause, its context, an exception it wraps."""
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        wrapped = [arg for arg in current.args if isinstance(arg, BaseException)]
        current = current.__cause__ or current.__context__ or (wrapped[0] if wrapped else None)
    return found


def _bound_pdf_streams() -> None:
    """Make pdfminer refuse a stream that unpacks past MAX_STREAM, instead of unpacking it.

    pdfminer inflates each stream whole with zlib.decompress; a few KB can hold gigabytes.
    This runs only in the child process that reads one PDF, so changing pdfminer's view of
    zlib there changes nothing else.
    """
    import zlib

    import pdfminer.pdftypes

    class _BoundedZlib:
        error = zlib.error

        @staticmethod
        def decompress(data: bytes) -> bytes:
            inflater = zlib.decompressobj()
            out = inflater.decompress(data, MAX_STREAM)
            if inflater.unconsumed_tail:
                raise Unreadable(f"PDF 中有一段内容解压后超过 {_mb(MAX_STREAM)}：不像是工作要点")
            return out

        def __getattr__(self, name: str) -> Any:
            return getattr(zlib, name)

    pdfminer.pdftypes.zlib = _BoundedZlib()  # type: ignore[attr-defined,assignment]


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


def _docx_blocks(data: bytes) -> list[Block]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on a damaged file
        raise Unreadable(
            f"Word 文件已损坏，无法读取（{type(exc).__name__}）：请在 Word、WPS 中打开后另存，再导入"
        ) from None
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


def _xlsx_blocks(data: bytes) -> list[Block]:
    from openpyxl import load_workbook

    try:
        # openpyxl reads a sheet as it is iterated: damage may show only then.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return [
            Block(number, "\t".join(cells), cells)
            for number, cells in enumerate(_xlsx_rows(workbook), start=1)
        ]
    except Unreadable:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _damaged_workbook(exc, then="再导入") from None


def _damaged_workbook(exc: BaseException, *, then: str) -> Unreadable:
    """Why openpyxl could not read a workbook, and what to do, then what to do next."""
    kinds = [type(cause).__name__ for cause in _causes(exc)]
    # defusedxml refuses a DTD entity, the stuff of "billion laughs"; Excel writes none.
    forbidden = any("Forbidden" in kind for kind in kinds)
    what = "含有 XML 实体定义，不是 Excel 保存的文件" if forbidden else "已损坏"
    return Unreadable(
        f"Excel 文件{what}，无法读取（{kinds[-1]}）：请在 Excel、WPS 中打开后另存，{then}"
    )


def _xlsx_rows(workbook: Any) -> Iterator[tuple[str, ...]]:
    """Every non-empty row of every sheet, as its cells' text up to the last one filled."""
    for sheet in workbook.worksheets:
        # openpyxl pads every row to the sheet's <dimension>, which may claim A1:XFD1048576.
        rows, columns = sheet.max_row or 0, sheet.max_column or 0
        if rows > MAX_ROWS or columns > MAX_COLUMNS:
            raise Unreadable(
                f"工作表“{sheet.title}”自称有 {rows} 行、{columns} 列，超过导入上限"
                f"（{MAX_ROWS} 行、{MAX_COLUMNS} 列）：请在 Excel、WPS 中删去表格外多余的行和列，"
                "另存后再导入"
            )
        for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if index > MAX_ROWS:
                raise Unreadable(
                    f"工作表“{sheet.title}”超过 {MAX_ROWS} 行，超过导入上限："
                    "请删去表格之后多余的行再导入"
                )
            cells = tuple("" if value is None else str(value).strip() for value in row)
            while cells and not cells[-1]:
                cells = cells[:-1]
            if len(cells) > MAX_COLUMNS:
                raise Unreadable(
                    f"工作表“{sheet.title}”第 {index} 行超过 {MAX_COLUMNS} 列，超过导入上限："
                    "请删去表格右侧多余的列再导入"
                )
            if cells:
                yield cells


def _cell_blocks(data: bytes) -> list[Block]:
    """Every row of every sheet as typed cells, for a form read back (`collect`).

    A block is (row number in its sheet, sheet title, cells); each cell is its kind and its
    value: "" empty, "s" text, "d" a date (ISO), "n" a number, "f" a formula, "b" a truth value.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        return [
            Block(row, sheet.title, cells)
            for sheet in workbook.worksheets
            for row, cells in _typed_rows(sheet)
        ]
    except Unreadable:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _damaged_workbook(exc, then="再交回") from None


def _typed_rows(sheet: Any) -> Iterator[tuple[int, tuple[str, ...]]]:
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise Unreadable(
            f"工作表“{sheet.title}”自称有 {rows} 行、{columns} 列，超过上限"
            f"（{MAX_ROWS} 行、{MAX_COLUMNS} 列）：请删去表格外多余的行和列，另存后再交回"
        )
    for number, row in enumerate(sheet.iter_rows(), start=1):
        if number > MAX_ROWS:
            raise Unreadable(f"工作表“{sheet.title}”超过 {MAX_ROWS} 行：请删去表格之后多余的行")
        cells = tuple(
            _typed(getattr(cell, "value", None), getattr(cell, "data_type", "")) for cell in row
        )
        while cells and not cells[-1]:
            cells = cells[:-1]
        if len(cells) > MAX_COLUMNS:
            raise Unreadable(f"工作表“{sheet.title}”第 {number} 行超过 {MAX_COLUMNS} 列")
        if cells:
            yield number, cells


def _typed(value: Any, data_type: str) -> str:
    if value is None or value == "":
        return ""
    if data_type == "f" or (isinstance(value, str) and data_type != "s" and value.startswith("=")):
        return "f" + str(value)
    if isinstance(value, bool):
        return "b" + str(value)
    if isinstance(value, dt.datetime | dt.date):
        return "d" + value.isoformat()
    if isinstance(value, int | float):
        return "n" + repr(value)
    return "s" + str(value)
