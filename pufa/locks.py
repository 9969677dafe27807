"""Month locks: the county office checks a township's month and locks it (pure rules, no I/O).

A lock is kept per place and month: a township (its code), or the county itself (its 6-digit
code) for the records without a township — the departments' (县直部门) records. A record belongs
to the month of its first day in the county's zone. The store keeps every lock and unlock as an
appended row (:mod:`pufa.store.locks`); the current state of a (place, month) is its latest row.

:func:`locked_problem` is the rule every write obeys: a change that touches a locked month — the
record's month before the change or after it — is refused unless the office gives a reason
(an *override*), and the override is written into the revision's reason after
:data:`OVERRIDE_PREFIX`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

import pendulum

from pufa.errors import InvalidInput, Problem
from pufa.model import County
from pufa.value import valueclass

#: the start of a revision's reason when the office changed a locked month's record
OVERRIDE_PREFIX = "〔锁定月份修改〕"
#: what a refused clerk is told to do
ASK_THE_OFFICE = "该月已由县普法办核对锁定;如需修改,请联系县普法办,由其填写理由后修改"
#: the fewest characters of an override or unlock reason
REASON_MIN = 4
#: the name of the county-level place (records without a township)
COUNTY_LEVEL = "县直部门"


@valueclass
class Lock:
    """One lock or unlock of a place's month: who, when, why. ``place`` is a township code, or
    the county's code for its departments' records."""

    place: str
    year: int
    month: int
    locked: bool
    by: str
    at: pendulum.DateTime
    reason: str = ""
    id: int | None = None

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.place, self.year, self.month)


class _Span(Protocol):
    @property
    def first_day(self) -> pendulum.Date: ...


class Placed(Protocol):
    """What the rule needs of a record (an :class:`~pufa.event.Event`): its township and days."""

    @property
    def township(self) -> str | None: ...

    @property
    def span(self) -> _Span: ...


def month_key(county: County, record: Placed) -> tuple[str, int, int]:
    """The (place, year, month) a record belongs to: its township (or the county's code) and the
    month of its first day."""
    day = record.span.first_day
    return (record.township or county.code, day.year, day.month)


def touched(
    county: County, before: Placed | None, after: Placed | None
) -> list[tuple[str, int, int]]:
    """The months a change touches: the record's month before and after (one when it stays)."""
    keys = [month_key(county, r) for r in (before, after) if r is not None]
    return sorted(set(keys))


def place_name(county: County, place: str) -> str:
    """A lock's place in words: the township's name, or 县直部门 for the county's code."""
    if place == county.code:
        return COUNTY_LEVEL
    for township in county.townships:
        if township.code == place:
            return township.name
    return place


def month_text(year: int, month: int) -> str:
    """``2026年10月``."""
    return f"{year}年{month}月"


def refusal(county: County, lock: Lock) -> str:
    """Why a change is refused: whose month, locked by whom and when, and what to do."""
    at = lock.at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm")
    return (
        f"{place_name(county, lock.place)} {month_text(lock.year, lock.month)} "
        f"已于 {at} 由 {lock.by} 锁定"
    )


def locked_problem(
    county: County, locks: Iterable[Lock], before: Placed | None, after: Placed | None
) -> Problem | None:
    """The refusal of a change from ``before`` to ``after`` (either None: an add or a void) when it
    touches a locked month; None when it does not. ``locks`` are current states (latest rows)."""
    current = {lock.key: lock for lock in locks if lock.locked}
    for key in touched(county, before, after):
        if key in current:
            lock = current[key]
            value = month_text(lock.year, lock.month)
            return Problem("locked_month", value, refusal(county, lock), ASK_THE_OFFICE)
    return None


def override_reason(text: str | None, option: str = "--locked-reason") -> str | None:
    """The office's reason to change a locked month (None when not given); too short is refused."""
    if text is None:
        return None
    reason = text.strip()
    if len(reason) < REASON_MIN:
        raise InvalidInput.one(
            "locked_reason",
            text,
            f"应写明修改已锁定月份的理由(至少 {REASON_MIN} 个字)",
            f"如 {option} 乡镇补报漏登的活动",
        )
    return reason


def audited(reason: str | None, override: str | None) -> str | None:
    """The revision's reason when ``override`` was used: the prefix, the override, then the
    change's own reason (if any)."""
    if override is None:
        return reason
    return f"{OVERRIDE_PREFIX}{override}" + (f";{reason}" if reason else "")


_MONTH = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?\s*$")


def parse_month(text: str | None) -> tuple[int, int]:
    """``2026-10`` (or ``2026年10月``) as (year, month)."""
    found = _MONTH.match(text or "")
    month = int(found.group(2)) if found else 0
    if found is None or not 1 <= month <= 12 or not 2000 <= int(found.group(1)) <= 2100:
        raise InvalidInput.one("month", text, "应为年月,如 2026-10(2026年10月)")
    return int(found.group(1)), month
