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
# 2024.11.30, 2024-11-30, 2024/11/30: a table's 完成时限 as typed.
NUMERIC = re.compile(
    r"(?<!\d)(?P<year>20\d\d)\s*[.．/／-]\s*(?P<month>\d{1,2})\s*[.．/／-]\s*(?P<day>\d{1,2})(?!\d)"
)
# 11月前, 2024年11月前: by the end of that month (a month named, no day).
MONTH_BY = re.compile(_YEAR + r"(?P<month>\d{1,2})\s*月\s*(?:份)?\s*(?:前|之前|以前)")
QUARTER = re.compile(_YEAR + r"第?(?P<quarter>[一二三四1-4])\s*季度\s*(?:末|底)?")
HALF = re.compile(_YEAR + r"(?P<half>上半年|下半年|年中)")
YEARLY = re.compile(
    r"每年\s*(?P<month>\d{1,2})\s*月\s*(?:(?P<day>\d{1,2})\s*日|底|末)?\s*(?:前|之前)?"
)
ONGOING = re.compile(r"长期坚持|持续推进|长期开展|常态化推进|长期|持续开展")
# Every date pattern below needs a digit, a Chinese quarter, or one of these words.
_DATE_HINT = re.compile(r"[\d１-９一二三四]|半年|年中|年底|年末")
EVERY = {"每季度": "quarter", "每半年": "half-year", "每月": "month"}
# A target: what, compared how, how much, in what. 出庭应诉率不低于80%, 败诉率低于5%, 60学时.
_AMOUNT = r"(\d+(?:\.\d+)?)\s*(%|％|个百分点|学时|课时|小时|篇|件|次|个|项|人次|人|家|所|名|场|期|批|份|条|公里|万元|亿元|天)?"
TARGET = re.compile(
    r"(不低于|不少于|不小于|至少|达到|超过|高于|低于|不高于|不超过|少于|控制在)\s*" + _AMOUNT
)
# 办复率100%, 培训60学时: an amount with its unit and no comparison word.
BARE_TARGET = re.compile(
    r"(?P<name>[\u4e00-\u9fa5]{1,12}率)\s*(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>%|％)"
)
HOURS = re.compile(r"(?<![\d.])(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>学时|课时)")
COMPARISON = {
    "不低于": ">=", "不少于": ">=", "不小于": ">=", "至少": ">=", "达到": ">=",
    "超过": ">", "高于": ">", "低于": "<", "少于": "<", "不高于": "<=", "不超过": "<=",
    "控制在": "<=",
}  # fmt: skip
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4}

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
    if _DATE_HINT.search(sentence) is None:  # most sentences name no time: skip every pattern
        return found
    dated: list[tuple[str | None, str]] = []
    for match in DATE.finditer(sentence):
        dated.append((_date(_year(match, year), match["month"], match["day"]), match.group(0)))
    for match in MONTH_END.finditer(sentence):
        dated.append((_month_end(_year(match, year), int(match["month"])), match.group(0)))
    for match in YEAR_END.finditer(sentence):
        dated.append((f"{_year(match, year)}-12-31", match.group(0)))
    for match in DOTTED.finditer(sentence):
        dated.append((_date(year, match["month"], match["day"]), ""))
    dated += _more_dates(sentence, year)
    seen: set[str] = set()
    for day, phrase in dated:
        if day and day not in seen:  # 每年2月底前 is read by two patterns: one date
            seen.add(day)
            found.append({"date": day, "label": _label(sentence, phrase), "quote": quote})
    return found


def _more_dates(sentence: str, year: int) -> list[tuple[str | None, str]]:
    """2024.11.30, 11月前, 第三季度, 上半年, 每年2月底前 (in the plan's year)."""
    dated: list[tuple[str | None, str]] = []
    for match in NUMERIC.finditer(sentence):
        dated.append((_date(int(match["year"]), match["month"], match["day"]), match.group(0)))
    for match in MONTH_BY.finditer(sentence):  # 前 follows 月 itself: never 月底, never a day
        dated.append((_month_end(_year(match, year), int(match["month"])), match.group(0)))
    for match in QUARTER.finditer(sentence):
        if "每" not in sentence[max(0, match.start() - 1) : match.start()]:
            number = _QUARTER_NUMBER.get(match["quarter"]) or int(match["quarter"])
            dated.append((_month_end(_year(match, year), number * 3), match.group(0)))
    for match in HALF.finditer(sentence):
        if "每" not in sentence[max(0, match.start() - 1) : match.start()]:
            month = 12 if match["half"] == "下半年" else 6
            dated.append((_month_end(_year(match, year), month), match.group(0)))
    for match in YEARLY.finditer(sentence):
        # A yearly rule: in a one-year plan, its date in that year.
        day = match["day"]
        when = _date(year, match["month"], day) if day else _month_end(year, int(match["month"]))
        dated.append((when, match.group(0)))
    return dated


# Date-like words with no one day to them: said in the summary, never guessed.
UNREAD = re.compile(r"(?:20\d\d\s*年\s*)?\d{1,2}\s*月\s*(?:上旬|中旬|下旬|初)")


def unread_dates(text: str) -> list[str]:
    """Words in the text that name a time but no one day: 9月中旬, 10月初."""
    return list(dict.fromkeys(match.group() for match in UNREAD.finditer(text)))


def ongoing(text: str) -> str | None:
    """长期坚持, 持续推进: a duty with no deadline, as the text words it; None otherwise."""
    found = ONGOING.search(text)
    return found.group() if found else None


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
        quote = sentence.rstrip("。；;")
        found = list(TARGET.finditer(sentence))
        for match in found:
            head = re.split(r"[，,。；;、]", sentence[: match.start()])[-1].strip()
            unit = (match.group(3) or "").replace("％", "%")
            targets.append(
                {
                    "name": head or match.group(0),
                    "op": COMPARISON[match.group(1)],
                    "value": match.group(2),
                    "unit": unit,
                    "quote": quote,
                }
            )
        if found:
            continue
        for match in HOURS.finditer(sentence):
            head = re.split(r"[，,。；;、]", sentence[: match.start()])[-1].strip()
            targets.append(
                {"name": head or match.group(0), "op": ">=", "value": match["value"],
                 "unit": match["unit"], "quote": quote}
            )  # fmt: skip
        for match in BARE_TARGET.finditer(sentence):
            targets.append(
                {
                    "name": match["name"],
                    "op": ">=",
                    "value": match["value"],
                    "unit": match["unit"].replace("％", "%"),
                    "quote": quote,
                }
            )
    return targets
