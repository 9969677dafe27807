"""Copy a whole store — records and their full history — from one engine to another."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pufa.errors import StoreError
from pufa.store import Store, create_store, is_url

#: tables copied, parents first; pufa_meta is written by the target's own creation
COPIED = ("events", "revisions")
#: the rosters of people (personal data), their history, the access log and training attendance,
#: the office's evaluation scores and its month locks
PEOPLE = ("people", "people_revisions", "people_access", "training_attendance")
#: the web's users, their audited changes and the sign-in log (sessions are not copied: users
#: sign in again on the new store)
WEB = ("users", "user_revisions", "login_attempts")
ALSO_COPIED = (*PEOPLE, "scores", *WEB, "month_locks")


def _counts(store: Store) -> dict[str, int]:
    """Row counts of every copied table: the store's own, then the people tables and scores."""
    found = dict(store.counts())
    for table in ALSO_COPIED:
        found[table] = sum(len(batch) for batch in store.rows(table))
    return found


def copy_store(
    source: Store, target: Store, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Copy every record and revision, the rosters with their history, access log and
    attendance, and the evaluation scores of ``source`` into the empty ``target``, ids unchanged.

    One transaction on the target: an interrupted copy leaves it empty. ``progress(done, total)``
    is called after each batch. Returns the target's row counts.
    """
    if source.county != target.county:
        raise StoreError(f"不能把 {source.county} 的数据复制进 {target.county} 的数据库。")
    if source.schema_version() != target.schema_version():
        raise StoreError(
            f"两边的结构版本不同({source.schema_version()} 与 {target.schema_version()}):"
            "请先对两边都运行 pufa db migrate。"
        )
    if not target.is_empty() or any(target.rows("people")):
        raise StoreError(f"{target.location} 已有记录:复制只写入空的数据库,不会合并或覆盖。")
    counts = _counts(source)
    total, done = sum(counts.values()), 0
    with target.transaction():
        for table in (*COPIED, *ALSO_COPIED):
            for batch in source.rows(table):
                target.put_rows(table, batch)
                done += len(batch)
                if progress is not None:
                    progress(done, total)
        target.after_copy()
        copied = _counts(target)
        if copied != counts:  # raising here rolls the whole copy back
            raise StoreError(f"复制后的行数 {copied} 与源 {counts} 不一致,已撤销复制。")
    return copied


def copy_to(
    source: Store, location: str | Path, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Create the store at ``location`` (a new file, or an empty PostgreSQL database) and copy
    ``source`` into it. A new file is removed again if the copy fails, so it can be retried."""
    fresh = not is_url(location) and not Path(location).exists()
    try:
        with create_store(location, source.county, source.timezone) as target:
            return copy_store(source, target, progress)
    except BaseException:
        if fresh:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{location}{suffix}").unlink(missing_ok=True)
        raise
