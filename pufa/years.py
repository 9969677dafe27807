"""A new year's campaign files drafted from an earlier year's, as text (``pufa year start``).

Pure: text in, text out. :func:`draft_targets` copies a targets file to another year with every
figure marked ``status = "待核实"`` and where it came from; :func:`empty_targets` is the template
when there is no earlier year; :func:`roll_plan` moves a plan's windows onto another year and
leaves out (or clips) what lies before a given day. Comments, quotes and figures are kept as
written. :mod:`pufa.yearly` finds the files and writes the drafts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

import pendulum

#: a target's status in a draft (the same word as ``pufa.targets.UNCONFIRMED``)
UNCONFIRMED = "待核实"
_YEAR_LINE = re.compile(r"(?m)^year\s*=\s*\d+[ \t]*$")
_BASIS_LINE = re.compile(r"(?m)^basis\s*=.*$")
_TARGET_HEADER = re.compile(r"(?m)^\[\[targets\]\][ \t]*$")
_ITEM_HEADER = re.compile(r"(?m)^(?=\[\[items\]\][ \t]*$)")
_KEY_LINE = re.compile(r'(?m)^key\s*=\s*"([^"]*)"')
_DATE = re.compile(r'"(\d{4})-(\d{2})-(\d{2})"')
Window = tuple[pendulum.Date, pendulum.Date]


def _set_year(text: str, year: int) -> str:
    """``text`` with its top-level ``year = N`` line saying ``year`` (added when missing)."""
    if _YEAR_LINE.search(text):
        return _YEAR_LINE.sub(f"year = {year}", text, count=1)
    return f"year = {year}\n{text}"


def draft_targets(text: str, source: str, from_year: int, year: int) -> str:
    """``from_year``'s targets file (``text``, read from ``source``) as ``year``'s draft: every
    ``[[targets]]`` gets ``status = "待核实"`` and a comment naming the file and year it came from."""
    origin = f"沿用 {from_year} 年目标({source}),{UNCONFIRMED}"
    header = (
        f"# {year} 年普法工作目标 — 草稿(pufa year start 生成),由 {source}({from_year} 年)复制。\n"
        f'# 每项目标都标着 status = "{UNCONFIRMED}":按本县 {year} 年的工作要点逐项核实数字和原文,\n'
        '# 核实一项就删去它的 status 行(或改为 "已核实")。格式见 docs/targets.md。\n\n'
    )
    body = _set_year(text, year)
    if _BASIS_LINE.search(body):
        body = _BASIS_LINE.sub(f'basis = "{origin}"', body, count=1)
    mark = f'[[targets]]\n# 来自 {source}({from_year} 年)\nstatus = "{UNCONFIRMED}"'
    return header + _TARGET_HEADER.sub(mark.replace("\\", "\\\\"), body)


def empty_targets(year: int, county: str) -> str:
    """The template of ``year``'s targets when no earlier year has any."""
    return (
        f"# {county} {year} 年普法工作目标 — 空模板(pufa year start 生成:没有更早年份的目标可沿用)。\n"
        "# 按本县年度工作要点,每项目标写一个 [[targets]]:indicator(见 indicators.toml)、figure、\n"
        "# comparator、unit、quote(原文)。格式见 docs/targets.md。\n\n"
        f"year = {year}\n"
        'basis = "待填写"\n'
    )


def shift(day: pendulum.Date, year: int) -> pendulum.Date:
    """The same month and day in ``year`` (29 February becomes the 28th in a common year)."""
    last = pendulum.Date(year, day.month, 1).days_in_month
    return pendulum.Date(year, day.month, min(day.day, last))


class Rolled(NamedTuple):
    """A plan rolled onto a new year: its text, and the keys of the items left out or clipped."""

    text: str
    left_out: tuple[str, ...]
    clipped: tuple[str, ...]


def _shift_dates(block: str, from_year: int, year: int) -> str:
    """Every quoted ``from_year`` date of ``block`` moved to ``year``."""

    def moved(match: re.Match[str]) -> str:
        day = pendulum.Date(*(int(g) for g in match.groups()))
        return f'"{shift(day, year).isoformat()}"' if day.year == from_year else match.group(0)

    return _DATE.sub(moved, block)


def _clip(block: str, window: Window, first: pendulum.Date, key: str) -> str:
    """``block`` with its window starting on ``first`` (a node becomes that window of its days)."""
    line = f'window = ["{first.isoformat()}", "{window[1].isoformat()}"]'
    note = f"# {key}:{first.isoformat()} 以前的日子已去掉(pufa year start)"
    if re.search(r"(?m)^window\s*=", block):
        return re.sub(r"(?m)^window\s*=.*$", f"{note}\n{line}", block, count=1)
    block = re.sub(r"(?m)^pinned\s*=.*\n?", "", block)
    return re.sub(r"(?m)^node\s*=\s*\"([^\"]*)\".*$", rf"{note}(原 node = \1)\n{line}", block)


def roll_plan(
    text: str,
    from_year: int,
    year: int,
    windows: Mapping[str, Window],
    first: pendulum.Date | None,
) -> Rolled:
    """``from_year``'s plan (``text``) onto ``year``: dates shifted, items kept in order.

    ``windows`` holds each item's window in ``year`` (by key; an item without one is kept as it
    is). With ``first`` (the first day the new plan may use), an item whose window ends before it
    is left out and one that starts before it is clipped; ``None`` keeps everything."""
    header, *blocks = _ITEM_HEADER.split(text)
    kept: list[str] = []
    left_out: list[str] = []
    clipped: list[str] = []
    for block in blocks:
        found = _KEY_LINE.search(block)
        key = found.group(1) if found else ""
        window = windows.get(key)
        block = _shift_dates(block, from_year, year)
        if first is not None and window is not None and window[1] < first:
            left_out.append(key)
            continue
        if first is not None and window is not None and window[0] < first:
            clipped.append(key)
            block = _clip(block, window, first, key)
        kept.append(block)
    note = f"# {year} 年计划 — 由 {from_year} 年计划顺延(pufa year start 生成),请按今年的安排逐项核对。\n"
    if left_out:
        note += f"# 窗口已过的 {len(left_out)} 项未列入:{'、'.join(left_out)}\n"
    body = _set_year(header, year)
    return Rolled(note + body + "".join(kept), tuple(left_out), tuple(clipped))
