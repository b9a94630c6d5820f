"""Reading a received file as blocks, whatever it is and whatever it is called."""

from __future__ import annotations

from pathlib import Path

import pytest

from documents import TABLE
from plantrack.core.errors import PlantrackError, UsageError
from plantrack.importer.isolated import read_blocks
from plantrack.importer.sources import Unreadable, sniff, text_blocks


def test_sniff_tells_the_format_by_content(tmp_path: Path) -> None:
    word = TABLE.docx(tmp_path / "a.bin")
    excel = TABLE.xlsx(tmp_path / "b.bin")
    assert sniff(word.read_bytes()) == "docx"
    assert sniff(excel.read_bytes()) == "xlsx"
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff("一、甲".encode()) == "text"
    with pytest.raises(Unreadable, match="不完整"):
        sniff(b"PK\x03\x04 not really a zip")
    with pytest.raises(Unreadable, match="旧版 Word"):
        sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def test_an_old_word_file_is_refused_with_how_to_convert_it(tmp_path: Path) -> None:
    path = tmp_path / "方案.doc"
    with pytest.raises(UsageError, match=r"另存为 \.docx"):
        read_blocks(path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))


def test_text_lines_are_numbered_and_tab_separated_rows_keep_their_cells() -> None:
    blocks = text_blocks("标题\n序号\t工作任务\t牵头单位\n一、甲")
    assert [(b.line, b.cells) for b in blocks] == [
        (1, ()),
        (2, ("序号", "工作任务", "牵头单位")),
        (3, ()),
    ]


def test_gbk_text_is_decoded_and_other_bytes_are_refused(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.txt"
    assert read_blocks(gbk, "一、加强领导".encode("gbk"))[0].text == "一、加强领导"
    with pytest.raises(PlantrackError, match="既不是 UTF-8 也不是 GBK"):
        read_blocks(gbk, b"\xff\xfe\x00\xd8\x00")


def test_word_automatic_numbers_are_read_as_written(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("一、总体要求")
    for text in ("做好工作。", "抓好落实。"):
        document.add_paragraph(text, style="List Number")
    path = tmp_path / "numbered.docx"
    document.save(str(path))
    blocks = read_blocks(path, path.read_bytes())
    assert [b.text for b in blocks] == ["一、总体要求", "1.做好工作。", "2.抓好落实。"]


def test_word_tables_give_one_block_per_row_with_columns_aligned(tmp_path: Path) -> None:
    path = TABLE.docx(tmp_path / "t.docx")
    blocks = read_blocks(path, path.read_bytes())
    header, heading, first = [b for b in blocks if b.cells][:3]
    assert header.cells[:3] == ("序号", "工作任务", "具体内容")
    assert len(set(heading.cells)) == 1  # a merged heading repeats across its columns
    assert first.cells[3:5] == ("县行政审批局", "县大数据中心、各乡镇")


def test_a_damaged_word_file_is_named_not_traced(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "损坏.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    with pytest.raises(UsageError, match=r"损坏\.docx: Word 文件已损坏"):
        read_blocks(path, path.read_bytes())
