"""A table column as one value: its heading, its width, and how to get its cell from a row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from plantrack.output.display import printable

Row = TypeVar("Row")
Cell = str | int | dt.date


class Column(NamedTuple, Generic[Row]):
    """One column of a table; width is in character cells, a CJK character counting two."""

    heading: str
    width: int
    get: Callable[[Row], Cell]

    def text(self, row: Row) -> str:
        """The cell as text, safe to show; a date as YYYY-MM-DD."""
        value = self.get(row)
        return value.isoformat() if isinstance(value, dt.date) else printable(str(value))


def headings(columns: list[Column[Row]]) -> list[str]:
    """The headings of columns, in order."""
    return [column.heading for column in columns]


def text_rows(columns: list[Column[Row]], rows: list[Row]) -> list[list[str]]:
    """Every row as a list of cell texts."""
    return [[column.text(row) for column in columns] for row in rows]
