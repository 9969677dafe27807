"""The statements that write and list records, as text built once from the schema's columns.

Written with ``?`` placeholders like every query of :class:`~pufa.store.sql.SQLStore`; the year's
aggregates are in :mod:`pufa.store.aggregates`.
"""

from __future__ import annotations

from operator import itemgetter

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


def select(query: Query) -> Built:
    """The records ``query`` asks for, ordered by day, start and id (voided ones only if asked)."""
    where, params = [], []
    for column, value in attrs.asdict(query, recurse=False).items():
        if column == "include_voided" or value is None:
            continue
        where.append(f"{column} = ?")
        params.append(getattr(value, "slug", value))
    if not query.include_voided:
        where.append("voided_reason IS NULL")
    sql = "SELECT * FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY day, starts, id", params
