"""The year's plan as a month calendar: weeks (Monday first) × days, each with its records.

Pure: :func:`month_grid` lays out one month from :class:`Entry` lines (:func:`entries` makes them
from records) and China's working days (:func:`pufa.days.working_days`): a working day, a weekend,
a public-holiday break (放假) or a weekend made a working day (调休上班). :func:`pufa.overview.load_month`
reads the records from the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pendulum

from pufa.days import WEEKDAYS, WorkingDays
from pufa.errors import InvalidInput
from pufa.event import Event
from pufa.model import DATE_MAX, County, Labelled, Status
from pufa.value import valueclass

#: records are looked up this many days before the month too, so a long one begun earlier shows
LONGEST_SPAN = 31

#: the first year a calendar is drawn for
FIRST_YEAR = 2000


class DayKind(Labelled):
    """What kind of day a calendar day is (labels: :data:`pufa.vocab.ENUMS`)."""

    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP = "makeup"


@valueclass
class Entry:
    """One record as a calendar shows it: no people, no counts."""

    id: int
    title: str
    place: str  #: the township's (or department's) name
    status: Status
    first: pendulum.Date
    last: pendulum.Date

    @property
    def status_label(self) -> str:
        return self.status.label


@valueclass
class Day:
    """One cell of the calendar."""

    date: pendulum.Date
    in_month: bool  #: False: a day of the month before or after, filling the first or last week
    kind: DayKind
    entries: tuple[Entry, ...] = ()

    @property
    def is_working_day(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP)


@valueclass
class MonthGrid:
    """A month as weeks of seven days, Monday first."""

    year: int
    month: int
    weeks: tuple[tuple[Day, ...], ...]
    #: False: the holidays package has no 调休 for the year; only weekends are marked
    holidays_known: bool = True

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"

    @property
    def weekdays(self) -> tuple[str, ...]:
        """The column headers, Monday first."""
        return WEEKDAYS

    @property
    def previous(self) -> tuple[int, int]:
        return (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)

    @property
    def next(self) -> tuple[int, int]:
        return (self.year, self.month + 1) if self.month < 12 else (self.year + 1, 1)


def check_month(year: int, month: int) -> None:
    """Refuses a month a calendar cannot show (nothing read)."""
    if not FIRST_YEAR <= year <= DATE_MAX.year:
        raise InvalidInput.one(
            "年份", year, f"应为 {FIRST_YEAR}–{DATE_MAX.year} 之间的年份",
            str(min(max(year, FIRST_YEAR), DATE_MAX.year)),
        )  # fmt: skip
    if not 1 <= month <= 12:
        raise InvalidInput.one("月份", month, "应为 1–12", str(min(max(month, 1), 12)))


def _date(when: pendulum.Date) -> pendulum.Date:
    """The local date of a date or date-time."""
    return when.date() if isinstance(when, pendulum.DateTime) else when


def entries(county: County, events: Iterable[Event]) -> tuple[Entry, ...]:
    """The records (voided ones left out) as calendar entries, by first day then id."""
    out = []
    for event in events:
        if event.voided is not None or event.id is None:
            continue
        if event.township is not None:
            place = county.township(event.township).name
        else:
            place = county.department(str(event.dept)).name
        first, last = _date(event.span.start), _date(event.span.end)
        out.append(Entry(event.id, event.title, place, event.status, first, last))
    return tuple(sorted(out, key=lambda e: (e.first, e.id)))


def kind_of(day: pendulum.Date, working: WorkingDays | None) -> DayKind:
    """Whether ``day`` is a working day, a weekend, in a holiday break, or a 调休 working weekend."""
    weekend = day.day_of_week >= 5  # pendulum: Monday = 0
    if working is None:
        return DayKind.WEEKEND if weekend else DayKind.WORKDAY
    if day in working:
        return DayKind.MAKEUP if weekend else DayKind.WORKDAY
    return DayKind.HOLIDAY if working.holiday(day) else DayKind.WEEKEND


def month_grid(
    year: int, month: int, events: Sequence[Entry], working_days: WorkingDays | None
) -> MonthGrid:
    """``year``-``month`` as whole weeks, Monday first; each day with its kind and the entries
    on it (an entry over several days is on each of them)."""
    check_month(year, month)
    first = pendulum.Date(year, month, 1)
    start = first.subtract(days=first.day_of_week)
    last = first.add(days=first.days_in_month - 1)
    end = last.add(days=6 - last.day_of_week)
    weeks = []
    day = start
    while day <= end:
        week = []
        for _ in range(7):
            mine = tuple(e for e in events if e.first <= day <= e.last)
            week.append(Day(day, day.month == month, kind_of(day, working_days), mine))
            day = day.add(days=1)
        weeks.append(tuple(week))
    return MonthGrid(year, month, tuple(weeks), working_days is not None)
