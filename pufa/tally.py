"""The year against its targets: pure functions from store aggregates to result rows.

The store sums the records (:meth:`pufa.store.Store.cube`); this module turns those few hundred
groups into indicator values, pace and status, and breakdowns by township, month, venue and kind.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pendulum

from pufa import vocab
from pufa.model import County, Kind, Labelled, Measure
from pufa.targets import Count, Indicator, Indicators, Profile, Target, TargetSet, Untracked
from pufa.value import valueclass

Cell = Mapping[str, Any]  # one row of Store.cube / Store.distinct


class Pace(Labelled):
    """Where an indicator stands on the as-of date."""

    MET = "met"
    ON_TRACK = "on-track"
    BEHIND = "behind"
    NO_DATA = "no-data"
    NO_TARGET = "no-target"


@valueclass
class Row:
    """One target's standing: what was done, what is planned, what was expected by now."""

    target: Target | None  #: None: the year has no targets file yet (目标 "—")
    indicator: Indicator
    profile: Profile
    held: float
    planned: float
    share: float  #: fraction of the year's work the profile expects done by the as-of date
    expected: float
    projection: float | None
    pace: Pace

    @property
    def threshold(self) -> float:
        """The target's figure (NaN without a target)."""
        return math.nan if self.target is None else self.target.figure.threshold

    @property
    def unit(self) -> str:
        return self.indicator.unit if self.target is None else self.target.unit

    @property
    def percent(self) -> float:
        """Share of the target done, in % (NaN for a rate without records or without a target)."""
        if self.target is None:
            return math.nan
        return 100.0 * self.held / self.threshold if self.threshold else 100.0

    @property
    def remaining(self) -> float:
        """What is still to do (NaN for a rate without records)."""
        if math.isnan(self.held) or self.target is None:
            return math.nan
        return max(0.0, self.threshold - self.held)


@valueclass
class Summary:
    """A year's tally as of a date: one row per target, plus the figures the log cannot count."""

    year: int
    as_of: pendulum.Date
    township: str | None
    rows: tuple[Row, ...]
    untracked: tuple[Untracked, ...]
    targets_path: str
    #: how to start the year, when it has no targets file (one line; empty otherwise)
    hint: str = ""

    @property
    def behind(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.pace is Pace.BEHIND)


def _number(cell: Cell, measure: Measure) -> int:
    value = cell.get(measure.value)
    return int(value) if value is not None else 0


def _fields(cell: Cell) -> dict[str, Any]:
    return {
        k: cell.get(k)
        for k in ("venue", "occasion", "mode", "school", "lecturer", "audience", "channel")
    }


def _counted(cells: Iterable[Cell], indicator: Indicator, *, held: bool) -> list[Cell]:
    """The cells an indicator counts: held and due (done by the as-of date), or planned."""
    return [
        c
        for c in cells
        if indicator.takes(str(c["kind"]), _fields(c))
        and (c["status"] == "held" and int(c["due"]) == 1 if held else c["status"] == "planned")
    ]


def value(
    indicator: Indicator, cells: Sequence[Cell], county: County, *, held: bool = True
) -> float:
    """An indicator's value over cube cells (and, for distinct counts, Store.distinct rows)."""
    chosen = _counted(cells, indicator, held=held)
    if indicator.count is Count.SUM:
        assert indicator.measure is not None
        return float(sum(_number(c, indicator.measure) for c in chosen))
    if indicator.count is Count.PER_VILLAGE:
        assert indicator.measure is not None
        return sum(_number(c, indicator.measure) for c in chosen) / county.villages
    if indicator.count is Count.RATE:
        assert indicator.numerator is not None
        assert indicator.denominator is not None
        top = sum(_number(c, indicator.numerator) for c in chosen)
        bottom = sum(_number(c, indicator.denominator) for c in chosen)
        return 100.0 * top / bottom if bottom else math.nan  # no records yet: no rate
    if indicator.count is Count.TOWNSHIPS:
        assert indicator.measure is not None
        per: dict[str, int] = defaultdict(int)
        for c in chosen:
            if c["township"] is not None:
                per[str(c["township"])] += _number(c, indicator.measure)
        return float(sum(1 for total in per.values() if total >= indicator.at_least))
    # distinct: the cells are Store.distinct rows carrying a `value`
    return float(len({c["value"] for c in chosen}))


