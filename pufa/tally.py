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


@valueclass
class Row:
    """One target's standing: what was done, what is planned, what was expected by now."""

    target: Target
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
        return self.target.figure.threshold

    @property
    def percent(self) -> float:
        """Share of the target done, in % (NaN for a rate without records)."""
        return 100.0 * self.held / self.threshold if self.threshold else 100.0

    @property
    def remaining(self) -> float:
        """What is still to do (NaN for a rate without records)."""
        return math.nan if math.isnan(self.held) else max(0.0, self.threshold - self.held)


@valueclass
class Summary:
    """A year's tally as of a date: one row per target, plus the figures the log cannot count."""

    year: int
    as_of: pendulum.Date
    township: str | None
    rows: tuple[Row, ...]
    untracked: tuple[Untracked, ...]
    targets_path: str

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
    for target in targets.targets:
        indicator = indicators.indicators[target.indicator]
        source = (
            distinct.get(indicator.field or "", ()) if indicator.count is Count.DISTINCT else cells
        )
        done = value(indicator, source, county, held=True)
        planned = value(indicator, source, county, held=False)
        profile = indicators.profile(indicator)
        rows.append(standing(target, indicator, profile, done, planned, targets.year, as_of))
    return Summary(targets.year, as_of, township, tuple(rows), targets.untracked, targets.path)


# -- breakdowns -------------------------------------------------------------------------------------


def by_township(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> list[tuple[str, list[float]]]:
    """Township × target: each township's held value of every target."""
    groups = [(t.name, "township", t.code) for t in county.townships]
    return _grouped(groups, targets, indicators, cells, distinct, county)


def by_month(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> list[tuple[str, list[float]]]:
    """Month × target: each month's held value (distinct counts: different values that month)."""
    groups = [(f"{m}月", "month", f"{m:02d}") for m in range(1, 13)]
    return _grouped(groups, targets, indicators, cells, distinct, county)


def _grouped(
    groups: Sequence[tuple[str, str, str]],
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[Cell],
    distinct: Mapping[str, Sequence[Cell]],
    county: County,
) -> list[tuple[str, list[float]]]:
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
        out.append((label, values))
    return out


def by_venue(
    cells: Sequence[Cell], county: County
) -> tuple[list[str], list[tuple[str, list[int]]]]:
    """Township × 七进 venue: held 法律七进 sessions; a 0 is a gap in the township's coverage."""
    venues = county.venues_for(Kind.SEVEN_INTO)
    out = []
    for township in county.townships:
        counts = []
        for venue in venues:
            counts.append(
                sum(
                    _number(c, Measure.SESSIONS)
                    for c in cells
                    if c["kind"] == Kind.SEVEN_INTO.slug
                    and c["township"] == township.code
                    and c["venue"] == venue.slug
                    and c["status"] == "held"
                    and int(c["due"]) == 1
                )
            )
        out.append((township.name, counts))
    return [v.name for v in venues], out


def by_kind(cells: Sequence[Cell]) -> list[tuple[str, dict[str, int]]]:
    """Kind × measure: held totals of every measure, for every kind that has records."""
    out = []
    for kind in Kind:
        mine = [
            c
            for c in cells
            if c["kind"] == kind.slug and c["status"] == "held" and int(c["due"]) == 1
        ]
        if not mine:
            continue
        totals = {m.value: sum(_number(c, m) for c in mine) for m in Measure}
        totals["records"] = sum(int(c["records"]) for c in mine)
        out.append((kind.label, totals))
    return out
