"""Read the published text of a 工作要点 and write plan YAML in the shape a person would.

The genre: a title, a preamble, sections 一、二、…, optional sub-sections （一）, numbered
tasks whose first sentence is the title, and parenthesised assignments （牵头科室：…，
责任单位：…） each closing one clause. Whatever cannot be placed is kept and reported as
`DOC:LINE: message`; no text is dropped.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plantrack import files
from plantrack.assignments import OPENERS, is_assignment_text, parse_assignment
from plantrack.errors import PlanError, PlantrackError, UsageError
from plantrack.load import parse_plan
from plantrack.periods import month_end
from plantrack.problems import Problem
from plantrack.yamltext import scalar

NUMERALS = "一二三四五六七八九十"
SECTION = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.+)$")
SUBSECTION = re.compile(r"^[（(]([一二三四五六七八九十]{1,3})[）)]\s*(.+)$")
TASK = re.compile(r"^(\d{1,3})\s*[.．、]\s*(?!\d)(.+)$")
PAGE_NUMBER = re.compile(r"^[-—–－\s]*(?:第\s*)?\d{1,3}\s*(?:页)?[-—–－\s]*$")
# 牵头科室：, 责任单位和科室：, 配合单位:, 牵头股室： … a role word, a short label, a colon.
LOOKS_LIKE_LABEL = re.compile(r"^\s*[^：:（）()]{1,8}(?:单位|科室|部门|处室)\s*[：:]")
PREFIXES = "局区市县省"
OFFICE_ENDINGS = ("科", "室", "处", "股")
AGENCY_ENDINGS = ("中心", "支队", "大队", "所", "站", "院")


@dataclass
class Note:
    """Something the importer could not understand, at a line of the document."""

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
    """A numbered task as read."""

    id: int
    line: int
    subsection: str | None
    body: Segment = field(default_factory=Segment)
    title: str = ""
    clauses: list[RawClause] = field(default_factory=list)


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
    """The structure read from a document, before it is written as YAML."""

    title: str
    year: int
    preamble: str
    sections: list[RawSection]
    notes: list[Note]


@dataclass(frozen=True)
class Imported:
    """The plan text made from a document, what needs a person's look, and its problems."""

    document: Path
    text: str
    notes: list[Note]
    problems: list[Problem]


def import_document(
    document: Path, *, year: int | None, output: Path | None, force: bool
) -> Imported:
    """Read a document and turn it into plan text, validated as `check` would."""
    text = decode_document(document, files.read_document(document))
    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} 已存在：为免覆盖，未写入。换一个文件名，或加 --force 覆盖")
    plan_text, notes = import_text(text, year=year)
    try:
        parse_plan(plan_text, str(output or "<stdout>"))
    except PlanError as exc:
        return Imported(document, plan_text, notes, exc.problems)
    return Imported(document, plan_text, notes, [])


def decode_document(path: Path, data: bytes) -> str:
    """Decode UTF-8 (BOM allowed), falling back to GBK as offices often save."""
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlantrackError(f"{path}: 既不是 UTF-8 也不是 GBK 编码：请另存为 UTF-8 后重试")


def import_text(text: str, *, year: int | None = None) -> tuple[str, list[Note]]:
    """Turn a document's text into plan YAML, with notes on what needs a person's look."""
    document = read_document(text, year=year)
    units = expand_units(document)
    return write_yaml(document, units), document.notes


# --- structure ------------------------------------------------------------------------------


def read_document(text: str, *, year: int | None) -> Document:
    """Split the text into title, preamble, sections, sub-sections and tasks."""
    notes: list[Note] = []
    title = ""
    preamble: list[str] = []
    sections: list[RawSection] = []
    subsection: str | None = None
    task: RawTask | None = None
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip().replace("\u3000", " ").strip()
        if not line:
            continue
        if PAGE_NUMBER.match(line) and (sections or preamble):
            notes.append(Note(number, f"“{line}”看起来是页码，已略去"))
            continue
        section = SECTION.match(line)
        task_start = TASK.match(line)
        if section and _next_section(sections, section.group(1)):
            sections.append(
                RawSection(_numeral(section.group(1)), section.group(2).strip(), number)
            )
            subsection, task = None, None
        elif (sub := SUBSECTION.match(line)) and sections and not _is_assignment(line):
            subsection, task = f"（{sub.group(1)}）{sub.group(2).strip()}", None
        elif task_start and sections and _next_task(sections, int(task_start.group(1))):
            task = RawTask(int(task_start.group(1)), number, subsection)
            task.body.add(task_start.group(2).strip(), number)
            sections[-1].tasks.append(task)
        elif task is not None:
            if task.body.text.endswith(("）", ")", "〕")) and not _is_assignment(line):
                notes.append(
                    Note(
                        number,
                        f"这一行接在任务 {task.id} 的分工之后，已并入该任务；如不属于该任务，请手工移开",
                    )
                )
            task.body.add(line, number)
        elif sections:
            sections[-1].intro.append(line)
            notes.append(
                Note(
                    number,
                    f"这段文字在第{sections[-1].number}部分标题之下、任务之前，已记入该部分的 intro",
                )
            )
        elif not title and _looks_like_title(line):
            title = line
        else:
            preamble.append(line)
    if not sections:
        raise UsageError("没有找到“一、……”这样的部分标题：这份文字不像工作要点，未生成计划")
    for raw_section in sections:
        for raw_task in raw_section.tasks:
            split_task(raw_task, notes)
    return Document(
        title or "工作要点", _year(year, title, text), "".join(preamble), sections, notes
    )


