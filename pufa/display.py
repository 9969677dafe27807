"""Model values as a user reads them: owners' names, field values, a summary as text cells.

The plain output of the write path, the rich tables, the ledger's cells and the summary's CSV all
show a record's township, venue, mode or a summary's numbers through these functions, so a value
reads the same wherever it appears. Numbers are written by :mod:`pufa.amounts`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pufa import amounts
from pufa.event import Event
from pufa.model import County, Kind, Labelled, Mode, Status

if TYPE_CHECKING:  # the summary's classes load only with `pufa summary`, not on `pufa log`
    from pufa.programme import Change, PeriodRow, PeriodSummary
    from pufa.tally import Row, Summary
    from pufa.targets import Figure


def owner_name(county: County, event: Event) -> str:
    """The township's official name or the department's name."""
    if event.township is not None:
        try:
            return county.township(event.township).name
        except KeyError:
            return event.township
    assert event.dept is not None
    try:
        return county.department(event.dept).name
    except KeyError:
        return event.dept


def village_name(county: County, code: str) -> str:
    """A stored 村(居) code as its official name (the code itself when the profile lacks it)."""
    for township in county.townships:
        if code.startswith(township.code):
            for village in township.villages:
                if village.code == code:
                    return village.name
    return code


def value_text(county: County, field: str, value: str | int | None) -> str:
    """A stored field value as a user reads it: codes and slugs become names and labels."""
    if value is None or value == "":
        return "(空)"
    text = str(value)
    if field in ("start", "end") and "T" in text:  # a stored time, shown as the list shows it
        return text[:16].replace("T", " ")
    lookups = {
        "township": lambda: county.township(text).name,
        "dept": lambda: county.department(text).name,
        "village": lambda: village_name(county, text),
        "venue": lambda: county.venue(text).name,
        "kind": lambda: Kind(text).label,
        "status": lambda: Status(text).label,
        "mode": lambda: Mode(text).label,
    }
    if field in lookups:
        try:
            return lookups[field]()
        except (KeyError, ValueError):
            return text
    return text


def detail_text(county: County, event: Event, name: str) -> str | None:
    """A kind-specific field as a user reads it (venue slug → 学校, mode → 线下定向)."""
    value = getattr(event.details, name, None)
    if value is None:
        return None
    if isinstance(value, Labelled):
        return value.label
    if name == "venue":
        try:
            return county.venue(value).name
        except KeyError:
            return str(value)
    return str(value)


def figure_text(figure: Figure, unit: str) -> str:
    """A figure with its unit as Chinese writes it: 113场次, 11万余份, 5名以上, 100%."""
    if figure.percent:
        return figure.text
    return f"{figure.number_text}{unit}{'以上' if figure.qualifier == '以上' else ''}"


def target_text(row: Row) -> str:
    """A summary row's 目标 cell: the figure, marked (待核实) until the office confirms it."""
    if row.target is None:
        return "—"
    text = figure_text(row.target.figure, row.target.unit)
    return text if row.target.confirmed else f"{text}({row.target.status})"


SUMMARY_COLUMNS = (
    "指标",
    "已完成",
    "另有计划",
    "目标",
    "完成率%",
    "尚差",
    "应完成",
    "状态",
    "年末预计",
    "进度曲线",
)


def summary_rows(summary: Summary) -> list[list[str]]:
    """The summary as text cells (CSV and plain output), one row per target."""
    return [
        [
            row.indicator.name,
            amounts.text(row.held),
            amounts.text(row.planned),
            target_text(row),
            amounts.text(round(row.percent, 1)),
            amounts.text(row.remaining),
            amounts.text(round(row.expected, 1)),
            row.pace.label,
            amounts.text(None if row.projection is None else round(row.projection, 1)),
            row.profile.label,
        ]
        for row in summary.rows
    ]


def period_target_text(row: PeriodRow) -> str:
    """A period row's 规划目标 cell: the figure, marked (假定)/(待核实); "—" without one."""
    if row.target is None:
        return "—"
    text = figure_text(row.target.figure, row.target.unit)
    marks = [
        m for m, on in (("假定", row.target.assumed), ("待核实", not row.target.confirmed)) if on
    ]
    return f"{text}({'、'.join(marks)})" if marks else text


def period_columns(summary: PeriodSummary) -> list[str]:
    """The period table's headers: the indicator, each year, the total, the target, its shape, status."""
    years = [f"{y}年" for y in range(summary.first, summary.last + 1)]
    return ["指标", *years, "期内合计", "规划目标", "目标形式", "状态"]


def period_rows(summary: PeriodSummary) -> list[list[str]]:
    """The period summary as text cells: a year not begun (or without data) is empty."""
    return [
        [
            row.indicator.name,
            *(amounts.text(round(v, 2)) for v in row.values),
            amounts.text(round(row.total, 2)),
            period_target_text(row),
            "" if row.target is None else row.target.shape.label,
            row.pace.label
            + ("" if not row.short_years else f"({'、'.join(map(str, row.short_years))}年未达)"),
        ]
        for row in summary.rows
    ]


def signed(value: float) -> str:
    """``+12``, ``-3``, ``0``; empty for no value."""
    text = amounts.text(round(value, 2))
    return f"+{text}" if value == value and value > 0 else text


def compare_columns(year: int, base: int) -> list[str]:
    return ["指标", f"{base}年", f"{year}年", "增减", "增减%"]


def compare_rows(changes: Sequence[Change]) -> list[list[str]]:
    """Year over year as text cells; 增减% is "—" where not defined (no base, or a base of 0)."""
    return [
        [
            c.indicator.name,
            amounts.text(round(c.base, 2)),
            amounts.text(round(c.value, 2)),
            signed(c.delta),
            "—" if c.percent is None else f"{signed(round(c.percent, 1))}%",
        ]
        for c in changes
    ]
