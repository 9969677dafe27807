"""What a page needs during a request, one home each: the open store, the county, the clock, the
signed-in user and the audit stamp of their writes.

The store is opened on first use in a request and closed when the request ends; every write a
page makes goes through the library with :func:`web_stamp`, so the audit trail names the web user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pendulum
from flask import current_app, g

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


def web_store() -> Store:
    """The store of this request, opened on first use and closed at its end."""
    if "pufa_store" not in g:
        g.pufa_store = web_workspace().open()
    return cast(Store, g.pufa_store)


def close_store(_error: BaseException | None = None) -> None:
    """Close the request's store, if one was opened (teardown)."""
    store = g.pop("pufa_store", None)
    if store is not None:
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
