"""The web's protections, in one place: CSRF tokens, response headers, cookie flags, error pages.

- **CSRF**: a random token per browser session (also before signing in: Flask's signed session
  cookie carries it, so the login form has one too), sent back in a hidden field named
  ``csrf_token`` and checked on every POST — a missing or wrong one is 400, before any page runs.
  Only POST changes state.
- **Headers** on every response: Content-Security-Policy (:data:`CSP`: no inline script or
  style, nothing from elsewhere, no framing), X-Frame-Options DENY, X-Content-Type-Options nosniff,
  Referrer-Policy same-origin, and ``Cache-Control: no-store`` (pages hold what only their user
  may read).
- **Cookies**: HttpOnly, SameSite=Strict, Secure when told the app is behind HTTPS or when the
  request came over HTTPS.
- **Errors** 400/403/404/405/413/500 render a Chinese page: never a traceback, a path or a
  database URL.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from flask import Flask, Response, abort, render_template, request, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

#: the Content-Security-Policy of every response
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: the largest request body (an uploaded ledger included)
MAX_BODY = 5 * 1024 * 1024
#: the name of the hidden form field that carries the CSRF token
CSRF_FIELD = "csrf_token"

#: what each error page says: status → (title, explanation)
ERRORS: dict[int, tuple[str, str]] = {
    400: ("请求无效", "页面已过期或表单不完整。请返回上一页,刷新后重新提交。"),
    403: ("无权访问", "你的账号没有权限查看或修改这项内容。未做任何修改。"),
    404: ("页面不存在", "没有这个页面。请从导航栏进入。"),
    405: ("不支持的操作", "这个页面不接受这种请求。请从页面上的按钮操作。"),
    413: ("文件过大", "上传的内容超过 5 MB。请拆分后再上传。"),
    500: ("服务器内部错误", "处理请求时出错,未保存任何修改。请稍后再试;如一再出现,请联系管理员。"),
}


def csrf_token() -> str:
    """This browser session's CSRF token (made on first use); templates put it in every form."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def renew_csrf() -> None:
    """A fresh CSRF token (after signing in or out: a token seen before it is no use after)."""
    session["csrf"] = secrets.token_urlsafe(32)


def check_csrf() -> None:
    """Before every POST: the form's ``csrf_token`` must equal the session's, else 400."""
    if request.method != "POST":
        return
    expected = session.get("csrf")
    sent = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(sent, expected):
        abort(400)


def add_headers(response: Response) -> Response:
    """The security headers of every response."""
    response.headers.update(HEADERS)
    response.headers.setdefault("Cache-Control", "no-store")
    return response


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, Secure also when the request itself came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def error_page(error: HTTPException) -> tuple[str, int]:
    """The Chinese page of an HTTP error (no detail from the exception itself)."""
    code = error.code or 500
    title, text = ERRORS.get(code, ERRORS[400 if code < 500 else 500])
    return render_template("error.html", code=code, title=title, text=text), code


def failure_page(error: Exception) -> tuple[str, int]:
    """Any other exception: the 500 page, nothing of the exception shown (the log keeps it)."""
    if isinstance(error, HTTPException):
        return error_page(error)
    return error_page(InternalServerError())


def secure(app: Flask, *, behind_https: bool) -> None:
    """Install the protections on ``app``: cookie flags, body limit, CSRF check, headers, errors."""
    settings: dict[str, Any] = {
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Strict",
        "SESSION_COOKIE_SECURE": behind_https,
        "SESSION_COOKIE_NAME": "pufa_session",
        "MAX_CONTENT_LENGTH": MAX_BODY,
        "PROPAGATE_EXCEPTIONS": False,
        "TRAP_HTTP_EXCEPTIONS": False,
    }
    app.config.update(settings)
    app.session_interface = SessionCookies()
    app.before_request(check_csrf)
    app.after_request(add_headers)
    app.jinja_env.globals["csrf_token"] = csrf_token
    for code in ERRORS:
        app.register_error_handler(code, error_page)
    app.register_error_handler(Exception, failure_page)
    if behind_https:  # one proxy in front (nginx, the HTTPS gateway): its client address and scheme
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
