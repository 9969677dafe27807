"""pufa.ical: feeds as RFC 5545 wants them and phone calendars need them (tests grouped by
requirement, like icalendar's own); serving them is tests/test_serve.py."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import attrs
import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from pufa import feedcache, ical, records
from pufa import workspace as ws
from pufa.event import Campaign, Event, Stamp, Voiding
from pufa.intake import Entry
from pufa.model import County, Department, Span, Status
from pufa.store import Query, create_store

from .conftest import DATA, STAMP, invoke

HEFENG = "520121206-hefeng.ics"


@pytest.fixture
def published(sqlite_workspace: ws.Workspace) -> ws.Workspace:
    """The 2024 plan applied, one timed lecture with a named lecturer, and the feeds published."""
    root = sqlite_workspace.root
    assert (
        invoke(root, "plan", "apply", str(root / "plan-2024.toml"), "--include-past").exit_code == 0
    )
    invoke(root, "log", "school-lecture", "-d", "2024-03-05 09:30", "--end", "11:00", "-t", "禾丰乡",
           "--title", "宪法进校园", "--school", "禾丰中学", "--lecturer", "张三丰", "--planned")  # fmt: skip
    assert (
        invoke(
            root, "feeds", "publish", "--base-url", "https://pufa.example.gov.cn/feeds"
        ).exit_code
        == 0
    )
    return sqlite_workspace


def feed(workspace: ws.Workspace, name: str = HEFENG) -> bytes:
    return (workspace.root / "feeds" / name).read_bytes()


def test_calendar_properties(published: ws.Workspace) -> None:
    """X-WR-CALNAME/NAME, X-WR-TIMEZONE, REFRESH-INTERVAL;VALUE=DURATION, X-PUBLISHED-TTL, a VTIMEZONE;
    no METHOD and no calendar-level UID."""
    cal = Calendar.from_ical(feed(published))
    text = feed(published).decode("utf-8")
    assert str(cal["X-WR-CALNAME"]) == "禾丰布依族苗族乡普法活动"
    assert str(cal["NAME"]) == "禾丰布依族苗族乡普法活动"
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H\r\n" in text
    assert "X-PUBLISHED-TTL:PT6H\r\n" in text
    assert "METHOD" not in cal
    assert "UID" not in cal
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]


def test_event_times(published: ws.Workspace) -> None:
    """All-day events are DATE values with an exclusive DTEND; timed ones carry TZID=Asia/Shanghai."""
    text = feed(published).decode("utf-8")
    assert "DTSTART;TZID=Asia/Shanghai:20240305T093000\r\n" in text
    assert "DTEND;TZID=Asia/Shanghai:20240305T110000\r\n" in text
    cal = Calendar.from_ical(feed(published, "kaiyang.ics"))
    week = next(e for e in cal.walk("VEVENT") if str(e["SUMMARY"]) == "12·4国家宪法日集中宣传")
    assert week["DTSTART"].to_ical() == b"20241204"
    assert week["DTEND"].to_ical() == b"20241205"


def test_uid_dtstamp_and_sequence(published: ws.Workspace) -> None:
    """UIDs come from the record's identity; DTSTAMP is the record's last change, not now."""
    cal = Calendar.from_ical(feed(published))
    first = cal.walk("VEVENT")[0]
    with published.open() as store:
        assert str(first["UID"]) == f"{first['X-PUFA-ID']}-{store.store_id()}@520121.pufa"
    assert first["DTSTAMP"].to_ical() == b"20240306T020000Z"  # PUFA_NOW of the tests
    assert int(first["SEQUENCE"]) == 0


def test_no_personal_data_in_any_feed(published: ws.Workspace) -> None:
    """The lecturer's name (a person) appears in no feed; the school and place do."""
    for path in (published.root / "feeds").glob("*.ics"):
        assert "张三丰" not in path.read_text(encoding="utf-8"), path.name
    assert "宪法进校园" in feed(published).decode("utf-8")


def test_lines_are_folded_at_75_octets(published: ws.Workspace) -> None:
    """Every line of every feed is at most 75 octets, and the files are valid UTF-8."""
    for path in (published.root / "feeds").glob("*.ics"):
        data = path.read_bytes()
        data.decode("utf-8")
        assert max(len(line) for line in data.split(b"\r\n")) <= 75, path.name


