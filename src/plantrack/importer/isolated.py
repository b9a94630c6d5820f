"""A document's blocks: text read here, Word, Excel and PDF in a child process that cannot
run away with the machine.

The parsers (python-docx, openpyxl, pdfplumber) hold a whole document in memory and
cannot be interrupted. A child process can: it gets `MAX_MEMORY` of address space (where
the system allows a limit, as Linux and macOS do) and `MAX_SECONDS` of time, and is
killed past either. It hands back the blocks, or why it would not read the file, as JSON.

Run as `python -m plantrack.importer.isolated KIND` with the file's bytes on stdin.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import suppress
from pathlib import Path

from plantrack.core.errors import UsageError
from plantrack.importer.sources import (
    Block,
    Purpose,
    Unreadable,
    decode_document,
    parse_binary,
    sniff,
    text_blocks,
)

MAX_MEMORY = 480 * 2**20
MAX_SECONDS = 60
_TOO_BIG = (
    f"读取时所需内存超过导入上限 {MAX_MEMORY // 2**20} MB，已停止："
    "文件中可能有被压缩得极小的巨大内容。请确认文件来源，或另存后再导入"
)


def read_blocks(path: Path, data: bytes) -> list[Block]:
    """The document's blocks in reading order, whatever it is; a refusal names the file."""
    try:
        kind = sniff(data)
        if kind in ("pdf", "docx", "xlsx"):
            return read(kind, data)
    except Unreadable as exc:
        raise UsageError(f"{path}: {exc}") from None
    return text_blocks(decode_document(path, data))


_REPLY_FORMAT = (
    "请交回 plantrack forms 生成的填报表（在 WPS 或 Excel 中填写后直接保存，不要另存为其他格式）"
)
REPLY = Purpose("填报表", "交回", _REPLY_FORMAT)


def read_cells(path: Path, data: bytes) -> list[Block]:
    """An Excel workbook's rows as typed cells (`sources._cell_blocks`), read in the child."""
    try:
        if sniff(data, REPLY) != "xlsx":
            raise Unreadable(f"这不是 Excel（.xlsx）文件：{_REPLY_FORMAT}")
        return read("cells", data)
    except Unreadable as exc:
        raise UsageError(f"{path}: {exc}") from None


def read(kind: str, data: bytes) -> list[Block]:
    """The blocks of a pdf, docx or xlsx file, read in a bounded child process."""
    # -P: the folder the user runs from is not searched for modules.
    command = [sys.executable, "-P", "-m", "plantrack.importer.isolated", kind]
    try:
        done = subprocess.run(
            command, input=data, capture_output=True, timeout=MAX_SECONDS, env=_environment()
        )
    except subprocess.TimeoutExpired:
        raise Unreadable(
            f"读取超过 {MAX_SECONDS} 秒仍未完成，已停止：文件可能已损坏，或结构异常复杂。"
            "请在 Word、WPS 中打开后另存，再导入"
        ) from None
    try:
        reply = json.loads(done.stdout)
    except ValueError:
        reply = {}
    if "refused" in reply:
        raise Unreadable(str(reply["refused"]))
    if done.returncode != 0 or "blocks" not in reply:
        raise Unreadable(_why_stopped(done))
    return [Block(line, text, tuple(cells)) for line, text, cells in reply["blocks"]]


def _environment() -> dict[str, str]:
    # openpyxl reads XML through defusedxml, refusing DTD entities, unless told otherwise.
    return {**os.environ, "OPENPYXL_DEFUSEDXML": "True"}


def _why_stopped(done: subprocess.CompletedProcess[bytes]) -> str:
    if b"MemoryError" in done.stderr or done.returncode < 0:
        return _TOO_BIG
    return f"读取时出错（退出码 {done.returncode}）：文件可能已损坏，请在 Word、WPS 中打开后另存，再导入"


def _limit_self() -> None:
    """Cap this process's memory and time, where the system can."""
    try:
        import resource
    except ImportError:  # Windows: the parent's timeout still holds
        return
    for limit, value in ((resource.RLIMIT_AS, MAX_MEMORY), (resource.RLIMIT_CPU, MAX_SECONDS)):
        _, hard = resource.getrlimit(limit)
        wanted = value if hard == resource.RLIM_INFINITY else min(value, hard)
        # A limit the system will not lower is left: the parent's timeout still holds.
        with suppress(ValueError, OSError):
            resource.setrlimit(limit, (wanted, hard))


def main() -> None:
    """Read stdin as a document of the kind named in argv; write the blocks as JSON."""
    _limit_self()
    data = sys.stdin.buffer.read()
    answer = sys.stdout
    # Whatever a library prints while reading (openpyxl 3.1.0 prints a sheet's title) goes
    # to stderr: stdout carries the JSON alone.
    sys.stdout = sys.stderr
    try:
        blocks = parse_binary(sys.argv[1], data)
        reply: dict[str, object] = {"blocks": [[b.line, b.text, list(b.cells)] for b in blocks]}
    except Unreadable as exc:
        reply = {"refused": str(exc)}
    except MemoryError:
        reply = {"refused": _TOO_BIG}
    answer.write(json.dumps(reply))  # ASCII, whatever the console's code page


if __name__ == "__main__":
    main()
