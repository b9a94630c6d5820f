"""Write what was read as plan YAML in the layout of plans/2023.yaml, remembering each line's source.

Every YAML line carries the document line it came from, so a problem `check` finds in the
written plan can be reported where the clerk can fix it: in the document.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from plantrack.core.assignments import OPENERS, TO_FILL_IN
from plantrack.importer.dates import find_deadlines, find_targets, ongoing, unread_dates
from plantrack.importer.document import Document, Note, RawSection, RawTask
from plantrack.importer.units import UnitBook
from plantrack.planfile.yamltext import scalar

INFERRED = "# 推断"


@dataclass
class Written:
    """Plan text, and for each of its lines the document line it came from (0: none)."""

    lines: list[str] = field(default_factory=list)
    origins: list[int] = field(default_factory=list)
    dates: int = 0  # deadlines written, for the import's summary
    draft: bool = False  # a clause that names no unit gets TO_FILL_IN, which check refuses
    # What the writer could not be sure of (a 完成时限 it could not read), at document lines.
    notes: list[Note] = field(default_factory=list)

    def add(self, origin: int, *lines: str) -> None:
        """Append lines that came from the document's line `origin`."""
        self.lines += lines
        self.origins += [origin] * len(lines)

    @property
    def text(self) -> str:
        """The plan file's text."""
        return "\n".join(self.lines) + "\n"

    def origin(self, line: int) -> int:
        """The document line behind a 1-based line of the plan, or 0."""
        return self.origins[line - 1] if 1 <= line <= len(self.origins) else 0


def write_yaml(
    document: Document, book: UnitBook, *, source_name: str, draft: bool = False
) -> Written:
    """The plan in the layout of plans/2023.yaml; a draft marks every unit left to fill in."""
    out = Written(draft=draft)
    out.add(
        0,
        "# yaml-language-server: $schema=../schema/plan.schema.json",
        f"# 由 plantrack import 从“{source_name}”生成。请对照原文核对后再使用，并运行 plantrack check。",
        f"title: {scalar(document.title)}",
        f"year: {document.year}",
    )
    if document.issuer:
        out.add(0, f"issuer: {scalar(document.issuer)}")
    if document.doc_number:
        out.add(0, f"doc_number: {scalar(document.doc_number)}")
    if document.issued:
        out.add(0, f"issued: {document.issued.isoformat()}")
    if document.preamble:
        out.add(0, f"preamble: {scalar(document.preamble)}")
    if document.lead_rule:
        out.add(
            0,
            "# 原文的约定：只列单位的分工括注中，第一个单位为牵头单位。",
            f"lead_rule: {scalar(document.lead_rule)}",
        )
    out.add(
        0,
        "# 原文未写明时限的任务，以年底为限。",
        f"default_due: {document.year}-12-31",
        "warn_days: 7",
    )
    _units(out, book)
    out.add(0, "sections:")
    for section in document.sections:
        _section(out, section, document.year)
    return out


def _units(out: Written, book: UnitBook) -> None:
    out.add(
        0,
        f"# 原文不写单位的类别：标有“{INFERRED[2:]}”的 group 是按名称推断的，核对后请删去该标记。",
        "units:" if book.units else "units: []",
    )
    taken = set(book.units) | set(book.collectives)
    for name, group in book.units.items():
        known = name in book.registered  # from the registry: its group, not a guess
        out.add(
            0,
            f"  - name: {scalar(name)}",
            f"    group: {scalar(group)}" + ("" if known else f"  {INFERRED}"),
        )
        # The registry's aliases, the names the document writes it by (科技厅 for 省科技厅),
        # then its own short form.
        written = [short for short, full in book.full_names.items() if full == name]
        own = [*book.registered.get(name, []), *written, _alias(name)]
        aliases = [a for a in dict.fromkeys(own) if a and a not in taken]
        taken.update(aliases)  # 区发改局 and 县发改局 cannot both be 发改局
        if aliases:
            out.add(0, f"    aliases: [{', '.join(scalar(a) for a in aliases)}]")
    if book.collectives:
        out.add(0, "collectives:")
        for name, (home, scope) in book.collectives.items():
            out.add(0, f"  - name: {scalar(name)}")
            known = name in book.registered_collectives
            if home and (known or home in book.units.values()):
                out.add(0, f"    group: {scalar(home)}" + ("" if known else f"  {INFERRED}"))
            out.add(0, f"    scope: {scope}")


