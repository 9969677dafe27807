"""On PostgreSQL the people tables can be kept from a role that is not granted them (docs/deploy.md)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

from pufa import workspace as ws

from .conftest import invoke, invoke_ok

#: the tables a clerk's role is granted (read only here); the people tables are left out
RECORDS = ("pufa_meta", "events", "revisions")


def _as_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


@pytest.fixture
def clerk(workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch) -> ws.Workspace:
    """The workspace read through a new role granted the records' tables only (PUFA_DB_URL)."""
    import psycopg

    assert isinstance(workspace.location, str)
    invoke_ok(workspace.root, "people", "add", "--role", "法律明白人", "--name", "示例人员001",
              "--village", "马江村", "--phone", "13800000001")  # fmt: skip
    role = f"pufa_clerk_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(workspace.location, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
        admin.execute(f"GRANT SELECT ON {', '.join(RECORDS)} TO {role}")
    monkeypatch.setenv("PUFA_DB_URL", _as_role(workspace.location, role))
    return workspace


@pytest.mark.engine("postgresql")
def test_a_role_without_the_grant_reads_records(clerk: ws.Workspace) -> None:
    """The clerk's role lists the records."""
    assert invoke(clerk.root, "list", "--json").exit_code == 0


@pytest.mark.engine("postgresql")
def test_a_role_without_the_grant_cannot_read_people(clerk: ws.Workspace) -> None:
    """The clerk's role is refused the roster, with the reason in Chinese."""
    result = invoke(clerk.root, "people", "list")
    assert result.exit_code == 1
    assert "没有权限" in result.stderr
