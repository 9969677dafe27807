"""The five-year frame (八五 2021–2025, 九五 2026–2030): a programme's targets and a period's standing.

A :class:`Programme` holds the period targets of ``programme-<first>-<last>.toml`` in three
:class:`Shape` s — a total over the period, a minimum every year, a state to reach by the end — each
a :class:`~pufa.targets.Figure` with its source quote. :func:`standing` turns one value per year into
a :class:`PeriodRow` with a :class:`PeriodPace`; :func:`change` is the year-over-year difference of
``summary --compare`` and ``report --compare``. No I/O here: :mod:`pufa.load.programme` reads the
files, :mod:`pufa.yearly` gets the values from the store.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

import pendulum

from pufa.errors import InvalidInput
from pufa.model import Labelled
from pufa.targets import UNCONFIRMED, Count, Figure, Indicator, Indicators
from pufa.value import valueclass

#: how a period is written on the command line and in a programme file's name
PERIOD_FORM = "应为“起始年-结束年”,如 2021-2025(八五)或 2026-2030(九五)"
_PERIOD = re.compile(r"^(\d{4})\s*[-–—~至]\s*(\d{4})$")
#: the longest period a programme may span, in years
LONGEST = 10


class Shape(Labelled):
    """What a period target measures."""

    TOTAL = "total"  #: the sum over the period's years (法律七进 场次 over five years)
    YEARLY = "yearly"  #: at least the figure in every year (参考率 ≥ 95% each year)
    END = "end"  #: the last year's figure reaches it (每村(居) 5 名法律明白人 by the end)


class PeriodPace(Labelled):
    """Where a period target stands on the as-of date."""

    MET = "met"
    ON_TRACK = "on-track"
    BEHIND = "behind"
    NO_DATA = "no-data"
    NO_TARGET = "no-target"


def parse_period(text: str) -> tuple[int, int]:
    """``2021-2025`` → ``(2021, 2025)``; :class:`InvalidInput` for anything else."""
    match = _PERIOD.match(text.strip()) if isinstance(text, str) else None
    first, last = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    if match is None or not 2000 <= first <= last < first + LONGEST:
        raise InvalidInput.one("周期 (--period)", text, PERIOD_FORM, "如 2021-2025")
    return first, last


def period_name(first: int, last: int) -> str:
    """``八五普法`` for 2021–2025, ``九五普法`` for 2026–2030 (the n-th from 一五 1986–1990)."""
    number = (first - 1986) // 5 + 1
    digits = "〇一二三四五六七八九"
    if first % 5 != 1 or last != first + 4 or not 1 <= number <= 10:
        return f"{first}–{last} 年普法规划"
    word = "十" if number == 10 else digits[number]
    return f"“{word}五”普法"


@valueclass
class PeriodTarget:
    """One figure of a programme: for an indicator, of a shape, with the words it comes from."""

    indicator: str
    shape: Shape
    figure: Figure
    unit: str
    quote: str
    section: str = ""
    #: :data:`~pufa.targets.UNCONFIRMED` until the office has checked the figure
    status: str = ""
    #: the figure is not stated in the source but assumed (e.g. five times one year's figure)
    assumed: bool = False
    note: str = ""

    @property
    def confirmed(self) -> bool:
        return self.status != UNCONFIRMED

    def met(self, value: float) -> bool:
        return value >= self.figure.threshold - 1e-9


@valueclass
class Programme:
    """A county's programme for one period: its targets in the file's order."""

    first: int
    last: int
    name: str
    source: str
    targets: tuple[PeriodTarget, ...]
    path: str = ""

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first, self.last + 1))


def elapsed_share(first: int, last: int, as_of: pendulum.Date) -> float:
    """The fraction of the period ``first``–``last`` gone by the end of ``as_of`` (by days)."""
    start, end = pendulum.Date(first, 1, 1), pendulum.Date(last, 12, 31)
    if as_of < start:
        return 0.0
    if as_of >= end:
        return 1.0
    return ((as_of - start).days + 1) / ((end - start).days + 1)


def additive(indicator: Indicator) -> bool:
    """Whether an indicator's yearly values add up over a period (a rate or a head count does not)."""
    return indicator.count in (Count.SUM, Count.PER_VILLAGE)


@valueclass
class PeriodRow:
    """One indicator over a period: its value each year, the total, the target and the standing."""

    indicator: Indicator
    target: PeriodTarget | None
    years: tuple[int, ...]
    #: one per year; NaN for a year not begun (or a rate without records)
    values: tuple[float, ...]
    total: float  #: NaN when the indicator does not add up over years
    share: float
    pace: PeriodPace
    #: years below a yearly minimum
    short_years: tuple[int, ...] = ()


@valueclass
class PeriodSummary:
    """A period's tally as of a date; ``programme`` None when the period has no programme file."""

    first: int
    last: int
    name: str
    as_of: pendulum.Date
    rows: tuple[PeriodRow, ...]
    programme_path: str = ""
    #: set when there is no programme file (or it has no targets): what to do about it
    hint: str = ""


def _closed(year: int, as_of: pendulum.Date) -> bool:
    return as_of >= pendulum.Date(year, 12, 31)


def _latest(values: Sequence[float]) -> float:
    known = [v for v in values if not math.isnan(v)]
    return known[-1] if known else math.nan


