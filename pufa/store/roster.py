"""The rosters of people in the store: audited writes like records, the personal-data access log,
and erasure — the one place pufa removes what it stored (个人信息保护法), from the row, its
history and the database file.

:class:`Roster` works on an open :class:`~pufa.store.sql.SQLStore` (either engine) and its
transactions; rows ↔ :class:`~pufa.people.Person` are converted here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pendulum

from pufa.errors import Conflict, NotFound
from pufa.event import Stamp
from pufa.people import ERASED, FIELDS, PERSONAL, ROLES, Person, changes, scrub
from pufa.store.rows import Finding, stamp_text
from pufa.store.sql import SQLStore
from pufa.value import valueclass

_DATES = ("certified_on", "appointed", "ended")
_COLUMNS = FIELDS


@valueclass
class PersonRevision:
    """One change to a person: what was done, when, by whom, why, and field → [old, new]."""

    seq: int
    action: str  #: add, edit, leave, erase
    at: str
    by: str
    reason: str | None
    changes: dict[str, list[str]]


@valueclass
class Access:
    """One full-access read or export of personal data: who, when, what, how many people."""

    at: str
    by: str
    what: str
    count: int


def _person(row: Any) -> Person:
    values = {key: row[key] for key in FIELDS}
    for key in _DATES:
        values[key] = None if row[key] is None else pendulum.Date.fromisoformat(row[key])
    return Person(
        **values, id=int(row["id"]), revision=int(row["revision"]), erased=bool(row["erased"])
    )


def _values(person: Person) -> list[Any]:
    out: list[Any] = []
    for key in _COLUMNS:
        value = getattr(person, key)
        out.append(value.isoformat() if isinstance(value, pendulum.Date) else value)
    return out


class Roster:
    """The people of one store: add, edit, leave, list, show with history, erase, access log."""

    def __init__(self, store: object) -> None:
        if not isinstance(store, SQLStore):
            raise TypeError("a roster needs a pufa SQL store")
        self.store = store

    def _revise(
        self,
        person_id: int,
        seq: int,
        action: str,
        stamp: Stamp,
        reason: str | None,
        change: dict[str, Any],
    ) -> None:
        self.store._execute(
            "INSERT INTO people_revisions (person_id, seq, action, changed_at, changed_by, reason, changes)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                person_id,
                seq,
                action,
                stamp_text(stamp.at),
                stamp.by,
                reason,
                json.dumps(change, ensure_ascii=False),
            ),
        )

    def add(self, person: Person, stamp: Stamp) -> Person:
        """Store a new person and its creation revision; returns it with its id."""
        at = stamp_text(stamp.at)
        columns = ", ".join(_COLUMNS)
        marks = ", ".join("?" for _ in _COLUMNS)
        with self.store.transaction():
            row = self.store._execute(
                f"INSERT INTO people ({columns}, revision, created_at, created_by, updated_at, updated_by)"
                f" VALUES ({marks}, 1, ?, ?, ?, ?) RETURNING id",
                (*_values(person), at, stamp.by, at, stamp.by),
            ).fetchone()
            person_id = int(row["id"] if not isinstance(row, tuple) else row[0])
            self._revise(person_id, 1, "add", stamp, None, changes(None, person))
        return Person(**{k: getattr(person, k) for k in FIELDS}, id=person_id, revision=1)

    def get(self, person_id: int) -> Person:
        row = self.store._execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
        if row is None:
            raise NotFound(f"没有编号为 #{person_id} 的人员。用 pufa people list 查看名册。")
        return _person(row)

    def replace(
        self, old: Person, new: Person, stamp: Stamp, action: str, reason: str | None
    ) -> Person:
        """Store a changed person with its diff; refused if it changed since ``old`` was read."""
        assert old.id is not None
        if old.erased:
            raise Conflict(f"人员 #{old.id} 的个人信息已删除,不能再修改。")
        change = changes(old, new)
        if not change:
            return old
        sets = ", ".join(f"{key} = ?" for key in _COLUMNS)
        with self.store.transaction():
            found = self.store._execute(
                f"UPDATE people SET {sets}, revision = revision + 1, updated_at = ?, updated_by = ?"
                " WHERE id = ? AND revision = ?",
                (*_values(new), stamp_text(stamp.at), stamp.by, old.id, old.revision),
            )
            if found.rowcount != 1:
                raise Conflict(f"人员 #{old.id} 刚被别人修改过,请重新查看后再改。")
            self._revise(old.id, old.revision + 1, action, stamp, reason, change)
        return Person(**{k: getattr(new, k) for k in FIELDS}, id=old.id, revision=old.revision + 1)

    def people(self, role: str | None = None, include_ended: bool = False) -> list[Person]:
        where = ["1 = 1"]
        params: list[Any] = []
        if role is not None:
            where.append("role = ?")
            params.append(role)
        if not include_ended:
            where.append("ended IS NULL")
        sql = f"SELECT * FROM people WHERE {' AND '.join(where)} ORDER BY id"
        return [_person(row) for row in self.store._execute(sql, params).fetchall()]

    def history(self, person_id: int) -> list[PersonRevision]:
        rows = self.store._execute(
            "SELECT * FROM people_revisions WHERE person_id = ? ORDER BY seq", (person_id,)
        ).fetchall()
        return [
            PersonRevision(
                int(r["seq"]),
                r["action"],
                r["changed_at"],
                r["changed_by"],
                r["reason"],
                json.loads(r["changes"]),
            )
            for r in rows
        ]

    def log_access(self, stamp: Stamp, what: str, count: int) -> None:
        """Record one full-access read or export of personal data."""
        with self.store.transaction():
            self.store._execute(
                "INSERT INTO people_access (at, by, what, count) VALUES (?, ?, ?, ?)",
                (stamp_text(stamp.at), stamp.by, what, count),
            )

    def access_log(self) -> list[Access]:
        rows = self.store._execute("SELECT * FROM people_access ORDER BY id").fetchall()
        return [Access(r["at"], r["by"], r["what"], int(r["count"])) for r in rows]

    def erase(self, person_id: int, stamp: Stamp, reason: str) -> Person:
        """Remove a person's personal fields from the row and every revision, append an ``erase``
        revision (who, when, why — no values), then purge the old bytes from the database files."""
        if self.store.engine == "sqlite":  # freed cells are zeroed, not left in free pages
            self.store._execute("PRAGMA secure_delete = ON")
        with self.store.transaction():
            person = self.get(person_id)
            if person.erased:
                raise Conflict(f"人员 #{person_id} 的个人信息已删除过。")
            blanks = ", ".join(f"{key} = ?" for key in PERSONAL)
            self.store._execute(
                f"UPDATE people SET {blanks}, erased = 1, revision = revision + 1,"
                " updated_at = ?, updated_by = ? WHERE id = ?",
                (ERASED, "", "", stamp_text(stamp.at), stamp.by, person_id),
            )
            self._scrub_history(person_id)
            self._revise(
                person_id,
                person.revision + 1,
                "erase",
                stamp,
                reason,
                {key: [ERASED, ERASED] for key in PERSONAL},
            )
        self._purge()
        return self.get(person_id)

    def _scrub_history(self, person_id: int) -> None:
        rows = self.store._execute(
            "SELECT id, changes FROM people_revisions WHERE person_id = ?", (person_id,)
        ).fetchall()
        for row in rows:
            self.store._execute(
                "UPDATE people_revisions SET changes = ? WHERE id = ?",
                (json.dumps(scrub(json.loads(row["changes"])), ensure_ascii=False), row["id"]),
            )

    def _purge(self, tables: Sequence[str] = ("people", "people_revisions")) -> None:
        """No erased value left in the files: SQLite rebuilt and its WAL emptied, PostgreSQL's
        dead row versions vacuumed (outside any transaction)."""
        if self.store.engine == "sqlite":
            self.store._execute("VACUUM")
            self.store._execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            self.store._execute(f"VACUUM FULL {', '.join(tables)}")


@valueclass
class Attended:
    """One training a person attended: the record's id, its day and title."""

    event_id: int
    day: str
    title: str


