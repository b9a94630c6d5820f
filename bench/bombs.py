"""Hostile and damaged documents: how long `plantrack import` takes to refuse each, and its memory.

    python bench/bombs.py

Builds each file of tests/hostile.py, runs `plantrack import FILE -o …` on it as a user
would, and writes the wall-clock time, the peak memory of the command and of the child
process that reads the file (the largest of them), and the exit code as the section
"## 恶意和损坏的文件" of bench/RESULTS.md. Target: each refused with exit 2 within 10 s
and 500 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from imports import write_section  # noqa: E402

from hostile import HOSTILE  # noqa: E402

SECTION = "## 恶意和损坏的文件"
SECONDS, MEGABYTES = 10, 500


def refuse(path: Path) -> tuple[float, float, int]:
    """Import the file once: seconds, peak MB of the command and its children, exit code."""
    output = path.with_suffix(".yaml")
    argv = [sys.executable, "-m", "plantrack", "import", str(path), "-o", str(output)]
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)  # ru_maxrss covers the waited-for child
    return time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    rows = [
        "| 文件 | 大小 | 用时 | 峰值内存 | 退出码 | 目标 | 结果 |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for name, (build, filename, _) in HOSTILE.items():
            path = Path(tmp) / name / filename
            path.parent.mkdir()
            data = build()
            path.write_bytes(data)
            seconds, megabytes, code = refuse(path)
            held = seconds <= SECONDS and megabytes <= MEGABYTES and code == 2
            rows.append(
                f"| {name} | {len(data) / 1024:.0f} KB | {seconds:.2f} s | {megabytes:.0f} MB "
                f"| {code} | 退出码 2，≤ {SECONDS} s，≤ {MEGABYTES} MB "
                f"| {'✅ 达标' if held else '❌ 未达标'} |"
            )
    print("\n".join(rows))
    section = [
        "",
        SECTION,
        "",
        f"由 `python bench/bombs.py` 生成，{time.strftime('%Y-%m-%d')}。"
        "每个文件导入一次，用时是整个命令的墙钟时间，峰值内存是命令和读取文件的子进程中最大的一个。",
        "",
        *rows,
    ]
    write_section(ROOT / "bench" / "RESULTS.md", SECTION, "\n".join(section) + "\n")


if __name__ == "__main__":
    main()
