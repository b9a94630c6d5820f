"""Text shown to a reader: control characters escaped in every command's output and export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import PLAN_2023, Invoke
from plantrack.output.display import json_printable, printable

# As written in YAML's double quotes: a retitle, a screen clear, and a right-to-left override.
TITLE_ATTACK = "\\e]0;已被篡改\\a统筹推进专项整治工作\\e[2J\\u202E"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # the colours rich draws itself


def test_control_characters_become_visible_escapes() -> None:
    assert printable("a\x1b]0;t\x07b\r\x9b2J\u202ec") == "a\\x1B]0;t\\x07b\\x0D\\x9B2J\\u202Ec"
    assert printable("行一\n\t行二") == "行一\n\t行二"  # line breaks and tabs stay


def test_json_keeps_the_same_data_with_every_control_escaped() -> None:
    text = json.dumps({"note": "x\x1b\x9b\u202ey"}, ensure_ascii=False)
    assert json.loads(json_printable(text)) == json.loads(text)
    assert not re.search("[\x1b\x9b\u202e]", json_printable(text))


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    """The 2023 plan with escape sequences in task 13's title, phase, deadline and progress."""
    text = PLAN_2023.read_text(encoding="utf-8")
    for written, hostile in [
        ("        title: 统筹推进专项整治工作\n", f'        title: "{TITLE_ATTACK}"\n'),
        ("        phases: [安排部署,", '        phases: ["安排\\e[2J部署\\u202E",'),
        (
            "            label: 完成阶段性专项整治任务\n",
            '            label: "完成\\e]0;x\\a任务"\n',
        ),
        (
            "            quote: 10 月 31 日之前完成阶段性专项整治任务\n",
            "            quote: 10 月 31 日之前完成阶段性专项整治任务\n        progress:\n"
            '          - date: 2023-07-01\n            note: "已部署\\e]0;x\\a\\u202E"\n'
            '            by: "张三\\e[8m"\n',
        ),
    ]:
        assert text.count(written) == 1, written
        text = text.replace(written, hostile)
    path = tmp_path / "2023.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize(
    "args",
    [
        ["show", "13"],
        ["tasks", "--dept", "法规科"],
        ["due", "--within", "1m", "--as-of", "2023-10-20"],
        ["log", "13", "已报送\x1b]0;x\x07", "--by", "张三\x1b[8m", "--as-of", "2023-10-20"],
        ["mark", "13", "done", "--note", "完成\x9b2J", "--dry-run", "--as-of", "2023-10-20"],
        ["tasks", "--json"],
        ["export", "--format", "csv"],
        ["export", "--format", "ics"],
        ["report", "--format", "html", "--quarter", "2023Q3"],
        ["report", "--quarter", "2023Q3"],
        ["show", "13", "--json"],
        ["digest", "--as-of", "2023-10-20"],
        ["digest", "--markdown", "--as-of", "2023-10-20"],
        ["textconv"],
        ["rollover", "--dry-run", "--to", "NEXT-YEAR"],  # NEXT-YEAR: a file beside the plan
        [
            "postpone",
            "13",
            "2023-12-20",
            "--reason",
            "等\x1b[8m",
            "--dry-run",
            "--as-of",
            "2023-10-20",
        ],
    ],
    ids=[
        *("show", "tasks", "due", "log", "mark-dry-run", "json", "csv", "ics", "html", "md"),
        *("show-json", "digest", "digest-markdown", "textconv", "rollover", "postpone"),
    ],
)
def test_no_command_passes_a_control_sequence_to_the_terminal(
    cli: Invoke, hostile_plan: Path, args: list[str], colour: bool
) -> None:
    env = {"FORCE_COLOR": "1", "COLUMNS": "260"} if colour else {}
    where = [str(hostile_plan)] if args[0] == "textconv" else ["--plan", str(hostile_plan)]
    args = [str(hostile_plan.with_name("2024.yaml")) if a == "NEXT-YEAR" else a for a in args]
    result = cli(*args, *where, env=env)
    drawn = SGR.sub("", result.stdout + result.stderr)
    assert not UNSAFE.search(drawn)
    if args[0] in ("show", "tasks") and "--json" not in args:
        assert "\\x1B]0;已被篡改\\x07统筹推进专项整治工作" in drawn


