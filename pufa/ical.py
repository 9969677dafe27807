"""Records → RFC 5545 calendars (one feed per township and one for the county), and publishing.

What subscribed phone calendars need (docs/architecture.md, "Feeds: publishing and serving"): a real
VTIMEZONE; all-day and multi-day events as DATE values; a UID derived from the record's identity;
SEQUENCE rising on every change; DTSTAMP and LAST-MODIFIED = when the record last changed (never
"now"), so an unchanged feed is byte-identical; cancelled and voided records kept as
STATUS:CANCELLED; refresh hints; no METHOD and no calendar-level UID; only public fields (no
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
_VERSION = "1"  # bump when the feed format changes, so the next publish rebuilds everything


def uid(county: County, event: Event) -> str:
    """Stable for the record's whole life: its id and county, never its content."""
    return f"{event.id}.{county.slug}@pufa"


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


def vevent(county: County, event: Event, *, alarm_days: int | None = 1) -> VEvent:
    """One record as a VEVENT with public fields only (text through :func:`public`)."""
    zone = ZoneInfo(county.timezone)
    item = VEvent()
    item.add("uid", uid(county, event))
    changed = event.updated or event.created
    assert changed is not None
    assert event.created is not None
    item.add("dtstamp", _utc(changed.at))
    item.add("created", _utc(event.created.at))
    item.add("last-modified", _utc(changed.at))
    item.add("sequence", max(0, event.revision - 1))
    item.add("summary", public(event.title))
    start, end = _when(event.span.start, zone), _when(event.span.end, zone)
    item.add("dtstart", start)
    if event.span.all_day:
        item.add("dtend", end + dt.timedelta(days=1))  # DTEND of a DATE event is exclusive
    elif end != start:
        item.add("dtend", end)
    place = (
        county.township(event.township).name
        if event.township
        else county.department(event.dept or "").name
    )
    venue = getattr(event.details, "venue", None)
    item.add(
        "location",
        public(f"{county.name}{place}" + (f" · {county.venue(venue).name}" if venue else "")),
    )
    occasion = getattr(event.details, "occasion", None)
    item.add("categories", [event.kind.label])
    item.add(
        "description",
        "\n".join(
            public(x) for x in (event.kind.label, occasion, f"状态:{event.status.label}") if x
        ),
    )
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
    cal.add_component(Timezone.from_tzid(county.timezone))  # always: X-WR-TIMEZONE names it
    data: bytes = cal.to_ical()
    return data


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


def feeds(county: County, events: Sequence[Event], *, alarm_days: int | None = 1) -> list[Feed]:
    """One feed per township and one for the county (every record), each event serialised once;
    records dated outside the accepted range are left out (:func:`publishable`)."""
    ordered = sorted(publishable(events)[0], key=lambda e: (e.span.first_day, e.id or 0))
    serialised = {e.id: vevent(county, e, alarm_days=alarm_days).to_ical() for e in ordered}
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
    published = feeds(county, events, alarm_days=alarm_days)
    results = [(feed, write_if_changed(outdir / feed.filename, feed.data)) for feed in published]
    write_if_changed(outdir / "index.html", _page(county, published, events, base_url, now))
    write_if_changed(stamp, settings.encode("utf-8"))
    return results
