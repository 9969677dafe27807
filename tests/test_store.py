"""pufa.store on both engines: schema, audit, safety, lost updates, clear errors for bad stores.

Tests taking ``store`` or ``store_location`` run once on a SQLite file and once on a fresh
PostgreSQL database (``--engines`` narrows that); the rest are about one engine's own file or server.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import attrs
import pytest

from pufa.errors import Conflict, NotFound, StoreError, WorkspaceError
from pufa.event import Action, Event, Voiding
from pufa.intake import Entry, build
from pufa.model import County, Status
from pufa.store import Query, Store, create_store, is_url, open_store, redact, schema
from pufa.store.copy import copy_store, copy_to
from pufa.store.sqlite import SQLiteStore

from .conftest import STAMP, snapshot
from .engines import execute


@pytest.fixture
def store(store_location: str | Path) -> Store:
    return create_store(store_location, "kaiyang", "Asia/Shanghai")


def lecture(county: County, **values: str) -> Event:
    return build(
        county,
        Entry("lecture", {"title": "讲座", "date": "2024-03-05", "township": "禾丰", **values}),
    )


def test_new_store_records_application_county_and_schema(
    store: Store, store_location: str | Path
) -> None:
    """pufa_meta says whose store it is and its schema version, on either engine."""
    meta = dict(execute(store_location, "SELECT key, value FROM pufa_meta"))
    assert re.fullmatch(r"[0-9a-f]{32}", meta.pop("store_id"))  # tells this store's exports apart
    assert meta == {
        "application": "pufa",
        "county": "kaiyang",
        "timezone": "Asia/Shanghai",
        "schema_version": str(schema.SCHEMA_VERSION),
    }
    assert store.engine == ("postgresql" if is_url(store_location) else "sqlite")


def test_add_get_round_trip(store: Store, county: County) -> None:
    """A stored event reads back equal, with id, revision 1 and its stamps; times keep their zone."""
    event = lecture(county, participants="96", date="2024-03-05 14:30", end="16:00")
    stored = store.add(event, STAMP)
    assert stored.id == 1
    assert stored.revision == 1
    assert stored.created == stored.updated
    assert stored.created is not None
    assert stored.created.by == "测试员"
    assert stored.span.start.isoformat() == "2024-03-05T14:30:00+08:00"
    assert attrs.evolve(stored, id=None, revision=0, created=None, updated=None) == event
    assert store.get(1) == stored


def test_creation_is_a_revision(store: Store, county: County) -> None:
    """The first revision records every field's value at creation."""
    store.add(lecture(county), STAMP, "首次登记")
    (revision,) = store.history(1)
    assert revision.action is Action.CREATE
    assert revision.reason == "首次登记"
    assert ("title", None, "讲座") in [(c.field, c.old, c.new) for c in revision.changes]


def test_replace_writes_the_diff_and_bumps_the_revision(store: Store, county: County) -> None:
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


def test_no_lost_update_between_two_users(store_location: str | Path, county: County) -> None:
    """Two users (two connections) edit from the same revision: the second is refused, saying
    who changed the record, when and what — and the first user's change stands."""
    first = create_store(store_location, "kaiyang", "Asia/Shanghai")
    stored = first.add(lecture(county, participants="96"), STAMP)
    second = open_store(store_location)
    seen_by_a, seen_by_b = first.get(1), second.get(1)
    assert seen_by_a.revision == seen_by_b.revision == stored.revision == 1
    first.replace(attrs.evolve(seen_by_a, title="甲改的标题"), attrs.evolve(STAMP, by="甲"), "r")
    with pytest.raises(Conflict) as caught:
        second.replace(attrs.evolve(seen_by_b, note="乙的备注"), attrs.evolve(STAMP, by="乙"), "r")
    assert str(caught.value) == (
        "记录 #1 在你读取(第 1 版)之后已被修改:第 2 版 2024-03-06 10:00 甲 修改(标题)。"
        "未保存你的修改:请用 pufa show 查看最新内容后再改。"
    )
    assert second.get(1).title == "甲改的标题"
    assert second.get(1).note == ""
    assert [r.stamp.by for r in second.history(1)] == ["测试员", "甲"]
    first.close()
    second.close()


