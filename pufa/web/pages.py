"""The pages that look at a year: ``GET /dashboard`` (the year against its targets) and ``GET /plan``
(the year's plan as a month calendar), blueprint ``pages``.

A township user sees their township, a department user their unit; the others the county. Both pages
call one library function each (:func:`pufa.overview.load_dashboard`, :func:`pufa.overview.load_month`)
on the request's store; nothing is cached.
"""

from __future__ import annotations

import attrs
import pendulum
from flask import Blueprint, render_template, request, url_for

from pufa import overview
from pufa.errors import InvalidInput, render
from pufa.users import Role, User
from pufa.web import charts
from pufa.web.auth import require
from pufa.web.context import signed_in, web_county, web_store, web_today, web_workspace

pages = Blueprint("pages", __name__)

#: the roles that see the dashboard and the plan (everyone signed in)
READERS = (Role.ADMIN, Role.OFFICE, Role.TOWNSHIP, Role.DEPARTMENT, Role.VIEWER)
#: the years a page may be asked for
FIRST_YEAR, LAST_YEAR = 2000, 2100


def asked_number(name: str, default: int, low: int, high: int, label: str) -> int:
    """A whole number from the query string (``default`` when absent); out of range → InvalidInput."""
    text = request.args.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise InvalidInput.one(label, text, f"应为 {low}–{high} 的整数", f"如 {default}")
    return int(text)


def problem_page(error: InvalidInput, title: str) -> tuple[str, int]:
    """A page refusing what the query asked for, each problem in Chinese (400)."""
    lines = [render(p) for p in error.problems]
    return render_template("problem.html", title=title, lines=lines), 400


def web_hint(year: int, hint: str) -> str:
    """The year-without-targets hint for a page: no server paths, only what to ask for."""
    if not hint:
        return ""
    return f"{year} 年还没有目标:请县普法办在服务器上运行 pufa year start {year},按今年的文件填写目标。"


def scope_of(user: User) -> tuple[str | None, str | None]:
    """The (township, department) a user's pages are limited to."""
    if user.role is Role.TOWNSHIP:
        return user.township, None
    if user.role is Role.DEPARTMENT:
        return None, user.dept
    return None, None


@pages.route("/dashboard")
@require(*READERS)
def dashboard() -> str | tuple[str, int]:
    """The year (``?year=``, default this year) against its targets, behind-pace items first."""
    now = web_today()
    try:
        year = asked_number("year", now.year, FIRST_YEAR, LAST_YEAR, "年份 (year)")
    except InvalidInput as error:
        return problem_page(error, "统计")
    township, dept = scope_of(signed_in())
    as_of = min(now, pendulum.Date(year, 12, 31))
    shown = overview.load_dashboard(
        web_workspace(), web_county(), web_store(), year, as_of, township, dept
    )
    shown = attrs.evolve(shown, hint=web_hint(year, shown.hint))
    return render_template("dashboard.html", dashboard=shown, charts=charts, year=year)


@pages.route("/plan")
@require(*READERS)
def plan() -> str | tuple[str, int]:
    """The plan of a month (``?year=&month=``, default this month) as a calendar."""
    now = web_today()
    try:
        year = asked_number("year", now.year, FIRST_YEAR, LAST_YEAR, "年份 (year)")
        month = asked_number("month", now.month, 1, 12, "月份 (month)")
    except InvalidInput as error:
        return problem_page(error, "工作安排")
    township, _ = scope_of(signed_in())
    grid = overview.load_month(web_county(), web_store(), year, month, township)

    def link(y: int, m: int) -> str:
        return url_for("pages.plan", year=y, month=m)

    def record_link(event_id: int) -> str:
        return url_for("records.show", event_id=event_id)

    if signed_in().role is Role.DEPARTMENT:  # it may open its own unit's records only: no links
        return render_template("plan.html", grid=grid, link=link)
    return render_template("plan.html", grid=grid, link=link, record_link=record_link)
