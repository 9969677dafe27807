"""The feeds page, blueprint ``feeds``: ``GET /feeds`` (each feed's subscribe links and QR code,
when the folder was last published) and ``POST /feeds/publish`` (the office publishes now, as
``pufa feeds publish`` does, into the workspace's ``feeds/`` folder with its ``[feeds] base_url``).
"""

from __future__ import annotations

from pathlib import Path

import pendulum
from flask import Blueprint, flash, redirect, render_template, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response as BaseResponse

from pufa import feedpage, ical
from pufa.model import County
from pufa.users import Role
from pufa.value import valueclass
from pufa.web.auth import require
from pufa.web.context import signed_in, web_county, web_now, web_store, web_workspace

feeds = Blueprint("feeds", __name__)

#: who sees the feeds page (everyone signed in) and who may publish
READERS = (Role.ADMIN, Role.OFFICE, Role.TOWNSHIP, Role.DEPARTMENT, Role.VIEWER)
PUBLISHERS = (Role.OFFICE,)


@valueclass
class FeedLine:
    """One feed on the page: its name, file, subscribe links and QR code (None without a base URL)."""

    name: str
    filename: str
    webcal: str
    https: str
    qr: Markup | None


def folder() -> Path:
    """The workspace's feeds folder (where ``pufa feeds publish`` writes by default)."""
    return web_workspace().root / "feeds"


def listed(county: County) -> list[tuple[str, str]]:
    """(name, file) of the county's feed and each township's, in the profile's order."""
    out = [(f"{county.name}(全县)", f"{county.slug}.ics")]
    out += [(t.name, f"{t.code}-{t.slug}.ics") for t in county.townships]
    return out


def lines(county: County, base_url: str | None) -> list[FeedLine]:
    """Every feed with its links; a QR code of the https link only when there is a base URL."""
    out = []
    for name, filename in listed(county):
        webcal, https = feedpage.links(base_url, filename)
        code = Markup(feedpage.qr(https)) if base_url else None  # segno escapes the title
        out.append(FeedLine(name, filename, webcal, https, code))
    return out


def published_at(county: County) -> str | None:
    """When the folder's subscribe page was last written (county time), or None if never."""
    page = folder() / "index.html"
    if not page.is_file():
        return None
    when = pendulum.from_timestamp(page.stat().st_mtime, tz=county.timezone)
    return when.format("YYYY-MM-DD HH:mm")


@feeds.route("/feeds")
@require(*READERS)
def page() -> str:
    """Each township's feed with its subscribe links and QR code, and when they were published."""
    county, found = web_county(), web_workspace()
    return render_template(
        "feeds.html",
        feeds=lines(county, found.feeds_url),
        base_url=found.feeds_url,
        published=published_at(county),
        may_publish=signed_in().role in PUBLISHERS,
    )


@feeds.route("/feeds/publish", methods=["POST"])
@require(*PUBLISHERS)
def publish() -> BaseResponse:
    """Publish every feed now (unchanged files are not rewritten), then back to the feeds page."""
    county, found = web_county(), web_workspace()
    skipped: list[str] = []
    results = ical.publish(
        county, web_store(), folder(), found.feeds_url, 1, warn=skipped.append, now=web_now()
    )
    if not results:
        flash("日历已是最新(上次发布后没有记录变化),未改动。")
    else:
        changed = sum(1 for _, did in results if did)
        flash(f"已发布 {len(results)} 份日历(有变化的 {changed} 份,其余未改动)。")
    if skipped:
        flash(f"有 {len(skipped)} 条记录未能放进日历,请县普法办用 pufa feeds publish 查看原因。")
    return redirect(url_for("feeds.page"))
