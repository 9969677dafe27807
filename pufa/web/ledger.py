"""Ledger upload, blueprint ``ledger``: ``GET /ledger`` (the form), ``POST /ledger/preview`` (the file
staged under a random token, checked as ``pufa ledger import --dry-run`` checks it, nothing
written), ``POST /ledger/confirm`` (exactly the previewed file applied through the library, audited
with the web user's name) and ``GET /ledger/template`` (the template workbook).

A township user's rows of another township (or of a department) are rejected at the row; so are
rows of a locked month (:func:`pufa.ledger.check`). Files: ``.xlsx`` (zip magic) or ``.csv``
(text, no NUL bytes), at most :data:`~pufa.web.security.MAX_BODY`; staged in the workspace's
private :data:`STAGING` folder with the store's fingerprint at preview time — a confirm after the
records changed, with an unknown token or by another user is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import tempfile
import time
from io import BytesIO
from pathlib import Path

import attrs
from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from werkzeug.wrappers import Response as BaseResponse

from pufa import ledger, vocab
from pufa.errors import InvalidInput, Problem, SheetAt, render
from pufa.ledger.importing import ImportPlan
from pufa.model import County, Kind
from pufa.store import Store
from pufa.users import Role, User
from pufa.web.auth import require
from pufa.web.context import (
    signed_in,
    web_county,
    web_now,
    web_stamp,
    web_store,
    web_today,
    web_workspace,
)

ledger_pages = Blueprint("ledger", __name__)

#: who uploads ledgers: the office (every row) and township clerks (their township's rows)
UPLOADERS = (Role.OFFICE, Role.TOWNSHIP)
#: the private folder of the workspace where uploads wait for their confirm
STAGING = ".pufa-web-uploads"
SUFFIXES = (".xlsx", ".csv")
ZIP_MAGIC = b"PK\x03\x04"
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
#: how long an unconfirmed upload is kept (a day)
KEEP = 24 * 3600


def staging() -> Path:
    """The staging folder (made private, mode 0700, on first use)."""
    folder = web_workspace().root / STAGING
    folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def sweep(now: float) -> None:
    """Remove the staged uploads of previews never confirmed, :data:`KEEP` seconds after."""
    for item in staging().iterdir():
        if item.is_dir() and TOKEN.fullmatch(item.name) and item.stat().st_mtime < now - KEEP:
            shutil.rmtree(item, ignore_errors=True)


def sniff(name: str, data: bytes) -> str | None:
    """Why an upload is not a ledger (suffix and content both checked), or None when it may be."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xls":
        return "不支持旧版 Excel(.xls)文件:请在 Excel 里“另存为” .xlsx 工作簿后再上传。"
    if suffix not in SUFFIXES:
        return "只接受 .xlsx 工作簿或 .csv 文件(可先下载台账模板填写)。"
    if not data:
        return "上传的文件是空的。"
    if suffix == ".xlsx" and not data.startswith(ZIP_MAGIC):
        return "文件名是 .xlsx,但内容不是 Excel 工作簿:请用 Excel 打开后“另存为” .xlsx 再上传。"
    if suffix == ".csv" and (data.startswith(ZIP_MAGIC) or b"\x00" in data):
        return "文件名是 .csv,但内容不是文本表格:请在 Excel 里“另存为” CSV(UTF-8)后再上传。"
    return None


def outside(county: County, user: User, planned: ImportPlan) -> ImportPlan:
    """``planned`` with a township user's rows of another place moved to its rejected rows."""
    if user.role is not Role.TOWNSHIP:
        return planned
    own = county.township(user.township or "")

    def problem(row: ledger.SheetRow, township: str | None) -> Problem | None:
        if township == own.code:
            return None
        shown = county.township(township).name if township else "(部门记录)"
        at = SheetAt(row.sheet, row.number, row.columns.get(vocab.column_key("township"), ""))
        expected = f"应为本乡镇({own.name})的记录"
        return Problem("township", shown, expected, "其他乡镇的记录由其自行上传", at)

    rejected = list(planned.rejected)
    add, edit = [], []
    for parsed, event, key in planned.add:
        if (found := problem(parsed.row, event.township)) is not None:
            rejected.append((parsed.row, (found,)))
        else:
            add.append((parsed, event, key))
    for parsed, current, revised in planned.edit:
        found = problem(parsed.row, current.township) or problem(parsed.row, revised.township)
        if found is not None:
            rejected.append((parsed.row, (found,)))
        else:
            edit.append((parsed, current, revised))
    rejected.sort(key=lambda pair: (pair[0].sheet, pair[0].number))
    return attrs.evolve(planned, add=tuple(add), edit=tuple(edit), rejected=tuple(rejected))


def checked(store: Store, path: Path) -> ImportPlan:
    """The import plan of a staged file for the signed-in user (nothing written)."""
    county = web_county()
    planned = ledger.check(store, county, ledger.read(path), None, today=web_today())
    return outside(county, signed_in(), planned)


