"""pufa.web ledger upload: the preview writes nothing and lists every row problem, the confirm
imports exactly the previewed file as the web user, and what may not be uploaded is refused."""

from __future__ import annotations

import os
import re
import time
from io import BytesIO

import pytest
from flask import Flask
from flask.testing import FlaskClient

from pufa import records
from pufa import workspace as ws
from pufa.event import Stamp
from pufa.store import Query

from .conftest import snapshot
from .webkit import NOW, OFFICE, TOWNSHIP, make_app, sign_in, token, with_users

GOOD = (
    "日期,乡镇,活动名称,参与人次\n2026-11-20,禾丰乡,民法典讲座,40\n2026-11-21,禾丰乡,反诈讲座,30\n"
)
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def app(workspace: ws.Workspace, today: None) -> Flask:
    """An app on an empty workspace of the demo county with the demo's web users."""
    return make_app(with_users(workspace))


def _upload(client: FlaskClient, data: bytes | str, name: str = "讲座.csv") -> tuple[int, str]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    form = {"csrf_token": token(client, "/ledger"), "file": (BytesIO(raw), name)}
    response = client.post("/ledger/preview", data=form, content_type="multipart/form-data")
    return response.status_code, response.text


def _confirm(client: FlaskClient, page: str) -> tuple[int, str]:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found is not None
    form = {"csrf_token": token(client, "/ledger"), "token": found.group(1)}
    response = client.post("/ledger/confirm", data=form)
    return response.status_code, response.text


def _titles(made: ws.Workspace) -> list[str]:
    with made.open() as store:
        return sorted(e.title for e in store.events(Query()))


def test_preview_lists_row_problems_and_writes_nothing(app: Flask, workspace: ws.Workspace) -> None:
    """Every bad row is listed at its sheet and row; the store is untouched and no confirm offered."""
    before = snapshot(workspace.location)
    bad = GOOD + "2026-13-40,禾丰乡,坏日期,10\n2026-11-22,禾丰乡,负人数,-5\n"
    status, page = _upload(sign_in(app, TOWNSHIP), bad)
    assert status == 200
    assert "讲座 第4行" in page
    assert "讲座 第5行" in page
    assert "确认导入" not in page
    assert snapshot(workspace.location) == before


def test_preview_shows_what_would_be_added(app: Flask, workspace: ws.Workspace) -> None:
    """A clean file's preview lists each row to add and writes nothing yet."""
    status, page = _upload(sign_in(app, TOWNSHIP), GOOD)
    assert status == 200
    assert "将新增 2 条" in page
    assert "民法典讲座" in page
    assert "确认导入" in page
    assert _titles(workspace) == []


def test_confirm_imports_the_preview_as_the_web_user(app: Flask, workspace: ws.Workspace) -> None:
    """The confirm adds exactly the previewed rows, each audited with the clerk's user name."""
    client = sign_in(app, TOWNSHIP)
    _, page = _upload(client, GOOD)
    status, _ = _confirm(client, page)
    assert status == 302
    assert _titles(workspace) == ["反诈讲座", "民法典讲座"]
    with workspace.open() as store:
        stamps = {store.history(e.id or 0)[0].stamp.by for e in store.events(Query())}
    assert stamps == {TOWNSHIP}


def test_a_token_is_used_once(app: Flask, workspace: ws.Workspace) -> None:
    """Confirming the same preview twice imports once; the second is refused as stale."""
    client = sign_in(app, TOWNSHIP)
    _, page = _upload(client, GOOD)
    _confirm(client, page)
    status, text = _confirm(client, page)
    assert status == 409
    assert "预览已失效" in text
    assert len(_titles(workspace)) == 2


def test_confirm_after_the_records_changed_is_refused(app: Flask, workspace: ws.Workspace) -> None:
    """A store changed since the preview refuses the confirm; nothing of the file is imported."""
    client = sign_in(app, TOWNSHIP)
    _, page = _upload(client, GOOD)
    other = sign_in(app, OFFICE)
    _, first = _upload(other, "日期,乡镇,活动名称,参与人次\n2026-11-02,南江,宪法讲座,50\n")
    _confirm(other, first)
    status, text = _confirm(client, page)
    assert status == 409
    assert "记录有了变化" in text
    assert _titles(workspace) == ["宪法讲座"]


def test_another_users_token_is_refused(app: Flask, workspace: ws.Workspace) -> None:
    """The office cannot confirm a clerk's preview: the token is refused, nothing imported."""
    _, page = _upload(sign_in(app, TOWNSHIP), GOOD)
    status, _ = _confirm(sign_in(app, OFFICE), page)
    assert status == 409
    assert _titles(workspace) == []


