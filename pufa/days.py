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


@valueclass
class Node:
    """A national day, month or announced week that campaigns hang on (国家宪法日, 民法典宣传月 …)."""

    key: str
    name: str
    rule: Rule
    first_year: int
    month: int = 0
    day: int = 0
    default: tuple[str, str] | None = None  #: "MM-DD" start and end, for announced weeks
    announced: Mapping[int, tuple[str, str]] = attrs.field(factory=dict)

    def dates(self, year: int) -> tuple[pendulum.Date, pendulum.Date]:
        """The first and last day of this node in ``year``."""
        if self.rule is Rule.DAY:
            day = pendulum.Date(year, self.month, self.day)
            return day, day
        if self.rule is Rule.MONTH:
            first = pendulum.Date(year, self.month, 1)
            return first, first.add(days=first.days_in_month - 1)
        span = self.announced.get(year, self.default)
        if span is None:
            years = "、".join(str(y) for y in sorted(self.announced)) or "无"
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
