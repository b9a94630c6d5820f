"""The command line's frame in Chinese: Typer's and Click's own words, usage lines and errors.

Typer ships Click inside itself with its messages written in English as f-strings, so they
cannot go through gettext. Its panel titles are module constants, set here; its usage lines
and help option come from command classes, subclassed here; its error messages are matched
and said again in Chinese by the one function that prints them. A message no pattern knows
is shown as Click wrote it rather than lost.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

if TYPE_CHECKING:
    from importlib.abc import Loader
    from importlib.machinery import ModuleSpec

    from typer._click.exceptions import ClickException

RICH_UTILS = "typer.rich_utils"
USAGE_PREFIX = "用法："
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
HELP_OPTION_NAMES = ["-h", "--help"]
HELP_TEXT = "显示本帮助并退出"

PANEL_TITLES = {
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已中止。",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
    "DEFAULT_STRING": "[缺省：{}]",
    "ENVVAR_STRING": "[环境变量：{}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "DEPRECATED_STRING": "（已停用）",
}

# Help texts Typer gives the options it adds itself.
OPTION_HELP = {
    "--install-completion": "为当前的 shell 安装命令补全",
    "--show-completion": "显示当前 shell 的补全脚本，可复制或自行安装",
}

# Click's messages, in the order they are tried; each pattern matches the whole message.
MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (
        re.compile(
            r"No such option: (\S+?)(?:\s*\(Possible options: (.+)\)|\s*Did you mean (\S+)\?)?"
        ),
        "没有选项 {0}{hint}",
    ),
    (re.compile(r"No such command '(.+)'\."), "没有命令“{0}”：运行 plantrack -h 查看所有命令"),
    (re.compile(r"Missing argument '(.+)'\."), "缺少参数 {0}"),
    (re.compile(r"Missing option '(.+)'\."), "缺少选项 {0}"),
    (re.compile(r"Missing command\."), "缺少命令：运行 plantrack -h 查看所有命令"),
    (re.compile(r"Option '(.+)' requires an argument\."), "选项 {0} 后面要写一个值"),
    (re.compile(r"Option '(.+)' does not take a value\."), "选项 {0} 不带值"),
    (re.compile(r"Got unexpected extra argument\(s\) \((.+)\)"), "多余的参数：{0}"),
    (re.compile(r"Invalid value for '(.+)': (.*)", re.DOTALL), "{0} 的值无效：{reason}"),
]
REASONS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Input should be a valid integer.*", re.DOTALL), "应为整数"),
    (re.compile(r"Input should be a valid number.*", re.DOTALL), "应为数字"),
    (re.compile(r"'(.+)' is not a valid integer.*", re.DOTALL), "“{0}”不是整数"),
]


def chinese(message: str) -> str:
    """Click's message said in Chinese, or as it was when no pattern knows it."""
    for pattern, template in MESSAGES:
        found = pattern.fullmatch(message.strip())
        if found is None:
            continue
        groups = [g or "" for g in found.groups()]
        return template.format(*groups, hint=_hint(groups), reason=_reason(groups))
    return message


def _hint(groups: list[str]) -> str:
    choices = ", ".join(g for g in groups[1:] if g)
    return f"。是否指：{'、'.join(c.strip() for c in choices.split(','))}" if choices else ""


def _reason(groups: list[str]) -> str:
    text = groups[-1] if groups else ""
    for pattern, template in REASONS:
        found = pattern.fullmatch(text)
        if found:
            return template.format(*found.groups())
    return text


def usage(line: str) -> str:
    """A usage line with its English prefix said in Chinese."""
    return line.replace("Usage: ", USAGE_PREFIX, 1)


class _ChineseUsage:
    """The usage line and the help option in Chinese, for a command and for the group."""

    def get_usage(self, ctx: Any) -> str:
        return usage(super().get_usage(ctx))  # type: ignore[misc]

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option


class Command(_ChineseUsage, TyperCommand):
    """A command whose usage line, help option and flags read in Chinese."""


