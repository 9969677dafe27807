"""pufa.web records pages: the list (scoped, filtered, paged), the log form (pick lists, measures,
the CLI's messages inline), a record and its history, edit, void, roles and month locks — with
Flask's test client on both engines."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from markupsafe import escape
from werkzeug.test import TestResponse

from pufa import intake, records
from pufa import workspace as ws
from pufa.errors import InvalidInput, render
from pufa.event import Stamp
from pufa.locks import OVERRIDE_PREFIX, Lock
from pufa.store import Query

from .webkit import token
from .webrecords_kit import START, make_app, sign_in, snapshot

USERS = {
    "普法办": ("office", None, None),
    "禾丰乡文书": ("township", "禾丰乡", None),
    "双流镇文书": ("township", "双流镇", None),
    "司法局干事": ("department", None, "县司法局"),
    "领导": ("viewer", None, None),
    "管理员": ("admin", None, None),
}
CLI = Stamp(START, "命令行")
#: a correct log form for 禾丰乡 (the field names of the page)
FORM = {
    "kind": "seven-into",
    "date": "2026-11-20",
    "township": "禾丰乡",
    "title": "法律进校园",
    "seven-into.venue": "学校",
    "seven-into.participants": "320",
    "status": "held",
}


@pytest.fixture
def app(workspace: ws.Workspace) -> Flask:
    return make_app(workspace, USERS)


def _log(workspace: ws.Workspace, **values: str) -> int:
    """A record logged through the library (as the CLI logs it); its id."""
    fields = {"date": "2026-11-10", "township": "禾丰乡", "title": "宪法进乡村", "venue": "乡村",
              "participants": "100", **values}  # fmt: skip
    kind = fields.pop("kind", "seven-into")
    fields = {k: v for k, v in fields.items() if v}  # "" leaves a field out
    with workspace.open() as store:
        event = records.log(store, workspace.county(), intake.Entry(kind, fields), CLI)
    assert event.id is not None
    return event.id


def _post(
    client: FlaskClient, path: str, data: dict[str, str], page: str = "/records/new"
) -> TestResponse:
    """A POST of ``data`` with the CSRF token of ``page``."""
    return client.post(path, data={**data, "csrf_token": token(client, page)})


def _ids(page: str) -> set[int]:
    return {int(n) for n in re.findall(r'href="/records/(\d+)"', page)}


# -- the list --------------------------------------------------------------------------------------


def test_township_user_lists_only_their_township(app: Flask, workspace: ws.Workspace) -> None:
    """A township user's list holds their township's records only, whatever the filter says."""
    mine = _log(workspace)
    other = _log(workspace, township="双流镇", title="双流普法")
    page = sign_in(app, "禾丰乡文书").get("/records?township=双流镇").text
    assert mine in _ids(page)
    assert other not in _ids(page)


def test_department_user_lists_only_their_unit(app: Flask, workspace: ws.Workspace) -> None:
    """A department user's list holds their unit's records only."""
    township = _log(workspace)
    unit = _log(workspace, township="", dept="县司法局", title="司法局普法")
    page = sign_in(app, "司法局干事").get("/records").text
    assert _ids(page) == {unit}
    assert township not in _ids(page)


@pytest.mark.parametrize("name", ["普法办", "领导", "管理员"])
def test_office_viewer_and_admin_list_everything(
    app: Flask, workspace: ws.Workspace, name: str
) -> None:
    """The office, the viewer and the admin read every record."""
    ids = {_log(workspace), _log(workspace, township="双流镇", title="双流普法")}
    assert _ids(sign_in(app, name).get("/records").text) == ids


def test_list_filters_by_kind_and_search(app: Flask, workspace: ws.Workspace) -> None:
    """kind and search (title or place) narrow the list as pufa list does."""
    _log(workspace)
    media = _log(workspace, kind="media-release", venue="", participants="", items="3",
                 channel="开阳普法公众号", title="普法推文")  # fmt: skip
    shuangliu = _log(workspace, township="双流镇", title="双流普法")
    client = sign_in(app, "普法办")
    assert _ids(client.get("/records?kind=media-release").text) == {media}
    assert _ids(client.get("/records?search=双流").text) == {shuangliu}


def test_list_shows_a_bad_filter_in_chinese(app: Flask) -> None:
    """A kind nobody knows is reported with the nearest choice, not a crash."""
    page = sign_in(app, "普法办").get("/records?kind=sevn-into").text
    assert 'class="form-errors"' in page
    assert "活动类型" in page


def test_list_pages_by_50_with_a_total(app: Flask, workspace: ws.Workspace) -> None:
    """60 records: 50 on the first page, 10 on the second, the total said, page links kept."""
    with workspace.open() as store:
        for n in range(60):
            records.log(store, workspace.county(), intake.Entry("seven-into", {
                "date": "2026-10-01", "township": "禾丰乡", "title": f"活动{n}",
                "venue": "乡村", "participants": "10"}), CLI)  # fmt: skip
    client = sign_in(app, "普法办")
    first, second = client.get("/records").text, client.get("/records?page=2").text
    assert len(_ids(first)) == 50
    assert len(_ids(second)) == 10
    assert "共 60 条" in first
    assert "page=2" in first
    assert not _ids(first) & _ids(second)


def test_list_defaults_to_this_year(app: Flask, workspace: ws.Workspace) -> None:
    """In late 2026 the list shows 2026's records by default, not 2025's."""
    this = _log(workspace)
    last = _log(workspace, date="2025-11-10", title="去年的活动")
    page = sign_in(app, "普法办").get("/records").text
    assert this in _ids(page)
    assert last not in _ids(page)
    assert 'value="2026"' in page


# -- the log form ----------------------------------------------------------------------------------


def test_form_has_pick_lists_and_measures_with_units(app: Flask) -> None:
    """The form lists the kinds, venues of a kind, villages by township and measures with units."""
    page = sign_in(app, "普法办").get("/records/new").text
    assert '<option value="seven-into">法律七进集中宣传</option>' in page
    assert '<optgroup label="禾丰布依族苗族乡"' in page or 'data-township="禾丰' in page
    assert 'name="seven-into.venue"' in page
    assert '<option value="学校">学校</option>' in page
    assert "参与人次(人次)" in page
    assert 'name="seven-into.participants"' in page
    assert '<input id="date" name="date" type="date" value="2026-11-29"' in page
    assert 'src="/static/form.js"' in page


def test_township_users_form_fixes_their_township(app: Flask) -> None:
    """A township user picks from their own township only (and no department)."""
    page = sign_in(app, "禾丰乡文书").get("/records/new").text
    towns = re.search(r'<select id="township" name="township">(.*?)</select>', page, re.S)
    assert towns is not None
    assert towns.group(1).count("<option") == 1
    assert 'name="dept"' not in page


def test_bad_count_shows_the_clis_message_and_writes_nothing(
    app: Flask, workspace: ws.Workspace
) -> None:
    """A count with letters: the CLI's line next to the field, what was typed kept, nothing written."""
    before = snapshot(workspace)
    client = sign_in(app, "禾丰乡文书")
    response = _post(client, "/records/new", {**FORM, "seven-into.participants": "三百"})
    typed = {k.removeprefix("seven-into."): v for k, v in FORM.items() if k != "kind"}
    entry = intake.Entry("seven-into", {**typed, "participants": "三百"})
    with pytest.raises(InvalidInput) as cli:
        intake.build(workspace.county(), entry)
    page = response.text
    assert response.status_code == 400
    line = str(escape(render(cli.value.problems[0])))
    assert f'<p class="field-error" role="alert">{line}</p>' in page
    assert 'value="法律进校园"' in page
    assert 'value="三百"' in page
    assert snapshot(workspace) == before


