"""Write synthetic plans shaped like plans/2023.yaml, for benchmarks and property tests.

    python bench/generate.py 10000 -o bench/.cache/plan-10000.yaml

Each task has a title, about 150 characters of Chinese text per clause, one to three
clauses naming registry units, and — like the real plan — a few tasks carry dates,
a quarterly rule, targets or progress entries. The output is deterministic for a size.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

OFFICES = [
    "局办公室",
    "局法规科",
    "局组教科",
    "局财审科",
    "局建管科",
    "局港航科",
    "局运输科",
    "局铁路民航科",
    "局安监科",
]
AGENCIES = ["区公路中心", "区港航中心", "区道运中心", "区交通执法支队"]
COLLECTIVES = [
    ("局机关各科室", "局机关", "all"),
    ("局属各单位", "局属单位", "all"),
    ("局机关相关科室", "局机关", "relevant"),
    ("局属相关单位", "局属单位", "relevant"),
]
WORDS = [
    "深入贯彻落实",
    "依法行政",
    "法治政府",
    "建设",
    "交通运输",
    "执法",
    "规范化",
    "监督检查",
    "制度",
    "机制",
    "推进",
    "完善",
    "加强",
    "健全",
    "落实",
    "责任",
    "清单",
    "审查",
    "备案",
    "公开",
    "宣传",
    "教育",
    "培训",
    "协同",
    "信息化",
]
STATUSES = ["未开始", "进行中", "已完成", "受阻"]


def sentence(rng: random.Random, length: int) -> str:
    """Chinese-looking text of about `length` characters, ending with 。"""
    parts: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(WORDS)
        parts.append(word)
        size += len(word)
        if rng.random() < 0.15:
            parts.append("，")
            size += 1
    return "".join(parts) + "。"


def header(year: int) -> list[str]:
    """Title, defaults and the unit registry."""
    lines = [
        "# yaml-language-server: $schema=../../schema/plan.schema.json",
        "# 基准测试用的合成计划（bench/generate.py 生成）",
        f"title: {year}年合成工作要点",
        f"year: {year}",
        "issuer: 合成局",
        "preamble: 合成计划，用于测量 plantrack 的速度。",
        f"default_due: {year}-12-31",
        "warn_days: 7",
        "units:",
    ]
    for name in OFFICES:
        lines += [f"  - name: {name}", "    group: 局机关", f"    aliases: [{name[1:]}]"]
    for name in AGENCIES:
        lines += [f"  - name: {name}", "    group: 局属单位", f"    aliases: [{name[1:]}]"]
    lines.append("collectives:")
    for name, group, scope in COLLECTIVES:
        lines += [f"  - name: {name}", f"    group: {group}", f"    scope: {scope}"]
    lines.append("sections:")
    return lines


def task_lines(rng: random.Random, task_id: int, year: int) -> list[str]:
    """One task in the same layout as plans/2023.yaml."""
    lines = [
        f"      - id: {task_id}",
        f"        title: {sentence(rng, 12)[:-1]}",
        "        clauses:",
    ]
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        lead = rng.sample(OFFICES + AGENCIES, rng.choice([1, 1, 2]))
        responsible = rng.sample([c[0] for c in COLLECTIVES], 2)
        lines += [
            f"          - text: {sentence(rng, 150)}",
            f"            lead: [{', '.join(lead)}]",
            f"            responsible: [{', '.join(responsible)}]",
            f"            status: {rng.choice(STATUSES)}",
        ]
    roll = rng.random()
    if roll < 0.05:
        lines += [
            "        deadlines:",
            "          - every: quarter",
            "            label: 报送工作文稿",
        ]
    elif roll < 0.15:
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        lines += [
            "        deadlines:",
            f"          - date: {year}-{month:02d}-{day:02d}",
            "            label: 完成阶段性任务",
        ]
    if rng.random() < 0.05:
        lines += [
            "        targets:",
            "          - name: 完成率",
            '            op: ">="',
            "            value: 80",
            '            unit: "%"',
        ]
    if rng.random() < 0.3:
        lines.append("        progress:")
        for _ in range(rng.randint(1, 3)):
            # Recorded before the benchmarks' --as-of (2023-10-08): `check` refuses entries
            # dated after the day it checks as of.
            month, day = rng.randint(1, 9), rng.randint(1, 28)
            lines += [
                f"          - date: {year}-{month:02d}-{day:02d}",
                f"            note: {sentence(rng, 30)}",
                "            by: 张三",
            ]
    return lines


def generate(tasks: int, *, year: int = 2023, seed: int = 0) -> str:
    """A whole plan with `tasks` tasks in sections of about 100 tasks."""
    rng = random.Random(seed + tasks)
    lines = header(year)
    per_section = max(3, min(100, tasks // 9 or 1))
    for task_id in range(1, tasks + 1):
        if (task_id - 1) % per_section == 0:
            number = (task_id - 1) // per_section + 1
            lines += [
                f"  - number: {number}",
                f"    title: 第{number}部分{sentence(rng, 20)[:-1]}",
                "    tasks:",
            ]
        lines += task_lines(rng, task_id, year)
    return "\n".join(lines) + "\n"


def taskwarrior_tasks(plan: str) -> str:
    """A plan's tasks in Taskwarrior's import format, one JSON object a line.

    Each task becomes a pending task in the project of its first lead office, due on its
    first dated deadline or at the year's end, as plantrack reads it.
    """
    import json

    import yaml

    data = yaml.load(plan, Loader=yaml.CBaseLoader)
    lines = []
    for section in data["sections"]:
        for task in section["tasks"]:
            dated = [d["date"] for d in task.get("deadlines", []) if "date" in d]
            due = (dated[0] if dated else f"{data['year']}-12-31").replace("-", "")
            record = {
                "uuid": f"00000000-0000-4000-8000-{int(task['id']):012d}",
                "description": task["title"],
                "project": task["clauses"][0]["lead"][0],
                "status": "pending",
                "entry": f"{data['year']}0101T000000Z",
                "due": f"{due}T000000Z",
            }
            lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Write a synthetic plan of the given size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tasks", type=int)
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument(
        "--taskwarrior",
        action="store_true",
        help="the same tasks in Taskwarrior's import format, for bench/run.py's comparison",
    )
    args = parser.parse_args(argv)
    text = generate(args.tasks)
    if args.taskwarrior:
        text = taskwarrior_tasks(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
