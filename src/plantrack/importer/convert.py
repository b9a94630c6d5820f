"""Turn a received 工作要点 or 分工方案 (.txt, .docx, .pdf or .xlsx) into a plan file.

sources reads the file into numbered blocks; recognise knows each layout element;
structure reads the blocks into sections and tasks; clauses cuts a task at its
assignments; units names every unit in full; writer writes the YAML. The written plan is
checked with the same rules as `check` before anything is written: a plan `check` would
reject is never written, and its problems are given at DOC:LINE.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from plantrack.core.assignments import TO_FILL_IN
from plantrack.core.errors import PlanError
from plantrack.core.model import Plan
from plantrack.importer.dates import find_deadlines, find_targets
from plantrack.importer.document import Document, Note
from plantrack.importer.isolated import read_blocks
from plantrack.importer.sources import Block, decode_document
from plantrack.importer.structure import read_structure
from plantrack.importer.units import expand_units
from plantrack.importer.writer import Written, write_yaml
from plantrack.planfile import files
from plantrack.planfile.load import load_plan, parse_plan

__all__ = [
    "Imported",
    "Note",
    "Summary",
    "decode_document",
    "find_deadlines",
    "find_targets",
    "import_blocks",
    "import_document",
]


@dataclass(frozen=True)
class Summary:
    """How much the import found, for the clerk to weigh against the document."""

    sections: int
    tasks: int
    clauses: int
    with_lead: int
    dates: int
    year: int = 0
    year_source: str = ""

    def _year_words(self) -> str:
        if not self.year_source:
            return ""
        if self.year_source == "--year":
            return f"年度 {self.year} 由 --year 指定。"
        return f"年度 {self.year} 取自{self.year_source}。"

    @property
    def without_lead(self) -> int:
        """Tasks no clause of which names a lead unit."""
        return self.tasks - self.with_lead

    def __str__(self) -> str:
        return (
            f"共读取 {self.sections} 个部分、{self.tasks} 项任务、{self.clauses} 条分工；"
            f"有牵头单位的任务 {self.with_lead} 项，没有的 {self.without_lead} 项；"
            f"找到时限 {self.dates} 处。" + self._year_words()
        )


@dataclass(frozen=True)
class Imported:
    """The plan made from a document, what needs a person's look, and why it is refused."""

    source: Path
    text: str
    read: Document
    notes: list[Note]
    problems: list[Note]
    summary: Summary
    strict: bool = False
    draft: bool = False  # written even though `check` refuses it: units left to fill in
    registry: Path | None = None  # the plan whose units the document's were mapped onto
    new_units: tuple[str, ...] = ()  # names that plan does not hold

    @property
    def refused(self) -> bool:
        """Nothing may be written: the plan is invalid, or --strict met a doubt (never a draft)."""
        if self.draft:
            return False
        return bool(self.problems) or (self.strict and bool(self.notes))


def import_document(
    source: Path,
    *,
    year: int | None,
    output: Path | None = None,
    force: bool = False,
    strict: bool = False,
    units_from: Path | None = None,
    draft: bool = False,
) -> Imported:
    """Read a document and turn it into plan text, validated as `check` would.

    Units are mapped onto units_from, or by default onto the newest plan beside the output.
    """
    if output is not None:
        # Refused before the document is read: never the document itself, nor a plan in use.
        files.check_output(output, force=force, protected=[source])
    registry = units_from or newest_plan_beside(output)
    plan = load_plan(registry).plan if registry is not None else None
    blocks = read_blocks(source, files.read_source(source))
    found = import_blocks(
        blocks, source=source, year=year, strict=strict, registry=plan, draft=draft
    )
    return replace(found, registry=registry)


def newest_plan_beside(output: Path | None) -> Path | None:
    """The plan of the latest year in the output's folder (plans/2023.yaml beside 2024.yaml)."""
    if output is None:
        return None
    years = sorted(
        (int(path.stem), path)
        for path in output.parent.glob("*.yaml")
        if path.stem.isdigit() and len(path.stem) == 4 and path.name != output.name
    )
    return years[-1][1] if years else None


def import_blocks(
    blocks: list[Block],
    *,
    source: Path,
    year: int | None,
    strict: bool = False,
    registry: Plan | None = None,
    draft: bool = False,
) -> Imported:
    """The plan a document's blocks make, with its notes, problems and summary."""
    document = read_structure(blocks, year=year)
    book = expand_units(document, registry)
    written = write_yaml(document, book, source_name=source.name, draft=draft)
    if draft:  # the draft writes 〔待填写〕 where the plan would say unassigned: true
        for note in document.notes:
            note.message = note.message.replace(
                "已标记 unassigned: true", f"草稿中填了“{TO_FILL_IN}”"
            )
    document.notes = sorted([*document.notes, *written.notes], key=lambda note: note.line)
    text = written.text
    problems = _no_units(document) if not book.units and not draft else _problems(text, written)
    summary = _summary(document, written)
    return Imported(
        source, text, document, document.notes, problems, summary, strict,
        draft=draft, new_units=tuple(book.new),
    )  # fmt: skip


def _no_units(document: Document) -> list[Note]:
    first = document.tasks[0].line if document.tasks else 1
    return [
        Note(
            first,
            "没有一项任务写明了牵头或责任单位，无法生成有效的计划（units 不能为空）。"
            "请确认原文的分工写法（如“牵头单位：…”“（XX牵头）”或表格中的牵头单位列），"
            "或在原文中补上后重新导入",
        )
    ]


def _problems(text: str, written: Written) -> list[Note]:
    """What `check` would reject in the written plan, at the document lines behind it."""
    try:
        parse_plan(text, "导入结果")
    except PlanError as exc:
        return [
            Note(written.origin(p.line), f"{p.message}（生成的计划第 {p.line} 行）")
            for p in exc.problems
        ]
    return []


def _summary(document: Document, written: Written) -> Summary:
    tasks = document.tasks
    return Summary(
        sections=len(document.sections),
        tasks=len(tasks),
        clauses=len(document.clauses),
        with_lead=sum(1 for task in tasks if any(c.roles.get("lead") for c in task.clauses)),
        dates=written.dates,
        year=document.year,
        year_source=document.year_source,
    )
