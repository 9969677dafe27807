"""Helpers of the web page tests: a demo workspace per engine (records, roster and the demo's web
users), an app on it with a fixed clock, and clients signed in as a demo user."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pendulum
import pytest
from flask import Flask
from flask.testing import FlaskClient

from pufa import demo
from pufa import workspace as ws
from pufa.web.app import create_app

from .conftest import new_pg_database

#: the app's "now": late in 2026
NOW = pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
#: the demo's web users by role
ADMIN, OFFICE, TOWNSHIP, DEPARTMENT, VIEWER = (name for name, *_ in demo.DEMO_USERS)
EVERYONE = (ADMIN, OFFICE, TOWNSHIP, DEPARTMENT, VIEWER)


def database(request: pytest.FixtureRequest, engine: str) -> Iterator[str | None]:
    """None for SQLite; for PostgreSQL the URL of a new empty database (dropped afterwards)."""
    if engine not in request.config.getoption("--engines").split(","):
        pytest.skip(f"{engine} 不在 --engines 中")
    if engine == "sqlite":
        yield None
        return
    yield from new_pg_database(request)


def demo_workspace(root: Path, url: str | None, *, records: bool = True) -> ws.Workspace:
    """A workspace of the demo county with the demo's web users (and its records and roster)."""
    made = ws.init(root, "kaiyang", db=url)
    with made.open() as store:
        if records:
            demo.build(made.county(), store)
        demo.add_users(made.county(), store)
    return made


def with_users(made: ws.Workspace) -> ws.Workspace:
    """A test workspace with the demo's web users added."""
    with made.open() as store:
        demo.add_users(made.county(), store)
    return made


def make_app(made: ws.Workspace) -> Flask:
    """The app of a workspace on the fixed clock."""
    return create_app(made.root, secret=b"test secret " * 3, now=lambda: NOW)


def token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of a page's forms."""
    found = CSRF.search(client.get(path).text)
    assert found is not None, path
    return found.group(1)


def sign_in(app: Flask, name: str, password: str = demo.DEMO_PASSWORD) -> FlaskClient:
    """A client signed in as the named user (a demo user by default)."""
    client = app.test_client()
    data = {"name": name, "password": password, "csrf_token": token(client), "next": "/"}
    response = client.post("/login", data=data)
    assert response.status_code == 302, response.text
    return client