def test_void_keeps_the_record_and_hides_it_from_lists(store: Store, county: County) -> None:
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


def test_query_filters(store: Store, county: County) -> None:
    """Filters by year, kind, township, status; ordered by date."""
    store.add(lecture(county, date="2024-05-01"), STAMP)
    store.add(lecture(county, date="2023-05-01", township="南江"), STAMP)
    store.add(lecture(county, date="2024-01-01", status="planned"), STAMP)
    assert [e.id for e in store.events(Query(year=2024))] == [3, 1]
    assert [e.id for e in store.events(Query(township="520121207"))] == [2]
    assert [e.id for e in store.events(Query(status=Status.PLANNED))] == [3]


def test_missing_id(store: Store) -> None:
    """An unknown id is NotFound with a hint."""
    with pytest.raises(NotFound, match="没有编号为 #7 的记录"):
        store.get(7)


def test_records_and_revisions_are_never_deleted(
    store: Store, store_location: str | Path, county: County
) -> None:
    """Even raw SQL cannot delete a record or alter a revision: triggers refuse, on both engines."""
    store.add(lecture(county), STAMP)
    with pytest.raises(Exception, match="never deleted"):
        execute(store_location, "DELETE FROM events")
    with pytest.raises(Exception, match="append-only"):
        execute(store_location, "UPDATE revisions SET reason = 'x'")
    with pytest.raises(Exception, match="append-only"):
        execute(store_location, "DELETE FROM revisions")
    assert store.counts() == {"events": 1, "revisions": 1}


def test_a_failed_transaction_writes_nothing(
    store: Store, store_location: str | Path, county: County
) -> None:
    """An error inside a transaction rolls back everything done in it."""
    before = snapshot(store_location)

    def add_then_fail() -> None:
        with store.transaction():
            store.add(lecture(county), STAMP)
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        add_then_fail()
    assert snapshot(store_location) == before


def test_newer_schema_is_refused(store: Store, store_location: str | Path) -> None:
    """A store written by a newer pufa is not touched; the message says to upgrade."""
    store.close()
    newer = schema.SCHEMA_VERSION + 1
    execute(
        store_location, "UPDATE pufa_meta SET value = ? WHERE key = 'schema_version'", (str(newer),)
    )
    before = snapshot(store_location)
    with pytest.raises(StoreError) as caught:
        open_store(store_location)
    assert str(caught.value) == (
        f"{redact(store_location)} 的结构版本为 {newer},本程序只认识到 {schema.SCHEMA_VERSION}:"
        "它由更新版本的 pufa 写入。请升级 pufa(pip install -U pufa)后再打开。"
    )
    assert snapshot(store_location) == before


