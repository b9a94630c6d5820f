"""The whole command line: the root command with its commands registered, in help order.

A run of one command builds only that command's group: Typer turns every registered
function into a Click command at start-up, and building all sixteen costs `plantrack due`
a tenth of its time. Help, completion and anything unknown get every command.
"""

import importlib
import os

import typer

# Each command, and the module that registers it; the help lists them in this order.
GROUPS = {
    "review": ["check", "diff", "merge-driver", "textconv", "schema", "git-setup", "cache"],
    "queries": ["tasks", "show", "due"],
    "documents": ["export", "report", "import"],
    "edits": ["mark", "log", "actual", "postpone", "rollover"],
    "forms": ["forms", "collect"],
    "reminders": ["digest", "notify"],
}
COMMANDS = {name: group for group, names in GROUPS.items() for name in names}


def load(args: list[str]) -> typer.Typer:
    """The root command with the commands a command line needs: the one it names, or all."""
    from plantrack.cli.root import app

    named = COMMANDS.get(args[0]) if args else None
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    for group in [named] if named and not completing else list(GROUPS):
        importlib.import_module(f"plantrack.cli.{group}")
    return app