def _numeral(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS.index(text[1]) + 1
    if text.endswith("十"):
        return (NUMERALS.index(text[0]) + 1) * 10
    if "十" in text:
        return (NUMERALS.index(text[0]) + 1) * 10 + NUMERALS.index(text[2]) + 1
    return NUMERALS.index(text) + 1


def _next_section(sections: list[RawSection], numeral: str) -> bool:
    # Only the expected next number starts a section, so "一、" inside a list stays text.
    expected = sections[-1].number + 1 if sections else 1
    return _numeral(numeral) == expected


def _next_task(sections: list[RawSection], number: int) -> bool:
    # Tasks are numbered through the document; "12345、12328 等" at a line start is not one.
    previous = [t.id for s in sections for t in s.tasks]
    return number == (previous[-1] + 1 if previous else 1) or (not previous and number < 10)


def _looks_like_title(line: str) -> bool:
    return len(line) <= 40 and not line.endswith(("。", "：", ":"))


def _year(year: int | None, title: str, text: str) -> int:
    if year is not None:
        return year
    found = re.search(r"(20\d\d)\s*年", title) or re.search(r"(20\d\d)\s*年", text)
    if found is None:
        raise UsageError("无法从标题判断年度：请用 --year 指定，如 --year 2024")
    return int(found.group(1))


# --- clauses and assignments ----------------------------------------------------------------


def split_task(task: RawTask, notes: list[Note]) -> None:
    """Take the title sentence, then cut the body at each assignment bracket into clauses."""
    body = task.body.text
    end = body.find("。")
    if end == -1:
        task.title, rest_start = body.strip(), len(body)
        notes.append(Note(task.line, f"任务 {task.id} 没有句号，整段作为标题"))
    else:
        task.title, rest_start = body[:end].strip(), end + 1
    start = rest_start
    for open_at, close_at in _brackets(body, rest_start):
        inner = body[open_at + 1 : close_at]
        if not is_assignment_text(inner):
            if LOOKS_LIKE_LABEL.match(inner):
                label = inner.split("：")[0].split(":")[0]
                notes.append(
                    Note(
                        task.body.line_at(open_at),
                        f"括注“{label}”不是可识别的分工标签（牵头/责任/配合/参与/协办），已作为正文保留",
                    )
                )
            continue
        clause = RawClause(body[start:open_at].strip(), task.body.line_at(open_at), inner.strip())
        clause.roles = parse_assignment(inner)
        task.clauses.append(clause)
        start = close_at + 1
    tail = body[start:].strip()
    if tail or not task.clauses:
        line = task.body.line_at(start) if tail else task.line
        task.clauses.append(RawClause(tail, line))
        notes.append(
            Note(
                line, f"任务 {task.id} 有一段文字没有分工括注：已标记 unassigned: true，请补充单位"
            )
        )


def _brackets(text: str, start: int) -> Iterable[tuple[int, int]]:
    """Outermost bracket pairs from start on, nested brackets included in their parent."""
    index = start
    while index < len(text):
        closer = OPENERS.get(text[index])
        if closer is None:
            index += 1
            continue
        depth, cursor = 0, index
        while cursor < len(text):
            if text[cursor] in OPENERS:
                depth += 1
            elif text[cursor] in OPENERS.values():
                depth -= 1
                if depth == 0:
                    break
            cursor += 1
        if cursor >= len(text):
            return
        yield index, cursor
        index = cursor + 1


def _is_assignment(line: str) -> bool:
    return line[:1] in OPENERS and is_assignment_text(line[1:])


# --- units ----------------------------------------------------------------------------------


@dataclass
class UnitBook:
    """Every unit name the document uses, in full, with groups and collective names."""

    full_names: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    collectives: dict[str, tuple[str | None, str]] = field(default_factory=dict)

    def full(self, name: str) -> str:
        """The full name a written name stands for."""
        return self.full_names.get(name, name)


def is_collective(name: str) -> bool:
    """各…, 相关…, 有关… name a set of units rather than one."""
    return any(word in name for word in ("各", "相关", "有关"))


def expand_units(document: Document) -> UnitBook:
    """Write shorthand in full (局法规科、建管科 -> 局建管科) and build the unit registry."""
    book = UnitBook()
    lists = [names for clause in _clauses(document) for names in clause.roles.values()]
    for names in lists:
        prefix = names[0][0] if names and names[0][:1] in PREFIXES else ""
        for name in names:
            bare = name[:1] not in PREFIXES and not is_collective(name)
            if prefix and bare and name.endswith(OFFICE_ENDINGS):
                book.full_names[name] = prefix + name
    known = {book.full(n) for names in lists for n in names}
    for names in lists:
        for name in names:
            # A bare 建管科 elsewhere is the 局建管科 the document names in full.
            for prefix in PREFIXES:
                if name not in book.full_names and prefix + name in known:
                    book.full_names[name] = prefix + name
    for names in lists:
        for name in map(book.full, names):
            if is_collective(name):
                book.collectives.setdefault(name, (_collective_group(name), _scope(name)))
            else:
                book.units.setdefault(name, _group(name))
    for clause in _clauses(document):
        clause.roles = {
            role: list(dict.fromkeys(map(book.full, names))) for role, names in clause.roles.items()
        }
    return book


def _clauses(document: Document) -> Iterable[RawClause]:
    return (c for s in document.sections for t in s.tasks for c in t.clauses)


def _group(name: str) -> str:
    """局机关 for the bureau's own offices, 局属单位 for units under it, else 其他单位."""
    if name.endswith(OFFICE_ENDINGS) and name[:1] not in "市县省":
        return "局机关"
    if name.startswith("区") or name.endswith(AGENCY_ENDINGS):
        return "局属单位"
    return "其他单位"


def _collective_group(name: str) -> str | None:
    if name.startswith("局机关") or "科室" in name or "处室" in name:
        return "局机关"
    if name.startswith("局属") or "直属" in name:
        return "局属单位"
    return None


def _scope(name: str) -> str:
    return "all" if "各" in name else "relevant"


# --- dates and targets ----------------------------------------------------------------------

DATE = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:前|之前|以前)?")
MONTH_END = re.compile(r"(\d{1,2})\s*月底\s*(?:前|之前)?")
YEAR_END = re.compile(r"年底\s*(?:前|之前)")
DOTTED = re.compile(r"(?<![\d.])(\d{1,2})·(\d{1,2})(?![\d])")
EVERY = {"每季度": "quarter", "每半年": "half-year", "每月": "month"}
TARGET = re.compile(r"(不低于|不少于|至少|达到)\s*(\d+(?:\.\d+)?)\s*(%|％|篇|件|次|个|项|人)?")