class Group(_ChineseUsage, TyperGroup):
    """The top command: Chinese usage, help option and Typer's own completion options."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:
            for name in param.opts:
                if name in OPTION_HELP and isinstance(param, TyperOption):
                    param.help = OPTION_HELP[name]
        return params


def print_error(error: ClickException) -> None:
    """Print a usage error as Typer would, in Chinese: usage line, hint, the message."""
    from rich.markup import escape
    from rich.panel import Panel
    from typer import rich_utils

    if error.__class__.__name__ == "NoArgsIsHelpError":
        return
    console = rich_utils._get_rich_console(stderr=True)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        console.print(escape(ctx.get_usage()), style=rich_utils.STYLE_USAGE_COMMAND)
        if ctx.command.get_help_option(ctx) is not None:
            hint = rich_utils.RICH_HELP.format(
                command_path=escape(ctx.command_path), help_option=ctx.help_option_names[0]
            )
            console.print(hint, style=rich_utils.STYLE_ERRORS_SUGGESTION)
    panel = Panel(
        escape(chinese(error.format_message())),
        border_style=rich_utils.STYLE_ERRORS_PANEL_BORDER,
        title=rich_utils.ERRORS_PANEL_TITLE,
        title_align=rich_utils.ALIGN_ERRORS_PANEL,
    )
    console.print(panel)


_display_type_rich = TyperOption.display_type_rich
_parameter_help: Any = None


def _wrapped_help(**kwargs: Any) -> Any:
    """An option's help as one text that wraps: Typer's side-by-side columns cut Chinese off."""
    from rich.columns import Columns
    from rich.text import Text

    found = _parameter_help(**kwargs)
    if isinstance(found, Columns) and all(isinstance(r, Text) for r in found.renderables):
        joined = Text(" ").join(r for r in found.renderables if isinstance(r, Text))
        joined.overflow = "fold"  # Chinese has no spaces to wrap at: break between characters
        return joined
    return found


def _flag_type(self: TyperOption, ctx: Any) -> str | None:
    # A flag takes no value: showing <bool> beside it invites `--json true`.
    return None if self.is_flag else _display_type_rich(self, ctx)


def _no_type(self: TyperArgument, ctx: Any) -> str | None:
    # An argument's name (任务, 状态) already says what to write; <str> beside it says nothing.
    return None


def install() -> None:
    """Put the Chinese words in place, without importing Typer's rich help unless it is used.

    Typer imports its rich module only to print help or an error; importing it here would
    cost every command ~40 ms. So its words are set the moment it is imported, whenever.
    """
    TyperOption.display_type_rich = _flag_type  # type: ignore[method-assign]
    TyperArgument.display_type_rich = _no_type  # type: ignore[method-assign, assignment]
    if RICH_UTILS in sys.modules:
        _patch(sys.modules[RICH_UTILS])
    elif not any(isinstance(f, _RichUtilsFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _RichUtilsFinder())


def _patch(rich_utils: ModuleType) -> None:
    """Chinese panel titles, errors and wrapping help in Typer's rich module."""
    global _parameter_help
    for name, text in PANEL_TITLES.items():
        setattr(rich_utils, name, text)
    rich_utils.rich_format_error = print_error  # type: ignore[attr-defined]
    if _parameter_help is None:
        _parameter_help = rich_utils._get_parameter_help
        rich_utils._get_parameter_help = _wrapped_help  # type: ignore[attr-defined]


# The import protocols are duck-typed: subclassing importlib.abc's classes would import
# importlib.resources at every start (~5 ms) for nothing.
class _RichUtilsFinder:
    """Patch typer.rich_utils right after it is first imported."""

    def find_spec(self, name: str, path: Any, target: Any = None) -> ModuleSpec | None:
        if name != RICH_UTILS:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None:
            return spec
        spec.loader = _PatchingLoader(spec.loader)  # type: ignore[assignment]
        return spec


class _PatchingLoader:
    """Load a module as its own loader would, then patch it."""

    def __init__(self, loader: Loader) -> None:
        self.loader = loader

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        self.loader.exec_module(module)
        _patch(module)
