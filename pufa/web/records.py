"""The records pages: blueprint ``records``.

- ``GET /records`` (:func:`index`): the records the user may read, filtered and paged
  (:mod:`pufa.web.records_list`);
- ``GET/POST /records/new`` (:func:`new`): the log form; a POST calls ``intake.build`` and
  ``records.log`` as ``pufa log`` does, with the web user's stamp; every problem shown next to its
  field as the CLI prints it, nothing written; success: 303 to the record;
- ``GET /records/<id>`` (:func:`show`): the record and its history (who, when, what, why);
- ``GET/POST /records/<id>/edit`` (:func:`edit`): the same form, filled in; the revision read
  guards against overwriting someone else's change;
- ``POST /records/<id>/void`` (:func:`void`): with a reason.

Every read checks :func:`pufa.users.may_read_record`, every write
:func:`pufa.users.may_write_record` on the server (403, nothing written). A locked month is
refused with the library's message; the office may change it with a reason (``locked_reason``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from pufa import intake, vocab
from pufa import records as library
from pufa import text as safe_text
from pufa.display import owner_name, value_text, village_name
from pufa.errors import Conflict, InvalidInput, NotFound
from pufa.event import Action, Event
from pufa.model import Kind, Status
from pufa.users import Role, User, may_log, may_read_record, may_write_record
from pufa.web.auth import login_required
from pufa.web.context import signed_in, web_county, web_stamp, web_store, web_today
from pufa.web.records_form import (
    STATUS_CHOICES,
    changed,
    choices,
    entry_values,
    form_names,
    placed,
    prefill,
    typed,
)
from pufa.web.records_list import listing

records = Blueprint("records", __name__)

Page = str | tuple[str, int] | BaseResponse


@records.app_template_filter("masked")
def masked(text: object) -> str:
    """Free text as a screen shows it: phone and 身份证 numbers masked (138****5678)."""
    return safe_text.mask("" if text is None else str(text))


def _override(user: User) -> str | None:
    """The office's reason to change a locked month (others cannot give one)."""
    text = request.form.get("locked_reason", "")
    return text if user.role is Role.OFFICE and text.strip() else None


def _readable(event_id: int) -> Event:
    """The record, if the user may read it (404 when there is none, 403 when not theirs)."""
    try:
        event = web_store().get(event_id)
    except NotFound:
        abort(404)
    if not may_read_record(signed_in(), event):
        abort(403)
    return event


def _writable(event_id: int) -> Event:
    """The record, if the user may change it (403 otherwise, before anything is written)."""
    event = _readable(event_id)
    if not may_write_record(signed_in(), event):
        abort(403)
    return event


@records.route("/records")
@login_required
def index() -> str:
    """The records the user may read, with the filters as GET parameters, 50 a page."""
    county, user = web_county(), signed_in()
    found = listing(county, web_store(), user, request.args, web_today())
    rows = [
        (e, owner_name(county, e), village_name(county, e.village) if e.village else "")
        for e in found.events
    ]
    kinds = [(k.slug, k.label) for k in Kind]
    statuses = [(s.value, s.label) for s in Status]
    scoped = user.role in (Role.TOWNSHIP, Role.DEPARTMENT)
    towns = [] if scoped else [t.name for t in county.townships]
    return render_template(
        "records.html",
        found=found,
        rows=rows,
        kinds=kinds,
        statuses=statuses,
        towns=towns,
        may_log=may_log(user),
        query=lambda **more: {k: v for k, v in {**found.filters, **more}.items() if v},
    )


def _form(
    kind: str, shown: dict[str, str], problems: dict[str, list[str]], *, event: Event | None
) -> str:
    user = signed_in()
    return render_template(
        "records_form.html",
        kind=kind,
        form=shown,
        problems=problems,
        event=event,
        pick=choices(web_county(), user),
        statuses=STATUS_CHOICES if event is None else (*STATUS_CHOICES, ("cancelled", "已取消")),
        office=user.role is Role.OFFICE,
        user=user,
    )


def _refused(
    kind: str, exc: InvalidInput | Conflict, event: Event | None = None
) -> tuple[str, int]:
    """The form again with what was typed and each problem next to its field (nothing written)."""
    if isinstance(exc, InvalidInput):
        problems = placed(exc.problems, kind, form_names(kind))
    else:
        problems = {"": [str(exc)]}
    shown = typed(request.form)
    return _form(kind, shown, problems, event=event), 409 if isinstance(exc, Conflict) else 400


