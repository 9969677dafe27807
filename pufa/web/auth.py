"""Signing in and out, and who may see what: the ``auth`` blueprint and the guards pages use.

- ``GET /login``, ``POST /login`` (:func:`login`), ``POST /logout`` (:func:`logout`);
- every request but the login page and static files needs a live session: without one, a
  ``302`` to ``/login?next=<the page>`` (only a local path is ever followed after signing in);
- :func:`login_required` and :func:`require` (roles) guard a page; a user without the role
  gets the 403 page and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar
from urllib.parse import urlencode, urlsplit

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.wrappers import Response as BaseResponse

from pufa import accounts
from pufa.users import Role
from pufa.web.context import current_user, web_now, web_store
from pufa.web.security import renew_csrf

P = ParamSpec("P")
R = TypeVar("R")

auth = Blueprint("auth", __name__)

#: endpoints open without signing in
PUBLIC = frozenset({"auth.login", "static"})


def safe_next(target: str | None) -> str:
    """Where to go after signing in: ``target`` if it is a local path, else ``/``."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return "/"
    return target


def to_login() -> BaseResponse:
    """The redirect to the login page, coming back to this page afterwards."""
    here = request.full_path.rstrip("?") if request.query_string else request.path
    return redirect(url_for("auth.login") + "?" + urlencode({"next": here}))


def load_user() -> BaseResponse | None:
    """Before every request: the session's user (None when signed out, expired, revoked or
    disabled); pages other than :data:`PUBLIC` redirect to the login page without one."""
    if request.endpoint in PUBLIC:
        g.pufa_user = None
        return None
    token = session.get("token")
    user = None
    if isinstance(token, str) and token:
        user = accounts.session_user(web_store(), token, web_now())
        if user is None:
            session.pop("token", None)
            if request.method == "POST":  # a change with a dead session: disabled, revoked, expired
                g.pufa_user = None
                return stale_session()
    g.pufa_user = user
    return to_login() if user is None else None


def stale_session() -> BaseResponse:
    """403 for a change sent with a session that no longer works (the user disabled, signed out
    or idle too long): nothing is written, and the page says to sign in again."""
    text = "登录已失效(账号已停用、已退出或长时间未操作),这次提交没有保存任何内容。请重新登录。"
    page = render_template("error.html", code=403, title="登录已失效", text=text)
    return Response(page, status=403)


def login_required(view: Callable[P, R]) -> Callable[P, R | BaseResponse]:
    """A page only a signed-in user sees (the app already requires it; this says so)."""

    @wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R | BaseResponse:
        if current_user() is None:
            return to_login()
        return view(*args, **kwargs)

    return guarded


def require(*roles: Role) -> Callable[[Callable[P, R]], Callable[P, R | BaseResponse]]:
    """A page only users of ``roles`` may use: others get the 403 page, nothing written."""

    def decorate(view: Callable[P, R]) -> Callable[P, R | BaseResponse]:
        @wraps(view)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R | BaseResponse:
            user = current_user()
            if user is None:
                return to_login()
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate


@auth.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse | tuple[str, int]:
    """The login form; a POST signs in (throttled, one refusal for every failure)."""
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("login.html", next=target, name="", refused=None)
    name = request.form.get("name", "").strip()
    password = request.form.get("password", "")
    remote = request.remote_addr or ""
    store, now = web_store(), web_now()
    try:
        user = accounts.authenticate(store, name, password, now, remote)
    except accounts.SignInRefused as refused:
        page = render_template("login.html", next=target, name=name, refused=str(refused))
        return page, 401
    session.clear()  # a new session: nothing of the signed-out one carries over
    session["token"] = accounts.open_session(store, user, now)
    renew_csrf()
    return redirect(target)


@auth.route("/logout", methods=["POST"])
def logout() -> Response | BaseResponse:
    """Sign out: the session ends server-side (its cookie is no use afterwards)."""
    token = session.get("token")
    if isinstance(token, str):
        accounts.close_session(web_store(), token, web_now())
    session.clear()
    renew_csrf()
    flash("已退出登录。")
    return redirect(url_for("auth.login"))
