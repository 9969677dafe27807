"""The schema as an ordered registry of migrations; portable SQL (SQLite and PostgreSQL).

The version lives in the ``pufa_meta`` table (``schema_version``), next to ``application = pufa``
(so a foreign database is recognised) and the county the store belongs to.
"""

from __future__ import annotations

import attrs

APPLICATION = "pufa"


@attrs.frozen
class Migration:
    """One step of the schema: statements that run together in one transaction."""

    version: int
    name: str
    statements: tuple[str, ...]
    #: extra statements for SQLite only (triggers in its dialect)
    sqlite: tuple[str, ...] = ()


EVENT_COLUMNS = (
    "kind", "title", "starts", "ends", "all_day", "day", "year", "township", "dept", "status",
    "venue", "occasion", "school", "lecturer", "mode", "audience", "channel",
    "sessions", "participants", "materials", "banners", "screens", "items", "trainees",
    "certified", "passed", "note", "source",
)  # fmt: skip

MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "records, revisions and meta",
        (
            """CREATE TABLE pufa_meta (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL
            )""",
            """CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                starts TEXT NOT NULL,
                ends TEXT NOT NULL,
                all_day INTEGER NOT NULL,
                day TEXT NOT NULL,
                year INTEGER NOT NULL,
                township TEXT,
                dept TEXT,
                status TEXT NOT NULL,
                venue TEXT, occasion TEXT, school TEXT, lecturer TEXT, mode TEXT,
                audience TEXT, channel TEXT,
                sessions INTEGER NOT NULL,
                participants INTEGER, materials INTEGER, banners INTEGER, screens INTEGER,
                items INTEGER, trainees INTEGER, certified INTEGER, passed INTEGER,
                note TEXT NOT NULL,
                source TEXT UNIQUE,
                revision INTEGER NOT NULL,
                created_at TEXT NOT NULL, created_by TEXT NOT NULL,
                updated_at TEXT NOT NULL, updated_by TEXT NOT NULL,
                voided_reason TEXT, voided_at TEXT, voided_by TEXT,
                CHECK (status IN ('planned', 'held', 'cancelled')),
                CHECK ((township IS NULL) <> (dept IS NULL))
            )""",
            "CREATE INDEX events_year_kind ON events (year, kind)",
            "CREATE INDEX events_township ON events (township, year)",
            """CREATE TABLE revisions (
                id INTEGER PRIMARY KEY,
                event_id INTEGER NOT NULL REFERENCES events (id),
                seq INTEGER NOT NULL,
                action TEXT NOT NULL,
                changed_at TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                reason TEXT,
                changes TEXT NOT NULL,
                UNIQUE (event_id, seq)
            )""",
        ),
        sqlite=(
            """CREATE TRIGGER events_never_deleted BEFORE DELETE ON events
               BEGIN SELECT RAISE(ABORT, 'pufa: records are never deleted; void them'); END""",
            """CREATE TRIGGER revisions_never_deleted BEFORE DELETE ON revisions
               BEGIN SELECT RAISE(ABORT, 'pufa: revisions are append-only'); END""",
            """CREATE TRIGGER revisions_never_changed BEFORE UPDATE ON revisions
               BEGIN SELECT RAISE(ABORT, 'pufa: revisions are append-only'); END""",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1].version


def pending(current: int) -> tuple[Migration, ...]:
    """The migrations to run, in order, to bring a store at ``current`` to :data:`SCHEMA_VERSION`."""
    return tuple(m for m in MIGRATIONS if m.version > current)
