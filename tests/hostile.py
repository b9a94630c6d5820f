"""Files made to hurt an importer, or damaged on the way: each as bytes, built in a moment.

Shared by tests/test_importer_bounds.py and bench/bombs.py, which measures the time and
memory an import of each takes.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="分工" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        "</Relationships>"
    ),
}
_SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>{doctype}'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>{text}</t></is></c></row>'
    "</sheetData></worksheet>"
)


def _xlsx(sheet: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


def xlsx_claiming_every_cell() -> bytes:
    """A few KB whose sheet says it spans A1:XFD1048576, every cell Excel has."""
    return _xlsx(_SHEET.format(doctype="", dimension="A1:XFD1048576", text="一、总体要求"))


def xlsx_billion_laughs() -> bytes:
    """A sheet whose DTD defines an entity that expands a billion times."""
    doctype = '<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
        for i in range(1, 10)
    )
    doctype += "]>"
    return _xlsx(_SHEET.format(doctype=doctype, dimension="A1", text="&lol9;"))


def xlsx_cut_sheet() -> bytes:
    """A sheet whose XML stops halfway, as a failed download leaves it."""
    sheet = _SHEET.format(doctype="", dimension="A1", text="一、总体要求")
    return _xlsx(sheet[: len(sheet) // 2])


def docx_image_bomb() -> bytes:
    """A Word file of a few hundred KB holding a 300 MB 'image' of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/image1.png", "w") as image:
            chunk = bytes(2**20)
            for _ in range(300):
                image.write(chunk)
    return buffer.getvalue()


def docx_cut() -> bytes:
    """A real-looking Word file cut short: its zip directory is missing."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml", "<w:document>" + "一、总体要求" * 200 + "</w:document>"
        )
    data = buffer.getvalue()
    return data[: len(data) * 2 // 3]


def not_office_zip() -> bytes:
    """A zip that is neither Word nor Excel (as a .pptx or an OFD is)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("ppt/presentation.xml", "<p/>")
    return buffer.getvalue()


def encrypted_office() -> bytes:
    """The start of a password-protected .docx: an OLE file holding an EncryptedPackage."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    return header + "EncryptedPackage".encode("utf-16-le") + bytes(512)


def _pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of the numbered objects given, with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    table = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer))
    out.write(b"startxref\n%d\n%%%%EOF\n" % table)
    return out.getvalue()


def pdf_of_pages(count: int) -> bytes:
    """A PDF of count empty pages."""
    kids = b" ".join(b"%d 0 R" % (3 + page) for page in range(count))
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
            *[page] * count,
        ]
    )


def pdf_flate_bomb() -> bytes:
    """One page whose content stream is 200 MB of spaces, deflated to a few hundred KB."""
    packer = zlib.compressobj(9)
    stream = b"".join(packer.compress(b" " * 2**20) for _ in range(200)) + packer.flush()
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream)
            + stream
            + b"\nendstream",
        ]
    )


def pdf_encrypted() -> bytes:
    """A PDF under the standard security handler whose user password is not empty."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
            b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P -4 >>" % (b"11" * 32, b"22" * 32),
        ],
        trailer=b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (b"ab" * 16, b"ab" * 16),
    )


# name → (the file, the file name it arrives as, what the refusal must say)
HOSTILE: dict[str, tuple[Callable[[], bytes], str, str]] = {
    "xlsx-every-cell": (xlsx_claiming_every_cell, "分工.xlsx", "超过导入上限"),
    "xlsx-billion-laughs": (xlsx_billion_laughs, "分工.xlsx", "XML 实体"),
    "xlsx-cut-sheet": (xlsx_cut_sheet, "分工.xlsx", "Excel 文件已损坏"),
    "docx-image-bomb": (docx_image_bomb, "要点.docx", "解压后有 300 MB，超过导入上限"),
    "docx-cut": (docx_cut, "要点.docx", "文件已损坏"),
    "zip-not-office": (not_office_zip, "要点.docx", "不是 Word（.docx）或 Excel（.xlsx）文件"),
    "office-encrypted": (encrypted_office, "要点.docx", "加密了，需要密码"),
    "pdf-2000-pages": (lambda: pdf_of_pages(2000), "要点.pdf", "2000 页，超过导入上限"),
    "pdf-flate-bomb": (pdf_flate_bomb, "要点.pdf", "解压后超过 32 MB"),
    "pdf-encrypted": (pdf_encrypted, "要点.pdf", "PDF 加密了，需要密码"),
}
