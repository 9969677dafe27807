"""pufa.intake: raw text → validated events, every problem at once."""

from __future__ import annotations

import pendulum
import pytest

from pufa.dates import parse_span, parse_when
from pufa.errors import InvalidInput
from pufa.intake import Entry, build, notices, parse_count, revise
from pufa.model import County, Kind, Measure, Mode, Status

TZ = "Asia/Shanghai"


@pytest.mark.parametrize("text", ["2024-03-05", "2024/3/5", "2024.3.5", "2024年3月5日"])
def test_date_forms(text: str) -> None:
    """The date forms offices write all give the same all-day date."""
    assert parse_when(text, TZ) == pendulum.Date(2024, 3, 5)


def test_date_with_time_is_in_the_county_zone() -> None:
    """A time is local time in Asia/Shanghai."""
    value = parse_when("2024-03-05 09:30", TZ)
    assert isinstance(value, pendulum.DateTime)
    assert value.isoformat() == "2024-03-05T09:30:00+08:00"


def test_impossible_date_says_how_many_days_the_month_has() -> None:
    """2024-02-30 does not exist: the message says February 2024 has 29 days."""
    with pytest.raises(InvalidInput) as caught:
        parse_when("2024-02-30", TZ)
    assert str(caught.value) == "日期 (--date) = “2024-02-30”: 不是存在的日期:2024年2月只有 29 天"


def test_unreadable_date_lists_the_forms() -> None:
    """Text that is not a date says which forms are accepted."""
    with pytest.raises(InvalidInput) as caught:
        parse_when("下周二", TZ)
    assert str(caught.value) == (
        "日期 (--date) = “下周二”: 应为日期 YYYY-MM-DD(也可 2024/3/5、2024年3月5日),可带时间 HH:MM"
    )


def test_end_as_time_of_day_and_as_date() -> None:
    """--end 11:30 ends a timed event the same day; --end DATE makes a multi-day one."""
    timed = parse_span("2024-03-05 09:30", "11:30", TZ)
    assert timed.end.isoformat() == "2024-03-05T11:30:00+08:00"
    days = parse_span("2024-12-01", "2024-12-07", TZ)
    assert days.all_day
    assert days.end == pendulum.Date(2024, 12, 7)


def test_end_before_start_is_rejected() -> None:
    """An end before the start names both."""
    with pytest.raises(InvalidInput) as caught:
        parse_span("2024-03-05 10:00", "09:00", TZ)
    assert str(caught.value) == ("结束 (--end) = “2024-03-05 09:00”: 不能早于开始 2024-03-05 10:00")


def test_build_an_event_of_every_kind(county: County) -> None:
    """One raw entry per kind becomes a typed event."""
    entries = [
        Entry("seven-into", {"title": "t", "date": "2024-03-05", "township": "禾丰乡", "venue": "学校"}),
        Entry("constitution", {"title": "t", "date": "2024-12-04", "township": "硒城", "venue": "军营", "occasion": "国家宪法日"}),
        Entry("campaign", {"title": "t", "date": "2024-04-15", "dept": "县司法局", "occasion": "4·15"}),
        Entry("school-lecture", {"title": "t", "date": "2024-09-01", "township": "紫兴", "school": "开阳一中"}),
        Entry("literate-training", {"title": "t", "date": "2024-06-01", "township": "毛云", "mode": "线上", "trainees": "40", "certified": "38"}),
        Entry("cadre-exam", {"title": "t", "date": "2024-06-01", "dept": "县司法局", "participants": "7764", "passed": "7764"}),
        Entry("cadre-training", {"title": "t", "date": "2024-03-28", "dept": "县委依法治县办", "participants": "64"}),
        Entry("lecture", {"title": "t", "date": "2024-05-10", "township": "南江", "audience": "村民"}),
        Entry("media-release", {"title": "t", "date": "2024-12-01", "dept": "县司法局", "channel": "法治开阳", "items": "45"}),
    ]  # fmt: skip
    events = [build(county, e) for e in entries]
    assert [e.kind for e in events] == list(Kind)
    assert events[1].details.venue == "barracks"  # type: ignore[union-attr]
    assert events[4].details.mode is Mode.ONLINE  # type: ignore[union-attr]
    assert all(e.status is Status.HELD for e in events)


