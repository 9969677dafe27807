"""`pufa db copy` and `pufa db check` include the people tables (pufa/store/copy.py)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from pufa import workspace as ws

from .conftest import invoke, invoke_ok
from .engines import execute

GUIDE = ("people", "add", "--role", "法律明白人", "--name", "示例人员001", "--village", "马江村",
         "--phone", "13800000001", "--certificate", "示例证书0001")  # fmt: skip


@pytest.fixture
def copied(workspace: ws.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A roster with a revision, a logged full read and an attendance, copied to a new SQLite file;
    returns the workspace root, now reading the copy (PUFA_DB_URL)."""
    root = workspace.root
    invoke_ok(root, *GUIDE)
    invoke_ok(root, "people", "edit", "1", "--post", "调解员", "--reason", "补录")
    invoke_ok(root, "people", "list", "--show-personal-data")
    invoke_ok(root, "log", "法律明白人培训", "-d", "2024-03-01", "-t", "冯三镇", "--title", "培训",
              "--trainees", "40")  # fmt: skip
    invoke_ok(root, "people", "attend", "1", "--cert", "示例证书0001")
    target = tmp_path / "copy.db"
    invoke_ok(root, "db", "copy", "--to", str(target))
    monkeypatch.setenv("PUFA_DB_URL", str(target))
    return root


def test_copy_keeps_the_roster_with_personal_data(copied: Path) -> None:
    """The copy holds the person, personal fields included."""
    found = json.loads(invoke_ok(copied, "people", "list", "--json", "--show-personal-data").output)
    assert [(p["name"], p["phone"], p["post"]) for p in found] == [
        ("示例人员001", "13800000001", "调解员")
    ]


def test_copy_keeps_the_revisions(copied: Path) -> None:
    """The copy holds the person's revisions, reason included."""
    output = invoke_ok(copied, "people", "show", "1").output
    assert "第2版 2024-03-06" in output
    assert "修改(补录)" in output


def test_copy_keeps_the_access_log(copied: Path) -> None:
    """The copy holds the access log of the original (and the read just made on the copy)."""
    found = json.loads(invoke_ok(copied, "people", "access-log", "--json").output)
    assert found[0]["what"] == "people list --show-personal-data"


def test_copy_keeps_attendance(copied: Path) -> None:
    """The copy holds the attendance: the person still attended training #1 in 2024."""
    found = json.loads(invoke_ok(copied, "people", "show", "1", "--json", "--year", "2024").output)
    assert [t["id"] for t in found["trained"]["trainings"]] == [1]


def test_copy_says_how_many_people(copied: Path, tmp_path: Path) -> None:
    """`db copy` reports the roster's size next to the records."""
    output = invoke_ok(copied, "db", "copy", "--to", str(tmp_path / "again.db")).output
    assert "名册 1 人。" in output


def test_check_reports_a_revision_of_a_missing_person(sqlite_workspace: ws.Workspace) -> None:
    """`db check` covers the people tables: a revision whose person is gone is reported."""
    with sqlite3.connect(sqlite_workspace.database) as conn:
        conn.execute("INSERT INTO people_revisions (person_id, seq, action, changed_at, changed_by,"
                     " changes) VALUES (99, 1, 'add', 'x', 'y', '{}')")  # fmt: skip
    result = invoke(sqlite_workspace.root, "db", "check")
    assert result.exit_code == 1
    assert "people_revisions" in result.output


def test_check_reports_personal_data_left_after_an_erasure(workspace: ws.Workspace) -> None:
    """`db check` reports an erased person whose old phone is still in a revision."""
    invoke_ok(workspace.root, *GUIDE)
    invoke_ok(workspace.root, "people", "erase", "1", "--reason", "本人申请")
    leftover = '{"phone": ["", "13800000001"]}'
    execute(
        workspace.location, "UPDATE people_revisions SET changes = ? WHERE seq = 1", (leftover,)
    )
    result = invoke(workspace.root, "db", "check", "--json")
    problems = [f["problem"] for f in json.loads(result.output)["findings"]]
    assert problems == ["已删除个人信息,但修订记录中仍有个人信息"]


def test_check_passes_after_a_clean_erasure(workspace: ws.Workspace) -> None:
    """After an erasure, `db check` finds nothing in the people tables."""
    invoke_ok(workspace.root, *GUIDE)
    invoke_ok(workspace.root, "people", "erase", "1", "--reason", "本人申请")
    assert invoke(workspace.root, "db", "check").exit_code == 0
