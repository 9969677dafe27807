"""pufa.cli.db and `init --db`: choosing the engine, status, migrate, and copying a workspace's store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app
from pufa.store import is_url, redact
from pufa.store.schema import SCHEMA_VERSION

from .conftest import invoke
from .engines import execute

LOG = ["log", "lecture", "-d", "2024-03-05", "-t", "禾丰乡", "--title", "民法典讲座", "-p", "96"]


def test_status_on_either_engine(workspace: ws.Workspace) -> None:
    """db status names the engine, the (redacted) location, the schema and the counts."""
    invoke(workspace.root, *LOG)
    result = invoke(workspace.root, "db", "status", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "engine": "postgresql" if is_url(workspace.location) else "sqlite",
        "location": redact(workspace.location),
        "county": "kaiyang",
        "county_label": "开阳县",
        "schema_version": SCHEMA_VERSION,
        "program_schema_version": SCHEMA_VERSION,
        "events": 1,
        "revisions": 1,
    }


def test_migrate_when_current(workspace: ws.Workspace) -> None:
    """db migrate on a current store says so and changes nothing."""
    result = invoke(workspace.root, "db", "migrate")
    assert result.exit_code == 0
    assert (
        result.output
        == f"{redact(workspace.location)} 已是最新结构(第 {SCHEMA_VERSION} 版),无需升级。\n"
    )


def test_copy_to_a_new_sqlite_file_and_use_it(
    workspace: ws.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """db copy --to a new file copies every record and revision; PUFA_DB_URL/--workspace can then use it;
    a second copy into the now non-empty target is refused."""
    invoke(workspace.root, *LOG)
    invoke(workspace.root, "edit", "1", "-p", "120", "--reason", "补录")
    invoke(workspace.root, "void", "1", "--reason", "重复")
    target = tmp_path / "copy.db"
    result = invoke(workspace.root, "db", "copy", "--to", str(target))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"已复制到 {target}:记录 1 条,修改记录 3 条,名册 0 人。"
    again = invoke(workspace.root, "db", "copy", "--to", str(target))
    assert again.exit_code == 1
    assert again.stderr == f"错误:{target} 已存在:不会覆盖已有数据库。\n"
    other = ws.init(tmp_path / "other")
    monkeypatch.setenv("PUFA_DB_URL", str(target))
    history = invoke(other.root, "history", "1", "--json")
    assert [r["action"] for r in json.loads(history.output)] == ["create", "edit", "void"]


def test_init_db_must_be_a_url(tmp_path: Path) -> None:
    """--db takes a PostgreSQL URL; anything else is refused and nothing is created."""
    result = CliRunner().invoke(app, ["init", str(tmp_path / "w"), "--db", "pufa.db"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "错误:数据库 (--db) = “pufa.db”: 应为 postgresql://用户@主机:端口/库名 形式的 URL\n"
    )
    assert not (tmp_path / "w").exists()


def test_init_db_unreachable_leaves_nothing_and_hides_the_password(tmp_path: Path) -> None:
    """A server that does not answer: one red line with the password redacted; no workspace made."""
    pytest.importorskip("psycopg")
    url = "postgresql://pufa:s3cret@127.0.0.1:1/pufa?connect_timeout=3"
    result = CliRunner().invoke(app, ["init", str(tmp_path / "w"), "--db", url])
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "错误:无法连接 PostgreSQL postgresql://pufa:***@127.0.0.1:1/pufa"
    )
    assert "s3cret" not in result.output
    assert not (tmp_path / "w").exists()


def test_pufa_db_url_overrides_the_workspace_store(
    workspace: ws.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PUFA_DB_URL points any workspace at another store (here: the test engine's)."""
    invoke(workspace.root, *LOG)
    plain = ws.init(tmp_path / "plain")
    monkeypatch.setenv("PUFA_DB_URL", str(workspace.location))
    listed = invoke(plain.root, "list", "--json")
    assert [e["title"] for e in json.loads(listed.output)] == ["民法典讲座"]


def test_status_and_migrate_on_an_older_store(
    workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an upgrade of pufa: status shows the old version without touching the store; migrate
    applies the new migration once and says so."""
    from pufa.store import schema

    now = schema.SCHEMA_VERSION  # independent of how many migrations the schema has
    extra = schema.Migration(
        now + 1, "index on status", ("CREATE INDEX events_status ON events (status)",)
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, extra))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", now + 1)
    status = invoke(workspace.root, "db", "status")
    assert f"结构版本:{now}(本程序:{now + 1};请运行 pufa db migrate)" in status.output
    assert (
        json.loads(invoke(workspace.root, "db", "status", "--json").output)["schema_version"] == now
    )
    migrated = invoke(workspace.root, "db", "migrate")
    assert (
        migrated.output
        == f"已升级 {redact(workspace.location)}:应用迁移 {now + 1},现为第 {now + 1} 版。\n"
    )
    assert (
        json.loads(invoke(workspace.root, "db", "status", "--json").output)["schema_version"]
        == now + 1
    )


def test_edit_if_revision_refuses_a_lost_update(workspace: ws.Workspace) -> None:
    """Two people looked at version 1; 甲 saves first; 乙's `--if-revision 1` is refused with who,
    when and what — and nothing of 乙's is written."""
    invoke(workspace.root, *LOG)
    first = invoke(
        workspace.root,
        "edit",
        "1",
        "-p",
        "120",
        "--reason",
        "补录",
        "--by",
        "甲",
        "--if-revision",
        "1",
    )
    assert first.exit_code == 0, first.output
    second = invoke(
        workspace.root,
        "edit",
        "1",
        "-p",
        "130",
        "--reason",
        "核对",
        "--by",
        "乙",
        "--if-revision",
        "1",
    )
    assert second.exit_code == 1
    assert second.stderr == (
        "错误:记录 #1 在你读取(第 1 版)之后已被修改:第 2 版 2024-03-06 10:00 甲 修改(参与人次)。"
        "未保存你的修改:请用 pufa show 查看最新内容后再改。\n"
    )
    shown = json.loads(invoke(workspace.root, "show", "1", "--json").output)
    assert (shown["revision"], shown["measures"]["participants"]) == (2, 120)


def test_a_copy_that_fails_midway_leaves_no_new_file(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """db copy into a new file that fails half-way (an orphan revision breaks the new file's
    foreign key) reports the error and removes the half-made file, so it can be retried."""
    root = sqlite_workspace.root
    invoke(root, *LOG)
    execute(
        sqlite_workspace.database,
        "INSERT INTO revisions (event_id, seq, action, changed_at, changed_by, changes) "
        "VALUES (99, 1, 'create', '2024-03-06T02:00:00+00:00', '测试员', '[]')",
    )
    target = tmp_path / "copy.db"
    result = invoke(root, "db", "copy", "--to", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"错误:{target}: 数据库错误:FOREIGN KEY constraint failed\n"
    assert not any(tmp_path.glob("copy.db*"))
