"""Shared fixtures: the real Kaiyang profile, real workspaces under tmp_path, a fixed clock."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pendulum
import pytest
from click.testing import Result
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa import yearly
from pufa.cli.app import app
from pufa.event import Stamp
from pufa.load import load_county
from pufa.model import County

from . import pgserver

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
#: the fixed "now" of every test (Asia/Shanghai)
NOW = "2024-03-06T10:00:00+08:00"
#: "today" for the tests about the current year: late 2026, the first year of 九五普法
TODAY_2026 = "2026-11-29T10:00:00+08:00"
#: the same lecture, logged as often as a test needs rows (not a duplicate check)
REPEATED_LECTURE = ["log", "lecture", "--allow-duplicate", "-d", "2024-03-05", "-t", "禾丰乡",
                    "--title", "民法典讲座", "-p", "96"]  # fmt: skip
STAMP = Stamp(pendulum.datetime(2024, 3, 6, 10, 0, tz="Asia/Shanghai"), "测试员")


@pytest.fixture(autouse=True)
def _fixed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with a fixed clock and user, and no workspace from the environment."""
    monkeypatch.setenv("PUFA_NOW", NOW)
    monkeypatch.setenv("PUFA_USER", "测试员")
    monkeypatch.delenv("PUFA_WORKSPACE", raising=False)


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 2026-11-29, late in the first year of 九五普法 (no 2026 targets shipped)."""
    monkeypatch.setenv("PUFA_NOW", TODAY_2026)


#: "now" for tests that log 2024 activities held after NOW: the last day of 2024
LATE_2024 = "2024-12-31T10:00:00+08:00"


@pytest.fixture
def late_2024(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 2024-12-31: every 2024 activity a test logs as held has already taken place."""
    monkeypatch.setenv("PUFA_NOW", LATE_2024)


@pytest.fixture(scope="session")
def county() -> County:
    return load_county(ROOT / "campaigns" / "kaiyang" / "county.toml")


@pytest.fixture
def workspace(tmp_path: Path, store_location: str | Path) -> ws.Workspace:
    """A fresh workspace on each engine (SQLite file, or a PostgreSQL database by URL)."""
    url = None if isinstance(store_location, Path) else store_location
    return ws.init(tmp_path / "ws", db=url)


@pytest.fixture
def sqlite_workspace(tmp_path: Path) -> ws.Workspace:
    """A workspace on the embedded default, for tests about the SQLite file itself."""
    return ws.init(tmp_path / "ws")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--engines",
        default="sqlite,postgresql",
        help="store engines to run the engine-parametrised tests on (default: both)",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "engine" in metafunc.fixturenames:
        engines = metafunc.config.getoption("--engines").split(",")
        only = metafunc.definition.get_closest_marker("engine")
        if only is not None:  # a test about one engine's behaviour runs on that engine alone
            engines = [e for e in engines if e in only.args]
        metafunc.parametrize("engine", engines, scope="function")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str | None]:
    """A PostgreSQL server for the session: ``PUFA_TEST_PG_URL``, or one started here.

    Under CI (``CI=true``) a missing server fails the run: PostgreSQL tests never skip silently.
    """
    url = os.environ.get("PUFA_TEST_PG_URL")
    if url:
        yield url
        return
    problem = None
    if importlib.util.find_spec("psycopg") is None:
        problem = "psycopg 未安装(pip install '.[test]')"
    elif pgserver.binaries() is None:
        problem = "PostgreSQL 未安装(apt-get install postgresql)"
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI 必须在 PostgreSQL 上运行测试:{problem}")
        yield None
        return
    with pgserver.server() as started:
        yield started


@pytest.fixture
def store_location(
    engine: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str | Path]:
    """Where a fresh store goes: a file under tmp_path, or a new empty PostgreSQL database."""
    if engine == "sqlite":
        yield tmp_path / "pufa.db"
        return
    yield from new_pg_database(request)


def new_pg_database(request: pytest.FixtureRequest) -> Iterator[str]:
    """The URL of a new empty database on the test server, dropped afterwards (skipped without
    a server; under CI a missing server fails in ``pg_server``)."""
    server = request.getfixturevalue("pg_server")
    if server is None:
        pytest.skip("PostgreSQL 不可用(CI 中此情况会失败)")
    with pgserver.database(server) as url:
        yield url


def snapshot(location: str | Path) -> list[tuple[object, ...]]:
    """Every row of every pufa table: equal snapshots mean an unchanged store."""
    from .engines import snapshot as rows

    return rows(location)


@pytest.fixture
def cli(workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``pufa ARGS`` in-process inside the workspace; returns the click Result."""
    runner = CliRunner()
    monkeypatch.chdir(workspace.root)

    def run(*args: str) -> object:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run


def invoke(root: Path, *args: str) -> Result:
    """Run ``pufa -w ROOT ARGS`` in-process; returns the click Result (exceptions caught)."""
    return CliRunner().invoke(app, ["-w", str(root), *args])


def invoke_ok(root: Path, *args: str) -> Result:
    """``invoke``, failing the test unless the command exits 0."""
    result = invoke(root, *args)
    assert result.exit_code == 0, result.output
    return result


@contextmanager
def serving(folder: Path, **options: Any) -> Iterator[int]:
    """`pufa feeds serve` on a free loopback port, in a thread; yields the port. ``options`` go to
    ``serve.server`` (``idle_timeout``, ``workers``)."""
    import threading

    from pufa.serve import server

    httpd = server(folder, "127.0.0.1", 0, **options)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield int(httpd.server_address[1])
    finally:
        httpd.shutdown()
        httpd.server_close()


def tool(name: str) -> str:
    """An installed command next to this interpreter (the venv), else on PATH; fails if missing."""
    found = Path(sys.executable).with_name(name)
    if found.exists():
        return str(found)
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: pip install '.[test]'")
    return path


def year_of(workspace: ws.Workspace, year: int, as_of: pendulum.Date | None = None) -> yearly.Year:
    """``year`` tallied in ``workspace`` as ``pufa summary`` does: its goals, its open store."""
    county = workspace.county()
    goals = yearly.read_goals(workspace, county, year)
    with workspace.open() as store:
        return yearly.load_year(county, store, goals, as_of)
