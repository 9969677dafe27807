"""The dashboard's charts as server-side SVG and HTML: plain strings, the same bytes for the same input.

No JavaScript and no ``style=""`` (the site's CSP is ``default-src 'self'``): sizes and colours are
SVG presentation attributes and classes that ``static/dashboard.css`` colours. Every user text goes
through :func:`html.escape`; every number is written whole (no axis cuts it off). Each function
returns a ``str`` the caller marks safe (``markupsafe.Markup(...)`` or Jinja's ``|safe``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from pufa.dashboard import Heat, Month

#: month bars: the drawing's height, the bar area's top and bottom, one column's width
_HEIGHT, _TOP, _BOTTOM, _COLUMN = 160, 24, 136, 40
_XMLNS = "http://www.w3.org/2000/svg"


def number(value: float | None) -> str:
    """A figure as the page shows it: whole numbers without decimals, others to one; "—" for none."""
    if value is None or math.isnan(value):
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}"


def progress_bar(percent: float, pace: str, label: str = "") -> str:
    """A horizontal bar of ``percent`` done (drawn to at most 100, written whole), classed by the
    pace slug (``behind``, ``on-track``, ``met``, ``no-data``, ``no-target``); ``label`` is the
    pace as a user reads it."""
    known = not math.isnan(percent)
    width = min(max(percent, 0.0), 100.0) if known else 0.0
    said = f"完成 {number(percent)}%" if known else "完成率无数据"
    if label:
        said += f"({label})"
    text = escape(said)
    return (
        f'<svg xmlns="{_XMLNS}" class="bar pace-{escape(pace)}" viewBox="0 0 100 8" width="100%" height="12"'
        f' preserveAspectRatio="none" role="img" aria-label="{text}">'
        f"<title>{text}</title>"
        '<rect class="bar-track" x="0" y="0" width="100" height="8"/>'
        f'<rect class="bar-done" x="0" y="0" width="{number(round(width, 1))}" height="8"/>'
        "</svg>"
    )


def month_bars(months: Sequence[Month]) -> str:
    """Twelve columns of held activities per month (the count written above each), with a tick at
    what the seasonal profile expects when it is known."""
    top = max([1.0, *(m.held for m in months), *(m.expected or 0.0 for m in months)])
    scale = (_BOTTOM - _TOP) / top
    width = _COLUMN * len(months)
    total = sum(m.held for m in months)
    title = escape(f"各月已开展活动(共 {total} 项)")
    parts = [
        f'<svg xmlns="{_XMLNS}" class="months" viewBox="0 0 {width} {_HEIGHT}" width="100%" role="img"'
        f' aria-label="{title}"><title>{title}</title>'
    ]
    for n, month in enumerate(months):
        x = n * _COLUMN
        height = round(month.held * scale, 1)
        said = f"{month.label}:已开展 {month.held} 项"
        if month.expected is not None:
            said += f",按季节分布应约 {number(round(month.expected, 1))} 项"
        parts.append(f"<g><title>{escape(said)}</title>")
        parts.append(
            f'<rect class="month-held" x="{x + 8}" y="{number(round(_BOTTOM - height, 1))}"'
            f' width="{_COLUMN - 16}" height="{number(height)}"/>'
        )
        if month.expected is not None:
            y = number(round(_BOTTOM - month.expected * scale, 1))
            parts.append(
                f'<line class="month-expected" x1="{x + 4}" x2="{x + _COLUMN - 4}"'
                f' y1="{y}" y2="{y}"/>'
            )
        label_y = number(round(max(_BOTTOM - height - 4, 12.0), 1))
        parts.append(
            f'<text class="month-count" x="{x + _COLUMN // 2}" y="{label_y}"'
            f' text-anchor="middle">{month.held}</text>'
            f'<text class="month-label" x="{x + _COLUMN // 2}" y="{_HEIGHT - 8}"'
            f' text-anchor="middle">{escape(month.label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def heat_map(heat: Heat) -> str:
    """Townships × indicators as a table: each cell the township's value, classed ``heat-0`` (nothing
    done) … ``heat-4`` (its share of the target reached), its share in the cell's title."""
    if not heat.rows:
        return '<p class="heat-empty">没有可按乡镇对照的指标。</p>'
    head = "".join(f'<th scope="col">{escape(label)}</th>' for _, label in heat.columns)
    parts = [
        '<table class="heat"><caption>各乡镇(街道)指标覆盖(颜色越深,离本乡镇应分目标越近)</caption>'
        f'<thead><tr><th scope="col">乡镇(街道)</th>{head}</tr></thead><tbody>'
    ]
    for row in heat.rows:
        cells = "".join(
            f'<td class="heat-{c.level}" title="{escape(f"应分目标 {number(round(c.share, 1))}")}">'
            f"{number(round(c.value, 1))}</td>"
            for c in row.cells
        )
        parts.append(f'<tr><th scope="row">{escape(row.name)}</th>{cells}</tr>')
    parts.append("</tbody></table>")
    return "".join(parts)
