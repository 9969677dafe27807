"""Shared fixtures: the real Kaiyang profile, real workspaces under tmp_path, a fixed clock."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app
from pufa.load import load_county
from pufa.model import County, Stamp

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
#: the fixed "now" of every test (Asia/Shanghai)
NOW = "2024-03-06T10:00:00+08:00"
STAMP = Stamp(pendulum.datetime(2024, 3, 6, 10, 0, tz="Asia/Shanghai"), "测试员")


@pytest.fixture(autouse=True)
def _fixed_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test runs with a fixed clock and user, and no workspace from the environment."""
    monkeypatch.setenv("PUFA_NOW", NOW)
    monkeypatch.setenv("PUFA_USER", "测试员")
    monkeypatch.delenv("PUFA_WORKSPACE", raising=False)


@pytest.fixture(scope="session")
def county() -> County:
    return load_county(ROOT / "campaigns" / "kaiyang" / "county.toml")


@pytest.fixture
def workspace(tmp_path: Path) -> ws.Workspace:
    return ws.init(tmp_path / "ws")


def snapshot(database: Path) -> list[str]:
    """Every row of every table, as SQL text: equal snapshots mean an unchanged store."""
    conn = sqlite3.connect(database)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


@pytest.fixture
def cli(workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch) -> Callable[..., object]:
    """Run ``pufa ARGS`` in-process inside the workspace; returns the click Result."""
    runner = CliRunner()
    monkeypatch.chdir(workspace.root)

    def run(*args: str) -> object:
        return runner.invoke(app, list(args), catch_exceptions=False)

    return run
