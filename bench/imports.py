"""Import at scale: a 40,000-task document and a clause naming 8,000 units.

    python bench/imports.py [--tasks 40000] [--units 8000] [--rounds 3]

Writes each document in a temporary folder, runs `plantrack import` on it and `plantrack
check` on the plan it wrote, and writes the median wall-clock times as the section
"## 导入" of bench/RESULTS.md (bench/run.py keeps that section when it rewrites the file).
Target: importing takes at most 3 × as long as checking the plan it writes, so import
time grows with the document, not with its square.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from plantrack.core.numerals import to_chinese  # noqa: E402

PLANTRACK = [sys.executable, "-m", "plantrack"]
UNITS = ["局法规科", "局办公室", "局财审科", "区交通执法支队", "区公路事务中心"]
TARGET_RATIO = 3.0


def big_document(tasks: int, per_section: int = 1000) -> str:
    """A 工作要点 of numbered tasks under 一、 parts, each with a bracketed assignment."""
    lines = ["2024年交通法治工作要点（基准测试用）", ""]
    for number in range(1, tasks + 1):
        if (number - 1) % per_section == 0:
            section = (number - 1) // per_section + 1
            lines.append(f"{to_chinese(section)}、第{section}部分重点工作")
        lead, other = UNITS[number % 5], UNITS[(number + 2) % 5]
        lines.append(
            f"{number}.推进第{number}项重点工作。按照年度安排组织实施，确保取得实效，"
            f"{number % 12 + 1}月{number % 28 + 1}日前完成。（牵头单位：{lead}；责任单位：{other}）"
        )
    return "\n".join(lines) + "\n"


def wide_clause(units: int) -> str:
    """One task whose responsible units run to `units` names."""
    names = "、".join(f"第{index}街道办事处" for index in range(1, units + 1))
    return f"2024年工作要点\n\n一、总体要求\n1.开展专项工作。（牵头单位：局法规科；责任单位：{names}）\n"


# Both commands read the plan cold: from the second round on, check would otherwise read the
# values the first round cached, and the ratio would compare a parse with a cache hit.
COLD = {**os.environ, "PLANTRACK_NO_CACHE": "1"}


def timed(argv: list[str]) -> float:
    """Seconds one run takes; a failing run stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, check=False, env=COLD)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv[2:])} 失败：{done.stderr.decode('utf-8', 'replace')[-500:]}")
    return elapsed


def measure(name: str, text: str, folder: Path, rounds: int) -> str:
    """Import and check `rounds` times each; one Markdown row."""
    document, plan = folder / f"{name}.txt", folder / f"{name}.yaml"
    document.write_text(text, encoding="utf-8")
    imports, checks = [], []
    for _ in range(rounds):
        imports.append(timed([*PLANTRACK, "import", str(document), "-o", str(plan), "--force"]))
        checks.append(timed([*PLANTRACK, "check", str(plan), "--as-of", "2024-12-31"]))
    imported, checked = statistics.median(imports), statistics.median(checks)
    ratio = imported / checked
    verdict = "✅ 达标" if ratio <= TARGET_RATIO else "❌ 未达标"
    size = len(text.encode("utf-8")) / 1e6
    return (
        f"| {name} | {size:.1f} MB | {imported * 1000:.0f} ms | {checked * 1000:.0f} ms "
        f"| {ratio:.2f} × | ≤ {TARGET_RATIO:.0f} × check | {verdict} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=40_000)
    parser.add_argument("--units", type=int, default=8_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "RESULTS.md")
    args = parser.parse_args()
    rows = [
        "| 文档 | 大小 | import | check（导入结果） | 倍数 | 目标 | 结果 |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tasks, units = big_document(args.tasks), wide_clause(args.units)
        rows.append(measure(f"{args.tasks:,} 项任务", tasks, folder, args.rounds))
        rows.append(measure(f"{args.units:,} 个单位的一条分工", units, folder, args.rounds))
    print("\n".join(rows))
    command = (
        f"python bench/imports.py --tasks {args.tasks} --units {args.units} --rounds {args.rounds}"
    )
    section = [
        "",
        SECTION,
        "",
        f"由 `{command}` 生成，{time.strftime('%Y-%m-%d')}。"
        "先导入合成的文档，再核对导入写出的计划，各取中位数；两者都不用缓存（PLANTRACK_NO_CACHE=1）。",
        "",
        *rows,
    ]
    write_section(args.output, SECTION, "\n".join(section) + "\n")


SECTION = "## 导入"


def write_section(path: Path, title: str, section: str) -> None:
    """Put the section in place of an earlier one with this title, or after everything else."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    at = text.find("\n" + title + "\n")
    if at >= 0:
        after = text.find("\n## ", at + 1)
        text = text[:at] + (text[after:] if after >= 0 else "")
    path.write_text(text.rstrip("\n") + "\n" + section, encoding="utf-8")


if __name__ == "__main__":
    main()
