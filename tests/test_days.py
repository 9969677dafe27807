"""pufa.days: national nodes and China's working days (holidays and 调休)."""

from __future__ import annotations

import pendulum
import pytest

from pufa.days import working_days
from pufa.errors import InvalidInput
from pufa.load import load_calendar

from .conftest import ROOT

D = pendulum.Date


@pytest.fixture(scope="module")
def nodes():  # type: ignore[no-untyped-def]
    return load_calendar(ROOT / "campaigns" / "calendar.toml")


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2024, 3, 11), True),  # an ordinary Monday
        (D(2024, 3, 9), False),  # an ordinary Saturday
        (D(2024, 2, 4), True),  # Sunday, a 调休 make-up working day before the Spring Festival
        (D(2024, 2, 15), False),  # Thursday, a substitute day off
        (D(2024, 9, 29), True),  # Sunday, make-up day before National Day
        (D(2024, 10, 1), False),  # 国庆
        (D(2024, 10, 12), True),  # Saturday, make-up day after National Day
    ],
)
def test_working_days_follow_holidays_and_makeup_days(day: pendulum.Date, working: bool) -> None:
    """A make-up Saturday or Sunday is a working day; 国庆 and substitute days off are not."""
    assert (day in working_days(day.year)) is working


def test_a_year_without_holiday_data_is_an_error() -> None:
    """No 调休 data for the year (not yet announced): an error that says so, not a guess."""
    with pytest.raises(InvalidInput) as caught:
        working_days(2099)
    assert str(caught.value) == (
        "年份 = 2099: 应为 holidays 包已有放假调休安排的年份(国务院每年公布) — 升级 holidays 包(pip install -U holidays)后再排"
    )


@pytest.mark.parametrize(
    ("key", "year", "first", "last"),
    [
        ("constitution-day", 2024, D(2024, 12, 4), D(2024, 12, 4)),  # a fixed day
        ("civil-code-month", 2024, D(2024, 5, 1), D(2024, 5, 31)),  # a whole month
        ("constitution-week", 2020, D(2020, 11, 30), D(2020, 12, 6)),  # announced
        ("constitution-week", 2022, D(2022, 12, 4), D(2022, 12, 10)),  # announced
        ("constitution-week", 2026, D(2026, 12, 1), D(2026, 12, 7)),  # not announced: the default
        ("cyber-security-week", 2025, D(2025, 9, 15), D(2025, 9, 21)),  # announced, no default
    ],
    ids=["day", "month", "week-2020", "week-2022", "week-default", "cyber-2025"],
)
def test_node_dates(nodes, key: str, year: int, first: D, last: D) -> None:  # type: ignore[no-untyped-def]
    """Fixed days, whole months and announced weeks give their first and last day."""
    assert nodes[key].dates(year) == (first, last)


def test_an_unannounced_week_without_default_is_an_error(nodes) -> None:  # type: ignore[no-untyped-def]
    """国家网络安全宣传周 2026 is not in the calendar: an error naming the years that are, no guess."""
    with pytest.raises(InvalidInput, match="应为已公布日期的年份之一:2014–2025 — "):
        nodes["cyber-security-week"].dates(2026)


@pytest.mark.parametrize(
    ("year", "day"), [(2024, D(2024, 9, 21)), (2025, D(2025, 9, 20)), (2026, D(2026, 9, 19))]
)
def test_defence_education_day_is_the_third_saturday_of_september(nodes, year: int, day: D) -> None:  # type: ignore[no-untyped-def]
    """全民国防教育日 (an n-th weekday node) falls on September's third Saturday."""
    assert nodes["national-defence-education-day"].dates(year) == (day, day)


@pytest.mark.parametrize(
    ("key", "year", "day"),
    [
        ("lei-feng-day", 2024, D(2024, 3, 5)),
        ("womens-day", 2024, D(2024, 3, 8)),
        ("ip-day", 2024, D(2024, 4, 26)),
        ("environment-day", 2024, D(2024, 6, 5)),
        ("land-day", 2024, D(2024, 6, 25)),
        ("fire-day", 2023, D(2023, 11, 9)),
        ("aids-day", 2023, D(2023, 12, 1)),
    ],
)
def test_fixed_day_nodes_fall_on_their_day(nodes, key: str, year: int, day: D) -> None:  # type: ignore[no-untyped-def]
    """3·5, 3·8, 4·26, 6·5, 6·25, 11·9 and 12·1 are fixed days."""
    assert nodes[key].dates(year) == (day, day)


@pytest.mark.parametrize(
    ("key", "name", "year", "edition"),
    [
        ("constitution-day", "国家宪法日", 2023, 10),
        ("lei-feng-day", "3·5学雷锋纪念日", 2024, 61),
        ("womens-day", "3·8国际劳动妇女节", 2024, 114),
        ("ip-day", "4·26世界知识产权日", 2024, 24),
        ("environment-day", "6·5世界环境日", 2024, 53),
        ("land-day", "6·25全国土地日", 2024, 34),
        ("anti-drug-day", "6·26国际禁毒日", 2023, 36),
        ("national-defence-education-day", "全民国防教育日", 2024, 24),
        ("fire-day", "11·9全国消防日", 2023, 32),
        ("aids-day", "12·1世界艾滋病日", 2023, 36),
    ],
)
def test_editions_for_the_report(nodes, key: str, name: str, year: int, edition: int) -> None:  # type: ignore[no-untyped-def]
    """Each node's name and edition as official notices say it (2023 = 第36个国际禁毒日)."""
    assert (nodes[key].name, nodes[key].edition(year)) == (name, edition)


def test_a_default_week_is_assumed_and_an_announced_one_is_not(nodes) -> None:  # type: ignore[no-untyped-def]
    """宪法宣传周 2026 uses the default dates (assumed); 2025's were announced."""
    week = nodes["constitution-week"]
    assert (week.assumed(2026), week.assumed(2025)) == (True, False)


def test_market_weekdays_skip_public_holidays() -> None:
    """2024-10-02 (a Wednesday in 国庆) is a holiday; 2024-10-09, the next Wednesday, is not."""
    days = working_days(2024)
    assert (days.holiday(D(2024, 10, 2)), days.holiday(D(2024, 10, 9))) == (True, False)
