"""The command line's frame in Chinese: help pages, usage lines and usage errors.

Only public API of Typer and Click is used: command classes passed as `cls`, their
documented methods (`get_usage`, `get_help_option`, `format_help`, `parse_args`,
`resolve_command`, `main`), `context_settings`, and the fields of Click's exceptions.
Help is drawn here rather than by Typer's rich module, and every usage error is said in
Chinese from the exception's fields (which option, which parameter), never by matching
Click's English text. Typer releases that move their internals therefore change nothing.
"""

from __future__ import annotations

import io
import shutil
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from typer.core import TyperCommand, TyperGroup, TyperOption

from plantrack.core.wording import closest, did_you_mean
from plantrack.output.display import printable

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

HELP_OPTION_NAMES = ["-h", "--help"]
HELP_TEXT = "显示本帮助并退出"
OPTIONS_METAVAR = "[选项]"
SUBCOMMAND_METAVAR = "命令 [参数]..."
USAGE_PREFIX = "用法："
# Help texts of the options Typer adds to the group itself.
OPTION_HELP = {
    "--install-completion": "为当前的 shell 安装命令补全",
    "--show-completion": "显示当前 shell 的补全脚本，可复制或自行安装",
}
NARROWEST = 60  # columns: narrower terminals wrap the help more, but never below this


