"""PostgreSQL store for county-wide deployments: one server, many townships writing at once.

The driver is psycopg 3, an optional extra (``pip install 'pufa[postgres]'``), imported only when
a server location (a URL or a libpq ``key=value`` string) is opened. Passwords come from the
location, ``PGPASSWORD`` or ``~/.pgpass``; every message shows the location with its passwords
redacted (:mod:`pufa.store.location`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pufa.errors import PufaError, StoreError
from pufa.store import schema
from pufa.store.location import for_driver, redact, scrub
from pufa.store.schema import check_meta
from pufa.store.sql import SQLStore


def _clean(text: str, url: str) -> str:
    """A driver message with every password taken out, on one line."""
    return " ".join(scrub(text, url).split())


#: words of libpq's connection errors → the Chinese sentence said first (the driver's text follows)
_CONNECT_CAUSES = (
    (("password authentication failed", "no password supplied"),
     "用户名或密码不对,或没有提供密码(见 ~/.pgpass 或 PGPASSWORD)"),
    (("no pg_hba.conf entry",), "服务器不允许这个地址、账号或库名登录(pg_hba.conf)"),
    (("does not exist",), "服务器上没有这个数据库或用户"),
    (("Connection refused",), "服务器没有响应:请检查地址和端口,以及数据库服务是否在运行"),
    (("timeout expired", "timed out"), "连接超时:请检查网络、地址和端口"),
    (("could not translate host name", "Name or service not known"), "找不到这个主机:请检查地址"),
    (("invalid", "missing", "URI"), "连接地址的写法不对"),
)  # fmt: skip


def _why_not_connected(detail: str) -> str:
    """The Chinese sentence for a failed connection, from the driver's message."""
    for words, why in _CONNECT_CAUSES:
        if any(word in detail for word in words):
            return why
    return "连接失败"


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(
            "使用 PostgreSQL 需要安装 psycopg:pip install 'pufa[postgres]'(SQLite 工作区不需要)。"
        ) from None
    return psycopg