def test_township_user_may_not_upload_another_townships_rows(app: Flask) -> None:
    """A clerk's row of another township is rejected at its row, so nothing can be confirmed."""
    mixed = GOOD + "2026-11-23,南江,南江讲座,20\n"
    _, page = _upload(sign_in(app, TOWNSHIP), mixed)
    assert "讲座 第4行" in page
    assert "应为本乡镇(禾丰布依族苗族乡)的记录" in page
    assert "确认导入" not in page


def test_office_may_upload_every_townships_rows(app: Flask) -> None:
    """The office's preview of the same file has nothing rejected."""
    mixed = GOOD + "2026-11-23,南江,南江讲座,20\n"
    _, page = _upload(sign_in(app, OFFICE), mixed)
    assert "将新增 3 条" in page
    assert "确认导入" in page


def test_old_excel_file_is_refused_in_chinese(app: Flask) -> None:
    """A .xls upload is refused with a Chinese message saying to save it as .xlsx."""
    status, page = _upload(sign_in(app, TOWNSHIP), b"\xd0\xcf\x11\xe0 old excel", "台账.xls")
    assert status == 400
    assert "不支持旧版 Excel(.xls)文件" in page


def test_renamed_text_file_is_refused(app: Flask) -> None:
    """A text file named .xlsx is refused by its content, not taken for a workbook."""
    status, page = _upload(sign_in(app, TOWNSHIP), GOOD, "台账.xlsx")
    assert status == 400
    assert "内容不是 Excel 工作簿" in page


def test_other_file_types_are_refused(app: Flask) -> None:
    """A .pdf upload is refused: only .xlsx and .csv."""
    status, page = _upload(sign_in(app, TOWNSHIP), b"%PDF-1.7", "台账.pdf")
    assert status == 400
    assert "只接受 .xlsx 工作簿或 .csv 文件" in page


def test_upload_over_5_mb_is_413_in_chinese(app: Flask, workspace: ws.Workspace) -> None:
    """An upload over 5 MB gets the Chinese 413 page and nothing is staged or written."""
    status, page = _upload(sign_in(app, TOWNSHIP), b"x" * (5 * 1024 * 1024 + 1))
    assert status == 413
    assert "文件过大" in page
    assert _titles(workspace) == []


def test_a_csv_not_named_for_a_kind_is_refused_without_server_paths(
    app: Flask, workspace: ws.Workspace
) -> None:
    """A CSV whose name names no kind is refused by name, no staging path on the page."""
    status, page = _upload(sign_in(app, TOWNSHIP), GOOD, "我的台账.csv")
    assert status == 400
    assert "我的台账" in page
    assert str(workspace.root) not in page


def test_script_in_a_title_is_escaped_in_preview_and_plan(app: Flask) -> None:
    """A title holding <script> shows as text on the preview and on the calendar."""
    client = sign_in(app, TOWNSHIP)
    _, page = _upload(client, f"日期,乡镇,活动名称,参与人次\n2026-11-20,禾丰乡,{SCRIPT},40\n")
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    _confirm(client, page)
    plan = client.get("/plan?year=2026&month=11").text
    assert SCRIPT not in plan
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in plan


def test_the_template_is_a_workbook(app: Flask) -> None:
    """GET /ledger/template sends an .xlsx (zip) attachment."""
    response = sign_in(app, TOWNSHIP).get("/ledger/template")
    assert response.status_code == 200
    assert response.data.startswith(b"PK\x03\x04")
    assert "attachment" in response.headers["Content-Disposition"]


def test_viewer_may_not_preview(app: Flask, workspace: ws.Workspace) -> None:
    """A viewer's upload POST is 403 and nothing is staged."""
    client = sign_in(app, "示例领导")
    form = {"csrf_token": token(client, "/feeds"), "file": (BytesIO(GOOD.encode()), "讲座.csv")}
    response = client.post("/ledger/preview", data=form, content_type="multipart/form-data")
    assert response.status_code == 403
    assert not (workspace.root / ".pufa-web-uploads").exists()


def test_unconfirmed_uploads_are_swept_after_a_day(app: Flask, workspace: ws.Workspace) -> None:
    """A preview left unconfirmed for over a day is removed at the next upload."""
    client = sign_in(app, TOWNSHIP)
    _, page = _upload(client, GOOD)
    staged = list((workspace.root / ".pufa-web-uploads").iterdir())
    old = time.time() - 2 * 24 * 3600
    os.utime(staged[0], (old, old))
    _upload(client, GOOD)
    assert not staged[0].exists()
    status, _ = _confirm(client, page)
    assert status == 409


def test_rows_of_a_locked_month_are_rejected(app: Flask, workspace: ws.Workspace) -> None:
    """With November locked for the township, the clerk's November rows are rejected at the row."""
    county = workspace.county()
    with workspace.open() as store:
        places = records.lock_places(county, "禾丰乡")
        records.lock_months(store, county, places, "2026-11", Stamp(NOW, OFFICE))
    _, page = _upload(sign_in(app, TOWNSHIP), GOOD)
    assert "讲座 第2行" in page
    assert "确认导入" not in page
