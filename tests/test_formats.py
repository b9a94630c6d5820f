"""The format registry: the command line offers exactly its formats, and each one writes bytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from helpers import Invoke
from plantrack.commands import reports
from plantrack.core.errors import UsageError
from plantrack.output import formats

AS_OF = "2023-10-08"


@pytest.mark.parametrize(
    ("command", "registry"),
    [("report", formats.REPORT_FORMATS), ("export", formats.EXPORT_FORMATS)],
)
def test_the_command_line_offers_the_registry(
    cli: Invoke, command: str, registry: dict[str, formats.Format]
) -> None:
    help_text = cli(command, "--help", env={"COLUMNS": "200"}).stdout
    assert f"[{'|'.join(registry)}]" in help_text
    refused = cli(command, "--format", "odt", code=2).stderr
    assert "“odt”不是可选的格式" in refused and "、".join(registry) in refused


# PDF goes through LibreOffice, which takes seconds: tests/test_office.py converts once each.
SLOW = {"pdf"}


@pytest.mark.parametrize("name", sorted(set(formats.EXPORT_FORMATS) - SLOW))
def test_every_export_format_writes_bytes(name: str) -> None:
    rendered = reports.export(name, plan=None, dept="法规科", as_of=AS_OF, output=Path("x"))
    assert isinstance(rendered.data, bytes) and rendered.data
    assert rendered.source.name == "2023.yaml"


@pytest.mark.parametrize("name", sorted(set(formats.REPORT_FORMATS) - SLOW))
def test_every_report_format_writes_bytes(name: str, tmp_path: Path) -> None:
    binary = formats.REPORT_FORMATS[name].binary
    rendered = reports.report(
        name,
        plan=None,
        quarter="2023Q3",
        start=None,
        end=None,
        dept=None,
        as_of=AS_OF,
        templates=None,
        output=tmp_path / f"r.{name}" if binary else None,
    )
    if binary:  # an Office file: a zip holding the report's words
        with zipfile.ZipFile(io.BytesIO(rendered.data)) as package:
            text = package.read("word/document.xml").decode("utf-8")
    else:
        text = rendered.data.decode("utf-8")
    # Word is the 公文, titled 关于…的报告; Markdown and HTML keep a reader's title.
    assert ("第三季度进展情况的报告" if binary else "2023年第三季度进展报告") in text


def test_binary_formats_need_a_file() -> None:
    binary = [
        f.name
        for f in [*formats.REPORT_FORMATS.values(), *formats.EXPORT_FORMATS.values()]
        if f.binary
    ]
    assert binary == ["docx", "pdf", "xlsx", "pdf"]
    with pytest.raises(UsageError, match=r"-o 台账\.xlsx"):
        reports.export("xlsx", plan=None, dept=None, as_of=AS_OF, output=None)


def test_a_unit_names_the_export(cli: Invoke) -> None:
    out = cli("export", "--format", "ics", "--dept", "法规科", "--as-of", AS_OF).stdout
    assert "X-WR-CALNAME:2023年交通法治工作要点（局法规科）" in out
