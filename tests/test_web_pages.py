"""pufa.web pages that read: the dashboard, the plan calendar, the feeds, the rosters and the duties —
who may open each, and that each shows what the library (and the CLI) says, on both engines."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator

import pendulum
import pytest
from flask import Flask

from pufa import people, unitwork
from pufa import workspace as ws
from pufa.store import Query
from pufa.store.roster import Roster
from pufa.web import charts

from .conftest import invoke
from .webkit import (
    ADMIN,
    DEPARTMENT,
    EVERYONE,
    OFFICE,
    TOWNSHIP,
    VIEWER,
    database,
    demo_workspace,
    make_app,
    sign_in,
    token,
    with_users,
)

Demo = tuple[ws.Workspace, Flask]

#: each page and the demo users who may open it (the others get 403)
ALLOWED = {
    "/dashboard": EVERYONE,
    "/dashboard?year=2023": EVERYONE,
    "/plan?year=2024&month=3": EVERYONE,
    "/feeds": EVERYONE,
    "/people": (OFFICE, TOWNSHIP, VIEWER),
    "/duties?year=2023": (OFFICE, DEPARTMENT, VIEWER),
    "/ledger": (OFFICE, TOWNSHIP),
    "/ledger/template": (OFFICE, TOWNSHIP),
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def shown(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Demo]:
    """The demo's records, roster and web users on one engine, and an app on them (read only)."""
    made_db = database(request, request.param)
    url = next(made_db)
    made = demo_workspace(tmp_path_factory.mktemp("pages") / "ws", url)
    yield made, make_app(made)
    next(made_db, None)


def _progress(page: str) -> dict[str, str]:
    found = re.findall(
        r'<span class="progress-label">(.*?)</span>\s*<span class="progress-figures">(.*?) / ', page
    )
    return dict(found)


@pytest.mark.parametrize("path", sorted(ALLOWED))
@pytest.mark.parametrize("name", EVERYONE)
def test_each_page_opens_for_its_roles_only(shown: Demo, path: str, name: str) -> None:
    """A page is 200 for the roles allowed on it and the Chinese 403 page for the others."""
    response = sign_in(shown[1], name).get(path)
    expected = 200 if name in ALLOWED[path] else 403
    assert response.status_code == expected
    assert expected == 200 or "无权访问" in response.text


@pytest.mark.parametrize("path", ["/dashboard", "/plan", "/feeds", "/people", "/duties", "/ledger"])
def test_pages_redirect_to_login_without_a_session(shown: Demo, path: str) -> None:
    """Without a session each page redirects to the login page."""
    response = shown[1].test_client().get(path)
    assert response.headers["Location"].startswith("/login?next=")


def test_home_is_the_dashboard_after_signing_in(shown: Demo) -> None:
    """The landing page of a township clerk is their township's dashboard."""
    page = sign_in(shown[1], TOWNSHIP).get("/").text
    assert "欢迎,示例禾丰乡" in page
    assert "禾丰布依族苗族乡 2026 年普法指标" in page


def test_admin_home_is_the_welcome(shown: Demo) -> None:
    """The admin lands on the welcome page, not on a dashboard."""
    page = sign_in(shown[1], ADMIN).get("/").text
    assert "欢迎,示例管理员" in page
    assert 'class="dashboard"' not in page


@pytest.mark.parametrize(("name", "scope"), [(OFFICE, []), (TOWNSHIP, ["--township", "禾丰乡"])])
def test_dashboard_values_equal_summary_json(shown: Demo, name: str, scope: list[str]) -> None:
    """Each progress line shows the held value `pufa summary --json` gives for the same year."""
    made, app = shown
    result = invoke(made.root, "summary", "--year", "2023", *scope, "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rows"]
    page = sign_in(app, name).get("/dashboard?year=2023").text
    assert _progress(page) == {row["name"]: charts.number(row["held"]) for row in rows}


def test_dashboard_of_2026_shows_the_hint_without_server_paths(shown: Demo) -> None:
    """This year (no targets yet) renders, with a hint naming no file on the server."""
    made, app = shown
    page = sign_in(app, OFFICE).get("/dashboard").text
    assert "2026 年普法指标(截至 2026-11-29)" in page
    assert "2026 年还没有目标" in page
    assert str(made.root) not in page
    assert ".toml" not in page


def test_a_bad_year_is_refused_in_chinese(shown: Demo) -> None:
    """?year=abc is a 400 page saying what a year should be."""
    response = sign_in(shown[1], VIEWER).get("/dashboard?year=abc")
    assert response.status_code == 400
    assert "应为 2000–2100 的整数" in response.text


def test_plan_calendar_shows_the_months_records(shown: Demo) -> None:
    """Every record of the demo starting in March 2024 is on that month's calendar."""
    made, app = shown
    with made.open() as store:
        found = store.events(Query(first_day="2024-03-01", last_day="2024-03-31"))
    titles = {e.title for e in found if e.voided is None and e.span.first_day.month == 3}
    page = sign_in(app, VIEWER).get("/plan?year=2024&month=3").text
    assert titles
    assert all(html.escape(t, quote=False) in page for t in titles)


def test_plan_links_to_the_months_around(shown: Demo) -> None:
    """The calendar links the previous and the next month."""
    page = sign_in(shown[1], OFFICE).get("/plan?year=2024&month=1").text
    assert 'href="/plan?year=2023&amp;month=12"' in page
    assert 'href="/plan?year=2024&amp;month=2"' in page


