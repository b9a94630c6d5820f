"""The assignment after a clause read into units by role: in labels (牵头单位：…，责任单位：…)
or in a phrase (局法规科牵头，局属各单位按职责分工负责). Import and `check` share it."""

from __future__ import annotations

import functools
import re

from plantrack.core.wording import ROLE_OF_WORD

# 牵头科室：, 责任单位和科室：, 配合单位:, 牵头股室： … a role word, a short label, a colon.
# 牵头领导：张三 names a person, not a unit: it is kept as written but assigns nothing.
LABEL = re.compile(
    r"(牵头|责任|配合|参与|协办|负责(?!人))(?![^：:]{0,6}领导)[^：:，,；;（）()、。]{0,6}\s*[：:]"
)
# Any label, people's included: where one unit list stops and the next label begins.
ANY_LABEL = re.compile(
    r"(牵头|责任|配合|参与|协办|分管|负责)[^：:，,；;（）()、。]{0,6}\s*[：:]"
    r"|(?:完成时限|完成时间|时间要求|时限要求|时限)\s*[：:]"
    # Any other short label after a break (适用范围：, 备注：) ends the unit list before it.
    r"|(?<=[；;，,。\s])[\u4e00-\u9fa5]{2,6}\s*[：:]"
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
ROLE_OF = ROLE_OF_WORD | {"负责": "responsible"}


# What an import draft writes where a clause names no unit: `check` refuses it until filled in.
TO_FILL_IN = "〔待填写〕"


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
        if label.group(1) not in ROLE_OF or "领导" in label.group(0) or "负责人" in label.group(0):
            continue  # 牵头领导：张三 names a person
        stop = labels[i + 1].start() if i + 1 < len(labels) else len(inner)
        role = ROLE_OF[label.group(1)]
        roles.setdefault(role, []).extend(unit_names(inner[label.end() : stop]))
    return with_marked_leads({role: names for role, names in roles.items() if names})


# 省司法厅（牵头）in a list of units: that unit leads.
_LEAD_MARK = re.compile(r"\s*[（(]\s*牵头\s*[）)]\s*$")


def with_marked_leads(roles: dict[str, list[str]]) -> dict[str, list[str]]:
    """Units marked （牵头） in any list moved to the leads, without the mark."""
    marked = [n for names in roles.values() for n in names if _LEAD_MARK.search(n)]
    if not marked:
        return roles
    leads = [_LEAD_MARK.sub("", n) for n in marked]
    moved = {
        role: [n for n in names if not _LEAD_MARK.search(n)]
        for role, names in roles.items()
        if role != "lead"
    }
    lead = list(dict.fromkeys([*roles.get("lead", []), *leads]))
    return {"lead": lead, **{role: names for role, names in moved.items() if names}}


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
    roles = {"lead": _names(found.group("lead"))}
    rest = found.group("rest")
    if rest:
        # 国务院相关部门按职责分工负责，2022年底前完成: units and a verb, then a time.
        first, *more = [part.strip() for part in _SEGMENT.split(rest) if part.strip()] or [""]
        others = _OTHERS.match(first)
        if others is None:
            return {}  # what follows is not units and a verb: not an assignment
        roles[_phrase_role(others.group("verb"))] = _names(others.group("units"))
        for part in more:
            extra = _OTHERS.match(part)
            if extra is not None and _all_units(names := _names(extra.group("units"))):
                roles.setdefault(_phrase_role(extra.group("verb")), []).extend(names)
    return roles if all(roles.values()) else {}


def _phrase_role(verb: str) -> str:
    return "support" if verb in ("配合", "参与", "协办", "配合落实") else "responsible"


# --- units and a verb, with no label: （人力资源社会保障部、财政部负责） ----------------------

# The rule a document states once for the brackets that follow: the first unit leads.
# （…负责。列第一位者为牵头单位，下同）, （…负责，排在第一位的部门为牵头部门，下同）
LEAD_RULE = re.compile(
    r"(?:列|排|排列|排在)(?:在)?(?:于)?第一位的?(?:者|单位|部门|机构)?为牵头(?:单位|部门|机构)?"
)


def lead_rule(text: str) -> str | None:
    """The words in which a document states that the first unit leads, if it does."""
    found = _STATED_RULE.search(text)
    return found.group().strip("，, ") if found else None


_STATED_RULE = re.compile(LEAD_RULE.pattern + r"(?:[，,]?\s*下同)?")
_VERBS = (
    "牵头负责", "按职责分工负责", "按职责负责", "分工负责", "共同负责", "分别负责", "负责落实",
    "负责实施", "负责", "按职责分工落实", "组织实施",
)  # fmt: skip
_UNLABELLED = re.compile(r"^(?:由)?(?P<units>[^：:]+?)(?P<verb>" + "|".join(_VERBS) + r")$")
_SUPPORTING = re.compile(r"^(?:由)?(?P<units>[^：:]+?)(?:配合|参与|协办|协助)$")
_WITH = re.compile(r"^(?P<lead>[^，,；;]+?)会同(?P<others>.+)$")
# 和/及 before a collective joins it to the list: A、B等和各有关省级人民政府.
_AND_COLLECTIVE = re.compile(r"(?:等)?(?:和|及|以及|与)(?=各|有关|相关)")
# 工业和信息化部等国务院相关部门: 等 closes the list before a collective.
_ETC_COLLECTIVE = re.compile(r"等(?=(?:国务院|省|市|区|县|局)?(?:相关|有关|其他|各))")
_SEGMENT = re.compile(r"[。；;，,]")
# Words of a sentence, not of a unit's name: （所需经费由地方财政负责） assigns nothing.
_NOT_IN_A_NAME = re.compile(
    r"[的将把要在并是使即若如]|应当|应该|所需|确保|结合|实际|经费|资金|其他"
)
UNIT_ENDINGS = (
    "部", "委", "局", "厅", "署", "办", "院", "会", "行", "处", "科", "室", "股", "中心", "政府",
    "单位", "部门", "机构", "机关", "队", "所", "站", "公司", "集团", "银行", "协会", "组", "团",
    "馆", "台", "社", "校", "大学", "总局", "总署", "街道", "乡镇", "镇", "乡", "地区", "各地",
    "联", "协", "中央",
)  # fmt: skip


def parse_unlabelled(inner: str, *, first_leads: bool = False) -> dict[str, list[str]]:
    """Units by role from units and a verb: （A、B负责）, （A会同B负责）, （A、B牵头负责）.

    With first_leads (the document says 列第一位者为牵头单位, in this bracket or before),
    the first unit of a plain list leads. Sentences after the units (…，各地结合实际落实)
    are the document's, not units. {} if the bracket is not units and a verb.
    """
    segments = [part.strip() for part in _SEGMENT.split(inner.strip()) if part.strip()]
    # The units and their verb may follow a time: （2024年底前完成，国家发展改革委负责）.
    matches = ((i, found) for i, seg in enumerate(segments) if (found := _units_and_verb(seg)))
    at, found = next(matches, (None, None))
    if at is None or found is None:
        return {}
    first_leads = first_leads or LEAD_RULE.search(inner) is not None
    roles = with_marked_leads(_roles_of(found["units"], found["verb"], first_leads=False))
    if first_leads and "lead" not in roles:
        roles = _roles_of(found["units"], found["verb"], first_leads=True)
    for segment in segments[at + 1 :]:
        supporting = _SUPPORTING.match(segment)
        if supporting is not None and _all_units(names := _names(supporting["units"])):
            roles.setdefault("support", []).extend(names)
    return roles if roles and all(_all_units(names) for names in roles.values()) else {}


def _units_and_verb(segment: str) -> re.Match[str] | None:
    """A segment that is units and a verb, every name a unit's: 国家发展改革委、财政部负责."""
    found = _UNLABELLED.match(segment)
    if found is None:
        return None
    together = _WITH.match(found["units"])
    names = (
        _names(together["lead"]) + _names(together["others"])
        if together
        else _names(found["units"])
    )
    return found if _all_units(names) else None


def _roles_of(units: str, verb: str, *, first_leads: bool) -> dict[str, list[str]]:
    together = _WITH.match(units)
    if together is not None:  # A会同B、C: A leads, the others share
        others = _names(together["others"])
        return {"lead": _names(together["lead"]), **({"responsible": others} if others else {})}
    names = _names(units)
    if verb == "牵头负责":
        return {"lead": names}
    if first_leads and names:
        rest = names[1:]
        return {"lead": names[:1], **({"responsible": rest} if rest else {})}
    return {"responsible": names}


def _names(text: str) -> list[str]:
    names = unit_names(_ETC_COLLECTIVE.sub("、", _AND_COLLECTIVE.sub("、", text)))
    return [name[:-1] if len(name) > 2 and name.endswith("等") else name for name in names]


def _all_units(names: list[str]) -> bool:
    """Tell whether every name reads as a unit or a collective, not as words of a sentence."""
    return bool(names) and all(_is_unit_name(name) for name in names)


def _is_unit_name(name: str) -> bool:
    name = _LEAD_MARK.sub("", name)
    if not 2 <= len(name) <= 40 or _NOT_IN_A_NAME.search(name):
        return False
    collective = name.startswith(("各", "有关", "相关")) or "各" in name[:4]
    return collective or REMARK.sub("", name).endswith(UNIT_ENDINGS)


def parse_bare(inner: str, *, first_leads: bool = False) -> dict[str, list[str]]:
    """Units alone: （省交通运输厅、省发展改革委）. The first leads under the document's rule."""
    names = _names(inner)
    if not _all_units(names):
        return {}
    if any(_LEAD_MARK.search(name) for name in names):
        return with_marked_leads({"responsible": names})
    if first_leads:
        return {"lead": names[:1], **({"responsible": names[1:]} if names[1:] else {})}
    return {"responsible": names}


def read_assignment(
    inner: str, *, first_leads: bool = False, bare: bool = False
) -> dict[str, list[str]]:
    """Units by role from an assignment in labels, in a phrase, or as units and a verb.

    first_leads: the document's rule that the first unit listed leads (LEAD_RULE) is in force.
    bare: units with no verb count too (the bracket closes a sentence, or is known to assign).
    {} if the bracket is none of these.
    """
    # The same bracket is asked about several times during an import, and many repeat.
    found = _read_assignment(inner, first_leads, bare)
    return {role: list(names) for role, names in found.items()}


@functools.lru_cache(maxsize=4096)
def _read_assignment(inner: str, first_leads: bool, bare: bool) -> dict[str, tuple[str, ...]]:
    if is_assignment_text(inner):
        found = parse_assignment(inner)
    else:
        found = parse_phrase(inner) or parse_unlabelled(inner, first_leads=first_leads)
        if not found and bare:
            found = parse_bare(inner, first_leads=first_leads)
    return {role: tuple(names) for role, names in found.items()}
