"""Rich rendering of the five-year frame and of year-over-year comparisons (``summary --period``,
``summary --compare``)."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.table import Table
from rich.text import Text

from pufa.cli.render import console
from pufa.display import compare_columns, compare_rows, period_columns, period_rows
from pufa.model import County
from pufa.programme import Change, PeriodSummary

_PACE_STYLE = {
    "met": "green",
    "on-track": "cyan",
    "behind": "red",
    "no-data": "dim",
    "no-target": "dim",
}


def print_period(county: County, summary: PeriodSummary) -> None:
    """Each indicator year by year, the period's total, the programme's target and the status."""
    title = (
        f"{county.name} {summary.name}({summary.first}–{summary.last})逐年完成情况"
        f"(截至 {summary.as_of.isoformat()})"
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    headers = period_columns(summary)
    for n, name in enumerate(headers):
        left = n == 0 or name in ("规划目标", "目标形式", "状态")
        table.add_column(name, justify="left" if left else "right", overflow="fold")
    for row, cells in zip(summary.rows, period_rows(summary), strict=True):
        table.add_row(*cells[:-1], Text(cells[-1], style=_PACE_STYLE[row.pace.slug]))
    share = next((r.share for r in summary.rows), 0.0)
    table.caption = (
        f"期内累计目标按已过时间的比例({share:.0%})衡量进度;每年不少于:逐年对照;"
        f"期末达到:看最近一年的数字。规划文件:{summary.programme_path or '无'}"
    )
    out = console()
    out.print(table)
    if summary.hint:
        out.print(f"提示:{summary.hint}", style="yellow")


def print_compare(year: int, base: int, changes: Sequence[Change]) -> None:
    """Each indicator in the base year and this year, with the change and the change in %."""
    table = Table(
        title=f"{year} 年与 {base} 年同比",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    for n, name in enumerate(compare_columns(year, base)):
        table.add_column(name, justify="left" if n == 0 else "right", overflow="fold")
    for change, cells in zip(changes, compare_rows(changes), strict=True):
        style = "green" if change.delta > 0 else "red" if change.delta < 0 else ""
        table.add_row(*cells[:3], Text(cells[3], style=style), Text(cells[4], style=style))
    table.caption = "增减% 以上一年为基数;基数为 0 或无数据时写“—”"
    console().print(table)
