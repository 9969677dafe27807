"""`pufa db check`: integrity, schema version and the rows pufa would refuse today, each with the
command that fixes it (both engines; hostile rows are written by SQL, as older data would be)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from pufa import workspace as ws
from pufa.store.rows import check_row

from .conftest import REPEATED_LECTURE as LOG
from .conftest import invoke
from .engines import execute


def with_records(workspace: ws.Workspace, n: int = 1) -> None:
    for _ in range(n):
        assert invoke(workspace.root, *LOG).exit_code == 0


def checked(workspace: ws.Workspace) -> dict[str, Any]:
    result = invoke(workspace.root, "db", "check", "--json")
    assert result.exit_code in (0, 1), result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


def test_a_clean_store_passes(workspace: ws.Workspace) -> None:
    """A store of valid records: “未发现问题” and exit status 0."""
    with_records(workspace)
    result = invoke(workspace.root, "db", "check")
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_an_lmt_date_is_reported_with_its_fix(workspace: ws.Workspace) -> None:
    """A timed date before 1901 (LMT offset) is one line: record, field, value, fix; exit 1."""
    with_records(workspace)
    lmt = "1900-01-01T09:00:00+08:05:43"
    execute(workspace.location, "UPDATE events SET starts = ?, ends = ?, all_day = 0", (lmt, lmt))
    result = invoke(workspace.root, "db", "check")
    assert result.exit_code == 1
    assert (
        f"#1 开始 = “{lmt}”: 应在 1949-01-01 至 2100-12-31 之间 — 修正:pufa edit 1 --date …"
    ) in result.output


def test_a_year_9999_date_is_reported(workspace: ws.Workspace) -> None:
    """9999-12-31 is reported for both the start and the end, with `pufa edit --date`/`--end`."""
    with_records(workspace)
    execute(workspace.location, "UPDATE events SET starts = '9999-12-31', ends = '9999-12-31'")
    fixes = [f["fix"] for f in checked(workspace)["findings"]]
    assert fixes == [
        "pufa edit 1 --date … --reason 日期有误",
        "pufa edit 1 --end … --reason 日期有误",
    ]


def test_a_count_over_the_bound_is_reported(workspace: ws.Workspace) -> None:
    """A count over 10,000,000 (the largest PostgreSQL INTEGER here) is reported with its option."""
    with_records(workspace)
    execute(workspace.location, "UPDATE events SET participants = 2147483647")
    (finding,) = checked(workspace)["findings"]
    assert finding == {
        "record": 1,
        "field": "参与人次",
        "value": "2147483647",
        "problem": "应为不超过 10,000,000 的整数",
        "fix": "pufa edit 1 --participants … --reason 数字有误",
    }


def test_control_characters_are_reported_escaped(workspace: ws.Workspace) -> None:
    """A raw ESC in a title is reported escaped (never sent raw) with `pufa edit --title`."""
    with_records(workspace)
    execute(workspace.location, "UPDATE events SET title = ?", ("\x1b[31m红字",))
    result = invoke(workspace.root, "db", "check")
    assert result.exit_code == 1
    assert "\x1b" not in result.output
    assert "#1 标题 = “\\x1b[31m红字”: 含控制字符 \\x1b — 修正:pufa edit 1 --title" in result.output


def test_an_unreadable_row_is_reported_with_void(sqlite_workspace: ws.Workspace) -> None:
    """A row whose date cannot be read at all is reported with `pufa void` as the fix."""
    with_records(sqlite_workspace)
    execute(sqlite_workspace.location, "UPDATE events SET starts = '0000-01-01'")
    (finding,) = checked(sqlite_workspace)["findings"]
    assert finding["field"] == "开始"
    assert finding["fix"] == "pufa void 1 --reason 数据有误"


def test_every_finding_is_listed(workspace: ws.Workspace) -> None:
    """Several bad records give one finding each, in record order, and the count at the end."""
    with_records(workspace, 3)
    execute(workspace.location, "UPDATE events SET materials = 20000000 WHERE id = 1")
    execute(workspace.location, "UPDATE events SET note = ? WHERE id = 3", ("备注\x07",))
    data = checked(workspace)
    assert [(f["record"], f["field"]) for f in data["findings"]] == [(1, "发放资料"), (3, "备注")]
    assert data["ok"] is False


def test_an_older_schema_is_reported(workspace: ws.Workspace) -> None:
    """A store at an older schema version is reported with `pufa db migrate`."""
    with_records(workspace)
    execute(workspace.location, "UPDATE pufa_meta SET value = '0' WHERE key = 'schema_version'")
    (finding,) = checked(workspace)["findings"]
    assert (finding["field"], finding["fix"]) == ("结构版本", "pufa db migrate")


def test_a_foreign_key_violation_is_reported(sqlite_workspace: ws.Workspace) -> None:
    """SQLite's foreign_key_check finds a revision of a record that does not exist."""
    with_records(sqlite_workspace)
    conn = sqlite3.connect(sqlite_workspace.location)  # foreign keys off, as in any other tool
    conn.execute(
        "INSERT INTO revisions (event_id, seq, action, changed_at, changed_by, changes) "
        "VALUES (99, 1, 'create', '2024-01-01T00:00:00+00:00', 'x', '[]')"
    )
    conn.commit()
    conn.close()
    (finding,) = checked(sqlite_workspace)["findings"]
    assert finding["field"] == "外键"
    assert "revisions" in finding["value"]


@pytest.mark.engine("postgresql")
def test_an_orphan_revision_is_reported_on_postgresql(workspace: ws.Workspace) -> None:
    """The engine-neutral check finds revisions of missing records where no PRAGMA exists."""
    with_records(workspace)
    execute(workspace.location, "ALTER TABLE revisions DROP CONSTRAINT revisions_event_id_fkey")
    execute(
        workspace.location,
        "INSERT INTO revisions (event_id, seq, action, changed_at, changed_by, changes) "
        "VALUES (99, 1, 'create', '2024-01-01T00:00:00+00:00', 'x', '[]')",
    )
    (finding,) = checked(workspace)["findings"]
    assert finding["problem"] == "指向不存在的记录 #99"


def test_check_row_of_a_valid_row_is_empty(sqlite_workspace: ws.Workspace) -> None:
    """The pure row check finds nothing in a row pufa wrote."""
    with_records(sqlite_workspace)
    conn = sqlite3.connect(sqlite_workspace.location)
    conn.row_factory = sqlite3.Row
    row = conn.execute("SELECT * FROM events").fetchone()
    conn.close()
    assert check_row(row, "Asia/Shanghai") == []
