"""The units a document names: written in full, grouped by what their names say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from plantrack.core.assignments import open_brackets
from plantrack.core.model import Plan
from plantrack.core.units import Registry
from plantrack.importer.document import Document, Note

PREFIXES = "局区市县省"
OFFICE_ENDINGS = ("科", "室", "处", "股")
AGENCY_ENDINGS = ("中心", "支队", "大队", "所", "站", "院")
GOVERNMENT_ENDINGS = ("局", "委", "办", "办公室", "委员会", "政府")


@dataclass
class UnitBook:
    """Every unit name the document uses, in full, with groups and collective names.

    A document never says which group a unit is in: every group here is inferred from
    the name, and the plan marks it so.
    """

    full_names: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    collectives: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    # Units the registry (--units-from) already holds: their group and aliases are its own.
    registered: dict[str, list[str]] = field(default_factory=dict)
    new: list[str] = field(default_factory=list)  # names the registry does not hold
    registered_collectives: set[str] = field(default_factory=set)

    def full(self, name: str) -> str:
        """The full name a written name stands for."""
        return self.full_names.get(name, name)


def is_collective(name: str) -> bool:
    """各…, 相关…, 有关… name a set of units rather than one."""
    return any(word in name for word in ("各", "相关", "有关"))


def expand_units(document: Document, registry: Plan | None = None) -> UnitBook:
    """Write shorthand in full (局法规科、建管科 -> 局建管科) and build the unit registry.

    With a registry (last year's plan), every name is mapped onto it: as written, by an
    alias, completed with a prefix (法规科 -> 局法规科), or by the one unit it abbreviates
    (执法支队 -> 区交通执法支队); the guesses and the new units are noted at their lines.
    """
    book = UnitBook()
    lists = [names for clause in document.clauses for names in clause.roles.values()]
    _without_brackets(document, book)
    for names in lists:
        prefix = names[0][0] if names and names[0][:1] in PREFIXES else ""
        for name in names:
            bare = name[:1] not in PREFIXES and not is_collective(name)
            if prefix and bare and _same_level(prefix, name):
                book.full_names[name] = prefix + name
    known = {book.full(n) for names in lists for n in names}
    for names in lists:
        for name in names:
            # A bare 建管科 elsewhere is the 局建管科 the document names in full.
            for prefix in PREFIXES:
                if name not in book.full_names and prefix + name in known:
                    book.full_names[name] = prefix + name
    if registry is not None:
        _onto_registry(document, book, Registry(registry))
    _one_name_each(document, book)
    for names in lists:
        for name in map(book.full, names):
            if name in book.registered:
                book.units.setdefault(name, _registry_group(registry, name))
            elif is_collective(name):
                book.collectives.setdefault(name, (_collective_group(name), _scope(name)))
            else:
                book.units.setdefault(name, _group(name))
    for clause in document.clauses:
        clause.roles = {
            role: list(dict.fromkeys(map(book.full, names))) for role, names in clause.roles.items()
        }
    return book


def _without_brackets(document: Document, book: UnitBook) -> None:
    """A unit is registered without brackets; the name as written becomes its alias.

    市交通委（市道路运输管理局）: the unit's second name, kept in the alias. 局法规科（: a remark
    cut short, and 局法规科（牵头领导王副局长）: a remark without its colon, are noted.
    """
    for name, line in _first_lines(document).items():
        bare = _BRACKETED.sub("", name).split("（")[0].split("(")[0].strip()
        if bare == name or not bare:
            continue
        book.full_names[name] = bare
        if open_brackets(name) or _REMARK_IN_NAME.search(name):
            document.notes.append(Note(line, _bracket_note(name, bare)))


_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _first_lines(document: Document) -> dict[str, int]:
    """The document line where each written name first appears."""
    lines: dict[str, int] = {}
    for clause in document.clauses:
        for names in clause.roles.values():
            for name in names:
                lines.setdefault(name, clause.line)
    return lines


def _one_name_each(document: Document, book: UnitBook) -> None:
    """A short name the document also writes in full is that unit: 执法支队 -> 区交通执法支队."""
    written = _first_lines(document)
    if len(written) > MAX_NAMES_TO_PAIR:
        return  # pairing every name with every other grows with the square; no plan has so many
    full = {book.full(name) for name in written if not is_collective(name)}
    for name, line in written.items():
        if name in book.full_names or name in book.registered or is_collective(name):
            continue
        longer = [other for other in full if other != name and abbreviates(name, other)]
        if len(longer) == 1:
            book.full_names[name] = longer[0]
            document.notes.append(
                Note(line, f"“{name}”按推测即原文另处写的“{longer[0]}”，已作为同一单位，请核对")
            )


MAX_NAMES_TO_PAIR = 1000


def _onto_registry(document: Document, book: UnitBook, registry: Registry) -> None:
    """Map every written name onto the registry; note each guess and each new unit."""
    for name, line in _first_lines(document).items():
        full = book.full(name)
        if full in registry.collectives:
            known = registry.collectives[full]
            book.collectives[full] = (known.group, known.scope)
            book.registered_collectives.add(full)
            continue
        if full in registry.units or full in registry.aliases:
            unit = registry.units.get(full) or registry.aliases[full]
            if unit.name != full:
                book.full_names[name] = unit.name
            book.registered[unit.name] = list(unit.aliases)
            continue
        if is_collective(full):
            continue  # a collective the registry lacks is the document's own
        guesses = [p + full for p in PREFIXES if p + full in registry.units] or [
            unit for unit in registry.units if abbreviates(full, unit)
        ]
        if len(guesses) == 1:
            book.full_names[name] = guesses[0]
            book.registered[guesses[0]] = list(registry.units[guesses[0]].aliases)
            document.notes.append(Note(line, f"“{name}”按推测对应已登记的“{guesses[0]}”，请核对"))
        elif full not in book.new:
            book.new.append(full)
            document.notes.append(Note(line, f"“{full}”是新单位（登记的单位中没有它），请核对"))


def abbreviates(short: str, long: str) -> bool:
    """Tell whether short is long with characters left out: 执法支队 of 区交通执法支队."""
    if not 2 <= len(short) < len(long) or short[-1] != long[-1]:
        return False
    rest = iter(long)
    return all(char in rest for char in short)


def _registry_group(registry: Plan | None, name: str) -> str:
    assert registry is not None
    return next(unit.group for unit in registry.units if unit.name == name)


def _same_level(prefix: str, name: str) -> bool:
    """Tell whether a bare name after a prefixed one shares its prefix.

    局法规科、建管科: 建管科 is 局建管科. 省工业和信息化厅、科技厅: 科技厅 is 省科技厅, as a
    province's departments are; a bureau's office list never holds a 厅 or a 委.
    """
    if name.endswith(OFFICE_ENDINGS):
        return True
    return prefix in "省市区县" and name.endswith(DEPARTMENT_ENDINGS)


DEPARTMENT_ENDINGS = ("厅", "局", "委", "办")


# 局法规科（牵头领导王副局长）: a remark about a person, written without its colon. A second
# name in brackets (市交通委（市道路运输管理局）) is the unit's own: no doubt to note.
_REMARK_IN_NAME = re.compile(r"[（(][^）)]*(?:领导|联系人|电话|负责人)")


def _bracket_note(name: str, bare: str) -> str:
    """Why a unit name with a bracket needs a person's look, and what to do."""
    if open_brackets(name):  # 局法规科（ cut from a remark the reader did not follow
        return (
            f"单位名称“{name}”中的括号不成对：多半是单位后的说明没有读全，"
            f"已按“{bare}”登记，请核对原文"
        )
    return (
        f"单位名称“{name}”的括号里像是关于人的说明：已按“{bare}”登记；"
        "请在原文中写成“（牵头领导：…）”（带冒号，导入时不算单位名称），或删去"
    )


def _group(name: str) -> str:
    """局机关 for the bureau's own offices, 局属单位 for units under it, else 其他单位."""
    if name.endswith(OFFICE_ENDINGS) and name[:1] not in "市县省":
        return "局机关"
    if name[:1] in "区县市" and name.endswith(GOVERNMENT_ENDINGS):
        return f"{name[0]}级部门"  # 区发改局 in a district government's 分工方案
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