def test_unchanged_feeds_are_byte_identical_and_not_rewritten(published: ws.Workspace) -> None:
    """Publishing again changes nothing: same bytes, same mtime."""
    path = published.root / "feeds" / HEFENG
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    url = "https://pufa.example.gov.cn/feeds"
    result = invoke(published.root, "feeds", "publish", "--base-url", url)
    assert "的日历已是最新(上次发布后没有记录变化),未改动。" in result.output  # the fast path
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    (published.root / "feeds" / ".pufa-published").unlink()  # force a full rebuild: same bytes
    result = invoke(published.root, "feeds", "publish", "--base-url", url)
    assert "已发布 19 份日历" in result.output
    assert "有变化的 0 份" in result.output
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_change_raises_sequence_and_cancelled_events_stay(published: ws.Workspace) -> None:
    """Moving a record raises SEQUENCE and DTSTAMP; a cancelled one stays as STATUS:CANCELLED."""
    store = published.open()
    try:
        mine = [e for e in store.events(Query(township="520121206")) if e.status.slug == "planned"]
    finally:
        store.close()
    moved, dropped = mine[0], mine[1]
    with published.open() as store:
        store_id = store.store_id()
    invoke(published.root, "edit", str(moved.id), "--date", "2024-07-01", "--reason", "改期")
    invoke(published.root, "cancel", str(dropped.id), "--reason", "取消")
    invoke(published.root, "feeds", "publish")
    events = {str(e["UID"]): e for e in Calendar.from_ical(feed(published)).walk("VEVENT")}
    assert int(events[ical.uid(published.county(), moved, store_id)]["SEQUENCE"]) == 1
    assert events[ical.uid(published.county(), dropped, store_id)]["STATUS"] == "CANCELLED"
    assert int(events[ical.uid(published.county(), dropped, store_id)]["SEQUENCE"]) == 1


def test_index_lists_every_feed_with_subscribe_links(published: ws.Workspace) -> None:
    """index.html has a webcal:// and an https:// link for each of the 19 feeds."""
    page = (published.root / "feeds" / "index.html").read_text(encoding="utf-8")
    assert page.count("webcal://pufa.example.gov.cn/feeds/") == 19
    assert 'href="https://pufa.example.gov.cn/feeds/520121206-hefeng.ics"' in page


def _normalised(data: bytes) -> dict[str, dict[str, str]]:
    """UID → property → value, ignoring order (for golden comparisons)."""
    events = {}
    for event in Calendar.from_ical(data).walk("VEVENT"):
        events[str(event["UID"])] = {
            k: event[k].to_ical().decode() if hasattr(event[k], "to_ical") else str(event[k])
            for k in event
        }
    return events


def test_golden_feed(tmp_path: Path) -> None:
    """A fixed workspace's township feed equals the committed golden file, order-insensitively."""
    made = ws.init(tmp_path / "g")
    for args in (
        [
            "log",
            "seven-into",
            "-d",
            "2024-03-05",
            "-t",
            "禾丰乡",
            "--title",
            "法律进学校",
            "--venue",
            "学校",
            "--planned",
        ],
        [
            "log",
            "lecture",
            "-d",
            "2024-03-06 14:30",
            "--end",
            "16:00",
            "-t",
            "禾丰乡",
            "--title",
            "民法典讲座",
        ],
        [
            "log",
            "constitution",
            "-d",
            "2024-12-01",
            "--end",
            "2024-12-07",
            "-t",
            "禾丰乡",
            "--title",
            "宪法宣传周",
            "--planned",
        ],
    ):
        assert invoke(made.root, *args).exit_code == 0
    invoke(made.root, "cancel", "3", "--reason", "并入县里活动")
    invoke(made.root, "feeds", "publish")
    golden = DATA / "golden-hefeng.ics"
    with made.open() as store:  # each workspace has its own store id: the golden file says STORE
        store_id = store.store_id().encode()
    produced = (made.root / "feeds" / HEFENG).read_bytes().replace(store_id, b"STORE")
    if os.environ.get("PUFA_UPDATE_GOLDEN"):
        golden.write_bytes(produced)
    assert _normalised(produced) == _normalised(golden.read_bytes())


#: what feeds escape on purpose (bidi embeddings and isolates, line and paragraph separators:
#: text that could reorder or split what a subscriber reads), tested on its own below
ESCAPED = "".join(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]))
READABLE = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=ESCAPED)


