"""pufa.tally: values of every indicator type, pace by profile, and the breakdowns."""

from __future__ import annotations

from typing import Any

import pendulum
import pytest

from pufa import records, tally, yearly
from pufa import workspace as ws
from pufa.intake import Entry
from pufa.model import County, Kind, Measure
from pufa.targets import EVEN, Comparator, Count, Figure, Indicator, Profile, Target

from .conftest import STAMP, year_of

JUNE_30 = pendulum.Date(2024, 6, 30)


def cell(
    kind: str,
    township: str | None = "520121206",
    status: str = "held",
    due: int = 1,
    month: str = "03",
    **sums: int,
) -> dict[str, Any]:
    row: dict[str, Any] = {"kind": kind, "township": township, "dept": None, "venue": sums.pop("venue", None),
                           "occasion": None, "mode": sums.pop("mode", None), "status": status, "month": month,
                           "due": due, "records": 1}  # fmt: skip
    row.update({m.value: sums.get(m.value) for m in Measure})
    return row


def indicator(count: Count, **kw: Any) -> Indicator:
    return Indicator(key="k", name="名", count=count, unit="个", **kw)


def target(figure: str) -> Target:
    return Target("k", Figure.parse(figure), Comparator.AT_LEAST, "场次", "q", "{}")


def test_sum_counts_held_and_due_records_only(county: County) -> None:
    """Held records dated by the as-of date count; planned ones are counted apart; kinds filter."""
    cells = [
        cell("seven-into", sessions=2),
        cell("seven-into", sessions=1, due=0),  # held but dated after the as-of date
        cell("seven-into", status="planned", sessions=5),
        cell("lecture", sessions=7),
    ]
    sessions = indicator(Count.SUM, measure=Measure.SESSIONS, kinds=(Kind.SEVEN_INTO,))
    assert tally.value(sessions, cells, county) == 2
    assert tally.value(sessions, cells, county, held=False) == 5


def test_match_filters_on_kind_specific_fields(county: County) -> None:
    """match = { mode = ["offline"] } counts only offline trainings."""
    cells = [
        cell("literate-training", mode="offline", trainees=40),
        cell("literate-training", mode="online", trainees=60),
    ]
    offline = indicator(Count.SUM, measure=Measure.TRAINEES, match={"mode": ("offline",)})
    assert tally.value(offline, cells, county) == 40


def test_rate_per_village_townships_and_distinct(county: County) -> None:
    """Rates in %, per-village averages over 136 村(居), township coverage, distinct people."""
    exam = [
        cell("cadre-exam", participants=200, passed=190),
        cell("cadre-exam", participants=300, passed=300),
    ]
    assert (
        tally.value(
            indicator(Count.RATE, numerator=Measure.PASSED, denominator=Measure.PARTICIPANTS),
            exam,
            county,
        )
        == 98
    )
    trained = [cell("literate-training", certified=680)]
    assert (
        tally.value(indicator(Count.PER_VILLAGE, measure=Measure.CERTIFIED), trained, county) == 5
    )
    spread = [
        cell("literate-training", township="520121206", sessions=1),
        cell("literate-training", township="520121207", sessions=2),
        cell("literate-training", township=None, sessions=3),
    ]
    assert (
        tally.value(
            indicator(Count.TOWNSHIPS, measure=Measure.SESSIONS, at_least=2), spread, county
        )
        == 1
    )
    people = [{**cell("school-lecture"), "value": name} for name in ("甲", "乙", "甲")]
    assert tally.value(indicator(Count.DISTINCT, field="lecturer"), people, county) == 2


@pytest.mark.parametrize(
    ("held", "pace", "projection"),
    [(113, tally.Pace.MET, 226), (60, tally.Pace.ON_TRACK, 120), (50, tally.Pace.BEHIND, 100)],
)
def test_pace_on_an_even_profile(held: float, pace: tally.Pace, projection: float) -> None:
    """By 30 June half of an even year's 113 is expected (56.5): above is 正常, below 滞后."""
    row = tally.standing(
        target("113"), indicator(Count.SUM, measure=Measure.SESSIONS), EVEN, held, 0, 2024, JUNE_30
    )
    assert row.expected == pytest.approx(56.5)
    assert row.pace is pace
    assert row.projection == pytest.approx(projection)
    assert row.pace.label == {"met": "达标", "on-track": "正常", "behind": "滞后"}[pace.value]


