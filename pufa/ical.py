"""Records → RFC 5545 calendars (one feed per township and one for the county), and publishing.

What subscribed phone calendars need (docs/architecture.md, "Feeds: publishing and serving"): a real
VTIMEZONE from 2000 on (no old daylight-saving RDATE lists, no COMMENT: some readers choke on them);
all-day and multi-day events as DATE values; a globally unique UID from the record's id, the store's
id and the county's code; SEQUENCE rising on every change; DTSTAMP and LAST-MODIFIED = when the
record last changed (never "now"), so an unchanged feed is byte-identical; cancelled and voided
records kept as STATUS:CANCELLED and said so in the title (【已取消】, 【已作废】), for readers that
ignore STATUS; the record number in every event (``编号 #n``, ``X-PUFA-ID``), so no two events have
identical content; refresh hints; no METHOD and no calendar-level UID; only public fields (no
personal names, phones or ID numbers).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from zoneinfo import ZoneInfo

import pendulum
from icalendar import Alarm, Calendar, Timezone, vDuration
from icalendar import Event as VEvent

from pufa import feedpage, output
from pufa.event import Event
from pufa.model import DATE_MAX, DATE_MIN, County, Status
from pufa.store import Query, Store
from pufa.text import mask, visible
from pufa.value import valueclass

REFRESH = dt.timedelta(hours=6)
#: what the last publish was made from (store fingerprint and settings), kept beside the feeds
MANIFEST = ".pufa-published"
_VERSION = "2"  # bump when the feed format changes, so the next publish rebuilds everything


#: the embedded VTIMEZONE starts here: the zone as it is now, without decades of history
ZONE_FROM = dt.date(2000, 1, 1)
CANCELLED_MARK = "【已取消】"
VOIDED_MARK = "【已作废】"


def uid(county: County, event: Event, store_id: str) -> str:
    """Stable for the record's whole life and unique in the world: its id, its store's id (a random
    id each workspace is created with) and the county's 6-digit code — never its content."""
    return f"{event.id}-{store_id}@{county.code}.pufa"


def location(county: County, event: Event) -> str:
    """Where: the county's name before the township or department, never doubled (开阳县司法局, not
    开阳县县司法局; a department already named with the county is left as it is)."""
    if event.township:
        place = county.township(event.township).name
    else:
        place = county.department(event.dept or "").name
    level = county.name[-1:]  # 县, 区, 市, 旗
    if place.startswith((county.name, county.short_name)):
        where = place
    elif level and place.startswith(level):
        where = county.name + place[len(level) :]
    else:
        where = county.name + place
    venue = getattr(event.details, "venue", None)
    return where + (f" · {county.venue(venue).name}" if venue else "")


def summary(event: Event) -> str:
    """The title, with the state in front for a voided or cancelled record."""
    if event.voided is not None:
        return VOIDED_MARK + event.title
    if event.status is Status.CANCELLED:
        return CANCELLED_MARK + event.title
    return event.title


def description(event: Event) -> str:
    """Kind, occasion, state (已作废 and why, for a voided record) and the record number."""
    occasion = getattr(event.details, "occasion", None)
    lines = [event.kind.label, *([occasion] if occasion else [])]
    if event.voided is not None:
        lines += ["状态:已作废", f"作废原因:{event.voided.reason}"]
    else:
        lines.append(f"状态:{event.status.label}")
    lines.append(f"编号 #{event.id}")
    return "\n".join(mask(visible(line, multiline=True)) for line in lines)


def _when(value: pendulum.Date | pendulum.DateTime, zone: ZoneInfo) -> dt.date | dt.datetime:
    if isinstance(value, pendulum.DateTime):
        local = value.in_timezone(zone.key)
        return dt.datetime(
            local.year, local.month, local.day, local.hour, local.minute, local.second, tzinfo=zone
        )
    return dt.date(value.year, value.month, value.day)


