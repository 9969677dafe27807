"""A year against its targets: read the campaign files, aggregate in the store, tally.

The library calls behind ``pufa summary`` and ``pufa report`` (the CLI only renders):
:func:`read_goals` finds the files in a workspace; :func:`load_year` needs only the county, an
open store and the goals.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pendulum

from pufa import tally
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_indicators, load_targets
from pufa.model import COUNT_MAX, County
from pufa.store import Store
from pufa.targets import Count, Indicators, TargetSet
from pufa.value import valueclass


@valueclass
class Year:
    """Everything computed for one year: the summary and what breakdowns are made from."""

    county: County
    targets: TargetSet
    indicators: Indicators
    summary: tally.Summary
    cells: tuple[dict[str, Any], ...]
    distinct: dict[str, tuple[dict[str, Any], ...]]
    #: records left out of the sums (a count over the bound: older data), one line each
    warnings: tuple[str, ...] = ()


def _find(workspace: ws.Workspace, name: str, what: str, option: str, value: object) -> Path:
    """A campaign file: the workspace's own copy, else the one pufa ships for the county."""
    own = workspace.root / name
    bundled = ws.campaigns_dir() / workspace.county_slug / name
    for path in (own, bundled):
        if path.is_file():
            return path
    raise InvalidInput.one(
        option, value, f"应有{what}文件,但 {own} 和 {bundled} 都不存在", "可复制已有年份的文件改写"
    )


def _dirs(workspace: ws.Workspace) -> tuple[Path, Path]:
    """Where campaign files are looked for: the workspace, then what pufa ships for the county."""
    return workspace.root, ws.campaigns_dir() / workspace.county_slug


def start_hint(workspace: ws.Workspace, year: int) -> str:
    """The one line saying how to start ``year`` when it has no targets file."""
    earlier = sorted(
        (int(p.stem.removeprefix("targets-")), -i, p)
        for i, d in enumerate(_dirs(workspace))
        if d.is_dir()
        for p in d.glob("targets-*.toml")
        if p.stem.removeprefix("targets-").isdigit() and int(p.stem.removeprefix("targets-")) < year
    )
    own = workspace.root / f"targets-{year}.toml"
    if earlier:
        source = earlier[-1][2]
        return (
            f"{year} 年还没有目标文件:复制上一年的 {source} 为 {own},"
            f"把 year 改为 {year} 并按今年的文件逐项核实数字(格式见 docs/targets.md)。"
        )
    return f"{year} 年还没有目标文件:按 docs/targets.md 的格式新建 {own}。"


def default_as_of(year: int, timezone: str) -> pendulum.Date:
    """Today in ``timezone`` (the county's; ``PUFA_NOW`` fixes it), but no later than the year's last day."""
    today = ws.now().in_timezone(timezone).date()
    return min(today, pendulum.Date(year, 12, 31))


@valueclass
class Goals:
    """A year's indicator definitions and targets, as read from the campaign files."""

    indicators: Indicators
    targets: TargetSet


def read_goals(workspace: ws.Workspace, county: County, year: int) -> Goals:
    """The indicators and ``year``'s targets: the workspace's own files, else those pufa ships;
    refuses a targets file whose ``year`` is not the year asked for."""
    indicators = load_indicators(
        _find(workspace, "indicators.toml", "指标定义", "指标", "indicators.toml"), county
    )
    name = f"targets-{year}.toml"
    if not any(d.joinpath(name).is_file() for d in _dirs(workspace)):
        return Goals(indicators, TargetSet(year, "", "", (), hint=start_hint(workspace, year)))
    path = _find(workspace, name, f" {year} 年目标", "年份 (--year)", year)
    targets = load_targets(path, indicators)
    if targets.year != year:
        raise InvalidInput.one(
            f"{path}: year", targets.year, f"应为 {year}(与文件名和 --year 一致)"
        )
    if not targets.targets and not targets.untracked:  # the empty template `pufa init` writes
        hint = f"{path} 里还没有目标:按本县今年的文件逐项写入 [[targets]](格式见 docs/targets.md)。"
        return Goals(indicators, attrs.evolve(targets, hint=hint))
    return Goals(indicators, targets)


def load_year(
    county: County,
    store: Store,
    goals: Goals,
    as_of: pendulum.Date | None = None,
    township: str | None = None,
) -> Year:
    """Tally the goals' year (as of ``as_of``) for the whole county or one township (a code)."""
    indicators, targets = goals.indicators, goals.targets
    year = targets.year
    when = as_of or default_as_of(year, county.timezone)
    cells = store.cube(year, when.isoformat(), township)
    fields = {
        indicators.indicators[t.indicator].field
        for t in targets.targets
        if indicators.indicators[t.indicator].count is Count.DISTINCT
    }
    distinct = {f: tuple(store.distinct(year, when.isoformat(), f, township)) for f in fields if f}
    warnings = tuple(
        f"记录 #{n} 的计数超过上限 {COUNT_MAX:,},未计入合计;请运行 pufa db check 查看并修正。"
        for n in store.left_out(year)
    )
    summary = tally.summarise(targets, indicators, cells, distinct, county, when, township)
    return Year(county, targets, indicators, summary, tuple(cells), distinct, warnings)


def explain(store: Store, year: Year) -> dict[str, list[int]]:
    """For every target, the ids of the held records behind its figure."""
    out = {}
    for row in year.summary.rows:
        indicator = row.indicator
        out[indicator.key] = store.record_ids(
            year.targets.year,
            year.summary.as_of.isoformat(),
            [k.slug for k in indicator.kinds],
            {k: list(v) for k, v in indicator.match.items()},
        )
    return out
