"""What a document for leaders contains: a title, sections of paragraphs, and tables of typed cells.

Pure (no python-docx, no openpyxl): :mod:`pufa.wordfile` lays a :class:`Document` out as a Word
file, :func:`pufa.ledger.table.write_printable` a :class:`Table` as a printable sheet. Cells keep
their type — a count is an ``int``, a share of a target a number in % (printed ``85.3%``), a
missing value ``None`` (printed "—") — so no number is ever stored as text.
"""

from __future__ import annotations

from pufa import amounts
from pufa.display import SUMMARY_COLUMNS, target_text
from pufa.tally import Breakdown, Row, Summary
from pufa.value import valueclass

#: one table cell: text, a number, or nothing ("—")
Cell = str | int | float | None

#: the report's table of indicators
INDICATOR_COLUMNS = ("指标", "目标", "完成", "完成率", "状态")


@valueclass
class Table:
    """A table: its caption, headers, rows of typed cells, and which columns hold a share in %
    printed with a "%" sign (完成率)."""

    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    percent: tuple[int, ...] = ()


@valueclass
class Section:
    """A numbered part of a document: its heading, paragraphs, and an optional table."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    table: Table | None = None


@valueclass
class Document:
    """A document for leaders: its title, a dating line under it, and its sections."""

    title: str
    dating: str
    sections: tuple[Section, ...]


#: the numbering of a Chinese official document's first-level headings
_NUMBERS = "一二三四五六七八九十"


def numbered(index: int, heading: str) -> str:
    """``numbered(0, "总体情况")`` → ``一、总体情况``."""
    return f"{_NUMBERS[index % len(_NUMBERS)]}、{heading}"


def cell_text(value: Cell, *, percent: bool = False) -> str:
    """A cell as printed in a document: "—" for nothing, a share in % as ``85.3%``."""
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if percent:
        return f"{amounts.text(value)}%"
    return amounts.text(value)


def _percent(row: Row) -> float | None:
    """A row's share of its target in % (``None`` without a target or records)."""
    percent = row.percent
    return None if percent != percent else amounts.json_value(round(percent, 1))


def indicator_table(summary: Summary) -> Table:
    """The report's table: each indicator's target, what was done, the share done and its status."""
    rows = tuple(
        (
            row.indicator.name,
            target_text(row),
            amounts.json_value(row.held),
            _percent(row),
            row.pace.label,
        )
        for row in summary.rows
    )
    return Table("各项指标完成情况", INDICATOR_COLUMNS, rows, percent=(3,))


def summary_table(summary: Summary) -> Table:
    """``pufa summary``'s table with typed cells (the 汇总 sheet, ``summary --format xlsx/docx``)."""
    rows = tuple(
        (
            row.indicator.name,
            amounts.json_value(row.held),
            amounts.json_value(row.planned),
            target_text(row),
            _percent(row),
            amounts.json_value(row.remaining),
            amounts.json_value(round(row.expected, 1)),
            row.pace.label,
            amounts.json_value(None if row.projection is None else round(row.projection, 1)),
            row.profile.label,
        )
        for row in summary.rows
    )
    return Table(f"{summary.year}年普法工作指标汇总", SUMMARY_COLUMNS, rows)


def breakdown_table(table: Breakdown, caption: str) -> Table:
    """A ``--by`` breakdown as a table (counts as numbers, a rate without records as ``None``)."""
    rows = tuple((label, *(amounts.json_value(v) for v in values)) for label, values in table.rows)
    return Table(caption, table.headers, rows)


def dating(summary: Summary) -> str:
    """The line under the title: the date the figures are counted to."""
    day = summary.as_of
    return f"(数据截至{day.year}年{day.month}月{day.day}日)"


def report_document(
    title: str,
    summary: Summary,
    paragraphs: tuple[str, ...],
    townships: Breakdown | None,
    manual: tuple[str, ...] = (),
) -> Document:
    """A report: the 普法 paragraph(s), the indicators' table, the table by township (the county's
    report; a unit's has none), and the figures still to fill in by hand."""
    parts = [("总体情况", paragraphs, None), ("指标完成情况", (), indicator_table(summary))]
    if townships is not None:
        parts.append(("各乡镇(街道)情况", (), breakdown_table(townships, "各乡镇(街道)情况")))
    if manual:
        lines = ("以下数字不在台账中,请核实后补入:", *manual)
        parts.append(("待补数字", lines, None))
    sections = tuple(
        Section(numbered(n, heading), lines, table)
        for n, (heading, lines, table) in enumerate(parts)
    )
    return Document(title, dating(summary), sections)


def table_document(title: str, summary: Summary, tables: tuple[Table, ...]) -> Document:
    """A document of tables alone (``summary --format docx``)."""
    sections = tuple(Section(numbered(n, t.caption), (), t) for n, t in enumerate(tables))
    return Document(title, dating(summary), sections)
