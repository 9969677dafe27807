"""Helpers the record-page tests share: a clock the test moves, an app with users of every role,
signing in with the test client (webkit.sign_in), and a snapshot of what the store holds."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pendulum
from flask import Flask
from flask.testing import FlaskClient

from pufa import accounts
from pufa import workspace as ws
from pufa.event import Stamp
from pufa.web.app import create_app

from . import webkit

START = pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai")
PASSWORD = "correct horse battery"
#: the tables a web write may change (records, their history, the month locks)
WRITTEN = ("events", "revisions", "month_locks")


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self, now: pendulum.DateTime = START) -> None:
        self.now = now

    def __call__(self) -> pendulum.DateTime:
        return self.now


def make_app(
    workspace: ws.Workspace,
    users: Mapping[str, tuple[str, str | None, str | None]],
    clock: Callable[[], pendulum.DateTime] | None = None,
) -> Flask:
    """The app of ``workspace`` with ``users`` (name → role, township, department) added."""
    with workspace.open() as store:
        for name, (role, township, dept) in users.items():
            accounts.add_user(store, workspace.county(), (name, role, township, dept), PASSWORD,
                              Stamp(START, "测试员"))  # fmt: skip
    return create_app(workspace.root, secret=b"test secret " * 3, now=clock or Clock())


def sign_in(app: Flask, name: str) -> FlaskClient:
    """A test client signed in as ``name`` (a user :func:`make_app` added)."""
    return webkit.sign_in(app, name, PASSWORD)


def snapshot(workspace: ws.Workspace) -> list[object]:
    """Every row of the tables a web write may change."""
    with workspace.open() as store:
        return [row for table in WRITTEN for batch in store.rows(table) for row in batch]
