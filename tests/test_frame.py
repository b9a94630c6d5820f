"""The command line's frame in Chinese: help, usage lines and Click's own errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import Invoke
from plantrack.cli import frame

# Words of Click's and Typer's English frame that must not reach a user.
ENGLISH = re.compile(
    r"Usage|Options|Arguments|Commands|Show this|Error|Try |for help|Invalid value|Missing"
    r"|No such|Got unexpected|requires an argument|<bool>|<str>|\[default|\[required|OPTIONS"
)


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["-h"],
        ["due", "--help"],
        ["report", "-h"],
        ["mark", "--help"],
        ["export", "--help"],
    ],
)
def test_help_is_chinese(cli: Invoke, args: list[str]) -> None:
    out = cli(*args, env={"COLUMNS": "100"}).stdout
    assert "用法：plantrack" in out and "显示本帮助并退出" in out
    assert not ENGLISH.search(out), ENGLISH.search(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["due", "--bogus"], "没有选项 --bogus"),
        (["due", "--dep", "x"], "没有选项 --dep：是否指 --dept"),
        (["due", "--within"], "选项 --within 后面要写一个值"),
        (["mark"], "缺少参数 任务[.分工]"),
        (["export"], "缺少选项 --format"),
        (["nosuch"], "没有命令“nosuch”"),
        (["tasks", "--json", "true"], "多余的参数：true"),
        (["show", "abc"], "任务写法“abc”无效"),
        (["report", "--year", "abc"], "的值无效：应为整数"),
        (["tasks", "--role", "boss"], "--role 的值无效：“boss”不是可选的角色"),
        (["report", "--format", "odt"], "“odt”不是可选的格式：可选 md、html、docx、pdf"),
    ],
)
def test_usage_errors_are_chinese(cli: Invoke, args: list[str], message: str) -> None:
    err = cli(*args, code=2, env={"COLUMNS": "200"}).output
    assert message in err
    assert not ENGLISH.search(err), ENGLISH.search(err)


def test_version(cli: Invoke) -> None:
    assert re.fullmatch(r"plantrack \d+\.\d+\.\d+\n", cli("--version").stdout)
    assert cli("-V").stdout == cli("--version").stdout


def test_a_mistyped_command_is_answered_in_chinese_with_the_nearest(cli: Invoke) -> None:
    err = cli("duee", code=2, env={"COLUMNS": "200"}).output
    assert "没有命令“duee”：是否指 due？" in err
    assert not ENGLISH.search(err), ENGLISH.search(err)


def test_the_help_lists_every_command_in_its_group_order(cli: Invoke) -> None:
    from plantrack.cli.app import GROUPS

    out = cli("-h", env={"COLUMNS": "120"}).stdout
    listed = re.findall(r"^│ ([a-z-]+) ", out[out.index("命令 ─") :], re.MULTILINE)
    assert listed == [name for names in GROUPS.values() for name in names]


def test_no_arguments_shows_the_help(cli: Invoke) -> None:
    out = cli(code=2, env={"COLUMNS": "100"}).stdout
    assert out.startswith("用法：plantrack [选项] 命令 [参数]...")
    assert "命令" in out and "due" in out


def test_messages_come_from_the_exceptions_fields_not_their_text() -> None:
    class NoSuchOption(Exception):
        """Shaped like Click's: an option name and what it might have been."""

        def __init__(self) -> None:
            super().__init__("anything at all, in any language")
            self.option_name = "--dep"
            self.possibilities = ["--dept"]

    assert frame.message(NoSuchOption()) == "没有选项 --dep：是否指 --dept？"


def test_the_frame_uses_no_private_name_of_typer_click_or_pydantic() -> None:
    import plantrack

    source = Path(plantrack.__file__).parent
    private = re.compile(r"\b(?:typer|click|pydantic|pydantic_core)\.(?:\w+\.)*_\w+")
    for path in source.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert not private.search(text), (path, private.search(text))
        assert "sys.meta_path" not in text, path
