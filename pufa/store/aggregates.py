"""The year's aggregate queries (``pufa summary``, ``pufa report``) as pure query builders.

Each function returns ``(sql, params)`` in the neutral ``?`` style and touches no connection:
:class:`~pufa.store.sql.SQLStore` runs them on either engine, and the tests read them directly.
Every query counts the same records (:func:`countable`): the year's, not voided, not cancelled,
and no count over :data:`~pufa.model.COUNT_MAX` (older data, left out so the sums stay exact).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pufa.event import DETAIL_FIELDS
from pufa.model import COUNT_MAX, Measure

#: a statement and its parameters, ready for the store to run
Built = tuple[str, list[Any]]

#: what an indicator can filter or break a tally down by (besides month and status)
CUBE_DIMENSIONS = ("kind", "township", "village", "dept", "venue", "occasion", "mode", "status")
MEASURE_COLUMNS = tuple(m.value for m in Measure)
#: every count of a row within :data:`~pufa.model.COUNT_MAX` (rows beyond it are for db check)
IN_BOUNDS = " AND ".join(f"COALESCE({m}, 0) <= {COUNT_MAX}" for m in MEASURE_COLUMNS)
#: 参训人次 of a training: from its attendance (``training_attendance``) when any is recorded, else
#: the number typed on the record (attendance is looked up for trainings only)
TRAINEES = (
    "CASE WHEN kind = 'literate-training' THEN COALESCE(NULLIF((SELECT COUNT(*)"
    " FROM training_attendance a WHERE a.event_id = events.id), 0), trainees) ELSE trainees END"
)
#: the dimensions, the month and whether the record is due by ``as_of`` (the first parameter)
_KEYS = (
    f"{', '.join(CUBE_DIMENSIONS)}, substr(day, 6, 2) AS month, "
    "CASE WHEN day <= ? THEN 1 ELSE 0 END AS due"
)


def _detail(field: str) -> str:
    """``field`` if it is a kind-specific column (it is spliced into the SQL), else ValueError."""
    if field not in DETAIL_FIELDS:
        raise ValueError(field)
    return field


def countable(year: int, township: str | None = None) -> Built:
    """The WHERE clause (without ``WHERE``) of the records a year's sums count."""
    where = f"year = ? AND voided_reason IS NULL AND status <> 'cancelled' AND {IN_BOUNDS}"
    params: list[Any] = [year]
    if township is not None:
        where += " AND township = ?"
        params.append(township)
    return where, params


def cube(year: int, as_of: str, township: str | None = None) -> Built:
    """The year's countable records summed by every dimension, month and ``due`` (dated on or
    before ``as_of``): one row per combination, however many records there are. A training with
    attendance recorded counts its attendees as 参训人次 (:data:`TRAINEES`)."""
    sums = ", ".join(
        f"SUM({TRAINEES if m == Measure.TRAINEES.value else m}) AS {m}" for m in MEASURE_COLUMNS
    )
    where, params = countable(year, township)
    groups = ", ".join(str(i) for i in range(1, len(CUBE_DIMENSIONS) + 3))
    sql = f"SELECT {_KEYS}, COUNT(*) AS records, {sums} FROM events WHERE {where} GROUP BY {groups}"
    return sql, [as_of, *params]


def distinct(year: int, as_of: str, field: str, township: str | None = None) -> Built:
    """The different values of a kind-specific ``field``, with the dimensions to filter them by."""
    column = _detail(field)
    where, params = countable(year, township)
    sql = (
        f"SELECT DISTINCT {_KEYS}, {column} AS value "
        f"FROM events WHERE {where} AND {column} IS NOT NULL"
    )
    return sql, [as_of, *params]


#: an indicator's ``match``: field → the values it counts
Match = Mapping[str, Sequence[str]]


def record_ids(
    year: int,
    as_of: str,
    kinds: Sequence[str],
    match: Mapping[str, Sequence[str]],
    dept: str | None = None,
) -> Built:
    """Ids of the held records dated by ``as_of`` of ``kinds`` (any, if empty) whose fields take
    one of the ``match`` values (and of one department, with ``dept``): the records behind an
    indicator's figure (``--explain``)."""
    where, params = countable(year)
    if dept is not None:
        where += " AND dept = ?"
        params.append(dept)
    where += " AND status = 'held' AND day <= ?"
    params.append(as_of)
    if kinds:
        where += f" AND kind IN ({', '.join('?' * len(kinds))})"
        params += list(kinds)
    for field, allowed in match.items():
        where += f" AND {_detail(field)} IN ({', '.join('?' * len(allowed))})"
        params += list(allowed)
    return f"SELECT id FROM events WHERE {where} ORDER BY id", params


def left_out(year: int) -> Built:
    """Ids of the year's records not voided whose counts are over the bound, so left out of
    every sum (``pufa db check`` names the fix)."""
    sql = (
        f"SELECT id FROM events WHERE year = ? AND voided_reason IS NULL AND NOT ({IN_BOUNDS}) "
        "ORDER BY id"
    )
    return sql, [year]
