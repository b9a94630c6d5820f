"""Write the sample 分工方案 the README imports: tests/data/docs/2024年重点工作任务分工方案.docx.

    python tools/make_sample_docx.py

The document is the "labels" layout of tests/documents.py (a cover notice, then items
with 牵头单位/责任单位 on lines of their own), saved by python-docx as Word would.
A test checks that the committed file still is that layout.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]
from documents import LABELS  # noqa: E402
from plantrack.output.package import reproducible  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "docs" / "2024年重点工作任务分工方案.docx"


def main() -> None:
    """Write the sample with fixed dates, so that rerunning changes no byte."""
    LABELS.docx(SAMPLE)
    SAMPLE.write_bytes(reproducible(SAMPLE.read_bytes(), day=dt.date(2024, 2, 20)))
    print(f"已写入 {SAMPLE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
