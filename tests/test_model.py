"""pufa.model: the building blocks — measures and their units, spans — and their validators."""

from __future__ import annotations

import pendulum
import pytest

from pufa.errors import InvalidInput
from pufa.model import Measure, Span

DAY = pendulum.Date(2024, 3, 5)


def test_measure_units_follow_the_report() -> None:
    """Units are written as the report writes them."""
    assert {m.slug: m.unit for m in Measure} == {
        "sessions": "场次", "participants": "人次", "materials": "份", "banners": "幅",
        "screens": "条", "items": "条", "trainees": "人次", "certified": "人", "passed": "人",
    }  # fmt: skip


def test_end_before_start_is_rejected() -> None:
    """A span may not end before it starts."""
    with pytest.raises(InvalidInput) as caught:
        Span(pendulum.Date(2024, 3, 5), pendulum.Date(2024, 3, 4))
    assert str(caught.value) == "结束 (--end) = “2024-03-04”: 不能早于开始 2024-03-05"


def test_span_mixing_date_and_time_is_rejected() -> None:
    """Both ends are dates (all-day) or both are times."""
    with pytest.raises(InvalidInput):
        Span(DAY, pendulum.datetime(2024, 3, 5, 9, tz="Asia/Shanghai"))


def test_span_forms() -> None:
    """All-day, multi-day and timed spans read as the list shows them."""
    assert Span(DAY, DAY).text() == "2024-03-05"
    assert Span(DAY, DAY.add(days=2)).text() == "2024-03-05 ~ 2024-03-07"
    start = pendulum.datetime(2024, 3, 5, 9, 30, tz="Asia/Shanghai")
    timed = Span(start, start.add(hours=2))
    assert timed.text() == "2024-03-05 09:30 ~ 11:30"
    assert not timed.all_day
    assert timed.first_day == DAY
