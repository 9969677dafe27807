"""The national 普法 calendar (days, months, announced weeks) and China's working days.

Nodes are data (``campaigns/calendar.toml``, read by :mod:`pufa.load`). Working days come from the
``holidays`` package: public holidays and their substitute days off are not working days, and a
weekend day that is a make-up working day (调休) is. A year the package has no 调休 data for is an
error, not a guess.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from functools import cache

import attrs
import pendulum

from pufa.errors import InvalidInput
from pufa.model import DATE_MAX
from pufa.value import valueclass


class Rule(enum.Enum):
    """How a node's dates are found in a year."""

    DAY = "day"
    MONTH = "month"
    WEEK = "week"
    NTH_WEEKDAY = "nth-weekday"


#: weekday names as plans and the calendar write them, Monday first (pendulum: Monday = 0)
WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


@valueclass
class Node:
    """A national day, month, announced week or n-th weekday of a month that campaigns hang on
    (国家宪法日, 民法典宣传月, 宪法宣传周, 全民国防教育日 …)."""

    key: str
    name: str
    rule: Rule
    first_year: int
    month: int = 0
    day: int = 0
    default: tuple[str, str] | None = None  #: "MM-DD" start and end, for announced weeks
    announced: Mapping[int, tuple[str, str]] = attrs.field(factory=dict)
    weekday: int = 0  #: for an n-th weekday rule: Monday = 0 … Sunday = 6
    nth: int = 0  #: for an n-th weekday rule: 1–4 (the third Saturday: nth = 3, weekday = 5)

    def assumed(self, year: int) -> bool:
        """Whether ``year``'s dates are the ``default`` guess, not announced ones."""
        return self.rule is Rule.WEEK and year not in self.announced and self.default is not None

    def dates(self, year: int) -> tuple[pendulum.Date, pendulum.Date]:
        """The first and last day of this node in ``year``."""
        if self.rule is Rule.DAY:
            day = pendulum.Date(year, self.month, self.day)
            return day, day
        if self.rule is Rule.MONTH:
            first = pendulum.Date(year, self.month, 1)
            return first, first.add(days=first.days_in_month - 1)
        if self.rule is Rule.NTH_WEEKDAY:
            first = pendulum.Date(year, self.month, 1)
            ahead = (self.weekday - first.day_of_week) % 7
            day = first.add(days=ahead + 7 * (self.nth - 1))
            return day, day
        span = self.announced.get(year, self.default)
        if span is None:
            years = _runs(sorted(self.announced)) or "无"
            raise InvalidInput.one(
                f"节点 {self.name}",
                year,
                f"应为已公布日期的年份之一:{years}",
                "在 calendar.toml 的 announced 中补上当年日期",
            )
        start, end = (pendulum.Date(year, int(d[:2]), int(d[3:])) for d in span)
        return start, end

    def edition(self, year: int) -> int:
        """Which edition ``year`` is: 国家宪法日 2023 is the 10th (first held 2014)."""
        return year - self.first_year + 1


def _runs(years: list[int]) -> str:
    """``2014–2025、2027``: sorted years, consecutive ones as a range."""
    runs: list[list[int]] = []
    for year in years:
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return "、".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


class WorkingDays:
    """China's working days for the years the ``holidays`` package has 调休 data for."""

    def __init__(self, years: range) -> None:
        import holidays

        self._holidays = holidays.country_holidays("CN", years=years)
        self._makeup = {d for d in self._holidays.weekend_workdays if d.year in years}
        for year in years:
            if not any(d.year == year for d in self._makeup):
                raise InvalidInput.one(
                    "年份",
                    year,
                    "应为 holidays 包已有放假调休安排的年份(国务院每年公布)",
                    "升级 holidays 包(pip install -U holidays)后再排",
                )

    def holiday(self, day: pendulum.Date) -> bool:
        """Whether ``day`` falls in a public-holiday break (放假): a day off whose run of days off
        holds a public holiday or substitute day off, so 国庆's 2024-10-05 Saturday counts too."""
        if day in self:
            return False
        for step in (1, -1):
            probe = day
            while probe not in self:
                if probe in self._holidays:
                    return True
                probe = probe.add(days=step)
        return False

    def __contains__(self, day: pendulum.Date) -> bool:
        """Whether ``day`` is a working day: Monday–Friday not a holiday, or a make-up Saturday/Sunday."""
        if day in self._makeup:
            return True
        return day.day_of_week < 5 and day not in self._holidays  # pendulum: Monday = 0

    def between(self, first: pendulum.Date, last: pendulum.Date) -> Iterator[pendulum.Date]:
        """The working days from ``first`` to ``last``, both included."""
        day = first
        while day <= last:
            if day in self:
                yield day
            day = day.add(days=1)


@cache
def planned_years() -> range:
    """The years a plan may be for: those the ``holidays`` package has 调休 data for (the
    first to the last year with a make-up working day; 2001–2026 in holidays 0.109)."""
    import holidays

    found = holidays.country_holidays("CN", years=range(1990, DATE_MAX.year + 1))
    years = sorted({d.year for d in found.weekend_workdays})
    return range(years[0], years[-1] + 1)


@cache
def working_days(year: int) -> WorkingDays:
    """The working days of one year (cached: the holidays data is built once per process)."""
    return WorkingDays(range(year, year + 1))
