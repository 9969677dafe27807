"""Dates as people say them (pufa.dates.spoken), at a fixed today, and their echo."""

from __future__ import annotations

import pendulum
import pytest

from pufa.dates import echo, spoken

#: Sunday 2026-11-29, the suite's "today" for the current year
SUNDAY = pendulum.Date(2026, 11, 29)
#: Friday 2027-01-01: the week and the year both turn
NEW_YEAR = pendulum.Date(2027, 1, 1)


@pytest.mark.parametrize(
    ("said", "full"),
    [
        ("今天", "2026-11-29"),
        ("today", "2026-11-29"),
        ("昨天", "2026-11-28"),
        ("Yesterday", "2026-11-28"),
        ("前天", "2026-11-27"),
    ],
)
def test_days_ago(said: str, full: str) -> None:
    """今天, 昨天, 前天 and their English forms count back from today."""
    assert spoken(said, SUNDAY) == (full, said)


@pytest.mark.parametrize("said", ["3月5日", "3月5号", "3月5", "3-5", "3/5", " 3 月 5 日 "])
def test_month_and_day_is_this_year(said: str) -> None:
    """A month and day without a year is in today's year."""
    assert spoken(said, SUNDAY)[0] == "2026-03-05"


@pytest.mark.parametrize(
    ("said", "full"),
    [("上周五", "2026-11-20"), ("上星期一", "2026-11-16"), ("上周日", "2026-11-22")],
)
def test_last_week(said: str, full: str) -> None:
    """上周X is that day of the week before this one (weeks start on Monday)."""
    assert spoken(said, SUNDAY)[0] == full


@pytest.mark.parametrize(("said", "full"), [("本周三", "2026-11-25"), ("这周一", "2026-11-23")])
def test_this_week(said: str, full: str) -> None:
    """本周X / 这周X is that day of the current week."""
    assert spoken(said, SUNDAY)[0] == full


@pytest.mark.parametrize(
    ("said", "full"), [("周五", "2026-11-27"), ("星期天", "2026-11-29"), ("礼拜六", "2026-11-28")]
)
def test_bare_weekday_is_the_latest(said: str, full: str) -> None:
    """A bare weekday is the most recent such day, today included."""
    assert spoken(said, SUNDAY)[0] == full


def test_yesterday_across_the_new_year() -> None:
    """昨天 on 1 January is 31 December of the year before."""
    assert spoken("昨天", NEW_YEAR)[0] == "2026-12-31"


def test_last_week_across_the_new_year() -> None:
    """上周五 in the first week of a year is in the year before."""
    assert spoken("上周五", NEW_YEAR)[0] == "2026-12-25"


def test_this_week_across_the_new_year() -> None:
    """本周一 in a week that began in December is in December."""
    assert spoken("本周一", NEW_YEAR)[0] == "2026-12-28"


def test_month_day_after_new_year_is_the_new_year() -> None:
    """12-30 typed on 1 January is in the new year (the current year), not the old one."""
    assert spoken("12-30", NEW_YEAR)[0] == "2027-12-30"


def test_time_after_a_spoken_day_is_kept() -> None:
    """昨天 14:30 becomes a full date with the time."""
    assert spoken("昨天 14:30", SUNDAY) == ("2026-11-28 14:30", "昨天 14:30")


def test_full_dates_pass_unchanged() -> None:
    """A date already written in full is returned as typed, with no phrase."""
    assert spoken("2024-03-05", SUNDAY) == ("2024-03-05", None)


def test_echo_names_the_phrase() -> None:
    """The echo shows the full date and, in brackets, what was said."""
    assert echo("日期", "2026-11-27", "周五") == "日期:2026-11-27(周五)"
