"""The units a document names: written in full, grouped by what their names say."""

from __future__ import annotations

from dataclasses import dataclass, field

from plantrack.importer.document import Document

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

    def full(self, name: str) -> str:
        """The full name a written name stands for."""
        return self.full_names.get(name, name)


def is_collective(name: str) -> bool:
    """各…, 相关…, 有关… name a set of units rather than one."""
    return any(word in name for word in ("各", "相关", "有关"))


def expand_units(document: Document) -> UnitBook:
    """Write shorthand in full (局法规科、建管科 -> 局建管科) and build the unit registry."""
    book = UnitBook()
    lists = [names for clause in document.clauses for names in clause.roles.values()]
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
    for clause in document.clauses:
        clause.roles = {
            role: list(dict.fromkeys(map(book.full, names))) for role, names in clause.roles.items()
        }
    return book


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