def test_corrected_post_writes_one_record_naming_the_web_user(
    app: Flask, workspace: ws.Workspace
) -> None:
    """After a correction, one record is written; 303 to it; its history names the web user."""
    client = sign_in(app, "禾丰乡文书")
    _post(client, "/records/new", {**FORM, "seven-into.participants": "abc"})
    response = _post(client, "/records/new", FORM)
    assert response.status_code == 303
    with workspace.open() as store:
        [event] = store.events(Query())
        [created] = store.history(event.id or 0)
    assert response.headers["Location"] == f"/records/{event.id}"
    assert created.stamp.by == "禾丰乡文书"
    assert event.measures.participants == 320
    assert "禾丰乡文书" in client.get(f"/records/{event.id}").text


def test_duplicate_is_refused_unless_still_saved(app: Flask, workspace: ws.Workspace) -> None:
    """A second identical record is refused inline; 仍然保存 (allow_duplicate) saves it."""
    client = sign_in(app, "禾丰乡文书")
    _post(client, "/records/new", FORM)
    refused = _post(client, "/records/new", FORM)
    assert refused.status_code == 400
    assert "重复" in refused.text
    saved = _post(client, "/records/new", {**FORM, "allow_duplicate": "1"})
    assert saved.status_code == 303


def test_script_in_a_title_is_shown_as_text(app: Flask, workspace: ws.Workspace) -> None:
    """A title <script>alert(1)</script> is escaped on the list and the record page."""
    event_id = _log(workspace, title="<script>alert(1)</script>")
    client = sign_in(app, "普法办")
    for page in (client.get("/records").text, client.get(f"/records/{event_id}").text):
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_record_page_masks_phone_numbers(app: Flask, workspace: ws.Workspace) -> None:
    """A phone number typed into a title is masked on the record page."""
    event_id = _log(workspace, title="联系13812345678")
    page = sign_in(app, "普法办").get(f"/records/{event_id}").text
    assert "13812345678" not in page
    assert "138****5678" in page


