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

from pufa import feedcache, feedpage, output
from pufa.event import Event
from pufa.feedcache import Cached
from pufa.model import DATE_MAX, DATE_MIN, County, Status
from pufa.store import Query, Store
from pufa.store.rows import Unreadable
from pufa.text import mask, visible
from pufa.value import valueclass

REFRESH = dt.timedelta(hours=6)
#: changed records read one by one rather than all in one query
_FEW = 100
_VERSION = "3"  # bump when the feed format changes, so the next publish rebuilds everything


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


def _stamps(item: VEvent, event: Event, generation: int, since: pendulum.DateTime | None) -> None:
    """SEQUENCE is ``revision − 1 + generation``; DTSTAMP and LAST-MODIFIED the later of the
    record's last change and ``since`` (the settings' last change): whatever changes an event's
    bytes raises both."""
    changed = event.updated or event.created
    assert changed is not None
    assert event.created is not None
    stamp = max(changed.at, since) if since is not None else changed.at
    item.add("dtstamp", _utc(stamp))
    item.add("created", _utc(event.created.at))
    item.add("last-modified", _utc(stamp))
    item.add("sequence", max(0, event.revision - 1) + generation)


def vevent(
    county: County,
    event: Event,
    *,
    store_id: str,
    alarm_days: int | None = 1,
    generation: int = 0,
    since: pendulum.DateTime | None = None,
) -> VEvent:
    """One record as a VEVENT with public fields only (text through :func:`public`); ``generation``
    and ``since`` are the feed settings' (:mod:`pufa.feedcache`, :func:`_stamps`)."""
    zone = ZoneInfo(county.timezone)
    item = VEvent()
    item.add("uid", uid(county, event, store_id))
    item.add("x-pufa-id", str(event.id))
    _stamps(item, event, generation, since)
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


def assemble(
    county: County, name: str, serialised: Iterable[bytes], zone: bytes | None = None
) -> bytes:
    """A feed from already serialised VEVENTs: each event is folded and encoded once, however many
    feeds it appears in (the county's and its township's); ``zone``, the serialised VTIMEZONE
    (:func:`_zone`), is likewise built once for all the feeds of a publish."""
    head = _head(county, name).removesuffix(b"END:VCALENDAR\r\n")
    tz = zone if zone is not None else _zone(county)
    return head + tz + b"".join(serialised) + b"END:VCALENDAR\r\n"


def _zone(county: County) -> bytes:
    """The county's VTIMEZONE, serialised (always there: X-WR-TIMEZONE names it)."""
    data: bytes = zone(county.timezone).to_ical()
    return data


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
    county: County,
    events: Sequence[Event],
    *,
    store_id: str,
    alarm_days: int | None = 1,
    generation: int = 0,
    since: pendulum.DateTime | None = None,
) -> list[Feed]:
    """One feed per township and one for the county (every record), each event serialised once;
    records dated outside the accepted range are left out (:func:`publishable`)."""
    made = [
        _cached(county, e, store_id, alarm_days, generation, since) for e in publishable(events)[0]
    ]
    return _feeds(county, sorted(made, key=lambda c: (c.day, c.id)))


def _cached(
    county: County,
    event: Event,
    store_id: str,
    alarm_days: int | None,
    generation: int,
    since: pendulum.DateTime | None,
) -> Cached:
    """``event`` serialised, with what places it in the feeds (its first day, its township)."""
    item = vevent(
        county, event, store_id=store_id, alarm_days=alarm_days, generation=generation, since=since
    )
    assert event.id is not None
    day, township = event.span.first_day.isoformat(), event.township or ""
    return Cached(event.id, event.revision, day, township, item.to_ical())


def _feeds(county: County, ordered: Sequence[Cached]) -> list[Feed]:
    """The county's feed and each township's from serialised events already in feed order."""
    name, zone = f"{county.name}普法活动", _zone(county)  # the VTIMEZONE is built once
    out = [
        Feed(name, f"{county.slug}.ics", assemble(county, name, (c.data for c in ordered), zone))
    ]
    for township in county.townships:
        mine = (c.data for c in ordered if c.township == township.code)
        name = f"{township.name}普法活动"
        data = assemble(county, name, mine, zone)
        out.append(Feed(name, f"{township.code}-{township.slug}.ics", data))
    return out