def test_check_quotes_a_hostile_unit_name_escaped(cli: Invoke, tmp_path: Path) -> None:
    text = PLAN_2023.read_text(encoding="utf-8").replace(
        "lead: [局法规科]", 'lead: ["\\e]0;x\\a局法规科"]', 1
    )
    path = tmp_path / "2023.yaml"
    path.write_text(text, encoding="utf-8")
    err = cli("check", str(path), code=1).stderr
    assert "未登记的单位“\\x1B]0;x\\x07局法规科”" in err and "\x1b" not in err


def test_the_markdown_report_header_cannot_carry_html_or_a_table(
    cli: Invoke, tmp_path: Path
) -> None:
    text = PLAN_2023.read_text(encoding="utf-8").replace(
        "title: 2023年交通法治工作要点",
        'title: "<img src=x onerror=alert(1)>| 伪造 | 表格 |"',
        1,
    )
    path = tmp_path / "2023.yaml"
    path.write_text(text, encoding="utf-8")
    out = cli("report", "--quarter", "2023Q3", "--plan", str(path), "--dept", "法规科").stdout
    header = out.split("\n## ", 1)[0]
    assert not re.search(r"(?<!\\)<img", header) and "\n|" not in header
    assert "\\<img src=x onerror=alert(1)\\>" in header


def test_a_workbook_holds_the_escapes_instead_of_failing(cli: Invoke, hostile_plan: Path) -> None:
    from openpyxl import load_workbook

    out = hostile_plan.with_name("台账.xlsx")
    cli("export", "--format", "xlsx", "--plan", str(hostile_plan), "-o", str(out))
    sheet = load_workbook(out).active
    assert sheet is not None
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "\\x1B]0;已被篡改\\x07统筹推进专项整治工作\\x1B[2J\\u202E" in cells


@pytest.mark.parametrize(
    "args",
    [
        ["due", "--x\x1b]0;pwn\x07"],
        ["report", "--format", "md\x1b[2J"],
    ],
    ids=["option", "format"],
)
def test_usage_errors_show_control_characters_escaped(cli: Invoke, args: list[str]) -> None:
    out = cli(*args, code=2, env={"FORCE_COLOR": "1", "COLUMNS": "200"}).output
    assert not re.search("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f-\x9f]|\x1b[^\\[]", out)
    assert "\\x1B" in out


def test_textconv_and_the_calendar_name_are_safe(
    cli: Invoke, hostile_plan: Path, tmp_path: Path
) -> None:
    shown = cli("textconv", str(hostile_plan)).stdout
    assert "\x1b" not in shown and "\\x1B]0;已被篡改" in shown
    titled = tmp_path / "titled.yaml"
    titled.write_text(
        PLAN_2023.read_text(encoding="utf-8").replace(
            "title: 2023年交通法治工作要点", 'title: "2023年\\r\\nX-INJECTED:1"', 1
        ),
        encoding="utf-8",
    )
    refused = cli("export", "--format", "ics", "--plan", str(titled), code=1)
    assert "标题和名称要写在一行上" in refused.stderr and "X-INJECTED" not in refused.stdout


def test_an_imported_plan_on_stdout_holds_escapes_and_the_same_text(
    cli: Invoke, tmp_path: Path
) -> None:
    import yaml

    title = "开展\x1b]0;pwn\x07专项\u202e工作\x9b2J"
    source = tmp_path / "要点.txt"
    source.write_text(
        f"2024年工作要点\n一、总体要求\n1.{title}。（牵头单位：局法规科；责任单位：局办公室）\n",
        encoding="utf-8",
    )
    result = cli("import", str(source))
    assert not UNSAFE.search(result.stdout + result.stderr)
    [section] = yaml.safe_load(result.stdout)["sections"]
    assert section["tasks"][0]["title"] == title  # escaped in the file, not changed