@settings(max_examples=60, deadline=None)
@given(
    title=st.text(READABLE, min_size=1, max_size=120).filter(str.strip),
    occasion=st.text(READABLE, min_size=1, max_size=60).filter(str.strip),
)
def test_any_unicode_round_trips(county: Any, title: str, occasion: str) -> None:
    """Titles and occasions in any script (CJK, emoji …) survive the feed; lines stay ≤ 75 octets."""
    stamp = Stamp(pendulum.datetime(2024, 3, 6, 2, tz="UTC"), "t")
    event = Event(
        details=Campaign(occasion), title=title.strip(), span=Span(pendulum.Date(2024, 4, 15), pendulum.Date(2024, 4, 15)),
        township="520121206", id=7, revision=1, created=stamp, updated=stamp,
    )  # fmt: skip
    data = ical.feeds(county, [event], store_id="s")[0].data  # the county feed
    assert max(len(line) for line in data.split(b"\r\n")) <= 75
    parsed = Calendar.from_ical(data.decode("utf-8")).walk("VEVENT")[0]
    assert str(parsed["SUMMARY"]) == title.strip()
    assert occasion.strip() in str(parsed["DESCRIPTION"]) or occasion in str(parsed["DESCRIPTION"])


def test_bidi_controls_are_escaped_in_feeds() -> None:
    """A right-to-left override or isolate in a title is shown escaped, never applied."""
    assert ical.public("讲座\u2066x\u202e") == "讲座\\u2066x\\u202e"


def test_public_text_is_escaped_and_masked() -> None:
    """Feed text: control characters escaped, phone numbers and 身份证 numbers masked."""
    assert ical.public("讲座\x1b[31m 13812345678") == "讲座\\x1b[31m 138****5678"


def test_publish_needs_only_a_county_and_a_store(
    store_location: str | Path, county: County, tmp_path: Path
) -> None:
    """No workspace: one logged lecture is published into the county feed and its township's."""
    entry = Entry("lecture", {"title": "宪法讲座", "date": "2024-03-05", "township": "禾丰"})
    with create_store(store_location, "kaiyang", county.timezone) as store:
        records.log(store, county, entry, STAMP)
        results = ical.publish(county, store, tmp_path / "feeds")
    changed = {feed.filename for feed, did in results if did}
    assert {f"{county.slug}.ics", HEFENG} <= changed
    township = Calendar.from_ical((tmp_path / "feeds" / HEFENG).read_bytes())
    assert [str(e["SUMMARY"]) for e in township.walk("VEVENT")] == ["宪法讲座"]


def _event(county: County, **fields: Any) -> Event:
    """A record as the store would return it (id 903, one revision), changed by ``fields``."""
    stamp = Stamp(pendulum.datetime(2024, 3, 6, 2, tz="UTC"), "t")
    values: dict[str, Any] = {
        "details": Campaign("宪法宣传周"),
        "title": "宪法宣传",
        "span": Span(pendulum.Date(2024, 12, 4), pendulum.Date(2024, 12, 4)),
        "township": "520121206",
        "id": 903,
        "revision": 1,
        "created": stamp,
        "updated": stamp,
    }
    return Event(**{**values, **fields})


def _vevent(county: County, event: Any) -> Any:
    """The VEVENT of ``event`` as a reader parses it."""
    data = ical.vevent(county, event, store_id="s").to_ical()
    return Calendar.from_ical(data)


def test_the_time_zone_has_no_history_and_no_comment(county: County) -> None:
    """Asia/Shanghai is one STANDARD +08:00 from 2000: no DST RDATE lists, no COMMENT."""
    data = ical.assemble(county, "开阳县普法活动", [])
    zone = Calendar.from_ical(data).walk("VTIMEZONE")[0]
    assert b"RDATE" not in data
    assert b"COMMENT" not in data
    assert [(c.name, c["TZOFFSETTO"].to_ical()) for c in zone.subcomponents] == [
        ("STANDARD", "+0800")
    ]
    assert zone.subcomponents[0]["DTSTART"].to_ical() == b"20000101T000000"


def test_a_cancelled_event_says_so_in_its_title(county: County) -> None:
    """A cancelled record's title starts 【已取消】 and it keeps STATUS:CANCELLED."""
    item = _vevent(county, _event(county, status=Status.CANCELLED))
    assert str(item["SUMMARY"]) == "【已取消】宪法宣传"
    assert item["STATUS"] == "CANCELLED"
    assert "状态:已取消" in str(item["DESCRIPTION"])


