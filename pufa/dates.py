"""Dates and spans as people type them (``2024-03-05``, ``2024/3/5``, ``2024年3月5日``, with an
optional ``HH:MM``), parsed in the county's time zone; every mistake an :class:`InvalidInput`.

:func:`spoken` turns dates as people say them (今天, 昨天, 3月5日, 上周五 …) into the full form,
relative to a given today, for the CLI to echo back before it saves anything."""

from __future__ import annotations

import functools
import re

import pendulum

from pufa.errors import InvalidInput
from pufa.model import DATE_MAX, DATE_MIN, Span, When

# patterns as text: `re` compiles each on first use and keeps it (nothing compiled at import)
_DATE = (
    r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[T\s]\s*(\d{1,2})\s*[:：]\s*(\d{2}))?\s*$"
)
_TIME = r"^\s*(\d{1,2})\s*[:：]\s*(\d{2})\s*$"
DATE_FORMS = "日期 YYYY-MM-DD(也可 2024/3/5、2024年3月5日),可带时间 HH:MM"
#: the forms :func:`spoken` understands, for help texts and messages
SPOKEN_FORMS = "今天、昨天、前天、3月5日、3-5、上周五、本周三、周五"
_DAYS_AGO = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}
_WEEKDAYS = "一二三四五六日天"  # Monday … Sunday (日 and 天 both Sunday)
_MONTH_DAY = r"^(\d{1,2})\s*(?:月\s*(\d{1,2})\s*[日号]?|[-/]\s*(\d{1,2}))$"
_WEEKDAY = r"^(上|本|这)?\s*(?:周|星期|礼拜)([一二三四五六日天])$"
_TRAILING_TIME = r"^(.*?)(?:\s+(\d{1,2}\s*[:：]\s*\d{2}))?$"


def spoken_day(phrase: str, today: pendulum.Date) -> pendulum.Date | str | None:
    """The day ``phrase`` names, said relative to ``today`` (weeks start on Monday): 今天/today,
    昨天/yesterday, 前天; 3月5日, 3-5, 3/5 in today's year (as ``YYYY-MM-DD`` text, which
    :func:`parse_when` checks); 上周五 (last week's), 本周三 (this week's), 周五 (the latest
    Friday, today included). ``None`` when it is none of these."""
    text = phrase.strip().lower()
    if text in _DAYS_AGO:
        return today.subtract(days=_DAYS_AGO[text])
    month_day = re.match(_MONTH_DAY, text)
    if month_day:
        month, day = month_day.group(1), month_day.group(2) or month_day.group(3)
        return f"{today.year}-{int(month):02d}-{int(day):02d}"
    weekday = re.match(_WEEKDAY, text)
    if weekday is None:
        return None
    wanted = min(_WEEKDAYS.index(weekday.group(2)), 6)  # 0 = Monday
    monday = today.subtract(days=today.weekday())
    if weekday.group(1) == "上":
        return monday.subtract(days=7 - wanted)
    if weekday.group(1):
        return monday.add(days=wanted)
    return today.subtract(days=(today.weekday() - wanted) % 7)


def spoken(text: str, today: pendulum.Date) -> tuple[str, str | None]:
    """``text`` with a spoken date (:func:`spoken_day`, an ``HH:MM`` after it kept) written out in
    full, and the phrase as said; any other text unchanged, with ``None``."""
    match = re.match(_TRAILING_TIME, text.strip())
    assert match is not None  # the pattern matches any text
    day = spoken_day(match.group(1), today)
    if day is None:
        return text, None
    full = day if isinstance(day, str) else day.isoformat()
    time = match.group(2)
    return (f"{full} {time}" if time else full), text.strip()


def echo(label: str, full: str, phrase: str | None) -> str:
    """The line that shows what a date was taken to be: ``日期:2026-11-27(上周五)``."""
    return f"{label}:{full}({phrase})" if phrase else f"{label}:{full}"


def parse_when(text: str, tz: str, *, field: str = "date") -> When:
    """``2024-03-05`` → Date; ``2024-03-05 09:30`` → DateTime in ``tz``; else :class:`InvalidInput`."""
    match = re.match(_DATE, text)
    if not match:
        raise InvalidInput.one(field, text, f"应为{DATE_FORMS}")
    year, month, day = (int(match.group(i)) for i in (1, 2, 3))
    if not 1 <= month <= 12:
        raise InvalidInput.one(field, text, "不是存在的日期:月份为 1–12")
    low, high = DATE_MIN, DATE_MAX
    if (
        not (low.year, low.month, low.day)
        <= (year, month, day)
        <= (high.year, high.month, high.day)
    ):
        raise InvalidInput.one(field, text, f"应在 {low.isoformat()} 至 {high.isoformat()} 之间")
    last = pendulum.Date(year, month, 1).days_in_month
    if not 1 <= day <= last:
        raise InvalidInput.one(field, text, f"不是存在的日期:{year}年{month}月只有 {last} 天")
    if match.group(4) is None:
        return pendulum.Date(year, month, day)
    hour, minute = int(match.group(4)), int(match.group(5))
    if hour > 23 or minute > 59:
        raise InvalidInput.one(field, text, "不是存在的时间:HH 为 0–23,MM 为 0–59")
    return pendulum.datetime(year, month, day, hour, minute, tz=tz)


def parse_end(start: When, text: str | None, tz: str) -> When:
    """The end of a span starting at ``start``: a date, a date-time, or (timed start) ``HH:MM``."""
    field = "end"
    if text is None or not text.strip():
        return start
    time_only = re.match(_TIME, text)
    if time_only:
        if not isinstance(start, pendulum.DateTime):
            raise InvalidInput.one(field, text, "应为日期:开始是全天活动,结束不能只写时间")
        hour, minute = int(time_only.group(1)), int(time_only.group(2))
        if hour > 23 or minute > 59:
            raise InvalidInput.one(field, text, "不是存在的时间:HH 为 0–23,MM 为 0–59")
        return start.set(hour=hour, minute=minute)
    end = parse_when(text, tz, field=field)
    if isinstance(start, pendulum.DateTime) and not isinstance(end, pendulum.DateTime):
        raise InvalidInput.one(field, text, "应带时间(开始带时间),如 11:30 或 2024-03-05 11:30")
    if not isinstance(start, pendulum.DateTime) and isinstance(end, pendulum.DateTime):
        raise InvalidInput.one(field, text, "应为不带时间的日期(开始是全天活动)")
    return end


@functools.lru_cache(maxsize=1024)
def parse_span(start_text: str, end_text: str | None, tz: str) -> Span:
    """Start and optional end as typed; no end means a single day (or a point in time).

    Spans are immutable and a ledger repeats its dates, so parsed spans are kept (an error is not).
    """
    start = parse_when(start_text, tz)
    return Span(start, parse_end(start, end_text, tz))


def moved_span(old: Span, start_text: str | None, end_text: str | None, tz: str) -> Span:
    """An edited span: a new start keeps the old length unless a new end is given."""
    start = parse_when(start_text, tz) if start_text else old.start
    if end_text:
        return Span(start, parse_end(start, end_text, tz))
    if isinstance(start, pendulum.DateTime) and isinstance(old.start, pendulum.DateTime):
        assert isinstance(old.end, pendulum.DateTime)
        return Span(start, start + (old.end - old.start))
    if not isinstance(start, pendulum.DateTime) and not isinstance(old.start, pendulum.DateTime):
        return Span(start, start.add(days=(old.end - old.start).days))
    return Span(start, start)  # the form changed (all-day ↔ timed): a single day or instant
