"""The library calls behind ``pufa duties``: each responsible unit's tasks against its records.

:func:`read_duties` finds ``duties-<year>.toml`` (the workspace's copy, else the one pufa ships
for the county); :func:`progress` tallies each unit's tasks over the records whose ``dept`` is that
unit, with the same counting as ``pufa summary`` (:func:`pufa.yearly.load_year`, then
:func:`pufa.tally.summarise` on the unit's cells). Behind ``pufa review``: :func:`reviews` scores
every unit's evaluation sheet (:mod:`pufa.review`) with the office's scores from the store,
:func:`set_score` checks and records one; :func:`record_ids` is ``report --dept --explain``.
"""

from __future__ import annotations

from pathlib import Path

import pendulum

from pufa import review, tally
from pufa import workspace as ws
from pufa.duties import Duties, Unit
from pufa.errors import InvalidInput
from pufa.event import Stamp
from pufa.load.duties import load_duties
from pufa.model import County
from pufa.store import ScoreChange, Store
from pufa.targets import TargetSet
from pufa.value import valueclass
from pufa.yearly import Goals, load_year, read_goals


@valueclass
class UnitProgress:
    """One unit's list and its tasks' standing (a :class:`tally.Summary` over its records)."""

    unit: Unit
    summary: tally.Summary


def duties_path(workspace: ws.Workspace, year: int) -> tuple[Path, ...]:
    """Where ``duties-<year>.toml`` is looked for: the workspace, then what pufa ships."""
    name = f"duties-{year}.toml"
    return (workspace.root / name, ws.campaigns_dir() / workspace.county_slug / name)


def read_duties(workspace: ws.Workspace, county: County, year: int) -> tuple[Goals, Duties]:
    """The indicators and ``year``'s responsibility lists; refuses a year without a duties file
    and a file whose ``year`` is not the year asked for."""
    goals = read_goals(workspace, county, year)
    paths = duties_path(workspace, year)
    path = next((p for p in paths if p.is_file()), None)
    if path is None:
        raise InvalidInput.one(
            "年份 (--year)",
            year,
            f"应有责任清单文件,但 {paths[0]} 和 {paths[1]} 都不存在",
            "格式见 docs/duties.md,可复制示例 campaigns/kaiyang/duties-2023.toml 改写",
        )
    duties = load_duties(path, county, goals.indicators)
    if duties.year != year:
        raise InvalidInput.one(f"{path}: year", duties.year, f"应为 {year}(与文件名和 --year 一致)")
    return goals, duties


def progress(
    county: County,
    store: Store,
    goals: Goals,
    duties: Duties,
    as_of: pendulum.Date | None = None,
    dept: str | None = None,
) -> tuple[UnitProgress, ...]:
    """Every unit's tasks (or one unit's: ``dept`` a slug) as of ``as_of``, over its records."""
    units = [u for u in duties.units if dept is None or u.dept.slug == dept]
    every = tuple(t for u in units for t in u.tasks)
    year = load_year(
        county, store, Goals(goals.indicators, TargetSet(duties.year, "", "", every)), as_of
    )
    out = []
    for unit in units:
        cells = [c for c in year.cells if c["dept"] == unit.dept.slug]
        distinct = {
            k: [c for c in v if c["dept"] == unit.dept.slug] for k, v in year.distinct.items()
        }
        summary = tally.summarise(
            duties.targets(unit), goals.indicators, cells, distinct, county, year.summary.as_of
        )
        out.append(UnitProgress(unit, summary))
    return tuple(out)


def reviews(
    county: County, store: Store, goals: Goals, duties: Duties, as_of: pendulum.Date | None = None
) -> tuple[review.UnitReview, ...]:
    """Every unit with an evaluation sheet, scored and ranked (``pufa review``)."""
    scored = store.scores(duties.year)
    out = []
    for unit in progress(county, store, goals, duties, as_of):
        mine = {
            item: value for (dept, item), value in scored.items() if dept == unit.unit.dept.slug
        }
        out.append(review.evaluate(unit.unit, unit.summary, mine))
    return review.rank(out)


def set_score(
    store: Store, duties: Duties, dept: str, key: str, score: float, reason: str, stamp: Stamp
) -> ScoreChange:
    """Check and record the office's score of one item (``pufa review score``): a bad unit, item or
    score is refused before anything is written."""
    item = review.check_score(duties, dept, key, score, reason)
    change = ScoreChange(duties.year, dept, item.key, score, reason.strip(), stamp.at, stamp.by)
    return store.set_score(change)


def record_ids(store: Store, duties: Duties, unit: UnitProgress) -> dict[str, list[int]]:
    """For every task of a unit, the ids of its held records behind the figure (``--explain``)."""
    return {
        row.indicator.key: store.record_ids(
            duties.year,
            unit.summary.as_of.isoformat(),
            [k.slug for k in row.indicator.kinds],
            {k: list(v) for k, v in row.indicator.match.items()},
            unit.unit.dept.slug,
        )
        for row in unit.summary.rows
    }
