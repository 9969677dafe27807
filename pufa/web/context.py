"""What a page needs during a request, one home each: the open store, the county, the clock, the
signed-in user and the audit stamp of their writes.

The store is opened on first use in a request and closed when the request ends — or, in an app
made with ``keep_store=True`` (``pufa web``), kept open by the worker thread for its next requests
(:data:`KEEP_SECONDS` at most; dropped after a request that failed). Every write a page makes goes
through the library with :func:`web_stamp`, so the audit trail names the web user.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import cast

import pendulum
from flask import Flask, current_app, g

from pufa.event import Stamp
from pufa.model import County
from pufa.store import Store
from pufa.users import User
from pufa.workspace import Workspace


def web_workspace() -> Workspace:
    """The workspace this app serves."""
    return cast(Workspace, current_app.config["PUFA_WORKSPACE"])


def web_county() -> County:
    """The county profile of the workspace (read once when the app was made)."""
    return cast(County, current_app.config["PUFA_COUNTY"])


def web_now() -> pendulum.DateTime:
    """The current time (the app's ``now`` hook: tests move the clock with it)."""
    clock = cast(Callable[[], pendulum.DateTime], current_app.config["PUFA_NOW"])
    return clock()


def web_today() -> pendulum.Date:
    """Today where the county is, by the app's clock."""
    return web_now().in_timezone(web_county().timezone).date()


#: how long a worker thread keeps its store open between requests, in seconds
KEEP_SECONDS = 60.0
#: per worker thread: (the app, its open store, when opened) — apps made with keep_store=True
_kept = threading.local()


def web_store() -> Store:
    """The store of this request, opened on first use (or the thread's kept one)."""
    if "pufa_store" not in g:
        keep = current_app.config.get("PUFA_KEEP_STORE", False)
        g.pufa_store = _kept_store() if keep else web_workspace().open()
    return cast(Store, g.pufa_store)


def _kept_store() -> Store:
    """This thread's open store of this app; reopened when too old or another app's. On both
    engines the connection is in autocommit between transactions: it holds no snapshot or lock."""
    app = cast(Flask, current_app._get_current_object())  # type: ignore[attr-defined]
    kept = getattr(_kept, "store", None)
    if kept is not None:
        if kept[0] is app and time.monotonic() - kept[2] < KEEP_SECONDS:
            return cast(Store, kept[1])
        _drop_kept()
    store = web_workspace().open()
    _kept.store = (app, store, time.monotonic())
    return store


def _drop_kept() -> None:
    kept = getattr(_kept, "store", None)
    _kept.store = None
    if kept is not None:
        kept[1].close()


def close_store(error: BaseException | None = None) -> None:
    """At the end of a request: close its store — unless it is the thread's kept one and the
    request did not fail (teardown)."""
    store = g.pop("pufa_store", None)
    if store is None:
        return
    kept = getattr(_kept, "store", None)
    if kept is not None and kept[1] is store:
        if error is not None:
            _drop_kept()
        return
    store.close()


def current_user() -> User | None:
    """The signed-in user of this request, or None."""
    return cast(User | None, g.get("pufa_user"))


def signed_in() -> User:
    """The signed-in user (pages behind :func:`~pufa.web.auth.login_required` always have one)."""
    user = current_user()
    if user is None:
        raise RuntimeError("no user signed in")
    return user


def web_stamp() -> Stamp:
    """Who and when for a write the signed-in user makes: their user name, the app's clock."""
    return Stamp(web_now(), signed_in().name)
