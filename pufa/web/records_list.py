"""The records page's list as plain data: the filters of ``GET /records`` (GET parameters
``year``, ``township``, ``kind``, ``status``, ``from``, ``to``, ``search``, ``page``) turned into
the :class:`pufa.store.Query` ``pufa list`` makes, narrowed to what the user may read, and paged.
"""

from __future__ import annotations

from collections.abc import Mapping

import pendulum

from pufa import dates, names
from pufa.errors import InvalidInput, Problem, render
from pufa.event import Event
from pufa.model import County
from pufa.store import Query, Store
from pufa.users import Role, User, may_read_record
from pufa.value import valueclass

#: records a page
PAGE_SIZE = 50
#: the GET parameters of the filters
FILTERS = ("year", "township", "kind", "status", "from", "to", "search")


@valueclass
class Listing:
    """One page of the list: its records, the total, the page and the number of pages, the
    filters as typed and the problems with them (Chinese lines, as ``pufa list`` prints them)."""

    events: tuple[Event, ...]
    total: int
    page: int
    pages: int
    filters: Mapping[str, str]
    problems: tuple[str, ...] = ()


def _day(county: County, text: str, field: str, today: pendulum.Date) -> str | None:
    """A ``from``/``to`` date (``2026-11-01``, or as people say it) as ``YYYY-MM-DD``."""
    if not text:
        return None
    full, _ = dates.spoken(text, today)
    day = dates.parse_when(full, county.timezone, field=field)
    return (day.date() if isinstance(day, pendulum.DateTime) else day).isoformat()


def _year(text: str, today: pendulum.Date) -> int:
    if not text:
        return today.year
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise InvalidInput.one("year", text, "应为年份,如 2026")
    return int(text)


def query(county: County, user: User, args: Mapping[str, str], today: pendulum.Date) -> Query:
    """The store query of the filters, scoped: a township user's own township, a department
    user's own unit, whatever the filters say; every problem with them raised together."""
    problems: list[Problem] = []
    found: dict[str, object] = {}
    for key, parse in (
        ("year", lambda t: _year(t, today)),
        ("township", lambda t: names.township(county, t).code if t else None),
        ("kind", lambda t: names.kind(t) if t else None),
        ("status", lambda t: names.status(t) if t else None),
        ("from", lambda t: _day(county, t, "from", today)),
        ("to", lambda t: _day(county, t, "to", today)),
    ):
        try:
            found[key] = parse(args.get(key, "").strip())
        except InvalidInput as exc:
            problems += exc.problems
    if problems:
        raise InvalidInput(problems)
    search = args.get("search", "").strip() or None
    township = found["township"]
    if user.role is Role.TOWNSHIP:
        township = user.township
    return Query(
        year=found["year"],  # type: ignore[arg-type]
        kind=found["kind"],  # type: ignore[arg-type]
        township=township,  # type: ignore[arg-type]
        dept=user.dept if user.role is Role.DEPARTMENT else None,
        status=found["status"],  # type: ignore[arg-type]
        first_day=found["from"],  # type: ignore[arg-type]
        last_day=found["to"],  # type: ignore[arg-type]
        search=search,
        places=names.places_containing(county, search) if search else (),
    )


def _page(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 10**6 else 1


def listing(
    county: County, store: Store, user: User, args: Mapping[str, str], today: pendulum.Date
) -> Listing:
    """The page of records the filters ask for, newest first, only those ``user`` may read."""
    filters = {key: args.get(key, "") for key in FILTERS}
    try:
        chosen = query(county, user, args, today)
    except InvalidInput as exc:
        return Listing((), 0, 1, 1, filters, tuple(render(p) for p in exc.problems))
    events = [e for e in reversed(store.events(chosen)) if may_read_record(user, e)]
    pages = max(1, -(-len(events) // PAGE_SIZE))
    page = min(_page(args.get("page", "")), pages)
    shown = events[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    filters["year"] = filters["year"] or str(chosen.year)
    return Listing(tuple(shown), len(events), page, pages, filters)
