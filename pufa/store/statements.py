"""The statements that write and list records, as text built once from the schema's columns.

Written with ``?`` placeholders like every query of :class:`~pufa.store.sql.SQLStore`; the year's
aggregates are in :mod:`pufa.store.aggregates`.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

import attrs

from pufa.store import Query
from pufa.store.aggregates import Built
from pufa.store.schema import EVENT_COLUMNS

INSERT_EVENT = (
    f"INSERT INTO events (id, {', '.join(EVENT_COLUMNS)}, revision, created_at, created_by, "
    f"updated_at, updated_by) VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 6))})"
)
INSERT_REVISION = (
    "INSERT INTO revisions (event_id, seq, action, changed_at, changed_by, reason, changes) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
UPDATE_EVENT = (
    f"UPDATE events SET {', '.join(f'{c} = ?' for c in EVENT_COLUMNS)}, revision = ?, "
    "updated_at = ?, updated_by = ? WHERE id = ? AND revision = ?"
)
VOID_EVENT = (
    "UPDATE events SET voided_reason = ?, voided_at = ?, voided_by = ?, revision = ?, "
    "updated_at = ?, updated_by = ? WHERE id = ?"
)
#: to_columns(...) → its values in EVENT_COLUMNS order
in_column_order = itemgetter(*EVENT_COLUMNS)


#: Query fields that are not "column = value"
_NOT_EQUAL = frozenset({"include_voided", "first_day", "last_day", "search", "places", "limit"})


def select(query: Query) -> Built:
    """The records ``query`` asks for, ordered by day, start and id (voided ones only if asked)."""
    where: list[str] = []
    params: list[Any] = []
    for column, value in attrs.asdict(query, recurse=False).items():
        if column in _NOT_EQUAL or value is None:
            continue
        where.append(f"{column} = ?")
        params.append(getattr(value, "slug", value))
    for condition, value in (("day >= ?", query.first_day), ("day <= ?", query.last_day)):
        if value is not None:
            where.append(condition)
            params.append(value)
    if query.search is not None:
        where.append(_searched(query, params))
    if not query.include_voided:
        where.append("voided_reason IS NULL")
    sql = "SELECT * FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY day, starts, id"
    if query.limit is not None:
        sql += " LIMIT ?"
        params.append(query.limit)
    return sql, params


def _searched(query: Query, params: list[Any]) -> str:
    """The title contains the search text (``%`` and ``_`` taken literally), or the place is one of
    ``query.places``."""
    text = (query.search or "").replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    params.append(f"%{text}%")
    places = ", ".join("?" * len(query.places))
    params.extend([*query.places] * 3)
    if not places:
        return "title LIKE ? ESCAPE '\\'"
    return (
        f"(title LIKE ? ESCAPE '\\' OR township IN ({places}) OR village IN ({places}) "
        f"OR dept IN ({places}))"
    )
