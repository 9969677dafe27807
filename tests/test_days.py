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


def test_node_rules(nodes) -> None:  # type: ignore[no-untyped-def]
    """Fixed days, whole months and announced weeks (with a default, or none where dates vary)."""
    assert nodes["constitution-day"].dates(2024) == (D(2024, 12, 4), D(2024, 12, 4))
    assert nodes["civil-code-month"].dates(2024) == (D(2024, 5, 1), D(2024, 5, 31))
    assert nodes["constitution-week"].dates(2020) == (D(2020, 11, 30), D(2020, 12, 6))
    assert nodes["constitution-week"].dates(2022) == (D(2022, 12, 4), D(2022, 12, 10))
    assert nodes["constitution-week"].dates(2026) == (D(2026, 12, 1), D(2026, 12, 7))  # the default
    with pytest.raises(InvalidInput, match="应为已公布日期的年份之一:2023、2024"):
        nodes["cyber-security-week"].dates(2026)


def test_editions_for_the_report(nodes) -> None:  # type: ignore[no-untyped-def]
    """2023 was the 10th 国家宪法日 (first held 2014)."""
    assert nodes["constitution-day"].edition(2023) == 10
