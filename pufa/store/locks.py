"""The office's month locks, audited and append-only (``pufa lock``/``unlock``).

Every lock and unlock adds one row to ``month_locks`` — place (a township code, or the county's
code for its departments), year, month, locked or not, who, when and why —; the current state of
a (place, month) is its latest row. Nothing is ever updated or deleted (triggers refuse it on both
engines). :class:`Locks` is the part of :class:`~pufa.store.sql.SQLStore` that reads and writes
them.

A record's write checks the locks inside its own transaction. On SQLite that transaction already
holds the store's only write lock; on PostgreSQL a check takes a shared transaction-level
advisory lock and a lock change an exclusive one, so a lock cannot land between a write's check
and its commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from pufa.locks import Lock
from pufa.store.rows import stamp_text

#: the advisory lock key (PostgreSQL) that orders lock changes against record writes
ADVISORY_KEY = 0x70756661  # "pufa"


def _lock(row: Any) -> Lock:
    at = pendulum.instance(dt.datetime.fromisoformat(row["changed_at"]))
    return Lock(
        row["place"], int(row["year"]), int(row["month"]), bool(row["locked"]),
        row["changed_by"], at, row["reason"] or "", int(row["id"]),
    )  # fmt: skip


class Locks:
    """Reads and writes of ``month_locks``; the store supplies ``_execute``, ``transaction`` and
    ``engine``."""

    engine: str

    if TYPE_CHECKING:  # what the store (SQLStore) supplies: declared for the type checker only

        def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

        def transaction(self) -> AbstractContextManager[None]: ...

    def _order_with_writes(self, *, exclusive: bool) -> None:
        """PostgreSQL: hold the month-lock advisory lock until the transaction ends."""
        if self.engine == "postgresql":
            kind = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
            self._execute(f"SELECT {kind}(?)", (ADVISORY_KEY,))

    def lock_history(
        self, year: int | None = None, place: str | None = None, month: int | None = None
    ) -> list[Lock]:
        """Every lock and unlock (of one year, place, month), oldest first."""
        where, params = [], []
        for column, value in (("year", year), ("place", place), ("month", month)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = "SELECT * FROM month_locks" + (" WHERE " + " AND ".join(where) if where else "")
        return [_lock(r) for r in self._execute(sql + " ORDER BY id", params).fetchall()]

    def month_locks(self, year: int) -> list[Lock]:
        """The current state (latest row) of every (place, month) of ``year`` ever locked,
        ordered by place and month."""
        latest = {lock.key: lock for lock in self.lock_history(year)}
        return [latest[key] for key in sorted(latest)]

    def is_locked(self, place: str, year: int, month: int) -> Lock | None:
        """The lock in force on a place's month, or None. Inside a write transaction the answer
        holds until it commits (see the module's note)."""
        self._order_with_writes(exclusive=False)
        row = self._execute(
            "SELECT * FROM month_locks WHERE place = ? AND year = ? AND month = ? "
            "ORDER BY id DESC LIMIT 1",
            (place, year, month),
        ).fetchone()
        found = None if row is None else _lock(row)
        return found if found is not None and found.locked else None

    def lock_month(self, lock: Lock) -> Lock:
        """Append a lock or unlock row (``lock.locked`` says which); returns it with its id."""
        with self.transaction():
            self._order_with_writes(exclusive=True)
            self._execute(
                "INSERT INTO month_locks (place, year, month, locked, changed_at, changed_by, "
                "reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    lock.place, lock.year, lock.month, int(lock.locked), stamp_text(lock.at),
                    lock.by, lock.reason,
                ),
            )  # fmt: skip
            row = self._execute(
                "SELECT * FROM month_locks WHERE place = ? AND year = ? AND month = ? "
                "ORDER BY id DESC LIMIT 1",
                (lock.place, lock.year, lock.month),
            ).fetchone()
        return _lock(row)

    def unlock_month(self, lock: Lock) -> Lock:
        """Append an unlock row for ``lock``'s place and month (its reason is required upstream)."""
        return self.lock_month(attrs.evolve(lock, locked=False))