def test_every_problem_of_an_entry_is_reported(county: County) -> None:
    """Bad date, township, venue and counts are reported together, not one at a time."""
    entry = Entry(
        "seven-into",
        {"title": "", "date": "2024-02-30", "township": "禾风乡", "venue": "军营", "participants": "abc", "materials": "-5"},
    )  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        build(county, entry)
    assert [p.field for p in caught.value.problems] == [
        "title",
        "township",
        "date",
        "venue",
        "participants",
        "materials",
    ]
    assert (
        str(caught.value.problems[4])
        == "参与人次 (--participants) = “abc”: 应为不小于 0 的整数(人次),如 120"
    )


def test_field_the_kind_does_not_take(county: County) -> None:
    """--school on a 法律七进 record is refused, naming the fields the kind does take."""
    entry = Entry(
        "seven-into",
        {"title": "t", "date": "2024-03-05", "township": "禾丰", "venue": "学校", "school": "一中"},
    )
    with pytest.raises(InvalidInput) as caught:
        build(county, entry)
    assert (
        str(caught.value)
        == "学校 (--school) = “一中”: 法律七进集中宣传没有此项;它的专有字段为 --venue"
    )


def test_required_field_missing(county: County) -> None:
    """A 法律七进 record needs its venue."""
    with pytest.raises(InvalidInput) as caught:
        build(county, Entry("seven-into", {"title": "t", "date": "2024-03-05", "township": "禾丰"}))
    assert str(caught.value) == "进 (--venue) = (空): 必填(法律七进集中宣传)"


def test_township_and_dept_together_is_refused(county: County) -> None:
    """A record has one owner."""
    entry = Entry(
        "lecture", {"title": "t", "date": "2024-03-05", "township": "禾丰", "dept": "县司法局"}
    )
    with pytest.raises(InvalidInput, match="只能填其一"):
        build(county, entry)


def test_revise_changes_only_given_fields(county: County) -> None:
    """revise() keeps everything not given, resolves names, re-validates the whole."""
    event = build(
        county,
        Entry(
            "seven-into",
            {
                "title": "t",
                "date": "2024-03-05",
                "township": "禾丰",
                "venue": "学校",
                "participants": "100",
            },
        ),
    )
    changed = revise(county, event, {"participants": "120", "venue": "社区", "title": None})
    assert changed.measures.participants == 120
    assert changed.details.venue == "community"  # type: ignore[union-attr]
    assert changed.title == "t"
    moved = revise(county, event, {"dept": "县司法局"})
    assert (moved.township, moved.dept) == (None, "justice")


def test_revise_with_nothing_to_change(county: County) -> None:
    """An edit must change something."""
    event = build(
        county, Entry("lecture", {"title": "t", "date": "2024-03-05", "township": "禾丰"})
    )
    with pytest.raises(InvalidInput, match="至少要给出一个要修改的字段"):
        revise(county, event, {"title": None})


def test_held_is_final(county: County) -> None:
    """A held record cannot go back to planned: it is voided instead."""
    event = build(
        county, Entry("lecture", {"title": "t", "date": "2024-03-05", "township": "禾丰"})
    )
    with pytest.raises(InvalidInput) as caught:
        revise(county, event, {"status": "planned"})
    assert (
        str(caught.value)
        == "状态 (--status) = “planned”: “已开展”的记录不能再改状态;如有误请作废(pufa void)"
    )


def test_edit_only_the_end_of_a_timed_record(county: County) -> None:
    """--end 12:00 on a timed record keeps its start (the stored start is not re-parsed as input)."""
    event = build(
        county,
        Entry(
            "lecture",
            {"title": "t", "date": "2024-03-05 09:30", "end": "11:00", "township": "禾丰"},
        ),
    )
    changed = revise(county, event, {"end": "12:00"})
    assert changed.span.text() == "2024-03-05 09:30 ~ 12:00"


