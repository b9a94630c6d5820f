"""The 台账 as Word/Excel users see it: LibreOffice converts it to PDF, and the pages hold up.

Skips when LibreOffice or poppler is absent, unless PLANTRACK_REQUIRE_TOOLS=1 (set by
.ci/run, which installs them), so CI always runs it. One conversion per file: it is slow.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import PROGRESS_PLAN, Invoke


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("PLANTRACK_REQUIRE_TOOLS"):
        pytest.fail(f"PLANTRACK_REQUIRE_TOOLS is set but {name} is missing")
    pytest.skip(f"{name} is needed (apt-get install libreoffice-calc-nogui poppler-utils)")


def to_pdf(document: Path) -> Path:
    """Convert with LibreOffice, in a profile of its own so parallel runs don't collide."""
    soffice = _tool("soffice")
    profile = document.parent / "lo-profile"
    command = [
        soffice,
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(document.parent),
        str(document),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    pdf = document.with_suffix(".pdf")
    assert done.returncode == 0 and pdf.is_file(), done.stdout + done.stderr
    return pdf


def pdf_pages(pdf: Path) -> tuple[int, str]:
    """The PDF's page count and its text, as poppler reads them."""
    info = subprocess.run([_tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True)
    pages = next(
        int(row.split()[-1]) for row in info.stdout.splitlines() if row.startswith("Pages:")
    )
    text = subprocess.run(
        [_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pages, text


def test_the_ledger_prints_on_a_few_landscape_pages(cli: Invoke, tmp_path: Path) -> None:
    ledger = tmp_path / "台账.xlsx"
    cli("export", "--format", "xlsx", "--as-of", "2023-10-08", "--plan", str(PROGRESS_PLAN),
        "-o", str(ledger))  # fmt: skip
    pages, text = pdf_pages(to_pdf(ledger))
    assert 2 <= pages <= 8
    assert "2023年交通法治工作要点任务台账" in text and "截至 2023年10月8日" in text
    assert text.count("工作内容") == pages  # the header row repeats on every page
    assert f"第 {pages} 页，共 {pages} 页" in text
    assert "7.3" in text and "受阻" in text