def test_a_voided_event_says_voided_and_why(county: County) -> None:
    """A voided record's title starts 【已作废】; its DESCRIPTION says 已作废 and the reason."""
    item = _vevent(county, _event(county, status=Status.HELD, voided=Voiding("重复登记")))
    description = str(item["DESCRIPTION"])
    assert str(item["SUMMARY"]) == "【已作废】宪法宣传"
    assert item["STATUS"] == "CANCELLED"
    assert "状态:已作废" in description
    assert "作废原因:重复登记" in description
    assert "已开展" not in description
    assert "计划" not in description


def test_every_event_carries_its_record_number(county: County) -> None:
    """DESCRIPTION has a line 编号 #903 and the event an X-PUFA-ID:903."""
    item = _vevent(county, _event(county))
    assert str(item["DESCRIPTION"]).splitlines()[-1] == "编号 #903"
    assert str(item["X-PUFA-ID"]) == "903"


def test_twins_differing_only_in_id_have_different_content(county: County) -> None:
    """Two records alike but for their id give different VEVENTs once the UID is set aside."""

    def content(event: Any) -> bytes:
        item = ical.vevent(county, event, store_id="s")
        item.pop("UID")
        return bytes(item.to_ical())

    assert content(_event(county, id=903)) != content(_event(county, id=904))


def test_uids_differ_between_workspaces(tmp_path: Path) -> None:
    """The same record number in two new workspaces gets two different UIDs."""
    uids = []
    for name in ("a", "b"):
        made = ws.init(tmp_path / name)
        assert invoke(made.root, "log", "lecture", "-d", "2024-03-05", "-t", "禾丰乡",
                      "--title", "民法典讲座").exit_code == 0  # fmt: skip
        assert invoke(made.root, "feeds", "publish").exit_code == 0
        event = Calendar.from_ical(feed(made)).walk("VEVENT")[0]
        uids.append(str(event["UID"]))
    assert uids[0] != uids[1]
    assert all(u.startswith("1-") and u.endswith("@520121.pufa") for u in uids)


def test_uids_are_stable_across_republish(published: ws.Workspace) -> None:
    """A full rebuild after a change gives every event the UID it had."""

    def uids() -> list[str]:
        return sorted(str(e["UID"]) for e in Calendar.from_ical(feed(published)).walk("VEVENT"))

    before = uids()
    (published.root / "feeds" / ".pufa-published").unlink()
    invoke(published.root, "edit", "1", "--title", "新标题", "--reason", "改名")
    assert invoke(published.root, "feeds", "publish").exit_code == 0
    assert uids() == before


@pytest.mark.parametrize(
    ("dept", "where"),
    [
        ("justice", "开阳县司法局"),  # 县司法局: the 县 not doubled
        ("yfzx", "开阳县委依法治县办"),  # 县委依法治县办
        ("court", "开阳县人民法院"),
    ],
)
def test_department_locations_do_not_double_the_county(
    county: County, dept: str, where: str
) -> None:
    """A department named 县… reads 开阳县… in LOCATION, never 开阳县县…."""
    item = _vevent(county, _event(county, township=None, dept=dept))
    assert str(item["LOCATION"]) == where


def test_a_department_named_with_the_county_is_not_prefixed(county: County) -> None:
    """A department whose name already starts with the county's short name is left as it is."""
    named = Department(slug="paper", name="开阳融媒", aliases=(), kind="事业单位")
    profile = attrs.evolve(county, departments=(*county.departments, named))
    assert ical.location(profile, _event(profile, township=None, dept="paper")) == "开阳融媒"


# -- a change costs what it changes; feed-wide changes advance every event (issue 15) -----------


def _events(workspace: ws.Workspace, name: str = "kaiyang.ics") -> dict[str, Any]:
    """UID → VEVENT of one published feed."""
    return {str(e["UID"]): e for e in Calendar.from_ical(feed(workspace, name)).walk("VEVENT")}


def _all_feeds(workspace: ws.Workspace) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((workspace.root / "feeds").glob("*.ics"))}


