"""A full disk during a write: one line naming what could not be written and why, and nothing
lost (issue 10, points 5 and 11).

The disk is a small tmpfs mounted on the test's folder (root only; skipped elsewhere), filled
with a filler file until the kernel answers ENOSPC — a real full disk, not a simulated error.
The store here is the SQLite file on that disk; a PostgreSQL server's disk is the server's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app

from .conftest import REPEATED_LECTURE as LOG
from .conftest import invoke
from .mounts import fill, tmpfs


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """An 8 MiB tmpfs on tmp_path/disk, unmounted at the end."""
    with tmpfs(tmp_path / "disk", "8m") as folder:
        yield folder


@pytest.fixture
def full(disk: Path) -> ws.Workspace:
    """A SQLite workspace with three records on a disk that is then filled to the last byte."""
    made = ws.init(disk / "ws")
    for _ in range(3):
        assert invoke(made.root, *LOG).exit_code == 0
    fill(disk)
    return made


def test_log_on_a_full_disk_is_one_line_and_changes_nothing(full: ws.Workspace) -> None:
    """pufa log on a full disk: one red line naming the store and 磁盘已满, exit 1; the store
    then passes integrity_check and holds the same rows as before (checked once space is
    freed: on a full disk even SQLite's reader cannot make its -shm index)."""
    before = full.database.read_bytes()
    result = invoke(full.root, *LOG, "--note", "长" * 2000)
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:无法写入 {full.database}:磁盘已满。这次操作没有写入任何内容,请腾出空间后重试。\n"
    )
    assert full.database.read_bytes() == before
    (full.root.parent / "filler").unlink()
    conn = sqlite3.connect(full.database)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("SELECT COUNT(*) FROM events").fetchall() == [(3,)]
    finally:
        conn.close()


def test_the_store_works_again_once_space_is_freed(full: ws.Workspace) -> None:
    """After the refused write, deleting the filler is enough: the next log is stored."""
    assert invoke(full.root, *LOG).exit_code == 1
    (full.root.parent / "filler").unlink()
    result = invoke(full.root, *LOG)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已登记 #4")


def test_feeds_publish_onto_a_full_disk_leaves_the_old_feeds(disk: Path, tmp_path: Path) -> None:
    """feeds publish onto a full disk: one line naming the file and 磁盘已满, exit 1; every feed
    already there is whole (the old one or, if its rename came first, the new one)."""
    made = ws.init(tmp_path / "ws")
    assert invoke(made.root, *LOG).exit_code == 0
    feeds = disk / "feeds"
    assert invoke(made.root, "feeds", "publish", str(feeds)).exit_code == 0
    old = {p.name: p.read_bytes() for p in feeds.iterdir()}
    assert invoke(made.root, *LOG[:-2], "-p", "97", "--title", "新讲座").exit_code == 0
    fill(disk)
    result = invoke(made.root, "feeds", "publish", str(feeds))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误:无法写入 {feeds}/")
    assert result.stderr.endswith(":磁盘已满。未留下不完整的文件,原有的文件(如有)保持不变。\n")
    assert result.stderr.count("\n") == 1
    assert sorted(p.name for p in feeds.iterdir()) == sorted(old)  # no temporary file left
    for path in feeds.iterdir():
        data = path.read_bytes()
        assert data == old[path.name] or data.rstrip().endswith((b"END:VCALENDAR", b"</html>"))


def test_init_on_a_full_disk_is_one_line(disk: Path) -> None:
    """pufa init where there is no room: one red line, exit 1, no traceback."""
    fill(disk)
    result = CliRunner().invoke(app, ["init", str(disk / "ws")])
    assert result.exit_code == 1
    assert result.stderr.startswith("错误:")
    assert result.stderr.count("\n") == 1
    assert "磁盘已满" in result.stderr
