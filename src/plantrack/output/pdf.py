"""PDF, the form offices exchange: a Word report or an Excel 台账 converted by LibreOffice.

plantrack writes the .docx and .xlsx itself; turning them into PDF takes a layout engine,
and LibreOffice is the one a server or a clerk's PC can have for free. It runs headless,
in a profile of its own (so it never meets a LibreOffice the user has open), with a time
limit. Without it the answer says how to get it, or how to make the PDF by hand.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from plantrack.core.errors import PlantrackError, UsageError

SECONDS = 180
_MISSING = (
    "生成 PDF 需要 LibreOffice，本机没有找到 soffice 命令。安装：Debian/Ubuntu 运行 "
    "sudo apt-get install libreoffice-writer-nogui libreoffice-calc-nogui；Windows、macOS 从 "
    "libreoffice.org 下载安装，并把 soffice 所在的文件夹加入 PATH。也可以先用 --format {office} "
    "生成文件，在 Word 或 WPS 中“另存为 PDF”"
)


def convert(data: bytes, suffix: str) -> bytes:
    """The PDF of an Office file's bytes (suffix: .docx or .xlsx)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise UsageError(_MISSING.format(office=suffix.lstrip(".")))
    with tempfile.TemporaryDirectory(prefix="plantrack-pdf-") as folder:
        work = Path(folder)
        source = work / f"document{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise PlantrackError(
                f"LibreOffice 转换 PDF 超过 {SECONDS} 秒仍未完成，已停止"
            ) from None
        except OSError as exc:
            raise PlantrackError(f"无法运行 LibreOffice（{type(exc).__name__}）") from None
        result = source.with_suffix(".pdf")
        if not result.is_file():
            raise PlantrackError(
                "LibreOffice 没有生成 PDF：请确认安装了 Writer 和 Calc"
                "（libreoffice-writer-nogui、libreoffice-calc-nogui）"
            )
        return result.read_bytes()
