"""Plausibility of a new record: a held activity dated after today, and the same record twice."""

from __future__ import annotations

import pendulum
import pytest

from pufa import records
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.intake import Entry, build
from pufa.model import County
from pufa.store import Query

from .conftest import STAMP

TODAY = pendulum.Date(2026, 11, 29)
FIELDS = {"title": "法律进校园", "township": "南江", "venue": "学校", "materials": "50"}


def entry(day: str, **extra: str) -> Entry:
    """A 法律七进 session at a school in 南江 on ``day``."""
    return Entry("seven-into", {**FIELDS, "date": day, **extra})


def test_a_held_record_after_today_is_refused(county: County) -> None:
    """已开展 on a day after today cannot have happened yet: refused in Chinese, suggesting --planned."""
    with pytest.raises(InvalidInput) as caught:
        build(county, entry("2026-12-10"), today=TODAY)
    assert str(caught.value) == (
        "日期 (--date) = “2026-12-10”: 已开展的活动不能晚于今天(2026-11-29)"
        " — 尚未开展的请登记为计划(--planned)"
    )


def test_a_planned_record_after_today_is_accepted(county: County) -> None:
    """The same day as a plan is fine."""
    assert build(county, entry("2026-12-10", status="planned"), today=TODAY).span.year == 2026


def test_a_held_record_today_is_accepted(county: County) -> None:
    """An activity held today is not in the future."""
    assert build(county, entry("2026-11-29"), today=TODAY).title == "法律进校园"


def test_the_same_record_twice_is_refused(workspace: ws.Workspace, county: County) -> None:
    """Same kind, day, place and title without allow_duplicate: refused, nothing written."""
    with workspace.open() as store:
        records.log(store, county, entry("2024-03-05"), STAMP)
        with pytest.raises(InvalidInput) as caught:
            records.log(store, county, entry("2024-03-05"), STAMP, allow_duplicate=False)
        assert len(store.events(Query())) == 1
    assert str(caught.value) == (
        "标题 (--title) = “法律进校园”: 与记录 #1 重复(同类型、同一天、同一地点、同标题)"
        " — 确是另一场活动时请改标题,或加 --allow-duplicate 照样登记"
    )


def test_another_title_the_same_day_is_not_a_duplicate(
    workspace: ws.Workspace, county: County
) -> None:
    """A second session with its own title the same day is kept."""
    with workspace.open() as store:
        records.log(store, county, entry("2024-03-05"), STAMP)
        records.log(
            store, county, entry("2024-03-05", title="法律进乡村"), STAMP, allow_duplicate=False
        )
        assert len(store.events(Query())) == 2