def test_plan_entries_open_their_records(shown: Demo) -> None:
    """Each activity on the office's calendar links to its record's page, which opens."""
    client = sign_in(shown[1], OFFICE)
    page = client.get("/plan?year=2024&month=3").text
    links = re.findall(r'<a href="(/records/\d+)">', page)
    assert links
    assert client.get(links[0]).status_code == 200


def test_township_plan_shows_only_its_township(shown: Demo) -> None:
    """A township clerk's calendar lists only their township's records."""
    page = sign_in(shown[1], TOWNSHIP).get("/plan?year=2024&month=3").text
    places = set(re.findall(r'<span class="entry-place">(.*?)</span>', page))
    assert places <= {"禾丰布依族苗族乡", "禾丰乡"}


def test_people_page_masks_phones_and_hides_certificates(shown: Demo) -> None:
    """No full phone number and no certificate number reaches the rosters page."""
    made, app = shown
    with made.open() as store:
        everyone = Roster(store).people(None, False)
    client = sign_in(app, OFFICE)
    pages = -(-len(everyone) // 100)
    page = "".join(client.get(f"/people?page={n}").text for n in range(1, pages + 1))
    assert everyone
    for person in everyone:
        assert person.phone not in page
        assert people.mask_phone(person.phone) in page
        assert not person.certificate or person.certificate not in page


def test_people_page_of_a_township_lists_only_its_people(shown: Demo) -> None:
    """A township clerk sees fewer people than the office, each of their own township."""
    app = shown[1]
    own = sign_in(app, TOWNSHIP).get("/people").text
    everyone = sign_in(app, OFFICE).get("/people").text
    places = re.findall(r"<tr><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", own)
    assert places
    assert all(p.startswith("禾丰") for p in places)
    assert len(places) < everyone.count("<tr><td>")


def test_people_page_is_paged(shown: Demo) -> None:
    """The demo's 806 people (747 法律明白人, 59 法治副校长) come 100 a page; a page past the last is refused."""
    client = sign_in(shown[1], OFFICE)
    first, last = client.get("/people").text, client.get("/people?page=9").text
    assert ("共 806 人,第 1/9 页" in first, first.count("<tr><td>")) == (True, 100)
    assert last.count("<tr><td>") == 6
    refused = client.get("/people?page=10")
    assert refused.status_code == 400
    assert "页码" in refused.text


def test_people_page_sends_exports_to_the_cli(shown: Demo) -> None:
    """The rosters page offers no export with personal data, only the logged CLI command."""
    page = sign_in(shown[1], VIEWER).get("/people").text
    assert "pufa people export --with-personal-data" in page
    assert 'href="/people/export' not in page


def test_department_sees_only_its_unit_in_duties(shown: Demo) -> None:
    """The 县司法局 user's duties page shows its own unit and no other."""
    made, app = shown
    _, listed = unitwork.read_duties(made, made.county(), 2023)
    page = sign_in(app, DEPARTMENT).get("/duties?year=2023").text
    units = re.findall(r'<section class="card unit">\s*<h2>([^<(]*)\(', page)
    assert units == ["县司法局"]
    assert len(listed.units) > 1


def test_duties_of_a_year_without_a_list_says_so(shown: Demo) -> None:
    """A year without duties file says so, without server paths."""
    made, app = shown
    page = sign_in(app, OFFICE).get("/duties?year=2026").text
    assert "2026 年还没有责任清单" in page
    assert str(made.root) not in page


def test_feeds_without_base_url_say_how_to_set_it(shown: Demo) -> None:
    """Without [feeds] base_url the page says so and names the command that sets it."""
    page = sign_in(shown[1], VIEWER).get("/feeds").text
    assert "还不知道对外地址" in page
    assert "pufa feeds publish --base-url" in page
    assert "<svg" not in page


def test_viewer_may_not_publish_feeds(shown: Demo) -> None:
    """A viewer's POST to /feeds/publish is 403 and publishes nothing."""
    made, app = shown
    client = sign_in(app, VIEWER)
    response = client.post("/feeds/publish", data={"csrf_token": token(client, "/feeds")})
    assert response.status_code == 403
    assert not (made.root / "feeds" / "index.html").exists()


def test_office_publishes_feeds_from_the_page(workspace: ws.Workspace) -> None:
    """The office's POST publishes into the workspace's feeds folder and says when."""
    made = with_users(workspace)
    client = sign_in(make_app(made), OFFICE)
    response = client.post("/feeds/publish", data={"csrf_token": token(client, "/feeds")})
    assert response.status_code == 302
    assert (made.root / "feeds" / "index.html").is_file()
    page = client.get("/feeds").text
    assert "已发布" in page
    assert "上次发布:" in page


def test_feeds_with_base_url_show_links_and_qr_codes(workspace: ws.Workspace) -> None:
    """With a base URL each feed has its webcal and https links and a QR code."""
    made = ws.remember_feeds_url(with_users(workspace), "https://pufa.example.gov.cn/feeds")
    page = sign_in(make_app(made), TOWNSHIP).get("/feeds").text
    county = made.county()
    first = county.townships[0]
    assert f"webcal://pufa.example.gov.cn/feeds/{first.code}-{first.slug}.ics" in page
    assert f"https://pufa.example.gov.cn/feeds/{county.slug}.ics" in page
    assert page.count("<svg") == len(county.townships) + 1


def test_the_month_is_this_month_by_default(shown: Demo) -> None:
    """/plan without a month opens November 2026 (the app's today)."""
    page = sign_in(shown[1], OFFICE).get("/plan").text
    assert "2026年11月" in page
    assert pendulum.Date(2026, 11, 29).isoformat() in page
