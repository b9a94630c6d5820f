"""What an import reads out of a document, before it is written as plan YAML."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from plantrack.core.assignments import open_brackets


@dataclass
class Note:
    """Something the importer could not be sure of, at a line of the document."""

    line: int
    message: str


@dataclass
class Segment:
    """A run of task text with the document line each piece came from.

    Kept as pieces, so a task thousands of lines long grows in linear time.
    """

    pieces: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)  # where each piece starts in text
    lines: list[int] = field(default_factory=list)  # the document line of each piece
    size: int = 0
    depth: int = 0  # brackets open at the end of the text
    _text: str | None = None

    @property
    def text(self) -> str:
        """The whole text, joined once after each change."""
        if self._text is None:
            self._text = "".join(self.pieces)
        return self._text

    def add(self, text: str, line: int) -> None:
        """Append text that came from `line`."""
        if not text:
            return
        self.pieces.append(text)
        self.starts.append(self.size)
        self.lines.append(line)
        self.size += len(text)
        self.depth += open_brackets(text)
        self._text = None

    def endswith(self, suffixes: tuple[str, ...]) -> bool:
        """Whether the text ends with one of the (one-character) suffixes."""
        return bool(self.pieces) and self.pieces[-1].endswith(suffixes)

    def line_at(self, index: int) -> int:
        """The document line of the character at index."""
        if not self.lines:
            return 0
        at = min(max(index, 0), self.size - 1)
        return self.lines[bisect.bisect_right(self.starts, at) - 1]


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
    # 列第一位者为牵头单位，下同: the first unit of a bare list leads, in every bracket.
    lead_rule: str | None = None
    # Where the year came from: 标题, 印发日期, 文号 or --year.
    year_source: str = "标题"

    @property
    def tasks(self) -> list[RawTask]:
        """Every task, in order."""
        return [task for section in self.sections for task in section.tasks]

    @property
    def clauses(self) -> list[RawClause]:
        """Every clause, in order."""
        return [clause for task in self.tasks for clause in task.clauses]
