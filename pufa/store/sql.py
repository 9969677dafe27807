"""The engine-neutral part of the store: every query pufa issues, written once in portable SQL.

:class:`SQLStore` holds the logic (audited writes, optimistic revision checks, queries); each
engine (:mod:`pufa.store.sqlite`, :mod:`pufa.store.postgres`) supplies how to connect, begin a
write transaction, reserve new ids, and what its errors mean. SQL is written with ``?``
placeholders; an engine with another parameter style converts them in :meth:`SQLStore._sql`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Self

import attrs

from pufa.errors import Conflict, NotFound, PufaError
from pufa.event import Action, Event, Revision, Stamp, Voiding, diff, flatten
from pufa.store import Query, aggregates, locks, schema, stale_text, statements
from pufa.store.aggregates import Match
from pufa.store.rows import (
    Finding,
    Unreadable,
    already_voided,
    changes_text,
    check_row,
    from_row,
    revision_from_row,
    stamp_text,
    to_columns,
)
from pufa.store.schema import APPLICATION
from pufa.store.scores import Scores


class SQLStore(Scores, locks.Locks, ABC):
    """A :class:`~pufa.store.Store` over a DB-API connection; subclasses name the engine."""

    engine = "sql"

    def __init__(self, conn: Any, location: str, county: str, timezone: str) -> None:
        self._conn = conn
        self.location = location
        self.county = county
        self.timezone = timezone
        self._depth = 0
        #: rows the last read left out because they are no valid record (see ``pufa db check``)
        self.skipped: list[Unreadable] = []

    # -- what an engine supplies ---------------------------------------------------------------

    def _begin(self) -> None:
        """Start a write transaction (taking whatever lock the engine needs up front)."""
        self._conn.execute("BEGIN")

    @abstractmethod
    def _error(self, exc: Exception) -> PufaError:
        """Turn a driver error into a one-line Chinese :class:`PufaError`."""

    @abstractmethod
    def _is_driver_error(self, exc: Exception) -> bool:
        """Whether ``exc`` comes from this engine's driver."""

    def _sql(self, sql: str) -> str:
        """The statement in the engine's parameter style (``?`` is the neutral form)."""
        return sql

    @abstractmethod
    def _lock(self, event_id: int) -> None:
        """Lock one record for the rest of the transaction (inside a write transaction)."""

    # -- plumbing ------------------------------------------------------------------------------

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """A driver error raised inside becomes the engine's one-line Chinese :class:`PufaError`."""
        try:
            yield
        except Exception as exc:
            if self._is_driver_error(exc):
                raise self._error(exc) from None
            raise

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        with self._translated():
            return self._conn.execute(self._sql(sql), tuple(params))

    def _many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement run for each of ``rows`` (nothing at all for none)."""
        if rows:
            with self._translated():
                self._conn.cursor().executemany(self._sql(sql), rows)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; nested calls join the outer one. Rolled back if anything raises."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        with self._translated():
            self._begin()
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        with self._translated():
            try:
                self._conn.execute("COMMIT")
            except Exception:
                self._conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema --------------------------------------------------------------------------------

    def _migrate(self, current: int) -> None:
        """Apply the pending migrations (caller holds the transaction)."""
        for migration in schema.pending(current):
            for statement in migration.for_engine(self.engine):
                self._conn.execute(statement)
            self._execute(
                "INSERT INTO pufa_meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(migration.version),),
            )

    def _stamp_meta(self) -> None:
        import uuid

        for key, value in (
            ("application", APPLICATION),
            ("county", self.county),
            ("timezone", self.timezone),
            ("store_id", uuid.uuid4().hex),  # tells this store's exports from another's
        ):
            self._execute("INSERT INTO pufa_meta (key, value) VALUES (?, ?)", (key, value))

    def store_id(self) -> str:
        """This store's identity (empty for a store made before pufa recorded one)."""
        row = self._execute("SELECT value FROM pufa_meta WHERE key = 'store_id'").fetchone()
        return str(row["value"]) if row else ""

    def schema_version(self) -> int:
        row = self._execute("SELECT value FROM pufa_meta WHERE key = 'schema_version'").fetchone()
        return int(row["value"]) if row else 0

    def migrate(self) -> list[int]:
        """Apply pending migrations in one transaction; returns the versions applied."""
        with self.transaction():
            current = self.schema_version()
            versions = [m.version for m in schema.pending(current)]
            self._migrate(current)
        return versions

    # -- writes --------------------------------------------------------------------------------

    def add(self, event: Event, stamp: Stamp, reason: str | None = None) -> Event:
        if event.id is not None:
            raise Conflict(f"记录 #{event.id} 已保存过,不能再次新增。")
        with self.transaction():
            [event_id] = self._insert([event], stamp, reason)
        # what was written, without reading it back
        return attrs.evolve(event, id=event_id, revision=1, created=stamp, updated=stamp)

    def add_many(
        self,
        events: Sequence[Event],
        stamp: Stamp,
        reason: str | None = None,
        sources: Sequence[str | None] | None = None,
    ) -> int:
        """Insert many new records, each with its creation revision, in one transaction (an
        import): the same rows as :meth:`add`, written in two batched statements. ``sources``,
        if given, are the records' source keys (an import's row identities)."""
        with self.transaction():
            self._insert(events, stamp, reason, sources)
        return len(events)

    def _insert(
        self,
        events: Sequence[Event],
        stamp: Stamp,
        reason: str | None,
        sources: Sequence[str | None] | None = None,
    ) -> list[int]:
        """New records under new ids, each with its creation revision: every field's first value
        (caller holds the transaction). Returns the ids."""
        at = stamp_text(stamp.at)
        ids = self._reserve_ids(len(events))
        event_rows, revision_rows = [], []
        for n, (event_id, event) in enumerate(zip(ids, events, strict=True)):
            flat = flatten(event)
            columns = to_columns(event, flat)
            if sources is not None:
                columns["source"] = sources[n]
            event_rows.append(
                (event_id, *statements.in_column_order(columns), 1, at, stamp.by, at, stamp.by)
            )
            created = [(k, None, v) for k, v in flat.items() if v is not None and v != ""]
            revision_rows.append(
                (event_id, 1, Action.CREATE.slug, at, stamp.by, reason, changes_text(created))
            )
        self._many(statements.INSERT_EVENT, event_rows)
        self._many(statements.INSERT_REVISION, revision_rows)
        return ids

    @abstractmethod
    def _reserve_ids(self, count: int) -> list[int]:
        """``count`` new record ids, taken inside the write transaction."""

    def replace(self, event: Event, stamp: Stamp, reason: str | None) -> Event:
        """Store a changed version; refused if the record changed since ``event`` was read."""
        if event.id is None:
            raise Conflict("未保存的记录不能修改。")
        with self.transaction():
            self._lock(event.id)
            current = self.get(event.id)
            if current.voided is not None:
                raise Conflict(f"记录 #{event.id} 已作废,不能修改。")
            if current.revision != event.revision:
                raise self._stale(current, event.revision)
            changes = diff(current, event)
            if not changes:
                return current
            columns = to_columns(event)
            seq = current.revision + 1
            at = stamp_text(stamp.at)
            cursor = self._execute(
                statements.UPDATE_EVENT,
                (*statements.in_column_order(columns), seq, at, stamp.by, event.id, event.revision),
            )
            if cursor.rowcount != 1:  # changed between our read and our write
                raise self._stale(self.get(event.id), event.revision)
            revision = (
                event.id,
                seq,
                Action.EDIT.slug,
                at,
                stamp.by,
                reason,
                changes_text(changes),
            )
            self._execute(statements.INSERT_REVISION, revision)
            return self.get(event.id)

    def _stale(self, current: Event, read: int) -> Conflict:
        """The lost-update refusal: who changed the record since it was read, when, and what."""
        return Conflict(stale_text(current, self.history(current.id or 0), read, self.timezone))

    def void(self, event_id: int, voiding: Voiding) -> Event | None:
        stamp = voiding.stamp
        if stamp is None:
            raise Conflict("作废须记录操作人和时间。")
        with self.transaction():
            self._lock(event_id)
            # the raw row, not the record: a row pufa cannot read can still be voided
            old = self._execute(
                "SELECT revision, voided_reason, voided_at FROM events WHERE id = ?", (event_id,)
            ).fetchone()
            if old is None:
                raise NotFound(f"没有编号为 #{event_id} 的记录。用 pufa list 查看已有记录。")
            if old["voided_reason"] is not None:
                raise already_voided(
                    event_id, old["voided_reason"], old["voided_at"], self.timezone
                )
            seq = old["revision"] + 1
            at = stamp_text(stamp.at)
            self._execute(
                statements.VOID_EVENT, (voiding.reason, at, stamp.by, seq, at, stamp.by, event_id)
            )
            revision = (event_id, seq, Action.VOID.slug, at, stamp.by, voiding.reason, "[]")
            self._execute(statements.INSERT_REVISION, revision)
        try:
            return self.get(event_id)
        except Unreadable:  # voided all the same: it no longer counts anywhere
            return None

    # -- reads ---------------------------------------------------------------------------------

    def get_for_update(self, event_id: int) -> Event:
        """Read a record and lock it until the transaction ends (call inside a transaction)."""
        self._lock(event_id)
        return self.get(event_id)

    def get(self, event_id: int) -> Event:
        row = self._execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"没有编号为 #{event_id} 的记录。用 pufa list 查看已有记录。")
        return from_row(row, self.timezone)

    def events(self, query: Query) -> list[Event]:
        sql, params = statements.select(query)
        return self._readable(self._execute(sql, params).fetchall())

    def iter_events(self, query: Query, batch: int = 2000) -> Iterator[Event]:
        """The records of :meth:`events`, streamed: one batch of rows in memory at a time (the
        unreadable ones left out and kept in :attr:`skipped`, as :meth:`events` does)."""
        sql, params = statements.select(query)
        self.skipped = []
        for rows in self._stream(sql, params, batch):
            yield from self._records(rows)

    def _stream(self, sql: str, params: Sequence[Any], batch: int) -> Iterator[Sequence[Any]]:
        """A query's rows in batches, without the whole result in memory (SQLite steps lazily)."""
        cursor = self._execute(sql, params)
        while chunk := cursor.fetchmany(batch):
            yield chunk

    def _readable(self, rows: Sequence[Any]) -> list[Event]:
        """The records of ``rows``; the unreadable ones are left out and kept in :attr:`skipped`."""
        self.skipped = []
        return list(self._records(rows))

    def _records(self, rows: Sequence[Any]) -> Iterator[Event]:
        """The records of ``rows``, the unreadable ones added to :attr:`skipped` instead."""
        for row in rows:
            try:
                yield from_row(row, self.timezone)
            except Unreadable as exc:
                self.skipped.append(exc)

    def by_source(self, prefix: str) -> list[Event]:
        """Records whose source key starts with ``prefix`` (e.g. every record a plan made)."""
        rows = self._execute(
            "SELECT * FROM events WHERE substr(source, 1, ?) = ? ORDER BY source",
            (len(prefix), prefix),
        ).fetchall()
        return self._readable(rows)

    def history(self, event_id: int) -> list[Revision]:
        self.get(event_id)
        rows = self._execute(
            "SELECT * FROM revisions WHERE event_id = ? ORDER BY seq", (event_id,)
        ).fetchall()
        return [revision_from_row(row) for row in rows]

    def fingerprint(self) -> str:
        """Changes whenever any record is added, changed or voided (cheap: one aggregate)."""
        row = self._execute(
            "SELECT COUNT(*) AS n, SUM(revision) AS revisions, MAX(updated_at) AS latest FROM events"
        ).fetchone()
        return f"{row['n']}:{row['revisions']}:{row['latest']}"

    def counts(self) -> dict[str, int]:
        """Row counts per table: records and revisions."""
        return {
            table: int(self._execute(f"SELECT COUNT(*) AS n FROM {table}").fetchone()["n"])
            for table in ("events", "revisions")
        }

    # -- pufa db check ---------------------------------------------------------------------------

    def _integrity(self) -> list[Finding]:
        """Consistency the engine does not check itself: revisions of records that do not exist
        (SQLite overrides this with its own integrity and foreign-key checks)."""
        orphans = self._execute(
            "SELECT r.id AS id, r.event_id AS event_id FROM revisions r "
            "LEFT JOIN events e ON e.id = r.event_id WHERE e.id IS NULL ORDER BY r.id"
        ).fetchall()
        return [
            Finding(None, "修改记录", row["id"], f"指向不存在的记录 #{row['event_id']}")
            for row in orphans
        ]

    def check(self) -> list[Finding]:
        """Everything wrong in the store: integrity, schema version, rows pufa would refuse today
        (dates out of range, counts over the bound, control characters, unreadable rows)."""
        found = self._integrity()
        version = self.schema_version()
        if version != schema.SCHEMA_VERSION:
            fix = "pufa db migrate" if version < schema.SCHEMA_VERSION else "升级 pufa"
            found.append(
                Finding(
                    None, "结构版本", version, f"应为本程序的第 {schema.SCHEMA_VERSION} 版", fix
                )
            )
        for batch in self.rows("events"):
            for row in batch:
                found += check_row(row, self.timezone)
        return found

    # -- aggregates (pufa summary, pufa report): built in pufa.store.aggregates ----------------

    def cube(self, year: int, as_of: str, township: str | None = None) -> list[dict[str, Any]]:
        """The year's countable records summed by every dimension an indicator may filter on
        (:func:`~pufa.store.aggregates.cube`): the database sums, so the result stays small."""
        return [dict(row) for row in self._all(aggregates.cube(year, as_of, township))]

    def distinct(
        self, year: int, as_of: str, field: str, township: str | None = None
    ) -> list[dict[str, Any]]:
        """The different values of a kind-specific field, with the dimensions to filter them by."""
        return [dict(row) for row in self._all(aggregates.distinct(year, as_of, field, township))]

    def record_ids(
        self, year: int, as_of: str, kinds: Sequence[str], match: Match, dept: str | None = None
    ) -> list[int]:
        """Ids of the held records dated by ``as_of`` that an indicator counts (for --explain)."""
        built = aggregates.record_ids(year, as_of, kinds, match, dept)
        return [int(row["id"]) for row in self._all(built)]

    def left_out(self, year: int) -> list[int]:
        """Ids of the year's records whose counts are over the bound and so left out of every sum
        (older data: ``pufa db check`` names the fix)."""
        return [int(row["id"]) for row in self._all(aggregates.left_out(year))]

    def _all(self, built: aggregates.Built) -> list[Any]:
        return list(self._execute(*built).fetchall())

    # -- whole-store copy (and a publish's look at what changed) -------------------------------
    def rows(
        self, table: str, batch: int = 2000, columns: Sequence[str] = ()
    ) -> Iterator[list[dict[str, Any]]]:
        """Every row of ``table`` in key order, in batches (for copying a store); only ``columns``."""
        order, wanted = "key" if table == "pufa_meta" else "id", ", ".join(columns) or "*"
        cursor = self._execute(f"SELECT {wanted} FROM {table} ORDER BY {order}")
        while chunk := cursor.fetchmany(batch):
            yield [dict(row) for row in chunk]

    def put_rows(self, table: str, rows: list[dict[str, Any]]) -> None:
        """Insert rows as they are, ids included (caller holds the transaction)."""
        if not rows:
            return
        columns = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        self._many(sql, [tuple(r[c] for c in columns) for r in rows])

    @abstractmethod
    def after_copy(self) -> None:
        """Bring id generators past the ids a copy inserted."""

    def is_empty(self) -> bool:
        return self.counts()["events"] == 0
