"""The assignment in brackets after a clause: 牵头单位：…，责任单位：… read into units by role."""

from __future__ import annotations

import re

# 牵头科室：, 责任单位和科室：, 配合单位:, 牵头股室： … a role word, a short label, a colon.
LABEL = re.compile(r"(牵头|责任|配合|参与|协办)[^：:，,；;（）()、。]{0,6}\s*[：:]")
OPENERS = {"（": "）", "(": ")", "〔": "〕"}
ROLE_OF = {
    "牵头": "lead",
    "责任": "responsible",
    "配合": "support",
    "参与": "support",
    "协办": "support",
}


def is_assignment_text(inner: str) -> bool:
    """Tell whether bracketed text starts with a role label such as 牵头单位：."""
    return LABEL.match(inner.strip()) is not None


def parse_assignment(inner: str) -> dict[str, list[str]]:
    """Units by role from 牵头科室：局法规科、组教科，责任单位和科室：局属各单位 and the like."""
    roles: dict[str, list[str]] = {}
    labels = list(LABEL.finditer(inner))
    for i, label in enumerate(labels):
        stop = labels[i + 1].start() if i + 1 < len(labels) else len(inner)
        role = ROLE_OF[label.group(1)]
        roles.setdefault(role, []).extend(_unit_names(inner[label.end() : stop]))
    return roles


def _unit_names(text: str) -> list[str]:
    """Split a unit list at 、 ， and ； that are not inside brackets."""
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
    return [name.strip() for name in names if name.strip()]
