"""The embedded default store: one SQLite file (WAL, busy timeout, foreign keys)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from pufa.errors import PufaError, StoreError, WorkspaceError
from pufa.store import schema
from pufa.store.location import redact
from pufa.store.rows import Finding
from pufa.store.schema import check_meta
from pufa.store.sql import SQLStore

BUSY_TIMEOUT_MS = 60_000


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    """A connection to an existing store file; read-only where the file or its folder cannot be
    written (see :func:`_read_only_uri`)."""
    # isolation_level=None: we issue BEGIN ourselves
    uri = _read_only_uri(path) if read_only else f"file:{_quote(path)}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _quote(path: Path) -> str:
    from urllib.parse import quote

    return quote(path.resolve().as_posix())  # a "?" or "#" in a folder name is not the query


def _read_only_uri(path: Path) -> str:
    """The URI that opens a store file on a read-only folder or disk.

    A WAL database is read through its ``-shm`` index, which a reader creates if missing; where
    nothing can be created, SQLite reads with ``mode=ro`` only if the ``-wal`` and ``-shm``
    files already exist. After a clean close they do not (the last connection removes them), and
    then the file alone is the whole store: ``immutable=1`` reads it without any index or lock.
    Nobody can write to the folder meanwhile (pufa cannot, and a writer elsewhere would need to
    create the ``-wal`` file first), so the snapshot is consistent. A ``-wal`` left without its
    ``-shm`` (a crash, then the copy) is refused by SQLite, and reported as such.
    """
    wal = path.with_name(path.name + "-wal")
    immutable = "" if wal.exists() else "&immutable=1"
    return f"file:{_quote(path)}?mode=ro{immutable}"


def read_only_reason(path: Path) -> str | None:
    """Why pufa cannot write the store file ``path`` (its folder holds the journal too), or None."""
    for target in (path, path.parent):
        if not os.access(target, os.W_OK):
            try:
                if os.statvfs(target).f_flag & os.ST_RDONLY:
                    return "文件系统是只读的"
            except OSError:
                pass
            return f"{target} 不可写"
    return None


def readonly_error(path: Path | str, reason: str) -> StoreError:
    return StoreError(
        f"工作区是只读的:{path} 不能写入({reason})。"
        "查看、统计和导出到别处仍可用;要登记或修改,请在可写的位置操作。"
    )


def _no_room(path: Path | str) -> bool:
    """Whether the disk holding ``path`` has (next to) no free space left."""
    try:
        found = os.statvfs(Path(path).parent)
    except OSError:
        return False
    return found.f_bavail * found.f_frsize < 256 * 1024


def _store_error(path: Path | str, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if "readonly database" in text:
        return readonly_error(path, "数据库只能读取")
    if "disk is full" in text or "disk I/O error" in text:
        # SQLite reports a full disk as an I/O error when the -shm index cannot grow
        cause = "磁盘已满" if "full" in text or _no_room(path) else "磁盘读写出错"
        return StoreError(f"无法写入 {path}:{cause}。这次操作没有写入任何内容,请腾出空间后重试。")
    if "unable to open database file" in text:
        return StoreError(
            f"无法打开 {path}:文件夹不可写或文件缺失(只读位置上的 -wal 文件须有配套的 -shm 文件)。"
        )
    if "locked" in text or "busy" in text:
        return StoreError(f"{path} 正被其他操作长时间占用,请稍后重试。")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(
            f"{path} 已损坏或不是 SQLite 数据库文件({text})。请从备份恢复,"
            "或另建工作区:pufa init 新目录"
        )
    return StoreError(f"{path}: 数据库错误:{text}")


class SQLiteStore(SQLStore):
    """A :class:`~pufa.store.Store` in one SQLite file; one writer at a time (BEGIN IMMEDIATE)."""

    engine = "sqlite"

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        county: str,
        timezone: str,
        read_only: str | None = None,
    ) -> None:
        super().__init__(conn, str(path), county, timezone)
        self.path = path
        #: why this store cannot be written (a read-only folder or disk), or None
        self.read_only = read_only

    @classmethod
    def create(cls, path: Path, county: str, timezone: str) -> SQLiteStore:
        """A new store file with the current schema, WAL journal and the county recorded."""
        if path.exists():
            raise WorkspaceError(f"{path} 已存在:不会覆盖已有数据库。")
        try:
            sqlite3.connect(path).close()
            conn = _connect(path)
            conn.execute("PRAGMA journal_mode = WAL")
            store = cls(conn, path, county, timezone)
            with store.transaction():
                store._migrate(0)
                store._stamp_meta()
        except sqlite3.Error as exc:
            path.unlink(missing_ok=True)  # a half-made file would later read as foreign
            raise _store_error(path, exc) from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return store

    @classmethod
    def open(cls, path: Path, *, upgrade: bool = True) -> SQLiteStore:
        """Open a store file: check it is pufa's, refuse a newer schema, migrate an older one
        (unless ``upgrade`` is false: ``db status`` and ``db migrate`` see it as it is)."""
        if not path.exists():
            # a mistyped server URL arrives here as a path: never echo its password
            raise WorkspaceError(
                f"找不到数据库 {redact(str(path))}。请先运行 pufa init 创建工作区。"
            )
        read_only = read_only_reason(path)
        try:
            conn = _connect(path, read_only is not None)
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if "pufa_meta" not in tables:
                conn.close()
                raise StoreError(
                    f"{path} 是 SQLite 数据库,但不是 pufa 的数据库(没有 pufa_meta 表)。"
                    "请检查工作区的 pufa.toml 指向的文件,或用 pufa init 新建工作区。"
                )
            meta = {r[0]: r[1] for r in conn.execute("SELECT key, value FROM pufa_meta")}
        except sqlite3.Error as exc:
            raise _store_error(path, exc) from None
        try:
            version = check_meta(meta, str(path))
        except StoreError:
            conn.close()
            raise
        store = cls(conn, path, meta["county"], meta["timezone"], read_only)
        if upgrade and version < schema.SCHEMA_VERSION:  # one user, one file: update on open
            store.migrate()
        return store

    def _begin(self) -> None:
        # the write lock is taken up front, so a waiting writer uses the busy timeout instead of
        # failing with "database is locked" when it tries to upgrade a read lock
        if self.read_only is not None:
            raise readonly_error(self.path, self.read_only)
        self._conn.execute("BEGIN IMMEDIATE")

    def _lock(self, event_id: int) -> None:
        """Nothing to do: BEGIN IMMEDIATE already holds the store's single write lock."""

    def _reserve_ids(self, count: int) -> list[int]:
        # BEGIN IMMEDIATE holds the only write lock: nobody else can take these ids meanwhile
        last = self._execute("SELECT COALESCE(MAX(id), 0) AS last FROM events").fetchone()["last"]
        return list(range(int(last) + 1, int(last) + 1 + count))

    def after_copy(self) -> None:
        """Nothing to do: SQLite's next id is max(id) + 1."""

    def _integrity(self) -> list[Finding]:
        """``PRAGMA integrity_check`` and ``foreign_key_check``, one finding per line they report."""
        found = [
            Finding(None, "完整性", str(row[0]), "SQLite 报告数据库文件损坏", "从备份恢复")
            for row in self._execute("PRAGMA integrity_check").fetchall()
            if row[0] != "ok"
        ]
        for row in self._execute("PRAGMA foreign_key_check").fetchall():
            found.append(
                Finding(None, "外键", f"{row[0]} 第 {row[1]} 行", f"指向 {row[2]} 中不存在的行")
            )
        return found

    def _is_driver_error(self, exc: Exception) -> bool:
        return isinstance(exc, sqlite3.Error)

    def _error(self, exc: Exception) -> PufaError:
        assert isinstance(exc, sqlite3.Error)
        return _store_error(self.path, exc)
