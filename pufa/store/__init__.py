"""The store: where records and their revisions live. Only this package talks SQL.

Callers use the :class:`Store` protocol and :func:`open_store` (``with open_store(…) as store:``
closes it); the embedded default is one SQLite file (:mod:`pufa.store.sqlite`). A PostgreSQL
backend implements the same protocol.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol, Self

from pufa import vocab
from pufa.errors import InvalidInput
from pufa.event import Event, Revision, Stamp, Voiding
from pufa.locks import Lock
from pufa.model import Kind, Status
from pufa.store.location import is_foreign_url, is_url, redact
from pufa.store.scores import ScoreChange
from pufa.value import valueclass

__all__ = [
    "Lock",
    "Query",
    "ScoreChange",
    "Store",
    "create_store",
    "is_url",
    "migrate_location",
    "open_store",
    "redact",
    "stale_text",
]


@valueclass
class Query:
    """Which records to list; ``None`` means any. Voided records only when asked for."""

    year: int | None = None
    kind: Kind | None = None
    township: str | None = None
    dept: str | None = None
    village: str | None = None
    status: Status | None = None
    include_voided: bool = False
    #: first days (``YYYY-MM-DD``) from and to, both included
    first_day: str | None = None
    last_day: str | None = None
    #: a text the title contains, or ``places`` (township and village codes, department slugs) hold
    search: str | None = None
    places: tuple[str, ...] = ()
    #: at most this many records (the earliest)
    limit: int | None = None


class Store(Protocol):
    """What pufa needs from a store. Every write is audited; nothing is ever deleted."""

    engine: str  #: "sqlite" or "postgresql"
    location: str  #: file path or URL, password redacted: safe to print
    county: str
    timezone: str
    #: rows the last :meth:`events`/:meth:`by_source` left out because pufa cannot read them
    #: (each an :class:`~pufa.store.rows.Unreadable` naming the record; ``pufa db check`` lists them)
    skipped: list[Any]

    def transaction(self) -> AbstractContextManager[None]:
        """One write transaction; calls inside it join it. Nothing is written if it raises."""

    def add(self, event: Event, stamp: Stamp, reason: str | None = None) -> Event:
        """Insert a new record (``event.id`` is None) and its creation revision; returns it stored."""

    def add_many(
        self,
        events: Sequence[Event],
        stamp: Stamp,
        reason: str | None = None,
        sources: Sequence[str | None] | None = None,
    ) -> int:
        """Insert many new records (with source keys, if given), each with its creation revision."""

    def get(self, event_id: int) -> Event:
        """The record with this id, voided or not; :class:`~pufa.errors.NotFound` otherwise."""

    def get_for_update(self, event_id: int) -> Event:
        """Read a record and lock it until the transaction ends (for read-modify-write)."""

    def replace(self, event: Event, stamp: Stamp, reason: str | None) -> Event:
        """Store a changed version of a record with its diff; refused (Conflict, saying who
        changed it, when and what) if the record changed since ``event.revision`` was read."""

    def void(self, event_id: int, voiding: Voiding) -> Event | None:
        """Mark a record void with a reason; it stays, but never counts again. Returns the record
        as stored, or None when its row cannot be read as a record (it is voided all the same)."""

    def events(self, query: Query) -> list[Event]:
        """Records matching ``query``, ordered by start then id."""

    def iter_events(self, query: Query, batch: int = 2000) -> Iterator[Event]:
        """The same records as :meth:`events`, in the same order, read in batches (an export of a
        million records holds one batch at a time). Issue no other query until it is exhausted."""

    def by_source(self, prefix: str) -> list[Event]:
        """Records whose source key starts with ``prefix`` (every record a plan made …)."""

    def history(self, event_id: int) -> list[Revision]:
        """Every revision of a record, oldest first."""

    def counts(self) -> dict[str, int]:
        """Rows in ``events`` and ``revisions``."""

    def store_id(self) -> str:
        """This store's identity, written into exports so that re-imports find their records."""

    def fingerprint(self) -> str:
        """A short text that changes whenever any record changes (to skip unchanged work)."""

    def schema_version(self) -> int: ...

    def migrate(self) -> list[int]:
        """Apply pending migrations in one transaction; the versions applied."""

    def rows(
        self, table: str, batch: int = 2000, columns: Sequence[str] = ()
    ) -> Iterator[list[dict[str, Any]]]:
        """Every row of a table in key order, in batches (for copying a whole store); only
        ``columns`` when given (e.g. ``("id", "revision")``: what changed since a publish)."""

    def put_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows verbatim, ids included (inside a transaction; for copying)."""

    def after_copy(self) -> None: ...

    def is_empty(self) -> bool: ...

    def check(self) -> list[Any]:
        """Every :class:`~pufa.store.rows.Finding` in the store (``pufa db check``): integrity,
        schema version, rows pufa would refuse today, each with the command that fixes it."""

    def cube(self, year: int, as_of: str, township: str | None = None) -> list[dict[str, Any]]:
        """The year's held/planned records summed by kind, place, venue, occasion, mode, month."""

    def left_out(self, year: int) -> list[int]:
        """Ids of the year's records left out of every sum (a count over the bound: older data)."""

    def distinct(
        self, year: int, as_of: str, field: str, township: str | None = None
    ) -> list[dict[str, Any]]:
        """The different values of a kind-specific field, with their dimensions."""

    def record_ids(
        self,
        year: int,
        as_of: str,
        kinds: Sequence[str],
        match: Mapping[str, Sequence[str]],
        dept: str | None = None,
    ) -> list[int]:
        """Ids of the held records an indicator counts (only one department's, with ``dept``)."""

    def scores(self, year: int) -> dict[tuple[str, str], float]:
        """The office's current score of every scored (unit slug, item key) of ``year``."""

    def score_history(self, year: int, dept: str | None = None) -> list[ScoreChange]:
        """Every change of ``year``'s office scores (of one unit), oldest first."""

    def set_score(self, change: ScoreChange) -> ScoreChange:
        """Append a score change (audited, never updated); returns it with ``previous`` and ``seq``."""

    def lock_month(self, lock: Lock) -> Lock:
        """Append a month-lock row (a lock, or an unlock when ``lock.locked`` is False); audited,
        never updated. Returns it with its id."""

    def unlock_month(self, lock: Lock) -> Lock:
        """Append an unlock row for ``lock``'s place and month."""

    def month_locks(self, year: int) -> list[Lock]:
        """The current state (latest row) of every (place, month) of ``year`` ever locked."""

    def lock_history(
        self, year: int | None = None, place: str | None = None, month: int | None = None
    ) -> list[Lock]:
        """Every lock and unlock (of one year, place, month), oldest first."""

    def is_locked(self, place: str, year: int, month: int) -> Lock | None:
        """The lock in force on a place's month, or None; inside a write transaction the answer
        holds until it commits."""

    def close(self) -> None: ...

    def __enter__(self) -> Self:
        """``with open_store(...) as store:`` closes the store at the end of the block."""

    def __exit__(self, *exc: object) -> None: ...