def _sentences(text: str) -> Iterable[str]:
    for sentence in re.split(r"(?<=[。；;])", text):
        if sentence.strip():
            yield sentence.strip()


def find_deadlines(text: str, year: int) -> list[dict[str, str]]:
    """Dates, month ends, year ends, recurring duties and 12·4-style days, with their sentence."""
    found: list[dict[str, str]] = []
    for sentence in _sentences(text):
        quote = sentence.rstrip("。；;")
        for word, every in EVERY.items():
            if word in sentence:
                found.append({"every": every, "label": _label(sentence, word), "quote": quote})
        for match in DATE.finditer(sentence):
            day = _date(year, int(match.group(1)), int(match.group(2)))
            if day:
                found.append(
                    {"date": day, "label": _label(sentence, match.group(0)), "quote": quote}
                )
        for match in MONTH_END.finditer(sentence):
            day = _month_end(year, int(match.group(1)))
            if day:
                found.append(
                    {"date": day, "label": _label(sentence, match.group(0)), "quote": quote}
                )
        if YEAR_END.search(sentence):
            found.append(
                {"date": f"{year}-12-31", "label": _label(sentence, "年底"), "quote": quote}
            )
        for match in DOTTED.finditer(sentence):
            day = _date(year, int(match.group(1)), int(match.group(2)))
            if day:
                found.append({"date": day, "label": _label(sentence, ""), "quote": quote})
    return found