def _alias(name: str) -> str | None:
    # 局法规科 -> 法规科, 区交通执法支队 -> 交通执法支队; other bodies keep their full name.
    own = name[:1] in "局区县" and not any(b in name for b in OPENERS)
    return name[1:] if own and len(name) > 3 else None


def _section(out: Written, section: RawSection, year: int) -> None:
    out.add(section.line, f"  - number: {section.number}", f"    title: {scalar(section.title)}")
    if section.intro:
        out.add(section.line, f"    intro: {scalar(''.join(section.intro))}")
    out.add(section.line, "    tasks:" if section.tasks else "    tasks: []")
    for task in section.tasks:
        _task(out, task, year)


def _task(out: Written, task: RawTask, year: int) -> None:
    out.add(task.line, f"      - id: {task.id}", f"        title: {scalar(task.title)}")
    if task.subsection:
        out.add(task.line, f"        subsection: {scalar(task.subsection)}")
    out.add(task.line, "        clauses:")
    for clause in task.clauses:
        out.add(clause.line, f"          - text: {scalar(clause.text)}")
        if clause.assignment:
            out.add(clause.line, f"            assignment: {scalar(clause.assignment)}")
        for role in ("lead", "responsible", "support"):
            if clause.roles.get(role):
                names = ", ".join(scalar(n) for n in clause.roles[role])
                out.add(clause.line, f"            {role}: [{names}]")
        if not clause.roles and out.draft:
            out.add(clause.line, f"            lead: [{TO_FILL_IN}]")
        elif not clause.roles:
            out.add(clause.line, "            unassigned: true")
        out.add(clause.line, "            status: 未开始")
    _deadlines(out, task, year)
    _targets(out, task)


def task_text(task: RawTask) -> str:
    """The task's words as the document gives them, for finding dates and targets."""
    head = "" if task.clauses and task.clauses[0].text.startswith(task.title) else task.title + "。"
    return head + "".join(clause.text for clause in task.clauses)


def _task_deadlines(task: RawTask, year: int) -> list[dict[str, str]]:
    """Dates in the task's text and in its 完成时限, each once."""
    found = find_deadlines(task_text(task), year)
    stated = {deadline.get("date") or deadline.get("every") for deadline in found}
    for deadline in find_deadlines(task.due_text, year):
        if (deadline.get("date") or deadline.get("every")) not in stated:
            # A 完成时限 cell says only when: what is due is the task itself.
            found.append({**deadline, "label": task.title[:40]})
    unique = {tuple(sorted(d.items())): d for d in found}
    return list(unique.values())


def _deadlines(out: Written, task: RawTask, year: int) -> None:
    deadlines = _task_deadlines(task, year)
    written = " ".join(task.due_text.split())
    duty = ongoing(written) if written and not find_deadlines(written, year) else None
    if duty is not None:  # 长期坚持: a standing duty, shown as such, not due at year end
        quote = f"原文完成时限为“{written}”，没有截止日期"
        deadlines.append(
            {"label": duty, "quote": written, "date_source": quote, "standing": "true"}
        )
    elif written and not find_deadlines(written, year):
        out.add(task.line, f"        # 原文完成时限：{written}（不是能识别的日期，未作为时限）")
        out.notes.append(
            Note(task.line, f"完成时限“{written}”不是能识别的日期：未作为时限，请核对后手工填写")
        )
    for words in unread_dates(f"{task_text(task)} {written}"):
        out.notes.append(
            Note(task.line, f"“{words}”说的是时间，但不是具体日期：未作为时限，请核对后手工填写")
        )
    out.dates += len(deadlines)
    if not deadlines:
        return
    out.add(task.line, "        deadlines:")
    for deadline in deadlines:
        first = True
        for key in ("every", "date", "label", "quote", "date_source", "standing"):
            if key in deadline:
                plain = key in ("every", "date", "standing")
                value = deadline[key] if plain else scalar(deadline[key])
                out.add(task.line, f"          {'- ' if first else '  '}{key}: {value}")
                first = False


def _targets(out: Written, task: RawTask) -> None:
    targets = find_targets(task_text(task))
    if not targets:
        return
    out.add(task.line, "        targets:")
    for target in targets:
        unit = scalar(target["unit"]) if target["unit"] else '""'
        out.add(
            task.line,
            f"          - name: {scalar(target['name'])}",
            f"            op: {scalar(target['op'])}",
            f"            value: {target['value']}",
            f"            unit: {unit}",
            f"            quote: {scalar(target['quote'])}",
        )
