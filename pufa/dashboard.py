"""The dashboard as a view model: the year's tally turned into what a leader's page shows.

Pure: :func:`build` takes what :func:`pufa.yearly.load_year` computed (a :class:`~pufa.yearly.Year`'s
summary and cube cells) and returns a :class:`Dashboard` — progress rows, behind-pace
first; twelve month bars; a township × indicator heat map. No store, no files, no HTML
(:mod:`pufa.overview` reads the store; ``pufa/web`` draws the page).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import attrs
import pendulum

from pufa import tally
from pufa.model import County
from pufa.targets import Count, Indicators, Target, TargetSet
from pufa.value import valueclass

#: progress rows in this order: behind pace first, then on track, met, no data, no target
PACE_ORDER = (
    tally.Pace.BEHIND,
    tally.Pace.ON_TRACK,
    tally.Pace.MET,
    tally.Pace.NO_DATA,
    tally.Pace.NO_TARGET,
)

#: heat-map levels: a township's value against its share of the target, as a fraction;
#: level 0 is nothing done, 1 below the first bound, … 4 at or above the share
LEVEL_BOUNDS = (0.5, 0.8, 1.0)

#: indicators whose value means something for one township (and how its share is found)
HEAT_COUNTS = (Count.SUM, Count.RATE, Count.TOWNSHIPS)


@valueclass
class Progress:
    """One target's line: the indicator, the figure as written, the value, % done and pace."""

    key: str
    label: str
    target: str  #: the figure as the targets file writes it; "—" without a target
    value: float  #: NaN: a rate without records yet
    unit: str
    percent: float  #: NaN without a target or without data
    pace: tally.Pace

    @property
    def pace_label(self) -> str:
        return self.pace.label


@valueclass
class Month:
    """One month's bar: held activities (records) and the share of the year the profile expects."""

    month: int
    held: int
    #: records the profile expects this month (the year's held and planned records × its share);
    #: None when the targets do not share one seasonal profile
    expected: float | None

    @property
    def label(self) -> str:
        return f"{self.month}月"


@valueclass
class HeatCell:
    """One township's value of one indicator against its share of the county target."""

    key: str
    value: float  #: NaN: a rate without records
    share: float  #: the township's share of the target (a sum: the figure ÷ townships)
    level: int  #: 0 nothing done … 4 its share reached (:data:`LEVEL_BOUNDS`)


@valueclass
class HeatRow:
    """One township's row of the heat map."""

    code: str
    name: str
    cells: tuple[HeatCell, ...]


@valueclass
class Heat:
    """Townships × indicators: the column headers (indicator key, label) and a row per township."""

    columns: tuple[tuple[str, str], ...] = ()
    rows: tuple[HeatRow, ...] = ()


@valueclass
class Dashboard:
    """What the dashboard page shows for one year, as of a date, for the county or one place."""

    county: str
    year: int
    as_of: pendulum.Date
    scope: str  #: the county's name, or the township's or department's
    township: str | None
    dept: str | None
    progress: tuple[Progress, ...]
    months: tuple[Month, ...]
    heat: Heat
    demo: bool = False
    hint: str = ""  #: how to start the year, when it has no targets yet

    @property
    def behind(self) -> int:
        """How many targets are behind pace."""
        return sum(1 for p in self.progress if p.pace is tally.Pace.BEHIND)


def progress_rows(summary: tally.Summary) -> tuple[Progress, ...]:
    """The summary's rows as progress lines, behind pace first (then in the targets' order)."""
    rows = [
        Progress(
            row.indicator.key,
            row.indicator.name,
            "—" if row.target is None else row.target.figure.text,
            row.held,
            row.unit,
            row.percent,
            row.pace,
        )
        for row in summary.rows
    ]
    return tuple(sorted(rows, key=lambda p: PACE_ORDER.index(p.pace)))


def months(
    cells: Sequence[tally.Cell], summary: tally.Summary, indicators: Indicators
) -> tuple[Month, ...]:
    """Twelve bars: held activities per month, and what the targets' one profile expects."""
    held = [0] * 12
    planned = 0
    for cell in cells:
        records = int(cell["records"])
        if cell["status"] == "held":
            held[int(cell["month"]) - 1] += records
        planned += records if cell["status"] in ("held", "planned") else 0
    profiles = {
        indicators.profile(r.indicator).key: indicators.profile(r.indicator) for r in summary.rows
    }
    weights = next(iter(profiles.values())).weights if len(profiles) == 1 else None
    return tuple(
        Month(
            m + 1,
            held[m],
            None if weights is None else planned * weights[m] / sum(weights),
        )
        for m in range(12)
    )


