"""Office Open XML files (xlsx, docx) made reproducible: the same content gives the same bytes.

A workbook or document is a zip. Zip entries carry the time they were written, and openpyxl
stamps `dcterms:modified` with the time of saving, whatever the caller set; both would make
two exports of the same plan on the same day differ. Here every entry gets one fixed time and
the document dates are the day the report is as of.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

CORE = "docProps/core.xml"
_STAMP = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def reproducible(data: bytes, *, day: dt.date) -> bytes:
    """The same package with fixed entry times and its document dates set to day."""
    moment = f"{day.isoformat()}T00:00:00Z"
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == CORE:
                text = _STAMP.sub(rf"\g<1>{moment}\g<3>", content.decode("utf-8"))
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = item.external_attr
            target.writestr(entry, content)
    return buffer.getvalue()
