"""A live ``pufa web`` for the browser tests and the load benchmark: a demo workspace (SQLite, or
a PostgreSQL database by URL) served by waitress on a free loopback port in a background thread,
and a small cookie-keeping HTTP client.

Used by tests/test_web_browser.py and benchmarks/web.py; nothing here is pytest-specific.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pendulum

from pufa import demo
from pufa import workspace as ws

#: the hidden CSRF field of every form
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def demo_workspace(root: Path, db: str | None = None) -> ws.Workspace:
    """The demo workspace with its web users: ``pufa demo`` on SQLite, or the same records and
    users written into the (empty) PostgreSQL database at ``db``."""
    if db is None:
        return demo.init(root)
    made = ws.init(root, "kaiyang", db=db, demo=True)
    with made.open() as store:
        demo.build(made.county(), store)
        demo.add_users(made.county(), store)
    return made


@contextmanager
def live_server(
    root: Path,
    *,
    threads: int = 8,
    now: Callable[[], pendulum.DateTime] | None = None,
    keep_store: bool = True,
) -> Iterator[str]:
    """Serve the workspace at ``root`` as ``pufa web`` does (waitress, ``threads`` workers) on a
    free loopback port; yield its base URL (no trailing slash); stop on exit. ``keep_store``: each
    worker thread keeps its store open between requests, as ``pufa web`` does."""
    from waitress import create_server

    from pufa.web.app import create_app

    app = create_app(root, now=now, keep_store=keep_store)
    server = create_server(
        app, host="127.0.0.1", port=0, threads=threads, ident="pufa", connection_limit=200
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:  # close every socket in the server's own thread: its loop then ends
        server.trigger.pull_trigger(lambda: [c.close() for c in list(server._map.values())])
        thread.join(timeout=5)
        server.task_dispatcher.shutdown(timeout=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a 302/303 comes back as the answer, not followed


class Client:
    """One browser-like user of the live server: its own cookie jar, redirects not followed."""

    def __init__(self, base: str, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.base = base
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """GET ``path`` (or POST ``form`` to it): (status, body, Location)."""
        data = None if form is None else urllib.parse.urlencode(form).encode()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as response:
                return response.status, response.read().decode(), ""
        except urllib.error.HTTPError as answer:
            body = answer.read().decode(errors="replace")
            return answer.code, body, answer.headers.get("Location") or ""

    def token(self, page: str) -> str:
        """The CSRF token of the first form on ``page``."""
        found = CSRF.search(page)
        if found is None:
            raise AssertionError("no csrf_token on the page")
        return found.group(1)

    def login(self, name: str, password: str = demo.DEMO_PASSWORD) -> int:
        """Sign in through the login form; the status of the POST (302 when signed in)."""
        _, page, _ = self.request("/login")
        form = {"name": name, "password": password, "csrf_token": self.token(page)}
        status, _, _ = self.request("/login", form)
        return status