class Attendance:
    """Who attended which 法律明白人 training (the ``training_attendance`` link table): append-only
    rows carrying who recorded them, when, and from what (the certificates listed, a sheet's name)."""

    def __init__(self, store: object) -> None:
        if not isinstance(store, SQLStore):
            raise TypeError("attendance needs a pufa SQL store")
        self.store = store

    def add(self, event_id: int, person_ids: Sequence[int], stamp: Stamp, source: str) -> int:
        """Link each person to the training once (already linked: left as it is); returns how many
        links are new."""
        known = set(self.people(event_id))
        new = [p for p in dict.fromkeys(person_ids) if p not in known]
        at = stamp_text(stamp.at)
        with self.store.transaction():
            for person_id in new:
                self.store._execute(
                    "INSERT INTO training_attendance (event_id, person_id, added_at, added_by, source)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (event_id, person_id, at, stamp.by, source),
                )
        return len(new)

    def people(self, event_id: int) -> list[int]:
        """The ids of the people who attended a training, in the order they were recorded."""
        rows = self.store._execute(
            "SELECT person_id FROM training_attendance WHERE event_id = ? ORDER BY id", (event_id,)
        ).fetchall()
        return [int(r["person_id"]) for r in rows]

    def trained(self, person_id: int, year: int) -> list[Attended]:
        """The year's trainings (not voided, not cancelled) a person attended, by date."""
        rows = self.store._execute(
            "SELECT e.id AS id, e.day AS day, e.title AS title FROM training_attendance a"
            " JOIN events e ON e.id = a.event_id WHERE a.person_id = ? AND e.year = ?"
            " AND e.voided_reason IS NULL AND e.status <> 'cancelled' ORDER BY e.day, e.id",
            (person_id, year),
        ).fetchall()
        return [Attended(int(r["id"]), r["day"], r["title"]) for r in rows]


