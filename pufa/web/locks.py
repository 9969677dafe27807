"""The office's month locks on the web: blueprint ``locks``, ``GET /locks?year=`` (:func:`index`:
a township × month table of the year, who locked or unlocked each month and when) and ``POST
/locks`` (:func:`change`: fields ``place`` — a township code or the county's code for 县直部门 —,
``month`` ``YYYY-MM``, ``action`` ``lock``/``unlock``, ``reason``, required to unlock). Office
only; through :func:`pufa.records.lock_months` with the web user's stamp, as ``pufa lock`` does.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from pufa import records as library
from pufa.errors import Conflict, InvalidInput, render
from pufa.locks import COUNTY_LEVEL, Lock, month_text, place_name
from pufa.users import Role
from pufa.web.auth import require
from pufa.web.context import web_county, web_now, web_stamp, web_store

locks = Blueprint("locks", __name__)


def _year(text: str | None) -> int:
    if text and text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return web_now().in_timezone(web_county().timezone).year


def _page(year: int, problems: list[str]) -> str:
    county = web_county()
    state = {lock.key: lock for lock in web_store().month_locks(year)}
    places = [(t.code, t.name) for t in county.townships] + [(county.code, COUNTY_LEVEL)]
    rows = [
        (code, name, [(m, state.get((code, year, m))) for m in range(1, 13)])
        for code, name in places
    ]

    def when(lock: Lock) -> str:
        return lock.at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm")

    return render_template(
        "locks.html", year=year, rows=rows, when=when, problems=problems,
        history=web_store().lock_history(year), place_name=lambda p: place_name(county, p),
    )  # fmt: skip


@locks.route("/locks")
@require(Role.OFFICE)
def index() -> str:
    """The year's locks: every township (and 县直部门) × month, with lock and unlock buttons."""
    return _page(_year(request.args.get("year")), [])


@locks.route("/locks", methods=["POST"])
@require(Role.OFFICE)
def change() -> str | tuple[str, int] | BaseResponse:
    """Lock or unlock one place's month (an unlock needs a reason); back to the table."""
    county = web_county()
    place, month = request.form.get("place", ""), request.form.get("month", "")
    unlock = request.form.get("action") == "unlock"
    year = _year(month[:4])
    known = {t.code for t in county.townships} | {county.code}
    try:
        if place not in known:
            raise InvalidInput.one("township", place, "应为本县的乡镇或县直部门")
        written = library.lock_months(
            web_store(), county, [place], month, web_stamp(),
            request.form.get("reason") or None, locked=not unlock,
        )  # fmt: skip
    except InvalidInput as exc:
        return _page(year, [render(p) for p in exc.problems]), 400
    except Conflict as exc:
        return _page(year, [str(exc)]), 409
    for lock in written:
        verb = "锁定" if lock.locked else "解锁"
        flash(f"已{verb} {place_name(county, lock.place)} {month_text(lock.year, lock.month)}")
    return redirect(url_for("locks.index", year=year), 303)