class PostgresStore(SQLStore):
    """A :class:`~pufa.store.Store` on a PostgreSQL database (READ COMMITTED, row locks)."""

    engine = "postgresql"

    def __init__(self, conn: Any, url: str, county: str, timezone: str) -> None:
        super().__init__(conn, redact(url), county, timezone)
        self._url = url

    @staticmethod
    def _connect(url: str) -> Any:
        psycopg = _driver()
        from psycopg.rows import dict_row

        try:
            return psycopg.connect(
                for_driver(url), autocommit=True, row_factory=dict_row, connect_timeout=15
            )
        except psycopg.Error as exc:
            detail = _clean(str(exc), url)
            raise StoreError(
                f"无法连接 PostgreSQL {redact(url)}:{_why_not_connected(detail)}。驱动的说明:{detail}"
            ) from None

    @staticmethod
    def _meta(conn: Any) -> dict[str, str] | None:
        """pufa_meta as a dict, or None when the database has no such table."""
        found = conn.execute("SELECT to_regclass('pufa_meta') IS NOT NULL AS present").fetchone()
        if not found["present"]:
            return None
        return {r["key"]: r["value"] for r in conn.execute("SELECT key, value FROM pufa_meta")}

    @staticmethod
    def _tables(conn: Any) -> int:
        row = conn.execute(
            "SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()
        return int(row["n"])

    @classmethod
    def create(cls, url: str, county: str, timezone: str) -> PostgresStore:
        """Set up pufa's schema in an empty database, or attach to the pufa store already there.

        Several township machines run ``pufa init --db URL`` against one server: the first creates
        the schema, the others join it (the county must match).
        """
        conn = cls._connect(url)
        try:
            meta = cls._meta(conn)
            if meta is not None:
                version = check_meta(meta, redact(url))
                if meta["county"] != county:
                    raise StoreError(
                        f"{redact(url)} 是 {meta['county']} 的 pufa 数据库,不是 {county} 的:请换一个数据库。"
                    )
                store = cls(conn, url, meta["county"], meta["timezone"])
                store._require_current(version)
                return store
            if cls._tables(conn):
                raise StoreError(
                    f"{redact(url)} 里已有别的表,但不是 pufa 的数据库:请为 pufa 新建一个空数据库"
                    "(createdb pufa)。"
                )
            store = cls(conn, url, county, timezone)
            with store.transaction():
                store._migrate(0)
                store._stamp_meta()
            return store
        except BaseException:
            conn.close()
            raise

    @classmethod
    def open(cls, url: str, *, migrating: bool = False) -> PostgresStore:
        """Open the pufa store in a database; refuses foreign, newer and (unless ``migrating``)
        not-yet-migrated schemas."""
        conn = cls._connect(url)
        try:
            meta = cls._meta(conn)
            if meta is None:
                if cls._tables(conn):
                    raise StoreError(f"{redact(url)} 不是 pufa 的数据库(没有 pufa_meta 表)。")
                raise StoreError(
                    f"{redact(url)} 是空数据库:请先运行 pufa init 目录 --db URL 建立 pufa 的表。"
                )
            version = check_meta(meta, redact(url))
            store = cls(conn, url, meta["county"], meta["timezone"])
            if not migrating:
                store._require_current(version)
            return store
        except BaseException:
            conn.close()
            raise

    def _require_current(self, version: int) -> None:
        # a shared server is migrated on purpose, once, not by whichever client opens it first
        if version < schema.SCHEMA_VERSION:
            raise StoreError(
                f"{self.location} 的结构版本为 {version},本程序需要 {schema.SCHEMA_VERSION}:"
                "请由管理员运行 pufa db migrate(一次即可)。"
            )

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def _begin(self) -> None:
        self._conn.execute("BEGIN")

    def _stream(self, sql: str, params: Sequence[Any], batch: int) -> Iterator[Sequence[Any]]:
        """Rows in batches as the server sends them (a plain cursor would buffer the whole result)."""
        chunk: list[Any] = []
        with self._translated():
            for row in self._conn.cursor().stream(self._sql(sql), tuple(params), size=batch):
                chunk.append(row)
                if len(chunk) == batch:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    def _lock(self, event_id: int) -> None:
        self._execute("SELECT id FROM events WHERE id = ? FOR UPDATE", (event_id,))

    def _reserve_ids(self, count: int) -> list[int]:
        rows = self._execute(
            "SELECT nextval(pg_get_serial_sequence('events', 'id')) AS id FROM generate_series(1, ?)",
            (count,),
        ).fetchall()
        return [int(row["id"]) for row in rows]

    def after_copy(self) -> None:
        for table in (
            "events", "revisions", "people", "people_revisions", "people_access",
            "training_attendance", "scores", "users", "user_revisions", "login_attempts",
            "month_locks",
        ):  # fmt: skip
            self._execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )

    def _is_driver_error(self, exc: Exception) -> bool:
        return isinstance(exc, _driver().Error)

    def _error(self, exc: Exception) -> PufaError:
        psycopg = _driver()
        text = _clean(str(exc), self._url)
        state = getattr(exc, "sqlstate", None)
        if state == "25006":  # read_only_sql_transaction: a read-only server, role or database
            return StoreError(
                f"数据库是只读的:{self.location} 不能写入(服务器只允许读取)。"
                "查看、统计和导出到别处仍可用;要登记或修改,请联系数据库管理员。"
            )
        if state == "42501":  # insufficient_privilege: e.g. the people tables not granted
            return StoreError(
                f"{self.location} 的当前用户没有权限做这件事:{text}。名册等个人信息表可能只授权给了"
                "专门的用户;需要时请联系数据库管理员授权(见 docs/deploy.md)。"
            )
        if state in ("53100", "53200"):  # disk_full, out_of_memory
            cause = "服务器磁盘已满" if state == "53100" else "服务器内存不足"
            return StoreError(
                f"无法写入 PostgreSQL {self.location}:{cause}。这次操作没有写入任何内容,"
                "请联系数据库管理员。"
            )
        if isinstance(exc, psycopg.OperationalError):
            return StoreError(f"与 PostgreSQL {self.location} 的连接出错:{text}")
        return StoreError(f"{self.location}: 数据库错误:{text}")
