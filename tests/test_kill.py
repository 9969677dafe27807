"""`kill -9` in the middle of writing: the installed `pufa` is killed during `ledger import` and
`plan apply`, on both engines, and the store is whole afterwards — intact, all or nothing, every
record with its creation revision — and the same command then completes normally.

The kill points are not timings under test: each case waits for a sign that the command has
started writing (SQLite: its write-ahead log grows; PostgreSQL: its transaction has written a row)
and kills it then, or a little later, or blindly early during start-up.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook

from pufa import workspace as ws
from pufa.store import is_url

from .conftest import tool
from .engines import connect, execute

ROWS = 3000
PLANNED = 316  # records plan-2024.toml makes

#: (name, wait for a sign of writing?, seconds to wait then) — three places to stop a command
POINTS = [("early", False, 0.15), ("writing", True, 0.0), ("soon-after", True, 0.03)]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 3,000-row 法律七进 workbook in the template's layout (openpyxl, write-only)."""
    path = tmp_path_factory.mktemp("kill") / "台账-3000.xlsx"
    book = Workbook(write_only=True)
    sheet = book.create_sheet("法律七进集中宣传")
    sheet.append(["日期", "乡镇", "活动名称", "进", "参与人次", "发放资料", "备注"])
    townships = ["禾丰乡", "南江", "硒城街道", "龙岗镇", "毛云乡", "花梨镇"]
    venues = ["机关", "乡村", "社区", "学校", "企业", "单位", "网络"]
    for n in range(ROWS):
        venue = venues[n % 7]
        sheet.append([
            f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}", townships[n % 6],
            f"法律进{venue}:第{n + 1}次集中宣传", venue, 50 + n % 300, 100 + n % 500, "",
        ])  # fmt: skip
    book.save(path)
    return path


@pytest.fixture
def writing(workspace: ws.Workspace) -> Iterator[Callable[[], bool]]:
    """A probe: has a command started writing to this workspace's store?"""
    location = workspace.location
    if not is_url(location):
        wal = Path(location).with_name(Path(location).name + "-wal")
        yield lambda: wal.exists() and wal.stat().st_size > 0
        return
    watcher = connect(location)
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
    )
    try:
        yield lambda: bool(watcher.execute(query).fetchone()[0])
    finally:
        watcher.close()


def run_killed(
    command: list[str], writing: Callable[[], bool], point: tuple[str, bool, float]
) -> None:
    """Start ``command``, stop it with SIGKILL at ``point`` (unless it finished first)."""
    _, wait_for_writing, delay = point
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        if wait_for_writing:
            deadline = time.monotonic() + 60
            while process.poll() is None and not writing() and time.monotonic() < deadline:
                time.sleep(0.001)
        time.sleep(delay)
    finally:
        process.kill()  # SIGKILL: no handler, no clean-up, no rollback by pufa
        process.wait()


def assert_whole(location: str | Path, complete: int) -> int:
    """The store is intact and consistent, holding either none or all ``complete`` records;
    returns how many it holds."""
    if not is_url(location):
        assert execute(location, "PRAGMA integrity_check") == [("ok",)]
    count = execute(location, "SELECT count(*) FROM events")[0][0]
    assert count in (0, complete)
    uncreated = execute(
        location,
        "SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM revisions r"
        " WHERE r.event_id = e.id AND r.seq = 1 AND r.action = 'create')",
    )
    assert uncreated == [(0,)]
    unaudited = execute(
        location,
        "SELECT count(*) FROM events e WHERE e.revision <>"
        " (SELECT count(*) FROM revisions r WHERE r.event_id = e.id)",
    )
    assert unaudited == [(0,)]
    orphans = execute(
        location,
        "SELECT count(*) FROM revisions r WHERE NOT EXISTS"
        " (SELECT 1 FROM events e WHERE e.id = r.event_id)",
    )
    assert orphans == [(0,)]
    return int(count)


def pufa(workspace: ws.Workspace, *args: str) -> list[str]:
    return [tool("pufa"), "-w", str(workspace.root), *args]


@pytest.mark.slow
@pytest.mark.usefixtures("late_2024")  # the workbook's rows were held throughout 2024
@pytest.mark.parametrize("point", POINTS, ids=[p[0] for p in POINTS])
def test_ledger_import_killed_leaves_the_store_whole(
    workspace: ws.Workspace,
    workbook: Path,
    writing: Callable[[], bool],
    point: tuple[str, bool, float],
) -> None:
    """`pufa ledger import` of 3,000 rows killed with SIGKILL: none or all of them, each with its
    creation revision; the import run again adds them all."""
    command = pufa(workspace, "ledger", "import", str(workbook))
    run_killed(command, writing, point)
    assert_whole(workspace.location, ROWS)
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert assert_whole(workspace.location, ROWS) == ROWS


@pytest.mark.slow
@pytest.mark.parametrize("point", POINTS, ids=[p[0] for p in POINTS])
def test_plan_apply_killed_leaves_the_store_whole(
    workspace: ws.Workspace, writing: Callable[[], bool], point: tuple[str, bool, float]
) -> None:
    """`pufa plan apply plan-2024.toml` killed with SIGKILL: none or all of its 316 records; applied
    again, it completes."""
    command = pufa(
        workspace, "plan", "apply", str(workspace.root / "plan-2024.toml"), "--include-past"
    )
    run_killed(command, writing, point)
    assert_whole(workspace.location, PLANNED)
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert assert_whole(workspace.location, PLANNED) == PLANNED