# -- edit and void ---------------------------------------------------------------------------------


def test_edit_changes_what_differs_with_a_reason(app: Flask, workspace: ws.Workspace) -> None:
    """An edit POST writes the changed count with the reason and the web user's name."""
    event_id = _log(workspace)
    client = sign_in(app, "禾丰乡文书")
    path = f"/records/{event_id}/edit"
    form = {"kind": "seven-into", "date": "2026-11-10", "township": "禾丰布依族苗族乡",
            "title": "宪法进乡村", "seven-into.venue": "乡村", "seven-into.participants": "150",
            "status": "held", "reason": "人数录入有误", "revision": "1"}  # fmt: skip
    response = _post(client, path, form, path)
    assert response.status_code == 303, response.text
    with workspace.open() as store:
        last = store.history(event_id)[-1]
    assert last.stamp.by == "禾丰乡文书"
    assert last.reason == "人数录入有误"
    assert [c.field for c in last.changes] == ["participants"]


def test_edit_with_a_stale_revision_is_refused(app: Flask, workspace: ws.Workspace) -> None:
    """An edit of version 1 after someone made version 2 is refused; nothing overwritten."""
    event_id = _log(workspace)
    with workspace.open() as store:
        records.edit(store, workspace.county(), event_id, {"participants": "130"}, "补录", CLI)
    before = snapshot(workspace)
    client = sign_in(app, "普法办")
    path = f"/records/{event_id}/edit"
    response = _post(client, path, {"kind": "seven-into", "seven-into.participants": "999",
                                    "reason": "改人数", "revision": "1"}, path)  # fmt: skip
    assert response.status_code == 409
    assert "命令行" in response.text
    assert snapshot(workspace) == before


def test_void_needs_a_reason(app: Flask, workspace: ws.Workspace) -> None:
    """Voiding without a reason is refused inline; with one the record is voided."""
    event_id = _log(workspace)
    client = sign_in(app, "禾丰乡文书")
    path, page = f"/records/{event_id}/void", f"/records/{event_id}"
    refused = _post(client, path, {"reason": ""}, page)
    assert refused.status_code == 400
    assert 'class="field-error"' in refused.text
    assert _post(client, path, {"reason": "重复登记"}, page).status_code == 303
    with workspace.open() as store:
        voided = store.get(event_id).voided
    assert voided is not None
    assert voided.stamp.by == "禾丰乡文书"


# -- roles -----------------------------------------------------------------------------------------


def test_forged_posts_for_another_township_are_403(app: Flask, workspace: ws.Workspace) -> None:
    """A township user's POSTs for another township's record (or a new one there) are 403."""
    other = _log(workspace, township="双流镇", title="双流普法")
    before = snapshot(workspace)
    client = sign_in(app, "禾丰乡文书")
    csrf = token(client, "/records/new")
    posts = {
        f"/records/{other}/edit": {"seven-into.participants": "1", "reason": "伪造的修改"},
        f"/records/{other}/void": {"reason": "伪造的作废"},
        "/records/new": {**FORM, "township": "双流镇"},
    }
    for path, data in posts.items():
        assert client.post(path, data={**data, "csrf_token": csrf}).status_code == 403, path
    assert client.get(f"/records/{other}").status_code == 403
    assert snapshot(workspace) == before


