"""Chinese numerals as documents number sections and headings: 一 to 九十九, and back."""

from __future__ import annotations

NUMERALS = "一二三四五六七八九十"
# A Chinese input method types ２０２３－１０－０８ as readily as 2023-10-08.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．－：ｄｗｍＤＷＭＱｑ", "0123456789.-:dwmDWMQq")


def half_width(text: str) -> str:
    """Full-width digits and the marks around them in numbers and dates, as ASCII."""
    return text.translate(_HALF_WIDTH)


def to_chinese(number: int) -> str:
    """1 to 99 as 一 to 九十九."""
    if number <= 10:
        return NUMERALS[number - 1]
    tens, ones = divmod(number, 10)
    return f"{'' if tens == 1 else NUMERALS[tens - 1]}十{NUMERALS[ones - 1] if ones else ''}"


def from_chinese(text: str) -> int:
    """一 to 九十九 as 1 to 99."""
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + NUMERALS.index(text[1]) + 1
    if text.endswith("十"):
        return (NUMERALS.index(text[0]) + 1) * 10
    if "十" in text:
        return (NUMERALS.index(text[0]) + 1) * 10 + NUMERALS.index(text[2]) + 1
    return NUMERALS.index(text) + 1
