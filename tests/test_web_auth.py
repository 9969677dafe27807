"""pufa.web: signing in and out, sessions, CSRF, headers, cookies, error pages, roles — with Flask's
test client on both engines, and `pufa web` served by waitress."""

from __future__ import annotations

import os
import re
import signal
import socket
import stat
import subprocess
import urllib.request
from collections.abc import Callable

import pendulum
import pytest
from flask import Flask, g
from flask.testing import FlaskClient

from pufa import accounts
from pufa import workspace as ws
from pufa.event import Stamp
from pufa.store import Query
from pufa.store.users import Users
from pufa.users import Role, User
from pufa.web.app import SECRET_FILE, create_app
from pufa.web.context import web_stamp

from .conftest import tool
from .engines import execute

START = pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai")
PASSWORD = "correct horse battery"
#: the demo-like users of every test: name → (role, township, department)
USERS = {
    "普法办": ("office", None, None),
    "禾丰乡文书": ("township", "禾丰乡", None),
    "领导": ("viewer", None, None),
    "管理员": ("admin", None, None),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """The app's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> pendulum.DateTime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(workspace: ws.Workspace, clock: Clock) -> Flask:
    """The app of a workspace with one user per role (but department), on the test clock."""
    with workspace.open() as store:
        for name, (role, township, dept) in USERS.items():
            accounts.add_user(store, workspace.county(), (name, role, township, dept), PASSWORD,
                              Stamp(START, "测试员"))  # fmt: skip
    return create_app(workspace.root, secret=b"test secret " * 3, now=clock)


def _token(client: FlaskClient, path: str = "/login") -> str:
    found = CSRF.search(client.get(path).text)
    assert found is not None
    return found.group(1)


def _login(client: FlaskClient, name: str, password: str = PASSWORD, next_: str = "/") -> object:
    data = {"name": name, "password": password, "csrf_token": _token(client), "next": next_}
    return client.post("/login", data=data)


@pytest.fixture
def signed_in(app: Flask) -> Callable[[str], FlaskClient]:
    """A client signed in as the named user."""

    def make(name: str) -> FlaskClient:
        client = app.test_client()
        response = _login(client, name)
        assert getattr(response, "status_code", None) == 302
        return client

    return make


def _cookie(client: FlaskClient) -> str:
    found = client.get_cookie("pufa_session")
    assert found is not None
    return found.value


def _error_text(page: str) -> str:
    found = re.search(r'<p class="error" role="alert">(.*?)</p>', page)
    return "" if found is None else found.group(1)


# -- without a session -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/admin/users", "/no-such-page"])
def test_every_page_but_login_redirects_without_session(app: Flask, path: str) -> None:
    """Without a session every page, even a missing one, redirects to the login page."""
    response = app.test_client().get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=" + path.replace("/", "%2F")


def test_login_form_has_a_hidden_csrf_field(app: Flask) -> None:
    """The login form carries a hidden field named csrf_token."""
    page = app.test_client().get("/login").text
    assert re.search(r'<input type="hidden" name="csrf_token" value="[^"]{40,}">', page)


def test_login_page_is_chinese_and_phone_ready(app: Flask) -> None:
    """The login page is zh-CN with a viewport for phones and only local styles."""
    page = app.test_client().get("/login").text
    assert '<html lang="zh-CN">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<script" not in page


# -- signing in --------------------------------------------------------------------------------


def test_login_without_csrf_token_is_400_and_logs_nothing(
    app: Flask, workspace: ws.Workspace
) -> None:
    """A login POST without the token is refused with 400 before any attempt is made."""
    client = app.test_client()
    client.get("/login")
    response = client.post("/login", data={"name": "普法办", "password": PASSWORD})
    assert response.status_code == 400
    assert "请求无效" in response.text
    assert execute(workspace.location, "SELECT * FROM login_attempts") == []


def test_login_with_wrong_csrf_token_is_400(app: Flask) -> None:
    """A login POST with another token is refused with 400."""
    client = app.test_client()
    client.get("/login")
    data = {"name": "普法办", "password": PASSWORD, "csrf_token": "forged"}
    assert client.post("/login", data=data).status_code == 400


def test_login_goes_to_the_page_asked_for(app: Flask) -> None:
    """After signing in the user lands on the local page they asked for."""
    response = _login(app.test_client(), "管理员", next_="/admin/users")
    assert getattr(response, "headers", {})["Location"] == "/admin/users"


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example"])
def test_login_never_follows_an_outside_next(app: Flask, target: str) -> None:
    """A next pointing to another site is replaced by the home page."""
    response = _login(app.test_client(), "普法办", next_=target)
    assert getattr(response, "headers", {})["Location"] == "/"


def test_refusal_is_identical_for_unknown_and_known_names(app: Flask) -> None:
    """A wrong password and an unknown name get the same 401 page message."""
    first = _login(app.test_client(), "普法办", "wrong password")
    second = _login(app.test_client(), "无此人", "wrong password")
    texts = [_error_text(getattr(r, "text", "")) for r in (first, second)]
    assert [getattr(r, "status_code", 0) for r in (first, second)] == [401, 401]
    assert texts[0] == texts[1] == accounts.REFUSED


def test_locked_name_is_refused_with_the_same_message(app: Flask) -> None:
    """After 5 failures even the right password gets the generic refusal."""
    client = app.test_client()
    for _ in range(5):
        _login(client, "普法办", "wrong password")
    response = _login(client, "普法办")
    assert _error_text(getattr(response, "text", "")) == accounts.REFUSED


# -- sessions ------------------------------------------------------------------------------------


def test_logout_revokes_the_session_server_side(
    app: Flask, signed_in: Callable[[str], FlaskClient]
) -> None:
    """The cookie of a signed-out session, replayed, leads to the login page."""
    client = signed_in("普法办")
    old = _cookie(client)
    assert client.post("/logout", data={"csrf_token": _token(client, "/")}).status_code == 302
    replay = app.test_client()
    replay.set_cookie("pufa_session", old)
    assert replay.get("/").headers["Location"] == "/login?next=%2F"


def test_logout_without_csrf_token_changes_nothing(signed_in: Callable[[str], FlaskClient]) -> None:
    """A logout POST without the token is 400 and the session lives on."""
    client = signed_in("普法办")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200


def test_session_expires_when_idle_for_8_hours(
    clock: Clock, signed_in: Callable[[str], FlaskClient]
) -> None:
    """Unused for 8 hours, a session leads to the login page."""
    client = signed_in("领导")
    clock.now = START.add(hours=8, seconds=1)
    assert client.get("/").status_code == 302


def test_disabled_users_old_cookie_is_refused(
    workspace: ws.Workspace, signed_in: Callable[[str], FlaskClient]
) -> None:
    """Once a user is disabled, their open session leads to the login page."""
    client = signed_in("禾丰乡文书")
    with workspace.open() as store:
        accounts.disable_user(store, "禾丰乡文书", "调离", Stamp(START, "测试员"))
    assert client.get("/").headers["Location"] == "/login?next=%2F"


def test_disabled_users_old_cookie_cannot_post(
    workspace: ws.Workspace, signed_in: Callable[[str], FlaskClient]
) -> None:
    """A disabled clerk's open session, posting the log form, gets 403 and nothing is written."""
    client = signed_in("禾丰乡文书")
    form = {"csrf_token": _token(client, "/records/new"), "kind": "lecture",
            "date": "2026-11-20", "title": "停用后提交", "status": "held"}  # fmt: skip
    with workspace.open() as store:
        accounts.disable_user(store, "禾丰乡文书", "调离", Stamp(START, "测试员"))
        before = len(store.events(Query(year=2026)))
    refused = client.post("/records/new", data=form)
    assert (refused.status_code, "登录已失效" in refused.text) == (403, True)
    with workspace.open() as store:
        assert len(store.events(Query(year=2026))) == before


def test_web_stamp_names_the_web_user(app: Flask) -> None:
    """A web user's write is stamped with their user name and the app's clock."""
    with app.test_request_context("/"):
        g.pufa_user = User(1, "禾丰乡文书", Role.TOWNSHIP)
        assert web_stamp() == Stamp(START, "禾丰乡文书")


# -- CSRF on every POST --------------------------------------------------------------------------


def test_post_with_wrong_csrf_token_is_400(signed_in: Callable[[str], FlaskClient]) -> None:
    """A signed-in POST with a forged token is 400, and the user stays signed in."""
    client = signed_in("普法办")
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 400
    assert client.get("/").status_code == 200


# -- headers and cookies ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/login", "/", "/static/pufa.css"])
def test_security_headers_on_every_response(app: Flask, path: str) -> None:
    """CSP default-src 'self', X-Frame-Options DENY and nosniff on pages, redirects, files."""
    headers = app.test_client().get(path).headers
    assert headers["Content-Security-Policy"].startswith("default-src 'self'; ")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert headers["Referrer-Policy"] == "same-origin"


def test_cookie_is_httponly_and_samesite_strict(app: Flask) -> None:
    """The session cookie is HttpOnly and SameSite=Strict, not Secure over plain HTTP."""
    cookie = app.test_client().get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert "Secure" not in cookie


def test_cookie_is_secure_behind_https(workspace: ws.Workspace) -> None:
    """Told it is behind HTTPS, the app sends the cookie with Secure."""
    app = create_app(workspace.root, secret=b"x" * 32, behind_https=True)
    assert "Secure" in app.test_client().get("/login").headers["Set-Cookie"]


def test_behind_https_the_proxys_client_address_is_logged(workspace: ws.Workspace) -> None:
    """Behind the HTTPS proxy, a sign-in attempt logs the browser's address from X-Forwarded-For."""
    app = create_app(workspace.root, secret=b"x" * 32, behind_https=True)
    client = app.test_client()
    headers = {"X-Forwarded-For": "10.8.0.23", "X-Forwarded-Proto": "https"}
    page = client.get("/login", headers=headers)
    token = CSRF.search(page.text)
    assert token is not None
    data = {"name": "无此人", "password": "x" * 12, "csrf_token": token.group(1)}
    client.post("/login", data=data, headers=headers)
    with workspace.open() as store:
        assert [row[3] for row in Users(store).attempt_log()] == ["10.8.0.23"]


def test_without_a_proxy_a_forwarded_address_is_not_believed(
    app: Flask, workspace: ws.Workspace
) -> None:
    """Not told it is behind a proxy, the app logs the connection's address, not the header's."""
    client = app.test_client()
    headers = {"X-Forwarded-For": "10.8.0.23"}
    token = CSRF.search(client.get("/login", headers=headers).text)
    assert token is not None
    data = {"name": "无此人", "password": "x" * 12, "csrf_token": token.group(1)}
    client.post("/login", data=data, headers=headers)
    with workspace.open() as store:
        assert [row[3] for row in Users(store).attempt_log()] == ["127.0.0.1"]


def test_cookie_is_secure_on_an_https_request(app: Flask) -> None:
    """A request that came over HTTPS gets a Secure cookie."""
    response = app.test_client().get("/login", base_url="https://localhost")
    assert "Secure" in response.headers["Set-Cookie"]


def test_secret_is_kept_in_a_private_file(workspace: ws.Workspace) -> None:
    """Without a given secret the app keeps one in .pufa-web-secret, readable by its owner only."""
    create_app(workspace.root)
    mode = stat.S_IMODE((workspace.root / SECRET_FILE).stat().st_mode)
    assert mode == 0o600


# -- error pages --------------------------------------------------------------------------------


def test_error_page_shows_no_traceback_or_database_url(
    signed_in: Callable[[str], FlaskClient], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store that cannot be reached gives a Chinese 500 page naming neither the cause nor the URL."""
    client = signed_in("普法办")
    monkeypatch.setenv("PUFA_DB_URL", "postgresql://pufa:s3cret-pw@127.0.0.1:1/nowhere")
    response = client.get("/")
    assert response.status_code == 500
    assert "服务器内部错误" in response.text
    for leak in ("Traceback", "s3cret", "127.0.0.1:1", "postgresql", "nowhere", "Error"):
        assert leak not in response.text


def test_missing_page_is_a_chinese_404(signed_in: Callable[[str], FlaskClient]) -> None:
    """A signed-in user asking for a missing page gets the Chinese 404 page."""
    response = signed_in("领导").get("/no-such-page")
    assert (response.status_code, "页面不存在" in response.text) == (404, True)


def test_get_of_a_post_only_page_is_405(signed_in: Callable[[str], FlaskClient]) -> None:
    """Only POST changes state: GET /logout is 405."""
    response = signed_in("领导").get("/logout")
    assert (response.status_code, "不支持的操作" in response.text) == (405, True)


def test_body_over_5_mb_is_413(app: Flask) -> None:
    """A request body over 5 MB is refused with the Chinese 413 page."""
    client = app.test_client()
    client.get("/login")
    response = client.post("/login", data={"note": "x" * (5 * 1024 * 1024 + 1)})
    assert (response.status_code, "文件过大" in response.text) == (413, True)


# -- roles and escaping ----------------------------------------------------------------------------


def test_nav_shows_the_admin_users_page_to_the_admin_only(
    signed_in: Callable[[str], FlaskClient],
) -> None:
    """The admin's navigation links the users page; a township clerk's does not."""
    assert 'href="/admin/users"' in signed_in("管理员").get("/").text
    assert 'href="/admin/users"' not in signed_in("禾丰乡文书").get("/").text


@pytest.mark.parametrize("name", ["禾丰乡文书", "领导", "普法办"])
def test_users_page_is_403_for_other_roles(
    signed_in: Callable[[str], FlaskClient], name: str
) -> None:
    """Only the admin opens the users page; others get the Chinese 403 page."""
    response = signed_in(name).get("/admin/users")
    assert (response.status_code, "无权访问" in response.text) == (403, True)


def test_home_shows_name_and_role(signed_in: Callable[[str], FlaskClient]) -> None:
    """Home greets the user with their role and township."""
    page = signed_in("禾丰乡文书").get("/").text
    assert "欢迎,禾丰乡文书" in page
    assert "乡镇 · 禾丰布依族苗族乡" in page


def test_script_in_a_user_name_is_shown_as_text(app: Flask, workspace: ws.Workspace) -> None:
    """A user name holding <script> is escaped on every page it appears on."""
    name = "<script>alert(1)</script>"
    with workspace.open() as store:
        accounts.add_user(store, workspace.county(), (name, "admin", None, None), PASSWORD,
                          Stamp(START, "测试员"))  # fmt: skip
    client = app.test_client()
    _login(client, name)
    for path in ("/", "/admin/users"):
        page = client.get(path).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script>" not in page


# -- pufa web --------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _interruptible() -> None:
    """In the child: Ctrl-C's default action, even when the suite runs in the background (a shell
    without job control starts it with SIGINT ignored, which the child would inherit)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
@pytest.mark.engine("sqlite")
def test_pufa_web_serves_and_stops_on_ctrl_c(workspace: ws.Workspace) -> None:
    """`pufa web` prints its address in Chinese, serves the login page, and Ctrl-C stops it."""
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [tool("pufa"), "-w", str(workspace.root), "web", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        preexec_fn=_interruptible,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith(f"pufa 网页已启动:http://127.0.0.1:{port}/")
        assert process.stdout.readline().startswith("还没有网页账号:请先用 pufa users add 开通")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10) as response:
            assert "登录" in response.read().decode("utf-8")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
    assert (process.returncode, err) == (0, "")
    assert out.endswith("网页服务已停止。\n")
