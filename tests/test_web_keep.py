"""pufa web's kept store (``create_app(keep_store=True)``, what `pufa web` uses): a worker thread
reuses its open store between requests, sees what others wrote, and drops it after a failure."""

from __future__ import annotations

import re

import pendulum

from pufa import accounts
from pufa import workspace as ws
from pufa.event import Stamp
from pufa.web.app import create_app
from pufa.web.context import close_store, web_store

from .webserver import CSRF

STAMP = Stamp(pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai"), "测试员")
PASSWORD = "correct horse battery"


def test_kept_store_is_reused_by_the_next_request(workspace: ws.Workspace) -> None:
    """With keep_store, the thread's next request gets the same open store."""
    app = create_app(workspace.root, secret=b"k" * 32, keep_store=True)
    with app.test_request_context("/"):
        first = web_store()
    with app.test_request_context("/"):
        assert web_store() is first


def test_without_keep_store_every_request_opens_its_own(workspace: ws.Workspace) -> None:
    """By default each request opens a store and closes it at its end."""
    app = create_app(workspace.root, secret=b"k" * 32)
    with app.test_request_context("/"):
        first = web_store()
    with app.test_request_context("/"):
        assert web_store() is not first


def test_failed_request_drops_the_kept_store(workspace: ws.Workspace) -> None:
    """A request that ended in an error does not pass its store on."""
    app = create_app(workspace.root, secret=b"k" * 32, keep_store=True)
    with app.test_request_context("/"):
        first = web_store()
        close_store(RuntimeError("the request failed"))
    with app.test_request_context("/"):
        assert web_store() is not first


def test_kept_store_sees_what_another_connection_wrote(workspace: ws.Workspace) -> None:
    """A user added from another connection shows on the next page of a kept store."""
    with workspace.open() as store:
        accounts.add_user(
            store, workspace.county(), ("管理员", "admin", None, None), PASSWORD, STAMP
        )
    client = create_app(workspace.root, secret=b"k" * 32, keep_store=True).test_client()
    found = CSRF.search(client.get("/login").text)
    assert found is not None
    form = {"name": "管理员", "password": PASSWORD, "csrf_token": found.group(1)}
    assert client.post("/login", data=form).status_code == 302
    assert "新来的文书" not in client.get("/admin/users").text
    with workspace.open() as store:
        typed = ("新来的文书", "township", "禾丰乡", None)
        accounts.add_user(store, workspace.county(), typed, PASSWORD, STAMP)
    assert re.search("新来的文书", client.get("/admin/users").text)