def test_viewer_cannot_post_anything(app: Flask, workspace: ws.Workspace) -> None:
    """A viewer's POSTs — log, edit, void, lock — are all 403 and the store is unchanged."""
    event_id = _log(workspace)
    before = snapshot(workspace)
    client = sign_in(app, "领导")
    csrf = token(client, "/records")
    posts = {
        "/records/new": FORM,
        f"/records/{event_id}/edit": {"seven-into.participants": "1", "reason": "领导改的"},
        f"/records/{event_id}/void": {"reason": "领导作废"},
        "/locks": {"place": "520121101", "month": "2026-10", "action": "lock"},
    }
    for path, data in posts.items():
        assert client.post(path, data={**data, "csrf_token": csrf}).status_code == 403, path
    assert snapshot(workspace) == before


def test_nav_shows_each_role_its_pages(app: Flask) -> None:
    """记录 for everyone; 登记 for those who log; 月度锁定 for the office only."""
    office = sign_in(app, "普法办").get("/").text
    viewer = sign_in(app, "领导").get("/").text
    assert all(f'href="{p}"' in office for p in ("/records", "/records/new", "/locks"))
    assert 'href="/records"' in viewer
    assert 'href="/records/new"' not in viewer
    assert 'href="/locks"' not in viewer


# -- month locks -----------------------------------------------------------------------------------


def _lock(workspace: ws.Workspace, month: str = "2026-11") -> None:
    with workspace.open() as store:
        county = workspace.county()
        records.lock_months(store, county, records.lock_places(county, "禾丰乡"), month, CLI)


def test_locked_month_is_refused_for_a_township_user(app: Flask, workspace: ws.Workspace) -> None:
    """A township user's record in a locked month is refused with the library's message."""
    _lock(workspace)
    before = snapshot(workspace)
    response = _post(sign_in(app, "禾丰乡文书"), "/records/new", FORM)
    assert response.status_code == 400
    assert "已由县普法办核对锁定" in response.text
    assert "2026年11月" in response.text
    assert snapshot(workspace) == before


def test_office_changes_a_locked_month_with_a_reason(app: Flask, workspace: ws.Workspace) -> None:
    """The office's record in a locked month needs 理由; given, it is written and recorded."""
    _lock(workspace)
    client = sign_in(app, "普法办")
    assert "locked_reason" in client.get("/records/new").text
    assert _post(client, "/records/new", FORM).status_code == 400
    saved = _post(client, "/records/new", {**FORM, "locked_reason": "乡镇补报漏登的活动"})
    assert saved.status_code == 303
    with workspace.open() as store:
        [event] = store.events(Query())
        [created] = store.history(event.id or 0)
    assert created.reason == OVERRIDE_PREFIX + "乡镇补报漏登的活动"


def test_locks_page_locks_and_unlocks_with_a_reason(app: Flask, workspace: ws.Workspace) -> None:
    """The office locks a month on the page; unlocking without a reason is refused, with one done."""
    client = sign_in(app, "普法办")
    page = client.get("/locks").text
    assert "2026 年月度锁定" in page
    assert "禾丰" in page
    data = {"place": "520121101", "month": "2026-10"}
    assert _post(client, "/locks", {**data, "action": "lock"}, "/locks").status_code == 303
    assert "普法办" in client.get("/locks").text
    refused = _post(client, "/locks", {**data, "action": "unlock", "reason": ""}, "/locks")
    assert refused.status_code == 400
    assert "解锁必须写明理由" in refused.text
    with workspace.open() as store:
        assert store.is_locked("520121101", 2026, 10) is not None
    done = _post(client, "/locks", {**data, "action": "unlock", "reason": "乡镇补报活动"}, "/locks")
    assert done.status_code == 303
    with workspace.open() as store:
        history: list[Lock] = store.lock_history(2026)
    assert [lock.by for lock in history] == ["普法办", "普法办"]


@pytest.mark.parametrize("name", ["禾丰乡文书", "司法局干事", "领导", "管理员"])
def test_locks_page_is_for_the_office_only(app: Flask, name: str) -> None:
    """Every role but the office gets 403 on the locks page."""
    assert sign_in(app, name).get("/locks").status_code == 403