def _utc(at: pendulum.DateTime) -> dt.datetime:
    utc = at.in_timezone("UTC")
    return dt.datetime(
        utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, tzinfo=dt.UTC
    )


def public(text: str) -> str:
    """Text fit for a public feed: control characters escaped, phone and 身份证 numbers masked."""
    return mask(visible(text))


def vevent(county: County, event: Event, *, store_id: str, alarm_days: int | None = 1) -> VEvent:
    """One record as a VEVENT with public fields only (text through :func:`public`)."""
    zone = ZoneInfo(county.timezone)
    item = VEvent()
    item.add("uid", uid(county, event, store_id))
    item.add("x-pufa-id", str(event.id))
    changed = event.updated or event.created
    assert changed is not None
    assert event.created is not None
    item.add("dtstamp", _utc(changed.at))
    item.add("created", _utc(event.created.at))
    item.add("last-modified", _utc(changed.at))
    item.add("sequence", max(0, event.revision - 1))
    item.add("summary", public(summary(event)))
    start, end = _when(event.span.start, zone), _when(event.span.end, zone)
    item.add("dtstart", start)
    if event.span.all_day:
        item.add("dtend", end + dt.timedelta(days=1))  # DTEND of a DATE event is exclusive
    elif end != start:
        item.add("dtend", end)
    item.add("location", public(location(county, event)))
    item.add("categories", [event.kind.label])
    item.add("description", description(event))
    cancelled = event.status is Status.CANCELLED or event.voided is not None
    item.add(
        "status",
        "CANCELLED"
        if cancelled
        else "TENTATIVE"
        if event.status is Status.PLANNED
        else "CONFIRMED",
    )
    if (
        alarm_days and event.status is Status.PLANNED and event.voided is None
    ):  # a reminder for what is coming
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add(
            "description",
            f"{'明天' if alarm_days == 1 else f'{alarm_days}天后'}:{public(event.title)}",
        )
        alarm.add("trigger", dt.timedelta(days=-alarm_days))
        item.add_component(alarm)
    return item


def assemble(county: County, name: str, serialised: Iterable[bytes]) -> bytes:
    """A feed from already serialised VEVENTs: each event is folded and encoded once, however many
    feeds it appears in (the county's and its township's)."""
    head = _head(county, name)
    return head.removesuffix(b"END:VCALENDAR\r\n") + b"".join(serialised) + b"END:VCALENDAR\r\n"


