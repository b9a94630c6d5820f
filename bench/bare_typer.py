"""A Typer app with the same eight options as `plantrack due` and nothing behind them.

bench/run.py times `python bench/bare_typer.py due --dept 法规科 --plan …`: what Typer
itself costs to start and parse those options, the floor under any Typer command. From
Typer 0.29 every option is coerced through a pydantic TypeAdapter, so this floor includes
pydantic's schema machinery even when the command needs none of it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def due(
    dept: Annotated[str | None, typer.Option("--dept")] = None,
    role: Annotated[str, typer.Option("--role", parser=str)] = "named",
    include_possible: Annotated[bool, typer.Option("--include-possible")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of")] = None,
    within: Annotated[str, typer.Option("--within")] = "30",
    quarter: Annotated[str | None, typer.Option("--quarter")] = None,
    json: Annotated[bool, typer.Option("--json")] = False,
    plan: Annotated[Path | None, typer.Option("--plan", parser=Path)] = None,
) -> None:
    """Print the options' values, as a command that answers nothing."""
    print(dept, role, include_possible, as_of, within, quarter, json, plan)


@app.command()
def other() -> None:
    """A second command, so that Typer dispatches by name as plantrack does."""


if __name__ == "__main__":
    app()
