"""The embedded default store: one SQLite file (WAL, busy timeout, foreign keys), audited writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs

from pufa.errors import Conflict, NotFound, StoreError, WorkspaceError
from pufa.model import Action, Change, Event, Revision, Stamp, Voiding, diff, flatten
from pufa.store import Query
from pufa.store.rows import changes_text, from_row, revision_from_row, stamp_text, to_columns
from pufa.store.schema import APPLICATION, EVENT_COLUMNS, SCHEMA_VERSION, pending

BUSY_TIMEOUT_MS = 60_000
_INSERT = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, revision, created_at, created_by, "
    f"updated_at, updated_by) VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 5))})"
)
_UPDATE = (
    f"UPDATE events SET {', '.join(f'{c} = ?' for c in EVENT_COLUMNS)}, revision = ?, "
    "updated_at = ?, updated_by = ? WHERE id = ? AND revision = ?"
)


def _connect(path: Path) -> sqlite3.Connection:
    # mode=rw: never create a file by accident; isolation_level=None: we issue BEGIN ourselves
    uri = f"file:{path.resolve().as_posix()}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} 正被其他操作长时间占用,请稍后重试。")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"{path} 已损坏或不是 SQLite 数据库文件({text})。请从备份恢复,"
            "或另建工作区:pufa init 新目录"
        )
    return StoreError(f"{path}: 数据库错误:{text}")


class SQLiteStore:
    """A :class:`~pufa.store.Store` in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, county: str, timezone: str) -> None:
        self._conn = conn
        self.path = path
        self.county = county
        self.timezone = timezone
        self._depth = 0

    # -- opening -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, county: str, timezone: str = "Asia/Shanghai") -> SQLiteStore:
        """A new store file with the current schema, WAL journal and the county recorded."""
        if path.exists():
            raise WorkspaceError(f"{path} 已存在:不会覆盖已有数据库。")
        sqlite3.connect(path).close()
        try:
            conn = _connect(path)
            conn.execute("PRAGMA journal_mode = WAL")
            store = cls(conn, path, county, timezone)
            with store.transaction():
                store._migrate(0)
                conn.executemany(
                    "INSERT INTO pufa_meta (key, value) VALUES (?, ?)",
                    [("application", APPLICATION), ("county", county), ("timezone", timezone)],
                )
        except BaseException:
            path.unlink(missing_ok=True)  # a half-made file would later read as foreign
            raise
        return store

    @classmethod
    def open(cls, path: Path) -> SQLiteStore:
        """Open a store file: check it is pufa's, refuse a newer schema, migrate an older one."""
        if not path.exists():
            raise WorkspaceError(f"找不到数据库 {path}。请先运行 pufa init 创建工作区。")
        try:
            conn = _connect(path)
            meta = cls._read_meta(conn, path)
        except sqlite3.Error as exc:
            raise _store_error(path, exc) from None
        version = int(meta.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(
                f"{path} 的结构版本为 {version},本程序只认识到 {SCHEMA_VERSION}:"
                "它由更新版本的 pufa 写入。请升级 pufa(pip install -U pufa)后再打开。"
            )
        store = cls(conn, path, meta["county"], meta.get("timezone", "Asia/Shanghai"))
        if version < SCHEMA_VERSION:
            with store.transaction():
                store._migrate(version)
        return store

    @staticmethod
    def _read_meta(conn: sqlite3.Connection, path: Path) -> dict[str, str]:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "pufa_meta" not in tables:
            conn.close()
            raise StoreError(
                f"{path} 是 SQLite 数据库,但不是 pufa 的数据库(没有 pufa_meta 表)。"
                "请检查工作区的 pufa.toml 指向的文件,或用 pufa init 新建工作区。"
            )
        meta = {r[0]: r[1] for r in conn.execute("SELECT key, value FROM pufa_meta")}
        if meta.get("application") != APPLICATION or "county" not in meta:
            conn.close()
            raise StoreError(f"{path} 的 pufa_meta 表不是 pufa 写的。请用 pufa init 新建工作区。")
        return meta

    def _migrate(self, current: int) -> None:
        for migration in pending(current):
            for statement in (*migration.statements, *migration.sqlite):
                self._conn.execute(statement)
            self._conn.execute(
                "INSERT INTO pufa_meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(migration.version),),
            )

    def close(self) -> None:
        self._conn.close()

    # -- transactions --------------------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; the write lock is taken up front so waiting uses the timeout."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None
        self._depth = 1
        try:
            yield
        except BaseException:
            self._depth = 0
            self._conn.execute("ROLLBACK")
            raise
        self._depth = 0
        try:
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            self._conn.execute("ROLLBACK")
            raise _store_error(self.path, exc) from None

    def _execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.Error as exc:
            raise _store_error(self.path, exc) from None

    # -- writes --------------------------------------------------------------------------------

    def add(self, event: Event, stamp: Stamp, reason: str | None = None) -> Event:
        if event.id is not None:
            raise Conflict(f"记录 #{event.id} 已保存过,不能再次新增。")
        columns = to_columns(event)
        at = stamp_text(stamp.at)
        with self.transaction():
            cursor = self._execute(
                _INSERT, [columns[c] for c in EVENT_COLUMNS] + [1, at, stamp.by, at, stamp.by]
            )
            event_id = cursor.lastrowid
            assert event_id is not None
            created = tuple(
                Change(k, None, v) for k, v in flatten(event).items() if v not in (None, "")
            )
            self._revise(event_id, 1, Action.CREATE, stamp, reason, created)
            return self.get(event_id)

    def replace(self, event: Event, stamp: Stamp, reason: str | None) -> Event:
        if event.id is None:
            raise Conflict("未保存的记录不能修改。")
        with self.transaction():
            old = self.get(event.id)
            if old.voided is not None:
                raise Conflict(f"记录 #{event.id} 已作废,不能修改。")
            changes = diff(old, event)
            if not changes:
                return old
            columns = to_columns(event)
            seq = old.revision + 1
            at = stamp_text(stamp.at)
            cursor = self._execute(
                _UPDATE,
                [columns[c] for c in EVENT_COLUMNS] + [seq, at, stamp.by, event.id, event.revision],
            )
            if cursor.rowcount != 1:
                raise Conflict(f"记录 #{event.id} 刚被别人修改过,请重新查看后再改。")
            self._revise(event.id, seq, Action.EDIT, stamp, reason, changes)
            return self.get(event.id)

    def void(self, event_id: int, voiding: Voiding) -> Event:
        stamp = voiding.stamp
        if stamp is None:
            raise Conflict("作废须记录操作人和时间。")
        with self.transaction():
            old = self.get(event_id)
            if old.voided is not None:
                when = old.voided.stamp.at.in_timezone(self.timezone) if old.voided.stamp else None
                raise Conflict(
                    f"记录 #{event_id} 已于 {when.format('YYYY-MM-DD') if when else '此前'} "
                    f"作废(理由:{old.voided.reason}),不能再次作废。"
                )
            seq = old.revision + 1
            at = stamp_text(stamp.at)
            self._execute(
                "UPDATE events SET voided_reason = ?, voided_at = ?, voided_by = ?, revision = ?, "
                "updated_at = ?, updated_by = ? WHERE id = ?",
                (voiding.reason, at, stamp.by, seq, at, stamp.by, event_id),
            )
            self._revise(event_id, seq, Action.VOID, stamp, voiding.reason, ())
            return self.get(event_id)

    def _revise(
        self,
        event_id: int,
        seq: int,
        action: Action,
        stamp: Stamp,
        reason: str | None,
        changes: tuple[Change, ...],
    ) -> None:
        self._execute(
            "INSERT INTO revisions (event_id, seq, action, changed_at, changed_by, reason, changes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                event_id,
                seq,
                action.slug,
                stamp_text(stamp.at),
                stamp.by,
                reason,
                changes_text(changes),
            ),
        )

    # -- reads ---------------------------------------------------------------------------------

    def get(self, event_id: int) -> Event:
        row = self._execute("SELECT * FROM events WHERE id = ?", (event_id,)).fetchone()
        if row is None:
            raise NotFound(f"没有编号为 #{event_id} 的记录。用 pufa list 查看已有记录。")
        return from_row(row, self.timezone)

    def events(self, query: Query) -> list[Event]:
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
        sql += " ORDER BY day, starts, id"
        return [from_row(row, self.timezone) for row in self._execute(sql, params)]

    def history(self, event_id: int) -> list[Revision]:
        self.get(event_id)
        rows = self._execute(
            "SELECT * FROM revisions WHERE event_id = ? ORDER BY seq", (event_id,)
        ).fetchall()
        return [revision_from_row(row) for row in rows]

    def counts(self) -> dict[str, int]:
        """Row counts per table (used by tests and ``pufa`` diagnostics)."""
        return {
            table: self._execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("events", "revisions")
        }
