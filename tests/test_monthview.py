"""The plan as a month calendar (pufa/monthview.py, pufa/overview.load_month) and its partial
_month.html: Monday-first weeks, 春节 holidays and 调休 make-up days, records on their days."""

from __future__ import annotations

import html5lib
import jinja2
import pendulum
import pytest

from pufa import days, overview
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.model import Status
from pufa.monthview import DayKind, Entry, MonthGrid, month_grid

from .conftest import invoke_ok


def feb_2026(entries: tuple[Entry, ...] = ()) -> MonthGrid:
    return month_grid(2026, 2, entries, days.working_days(2026))


def kinds(grid: MonthGrid) -> dict[int, DayKind]:
    """The kind of each day of the month, by its number."""
    return {d.date.day: d.kind for week in grid.weeks for d in week if d.in_month}


def render(grid: MonthGrid) -> str:
    """_month.html as a page would include it, with a plain link maker."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("pufa.web"), autoescape=True)
    return env.get_template("_month.html").render(
        grid=grid, link=lambda year, month: f"/calendar/{year}/{month:02d}"
    )


def test_weeks_start_on_monday() -> None:
    """Every week is seven days from a Monday; the first holds the 1st and the last the 28th."""
    grid = feb_2026()
    assert all(len(week) == 7 and week[0].date.day_of_week == 0 for week in grid.weeks)
    assert grid.weeks[0][0].date == pendulum.Date(2026, 1, 26)
    assert grid.weeks[-1][-1].date == pendulum.Date(2026, 3, 1)
    assert grid.weekdays[0] == "周一"


def test_spring_festival_days_off_are_holidays() -> None:
    """2026's 春节 break, 15–23 February, is marked 节假日 (its weekdays too)."""
    found = kinds(feb_2026())
    assert all(found[day] is DayKind.HOLIDAY for day in range(15, 24))


def test_makeup_working_weekends_are_marked() -> None:
    """Saturdays 14 and 28 February 2026 are 调休 working days."""
    found = kinds(feb_2026())
    assert found[14] is DayKind.MAKEUP
    assert found[28] is DayKind.MAKEUP
    assert found[7] is DayKind.WEEKEND
    assert found[9] is DayKind.WORKDAY
    assert DayKind.MAKEUP.label == "调休上班"


def test_entries_sit_on_each_of_their_days() -> None:
    """A one-day entry is on its day only; a three-day one on each of its three days."""
    one = Entry(
        1,
        "讲座",
        "禾丰布依族苗族乡",
        Status.PLANNED,
        pendulum.Date(2026, 2, 10),
        pendulum.Date(2026, 2, 10),
    )
    three = Entry(
        2,
        "集中宣传",
        "硒城街道",
        Status.HELD,
        pendulum.Date(2026, 2, 26),
        pendulum.Date(2026, 2, 28),
    )
    grid = feb_2026((one, three))
    placed = {
        d.date.day: [e.id for e in d.entries] for week in grid.weeks for d in week if d.in_month
    }
    assert {day: ids for day, ids in placed.items() if ids} == {10: [1], 26: [2], 27: [2], 28: [2]}


def test_a_year_without_holiday_data_marks_weekends_only() -> None:
    """Without 调休 data (None), Saturdays and Sundays are weekends and the grid says so."""
    grid = month_grid(2026, 2, (), None)
    assert not grid.holidays_known
    assert kinds(grid)[14] is DayKind.WEEKEND
    assert kinds(grid)[16] is DayKind.WORKDAY


def test_a_wrong_month_is_refused() -> None:
    """Month 13 is an InvalidInput naming 月份 and the nearest valid month."""
    with pytest.raises(InvalidInput) as caught:
        month_grid(2026, 13, (), None)
    assert caught.value.problems[0].hint == "12"


def test_previous_and_next_cross_the_year() -> None:
    """January's previous month is last December; December's next is next January."""
    assert month_grid(2026, 1, (), None).previous == (2025, 12)
    assert month_grid(2026, 12, (), None).next == (2027, 1)


@pytest.mark.usefixtures("today")
def test_load_month_places_the_stores_records(workspace: ws.Workspace) -> None:
    """Records logged in February 2026 are on their days with their township and status; a voided
    one is not shown, nor another township's when one is asked for."""
    invoke_ok(workspace.root, "log", "lecture", "-d", "2026-02-10", "-t", "禾丰乡",
              "--title", "民法典讲座", "-p", "40")  # fmt: skip
    invoke_ok(workspace.root, "log", "lecture", "-d", "2026-02-26", "-t", "硒城街道",
              "--title", "宪法讲座", "-p", "30")  # fmt: skip
    invoke_ok(workspace.root, "log", "lecture", "-d", "2026-02-27", "-t", "硒城街道",
              "--title", "作废的讲座", "-p", "30")  # fmt: skip
    invoke_ok(workspace.root, "void", "3", "--reason", "重复登记")
    county = workspace.county()
    with workspace.open() as store:
        grid = overview.load_month(county, store, 2026, 2)
        mine = overview.load_month(county, store, 2026, 2, township="禾丰乡")
    placed = {
        (d.date.day, e.title, e.place, e.status) for w in grid.weeks for d in w for e in d.entries
    }
    assert placed == {
        (10, "民法典讲座", "禾丰布依族苗族乡", Status.HELD),
        (26, "宪法讲座", "硒城街道", Status.HELD),
    }
    assert [e.title for w in mine.weeks for d in w for e in d.entries] == ["民法典讲座"]


def test_the_partial_is_valid_html() -> None:
    """_month.html renders to HTML html5lib reads strictly, with a header row Monday first."""
    text = render(feb_2026())
    html5lib.HTMLParser(strict=True).parseFragment(text)
    assert text.index("周一") < text.index("周日")
    assert 'class="day day-holiday"' in text
    assert 'class="day day-makeup"' in text


def test_the_partial_links_to_the_neighbouring_months() -> None:
    """Previous and next links come from the `link` callable passed in."""
    text = render(month_grid(2026, 1, (), None))
    assert 'href="/calendar/2025/12"' in text
    assert 'href="/calendar/2026/02"' in text


def test_the_partial_escapes_titles() -> None:
    """A <script> title shows as text."""
    bad = Entry(
        9,
        "<script>alert(1)</script>",
        "硒城街道",
        Status.PLANNED,
        pendulum.Date(2026, 2, 3),
        pendulum.Date(2026, 2, 3),
    )
    text = render(feb_2026((bad,)))
    assert "<script>" not in text
    assert "&lt;script&gt;" in text
