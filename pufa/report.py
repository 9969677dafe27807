"""Draft the 普法 paragraph of the year-end report from a tally, in the report's own words.

The same machinery drafts a unit's 普法履职报告 paragraph (``pufa report --dept``): its tally is
over the unit's records and tasks, and :func:`unit_lead` opens it with the unit and its key laws.
"""

from __future__ import annotations

from collections.abc import Mapping

from pufa import amounts
from pufa.programme import Change
from pufa.tally import Pace, Row, Summary

#: no comparison: the paragraph as the year's figures alone
NONE: Mapping[str, Change] = {}


def paragraph(
    summary: Summary, *, exact: bool = False, changes: Mapping[str, Change] = NONE, lead: str = ""
) -> str:
    """The targets' phrases with this year's values, in the report's order and number forms;
    with ``changes`` (by indicator), each figure both years have is followed by 同比增长/下降 N%.

    A figure with nothing to report yet (a rate before any record, or a zero) is left out and
    listed to fill in. ``lead`` (a unit's :func:`unit_lead`) opens the paragraph.
    """
    sentences = [
        _sentence(r, exact=exact) + yoy(changes.get(r.indicator.key))
        for r in summary.rows
        if _has_value(r)
    ]
    if lead:
        return lead + ("," + ";".join(sentences) if sentences else "") + "。"
    if not sentences:
        return nothing_yet(summary)
    return ";".join(sentences) + "。"


def nothing_yet(summary: Summary) -> str:
    """What the paragraph says while no record gives any figure (a fresh workspace, a new year)."""
    return (
        f"{summary.year} 年还没有可写进报告的活动记录(截至 {summary.as_of.isoformat()})。"
        "请先用 pufa log 登记活动,或用 pufa ledger import 导入台账,再起草报告。"
    )


def unit_lead(name: str, laws: tuple[str, ...]) -> str:
    """How a unit's paragraph opens: ``县公安局落实“谁执法谁普法”普法责任制,重点宣传禁毒法、…``."""
    text = f"{name}落实“谁执法谁普法”普法责任制"
    return text + (f",重点宣传{'、'.join(laws)}" if laws else "")


def yoy(change: Change | None) -> str:
    """``(同比增长12.5%)``, ``(同比下降3%)``, ``(与上年持平)``; "" where not defined."""
    if change is None or change.percent is None:
        return ""
    if change.percent == 0:
        return "(与上年持平)"
    word = "增长" if change.percent > 0 else "下降"
    return f"(同比{word}{amounts.text(round(abs(change.percent), 1))}%)"


def _sentence(row: Row, *, exact: bool) -> str:
    """The target's phrase with the value; without a target, the indicator's name, value and unit."""
    if row.target is not None:
        return row.target.sentence(row.held, exact=exact)
    return f"{row.indicator.name}{amounts.text(round(row.held, 2))}{row.unit}"


def _has_value(row: Row) -> bool:
    """A figure worth a sentence: not a rate without records, not a zero (组织0名… says nothing)."""
    return row.pace is not Pace.NO_DATA and row.held > 0


def to_fill_in(summary: Summary) -> list[str]:
    """Figures the log cannot give (not activities, or no data yet), to check and fill in by hand."""
    missing = [
        f"{r.indicator.name}:暂无记录" + (f",报告原文“{r.target.quote}”" if r.target.quote else "")
        for r in summary.rows
        if r.target is not None and not _has_value(r)
    ]
    return missing + [f"{u.name}:报告原文“{u.quote}”({u.why})" for u in summary.untracked]


def text(
    summary: Summary,
    *,
    exact: bool = False,
    changes: Mapping[str, Change] = NONE,
    lead: str = "",
    title: str = "",
) -> str:
    """Plain text: the paragraph, then the figures to fill in by hand (``title``: unused, as in
    :func:`markdown`)."""
    lines = [paragraph(summary, exact=exact, changes=changes, lead=lead)]
    if summary.hint:
        lines += ["", f"注意:{summary.hint}"]
    manual = to_fill_in(summary)
    if manual:
        lines += ["", "以下数字不在台账中,请核实后补入:", *(f"- {line}" for line in manual)]
    return "\n".join(lines) + "\n"


def markdown(
    summary: Summary,
    *,
    exact: bool = False,
    changes: Mapping[str, Change] = NONE,
    lead: str = "",
    title: str = "普法工作",
) -> str:
    """Markdown: a heading (``title``: 普法工作, or a unit's 普法履职情况), the paragraph, and the
    figures to fill in as a list."""
    lines = [
        f"## {summary.year} 年{title}(草稿,截至 {summary.as_of.isoformat()})",
        "",
        paragraph(summary, exact=exact, changes=changes, lead=lead),
    ]
    if summary.hint:
        lines += ["", f"> 注意:{summary.hint}"]
    manual = to_fill_in(summary)
    if manual:
        lines += ["", "**以下数字不在台账中,请核实后补入:**", "", *(f"- {line}" for line in manual)]
    return "\n".join(lines) + "\n"


def explanation(
    summary: Summary, ids: Mapping[str, list[int]], *, exact: bool = False
) -> list[str]:
    """For every figure: the words, the indicator, the exact value and the records behind it."""
    lines = []
    for row in summary.rows:
        key = row.indicator.key
        records = ids.get(key, [])
        if not _has_value(row):
            lines.append(f"(暂无记录) ← {row.indicator.name}({key})")
            continue
        figure = None if row.target is None else row.target.figure
        written = amounts.text(row.held) if figure is None else figure.write(row.held, exact=exact)
        unit = "" if figure is not None and figure.percent else row.unit
        lines.append(
            f"{written}{unit} ← {row.indicator.name}({key},{row.indicator.count.label}"
            f"{'' if row.indicator.measure is None else ' ' + row.indicator.measure.label}):"
            f"{amounts.text(row.held)};{len(records)} 条记录:{_ids(records)}"
        )
    return lines


def _ids(ids: list[int]) -> str:
    """1-3,5,8-9: ranges keep long id lists short."""
    if not ids:
        return "无"
    parts, start, prev = [], ids[0], ids[0]
    for current in [*ids[1:], None]:
        if current is not None and current == prev + 1:
            prev = current
            continue
        parts.append(f"#{start}" if start == prev else f"#{start}–{prev}")
        if current is not None:
            start = prev = current
    return ",".join(parts)
