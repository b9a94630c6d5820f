"""The root command: the Typer app, the version option, and errors turned into exit codes.

Libraries are imported inside the commands, so `plantrack due` never pays for the ones
that only `report` or `export` need.
"""

import functools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from plantrack.cli import frame
from plantrack.core.errors import InternalError, PlantrackError, UsageError

app = typer.Typer(
    name="plantrack",
    cls=frame.Group,
    help="把年度工作要点变成可跟踪的台账：按科室查任务、看到期与逾期、核对计划文件。",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": frame.HELP_OPTION_NAMES},
    options_metavar=frame.OPTIONS_METAVAR,
    subcommand_metavar=frame.SUBCOMMAND_METAVAR,
)
# Extra arguments reach the command, which names them in Chinese (frame.Command.parse_args).
command = functools.partial(
    app.command,
    cls=frame.Command,
    options_metavar=frame.OPTIONS_METAVAR,
    context_settings={"allow_extra_args": True},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"plantrack {version('plantrack')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="显示版本并退出"),
    ] = False,
) -> None:
    """把年度工作要点变成可跟踪的台账：按科室查任务、看到期与逾期、核对计划文件。"""


P = ParamSpec("P")
R = TypeVar("R")

INTERNAL = (
    "这是 plantrack 的缺陷，不是您的操作问题。请把这条信息和所用命令报告给维护者；"
    "设置环境变量 PLANTRACK_DEBUG=1 可看到完整的调用栈。"
)


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn the error root into a message and an exit code; nothing else reaches the user raw."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        from plantrack.cli.console import print_error

        try:
            _refuse_undecodable(kwargs.values())
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except InternalError as exc:
            print_error(f"plantrack 内部错误：{exc}\n{INTERNAL}")
            raise typer.Exit(exc.exit_code) from None
        except PlantrackError as exc:
            print_error(str(exc))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:
            # The reader (e.g. `| head`) went away; say nothing more.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(141) from None
        except Exception as exc:
            if os.environ.get("PLANTRACK_DEBUG"):
                raise
            print_error(f"plantrack 内部错误：{type(exc).__name__}: {exc}\n{INTERNAL}")
            raise typer.Exit(InternalError.exit_code) from None

    return wrapper


def _refuse_undecodable(values: Iterable[object]) -> None:
    """Refuse arguments holding bytes that are not UTF-8 (a terminal in GBK, a stray byte)."""
    for value in values:
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str | Path) and not str(text).isprintable():
                shown = str(text).encode("utf-8", "replace").decode("utf-8")
                if shown != str(text):
                    raise UsageError(
                        f"参数“{shown}”中有无法识别的字节（不是 UTF-8 编码）："
                        "请把终端或脚本的编码设为 UTF-8 后重试"
                    )
