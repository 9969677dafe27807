"""pufa.workspace: init, finding the workspace like git, who and when."""

from __future__ import annotations

import os
import pwd
from pathlib import Path

import pytest

from pufa import workspace as ws
from pufa.errors import InvalidInput, WorkspaceError


def test_init_creates_config_campaign_files_and_database(tmp_path: Path) -> None:
    """pufa init writes pufa.toml, copies of the county's campaign files (to edit) and pufa.db."""
    made = ws.init(tmp_path / "office")
    assert sorted(p.name for p in made.root.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "county.toml", "duties-2023.toml", "indicators.toml", "plan-2024.toml",
        "programme-2021-2025.toml", "programme-2026-2030.toml", "pufa.db", "pufa.toml",
        "targets-2023.toml", "targets-2024.toml",
    ]  # fmt: skip
    assert made.county_slug == "kaiyang"
    assert made.county().name == "开阳县"
    assert not made.demo


def test_init_refuses_an_existing_workspace(workspace: ws.Workspace) -> None:
    """Never overwrite a workspace."""
    with pytest.raises(WorkspaceError, match="已经是 pufa 工作区"):
        ws.init(workspace.root)


def test_init_unknown_county(tmp_path: Path) -> None:
    """An unknown county says what --county takes, suggests the closest, and writes nothing."""
    with pytest.raises(InvalidInput) as caught:
        ws.init(tmp_path / "x", "kaiyan")
    assert str(caught.value) == (
        "县 (--county) = “kaiyan”: 应为 6 位区划代码、县名或全称,如 520122、息烽县、贵州省贵阳市息烽县;"
        "或 pufa 自带的县情配置:kaiyang — 是否指 kaiyang?"
    )
    assert not (tmp_path / "x").exists()


def test_found_from_a_subfolder(workspace: ws.Workspace) -> None:
    """Like git: the nearest pufa.toml upward."""
    deep = workspace.root / "2024" / "三月"
    deep.mkdir(parents=True)
    assert ws.find(start=deep).root == workspace.root


def test_explicit_and_environment(
    workspace: ws.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--workspace wins, then PUFA_WORKSPACE."""
    monkeypatch.setenv("PUFA_WORKSPACE", str(workspace.root))
    assert ws.find(start=tmp_path).root == workspace.root
    with pytest.raises(WorkspaceError, match="不是 pufa 工作区"):
        ws.find(str(tmp_path))


def test_no_workspace_says_run_init(tmp_path: Path) -> None:
    """Outside any workspace the message tells the user to run pufa init."""
    with pytest.raises(WorkspaceError) as caught:
        ws.find(start=tmp_path)
    assert str(caught.value) == (
        f"在 {tmp_path} 及其上级目录中没有找到 pufa 工作区(pufa.toml)。"
        "请先运行 pufa init 创建,或用 --workspace / PUFA_WORKSPACE 指定。"
    )


def test_bad_config_key_is_reported_with_line(sqlite_workspace: ws.Workspace) -> None:
    """A typo in pufa.toml names the file, line and the key meant."""
    workspace = sqlite_workspace
    config = workspace.root / "pufa.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'databse = "x.db"\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        ws.read(workspace.root)
    assert str(caught.value) == (
        f"{config}:5: databse = “databse”: 应为已知的键之一:county、database、demo、feeds、profile、store — 是否指 database?"
    )


def test_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    """--by, then PUFA_USER, then the OS user: LOGNAME/USER/LNAME/USERNAME, else the account's."""
    assert ws.actor("张三") == "张三"
    assert ws.actor() == "测试员"
    monkeypatch.delenv("PUFA_USER")
    monkeypatch.setenv("LOGNAME", "wang")
    assert ws.actor() == "wang"
    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(variable, raising=False)
    assert ws.actor() == pwd.getpwuid(os.getuid()).pw_name


def test_now_is_fixed_by_pufa_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """PUFA_NOW fixes the clock (UTC inside); a bad value is an input error."""
    assert ws.now().isoformat() == "2024-03-06T02:00:00+00:00"
    monkeypatch.setenv("PUFA_NOW", "yesterday")
    with pytest.raises(InvalidInput, match="PUFA_NOW"):
        ws.now()


def test_init_keeps_an_offices_own_campaign_files(tmp_path: Path) -> None:
    """Files the office already has in the folder (its own targets) are not overwritten."""
    folder = tmp_path / "office"
    folder.mkdir()
    (folder / "targets-2024.toml").write_text("# 本办自己的目标\n", encoding="utf-8")
    ws.init(folder)
    assert (folder / "targets-2024.toml").read_text(encoding="utf-8") == "# 本办自己的目标\n"
    assert (folder / "targets-2023.toml").exists()
