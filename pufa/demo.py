"""The 示例 (sample) workspace: a synthetic 2023 log that reproduces the report's figures, and a
part-year 2024 log (held to 2024-06-30, the rest planned) — see :mod:`pufa.sample`.

Every title starts with 【示例】 and every note says the record is sample data. Stamps are fixed, so
the same pufa builds the same demo store.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pendulum

from pufa import accounts, records, sample
from pufa import workspace as ws
from pufa.errors import WorkspaceError
from pufa.event import Stamp
from pufa.model import County, Kind
from pufa.store import Query, Store
from pufa.store.roster import Roster

QUERY = Query(include_voided=True)
ACTOR = "示例管理员"
#: the one password of every demo user (示例 only: printed by ``pufa demo``, docs/web.md)
DEMO_PASSWORD = "pufa-demo-2026"
#: the demo web users, one per role: (name, role, township, department)
DEMO_USERS: tuple[tuple[str, str, str | None, str | None], ...] = (
    ("示例管理员", "admin", None, None),
    ("示例县普法办", "office", None, None),
    ("示例禾丰乡", "township", "禾丰乡", None),
    ("示例司法局", "department", None, "县司法局"),
    ("示例领导", "viewer", None, None),
)


#: the 2024 part-year log runs to this date; the rest of 2024 is planned
THROUGH_2024 = pendulum.Date(2024, 6, 30)
_LOGGED_2023 = Stamp(pendulum.datetime(2024, 1, 8, 9, 0, tz="Asia/Shanghai"), ACTOR)
_LOGGED_2024 = Stamp(pendulum.datetime(2024, 7, 1, 9, 0, tz="Asia/Shanghai"), ACTOR)
_FIXED = Stamp(pendulum.datetime(2024, 7, 2, 15, 30, tz="Asia/Shanghai"), ACTOR)


def init(root: Path) -> ws.Workspace:
    """Make (or remake) the sample workspace in ``root`` and :func:`build` its store; refuses a
    folder holding real work."""
    if (root / ws.CONFIG).exists():
        existing = ws.read(root)
        if not existing.demo:
            raise WorkspaceError(f"{root} 是真实的 pufa 工作区(不是示例):不会覆盖。请换一个目录。")
        for name in (ws.CONFIG, existing.profile.name, existing.database.name):
            (root / name).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(existing.database) + suffix).unlink(missing_ok=True)
    elif root.exists() and any(root.iterdir()):
        raise WorkspaceError(
            f"{root} 已存在且不是空目录:请指定新的示例目录,如 pufa demo pufa-demo2"
        )
    made = ws.init(root, "kaiyang", demo=True)
    with made.open() as store:
        build(made.county(), store)
        add_users(made.county(), store)
    return made


def add_users(county: County, store: Store) -> None:
    """The demo web users (:data:`DEMO_USERS`), all with :data:`DEMO_PASSWORD`."""
    with store.transaction():
        for typed in DEMO_USERS:
            accounts.add_user(store, county, typed, DEMO_PASSWORD, _FIXED)


def build(county: County, store: Store) -> None:
    """Write the sample records into an empty ``store``, in one transaction: the 2023 log, the
    2024 part-year log, the audit trail at work (a record logged twice and voided, a title
    corrected), and the synthetic roster (:func:`pufa.sample.roster_2023`)."""
    with store.transaction():
        for entry in sample.year_2023(county):
            records.log(store, county, entry, _LOGGED_2023)
        for entry in sample.year_2024(county, THROUGH_2024):
            records.log(store, county, entry, _LOGGED_2024)
        first = store.events(Query(year=2024, kind=Kind.LECTURE))[0]
        assert first.id is not None
        twice = attrs.evolve(first, id=None, title=first.title + "(重复登记)", revision=0)
        duplicate = store.add(twice, _FIXED)
        assert duplicate.id is not None
        records.void(store, duplicate.id, "与同日讲座记录重复", _FIXED)
        records.edit(
            store, county, first.id, {"title": first.title + "(民法典专题)"}, "补全讲座主题", _FIXED
        )
        people = Roster(store)
        for person in sample.roster_2023(county):
            people.add(person, _LOGGED_2023)


def edited(store: Store) -> int | None:
    """The id of the first sample record changed after it was logged (to show its history)."""
    changed = [e.id for e in store.events(QUERY) if e.revision > 1]
    return changed[0] if changed else None