@records.route("/records/new", methods=["GET", "POST"])
@login_required
def new() -> Page:
    """The log form; a POST logs the record as ``pufa log`` does (nothing written on a problem)."""
    user, county = signed_in(), web_county()
    if not may_log(user):
        abort(403)
    if request.method == "GET":
        start = {
            "date": web_today().isoformat(),
            "status": "held",
            "kind": request.args.get("kind", ""),
        }
        if user.role is Role.TOWNSHIP:
            start["township"] = county.township(user.township or "").name
        if user.role is Role.DEPARTMENT:
            start["dept"] = county.department(user.dept or "").name
        return _form(start["kind"], start, {}, event=None)
    kind = request.form.get("kind", "").strip()
    entry = intake.Entry(kind, entry_values(request.form, kind))
    try:
        built = intake.build(county, entry, today=web_today())
        if not may_write_record(user, built):
            abort(403)
        event = library.log(
            web_store(), county, entry, web_stamp(), today=web_today(),
            allow_duplicate=request.form.get("allow_duplicate") == "1", override=_override(user),
        )  # fmt: skip
    except InvalidInput as exc:
        return _refused(kind, exc)
    for notice in intake.notices(event):
        flash("提示:" + notice)
    flash(f"已登记 #{event.id}")
    return redirect(url_for("records.show", event_id=event.id), 303)


def _history(event: Event) -> list[dict[str, Any]]:
    """The record's revisions as the page shows them: who, when, what changed, why."""
    county = web_county()
    rows = []
    for revision in web_store().history(event.id or 0):
        if revision.action is Action.CREATE:
            changes = [f"新登记,{len(revision.changes)} 个字段"]
        else:
            changes = [
                f"{vocab.label(c.field)}:{value_text(county, c.field, c.old)} → "
                f"{value_text(county, c.field, c.new)}"
                for c in revision.changes
            ]
        at = revision.stamp.at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm")
        rows.append({"seq": revision.seq, "at": at, "by": revision.stamp.by,
                     "action": revision.action.label, "reason": revision.reason or "",
                     "changes": changes})  # fmt: skip
    return rows


def _fields(event: Event) -> list[tuple[str, str]]:
    """The record's fields as label and text (no personal data: free text masked)."""
    county = web_county()
    rows = [
        ("类型", event.kind.label),
        ("标题", event.title),
        ("日期", value_text(county, "start", event.span.start.isoformat())
         + ("" if event.span.end == event.span.start else " 至 " + value_text(county, "end", event.span.end.isoformat()))),
        ("乡镇/部门", owner_name(county, event)),
    ]  # fmt: skip
    if event.village:
        rows.append(("村(居)", village_name(county, event.village)))
    spec, filled = event.spec, prefill(county, event)
    for name in spec.fields:
        text = filled.get(f"{event.kind.slug}.{name}", "")
        if name == "mode" and text:
            text = value_text(county, "mode", text)
        rows.append((vocab.label(name), text or "(空)"))
    for measure in spec.measures:
        count = event.measures.get(measure)
        shown = "(空)" if count is None else f"{count} {spec.unit(measure)}"
        rows.append((spec.label(measure), shown))
    rows += [("状态", event.status.label), ("备注", event.note or "(空)"),
             ("版本", f"第 {event.revision} 版")]  # fmt: skip
    return rows


def _show(event: Event, problems: dict[str, list[str]] | None = None) -> str:
    user = signed_in()
    return render_template(
        "records_show.html",
        event=event,
        fields=_fields(event),
        history=_history(event),
        may_write=may_write_record(user, event) and event.voided is None,
        office=user.role is Role.OFFICE,
        problems=problems or {},
        form=typed(request.form) if request.method == "POST" else {},
    )


@records.route("/records/<int:event_id>")
@login_required
def show(event_id: int) -> str:
    """One record and its history (the audit trail, web users by name)."""
    return _show(_readable(event_id))


@records.route("/records/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int) -> Page:
    """The form filled in with the record; a POST changes what differs, with a reason."""
    event, county, user = _writable(event_id), web_county(), signed_in()
    if event.voided is not None:
        abort(409)
    shown = prefill(county, event)
    kind = event.kind.slug
    if request.method == "GET":
        return _form(kind, shown, {}, event=event)
    revision = request.form.get("revision", "")
    values = changed(shown, request.form, kind)
    try:
        try:
            preview = intake.revise(county, event, values, today=web_today())
        except InvalidInput:
            preview = event
        if not may_write_record(user, preview):  # moved to another township: not theirs
            abort(403)
        stored, did = library.edit(
            web_store(), county, event_id, values, request.form.get("reason"), web_stamp(),
            int(revision) if revision.isdigit() else None, today=web_today(),
            override=_override(user),
        )  # fmt: skip
    except (InvalidInput, Conflict) as exc:
        return _refused(kind, exc, event)
    flash(f"已修改(第 {stored.revision} 版)" if did else f"没有变化(仍是第 {stored.revision} 版)")
    return redirect(url_for("records.show", event_id=event_id), 303)


@records.route("/records/<int:event_id>/void", methods=["POST"])
@login_required
def void(event_id: int) -> Page:
    """Void the record with a reason: it stays, with its history, and no longer counts."""
    event, user = _writable(event_id), signed_in()
    try:
        library.void(web_store(), event_id, request.form.get("reason"), web_stamp(),
                     county=web_county(), override=_override(user))  # fmt: skip
    except InvalidInput as exc:
        return _show(event, placed(exc.problems, "", ("reason", "locked_reason"))), 400
    except Conflict as exc:
        return _show(event, {"": [str(exc)]}), 409
    flash(f"已作废 #{event_id}")
    return redirect(url_for("records.show", event_id=event_id), 303)
