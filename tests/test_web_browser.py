"""pufa web end to end in a real headless Chromium (Selenium, Debian's chromium and chromium-driver)
against `pufa web`'s waitress serving the demo workspace: a township clerk logs an activity with one
mistake, sees it everywhere, logs out; a viewer can change nothing; the dashboard at 390 and 1280 px.

Skipped when Chromium, chromedriver or selenium is missing — except under CI=true, where that fails.
Screenshots go to $PUFA_ARTIFACTS (default tests/artifacts/, git-ignored).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import struct
import urllib.error
import urllib.parse
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pendulum
import pytest

from pufa import workspace as ws
from pufa.store import Query

from .webserver import demo_workspace, live_server

CLERK, VIEWER, PASSWORD = "示例禾丰乡", "示例领导", "pufa-demo-2026"
TODAY = pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai")
#: selenium's locator strategies (selenium.webdriver.common.by.By; selenium may be missing here)
By = SimpleNamespace(NAME="name", CSS_SELECTOR="css selector", XPATH="xpath", TAG_NAME="tag name")
ARTIFACTS = Path(os.environ.get("PUFA_ARTIFACTS") or Path(__file__).parent / "artifacts")


def _browser_problem() -> str | None:
    if importlib.util.find_spec("selenium") is None:
        return "selenium 未安装(pip install '.[test]')"
    if _binary("chromium") is None or _binary("chromedriver") is None:
        return "Chromium 未安装(apt-get install chromium chromium-driver)"
    return None


def _binary(name: str) -> str | None:
    path = Path("/usr/bin") / name
    return str(path) if path.exists() else shutil.which(name)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, ws.Workspace]]:
    """The demo workspace served by waitress on a free port, on the clock of 2026-11-29."""
    workspace = demo_workspace(tmp_path_factory.mktemp("web") / "demo")
    with live_server(workspace.root, now=lambda: TODAY) as base:
        yield base, workspace


def _driver(javascript: bool) -> Any:
    problem = _browser_problem()
    if problem is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI 必须在真实浏览器中运行网页测试:{problem}")
        pytest.skip(problem)
    from selenium import webdriver  # here: without selenium the module still loads, and skips
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(_binary("chromium"))
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=zh-CN",
                 "--window-size=1280,900", "--disable-gpu", "--hide-scrollbars"):  # fmt: skip
        options.add_argument(flag)
    if not javascript:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    return webdriver.Chrome(service=Service(str(_binary("chromedriver"))), options=options)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One headless Chromium (JavaScript on) for the module."""
    driver = _driver(javascript=True)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def chromium_no_js() -> Iterator[Any]:
    """One headless Chromium with JavaScript switched off."""
    driver = _driver(javascript=False)
    yield driver
    driver.quit()


@pytest.fixture
def browser(site: tuple[str, ws.Workspace], chromium: Any, today: None) -> Callable[[str], Any]:
    """Chromium, signed out, at the size of a desktop; ``browser(path)`` opens a page of the site."""
    base, _ = site
    chromium.set_window_size(1280, 900)
    chromium.get(base + "/login")
    chromium.delete_all_cookies()

    def at(path: str) -> Any:
        chromium.get(base + path)
        return chromium

    return at


def _login(driver: Any, base: str, name: str) -> None:
    driver.get(base + "/login")
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    button = driver.find_element(By.CSS_SELECTOR, "form button[type=submit]")
    button.click()
    _answered(driver, button)


