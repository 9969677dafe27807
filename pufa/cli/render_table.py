"""The one table of every read command, and prose folded to the screen; rich, like ``render``."""

from __future__ import annotations

import os
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from pufa.cli import layout
from pufa.cli.layout import Column


def console() -> Console:
    """The screen; piped, plain text (no colour) laid out for ``COLUMNS`` or 80 columns. No
    highlighting and no markup: titles, names and hints show as typed ("[[targets]]", "[red]")."""
    out = Console(highlight=False, markup=False)
    if out.is_terminal:
        return out
    columns = os.environ.get("COLUMNS", "")
    return Console(highlight=False, markup=False, width=int(columns) if columns.isdigit() else 80)


Cell = str | Text | ProgressBar | None


def _plain(cell: Cell) -> str:
    if isinstance(cell, ProgressBar):
        return "━" * (cell.width or 10)
    return layout.shown(cell.plain if isinstance(cell, Text) else cell)


def say(out: Console, text: str, style: str = "") -> None:
    """A line of prose folded to the screen by 避头尾, numbers and dates whole."""
    for line in layout.fold(text, out.width):
        out.print(Text(line, style=style), no_wrap=True, crop=False)


def show_table(
    out: Console,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    caption: str = "",
    *,
    lines: bool = False,
) -> None:
    """Every table: whole values, folded names, stacked blocks where the width is too small."""
    plain = [[_plain(c) for c in row] for row in rows]
    chosen = layout.choose(columns, plain, out.width)
    if title:
        say(out, title, "bold")
    if chosen is None:
        for line in layout.stacked(columns, plain, out.width):
            out.print(Text(line), no_wrap=True, crop=False)
    else:
        out.print(_grid(columns, rows, plain, *chosen, lines=lines))
    if caption:
        say(out, caption, "dim")


def _grid(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    plain: Sequence[Sequence[str]],
    keep: Sequence[int],
    widths: Sequence[int],
    *,
    lines: bool,
) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_lines=lines, padding=(0, 1, 0, 0))
    for n, width in zip(keep, widths, strict=True):
        column = columns[n]
        table.add_column(
            Text("\n".join(layout.heading(column.header, width))),
            justify="right" if column.right else "left",
            width=width,
            no_wrap=True,
        )
    for row, texts in zip(rows, plain, strict=True):
        table.add_row(
            *(_folded(row[n], texts[n], columns[n], w) for n, w in zip(keep, widths, strict=True))
        )
    return table


def _folded(cell: Cell, text: str, column: Column, width: int) -> Text | ProgressBar:
    if isinstance(cell, ProgressBar):
        return cell
    style = cell.style if isinstance(cell, Text) else ""
    return Text("\n".join(layout.fold(text, width, column.fit)), style=style)


def say_field(out: Console, line: str, style: str = "") -> None:
    """An indented “标签:值” line, the value folded under itself."""
    label, _, value = line.partition(":")
    for part in layout.labelled(label, value, out.width):
        out.print(Text(part, style=style), no_wrap=True, crop=False)