def test_a_new_migration_is_applied_in_order(
    store: Store, store_location: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A release adding a migration: SQLite (one user) migrates on open; a shared PostgreSQL
    store refuses until `pufa db migrate`, which applies it once, in one transaction."""
    store.close()
    new = schema.SCHEMA_VERSION + 1  # independent of how many migrations the schema has
    extra = schema.Migration(
        new, "index on status", ("CREATE INDEX events_status ON events (status)",)
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, extra))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", new)
    if is_url(store_location):
        with pytest.raises(StoreError, match="请由管理员运行 pufa db migrate"):
            open_store(store_location)
        from pufa.store.postgres import PostgresStore

        conn = PostgresStore._connect(str(store_location))
        shared = PostgresStore(conn, str(store_location), "kaiyang", "Asia/Shanghai")
        assert shared.migrate() == [new]
        shared.close()
    reopened = open_store(store_location)
    assert reopened.schema_version() == new
    assert reopened.migrate() == []


def test_migrations_are_ordered_and_complete() -> None:
    """Versions run 1, 2, … without gaps; a new store gets all of them."""
    assert [m.version for m in schema.MIGRATIONS] == list(range(1, schema.SCHEMA_VERSION + 1))
    assert schema.pending(0) == schema.MIGRATIONS
    assert schema.pending(schema.SCHEMA_VERSION) == ()


def test_a_foreign_database_is_recognised(store_location: str | Path) -> None:
    """A database that pufa did not make is named as such, on either engine."""
    execute(store_location, "CREATE TABLE things (x INTEGER)")
    with pytest.raises(StoreError, match="不是 pufa 的数据库"):
        open_store(store_location)


# -- SQLite's own file ----------------------------------------------------------------------------


@pytest.fixture
def sqlite_store(tmp_path: Path) -> SQLiteStore:
    return SQLiteStore.create(tmp_path / "pufa.db", "kaiyang", "Asia/Shanghai")


def test_sqlite_file_is_wal_with_foreign_keys_and_busy_timeout(sqlite_store: SQLiteStore) -> None:
    """WAL journal, foreign keys on, a busy timeout on the store's own connection."""
    conn = sqlite3.connect(sqlite_store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    own = sqlite_store._conn
    assert own.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert own.execute("PRAGMA busy_timeout").fetchone()[0] == 60_000


def test_create_refuses_to_overwrite(sqlite_store: SQLiteStore) -> None:
    """An existing file is never replaced."""
    with pytest.raises(WorkspaceError, match="已存在"):
        SQLiteStore.create(sqlite_store.path, "kaiyang", "Asia/Shanghai")


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


# -- PostgreSQL's server ----------------------------------------------------------------------


def test_redact_hides_the_password() -> None:
    """Every printed URL has its password replaced; other parts and libpq options stay."""
    assert (
        redact("postgresql://pufa:s3cret@db.example:5432/pufa?sslmode=require")
        == "postgresql://pufa:***@db.example:5432/pufa?sslmode=require"
    )
    assert redact("postgresql://pufa@127.0.0.1/pufa") == "postgresql://pufa@127.0.0.1/pufa"
    assert redact("postgresql://pufa:pw@[::1]:5432/pufa") == "postgresql://pufa:***@[::1]:5432/pufa"
    assert (
        redact("postgresql://pufa@db/pufa?sslmode=require&password=pw")
        == "postgresql://pufa@db/pufa?sslmode=require&password=***"
    )
    assert redact(Path("pufa.db")) == "pufa.db"


def test_unreachable_server_message_never_shows_the_password() -> None:
    """A server that does not answer: one line, the URL redacted, the password nowhere."""
    pytest.importorskip("psycopg")
    url = "postgresql://pufa:s3cret@127.0.0.1:1/pufa?connect_timeout=3"
    with pytest.raises(StoreError) as caught:
        open_store(url)
    text = str(caught.value)
    assert text.startswith(
        "无法连接 PostgreSQL postgresql://pufa:***@127.0.0.1:1/pufa?connect_timeout=3:"
    )
    assert "s3cret" not in text
    assert "\n" not in text


def test_without_psycopg_the_message_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    """psycopg is optional: a PostgreSQL URL without it says which extra to install."""
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://pufa@127.0.0.1/pufa")
    assert (
        str(caught.value)
        == "使用 PostgreSQL 需要安装 psycopg:pip install 'pufa[postgres]'(SQLite 工作区不需要)。"
    )


def test_second_init_on_the_same_store(store_location: str | Path) -> None:
    """On a shared server the second township's `init` joins the store the first one made (same
    county only); a SQLite file is never shared, so a second create is refused."""
    first = create_store(store_location, "kaiyang", "Asia/Shanghai")
    first.close()
    if not is_url(store_location):
        with pytest.raises(WorkspaceError, match="已存在:不会覆盖"):
            create_store(store_location, "kaiyang", "Asia/Shanghai")
        return
    joined = create_store(store_location, "kaiyang", "Asia/Shanghai")
    assert joined.schema_version() == schema.SCHEMA_VERSION
    with pytest.raises(StoreError, match="是 kaiyang 的 pufa 数据库,不是 xifeng 的"):
        create_store(store_location, "xifeng", "Asia/Shanghai")


# -- moving a store between engines ---------------------------------------------------------------


@pytest.mark.engine("postgresql")
def test_copy_there_and_back_keeps_everything(
    tmp_path: Path, county: County, store_location: str | Path
) -> None:
    """SQLite → PostgreSQL → SQLite: same counts, same records, same history, same ids."""
    source = create_store(tmp_path / "a.db", "kaiyang", "Asia/Shanghai")
    for day in range(1, 8):
        event = source.add(lecture(county, date=f"2024-03-0{day}", participants=str(day)), STAMP)
        if day % 2:
            source.replace(attrs.evolve(event, title=f"讲座{day}"), STAMP, "改标题")
    source.void(3, Voiding("重复", STAMP))
    with create_store(store_location, "kaiyang", "Asia/Shanghai") as middle:
        seen: list[tuple[int, int]] = []
        copy_store(source, middle, lambda done, total: seen.append((done, total)))
        back = create_store(tmp_path / "b.db", "kaiyang", "Asia/Shanghai")
        copy_store(middle, back)
        everything = Query(include_voided=True)
        for store in (middle, back):
            assert store.counts() == source.counts() == {"events": 7, "revisions": 12}
            assert store.events(everything) == source.events(everything)
            assert [store.history(i) for i in range(1, 8)] == [
                source.history(i) for i in range(1, 8)
            ]
        assert seen[-1] == (19, 19)
        # the id sequence continues after the copy
        assert middle.add(lecture(county), STAMP).id == 8
        with pytest.raises(StoreError, match="已有记录:复制只写入空的数据库"):
            copy_store(source, middle)


def test_a_failed_copy_into_a_new_file_leaves_no_file(tmp_path: Path, county: County) -> None:
    """A copy that fails half-way (a revision of a record that is not there breaks the new file's
    foreign key) removes the new file again, so the copy can simply be retried."""
    with create_store(tmp_path / "a.db", "kaiyang", "Asia/Shanghai") as source:
        source.add(lecture(county), STAMP)
    execute(
        tmp_path / "a.db",
        "INSERT INTO revisions (event_id, seq, action, changed_at, changed_by, changes) "
        "VALUES (99, 1, 'create', '2024-03-06T02:00:00+00:00', '测试员', '[]')",
    )
    with open_store(tmp_path / "a.db") as source, pytest.raises(StoreError, match="FOREIGN KEY"):
        copy_to(source, tmp_path / "b.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]


def test_with_closes_the_store(tmp_path: Path) -> None:
    """A store opened in a with block is closed when the block ends: it can no longer be read."""
    create_store(tmp_path / "a.db", "kaiyang", "Asia/Shanghai").close()
    with open_store(tmp_path / "a.db") as store:
        assert store.counts() == {"events": 0, "revisions": 0}
    with pytest.raises(StoreError, match="Cannot operate on a closed database"):
        store.counts()


def test_add_many_continues_the_ids_and_writes_revisions(store: Store, county: County) -> None:
    """A batch insert takes the next ids, writes one creation revision each, and later adds go on."""
    store.add(lecture(county), STAMP)
    assert (
        store.add_many([lecture(county, participants=str(n)) for n in range(3)], STAMP, "导入") == 3
    )
    assert [e.id for e in store.events(Query())] == [1, 2, 3, 4]
    assert [r.reason for r in store.history(4)] == ["导入"]
    assert store.add(lecture(county), STAMP).id == 5
