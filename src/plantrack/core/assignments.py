"""The assignment after a clause read into units by role: in labels (牵头单位：…，责任单位：…)
or in a phrase (局法规科牵头，局属各单位按职责分工负责). Import and `check` share it."""

from __future__ import annotations

import functools
import re

from plantrack.core.wording import ROLE_OF_WORD

# 牵头科室：, 责任单位和科室：, 配合单位:, 牵头股室： … a role word, a short label, a colon.
# 牵头领导：张三 names a person, not a unit: it is kept as written but assigns nothing.
LABEL = re.compile(
    r"(牵头|责任|配合|参与|协办)(?![^：:]{0,6}领导)[^：:，,；;（）()、。]{0,6}\s*[：:]"
)
# Any label, people's included: where one unit list stops and the next label begins.
ANY_LABEL = re.compile(
    r"(牵头|责任|配合|参与|协办|分管)[^：:，,；;（）()、。]{0,6}\s*[：:]"
    r"|(?:完成时限|完成时间|时间要求|时限要求|时限)\s*[：:]"
)
# 完成时限：2024年6月底前 inside an assignment: when, not who.
DUE_LABEL = re.compile(
    r"(?:完成时限|完成时间|时间要求|时限要求|时限)\s*[：:]\s*(?P<due>[^；;，,）)]+)"
)
LEADER = re.compile(r"(?:牵头|责任|分管|配合)?领导\s*[：:][^；;]*[；;]?\s*")
OPENERS = {"（": "）", "(": ")", "〔": "〕"}
# A bracketed remark with a label in it, after a unit: 局法规科（牵头领导：王副局长）,
# 局办公室（联系人：张三）. It names a person or a way to reach one, never part of the unit.
REMARK = re.compile(r"[（(][^（）()]*[：:][^（）()]*[）)]")
ROLE_OF = ROLE_OF_WORD


def open_brackets(text: str) -> int:
    """How many brackets are open at the end of the text (negative if more close than open)."""
    return sum(text.count(opener) - text.count(closer) for opener, closer in OPENERS.items())


def is_assignment_text(inner: str) -> bool:
    """Tell whether bracketed text starts with a role label such as 牵头单位：."""
    text = inner.strip()
    while (leader := LEADER.match(text)) is not None:
        text = text[leader.end() :]
    return LABEL.match(text) is not None


def parse_assignment(inner: str) -> dict[str, list[str]]:
    """Units by role from 牵头科室：局法规科、组教科，责任单位和科室：局属各单位 and the like."""
    roles: dict[str, list[str]] = {}
    inner = REMARK.sub("", inner)
    labels = list(ANY_LABEL.finditer(inner))
    for i, label in enumerate(labels):
        if label.group(1) not in ROLE_OF or "领导" in label.group(0):
            continue  # 牵头领导：张三 names a person
        stop = labels[i + 1].start() if i + 1 < len(labels) else len(inner)
        role = ROLE_OF[label.group(1)]
        roles.setdefault(role, []).extend(unit_names(inner[label.end() : stop]))
    return {role: names for role, names in roles.items() if names}


_SEPARATOR = re.compile("[、，,；;]")
_ANY_BRACKET = re.compile("[" + re.escape("".join(OPENERS) + "".join(OPENERS.values())) + "]")


def unit_names(text: str) -> list[str]:
    """Split a unit list at 、 ， and ； that are not inside brackets."""
    if _ANY_BRACKET.search(text) is None:  # the usual list: no bracket to keep whole
        return _trimmed(_SEPARATOR.split(text))
    names, depth, current = [], 0, ""
    for char in text:
        if char in OPENERS:
            depth += 1
        elif char in OPENERS.values():
            depth -= 1
        if depth == 0 and char in "、，,；;":
            names.append(current)
            current = ""
        else:
            current += char
    names.append(current)
    return _trimmed(names)


def _trimmed(names: list[str]) -> list[str]:
    found = [name.strip() for name in names if name.strip()]
    if found and len(found[-1]) > 2 and found[-1].endswith("等"):
        found[-1] = found[-1][:-1]  # 区财政局等: the list ends, the unit is 区财政局
    return found


_PHRASE = re.compile(r"^(?:由)?(?P<lead>[^，,；;。：:]+?)牵头(?:[，,、；;]\s*(?P<rest>.+?))?[。]?$")
_OTHERS = re.compile(
    r"^(?:由)?(?P<units>.+?)"
    r"(?P<verb>按职责分工负责|按职责负责|分工负责|负责落实|配合落实|负责|配合|参与|协办|落实)$"
)


def parse_phrase(inner: str) -> dict[str, list[str]]:
    """Units by role from a sentence: 局法规科牵头，局属各单位按职责分工负责; {} if not one."""
    found = _PHRASE.match(inner.strip())
    if found is None or LABEL.search(inner):
        return {}
    roles = {"lead": unit_names(found.group("lead"))}
    rest = found.group("rest")
    if rest:
        others = _OTHERS.match(rest.strip())
        if others is None:
            return {}  # what follows is not units and a verb: not an assignment
        role = (
            "support"
            if others.group("verb") in ("配合", "参与", "协办", "配合落实")
            else "responsible"
        )
        roles[role] = unit_names(others.group("units"))
    return roles if all(roles.values()) else {}


def read_assignment(inner: str) -> dict[str, list[str]]:
    """Units by role from an assignment in labels or in a phrase; {} if it is neither."""
    # The same bracket is asked about several times during an import, and many repeat.
    return {role: list(names) for role, names in _read_assignment(inner).items()}


@functools.lru_cache(maxsize=4096)
def _read_assignment(inner: str) -> dict[str, tuple[str, ...]]:
    found = parse_assignment(inner) if is_assignment_text(inner) else parse_phrase(inner)
    return {role: tuple(names) for role, names in found.items()}
