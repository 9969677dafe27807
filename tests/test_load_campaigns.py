"""pufa.load.campaigns: the national calendar and plans read whole; the pure checks they use.

The broken-plan messages are pinned in tests/test_scheduling.py.
"""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from pufa.errors import InvalidInput
from pufa.load.campaigns import load_calendar, parse_span, parse_window, window_fits

from .conftest import DATA

MARCH = (pendulum.Date(2024, 3, 1), pendulum.Date(2024, 3, 31))


def test_a_span_is_two_month_days() -> None:
    """["12-01", "12-07"] is a span."""
    assert parse_span(["12-01", "12-07"]) == ("12-01", "12-07")


@pytest.mark.parametrize(
    "value",
    [["12-1", "12-07"], ["13-01", "12-07"], ["12-01"], "12-01", ["2024-12-01", "12-07"], None],
    ids=["one-digit-day", "month-13", "one-day", "text", "with-year", "missing"],
)
def test_other_spans_are_refused(value: object) -> None:
    """Anything but two `MM-DD` strings is no span."""
    assert parse_span(value) is None


def test_a_window_is_two_iso_dates() -> None:
    """["2024-03-01", "2024-03-31"] is a window of two dates."""
    assert parse_window(["2024-03-01", "2024-03-31"]) == MARCH


@pytest.mark.parametrize(
    "span",
    [["2024-03-01"], ["2024-03-01", "2024-03-31", "2024-04-01"], ["2024-13-01", "2024-03-31"], 5],
    ids=["one-date", "three-dates", "month-13", "number"],
)
def test_other_windows_are_refused(span: object) -> None:
    """Not two dates, an impossible date or not a list: no window."""
    assert parse_window(span) is None


def test_a_window_inside_the_year_fits() -> None:
    """March 2024 fits a 2024 plan."""
    assert window_fits(MARCH, 2024)


def test_a_reversed_window_does_not_fit() -> None:
    """A window ending before it starts does not fit."""
    assert not window_fits((MARCH[1], MARCH[0]), 2024)


def test_a_window_reaching_into_another_year_does_not_fit() -> None:
    """A window ending in January 2025 does not fit a 2024 plan."""
    assert not window_fits((MARCH[0], pendulum.Date(2025, 1, 31)), 2024)


def test_broken_calendar_reports_every_problem_with_lines() -> None:
    """Unknown rule, impossible day, month 13, unknown key, bad spans, a duplicate node: at once."""
    path = DATA / "calendar-broken.toml"
    with pytest.raises(InvalidInput) as caught:
        load_calendar(path)
    lines = [str(p).replace(str(path), "calendar-broken.toml") for p in caught.value.problems]
    assert lines == [
        "calendar-broken.toml:5: nodes[1].rule = “dya”: 应为规则之一:day、month、week、nth-weekday — 是否指 day?",
        "calendar-broken.toml:15: nodes[2].day = 30: 应为该月存在的日子",
        "calendar-broken.toml:24: nodes[3].colour = “colour”: 应为已知的键之一:announced、day、"
        "default、first_year、key、month、name、nth、rule、weekday",
        "calendar-broken.toml:22: nodes[3].month = 13: 应为 1–12",
        "calendar-broken.toml:31: nodes[4].default = ['12-01', '12-4']: 应为 "
        '["MM-DD", "MM-DD"](起止日期)',
        "calendar-broken.toml:26: nodes[4].announced.2024 = “12-01”: 应为 "
        '["MM-DD", "MM-DD"](起止日期)',
        "calendar-broken.toml:38: nodes[5].key = “constitution-week”: 在日历中唯一的节点名 — 重复定义",
    ]


def test_a_broken_nth_weekday_node_reports_its_weekday_and_nth(tmp_path: Path) -> None:
    """An n-th weekday node with 周六 in traditional script (週六) and nth = 5: both problems, with lines and a hint."""
    path = tmp_path / "calendar.toml"
    path.write_text(
        '[[nodes]]\nkey = "defence"\nname = "全民国防教育日"\nrule = "nth-weekday"\nmonth = 9\n'
        'weekday = "週六"\nnth = 5\nfirst_year = 2001\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        load_calendar(path)
    assert [str(p).replace(str(path), "calendar.toml") for p in caught.value.problems] == [
        "calendar.toml:6: nodes[1].weekday = “週六”: 应为星期之一:周一、周二、周三、周四、周五、"
        "周六、周日 — 是否指 周六?",
        "calendar.toml:7: nodes[1].nth = 5: 应为 1–4(每月第几个该星期几)",
    ]