def standing(
    target: Target,
    indicator: Indicator,
    profile: Profile,
    held: float,
    planned: float,
    year: int,
    as_of: pendulum.Date,
) -> Row:
    """Pace of one target: expected by ``as_of`` per its profile, status and year-end projection."""
    paced = indicator.count.paced
    share = profile.share(year, as_of) if paced else 1.0
    expected = target.figure.threshold * share
    if math.isnan(held):  # a rate with nothing to divide by yet
        return Row(target, indicator, profile, held, planned, share, expected, None, Pace.NO_DATA)
    if target.met(held):
        pace = Pace.MET
    elif held >= expected - 1e-9 and share < 1.0:
        pace = Pace.ON_TRACK
    else:
        pace = Pace.BEHIND
    if not paced or share >= 1.0:
        projection: float | None = held
    elif share > 0 and indicator.count in (Count.SUM, Count.PER_VILLAGE):
        projection = held / share
    else:  # people and townships do not add up linearly over the year: no extrapolation
        projection = None
    return Row(target, indicator, profile, held, planned, share, expected, projection, pace)


def summarise(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
    as_of: pendulum.Date,
    township: str | None = None,
) -> Summary:
    """Every target of the year against the log. ``distinct`` holds Store.distinct rows by field."""
    rows = []
    pairs: list[tuple[Target | None, Indicator]] = [
        (t, indicators.indicators[t.indicator]) for t in targets.targets
    ]
    if targets.hint:  # no targets file: every indicator, done and planned, without a target
        pairs = [(None, i) for i in indicators.indicators.values()]
    for target, indicator in pairs:
        source = (
            distinct.get(indicator.field or "", ()) if indicator.count is Count.DISTINCT else cells
        )
        done = value(indicator, source, county, held=True)
        planned = value(indicator, source, county, held=False)
        profile = indicators.profile(indicator)
        if target is None:
            rows.append(_untargeted(indicator, profile, done, planned, targets.year, as_of))
        else:
            rows.append(standing(target, indicator, profile, done, planned, targets.year, as_of))
    return Summary(
        targets.year,
        as_of,
        township,
        tuple(rows),
        targets.untracked,
        targets.path,
        targets.hint,
    )


def _untargeted(
    indicator: Indicator,
    profile: Profile,
    held: float,
    planned: float,
    year: int,
    as_of: pendulum.Date,
) -> Row:
    """An indicator's standing in a year without targets: what was done and planned, no pace."""
    share = profile.share(year, as_of) if indicator.count.paced else 1.0
    return Row(None, indicator, profile, held, planned, share, math.nan, None, Pace.NO_TARGET)


# -- breakdowns -------------------------------------------------------------------------------------


@valueclass
class Breakdown:
    """A ``--by`` table: what it breaks the year down by, its column headers (the row label's
    first), and one row per group: the label and a number per column after it."""

    dimension: str  #: ``township``, ``village``, ``dept``, ``month``, ``venue`` or ``kind``
    headers: tuple[str, ...]
    rows: tuple[tuple[str, tuple[float, ...]], ...]  #: counts stay ``int``; values may be NaN
    note: str = ""  #: a line under the table (``--by village``: the villages without records)

    @property
    def gaps(self) -> bool:
        """Whether a 0 is a gap worth showing (a township yet to hold one of the 七进)."""
        return self.dimension == "venue"


