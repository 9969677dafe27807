"""A read-only workspace (a backup disk, a shared drive): reading works, writing says why not
(issue 10, point 12).

The tests run as root, and root ignores permission bits (``chmod -R a-w`` stops nobody), so a
folder made read-only by mode would test nothing. They use what really stops root: a small tmpfs
mounted on the test's folder, the workspace made in it, then remounted read-only (the kernel
refuses every write with EROFS, as on a write-protected backup disk). Where mounting is not
allowed (not root, no CAP_SYS_ADMIN) they skip.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pufa import workspace as ws

from .conftest import REPEATED_LECTURE as LOG
from .conftest import invoke, snapshot
from .engines import execute
from .mounts import remount_ro, tmpfs


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[Path]:
    """A 16 MiB tmpfs on tmp_path/mnt; ``remount_ro(mount)`` makes it read-only."""
    with tmpfs(tmp_path / "mnt", "16m") as folder:
        yield folder


@pytest.fixture
def read_only(mount: Path, store_location: str | Path) -> ws.Workspace:
    """A workspace with two records (one edited) on a folder that is then made read-only; its
    store is pufa.db in that folder, or a (writable) PostgreSQL database."""
    url = None if isinstance(store_location, Path) else store_location
    made = ws.init(mount / "ws", db=url)
    assert invoke(made.root, *LOG).exit_code == 0
    assert invoke(made.root, *LOG).exit_code == 0
    assert invoke(made.root, "edit", "1", "-p", "120", "--reason", "核对").exit_code == 0
    remount_ro(mount)
    return made


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["show", "1"],
        ["history", "1"],
        ["summary", "--year", "2024"],
        ["report", "--year", "2024"],
    ],
    ids=["list", "show", "history", "summary", "report"],
)
def test_read_commands_work_on_a_read_only_folder(read_only: ws.Workspace, args: list[str]) -> None:
    """Reading commands answer from a read-only workspace (both engines) and write nothing."""
    result = invoke(read_only.root, *args)
    assert result.exit_code == 0, result.output


def test_list_shows_the_records_of_a_read_only_store(read_only: ws.Workspace) -> None:
    """The records, edits included, are all there."""
    result = invoke(read_only.root, "list", "--json")
    assert result.exit_code == 0, result.output
    assert [r["measures"]["participants"] for r in json.loads(result.stdout)] == [120, 96]


def test_ledger_export_elsewhere_works(read_only: ws.Workspace, tmp_path: Path) -> None:
    """The year's workbook can be exported from a read-only workspace to a writable folder."""
    target = tmp_path / "out" / "台账.xlsx"
    target.parent.mkdir()
    result = invoke(read_only.root, "ledger", "export", "-o", str(target), "--year", "2024")
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0


def test_feeds_publish_elsewhere_works(read_only: ws.Workspace, tmp_path: Path) -> None:
    """The public calendars can be published from a read-only workspace to a writable folder."""
    result = invoke(read_only.root, "feeds", "publish", str(tmp_path / "feeds"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "feeds" / "index.html").exists()


@pytest.mark.parametrize(
    "args",
    [LOG, ["edit", "1", "-p", "130", "--reason", "再核对"], ["void", "2", "--reason", "重复登记"]],
    ids=["log", "edit", "void"],
)
@pytest.mark.engine("sqlite")
def test_writes_on_a_read_only_sqlite_folder_say_why(
    read_only: ws.Workspace, args: list[str]
) -> None:
    """log, edit and void on a read-only SQLite workspace: one Chinese line saying it is
    read-only and what still works, exit 1, the store as it was."""
    before = read_only.database.read_bytes()
    result = invoke(read_only.root, *args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:工作区是只读的:{read_only.database} 不能写入(文件系统是只读的)。"
        "查看、统计和导出到别处仍可用;要登记或修改,请在可写的位置操作。\n"
    )
    assert read_only.database.read_bytes() == before


@pytest.mark.engine("postgresql")
def test_writes_to_a_server_store_work_from_a_read_only_folder(read_only: ws.Workspace) -> None:
    """A workspace on a read-only folder whose store is a PostgreSQL server still logs: pufa
    writes nothing into the folder itself."""
    result = invoke(read_only.root, *LOG)
    assert result.exit_code == 0, result.output


@pytest.mark.engine("sqlite")
def test_plan_apply_and_ledger_import_say_why(read_only: ws.Workspace, tmp_path: Path) -> None:
    """plan apply and ledger import on a read-only SQLite workspace refuse with the same line."""
    workbook = tmp_path / "台账.xlsx"
    assert invoke(read_only.root, "ledger", "export", "-o", str(workbook)).exit_code == 0
    before = read_only.database.read_bytes()
    for args in (
        ["plan", "apply", str(read_only.root / "plan-2024.toml"), "--include-past"],
        ["ledger", "import", str(workbook)],
    ):
        result = invoke(read_only.root, *args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("错误:工作区是只读的:"), result.stderr
    assert read_only.database.read_bytes() == before


def test_a_copy_taken_with_its_wal_reads_the_latest_records(mount: Path, tmp_path: Path) -> None:
    """A copy of pufa.db taken while it was open (with its -wal and -shm files, the newest
    record only in the -wal) reads every record from a read-only disk."""
    made = ws.init(tmp_path / "live")
    assert invoke(made.root, *LOG).exit_code == 0
    holder = sqlite3.connect(made.database)  # keeps the -wal and -shm files in place
    holder.execute("SELECT COUNT(*) FROM events").fetchall()
    assert invoke(made.root, *LOG).exit_code == 0
    try:
        shutil.copytree(made.root, mount / "ws")
    finally:
        holder.close()
    assert (mount / "ws" / "pufa.db-wal").stat().st_size > 0
    remount_ro(mount)
    result = invoke(mount / "ws", "list", "--json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)) == 2


@pytest.mark.engine("postgresql")
def test_a_read_only_postgresql_database_refuses_writes(
    workspace: ws.Workspace, store_location: str | Path
) -> None:
    """A database the server keeps read-only (default_transaction_read_only, a replica, a
    read-only role): log says so in one line, exit 1; list still works."""
    assert invoke(workspace.root, *LOG).exit_code == 0
    name = store_location.rsplit("/", 1)[1]
    execute(store_location, f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    before = snapshot(store_location)
    result = invoke(workspace.root, *LOG)
    assert result.exit_code == 1
    assert result.stderr.startswith("错误:数据库是只读的:")
    assert result.stderr.count("\n") == 1
    assert invoke(workspace.root, "list").exit_code == 0
    assert snapshot(store_location) == before