def _date(year: int, month: int, day: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _month_end(year: int, month: int) -> str | None:
    return month_end(year, month).isoformat() if 1 <= month <= 12 else None


def _label(sentence: str, after: str) -> str:
    """What is due: the words after the date phrase, else the sentence itself."""
    rest = sentence.split(after, 1)[1] if after and after in sentence else ""
    rest = re.split(r"[，,。；;]", rest.strip(" ，,"), maxsplit=1)[0].strip()
    if rest.startswith(("前", "之前")):
        rest = rest.lstrip("之前").strip()
    text = rest or sentence.rstrip("。；;")
    return text[:40]


def find_targets(text: str) -> list[dict[str, str]]:
    """Quantified targets such as 出庭应诉率不低于80%, with their sentence."""
    targets = []
    for sentence in _sentences(text):
        for match in TARGET.finditer(sentence):
            head = re.split(r"[，,。；;、]", sentence[: match.start()])[-1].strip()
            unit = (match.group(3) or "").replace("％", "%")
            targets.append(
                {
                    "name": head or match.group(0),
                    "value": match.group(2),
                    "unit": unit,
                    "quote": sentence.rstrip("。；;"),
                }
            )
    return targets


# --- writing YAML ---------------------------------------------------------------------------


def write_yaml(document: Document, book: UnitBook) -> str:
    """The plan in the layout of plans/2023.yaml."""
    year = document.year
    lines = [
        "# yaml-language-server: $schema=../schema/plan.schema.json",
        "# 由 plantrack import 从原文生成。请对照原文核对后再使用，并运行 plantrack check。",
        f"title: {scalar(document.title)}",
        f"year: {year}",
    ]
    if document.preamble:
        lines.append(f"preamble: {scalar(document.preamble)}")
    lines += [
        "# 原文未写明时限的任务，以年底为限。",
        f"default_due: {year}-12-31",
        "warn_days: 7",
        "units:",
    ]
    for name, group in book.units.items():
        lines += [f"  - name: {scalar(name)}", f"    group: {scalar(group)}"]
        alias = _alias(name, book)
        if alias:
            lines.append(f"    aliases: [{scalar(alias)}]")
    if not book.units:
        lines[-1] = "units: []"
    if book.collectives:
        lines.append("collectives:")
        for name, (home, scope) in book.collectives.items():
            lines.append(f"  - name: {scalar(name)}")
            if home and home in book.units.values():
                lines.append(f"    group: {home}")
            lines.append(f"    scope: {scope}")
    lines.append("sections:")
    for section in document.sections:
        lines += _section_lines(section, year)
    return "\n".join(lines) + "\n"


def _alias(name: str, book: UnitBook) -> str | None:
    # 局法规科 -> 法规科, 区交通执法支队 -> 交通执法支队; other bodies keep their full name.
    own = name[:1] in "局区县" and not any(b in name for b in OPENERS)
    short = name[1:] if own and len(name) > 3 else None
    taken = set(book.units) | set(book.collectives)
    return short if short and short not in taken else None


def _section_lines(section: RawSection, year: int) -> list[str]:
    lines = [f"  - number: {section.number}", f"    title: {scalar(section.title)}"]
    if section.intro:
        lines.append(f"    intro: {scalar(''.join(section.intro))}")
    lines.append("    tasks:" if section.tasks else "    tasks: []")
    for task in section.tasks:
        lines += _task_lines(task, year)
    return lines


def _task_lines(task: RawTask, year: int) -> list[str]:
    lines = [f"      - id: {task.id}", f"        title: {scalar(task.title)}"]
    if task.subsection:
        lines.append(f"        subsection: {scalar(task.subsection)}")
    lines.append("        clauses:")
    for clause in task.clauses:
        lines.append(f"          - text: {scalar(clause.text or '（无正文）')}")
        if clause.assignment:
            lines.append(f"            assignment: {scalar(clause.assignment)}")
        for role in ("lead", "responsible", "support"):
            if clause.roles.get(role):
                names = ", ".join(scalar(n) for n in clause.roles[role])
                lines.append(f"            {role}: [{names}]")
        if not clause.roles:
            lines.append("            unassigned: true")
        lines.append("            status: 未开始")
    text = task.title + "。" + "".join(c.text for c in task.clauses)
    deadlines = find_deadlines(text, year)
    if deadlines:
        lines.append("        deadlines:")
        for deadline in deadlines:
            first = True
            for key in ("every", "date", "label", "quote"):
                if key in deadline:
                    value = deadline[key] if key in ("every", "date") else scalar(deadline[key])
                    lines.append(f"          {'- ' if first else '  '}{key}: {value}")
                    first = False
    targets = find_targets(text)
    if targets:
        lines.append("        targets:")
        for target in targets:
            unit = scalar(target["unit"]) if target["unit"] else '""'
            lines += [
                f"          - name: {scalar(target['name'])}",
                '            op: ">="',
                f"            value: {target['value']}",
                f"            unit: {unit}",
                f"            quote: {scalar(target['quote'])}",
            ]
    return lines