def test_moving_a_multi_day_record_keeps_its_length(county: County) -> None:
    """A new --date on a 7-day record moves the whole week; a timed record keeps its duration."""
    week = build(
        county,
        Entry(
            "media-release",
            {
                "title": "t",
                "date": "2024-12-01",
                "end": "2024-12-07",
                "dept": "县司法局",
                "channel": "法治开阳",
                "items": "1",
            },
        ),
    )
    assert revise(county, week, {"date": "2025-12-01"}).span.text() == "2025-12-01 ~ 2025-12-07"
    timed = build(
        county,
        Entry(
            "lecture",
            {"title": "t", "date": "2024-03-05 09:30", "end": "11:00", "township": "禾丰"},
        ),
    )
    assert (
        revise(county, timed, {"date": "2024-03-08 14:00"}).span.text()
        == "2024-03-08 14:00 ~ 15:30"
    )


def test_time_only_end_on_an_all_day_record(county: County) -> None:
    """An all-day record cannot end at a time of day: the message says why."""
    with pytest.raises(InvalidInput) as caught:
        parse_span("2024-03-05", "09:00", TZ)
    assert str(caught.value) == "结束 (--end) = “09:00”: 应为日期:开始是全天活动,结束不能只写时间"


def test_kind_field_and_measure_problems_come_together(county: County) -> None:
    """A wrong kind field no longer hides a measure problem behind it."""
    entry = Entry(
        "literate-training",
        {"title": "t", "date": "2024-06-01", "township": "毛云", "mode": "面授", "trainees": "40", "certified": "41"},
    )  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        build(county, entry)
    assert [p.field for p in caught.value.problems] == ["mode", "certified"]


@pytest.mark.parametrize("text", ["1949-01-01", "2100-12-31", "2100-12-31 23:59"])
def test_the_ends_of_the_date_range_are_accepted(text: str) -> None:
    """1949-01-01 and 2100-12-31 themselves are valid dates."""
    assert parse_when(text, TZ).year in (1949, 2100)


def test_year_zero_is_out_of_range_not_a_crash() -> None:
    """0000-01-01 (no such year for pendulum) is refused by the range check first."""
    with pytest.raises(InvalidInput) as caught:
        parse_when("0000-01-01", TZ)
    assert str(caught.value) == "日期 (--date) = “0000-01-01”: 应在 1949-01-01 至 2100-12-31 之间"


def test_a_count_is_bounded_without_building_a_huge_int() -> None:
    """A count over 10,000,000 is refused with the bound, however many digits it has."""
    with pytest.raises(InvalidInput) as caught:
        parse_count(Measure.MATERIALS, "1" + "0" * 30)
    assert str(caught.value) == (
        f"发放资料 (--materials) = “1{'0' * 30}”: 应为不超过 10,000,000 的整数"
    )


def test_leading_zeros_do_not_count_against_the_bound() -> None:
    """0000000000120 is 120."""
    assert parse_count(Measure.PARTICIPANTS, "0000000000120") == 120


def test_every_unsafe_field_is_reported_once(county: County) -> None:
    """ESC in the title and NUL in the township: one problem each, no “unknown township” too."""
    entry = Entry("lecture", {"title": "讲\x1b座", "date": "2024-03-05", "township": "南江\x00"})
    with pytest.raises(InvalidInput) as caught:
        build(county, entry)
    assert [(p.field, p.expected) for p in caught.value.problems] == [
        ("title", "不能含控制字符 \\x1b"),
        ("township", "不能含控制字符 \\x00"),
    ]


def test_personal_numbers_are_notices_not_errors(county: County) -> None:
    """A 身份证 number in a school name builds, with a notice showing it masked."""
    entry = Entry(
        "school-lecture",
        {
            "title": "讲座",
            "date": "2024-09-01",
            "township": "紫兴",
            "school": "学校520121199001011234",
        },
    )
    (notice,) = notices(build(county, entry))
    assert notice.startswith("学校“学校520121********1234”似含手机号或身份证号")
