"""What an import reads out of a document, before it is written as plan YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass
class Note:
    """Something the importer could not be sure of, at a line of the document."""

    line: int
    message: str


@dataclass
class Segment:
    """A run of task text with the document line each character came from."""

    text: str = ""
    lines: list[int] = field(default_factory=list)

    def add(self, text: str, line: int) -> None:
        """Append text that came from `line`."""
        self.text += text
        self.lines += [line] * len(text)

    def line_at(self, index: int) -> int:
        """The document line of the character at index."""
        if not self.lines:
            return 0
        return self.lines[min(max(index, 0), len(self.lines) - 1)]


@dataclass
class RawClause:
    """A clause as read: text, the assignment as written, and the units by role."""

    text: str
    line: int
    assignment: str | None = None
    roles: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class RawTask:
    """A numbered task as read; a table row gives its clause and deadline directly."""

    id: int
    line: int
    subsection: str | None
    body: Segment = field(default_factory=Segment)
    title: str = ""
    clauses: list[RawClause] = field(default_factory=list)
    # From a table's 完成时限 column: the words as written, read for dates like the text.
    due_text: str = ""


@dataclass
class RawSection:
    """A section as read."""

    number: int
    title: str
    line: int
    intro: list[str] = field(default_factory=list)
    tasks: list[RawTask] = field(default_factory=list)


@dataclass
class Document:
    """The structure read from a document."""

    title: str
    year: int
    preamble: str
    sections: list[RawSection]
    notes: list[Note]
    issuer: str | None = None
    doc_number: str | None = None
    issued: dt.date | None = None

    @property
    def tasks(self) -> list[RawTask]:
        """Every task, in order."""
        return [task for section in self.sections for task in section.tasks]

    @property
    def clauses(self) -> list[RawClause]:
        """Every clause, in order."""
        return [clause for task in self.tasks for clause in task.clauses]
