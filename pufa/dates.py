"""Dates and spans as people type them (``2024-03-05``, ``2024/3/5``, ``2024年3月5日``, with an
optional ``HH:MM``), parsed in the county's time zone; every mistake an :class:`InvalidInput`."""

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