def test_alarm_days_change_advances_every_sequence_and_dtstamp(
    published: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Republishing with --alarm-days 3 raises every event's SEQUENCE, DTSTAMP and LAST-MODIFIED."""
    before = _events(published)
    monkeypatch.setenv("PUFA_NOW", "2024-03-07T02:00:00+00:00")
    assert invoke(published.root, "feeds", "publish", "--alarm-days", "3").exit_code == 0
    after = _events(published)
    assert after.keys() == before.keys()
    for key, event in after.items():
        assert int(event["SEQUENCE"]) == int(before[key]["SEQUENCE"]) + 1, key
        assert event["DTSTAMP"].to_ical() == b"20240307T020000Z", key
        assert event["LAST-MODIFIED"].to_ical() == b"20240307T020000Z", key


def test_republish_with_the_same_settings_is_byte_identical(
    published: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a settings change, publishing again with the same settings changes no byte."""
    monkeypatch.setenv("PUFA_NOW", "2024-03-07T02:00:00+00:00")
    invoke(published.root, "feeds", "publish", "--alarm-days", "3")
    first = _all_feeds(published)
    monkeypatch.setenv("PUFA_NOW", "2024-03-08T02:00:00+00:00")
    (published.root / "feeds" / ".pufa-events").unlink()  # not even the fast path: a rebuild
    assert invoke(published.root, "feeds", "publish", "--alarm-days", "3").exit_code == 0
    assert _all_feeds(published) == first


def test_a_one_record_republish_equals_a_full_rebuild(published: ws.Workspace) -> None:
    """After one edit the incremental publish rewrites two files, with a full rebuild's bytes."""
    mine = [e for e in _events(published, HEFENG).values() if e["STATUS"] == "TENTATIVE"]
    record = str(mine[0]["X-PUFA-ID"])
    invoke(published.root, "edit", record, "--date", "2024-07-01", "--reason", "改期")
    result = invoke(published.root, "feeds", "publish")
    assert "有变化的 2 份" in result.output  # the county feed and 禾丰's
    incremental = _all_feeds(published)
    (published.root / "feeds" / ".pufa-events").unlink()
    invoke(published.root, "feeds", "publish")
    assert _all_feeds(published) == incremental


def test_a_republish_serialises_only_the_changed_record(published: ws.Workspace) -> None:
    """Unchanged records come from the event cache: a marked cached entry is published as is."""
    folder = published.root / "feeds"
    manifest = feedcache.read_manifest(folder)
    assert manifest is not None
    cache = feedcache.read_cache(folder, manifest.key())
    kept, edited = sorted(cache)[0], sorted(cache)[1]
    entry = cache[kept]
    marked = entry.data.replace(b"SUMMARY:", b"SUMMARY:MARK", 1)
    cache[kept] = feedcache.Cached(entry.id, entry.revision, entry.day, entry.township, marked)
    feedcache.write_cache(folder, manifest.key(), cache.values())
    invoke(published.root, "edit", str(edited[0]), "--title", "改过的标题", "--reason", "改名")
    assert invoke(published.root, "feeds", "publish").exit_code == 0
    county = feed(published, "kaiyang.ics")
    assert county.count(b"SUMMARY:MARK") == 1
    assert "SUMMARY:改过的标题" in county.decode("utf-8")


def test_an_older_plain_text_manifest_starts_a_new_generation(published: ws.Workspace) -> None:
    """A manifest an older pufa wrote (plain text) is read as unknown settings: SEQUENCE rises."""
    before = _events(published)
    (published.root / "feeds" / ".pufa-published").write_text("1:1:x|1|None", encoding="utf-8")
    assert invoke(published.root, "feeds", "publish").exit_code == 0
    after = _events(published)
    assert all(int(e["SEQUENCE"]) == int(before[k]["SEQUENCE"]) + 1 for k, e in after.items())


def test_a_damaged_event_cache_is_ignored(tmp_path: Path) -> None:
    """A cache file cut short or of another generation reads as empty, never as wrong bytes."""
    entry = feedcache.Cached(1, 1, "2024-03-05", "520121206", b"BEGIN:VEVENT\r\nEND:VEVENT\r\n")
    feedcache.write_cache(tmp_path, b"0 abc", [entry])
    assert feedcache.read_cache(tmp_path, b"0 abc") == {(1, 1): entry}
    assert feedcache.read_cache(tmp_path, b"1 abc") == {}
    whole = (tmp_path / ".pufa-events").read_bytes()
    (tmp_path / ".pufa-events").write_bytes(whole[:-5])
    assert feedcache.read_cache(tmp_path, b"0 abc") == {}
    (tmp_path / ".pufa-events").write_bytes(whole[:-30] + b"x\n")
    assert feedcache.read_cache(tmp_path, b"0 abc") == {}
