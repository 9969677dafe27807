"""The store: where records and their revisions live. Only this package talks SQL.

Callers use the :class:`Store` protocol and :func:`open_store`; the embedded default is one SQLite
file (:mod:`pufa.store.sqlite`). A PostgreSQL backend implements the same protocol.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol

import attrs

from pufa.model import Event, Kind, Revision, Stamp, Status, Voiding


@attrs.frozen
class Query:
    """Which records to list; ``None`` means any. Voided records only when asked for."""

    year: int | None = None
    kind: Kind | None = None
    township: str | None = None
    dept: str | None = None
    status: Status | None = None
    include_voided: bool = False


class Store(Protocol):
    """What pufa needs from a store. Every write is audited; nothing is ever deleted."""

    county: str

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction; calls inside it join it. Nothing is written if it raises."""

    def add(self, event: Event, stamp: Stamp, reason: str | None = None) -> Event:
        """Insert a new record (``event.id`` is None) and its creation revision; returns it stored."""

    def get(self, event_id: int) -> Event:
        """The record with this id, voided or not; :class:`~pufa.errors.NotFound` otherwise."""

    def replace(self, event: Event, stamp: Stamp, reason: str | None) -> Event:
        """Store a changed version of a record (same id, same revision as read) with its diff."""

    def void(self, event_id: int, voiding: Voiding) -> Event:
        """Mark a record void with a reason; it stays, but never counts again."""

    def events(self, query: Query) -> list[Event]:
        """Records matching ``query``, ordered by start then id."""

    def history(self, event_id: int) -> list[Revision]:
        """Every revision of a record, oldest first."""

    def close(self) -> None: ...


def create_store(path: Path, county: str, timezone: str) -> Store:
    """Make a new, empty store file at ``path`` for ``county`` (refuses to overwrite)."""
    from pufa.store.sqlite import SQLiteStore

    return SQLiteStore.create(path, county, timezone)


def open_store(path: Path) -> Store:
    """Open an existing store, checking that it is pufa's and migrating an older schema."""
    from pufa.store.sqlite import SQLiteStore

    return SQLiteStore.open(path)
