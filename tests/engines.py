"""Test helpers that talk to a store's database directly, for either engine.

Tests may use SQL (the package may not, outside pufa/store): to look at what was written, to
break things on purpose, and to prove a refused command changed nothing.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from pufa.store import is_url


def connect(location: str | Path) -> Any:
    """A raw DB-API connection (autocommit) to the store's database."""
    if is_url(location):
        import psycopg

        return psycopg.connect(str(location), autocommit=True)
    return sqlite3.connect(location, isolation_level=None)


def execute(location: str | Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Run one statement (``?`` placeholders on both engines) and return its rows, if any."""
    conn = connect(location)
    try:
        if is_url(location):
            sql = sql.replace("?", "%s")
        cursor = conn.execute(sql, params)
        return list(cursor.fetchall()) if cursor.description else []
    finally:
        conn.close()


def snapshot(location: str | Path) -> list[tuple[Any, ...]]:
    """Every row of every pufa table, in key order: equal snapshots mean an unchanged store."""
    rows: list[tuple[Any, ...]] = []
    for table, key in (("pufa_meta", "key"), ("events", "id"), ("revisions", "id")):
        rows += [
            (table, *row) for row in execute(location, f"SELECT * FROM {table} ORDER BY {key}")
        ]
    return rows


def content(location: str | Path) -> list[tuple[Any, ...]]:
    """The snapshot without the store's random identity (two builds of the same data compare equal)."""
    return [row for row in snapshot(location) if row[:2] != ("pufa_meta", "store_id")]