def level(value: float, share: float) -> int:
    """0 when nothing is done, else 1–4 by how far ``value`` has come towards ``share``."""
    if math.isnan(value) or value <= 0:
        return 0
    if share <= 0:
        return 4
    done = value / share
    return 1 + sum(1 for bound in LEVEL_BOUNDS if done >= bound)


def heat_targets(targets: TargetSet, indicators: Indicators) -> TargetSet:
    """The targets that mean something for one township (sums, rates, townships reached)."""
    kept = tuple(
        t for t in targets.targets if indicators.indicators[t.indicator].count in HEAT_COUNTS
    )
    return attrs.evolve(targets, targets=kept)


def township_values(
    targets: TargetSet, indicators: Indicators, cells: Sequence[tally.Cell], county: County
) -> list[dict[str, float]]:
    """For each target, every township's value (by code), as :func:`pufa.tally.by_township`
    counts it (``tally.value`` over the township's cells), but asking each indicator whether it
    takes a group of cells once per distinct kind and matched fields, not once per cell."""
    chosen = [indicators.indicators[t.indicator] for t in targets.targets]
    matched = sorted({name for indicator in chosen for name in indicator.match})
    groups: dict[tuple[Any, ...], list[tally.Cell]] = defaultdict(list)
    for cell in cells:
        if cell["township"] is not None:
            groups[(cell["kind"], *(cell.get(name) for name in matched))].append(cell)
    out = []
    for indicator in chosen:
        per: dict[str, list[tally.Cell]] = defaultdict(list)
        for key, members in groups.items():
            if indicator.takes(str(key[0]), dict(zip(matched, key[1:], strict=True))):
                for cell in members:
                    per[str(cell["township"])].append(cell)
        none = tally.value(indicator, [], county)
        values = {t.code: none for t in county.townships}
        values.update({code: tally.value(indicator, mine, county) for code, mine in per.items()})
        out.append(values)
    return out


def heat(
    targets: TargetSet,
    indicators: Indicators,
    cells: Sequence[tally.Cell],
    county: County,
    township: str | None = None,
) -> Heat:
    """Townships × indicators (those of :func:`heat_targets`), each cell's value, share and level;
    only ``township``'s row when one is given."""
    chosen = heat_targets(targets, indicators)
    if not chosen.targets:
        return Heat()
    values = township_values(chosen, indicators, cells, county)
    townships = len(county.townships) or 1
    shares = [_share(t, indicators, townships) for t in chosen.targets]
    rows = [
        HeatRow(
            place.code,
            place.name,
            tuple(
                HeatCell(t.indicator, v[place.code], s, level(v[place.code], s))
                for t, v, s in zip(chosen.targets, values, shares, strict=True)
            ),
        )
        for place in county.townships
        if township in (None, place.code)
    ]
    columns = tuple((t.indicator, indicators.indicators[t.indicator].name) for t in chosen.targets)
    return Heat(columns, tuple(rows))


def _share(target: Target, indicators: Indicators, townships: int) -> float:
    """A township's share of a county target: a sum's figure ÷ townships, a rate's figure, and
    1 for a count of townships (the township itself)."""
    count = indicators.indicators[target.indicator].count
    if count is Count.SUM:
        return target.figure.threshold / townships
    return 1.0 if count is Count.TOWNSHIPS else target.figure.threshold


def build(
    county: County,
    targets: TargetSet,
    indicators: Indicators,
    summary: tally.Summary,
    cells: Sequence[tally.Cell],
    *,
    scope: str,
    dept: str | None = None,
    demo: bool = False,
) -> Dashboard:
    """The dashboard of a summary and the cells it was tallied from (a department's: no heat map)."""
    return Dashboard(
        county.name,
        summary.year,
        summary.as_of,
        scope,
        summary.township,
        dept,
        progress_rows(summary),
        months(cells, summary, indicators),
        Heat() if dept else heat(targets, indicators, cells, county, summary.township),
        demo,
        summary.hint,
    )
