"""pufa.store: a real SQLite file — schema, safety, audit, clear errors for bad files."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import attrs
import pytest

from pufa.errors import Conflict, NotFound, StoreError, WorkspaceError
from pufa.intake import Entry, build
from pufa.model import Action, County, Event, Status, Voiding
from pufa.store import Query
from pufa.store.schema import MIGRATIONS, SCHEMA_VERSION, pending
from pufa.store.sqlite import SQLiteStore

from .conftest import STAMP, snapshot


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore.create(tmp_path / "pufa.db", "kaiyang", "Asia/Shanghai")


def lecture(county: County, **values: str) -> Event:
    return build(
        county,
        Entry("lecture", {"title": "讲座", "date": "2024-03-05", "township": "禾丰", **values}),
    )


def test_new_store_is_wal_with_schema_version(store: SQLiteStore) -> None:
    """WAL journal, foreign keys on, a busy timeout, and the schema version recorded."""
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    meta = dict(conn.execute("SELECT key, value FROM pufa_meta").fetchall())
    assert meta == {
        "application": "pufa",
        "county": "kaiyang",
        "timezone": "Asia/Shanghai",
        "schema_version": str(SCHEMA_VERSION),
    }
    own = store._conn  # the store's own connection carries the per-connection settings
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] == 60_000


def test_add_get_round_trip(store: SQLiteStore, county: County) -> None:
    """A stored event reads back equal, with id, revision 1 and its stamps."""
    event = lecture(county, participants="96", date="2024-03-05 14:30", end="16:00")
    stored = store.add(event, STAMP)
    assert stored.id == 1
    assert stored.revision == 1
    assert stored.created == stored.updated
    assert stored.created is not None
    assert stored.created.by == "测试员"
    assert attrs.evolve(stored, id=None, revision=0, created=None, updated=None) == event
    assert store.get(1) == stored


def test_creation_is_a_revision(store: SQLiteStore, county: County) -> None:
    """The first revision records every field's value at creation."""
    store.add(lecture(county), STAMP, "首次登记")
    (revision,) = store.history(1)
    assert revision.action is Action.CREATE
    assert revision.reason == "首次登记"
    assert ("title", None, "讲座") in [(c.field, c.old, c.new) for c in revision.changes]


def test_replace_writes_the_diff_and_bumps_the_revision(store: SQLiteStore, county: County) -> None:
    """An edit stores old → new for each changed field, who, when and why."""
    stored = store.add(lecture(county, participants="96"), STAMP)
    changed = attrs.evolve(
        stored, title="民法典讲座", measures=attrs.evolve(stored.measures, participants=120)
    )
    after = store.replace(changed, STAMP, "标题和人数有误")
    assert after.revision == 2
    revision = store.history(1)[-1]
    assert revision.action is Action.EDIT
    assert revision.reason == "标题和人数有误"
    assert [(c.field, c.old, c.new) for c in revision.changes] == [
        ("title", "讲座", "民法典讲座"),
        ("participants", 96, 120),
    ]


def test_stale_edit_is_refused(store: SQLiteStore, county: County) -> None:
    """Two edits from the same old version: the second is refused, not silently merged."""
    stored = store.add(lecture(county), STAMP)
    store.replace(attrs.evolve(stored, title="甲"), STAMP, "r")
    with pytest.raises(Conflict) as caught:
        store.replace(attrs.evolve(stored, title="乙"), STAMP, "r")
    assert str(caught.value) == (
        "记录 #1 在你读取(第 1 版)之后已被修改:第 2 版 2024-03-06 10:00 测试员 修改(标题)。"
        "未保存你的修改:请用 pufa show 查看最新内容后再改。"
    )
    assert store.get(1).title == "甲"


def test_void_keeps_the_record_and_hides_it_from_lists(store: SQLiteStore, county: County) -> None:
    """A voided record is still there (show, history) but not listed by default."""
    store.add(lecture(county), STAMP)
    voided = store.void(1, Voiding("重复登记", STAMP))
    assert voided.voided is not None
    assert voided.voided.reason == "重复登记"
    assert store.events(Query()) == []
    assert [e.id for e in store.events(Query(include_voided=True))] == [1]
    assert [r.action for r in store.history(1)] == [Action.CREATE, Action.VOID]
    with pytest.raises(Conflict, match="不能再次作废"):
        store.void(1, Voiding("again", STAMP))


