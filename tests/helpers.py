"""Constants and small helpers the test modules share (fixtures live in conftest.py)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from plantrack.core.model import Plan
from plantrack.core.timeline import Timeline
from plantrack.planfile.load import parse_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN_2023 = ROOT / "plans" / "2023.yaml"
SOURCE_TEXT = ROOT / "plans" / "source" / "2023年交通法治工作要点.txt"
DATA = Path(__file__).resolve().parent / "data"
PROGRESS_PLAN = DATA / "valid" / "2023-with-progress.yaml"

Invoke = Callable[..., Result]
# `due --dept` piped: the group and level spelled out, then the table, then the clause's own.
DUE_PIPED_HEADER = [
    "分组",
    "预警",
    "时限",
    "剩余",
    "序号",
    "任务",
    "事项",
    "牵头单位",
    "状态",
    "角色",
]
D = dt.date


def timeline_of(text: str) -> Timeline:
    """The timeline of a plan given as text."""
    return Timeline(parse_plan(text, "p.yaml"))


def bundled_plan() -> Plan:
    """The bundled 2023 plan, validated."""
    return parse_plan(PLAN_2023.read_text(encoding="utf-8"), str(PLAN_2023))


def with_q2_report_done(plan_text: str) -> str:
    """The 2023 plan with task 26's second-quarter report recorded as done by hand."""
    anchor = "        targets:\n          - name: 每季度"
    entry = (
        "        progress:\n          - date: 2023-07-03\n            status: 已完成\n"
        "            occurrence: 2023Q2\n"
    )
    assert plan_text.count(anchor) == 1
    return plan_text.replace(anchor, entry + anchor)


T13_UNITS = "            lead: [局法规科]\n            responsible: [局属各单位, 局机关各科室]\n"
T13_TAIL = "            status: 未开始\n        phases"

# Broken copies of the bundled plan, one mistake each.
# name: (text to replace, replacement, line offset from the edit, column, message)
BROKEN_COPIES: dict[str, tuple[str, str, int, int, str]] = {
    "tab_indent": (
        "        title: 统筹推进专项整治工作\n",
        "\ttitle: 统筹推进专项整治工作\n",
        0,
        1,
        "YAML 语法错误：此处有制表符（Tab）：YAML 只能用空格缩进，请把 Tab 换成空格",
    ),
    "unclosed_quote": (
        "        title: 统筹推进专项整治工作\n",
        '        title: "统筹推进专项整治工作\n',
        0,
        16,
        "YAML 语法错误：引号没有闭合：请在这段文字末尾补上对应的引号（解析器到第 309 行才发现出错）",
    ),
    "bad_indent": (
        "        title: 统筹推进专项整治工作\n",
        "       title: 统筹推进专项整治工作\n",
        0,
        8,
        "YAML 语法错误：列表项缩进不对齐：同一列表的“- ”要对齐",
    ),
    "duplicate_key": (
        "        phases: [安排部署",
        "        title: 重复的标题\n        phases: [安排部署",
        0,
        9,
        "重复的键“title”（第 219 行已有）：YAML 只会保留后一个，请合并或删除其中一个",
    ),
    "unknown_field": (
        "        phases: [安排部署",
        "        phase: [安排部署",
        0,
        9,
        "未知字段“phase”：请检查拼写，或删除它（可运行 plantrack schema 查看所有字段）",
    ),
    "wrong_type": ("      - id: 13\n", "      - id: 十三\n", 0, 13, "id 应是数字，实际是“十三”"),
    "impossible_date": (
        "          - date: 2023-10-31\n",
        "          - date: 2023-02-30\n",
        0,
        19,
        "date 日期无效：“2023-02-30”（该月没有这一天），例如 2023-10-31",
    ),
    "duplicate_task_id": (
        "      - id: 14\n",
        "      - id: 13\n",
        0,
        13,
        "任务编号 13 重复：每个任务的 id 必须唯一",
    ),
    "unknown_unit": (
        T13_UNITS + T13_TAIL,
        T13_UNITS.replace("[局法规科]", "[局法规处]") + T13_TAIL,
        0,
        20,
        "未登记的单位“局法规处”。是否指 局法规科？请改用 units 中的全称，或先在 units 中登记该单位",
    ),
    "alias_instead_of_full_name": (
        T13_UNITS + T13_TAIL,
        T13_UNITS.replace("[局法规科]", "[法规科]") + T13_TAIL,
        0,
        20,
        "“法规科”是简称：请写全称“局法规科”",
    ),
    "unknown_status": (
        T13_TAIL,
        T13_TAIL.replace("未开始", "完成"),
        0,
        21,
        "status 的值“完成”无效：可选 未开始、进行中、已完成、受阻",
    ),
    "clause_without_units": (
        T13_UNITS + T13_TAIL,
        "            lead: []\n            responsible: []\n" + T13_TAIL,
        -2,
        13,
        "分工没有任何单位：请在 lead 或 responsible 中至少填写一个单位（原文确实没有分工时，写 unassigned: true）",
    ),
    "scalar_instead_of_list": (
        T13_UNITS + T13_TAIL,
        T13_UNITS.replace("[局法规科]", "局法规科") + T13_TAIL,
        0,
        19,
        "lead 应是列表，例如 lead: [局法规科]，实际是“局法规科”",
    ),
    "missing_field": ("year: 2023\n", "", -1, 1, "缺少必填字段“year”：请补上 year: …"),
    "bad_recurrence": (
        "          - every: quarter\n",
        "          - every: fortnight\n",
        0,
        20,
        "every 的值“fortnight”无效：可选 month、quarter、half-year",
    ),
    "text_not_number": (
        "            value: 80\n",
        "            value: 八十\n",
        0,
        20,
        "value 应是数字，实际是“八十”",
    ),
}