def _yearly(
    target: PeriodTarget, indicator: Indicator, years: Sequence[int], values: Sequence[float],
    as_of: pendulum.Date,
) -> tuple[PeriodPace, tuple[int, ...]]:  # fmt: skip
    """Every closed year must meet the minimum; the current one must be on its pace."""
    short = []
    for year, value in zip(years, values, strict=True):
        if year > as_of.year or math.isnan(value):
            continue
        closed = _closed(year, as_of)
        share = 1.0 if closed or not indicator.count.paced else elapsed_share(year, year, as_of)
        if not target.met(value) and value < target.figure.threshold * share - 1e-9:
            short.append(year)
    if short:
        return PeriodPace.BEHIND, tuple(short)
    return (PeriodPace.MET if _closed(years[-1], as_of) else PeriodPace.ON_TRACK), ()


def _judge(target: PeriodTarget, indicator: Indicator, value: float, share: float) -> PeriodPace:
    """A total or an end state: met, else behind once the period is over or below its pace."""
    if target.met(value):
        return PeriodPace.MET
    if share < 1.0 and (not indicator.count.paced or value >= target.figure.threshold * share):
        return PeriodPace.ON_TRACK
    return PeriodPace.BEHIND


def standing(
    indicator: Indicator,
    target: PeriodTarget | None,
    years: Sequence[int],
    values: Sequence[float],
    as_of: pendulum.Date,
) -> PeriodRow:
    """One indicator's period row: totals by elapsed share, minima per year, end states by the
    last year's figure."""
    share = elapsed_share(years[0], years[-1], as_of)
    counted = [v for v in values if not math.isnan(v)]
    total = math.fsum(counted) if additive(indicator) and counted else math.nan
    short: tuple[int, ...] = ()
    if target is None:
        pace = PeriodPace.NO_TARGET
    elif not counted:
        pace = PeriodPace.NO_DATA
    elif target.shape is Shape.YEARLY:
        pace, short = _yearly(target, indicator, years, values, as_of)
    elif target.shape is Shape.TOTAL:
        pace = _judge(target, indicator, total, share)
    else:
        pace = _judge(target, indicator, _latest(values), share)
    return PeriodRow(indicator, target, tuple(years), tuple(values), total, share, pace, short)


def summarise(
    programme: Programme | None,
    indicators: Indicators,
    values: Mapping[int, Mapping[str, float]],
    first: int,
    last: int,
    as_of: pendulum.Date,
    hint: str = "",
) -> PeriodSummary:
    """Every programme target, then every other indicator (target "—"), over the period's years.
    ``values`` holds each year's value by indicator key (a year not begun may be missing)."""
    years = tuple(range(first, last + 1))
    targets = {} if programme is None else {t.indicator: t for t in programme.targets}
    order = [*targets, *(k for k in indicators.indicators if k not in targets)]
    rows = []
    for key in order:
        indicator = indicators.indicators[key]
        row_values = [values.get(y, {}).get(key, math.nan) for y in years]
        rows.append(standing(indicator, targets.get(key), years, row_values, as_of))
    return PeriodSummary(
        first,
        last,
        programme.name if programme is not None else period_name(first, last),
        as_of,
        tuple(rows),
        "" if programme is None else programme.path,
        hint,
    )


# -- year over year ---------------------------------------------------------------------------------


@valueclass
class Change:
    """One indicator's value in a year and in the year it is compared with."""

    indicator: Indicator
    base: float
    value: float

    @property
    def delta(self) -> float:
        """The change (NaN when either year has no value)."""
        return self.value - self.base

    @property
    def percent(self) -> float | None:
        """The change in % of the base year; None when not defined (no base, or a base of 0)."""
        if math.isnan(self.delta) or self.base == 0:
            return None
        return 100.0 * self.delta / self.base


def changes(
    indicators: Indicators, base: Mapping[str, float], current: Mapping[str, float]
) -> tuple[Change, ...]:
    """Every indicator's value in the base year and the current one, in the indicators' order."""
    return tuple(
        Change(i, base.get(k, math.nan), current.get(k, math.nan))
        for k, i in indicators.indicators.items()
    )


def current_period(year: int) -> tuple[int, int]:
    """The five-year period ``year`` falls in (the 一五 period began in 1986): 2026 → 2026–2030."""
    first = 1986 + (year - 1986) // 5 * 5
    return first, first + 4


def template_text(
    county: str, first: int, last: int, listed: Sequence[tuple[str, str, str]]
) -> str:
    """An empty programme file for ``first``–``last``: the keys to fill in and every indicator
    (``listed``: key, name, unit)."""
    lines = [
        f"# {county} {period_name(first, last)}({first}–{last})规划目标 — 空模板。",
        "# 按本县规划逐项写入 [[targets]](格式见 docs/targets.md 的“五年规划”):",
        "#   indicator  指标(见下)   shape  total 期内累计 / yearly 每年不少于 / end 期末达到",
        "#   figure     如 565、5以上、95%   unit 单位   quote 规划原文   section 出处",
        '#   status = "待核实"(未核实时)   assumed = true(原文没有、假定的数字)',
        "# 可用的指标:",
        *(f"#   {key:<28} {name}({unit})" for key, name, unit in listed),
        "",
        f'period = "{first}-{last}"',
        f'name = "{period_name(first, last)}"',
        'source = "待填写"',
        "",
    ]
    return "\n".join(lines)
