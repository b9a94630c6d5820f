"""Dates and quantified targets stated in a task's text, each with the sentence that states it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from plantrack.core.periods import month_end

# An explicit year (2024年6月30日前) wins over the plan's year; most texts leave it out.
_YEAR = r"(?:(?P<year>20\d\d)\s*年\s*)?"
DATE = re.compile(_YEAR + r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日\s*(?:前|之前|以前)?")
MONTH_END = re.compile(_YEAR + r"(?P<month>\d{1,2})\s*月\s*(?:底|末)\s*(?:前|之前)?")
YEAR_END = re.compile(r"(?:(?P<year>20\d\d)\s*)?年\s*(?:底|末)\s*(?:前|之前)")
DOTTED = re.compile(r"(?<![\d.])(?P<month>\d{1,2})·(?P<day>\d{1,2})(?![\d])")
EVERY = {"每季度": "quarter", "每半年": "half-year", "每月": "month"}
TARGET = re.compile(r"(不低于|不少于|至少|达到)\s*(\d+(?:\.\d+)?)\s*(%|％|篇|件|次|个|项|人)?")

Deadline = dict[str, str]


def sentences(text: str) -> Iterable[str]:
    """The text cut after each 。 ； or ;."""
    for sentence in re.split(r"(?<=[。；;])", text):
        if sentence.strip():
            yield sentence.strip()


def find_deadlines(text: str, year: int) -> list[Deadline]:
    """Dates, month ends, year ends, recurring duties and 12·4-style days, with their sentence."""
    found: list[Deadline] = []
    for sentence in sentences(text):
        found += _in_sentence(sentence, year)
    return found


def _in_sentence(sentence: str, year: int) -> list[Deadline]:
    quote = sentence.rstrip("。；;")
    found: list[Deadline] = []
    for word, every in EVERY.items():
        if word in sentence:
            found.append({"every": every, "label": _label(sentence, word), "quote": quote})
    dated: list[tuple[str | None, str]] = []
    for match in DATE.finditer(sentence):
        dated.append((_date(_year(match, year), match["month"], match["day"]), match.group(0)))
    for match in MONTH_END.finditer(sentence):
        dated.append((_month_end(_year(match, year), int(match["month"])), match.group(0)))
    for match in YEAR_END.finditer(sentence):
        dated.append((f"{_year(match, year)}-12-31", match.group(0)))
    for match in DOTTED.finditer(sentence):
        dated.append((_date(year, match["month"], match["day"]), ""))
    for day, phrase in dated:
        if day:
            found.append({"date": day, "label": _label(sentence, phrase), "quote": quote})
    return found


def _year(match: re.Match[str], year: int) -> int:
    return int(match["year"]) if match["year"] else year


def _date(year: int, month: str, day: str) -> str | None:
    try:
        return dt.date(year, int(month), int(day)).isoformat()
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
    for sentence in sentences(text):
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
