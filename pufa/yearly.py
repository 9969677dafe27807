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

from pufa import programme, tally, years
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_calendar, load_indicators, load_programme, load_targets
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


def latest_before(workspace: ws.Workspace, stem: str, year: int) -> Path | None:
    """The latest ``<stem>-<Y>.toml`` with Y < ``year``: the workspace's own copy before the
    bundled one of the same year; None when there is none."""
    earlier = sorted(
        (int(p.stem.removeprefix(f"{stem}-")), -i, p)
        for i, d in enumerate(_dirs(workspace))
        if d.is_dir()
        for p in d.glob(f"{stem}-*.toml")
        if p.stem.removeprefix(f"{stem}-").isdigit() and int(p.stem.removeprefix(f"{stem}-")) < year
    )
    return earlier[-1][2] if earlier else None


def start_hint(workspace: ws.Workspace, year: int) -> str:
    """The one line saying how to start ``year`` when it has no targets file."""
    source = latest_before(workspace, "targets", year)
    own = workspace.root / f"targets-{year}.toml"
    if source is not None:
        return (
            f"{year} 年还没有目标文件:运行 pufa year start {year},从 {source} 起草 {own}"
            "(每项目标标为“待核实”),按今年的文件逐项核实数字(格式见 docs/targets.md)。"
        )
    return (
        f"{year} 年还没有目标文件:运行 pufa year start {year} 生成空白的 {own},"
        "按 docs/targets.md 的格式填写。"
    )


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


def values(
    county: County, store: Store, indicators: Indicators, year: int, as_of: pendulum.Date
) -> dict[str, float]:
    """Every indicator's held value in ``year`` as of ``as_of`` (no later than the year's end)."""
    when = min(as_of, pendulum.Date(year, 12, 31)).isoformat()
    cells = store.cube(year, when, None)
    fields = {i.field for i in indicators.indicators.values() if i.count is Count.DISTINCT}
    distinct = {f: store.distinct(year, when, f, None) for f in fields if f}
    return {
        key: tally.value(
            i, distinct.get(i.field or "", []) if i.count is Count.DISTINCT else cells, county
        )
        for key, i in indicators.indicators.items()
    }


def read_programme(
    workspace: ws.Workspace, indicators: Indicators, first: int, last: int
) -> tuple[programme.Programme | None, str]:
    """The period's programme file (the workspace's, else the bundled one) and, when it is
    missing or has no targets, the one line saying what to do."""
    name = f"programme-{first}-{last}.toml"
    found = next((d / name for d in _dirs(workspace) if (d / name).is_file()), None)
    if found is None:
        return None, (
            f"{first}–{last} 年还没有规划文件:在 {workspace.root / name} 写入本县规划的目标"
            "(格式见 docs/targets.md 的“五年规划”),目标列暂显示为“—”。"
        )
    loaded = load_programme(found, indicators)
    if not loaded.targets:
        return (
            loaded,
            f"{found} 里还没有规划目标:按本县规划逐项写入 [[targets]](格式见 docs/targets.md)。",
        )
    return loaded, ""


def load_period(
    workspace: ws.Workspace, county: County, store: Store, first: int, last: int
) -> programme.PeriodSummary:
    """``first``–``last`` year by year (each as of today, at most its 31 Dec) against the programme."""
    indicators = read_goals(workspace, county, first).indicators
    frame, hint = read_programme(workspace, indicators, first, last)
    today = ws.now().in_timezone(county.timezone).date()
    per_year = {
        y: values(county, store, indicators, y, today)
        for y in range(first, last + 1)
        if y <= today.year
    }
    return programme.summarise(frame, indicators, per_year, first, last, today, hint)