def _answered(driver: Any, element: Any) -> None:
    """Wait until the page that held ``element`` is replaced by the server's answer (the old node
    stale, or — Chromium's other answer mid-navigation — no longer in the document)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    def gone(_: Any) -> bool:
        try:
            element.is_enabled()
        except WebDriverException:  # StaleElementReferenceException is one
            return True
        return False

    WebDriverWait(driver, 20).until(gone)


def _text(driver: Any) -> str:
    return str(driver.find_element(By.TAG_NAME, "body").text)


def _choose(driver: Any, name: str, value: str | None = None) -> None:
    """Pick ``value`` in the select ``name``; else keep its choice when it may stay empty (an
    optional field) or is made, else take its first real option. A fixed field is left alone."""
    from selenium.webdriver.support.ui import Select  # selenium may be missing: see _driver

    element = driver.find_element(By.NAME, name)
    if element.tag_name != "select" or not element.is_enabled():
        return
    select = Select(element)
    if value is not None:
        select.select_by_value(value)
        return
    values = [o.get_attribute("value") for o in select.options]
    if "" in values or select.first_selected_option.get_attribute("value"):
        return
    for option in select.options:
        if option.get_attribute("value") and option.is_enabled():
            option.click()
            return


#: the form names a kind's own fields and measures ``<kind>.<field>``
PARTICIPANTS = "lecture.participants"


def _fill_record(driver: Any, title: str, participants: str = "45") -> None:
    """Fill the log form: a held lecture in 禾丰乡 on 2026-11-20."""
    _choose(driver, "kind", "lecture")
    date = driver.find_element(By.NAME, "date")
    assert date.get_attribute("type") == "date"
    driver.execute_script("arguments[0].value = '2026-11-20'", date)  # typed digits vary by locale
    _choose(driver, "township")
    _choose(driver, "village")
    for name, value in (("title", title), (PARTICIPANTS, participants)):
        field = driver.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)
    status = driver.find_element(By.NAME, "status")
    if status.tag_name == "select":
        _choose(driver, "status", "held")


def _submit(driver: Any) -> None:
    """Submit the log form and wait for the page the server answers with."""
    form = driver.find_element(By.NAME, "title").find_element(By.XPATH, "./ancestor::form")
    form.find_element(By.CSS_SELECTOR, "button[type=submit], input[type=submit]").click()
    _answered(driver, form)


def _records_2026(workspace: ws.Workspace) -> int:
    with workspace.open() as store:
        return len(store.events(Query(year=2026)))


def _held_total(driver: Any) -> int:
    """The count of held activities the dashboard's month chart reports."""
    label = driver.find_element(By.CSS_SELECTOR, "svg.months").get_attribute("aria-label")
    found = re.search(r"共 (\d+) 项", label or "")
    assert found is not None, label
    return int(found.group(1))


# -- signing in and out ----------------------------------------------------------------------------


def test_clerk_logs_in_and_sees_name_and_township(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace]
) -> None:
    """The township clerk signs in through the form and lands on a page naming them."""
    driver = browser("/login")
    _login(driver, site[0], CLERK)
    assert CLERK in _text(driver)
    assert "禾丰" in _text(driver)


def test_logout_ends_the_session_for_the_old_cookie(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace]
) -> None:
    """After 退出, the cookie the browser had no longer opens any page."""
    base, _ = site
    driver = browser("/login")
    _login(driver, base, CLERK)
    cookie = driver.get_cookie("pufa_session")["value"]
    logout = driver.find_element(By.XPATH, "//button[text()='退出']")
    logout.click()
    _answered(driver, logout)
    assert "/login" in driver.current_url
    request = urllib.request.Request(base + "/", headers={"Cookie": f"pufa_session={cookie}"})
    with urllib.request.urlopen(request) as answer:  # the redirect is followed to the login page
        assert urllib.parse.urlsplit(answer.url).path == "/login"


def test_login_works_without_javascript(
    site: tuple[str, ws.Workspace], chromium_no_js: Any, today: None
) -> None:
    """With JavaScript off the login form still signs the clerk in."""
    base, _ = site
    _login(chromium_no_js, base, CLERK)
    assert CLERK in _text(chromium_no_js)


# -- the clerk logs an activity --------------------------------------------------------------------


def test_mistake_is_shown_inline_and_the_typed_values_kept(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace]
) -> None:
    """A blank title comes back with a Chinese message next to it; nothing is written."""
    base, workspace = site
    driver = browser("/login")
    _login(driver, base, CLERK)
    before = _records_2026(workspace)
    driver.get(base + "/records/new")
    _fill_record(driver, "   ", participants="45")
    _submit(driver)
    errors = driver.find_elements(By.CSS_SELECTOR, ".field-error")
    assert any("必填" in e.text for e in errors), [e.text for e in errors]
    assert driver.find_element(By.NAME, PARTICIPANTS).get_attribute("value") == "45"
    assert _records_2026(workspace) == before