class FrameError(Exception):
    """A usage error the frame found itself, already said in Chinese."""

    exit_code = 2

    def __init__(self, message: str, ctx: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.ctx = ctx


class _Chinese:
    """What a command and the group share: usage line, help option and help page."""

    def get_usage(self, ctx: Any) -> str:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        return f"{USAGE_PREFIX}{' '.join([ctx.command_path, *pieces])}"

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(help_page(ctx))


class Command(_Chinese, TyperCommand):
    """A command whose help, usage line and errors read in Chinese."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # Extra arguments are allowed through (context_settings) so that they can be named
        # here from the context rather than from Click's English sentence.
        rest = super().parse_args(ctx, args)
        if ctx.args and not ctx.resilient_parsing:
            raise FrameError(f"多余的参数：{' '.join(ctx.args)}", ctx)
        return rest


class Group(_Chinese, TyperGroup):
    """The top command: Chinese help and errors, Typer's completion options explained."""

    def get_params(self, ctx: Any) -> Any:
        params = super().get_params(ctx)
        for param in params:
            for name in param.opts:
                if name in OPTION_HELP and isinstance(param, TyperOption):
                    param.help = OPTION_HELP[name]
        return params

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        name = args[0] if args else ""
        unknown = bool(name) and self.get_command(ctx, name) is None
        if unknown and not name.startswith("-") and not ctx.resilient_parsing:
            hint = did_you_mean(closest(name, self.list_commands(ctx), cutoff=0.5))
            raise FrameError(
                f"没有命令“{name}”：{hint}运行 {ctx.command_path} -h 查看所有命令", ctx
            )
        return super().resolve_command(ctx, args)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; every usage error is said in Chinese, with exit code 2."""
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except Exception as error:
            if not is_usage_error(error):
                raise
            code = report(error)
        else:
            code = result if isinstance(result, int) else 0
        if standalone_mode:
            sys.exit(code)
        return code


def is_usage_error(error: BaseException) -> bool:
    """Tell whether an exception is Click's (vendored in Typer or not) or the frame's own."""
    names = {kind.__name__ for kind in type(error).__mro__}
    return "ClickException" in names or isinstance(error, FrameError)


def report(error: Exception) -> int:
    """Print a usage error as usage line, hint and message; return its exit code."""
    ctx = getattr(error, "ctx", None)
    if type(error).__name__ == "NoArgsIsHelpError" and ctx is not None:
        sys.stdout.write(ctx.get_help() + "\n")  # `plantrack` alone: the help page
        return 2
    print_usage_error(message(error), ctx)
    code = getattr(error, "exit_code", 2)
    return code if isinstance(code, int) else 2


def message(error: Exception) -> str:
    """A usage error in Chinese, from the exception's fields."""
    if isinstance(error, FrameError):
        return error.message
    kind = {k.__name__ for k in type(error).__mro__}
    if "NoSuchOption" in kind:
        name = getattr(error, "option_name", "")
        close = sorted(getattr(error, "possibilities", None) or [])
        return f"没有选项 {name}" + (f"：{did_you_mean(close)}" if close else "")
    if "BadOptionUsage" in kind:
        name = getattr(error, "option_name", "")
        option = _option_named(getattr(error, "ctx", None), name)
        if option is not None and getattr(option, "is_flag", False):
            return f"选项 {name} 不带值"
        return f"选项 {name} 后面要写一个值"
    if "MissingParameter" in kind:
        return _missing(getattr(error, "param", None))
    if "BadParameter" in kind:
        return f"{_param_name(getattr(error, 'param', None))} 的值无效：{error_text(error)}"
    return f"命令行有误：{error_text(error)}"


def error_text(error: Exception) -> str:
    """The message an exception was raised with (ours are written in Chinese)."""
    text = getattr(error, "message", None)
    return text if isinstance(text, str) else str(error)


def _missing(param: Any) -> str:
    if param is None:
        return "缺少参数"
    if getattr(param, "param_type_name", "") == "option":
        return f"缺少选项 {_param_name(param)}"
    return f"缺少参数 {_param_name(param)}"


def _param_name(param: Any) -> str:
    """An option by its long name (--format), an argument by the name its help shows."""
    if param is None:
        return "参数"
    if getattr(param, "param_type_name", "") == "option":
        opts = list(getattr(param, "opts", []))
        return next((o for o in opts if o.startswith("--")), opts[0] if opts else "选项")
    return str(getattr(param, "metavar", None) or getattr(param, "name", "") or "参数")


def _option_named(ctx: Any, name: str) -> Any:
    if ctx is None:
        return None
    return next((p for p in ctx.command.params if name in getattr(p, "opts", [])), None)


def print_usage_error(text: str, ctx: Any = None) -> None:
    """The usage line, where to find help, and the message in a box, on stderr."""
    from rich.text import Text

    console = _console(stderr=True)
    if ctx is not None:
        console.print(Text(printable(ctx.get_usage())), style="yellow")
        console.print(Text(f"运行 {ctx.command_path} -h 查看帮助。"), style="dim")
    console.print(_box("错误", Text(printable(text)), style="red"))


def fail(text: str, ctx: Any = None) -> NoReturn:
    """Stop parsing with a usage error said in Chinese."""
    raise FrameError(text, ctx)


# --- help pages -----------------------------------------------------------------------------


def help_page(ctx: Any) -> str:
    """The whole help page of the command in ctx, drawn to fit the terminal."""
    from rich.text import Text

    command = ctx.command
    console = _console(stderr=False, capture=True)
    console.print(Text(command.get_usage(ctx), style="bold"))
    if command.help:
        console.print()
        console.print(Text(_cleaned(command.help)))
    console.print()
    for title, rows in _panels(ctx):
        if rows:
            console.print(_box(title, _grid(rows)))
    file = console.file
    assert isinstance(file, io.StringIO)
    return file.getvalue().rstrip("\n")


def _panels(ctx: Any) -> list[tuple[str, list[list[str]]]]:
    command = ctx.command
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [_argument_row(p) for p in params if p.param_type_name == "argument"]
    options = [_option_row(p) for p in params if p.param_type_name == "option"]
    panels = [("参数", arguments), ("选项", options)]
    if isinstance(command, TyperGroup):
        panels.append(("命令", _command_rows(ctx)))
    return panels


def _argument_row(param: Any) -> list[str]:
    return [_param_name(param), "", "", _cleaned(getattr(param, "help", None) or "")]


def _option_row(param: Any) -> list[str]:
    long = ", ".join(o for o in param.opts + param.secondary_opts if o.startswith("--"))
    short = ", ".join(o for o in param.opts + param.secondary_opts if not o.startswith("--"))
    metavar = "" if param.is_flag else str(param.metavar or "")
    notes = _cleaned(param.help or "")
    if param.required:
        notes += " [必填]"
    elif _shows_default(param):
        notes += f" [缺省：{param.default}]"
    return [long, short, metavar, notes.strip()]


def _shows_default(param: Any) -> bool:
    return bool(param.show_default) and not param.is_flag and param.default not in (None, "", ())


def _command_rows(ctx: Any) -> list[list[str]]:
    rows = []
    for name in ctx.command.list_commands(ctx):
        sub = ctx.command.get_command(ctx, name)
        if sub is None or getattr(sub, "hidden", False):
            continue
        first = _cleaned(sub.short_help or sub.help or "").split("\n")[0]
        rows.append([name, "", "", first])
    return rows


def _cleaned(text: str) -> str:
    """A docstring or help text as one paragraph per blank-line-separated block."""
    blocks = [" ".join(line.strip() for line in block.splitlines()) for block in text.split("\n\n")]
    return "\n".join(block for block in blocks if block)


def _grid(rows: list[list[str]]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    used = [any(row[i] for row in rows) for i in range(4)]
    for index, present in enumerate(used):
        if present:
            # Chinese has no spaces to wrap at: the help column folds between characters.
            grid.add_column(no_wrap=index < 3, overflow="fold", style="cyan" if index < 2 else "")
    for row in rows:
        grid.add_row(*[Text(cell) for cell, present in zip(row, used, strict=True) if present])
    return grid


def _box(title: str, body: RenderableType, style: str = "dim") -> RenderableType:
    from rich.panel import Panel

    return Panel(body, title=title, title_align="left", border_style=style)


def _console(*, stderr: bool, capture: bool = False) -> Console:
    from rich.console import Console

    width = max(shutil.get_terminal_size().columns, NARROWEST)
    if capture:
        stream = sys.stdout
        terminal = hasattr(stream, "isatty") and stream.isatty()
        return Console(file=io.StringIO(), width=width, force_terminal=terminal, highlight=False)
    return Console(stderr=stderr, width=width, highlight=False)