def test_a_seasonal_profile_expects_little_before_december() -> None:
    """宪法 work peaks in December: 10 of 57 by 30 June is on track there (17% expected: 9.7),
    behind on an even profile (28.5 expected)."""
    constitution = Profile("constitution", (2, 2, 3, 4, 3, 3, 2, 2, 3, 4, 6, 66))
    paced = indicator(Count.SUM, measure=Measure.SESSIONS, profile="constitution")
    assert (
        tally.standing(target("57"), paced, constitution, 10, 0, 2024, JUNE_30).pace
        is tally.Pace.ON_TRACK
    )
    assert tally.standing(target("57"), paced, EVEN, 10, 0, 2024, JUNE_30).pace is tally.Pace.BEHIND


def test_a_rate_is_not_paced() -> None:
    """A pass rate is judged on its value at any date: 98% under 100% is behind, even in March."""
    rate = indicator(Count.RATE, numerator=Measure.PASSED, denominator=Measure.PARTICIPANTS)
    row = tally.standing(target("100%"), rate, EVEN, 98, 0, 2024, pendulum.Date(2024, 3, 1))
    assert (row.expected, row.pace, row.projection) == (100, tally.Pace.BEHIND, 98)


def test_voided_and_cancelled_never_count(workspace: ws.Workspace, county: County) -> None:
    """In the store (either engine): held counts, planned apart, voided and cancelled never."""
    store = workspace.open()
    base = {
        "title": "t",
        "township": "禾丰乡",
        "venue": "学校",
        "date": "2024-03-05",
        "participants": "10",
    }
    try:
        for status in ("held", "held", "planned", "planned"):
            records.log(store, county, Entry("seven-into", {**base, "status": status}), STAMP)
        records.void(store, 2, "重复", STAMP)
        records.edit(store, county, 4, {"status": "cancelled"}, "取消", STAMP)
    finally:
        store.close()
    row = next(
        r
        for r in year_of(workspace, 2024, JUNE_30).summary.rows
        if r.indicator.key == "seven-into-sessions"
    )
    assert (row.held, row.planned) == (1, 1)


@pytest.fixture
def three_sessions(workspace: ws.Workspace, county: County) -> yearly.Year:
    """2024 as of 30 June with three 法律七进 sessions: two at schools in 禾丰乡, one in a community
    in 南江, 100 materials each — on either engine."""
    store = workspace.open()
    try:
        for venue, township in (("学校", "禾丰乡"), ("学校", "禾丰乡"), ("社区", "南江")):
            entry = Entry(
                "seven-into",
                {
                    "title": "t",
                    "township": township,
                    "venue": venue,
                    "date": "2024-03-05",
                    "materials": "100",
                },
            )
            records.log(store, county, entry, STAMP)
    finally:
        store.close()
    return year_of(workspace, 2024, JUNE_30)


def test_the_venue_matrix_is_headed_by_the_venues(
    three_sessions: yearly.Year, county: County
) -> None:
    """The venue matrix: 乡镇, then the seven venues of 法律七进."""
    venues = tally.by_venue(list(three_sessions.cells), county)
    assert venues.headers == ("乡镇", "机关", "乡村", "社区", "学校", "企业", "单位", "网络")


def test_the_venue_matrix_counts_each_townships_sessions_per_venue(
    three_sessions: yearly.Year, county: County
) -> None:
    """Each township's 七进 sessions are counted under their venue."""
    rows = dict(tally.by_venue(list(three_sessions.cells), county).rows)
    assert rows["禾丰布依族苗族乡"] == (0, 0, 0, 2, 0, 0, 0)
    assert rows["南江布依族苗族乡"] == (0, 0, 1, 0, 0, 0, 0)


def test_the_venue_matrix_shows_a_gap_as_zero(three_sessions: yearly.Year, county: County) -> None:
    """A township with no sessions has a row of zeros (the gap shows), not no row."""
    rows = dict(tally.by_venue(list(three_sessions.cells), county).rows)
    assert rows["硒城街道"] == (0,) * 7