def by_township(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> Breakdown:
    """Township × target: each township's held value of every target."""
    groups = [(t.name, "township", t.code) for t in county.townships]
    rows = _grouped(groups, targets, indicators, cells, distinct, county)
    return Breakdown("township", _by_target(vocab.label("township"), targets, indicators), rows)


def by_village(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
    township: str | None = None,
) -> Breakdown:
    """村(居) × target, for the villages that have records (in profile order); the note says how
    many of the county's (or ``township``'s) villages have none. The first column counts held records."""
    scope = [t for t in county.townships if township in (None, t.code)]
    present = {c["village"] for c in cells if c["village"] is not None}
    groups = [
        (f"{t.short_name} {v.name}", "village", v.code)
        for t in scope
        for v in t.villages
        if v.code in present
    ]
    held = [c for c in cells if _held(c)]
    rows = tuple(
        (label, (sum(int(c["records"]) for c in held if c["village"] == code), *values))
        for (label, _, code), (_, values) in zip(
            groups, _grouped(groups, targets, indicators, cells, distinct, county), strict=True
        )
    )
    without = sum(len(t.villages) for t in scope) - len(groups)
    note = f"另有 {without} 个村(居)本年没有记录" if without else ""
    headers = _by_target(vocab.label("village"), targets, indicators)
    return Breakdown("village", (headers[0], "已开展记录", *headers[1:]), rows, note)


def by_dept(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> Breakdown:
    """Department × target: each department's held value of every target (its records' ``dept``)."""
    groups = [(d.name, "dept", d.slug) for d in county.departments]
    rows = _grouped(groups, targets, indicators, cells, distinct, county)
    return Breakdown("dept", _by_target(vocab.label("dept"), targets, indicators), rows)


def by_month(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> Breakdown:
    """Month × target: each month's held value (distinct counts: different values that month)."""
    groups = [(f"{m}月", "month", f"{m:02d}") for m in range(1, 13)]
    rows = _grouped(groups, targets, indicators, cells, distinct, county)
    return Breakdown("month", _by_target("月份", targets, indicators), rows)


def _by_target(first: str, targets: TargetSet, indicators: Indicators) -> tuple[str, ...]:
    """Headers of a group × target table: the groups' heading, then each target's indicator."""
    return (first, *(indicators.indicators[t.indicator].name for t in targets.targets))


def _grouped(
    groups: Sequence[tuple[str, str, str]],
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> tuple[tuple[str, tuple[float, ...]], ...]:
    """Every target's value within each group (a row label, the cell column, its value)."""
    out = []
    for label, column, wanted in groups:
        mine = [c for c in cells if c[column] == wanted]
        mine_distinct = {k: [c for c in v if c[column] == wanted] for k, v in distinct.items()}
        values = []
        for target in targets.targets:
            indicator = indicators.indicators[target.indicator]
            distinct_count = indicator.count is Count.DISTINCT
            source = mine_distinct.get(indicator.field or "", ()) if distinct_count else mine
            values.append(value(indicator, source, county))
        out.append((label, tuple(values)))
    return tuple(out)


def _held(cell: Cell) -> bool:
    """Whether a cube cell counts as done: held, and due by the as-of date."""
    return cell["status"] == "held" and int(cell["due"]) == 1


def by_venue(cells: Sequence[Cell], county: County) -> Breakdown:
    """Township × 七进 venue: held 法律七进 sessions; a 0 is a gap in the township's coverage."""
    venues = county.venues_for(Kind.SEVEN_INTO)
    seven = [c for c in cells if c["kind"] == Kind.SEVEN_INTO.slug and _held(c)]
    rows = []
    for township in county.townships:
        mine = [c for c in seven if c["township"] == township.code]
        counts = tuple(
            sum(_number(c, Measure.SESSIONS) for c in mine if c["venue"] == venue.slug)
            for venue in venues
        )
        rows.append((township.name, counts))
    headers = (vocab.label("township"), *(v.name for v in venues))
    return Breakdown("venue", headers, tuple(rows))


def by_kind(cells: Sequence[Cell]) -> Breakdown:
    """Kind × measure: held totals of every measure, for every kind that has records."""
    totals: dict[Kind, list[int]] = {}
    for kind in Kind:
        mine = [c for c in cells if c["kind"] == kind.slug and _held(c)]
        if mine:
            records = sum(int(c["records"]) for c in mine)
            totals[kind] = [records, *(sum(_number(c, m) for c in mine) for m in Measure)]
    return kind_totals(totals)


def kind_totals(totals: Mapping[Kind, Sequence[int]]) -> Breakdown:
    """Kind × measure from totals already summed (records first, then every measure in
    :class:`Measure` order), for every kind that has some: the ``--by kind`` table, and the
    汇总 of a ledger export for a year without targets."""
    headers = (vocab.label("kind"), "记录", *(m.label for m in Measure))
    rows = tuple((kind.label, tuple(totals[kind])) for kind in Kind if kind in totals)
    return Breakdown("kind", headers, rows)
