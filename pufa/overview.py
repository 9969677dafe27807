"""The library calls behind the web pages that look at a year: the dashboard and the month calendar.

Each is one call on an open store, so a web route only checks who may see what and renders:
:func:`load_dashboard` (the year against its targets, :mod:`pufa.dashboard`) and :func:`load_month`
(the plan as a month calendar, :mod:`pufa.monthview`).
"""

from __future__ import annotations

import pendulum

from pufa import dashboard, days, monthview, names, tally, yearly
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.model import County
from pufa.store import Query, Store


def load_dashboard(
    workspace: ws.Workspace,
    county: County,
    store: Store,
    year: int,
    as_of: pendulum.Date | None = None,
    township: str | None = None,
    dept: str | None = None,
) -> dashboard.Dashboard:
    """The dashboard of ``year`` as of ``as_of`` (default today, at most its 31 Dec) for the county,
    one township (a code) or one department (a slug): the same tally as ``pufa summary``."""
    if township is not None and dept is not None:
        raise InvalidInput.one("部门", dept, "不能与乡镇同时指定", "只选乡镇或只选部门")
    scope = county.name
    if township is not None:
        place = names.township(county, township)
        scope, township = place.name, place.code
    goals = yearly.read_goals(workspace, county, year)
    data = yearly.load_year(county, store, goals, as_of, township)
    summary, cells, distinct = data.summary, data.cells, data.distinct
    if dept is not None:
        unit = names.department(county, dept)
        scope, dept = unit.name, unit.slug
        cells = tuple(c for c in cells if c["dept"] == dept)
        distinct = {k: tuple(c for c in v if c["dept"] == dept) for k, v in distinct.items()}
        summary = tally.summarise(
            goals.targets, goals.indicators, cells, distinct, county, summary.as_of
        )
    return dashboard.build(
        county, goals.targets, goals.indicators, summary, cells,
        scope=scope, dept=dept, demo=workspace.demo,
    )  # fmt: skip


def load_month(
    county: County, store: Store, year: int, month: int, township: str | None = None
) -> monthview.MonthGrid:
    """``year``-``month`` as a calendar: the days (working, weekend, holiday, 调休) and the records
    on each (planned, held, cancelled; not voided), for the county or one township (a code)."""
    monthview.check_month(year, month)
    township = None if township is None else names.township(county, township).code
    first = pendulum.Date(year, month, 1)
    last = first.add(days=first.days_in_month - 1)
    query = Query(
        township=township,
        first_day=first.subtract(days=monthview.LONGEST_SPAN).isoformat(),
        last_day=last.isoformat(),
    )
    entries = monthview.entries(county, store.events(query))
    try:
        working: days.WorkingDays | None = days.working_days(year)
    except InvalidInput:  # a year the holidays package has no 调休 for yet: weekends only
        working = None
    return monthview.month_grid(year, month, entries, working)
