"""Dates and periods as the user gives them: --as-of, --within, --quarter, --from/--to."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import NamedTuple

from plantrack.core.errors import UsageError
from plantrack.core.numerals import half_width


class Period(NamedTuple):
    """A closed date range, such as a quarter."""

    start: dt.date
    end: dt.date
    label: str

    def contains(self, day: dt.date) -> bool:
        """Tell whether day falls inside the period, both ends included."""
        return self.start <= day <= self.end

    @property
    def slug(self) -> str:
        """The period as a file name part: 2023Q4, 2023, or 2023-01-01_2023-12-31."""
        if self.quarter_number is not None:
            return self.label
        if self.is_year:
            return str(self.start.year)
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    @property
    def is_year(self) -> bool:
        """Tell whether the period is a calendar year asked for with --year."""
        return self.label == year_label(self.start.year)

    @property
    def quarter_number(self) -> int | None:
        """1–4 when the period is a calendar quarter, else None."""
        if self.label.endswith(("Q1", "Q2", "Q3", "Q4")) and self.start.day == 1:
            return int(self.label[-1])
        return None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month, from the calendar rather than by adding days."""
    first_of_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_of_next - dt.timedelta(days=1)


def quarter(year: int, number: int) -> Period:
    """The calendar quarter `number` (1–4) of `year`."""
    start = dt.date(year, number * 3 - 2, 1)
    return Period(start, month_end(year, number * 3), f"{year}Q{number}")


def year_label(year: int) -> str:
    """How a year-long report period is named: 2023年度."""
    return f"{year}年度"


def year_period(year: int) -> Period:
    """The calendar year, as the annual report covers it."""
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), year_label(year))


def custom_period(start: dt.date, end: dt.date) -> Period:
    """A report period given by --from and --to."""
    return Period(start, end, f"{start.isoformat()} 至 {end.isoformat()}")


def next_period(period: Period) -> Period:
    """The period that follows: the next quarter, as many whole months, or as many days."""
    number = period.quarter_number
    if number is not None:
        return quarter(period.start.year + number // 4, number % 4 + 1)
    if period.is_year:
        return year_period(period.start.year + 1)
    start = period.end + dt.timedelta(days=1)
    months = _whole_months(period)
    if months:
        # 2023-01-01 to 2023-12-31 is followed by all of 2024, 31 December included.
        end = _add_months(start, months) - dt.timedelta(days=1)
    else:
        end = start + (period.end - period.start)
    return custom_period(start, end)


def _whole_months(period: Period) -> int:
    """How many whole calendar months the period spans, or 0 if it does not span whole months."""
    if period.start.day != 1 or period.end != month_end(period.end.year, period.end.month):
        return 0
    return (period.end.year - period.start.year) * 12 + period.end.month - period.start.month + 1


def parse_quarter(text: str, as_of: dt.date) -> Period:
    """Read 2023Q3, current or previous (relative to as_of)."""
    value = half_width(text).strip().lower()
    current = (as_of.month - 1) // 3 + 1
    if value == "current":
        return quarter(as_of.year, current)
    if value == "previous":
        return quarter(as_of.year, current - 1) if current > 1 else quarter(as_of.year - 1, 4)
    head, sep, tail = value.partition("q")
    if sep and re.fullmatch(r"[0-9]{4}", head) and tail in ("1", "2", "3", "4"):
        return quarter(_year_in_range(int(head), f"--quarter 的值“{text}”"), int(tail))
    raise UsageError(
        f"--quarter 的值“{text}”无效：应为 2023Q3、current（本季度）或 previous（上季度）"
    )


def report_period(
    quarter_text: str | None,
    start: str | None,
    end: str | None,
    as_of: dt.date,
    year: int | None = None,
) -> Period:
    """The period a report covers: --year, --from/--to, else --quarter, else the current quarter."""
    if year is not None:
        if quarter_text or start or end:
            raise UsageError("--year 是全年报告，不能与 --quarter、--from、--to 同用")
        return year_period(_year_in_range(year, f"--year 的值 {year}"))
    if start or end:
        if quarter_text or not (start and end):
            raise UsageError("自定义报告期须同时给出 --from 和 --to，且不能与 --quarter 同用")
        first = parse_date(start, option="--from")
        last = parse_date(end, option="--to")
        if first > last:
            raise UsageError(f"--from {first} 晚于 --to {last}")
        return custom_period(first, last)
    return parse_quarter(quarter_text or "current", as_of)


FIRST_YEAR, LAST_YEAR = 1900, 2999  # the years a plan may have (model.Plan.year)
LONGEST_WINDOW_DAYS = 3660  # ten years: further ahead is a slip of the keyboard


_WRITTEN_DATE = re.compile(r"(\d{4})\s*[年./／—–－-]\s*(\d{1,2})\s*[月./／—–－-]\s*(\d{1,2})\s*日?")


def written_date(text: str) -> dt.date | None:
    """The day 2023-10-31, 2023年10月31日, 2023/10/31 or ２０２３－１０－３１ names, if real."""
    found = _WRITTEN_DATE.fullmatch(half_width(text).strip())
    if found is None:
        return None
    year, month, day = (int(part) for part in found.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str, *, option: str) -> dt.date:
    """Parse a date from the command line (2023-10-01 or 2023年10月1日), or explain the form."""
    if not text.strip():
        raise UsageError(
            f"{option} 的日期为空：应为 YYYY-MM-DD，例如 2023-10-01；不写该选项即为今天"
        )
    day = written_date(text)
    if day is None:
        raise UsageError(f"{option} 的日期“{text}”无效：应为 YYYY-MM-DD，例如 2023-10-01")
    _year_in_range(day.year, f"{option} 的日期“{text}”")
    return day


def _year_in_range(year: int, what: str) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(f"{what}超出范围：年份应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间")
    return year


def parse_window(text: str, as_of: dt.date) -> int:
    """Turn --within (30, 30d, 2w, 1m) into a number of days after as_of."""
    value = half_width(text).strip().lower()
    unit = value[-1] if value and value[-1] in "dwm" else "d"
    number = value[:-1] if value and value[-1] in "dwm" else value
    if not re.fullmatch(r"[0-9]{1,9}", number):
        raise UsageError(f"--within 的值“{text}”无效：应为天数或 14d、2w、1m 这样的写法")
    count = int(number)
    if unit == "w":
        days = count * 7
    elif unit == "m":
        days = (_add_months(as_of, min(count, 1200)) - as_of).days
    else:
        days = count
    if days > LONGEST_WINDOW_DAYS:
        raise UsageError(f"--within 的值“{text}”太大：最多 {LONGEST_WINDOW_DAYS} 天（十年）")
    return days


def _add_months(day: dt.date, months: int) -> dt.date:
    # Clamp to the month's last day so 1-31 plus one month is 2-28, not 3-03.
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, month_end(year, month).day))


def today(as_of: str | None = None) -> dt.date:
    """The date to compute against: --as-of, then $PLANTRACK_TODAY, then the system date."""
    if as_of is not None:
        return parse_date(as_of, option="--as-of")
    env = os.environ.get("PLANTRACK_TODAY")
    if env is not None:
        return parse_date(env, option="环境变量 PLANTRACK_TODAY")
    return dt.date.today()