def test_corrected_activity_shows_on_its_page_in_the_list_and_dashboard(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace]
) -> None:
    """Corrected after the inline message, the record opens, is listed and is counted."""
    base, _ = site
    driver = browser("/login")
    _login(driver, base, CLERK)
    driver.get(base + "/dashboard")
    counted = _held_total(driver)
    driver.get(base + "/records/new")
    _fill_record(driver, "   ")
    _submit(driver)
    assert driver.find_elements(By.CSS_SELECTOR, ".field-error")
    title = "村民法治讲座(浏览器测试)"
    _fill_record(driver, title)
    _submit(driver)
    assert re.fullmatch(r".*/records/\d+", driver.current_url), driver.current_url
    assert title in _text(driver)
    driver.get(base + "/records")
    rows = driver.find_elements(By.XPATH, f"//tr[contains(., '{title}')]")
    assert len(rows) == 1
    driver.get(base + "/dashboard")
    assert _held_total(driver) == counted + 1


def test_log_form_works_without_javascript(
    site: tuple[str, ws.Workspace], chromium_no_js: Any, today: None
) -> None:
    """With JavaScript off the log form still saves a record (progressive enhancement)."""
    base, _ = site
    chromium_no_js.delete_all_cookies()
    _login(chromium_no_js, base, CLERK)
    chromium_no_js.get(base + "/records/new")
    _fill_record(chromium_no_js, "普法宣传(无脚本)")
    _submit(chromium_no_js)
    assert re.fullmatch(r".*/records/\d+", chromium_no_js.current_url)


# -- the viewer changes nothing --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/records", "/dashboard"])
def test_viewer_is_offered_no_write_controls(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace], path: str
) -> None:
    """Signed in as the viewer, a page offers no POST form but 退出 and no link to log or edit."""
    base, _ = site
    driver = browser("/login")
    _login(driver, base, VIEWER)
    driver.get(base + path)
    forms = driver.find_elements(By.TAG_NAME, "form")
    posting = [f.get_attribute("action") for f in forms if f.get_attribute("method") == "post"]
    assert [urllib.parse.urlsplit(a).path for a in posting] == ["/logout"]
    links = [a.get_attribute("href") or "" for a in driver.find_elements(By.TAG_NAME, "a")]
    paths = [urllib.parse.urlsplit(h).path for h in links]
    assert not [p for p in paths if p.endswith(("/new", "/edit", "/void"))], paths


def test_viewer_post_with_the_browsers_cookie_is_403(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace]
) -> None:
    """The viewer's own session and CSRF token, forging the log form's POST, get 403; nothing written."""
    base, workspace = site
    driver = browser("/login")
    _login(driver, base, VIEWER)
    cookie = driver.get_cookie("pufa_session")["value"]
    token = driver.find_element(By.NAME, "csrf_token").get_attribute("value")
    before = _records_2026(workspace)
    form = {"csrf_token": token, "kind": "lecture", "date": "2026-11-20", "township": "禾丰乡",
            "title": "伪造的记录", PARTICIPANTS: "30", "status": "held"}  # fmt: skip
    request = urllib.request.Request(
        base + "/records/new",
        data=urllib.parse.urlencode(form).encode(),
        headers={"Cookie": f"pufa_session={cookie}"},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request)
    assert refused.value.code == 403
    assert _records_2026(workspace) == before


# -- the dashboard on a phone and on a desktop -----------------------------------------------------


def _distinct_bytes(png: bytes) -> int:
    """How many different byte values the decoded pixel rows hold (a blank page: a handful)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, data = 8, b""
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        if png[at + 4 : at + 8] == b"IDAT":
            data += png[at + 8 : at + 8 + length]
        at += 12 + length
    return len(set(zlib.decompress(data)))


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", ["/dashboard"])
def test_dashboard_screenshot_is_kept_and_not_blank(
    browser: Callable[[str], Any], site: tuple[str, ws.Workspace], path: str, width: int
) -> None:
    """The dashboard (home until it lands) at phone and desktop width: saved, drawn, no side scroll."""
    base, _ = site
    driver = browser("/login")
    _login(driver, base, "示例县普法办")
    driver.set_window_size(width, 900)
    driver.get(base + path)
    assert driver.execute_script("return window.innerWidth") == width
    scroll = driver.execute_script("return document.documentElement.scrollWidth")
    assert scroll <= width, f"页面比窗口宽:{scroll} > {width}"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = "dashboard" if path == "/dashboard" else "home"
    png = driver.get_screenshot_as_png()
    (ARTIFACTS / f"{name}-{width}px.png").write_bytes(png)
    assert _distinct_bytes(png) > 32