def test_query_filters(store: SQLiteStore, county: County) -> None:
    """Filters by year, kind, township, status; ordered by date."""
    store.add(lecture(county, date="2024-05-01"), STAMP)
    store.add(lecture(county, date="2023-05-01", township="南江"), STAMP)
    store.add(lecture(county, date="2024-01-01", status="planned"), STAMP)
    assert [e.id for e in store.events(Query(year=2024))] == [3, 1]
    assert [e.id for e in store.events(Query(township="520121207"))] == [2]
    assert [e.id for e in store.events(Query(status=Status.PLANNED))] == [3]


def test_missing_id(store: SQLiteStore) -> None:
    """An unknown id is NotFound with a hint."""
    with pytest.raises(NotFound, match="没有编号为 #7 的记录"):
        store.get(7)


def test_records_and_revisions_are_never_deleted(store: SQLiteStore, county: County) -> None:
    """Even raw SQL cannot delete a record or alter a revision: triggers refuse."""
    store.add(lecture(county), STAMP)
    conn = sqlite3.connect(store.path)
    with pytest.raises(sqlite3.IntegrityError, match="never deleted"):
        conn.execute("DELETE FROM events")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("UPDATE revisions SET reason = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        conn.execute("DELETE FROM revisions")


def test_a_failed_transaction_writes_nothing(store: SQLiteStore, county: County) -> None:
    """An error inside a transaction rolls back everything done in it."""
    before = snapshot(store.path)

    def add_then_fail() -> None:
        with store.transaction():
            store.add(lecture(county), STAMP)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert snapshot(store.path) == before


def test_create_refuses_to_overwrite(store: SQLiteStore) -> None:
    """An existing file is never replaced."""
    with pytest.raises(WorkspaceError, match="已存在"):
        SQLiteStore.create(store.path, "kaiyang")


def test_open_missing_file_points_to_init(tmp_path: Path) -> None:
    """No database file: tell the user to run pufa init."""
    with pytest.raises(WorkspaceError, match="请先运行 pufa init"):
        SQLiteStore.open(tmp_path / "pufa.db")


def test_corrupt_file(tmp_path: Path) -> None:
    """A file that is not SQLite gives one Chinese line saying what to do."""
    path = tmp_path / "pufa.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError) as caught:
        SQLiteStore.open(path)
    assert str(caught.value) == (
        f"{path} 已损坏或不是 SQLite 数据库文件(file is not a database)。请从备份恢复,或另建工作区:pufa init 新目录"
    )


def test_foreign_sqlite_file(tmp_path: Path) -> None:
    """A SQLite file that pufa did not make is recognised as foreign."""
    path = tmp_path / "pufa.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="不是 pufa 的数据库"):
        SQLiteStore.open(path)


def test_newer_schema_is_refused(store: SQLiteStore) -> None:
    """A store written by a newer pufa is not touched; the message says to upgrade."""
    store.close()
    conn = sqlite3.connect(store.path)
    conn.execute(
        "UPDATE pufa_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    conn.commit()
    conn.close()
    before = snapshot(store.path)
    with pytest.raises(StoreError) as caught:
        SQLiteStore.open(store.path)
    assert str(caught.value) == (
        f"{store.path} 的结构版本为 {SCHEMA_VERSION + 1},本程序只认识到 {SCHEMA_VERSION}:"
        "它由更新版本的 pufa 写入。请升级 pufa(pip install -U pufa)后再打开。"
    )
    assert snapshot(store.path) == before


def test_migrations_are_ordered_and_complete() -> None:
    """Versions run 1, 2, … without gaps; a new store gets all of them."""
    assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1))
    assert pending(0) == MIGRATIONS
    assert pending(SCHEMA_VERSION) == ()