def check(store: object) -> list[Finding]:
    """What is wrong in the people tables (``pufa db check``): an unknown role, an unreadable date,
    and — the one that matters most — personal data left behind an erasure, in the row or its
    history. A store older than the people tables has nothing to check."""
    if not isinstance(store, SQLStore) or not _has_people(store):
        return []
    found = []
    for row in store._execute("SELECT * FROM people ORDER BY id").fetchall():
        where = f"名册 #{row['id']}"
        if row["role"] not in ROLES:
            found.append(Finding(None, where, row["role"], "身份应为 " + "、".join(ROLES)))
        for key in _DATES:
            if row[key] is not None and not _is_date(row[key]):
                found.append(Finding(None, f"{where} {key}", row[key], "应为日期,如 2024-03-05"))
        if row["erased"] and any(row[key] not in (ERASED, "") for key in PERSONAL):
            found.append(Finding(None, where, "", "已删除个人信息,但记录中仍有个人信息"))
    erased = "SELECT id FROM people WHERE erased = 1"
    for row in store._execute(
        f"SELECT person_id, seq, changes FROM people_revisions WHERE person_id IN ({erased})"
    ).fetchall():
        change = json.loads(row["changes"])
        if change != scrub(change):
            where = f"名册 #{row['person_id']} 第{row['seq']}版"
            found.append(Finding(None, where, "", "已删除个人信息,但修订记录中仍有个人信息"))
    return found


def _is_date(text: str) -> bool:
    try:
        pendulum.Date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _has_people(store: SQLStore) -> bool:
    if store.engine == "sqlite":
        sql = "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'people'"
    else:
        sql = "SELECT COUNT(*) AS n FROM pg_tables WHERE tablename = 'people'"
    return int(store._execute(sql).fetchone()["n"]) > 0