def require_tool(name: str) -> str:
    """The path of a command-line tool; skip without it, unless PLANTRACK_REQUIRE_TOOLS is set."""
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("PLANTRACK_REQUIRE_TOOLS"):
        pytest.fail(f"PLANTRACK_REQUIRE_TOOLS is set but {name} is missing")
    pytest.skip(f"{name} is needed (apt-get install libreoffice-writer-nogui poppler-utils)")


def to_pdf(*documents: Path) -> Path:
    """Convert with LibreOffice in one run, in a profile of its own so parallel runs don't collide.

    Returns the first document's PDF; the others lie beside their documents.
    """
    return convert(*documents, to="pdf")


def convert(*documents: Path, to: str) -> Path:
    """Convert with LibreOffice to the format named (pdf, fods…); the first document's result."""
    soffice = require_tool("soffice")
    folder = documents[0].parent
    command = [
        soffice,
        f"-env:UserInstallation=file://{folder / 'lo-profile'}",
        "--headless",
        "--convert-to",
        to,
        "--outdir",
        str(folder),
        *map(str, documents),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, check=False)
    pdfs = [document.with_suffix(f".{to}") for document in documents]
    assert done.returncode == 0 and all(pdf.is_file() for pdf in pdfs), done.stdout + done.stderr
    return pdfs[0]


def git(folder: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run git in folder, quietly; raise on failure unless told not to."""
    return subprocess.run(
        ["git", "-C", str(folder), *args], capture_output=True, text=True, check=check
    )


def plan_repository(folder: Path, text: str, *, user: str = "测试员") -> Path:
    """A git repository in folder whose first commit holds plans/2023.yaml with text."""
    git(folder, "init", "-q")
    git(folder, "config", "user.name", user)
    git(folder, "config", "user.email", "test@example.invalid")
    (folder / "plans").mkdir()
    (folder / "plans" / "2023.yaml").write_text(text, encoding="utf-8")
    git(folder, "add", ".")
    git(folder, "commit", "-qm", "计划")
    return folder


# The installed command, for git drivers and tests that need a real process.
PLANTRACK = Path(sys.executable).with_name("plantrack")
