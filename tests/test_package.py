"""Office packages made reproducible: fixed zip times, document dates set to the report's day."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from plantrack.output.package import CORE, reproducible

CORE_XML = (
    '<cp:coreProperties xmlns:dcterms="http://purl.org/dc/terms/">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-27T09:22:36Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-27T09:22:38Z</dcterms:modified>'
    "</cp:coreProperties>"
)


def package(when: tuple[int, int, int, int, int, int]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in ((CORE, CORE_XML), ("xl/workbook.xml", "<workbook/>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=when), text)
    return buffer.getvalue()


def test_entry_times_and_document_dates_are_fixed() -> None:
    day = dt.date(2023, 10, 8)
    first = reproducible(package((2026, 11, 27, 9, 22, 36)), day=day)
    second = reproducible(package((2031, 1, 1, 0, 0, 0)), day=day)
    assert first == second
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read(CORE).decode("utf-8")
    assert core.count("2023-10-08T00:00:00Z") == 2 and "2026" not in core
    assert archive.read("xl/workbook.xml") == b"<workbook/>"
