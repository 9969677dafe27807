"""The web app of a workspace: :func:`create_app`, the navigation registry :data:`NAV` and the
page registry :data:`PAGES` that other parts of ``pufa web`` add to.

A page module defines a Flask blueprint and is named in :data:`PAGES` (imported when an app is
made); its sections go in :data:`NAV` with the roles that may use them — the navigation shows a
user only what their role may open (and only endpoints that exist).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from contextlib import suppress
from importlib import import_module
from pathlib import Path
from typing import Any

import pendulum
from flask import Flask, render_template, url_for

from pufa import workspace as ws
from pufa.users import Role, scope_text
from pufa.value import valueclass
from pufa.web.auth import load_user
from pufa.web.context import close_store, current_user, signed_in, web_county
from pufa.web.security import secure

#: the private file in the workspace that keeps the key signing the session cookies
SECRET_FILE = ".pufa-web-secret"
ALL_ROLES: frozenset[Role] = frozenset(Role)


@valueclass
class NavItem:
    """One section of the navigation: its label, the endpoint it opens, the roles that see it."""

    label: str
    endpoint: str
    roles: frozenset[Role] = ALL_ROLES


#: the sections of the navigation, in order; page modules append theirs
NAV: list[NavItem] = [
    NavItem("首页", "home"),
    NavItem("用户", "admin.users", frozenset({Role.ADMIN})),
    NavItem("统计", "pages.dashboard"),
    NavItem("记录", "records.index"),
    NavItem("登记", "records.new", frozenset({Role.OFFICE, Role.TOWNSHIP, Role.DEPARTMENT})),
    NavItem("工作安排", "pages.plan"),
    NavItem("台账导入", "ledger.form", frozenset({Role.OFFICE, Role.TOWNSHIP})),
    NavItem("名册", "rosters.people_page", frozenset({Role.OFFICE, Role.TOWNSHIP, Role.VIEWER})),
    NavItem("责任清单", "rosters.duties", frozenset({Role.OFFICE, Role.DEPARTMENT, Role.VIEWER})),
    NavItem("日历订阅", "feeds.page"),
    NavItem("月度锁定", "locks.index", frozenset({Role.OFFICE})),
]

#: the page blueprints, as "module:attribute", registered on every app in this order
PAGES: list[str] = [
    "pufa.web.auth:auth",
    "pufa.web.admin:admin",
    "pufa.web.pages:pages",
    "pufa.web.feeds:feeds",
    "pufa.web.rosters:rosters",
    "pufa.web.ledger:ledger_pages",
    "pufa.web.records:records",
    "pufa.web.locks:locks",
]


def read_secret(root: Path) -> bytes:
    """The workspace's session-signing key, made (mode 0600, 32 random bytes) on first use."""
    path = root / SECRET_FILE
    if not path.exists():
        with suppress(FileExistsError):  # another process made it a moment ago
            ws.write_new(path, secrets.token_hex(32) + "\n", private=True)
    return bytes.fromhex(path.read_text(encoding="ascii").strip())


def nav_items() -> list[tuple[str, str]]:
    """(label, URL) of each section the signed-in user's role may use."""
    user = current_user()
    if user is None:
        return []
    from flask import current_app

    known = current_app.view_functions
    return [
        (n.label, url_for(n.endpoint)) for n in NAV if user.role in n.roles and n.endpoint in known
    ]


def _template_context() -> dict[str, Any]:
    user = current_user()
    scope = None if user is None else scope_text(user, web_county())
    return {"user": user, "user_scope": scope, "nav": nav_items(), "county": web_county()}


def home() -> Any:
    """``GET /``: the landing page — the dashboard (when its page is registered) for every role but
    the admin, who gets a welcome with the sections their role may use."""
    from flask import current_app

    user = signed_in()
    dashboard = current_app.view_functions.get("pages.dashboard")
    if user.role is not Role.ADMIN and dashboard is not None:
        return dashboard()
    return render_template("home.html")


def create_app(
    root: Path,
    *,
    secret: bytes | None = None,
    behind_https: bool = False,
    now: Callable[[], pendulum.DateTime] | None = None,
    keep_store: bool = False,
) -> Flask:
    """The ``pufa web`` app of the workspace at ``root`` (checked now: a missing or broken
    workspace is refused before serving). The store is opened per request; ``secret`` signs the
    session cookies (default: the workspace's :data:`SECRET_FILE`); ``now`` is the clock;
    ``keep_store`` keeps each worker thread's store open between requests (``pufa web``)."""
    found = ws.find(os.fspath(root))
    app = Flask("pufa.web", static_folder="static", template_folder="templates")
    app.config.update(
        SECRET_KEY=secret if secret is not None else read_secret(found.root),
        PUFA_WORKSPACE=found,
        PUFA_COUNTY=found.county(),
        PUFA_NOW=now or ws.now,
        PUFA_KEEP_STORE=keep_store,
    )
    secure(app, behind_https=behind_https)
    app.before_request(load_user)
    app.teardown_request(close_store)
    app.context_processor(_template_context)
    app.add_url_rule("/", "home", home)
    for page in PAGES:
        module, _, attribute = page.partition(":")
        app.register_blueprint(getattr(import_module(module), attribute))
    return app
