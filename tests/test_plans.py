"""pufa.plans: a plan argument that is not a readable plan file — a directory, a missing, unreadable,
binary or far too big file — is refused in one line, and nothing is written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pufa import plans
from pufa import workspace as ws
from pufa.model import County, Status
from pufa.store import create_store

from .conftest import ROOT, invoke, snapshot, tool

PLAN = ROOT / "campaigns" / "kaiyang" / "plan-2024.toml"
CALENDAR = ROOT / "campaigns" / "calendar.toml"


def apply(workspace: ws.Workspace, plan: Path) -> Any:
    return invoke(workspace.root, "plan", "apply", str(plan))


def refused(workspace: ws.Workspace, plan: Path) -> str:
    """The one error line of `pufa plan apply PLAN`, after checking it wrote nothing."""
    before = snapshot(workspace.location)
    result = apply(workspace, plan)
    assert result.exit_code == 1
    assert snapshot(workspace.location) == before
    assert "Traceback" not in result.output
    lines: list[str] = result.stderr.splitlines()
    assert len(lines) == 1
    return lines[0]


def test_a_directory_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """`plan apply <a directory>` names the argument and asks for the .toml inside."""
    assert refused(sqlite_workspace, sqlite_workspace.root) == (
        f"错误:计划文件 = “{sqlite_workspace.root}”: 是一个目录,应为计划文件"
        " — 给出目录里的 .toml 文件,如 plan-2024.toml"
    )


def test_a_missing_file_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """A plan file that does not exist: the message every TOML file gets."""
    missing = sqlite_workspace.root / "plan-2099.toml"
    assert refused(sqlite_workspace, missing) == f"错误:文件 = “{missing}”: 找不到这个文件"


def test_a_binary_file_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """A file that is not UTF-8 text (a workbook given by mistake) is named as not text."""
    binary = sqlite_workspace.root / "plan.toml"
    binary.write_bytes(b"PK\x03\x04\x14\x00\x06\x00\xff\xfe" + bytes(range(256)))
    assert refused(sqlite_workspace, binary) == (
        f"错误:计划文件 = “{binary}”: 不是文本文件,应为 UTF-8 编码的 TOML 计划"
        " — 用文本编辑器打开计划文件,另存为 UTF-8"
    )


def test_a_file_with_nul_bytes_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """Valid UTF-8 holding NUL bytes is not a text file either."""
    nul = sqlite_workspace.root / "plan.toml"
    nul.write_bytes(b"year = 2024\x00\x00\n")
    assert "不是文本文件" in refused(sqlite_workspace, nul)


def test_a_file_far_too_big_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """A file over 1 MiB is not read as a plan."""
    big = sqlite_workspace.root / "plan.toml"
    big.write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    assert refused(sqlite_workspace, big) == (
        f"错误:计划文件 = “{big}”: 太大(超过 1 MiB),不像计划文件 — 确认给的是 .toml 计划文件"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file whatever its mode")
def test_an_unreadable_file_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """A plan file without read permission says so and what to do."""
    locked = sqlite_workspace.root / "plan.toml"
    locked.write_text("year = 2024\n", encoding="utf-8")
    locked.chmod(0)
    assert refused(sqlite_workspace, locked) == (
        f"错误:计划文件 = “{locked}”: 没有读取权限 — 请文件的所有者开放读取权限(chmod a+r 文件)"
    )


@pytest.mark.slow
def test_the_installed_command_refuses_a_directory(sqlite_workspace: ws.Workspace) -> None:
    """The installed `pufa plan apply <a directory>`: one red line, no traceback, exit 1."""
    folder = sqlite_workspace.root / "plans"
    folder.mkdir()
    result = subprocess.run(
        [tool("pufa"), "-w", str(sqlite_workspace.root), "plan", "apply", str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"错误:计划文件 = “{folder}”: 是一个目录,应为计划文件"
        " — 给出目录里的 .toml 文件,如 plan-2024.toml\n"
    )


# -- the services without a workspace: a county profile, a store, the plan and calendar files ----


def test_prepare_needs_only_a_county_and_a_store(
    store_location: str | Path, county: County
) -> None:
    """plans.prepare schedules the shipped 2024 plan against an empty store: every slot is new."""
    with create_store(store_location, "kaiyang", county.timezone) as store:
        prepared = plans.prepare(county, store, PLAN, CALENDAR)
    assert len(prepared.changes.add) == 316
    assert prepared.existing == ()


def test_apply_needs_only_a_store_and_the_prepared_plan(
    store_location: str | Path, county: County
) -> None:
    """plans.apply writes the prepared slots as planned records carrying the plan's source key."""
    with create_store(store_location, "kaiyang", county.timezone) as store:
        plans.apply(store, plans.prepare(county, store, PLAN, CALENDAR), "测试员")
        made = store.by_source("plan:2024:")
    assert len(made) == 316
    assert {e.status for e in made} == {Status.PLANNED}
