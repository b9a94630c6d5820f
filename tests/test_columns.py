"""Columns as values: a heading, a width and a getter, so every table is one list."""

from __future__ import annotations

from plantrack.output.columns import Column, headings, text_rows

COLUMNS: list[Column[tuple[int, str]]] = [
    Column("序号", 6, lambda row: row[0]),
    Column("工作任务", 36, lambda row: row[1]),
]


def test_headings_and_text_rows_follow_the_list() -> None:
    rows = [(7, "持续优化市场监管环境"), (13, "统筹推进专项整治工作")]
    assert headings(COLUMNS) == ["序号", "工作任务"]
    assert text_rows(COLUMNS, rows) == [
        ["7", "持续优化市场监管环境"],
        ["13", "统筹推进专项整治工作"],
    ]
    assert COLUMNS[0].get(rows[0]) == 7  # typed cells stay typed for spreadsheets