def compare(
    county: County, store: Store, indicators: Indicators, year: int, base: int,
    as_of: pendulum.Date | None = None,
) -> tuple[programme.Change, ...]:  # fmt: skip
    """``year`` (as of ``as_of``, default today) against ``base`` at the same day of its year."""
    when = as_of or default_as_of(year, county.timezone)
    base_when = years.shift(when, base) if when.year == year else pendulum.Date(base, 12, 31)
    return programme.changes(
        indicators,
        values(county, store, indicators, base, base_when),
        values(county, store, indicators, year, when),
    )


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


@valueclass
class Started:
    """What ``pufa year start`` wrote: the targets draft and (if any) the rolled plan."""

    targets: Path
    #: the earlier targets file drafted from; None: an empty template
    targets_from: Path | None
    plan: Path | None = None
    plan_from: Path | None = None
    left_out: tuple[str, ...] = ()
    clipped: tuple[str, ...] = ()


def _new(path: Path) -> Path:
    """``path`` if nothing is there yet; refuses (nothing written) when it exists."""
    if path.exists():
        raise InvalidInput.one(
            "文件", str(path), "应为尚不存在的文件(pufa year start 不覆盖已有文件)",
            "已有的文件请直接编辑;要重新生成,先把它改名或移走",
        )  # fmt: skip
    return path


def _plan_windows(workspace: ws.Workspace, text: str, year: int) -> dict[str, years.Window]:
    """Each plan item's window in ``year``: its dates shifted, or its calendar node's days."""
    import tomllib  # only `pufa year start` reads a plan this way

    own = workspace.root / "calendar.toml"
    nodes = load_calendar(own if own.is_file() else ws.campaigns_dir() / "calendar.toml")
    windows: dict[str, years.Window] = {}
    for item in tomllib.loads(text).get("items", []):
        key, span, node = item.get("key"), item.get("window"), item.get("node")
        try:
            if isinstance(span, list) and len(span) == 2:
                first, last = (pendulum.Date.fromisoformat(str(d)) for d in span)
                windows[str(key)] = (years.shift(first, year), years.shift(last, year))
            elif node in nodes:
                windows[str(key)] = nodes[node].dates(year)
        except ValueError:  # a bad date or an unannounced week: kept, `plan check` says why
            continue
    return windows


def start_year(
    workspace: ws.Workspace,
    county: County,
    year: int,
    from_year: int | None = None,
    include_past: bool = False,
) -> Started:
    """Draft ``targets-<year>.toml`` (and roll the plan) from the latest earlier year, or from
    ``from_year``; an empty template when no earlier year has targets. Never overwrites a file."""
    before = year if from_year is None else from_year + 1
    targets = _new(workspace.root / f"targets-{year}.toml")
    source = latest_before(workspace, "targets", before)
    plan_source = latest_before(workspace, "plan", before)
    plan = None if plan_source is None else _new(workspace.root / f"plan-{year}.toml")
    if from_year is not None and (source is None or source.stem != f"targets-{from_year}"):
        nearest = latest_before(workspace, "targets", year)
        raise InvalidInput.one(
            "--from", from_year,
            f"应为 {year} 年以前、有目标文件的年份(找不到 targets-{from_year}.toml)",
            None if nearest is None else f"最近的是 {nearest.stem.removeprefix('targets-')} 年",
        )  # fmt: skip
    if source is None:
        draft = years.empty_targets(year, county.name)
    else:
        source_year = int(source.stem.removeprefix("targets-"))
        draft = years.draft_targets(
            source.read_text(encoding="utf-8"), source.name, source_year, year
        )
    started = Started(targets, source)
    if plan is not None and plan_source is not None:
        text = plan_source.read_text(encoding="utf-8")
        plan_year = int(plan_source.stem.removeprefix("plan-"))
        today = ws.now().in_timezone(county.timezone).date()
        first = None if include_past else today.add(days=1)
        rolled = years.roll_plan(text, plan_year, year, _plan_windows(workspace, text, year), first)
        ws.write_new(plan, rolled.text, private=False)
        started = Started(targets, source, plan, plan_source, rolled.left_out, rolled.clipped)
    ws.write_new(targets, draft, private=False)
    return started