def shown_problems(error: InvalidInput, path: Path, name: str) -> list[str]:
    """A refusal's problems as lines, the staged path replaced by the uploaded file's name."""
    return [render(p).replace(str(path), name) for p in error.problems]


def _meta(token: str) -> Path:
    return staging() / token / "upload.json"


def safe_name(name: str) -> str:
    """The uploaded file's own name, fit to save (no folders, no control characters, short):
    a CSV's name says its kind, and the rows' problems name its sheet."""
    base = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]", "_", name.replace("\\", "/").rsplit("/", 1)[-1])
    stem, suffix = Path(base).stem.strip(". ") or "台账", Path(base).suffix.lower()
    return stem[:80] + suffix


def stage(name: str, data: bytes) -> tuple[str, Path]:
    """Save an upload in a new folder named by a random token; returns the token and the file."""
    token = secrets.token_urlsafe(24)
    folder = staging() / token
    folder.mkdir(mode=0o700)
    path = folder / safe_name(name)
    with path.open("xb") as out:
        out.write(data)
    path.chmod(0o600)
    return token, path


def remember(token: str, path: Path, name: str, store: Store) -> None:
    """What a confirm checks: the user, the file's digest, the store's fingerprint."""
    meta = {
        "user": signed_in().name,
        "file": path.name,
        "name": name,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "fingerprint": store.fingerprint(),
    }
    _meta(token).write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def forget(token: str) -> None:
    """Remove a staged upload's folder."""
    shutil.rmtree(staging() / token, ignore_errors=True)


@ledger_pages.route("/ledger")
@require(*UPLOADERS)
def form() -> str:
    """The upload form (and the template to download)."""
    return render_template("ledger.html", problems=[])


@ledger_pages.route("/ledger/template")
@require(*UPLOADERS)
def template() -> BaseResponse:
    """The ledger template workbook: one sheet per kind, pick lists and instructions."""
    county = web_county()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "台账模板.xlsx"
        ledger.write_workbook(path, county, [], list(Kind), now=web_now())
        data = path.read_bytes()
    return send_file(
        BytesIO(data), download_name=f"{county.name}普法台账模板.xlsx", as_attachment=True,
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip


@ledger_pages.route("/ledger/preview", methods=["POST"])
@require(*UPLOADERS)
def preview() -> str | tuple[str, int]:
    """Stage the upload and show what importing it would do; nothing is written to the store."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("ledger.html", problems=["请选择要上传的台账文件。"]), 400
    data = upload.read()
    refused = sniff(upload.filename, data)
    if refused is not None:
        return render_template("ledger.html", problems=[refused]), 400
    sweep(time.time())
    token, path = stage(upload.filename, data)
    store = web_store()
    try:
        planned = checked(store, path)
    except InvalidInput as error:
        forget(token)
        lines = shown_problems(error, path, upload.filename)
        return render_template("ledger.html", problems=lines), 400
    remember(token, path, upload.filename, store)
    shown = ledger.summarise(web_county(), planned)
    return render_template("ledger_preview.html", preview=shown, token=token, name=upload.filename)


def staged(token: str) -> tuple[Path, dict[str, str]] | None:
    """The staged file of a token and what was recorded at preview (None: unknown, not this
    user's, or the file changed since)."""
    if not TOKEN.fullmatch(token) or not _meta(token).is_file():
        return None
    meta = json.loads(_meta(token).read_text(encoding="utf-8"))
    path = staging() / token / str(meta.get("file", ""))
    if (
        meta.get("user") != signed_in().name
        or path.parent.parent != staging()
        or not path.is_file()
    ):
        return None
    if hashlib.sha256(path.read_bytes()).hexdigest() != meta.get("sha256"):
        return None
    return path, meta


@ledger_pages.route("/ledger/confirm", methods=["POST"])
@require(*UPLOADERS)
def confirm() -> str | tuple[str, int] | BaseResponse:
    """Import exactly the previewed file, if the records have not changed since the preview."""
    token = request.form.get("token", "")
    found = staged(token)
    if found is None:
        text = "这次预览已失效或不存在:请重新上传台账并预览。"
        return render_template("ledger.html", problems=[text]), 409
    path, meta = found
    store = web_store()
    if store.fingerprint() != meta["fingerprint"]:
        forget(token)
        text = "预览之后记录有了变化,未导入:请重新上传台账,看过新的预览后再确认。"
        return render_template("ledger.html", problems=[text]), 409
    try:
        planned = checked(store, path)
        reason = f"网页导入台账 {meta['name']}"
        ledger.apply(store, planned, web_stamp(), reason, county=web_county())
    except InvalidInput as error:
        lines = shown_problems(error, path, meta["name"])
        return render_template("ledger.html", problems=lines), 400
    forget(token)
    flash(f"已导入 {meta['name']}:新增 {len(planned.add)} 条,修改 {len(planned.edit)} 条。")
    return redirect(url_for("ledger.form"))