def _page(
    county: County,
    store: Store,
    published: Sequence[Feed],
    base_url: str | None,
    now: pendulum.DateTime | None,
) -> bytes:
    """The subscription page (:mod:`pufa.feedpage`): the county's feed, then one per township, and
    the planned activities from ``now``'s day (default: the latest record change, which needs every
    record read; `pufa feeds publish` always gives the time, so it reads only each township's next
    :data:`pufa.feedpage.UPCOMING`)."""
    codes = [None, *(t.code for t in county.townships)]
    listings = [
        feedpage.Listing(f.name, f.filename, c) for f, c in zip(published, codes, strict=True)
    ]
    if now is None:
        events = store.events(Query(include_voided=True))
        changes = [(e.updated or e.created) for e in events]
        latest = [c.at for c in changes if c is not None]
        now = max(latest, default=pendulum.datetime(2000, 1, 1))
    else:  # each township's next few: a handful of records, however many are planned
        day = now.in_timezone(county.timezone).date().isoformat()
        events = [
            event
            for t in county.townships
            for event in store.events(
                Query(
                    township=t.code, status=Status.PLANNED, first_day=day, limit=feedpage.UPCOMING
                )
            )
        ]
    return feedpage.page(county, listings, events, base_url, now)


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
    """Write every feed and index.html into ``outdir``; returns each feed and whether it changed
    (nothing at all when neither the records nor the settings changed since the last publish).

    Only events whose ``(id, revision)`` is not in the cache of the same settings generation are
    serialised (:mod:`pufa.feedcache`); the output is the same bytes as a full rebuild. New
    settings start a generation at ``now`` (default: the clock). ``now`` is also the publishing time
    index.html shows, and its day starts the page's coming activities: a publish on a new day
    rebuilds the page (not the events). ``warn`` is told of each record left out (a row pufa cannot
    read, a date out of range)."""
    settings = f"{alarm_days}|{base_url}|{store.store_id()}|{county!r}|{_VERSION}"
    day = now.in_timezone(county.timezone).date().isoformat() if now else ""
    fingerprint = f"{store.fingerprint()}|{day}"
    before = feedcache.read_manifest(outdir)
    names = [
        "index.html",
        feedcache.CACHE,
        f"{county.slug}.ics",
        *(f"{t.code}-{t.slug}.ics" for t in county.townships),
    ]
    if (
        before is not None
        and (before.store, before.settings) == (fingerprint, settings)
        and all((outdir / n).is_file() for n in names)
    ):
        return []  # nothing changed since the last publish: not even the feeds are rebuilt
    started = (now or pendulum.now("UTC")).in_timezone("UTC").isoformat()
    manifest = feedcache.following(before, fingerprint, settings, started)
    cache = feedcache.read_cache(outdir, manifest.key())
    ordered = _serialised(county, store, cache, manifest, alarm_days, warn)
    published = _feeds(county, ordered)
    results = [(feed, write_if_changed(outdir / feed.filename, feed.data)) for feed in published]
    write_if_changed(outdir / "index.html", _page(county, store, published, base_url, now))
    feedcache.write_cache(outdir, manifest.key(), ordered)
    feedcache.write_manifest(outdir, manifest)
    return results


def _serialised(
    county: County,
    store: Store,
    cache: dict[tuple[int, int], Cached],
    manifest: feedcache.Manifest,
    alarm_days: int | None,
    warn: Callable[[str], None] | None,
) -> list[Cached]:
    """Every publishable record's VEVENT in feed order: from ``cache`` when its ``(id, revision)``
    is there, else read and serialised now (records left out are told to ``warn``)."""
    kept, missing = [], []
    for rows in store.rows("events", 10_000, ("id", "revision")):  # no record is parsed
        for row in rows:
            hit = cache.get((int(row["id"]), int(row["revision"])))
            if hit is None:
                missing.append(int(row["id"]))
            else:
                kept.append(hit)
    events, left_out = _read(store, missing)
    events, out_of_range = publishable(events)
    for warning in (*left_out, *out_of_range):
        if warn is not None:
            warn(warning)
    since = pendulum.instance(dt.datetime.fromisoformat(manifest.since)) if manifest.since else None
    store_id = store.store_id()
    kept += [_cached(county, e, store_id, alarm_days, manifest.generation, since) for e in events]
    return sorted(kept, key=lambda c: (c.day, c.id))


def _read(store: Store, ids: Sequence[int]) -> tuple[list[Event], list[str]]:
    """The records ``ids`` and a warning for each pufa cannot read: one by one when they are a
    few (a re-publish after some edits), else in one query."""
    if len(ids) > _FEW:
        wanted = set(ids)
        events = [e for e in store.events(Query(include_voided=True)) if e.id in wanted]
        return events, [str(skipped) for skipped in store.skipped]
    read, left_out = [], []
    for ident in ids:
        try:
            read.append(store.get(ident))
        except Unreadable as exc:
            left_out.append(str(exc))
    return read, left_out
