"""What a person sees: tables in a terminal (colour forced), tab-separated text in a pipe."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import DATA, DUE_PIPED_HEADER, PLAN_2023, PROGRESS_PLAN, Invoke, bundled_plan
from plantrack.cli import console, views
from plantrack.commands import tasks as query
from plantrack.core.answers import DueListing
from plantrack.core.schedule import DueItem, Occurrence
from plantrack.output import tables
from plantrack.output.annotations import github_annotation
from plantrack.planfile.load import check_files

ANSI = re.compile(r"\x1b\[([0-9;]*)m")
RED, YELLOW, GREEN = "31", "33", "32"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A colour terminal 120 columns wide, as rich sees it."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR", raising=False)


def coloured(screen: str, text: str) -> set[str]:
    """The colour codes in force on the lines that show text."""
    codes: set[str] = set()
    for line in screen.splitlines():
        if text in ANSI.sub("", line):
            codes |= {code for found in ANSI.findall(line) for code in found.split(";")}
    return codes


def due(as_of: str, within: str = "60") -> DueListing:
    return query.due(plan=None, dept="法规科", as_of=as_of, within=within, quarter=None)


def test_due_in_a_terminal_groups_and_colours_by_level(
    terminal: None, capsys: pytest.CaptureFixture[str]
) -> None:
    views.print_due(due("2023-10-25"))
    screen = capsys.readouterr().out
    plain = "\n".join(line.rstrip() for line in ANSI.sub("", screen).splitlines())
    assert plain.startswith("截至 2023-10-25：已逾期及 60 天内到期的事项\n已逾期\n")
    assert (
        plain.index("已逾期")
        < plain.index("本月内到期（至 10月31日）")
        < plain.index("下月及以后到期")
    )
    assert RED in coloured(screen, "逾期 208 天")  # 2023Q1, due 03-31
    assert YELLOW in coloured(screen, "还剩 6 天")  # task 13, due 10-31: within warn_days
    assert GREEN in coloured(screen, "还剩 26 天")  # task 26, due 11-20
    assert plain.endswith("共 9 项，其中逾期 5 项")


def test_due_piped_spells_out_group_and_level(capsys: pytest.CaptureFixture[str]) -> None:
    views.print_due(due("2023-10-25"))
    lines = [line.split("\t") for line in capsys.readouterr().out.splitlines()]
    assert lines[0] == DUE_PIPED_HEADER
    assert lines[6][:5] == ["本月内到期（至 10月31日）", "黄", "2023-10-31", "还剩 6 天", "13"]
    assert "\x1b" not in "".join(map("".join, lines))


def test_nothing_due_says_so(terminal: None, capsys: pytest.CaptureFixture[str]) -> None:
    views.print_due(due("2023-01-01", within="7"))
    assert "没有需要列出的事项。" in capsys.readouterr().out


def test_task_table_colours_the_status(terminal: None, capsys: pytest.CaptureFixture[str]) -> None:
    listing = query.list_tasks(
        plan=PROGRESS_PLAN, dept=None, section=None, status=None, as_of="2023-10-08"
    )
    views.print_tasks(listing)
    screen = capsys.readouterr().out
    assert "31" in coloured(screen, "受阻")  # task 7 is blocked: bold red
    assert "36" in coloured(screen, "进行中")  # cyan
    assert ANSI.sub("", screen).rstrip().endswith("共 26 项任务")


def test_markup_in_user_text_is_shown_as_typed(
    terminal: None, capsys: pytest.CaptureFixture[str], tmp_path: Path, plan_text: str
) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(plan_text.replace("title: 统筹推进专项整治工作", "title: '[bold]整治[/]'"))
    views.print_tasks(query.list_tasks(plan=path, dept=None, section=5, status=None))
    assert "[bold]整治[/]" in ANSI.sub("", capsys.readouterr().out)


def test_check_prints_counts_or_every_problem(capsys: pytest.CaptureFixture[str]) -> None:
    broken = DATA / "invalid" / "duplicate-unit-name.yaml"
    console.print_check(check_files([PLAN_2023, broken]))
    out, err = capsys.readouterr()
    assert out == f"{PLAN_2023}: 没有发现问题（9 个部分，26 项任务，33 项分工，13 个单位）\n"
    assert err.count(f"{broken}:") == 2


@pytest.mark.parametrize(
    ("due", "group"),
    [
        (dt.date(2023, 10, 20), "已逾期"),
        (dt.date(2023, 10, 26), "本周内到期（至 10月29日 周日）"),
        (dt.date(2023, 10, 29), "本周内到期（至 10月29日 周日）"),
        (dt.date(2023, 10, 30), "本月内到期（至 10月31日）"),
        (dt.date(2023, 11, 1), "下月及以后到期"),
    ],
)
def test_calendar_words_mean_the_calendar(due: dt.date, group: str) -> None:
    as_of = dt.date(2023, 10, 26)  # a Thursday
    occurrence = Occurrence(13, due.isoformat(), "完成", "date", due)
    item = DueItem(occurrence, bundled_plan().tasks_by_id[13], (due - as_of).days, "绿")
    assert tables.group_heading(item) == group


def test_levels_differ_without_colour(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")
    views.print_due(due("2023-10-25"))
    screen = capsys.readouterr().out
    assert "\x1b[3" not in screen  # no colour at all
    assert "✖ 逾期" in screen and "▲ 还剩 6 天" in screen and "● 还剩 26 天" in screen


def test_check_speaks_github_annotations_at_the_right_place(
    cli: Invoke, broken_plan: Callable[[str, str], tuple[Path, int]]
) -> None:
    path, line = broken_plan(
        "        title: 统筹推进专项整治工作\n", "        titel: 统筹推进专项整治工作\n"
    )
    out = cli("check", str(path), "--format", "github", code=1).stdout.splitlines()
    where = f"file={path.as_posix()},line={line},col=9,title=plantrack unknown-field"
    assert any(o.startswith(f"::error {where}::未知字段“titel”") for o in out)
    assert all(o.startswith("::error file=") for o in out) and len(out) == 2


def test_annotations_escape_what_would_end_them() -> None:
    from plantrack.core.problems import Problem

    found = Problem("/x/a,b:c.yaml", 3, 4, "syntax", "第一行\n100% 完成\r")
    assert github_annotation("warning", found) == (
        "::warning file=/x/a%2Cb%3Ac.yaml,line=3,col=4,title=plantrack syntax"
        "::第一行%0A100%25 完成\\x0D"
    )


def test_a_file_name_cannot_forge_an_annotation(cli: Invoke, tmp_path: Path) -> None:
    forged = tmp_path / "a\n::error file=README.md,line=1::伪造.yaml"
    forged.write_bytes(PLAN_2023.read_bytes())
    out = cli("check", "--format", "github", str(forged)).stdout
    assert not [line for line in out.splitlines() if line.startswith("::")]
    assert "a\\n::error file=README.md" in out


@pytest.mark.parametrize(
    "items", [[], [{"a": 1}], [{"任务": "整治\u202e", "n": [1, None]}, {"b": "\x7f"}]]
)
def test_a_compact_list_goes_out_item_by_item_as_json_dumps_writes_it(
    items: list[dict[str, object]], capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from plantrack.output.display import json_printable

    whole = json_printable(json.dumps(items, ensure_ascii=False)) + "\n"
    console.print_json(items, pretty=False)
    console.print_json(iter(items), pretty=False)  # a generator of records, as `tasks` gives
    console.print_json(iter(items), pretty=True)
    pretty = json_printable(json.dumps(items, ensure_ascii=False, indent=2)) + "\n"
    assert capsys.readouterr().out == whole + whole + pretty
    assert "\u202e" not in whole and "\x7f" not in whole