def test_the_township_breakdown_counts_each_townships_sessions(
    three_sessions: yearly.Year, county: County
) -> None:
    """By township: 禾丰乡's column for the sessions indicator holds its 2 sessions."""
    year = three_sessions
    by_township = tally.by_township(
        year.targets, year.indicators, list(year.cells), year.distinct, county
    )
    keys = [t.indicator for t in year.targets.targets]
    assert dict(by_township.rows)["禾丰布依族苗族乡"][keys.index("seven-into-sessions")] == 2


def test_the_kind_breakdown_names_each_kind(three_sessions: yearly.Year) -> None:
    """By kind: one row per kind logged, by its label."""
    (kind,) = tally.by_kind(list(three_sessions.cells)).rows
    assert kind[0] == "法律七进集中宣传"


def test_the_kind_breakdown_sums_records_sessions_and_measures(
    three_sessions: yearly.Year,
) -> None:
    """By kind: the kind's records, sessions and materials summed."""
    (kind,) = tally.by_kind(list(three_sessions.cells)).rows
    assert (kind[1][0], kind[1][1], kind[1][3]) == (3, 3, 300)  # records, sessions, materials


def test_a_breakdown_by_township_or_month_is_headed_by_the_targets(
    workspace: ws.Workspace, county: County
) -> None:
    """Township and month tables: the group's heading, then each target's indicator name, one
    row per township (every township, in the county's order) or per month."""
    year = year_of(workspace, 2024, JUNE_30)
    args = (year.targets, year.indicators, list(year.cells), year.distinct, county)
    names = tuple(year.indicators.indicators[t.indicator].name for t in year.targets.targets)
    by_township, by_month = tally.by_township(*args), tally.by_month(*args)
    assert (by_township.dimension, by_township.headers) == ("township", ("乡镇", *names))
    assert [label for label, _ in by_township.rows] == [t.name for t in county.townships]
    assert (by_month.dimension, by_month.headers) == ("month", ("月份", *names))
    assert [label for label, _ in by_month.rows] == [f"{m}月" for m in range(1, 13)]


def test_the_venue_table_marks_zeros_as_gaps(county: County) -> None:
    """Only the 七进 venue table reads a 0 as a gap (a township yet to hold that 进)."""
    cells = [cell("seven-into", venue="school", sessions=2)]
    assert tally.by_venue(cells, county).gaps
    assert not tally.by_kind(cells).gaps


def test_a_venue_counts_held_and_due_seven_into_sessions_only(county: County) -> None:
    """Planned, not yet due and other kinds' sessions leave the venue table at 0."""
    school = county.venues_for(Kind.SEVEN_INTO)[3].slug
    cells = [
        cell("seven-into", venue=school, sessions=2),
        cell("seven-into", venue=school, status="planned", sessions=5),
        cell("seven-into", venue=school, due=0, sessions=7),
        cell("lecture", venue=school, sessions=11),
    ]
    rows = dict(tally.by_venue(cells, county).rows)
    assert rows[county.township("520121206").name][3] == 2


def test_the_kind_table_sums_every_measure_of_held_records(county: County) -> None:
    """By kind: records first, then every measure in Measure's order; planned work not counted;
    kinds without held records left out."""
    cells = [
        cell("lecture", sessions=1, participants=80),
        cell("lecture", sessions=2, participants=40, materials=10),
        cell("cadre-exam", status="planned", participants=500),
    ]
    table = tally.by_kind(cells)
    assert table.headers == ("类型", "记录", *(m.label for m in Measure))
    ((label, values),) = table.rows
    assert label == Kind.LECTURE.label
    assert values[:4] == (2, 3, 120, 10)


def test_kind_totals_follow_the_kinds_order_not_the_totals(county: County) -> None:
    """The ledger export's per-kind 汇总 lists kinds in Kind's order, whatever order it summed them in."""
    width = len(Measure) + 1
    table = tally.kind_totals({Kind.LECTURE: [1] * width, Kind.SEVEN_INTO: [2] * width})
    assert [label for label, _ in table.rows] == [Kind.SEVEN_INTO.label, Kind.LECTURE.label]
    assert table.rows[0][1] == (2,) * width