def _refuse_foreign(location: str | Path) -> None:
    """A URL of another scheme (``postgresql+psycopg://``) is an input error, its password hidden."""
    if is_foreign_url(location):
        raise InvalidInput.one(
            "数据库",
            redact(location),
            "应为 postgresql://用户@主机:端口/库名 形式的 URL、libpq 的 key=value 连接串或 SQLite 文件路径",
            "SQLAlchemy 的 postgresql+psycopg:// 请写成 postgresql://",
        )


#: what the lost-update refusal tells the user to do, after "未保存你的修改:"
SHOW_AND_RETRY = "请用 pufa show 查看最新内容后再改。"


def stale_text(
    current: Event,
    revisions: Sequence[Revision],
    read: int,
    timezone: str,
    advice: str = SHOW_AND_RETRY,
) -> str:
    """The lost-update refusal: who changed the record since revision ``read``, when, and what.

    One text for ``pufa edit --if-revision`` (the store's own refusal) and a stale ledger row.
    """
    lines = [
        f"第 {r.seq} 版 {r.stamp.at.in_timezone(timezone).format('YYYY-MM-DD HH:mm')} "
        f"{r.stamp.by} {r.action.label}"
        + (f"({'、'.join(vocab.label(c.field) for c in r.changes)})" if r.changes else "")
        for r in revisions
        if r.seq > read
    ]
    return (
        f"记录 #{current.id} 在你读取(第 {read} 版)之后已被修改:{';'.join(lines)}。"
        f"未保存你的修改:{advice}"
    )


def create_store(location: str | Path, county: str, timezone: str) -> Store:
    """Make a new store: a SQLite file (refuses to overwrite) or pufa's tables in a PostgreSQL
    database (an empty one, or attach to the same county's pufa store already there)."""
    _refuse_foreign(location)
    if is_url(location):
        from pufa.store.postgres import PostgresStore

        return PostgresStore.create(str(location), county, timezone)
    from pufa.store.sqlite import SQLiteStore

    return SQLiteStore.create(Path(location), county, timezone)


def open_store(location: str | Path, *, admin: bool = False) -> Store:
    """Open an existing store, checking that it is pufa's and not from a newer pufa.

    An older schema is migrated on open for a SQLite file (one user) and refused on a shared
    server until ``pufa db migrate``. ``admin`` opens it as it is, for ``db status``/``db migrate``.
    """
    _refuse_foreign(location)
    if is_url(location):
        from pufa.store.postgres import PostgresStore

        return PostgresStore.open(str(location), migrating=admin)
    from pufa.store.sqlite import SQLiteStore

    return SQLiteStore.open(Path(location), upgrade=not admin)


def migrate_location(location: str | Path) -> tuple[str, list[int], int]:
    """Bring a store's schema up to this program's version, on purpose (``pufa db migrate``).

    Returns the printable location, the migrations applied, and the version now.
    """
    with open_store(location, admin=True) as store:
        applied = store.migrate()
        return store.location, applied, store.schema_version()