def _head(county: County, name: str) -> bytes:
    cal = Calendar()  # not Calendar.new(): no calendar-level UID, no METHOD
    cal.add("prodid", "-//pufa//普法工作台账//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("name", name)
    cal.add("x-wr-timezone", county.timezone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    cal.add_component(zone(county.timezone))  # always: X-WR-TIMEZONE names it
    data: bytes = cal.to_ical()
    return data


def zone(tzid: str) -> Timezone:
    """The VTIMEZONE from :data:`ZONE_FROM` on: for Asia/Shanghai one STANDARD +08:00 (no 1986–1991
    daylight-saving RDATE lists, which a Ruby parser cannot read), and no COMMENT (not allowed there)."""
    timezone = Timezone.from_tzid(tzid, first_date=ZONE_FROM)
    timezone.pop("COMMENT", None)
    return timezone


@valueclass
class Feed:
    """One published file: who it is for, its file name, its bytes."""

    name: str
    filename: str
    data: bytes


def publishable(events: Sequence[Event]) -> tuple[list[Event], list[str]]:
    """The records a feed can hold, and a warning for each left out (dated outside the range
    pufa accepts: older data; ``pufa db check`` lists them with the command to fix each)."""
    kept, warnings = [], []
    for event in events:
        first, last = event.span.first_day, _last_day(event)
        if first >= DATE_MIN and last <= DATE_MAX:
            kept.append(event)
        else:
            warnings.append(
                f"记录 #{event.id} 的日期 {first.isoformat()} 不在 {DATE_MIN.isoformat()} 至 "
                f"{DATE_MAX.isoformat()} 之间,未写入日历;请运行 pufa db check 查看并修正。"
            )
    return kept, warnings


def _last_day(event: Event) -> pendulum.Date:
    end = event.span.end
    return end.date() if isinstance(end, pendulum.DateTime) else end


def feeds(
    county: County, events: Sequence[Event], *, store_id: str, alarm_days: int | None = 1
) -> list[Feed]:
    """One feed per township and one for the county (every record), each event serialised once;
    records dated outside the accepted range are left out (:func:`publishable`)."""
    ordered = sorted(publishable(events)[0], key=lambda e: (e.span.first_day, e.id or 0))
    serialised = {
        e.id: vevent(county, e, store_id=store_id, alarm_days=alarm_days).to_ical() for e in ordered
    }
    out = [
        Feed(
            f"{county.name}普法活动",
            f"{county.slug}.ics",
            assemble(county, f"{county.name}普法活动", serialised.values()),
        )
    ]
    for township in county.townships:
        mine = [serialised[e.id] for e in ordered if e.township == township.code]
        name = f"{township.name}普法活动"
        out.append(Feed(name, f"{township.code}-{township.slug}.ics", assemble(county, name, mine)))
    return out


def _page(
    county: County,
    published: Sequence[Feed],
    events: Sequence[Event],
    base_url: str | None,
    now: pendulum.DateTime | None,
) -> bytes:
    """The subscription page (:mod:`pufa.feedpage`): the county's feed, then one per township."""
    codes = [None, *(t.code for t in county.townships)]
    listings = [
        feedpage.Listing(f.name, f.filename, c) for f, c in zip(published, codes, strict=True)
    ]
    changes = [(e.updated or e.created) for e in events]
    latest = max((c.at for c in changes if c is not None), default=pendulum.datetime(2000, 1, 1))
    return feedpage.page(county, listings, events, base_url, now or latest)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write whole or not at all (:func:`pufa.output.write_atomic`); an unchanged file is not
    touched (same mtime, so the feed server's Last-Modified stays)."""
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    output.write_atomic(path, lambda out: out.write(data))
    return True


def publish(
    county: County,
    store: Store,
    outdir: Path,
    base_url: str | None = None,
    alarm_days: int | None = 1,
    warn: Callable[[str], None] | None = None,
    now: pendulum.DateTime | None = None,
) -> list[tuple[Feed, bool]]:
    """Write every feed and index.html into ``outdir``; returns each feed and whether it changed.

    ``warn`` is told of each record left out (a row pufa cannot read, a date out of range). ``now``
    is the publishing time index.html shows (default: the latest record change); the page's coming
    activities start from its day, so a publish on a new day rebuilds the page."""
    state = store.fingerprint()
    day = now.in_timezone(county.timezone).date() if now else ""
    settings = f"{state}|{alarm_days}|{base_url}|{county!r}|{_VERSION}|{day}"
    stamp = outdir / MANIFEST
    names = [
        "index.html",
        f"{county.slug}.ics",
        *(f"{t.code}-{t.slug}.ics" for t in county.townships),
    ]
    if (
        stamp.is_file()
        and stamp.read_text(encoding="utf-8") == settings
        and all((outdir / n).is_file() for n in names)
    ):
        return []  # nothing changed since the last publish: not even the feeds are rebuilt
    events = store.events(Query(include_voided=True))
    left_out = [str(skipped) for skipped in store.skipped]
    events, out_of_range = publishable(events)
    for warning in (*left_out, *out_of_range):
        if warn is not None:
            warn(warning)
    published = feeds(county, events, store_id=store.store_id(), alarm_days=alarm_days)
    results = [(feed, write_if_changed(outdir / feed.filename, feed.data)) for feed in published]
    write_if_changed(outdir / "index.html", _page(county, published, events, base_url, now))
    write_if_changed(stamp, settings.encode("utf-8"))
    return results
