"""Table layout that never lies at any width: column widths, folding by 避头尾, stacked blocks.

Pure text (no rich): ``render`` styles what this module lays out. Three kinds of column:
``keep`` (numbers, dates, ids, statuses: never broken), ``words`` (space-separated figures such
as “参与320人次 资料600份”: broken only at spaces) and ``fold`` (names and titles: broken between
characters, never leaving closing punctuation at the start of a line nor opening at the end).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Literal

from pufa.value import valueclass

Fit = Literal["keep", "words", "fold"]

#: 避头:never at the start of a line
NO_START = frozenset(")]}>,.;:!?%、,。;:!?)》」』】〕〉”’…·~—")
#: 避尾:never at the end of a line
NO_END = frozenset("([{<(《「『【〔〈“‘")
#: name columns keep at least this many cells (six Chinese characters) before tables stack
MIN_FOLD = 12
#: a header may fold down to this many cells over a narrower column
MIN_HEADER = 4
#: cells between two columns
GAP = 2
#: what a missing value shows as
MISSING = "—"

_ATOM = re.compile(r"[0-9A-Za-z_.\-+%/:#@]+|.", re.DOTALL)
#: words break at spaces and after “~” (``2023-01-04~2023-01-06``)
_WORD = re.compile(r"[^\s~]+~?\s*|~\s*")
_FIGURE = re.compile(r"[0-9]")


@valueclass
class Column:
    """A column: its header, how it may break, and its alignment."""

    header: str
    fit: Fit = "fold"
    right: bool = False
    #: decoration (a progress bar) that is left out before the table stacks
    optional: bool = False


def cells(text: str) -> int:
    """Terminal cells ``text`` takes: wide (CJK) characters two, combining marks none."""
    total = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in "WF" else 1
    return total


def shown(value: object) -> str:
    """A cell's text: ``None`` never reaches the screen."""
    return MISSING if value is None else str(value)


def _atoms(line: str, fit: Fit) -> list[str]:
    """The pieces a line may break between: words for ``words``, else digit/latin runs and chars."""
    if fit == "words":
        return _WORD.findall(line)
    return _ATOM.findall(line)


def _split_long(atom: str, width: int) -> list[str]:
    """A run too long for the width: broken after each “/” (paths), then between characters."""
    parts = re.findall(r"[^/]*/|[^/]+", atom)
    if len(parts) > 1:
        return [p for part in parts for p in _split_long(part, width)]
    pieces, piece = [], ""
    for char in atom:
        if piece and cells(piece + char) > width:
            pieces.append(piece)
            piece = ""
        piece += char
    return [*pieces, piece] if piece else pieces


def fold(text: str, width: int, fit: Fit = "fold") -> list[str]:
    """``text`` in lines of at most ``width`` cells (``keep``: as is), by 避头尾."""
    if fit == "keep":
        return text.split("\n")
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(_fold_line(line, max(width, 2), fit))
    return out


def _fold_line(line: str, width: int, fit: Fit) -> list[str]:
    atoms: list[str] = []
    for atom in _atoms(line, fit):
        atoms.extend(_split_long(atom, width) if cells(atom.rstrip()) > width else [atom])
    lines: list[list[str]] = [[]]
    for atom in atoms:
        current = lines[-1]
        if current and cells("".join(current) + atom.rstrip()) > width:
            carried = _carry(current, atom)
            lines.append(carried)
        lines[-1].append(atom)
    return ["".join(parts).rstrip() for parts in lines] or [""]


def _carry(current: list[str], atom: str) -> list[str]:
    """Atoms to move from the full line to the next: one before a 避头 piece, an 避尾 piece."""
    carried: list[str] = []
    while len(current) > 1 and (carried[0] if carried else atom)[:1] in NO_START:
        carried.insert(0, current.pop())
    while len(current) > 1 and current[-1].rstrip()[-1:] in NO_END:
        carried.insert(0, current.pop())
    return carried


def heading(header: str, width: int) -> list[str]:
    """A header over a narrower column, folded into lines of even length (年末/预计, not 年末预/计)."""
    lines = fold(header, width)
    if len(lines) > 1:
        even = -(-cells(header) // len(lines))
        lines = fold(header, even + even % 2) if even + even % 2 <= width else lines
    return lines


def natural(column: Column, values: Sequence[str]) -> int:
    """The width a column would take with nothing folded."""
    lines = [line for v in (column.header, *values) for line in v.split("\n")]
    return max((cells(line) for line in lines), default=0)


def narrowest(column: Column, values: Sequence[str]) -> int:
    """The narrowest a column may get: whole values, whole words, or a few characters of a name."""
    lines = [line for v in values for line in v.split("\n")]
    if column.fit == "keep":
        least = max((cells(line) for line in lines), default=0)
    elif column.fit == "words":
        least = max((cells(w.rstrip()) for line in lines for w in _WORD.findall(line)), default=0)
    else:
        figures = (cells(a) for line in lines for a in _ATOM.findall(line) if _FIGURE.search(a))
        least = max(min(natural(column, values), MIN_FOLD), *figures, 0)
    header = min(cells(column.header), MIN_HEADER)
    return max(least, header, 1)


def widths(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], room: int, gap: int = GAP
) -> list[int] | None:
    """Each column's width within ``room`` cells (``gap`` between columns, one at each edge);
    ``None`` when the table cannot fit without breaking a value or crushing a name."""
    values = [[row[n] for row in rows] for n in range(len(columns))]
    least = [narrowest(c, v) for c, v in zip(columns, values, strict=True)]
    most = [max(natural(c, v), w) for c, v, w in zip(columns, values, least, strict=True)]
    spare = room - 2 - gap * (len(columns) - 1) - sum(least)
    if spare < 0:
        return None
    chosen = list(least)
    while spare > 0:
        short = [n for n in range(len(columns)) if chosen[n] < most[n]]
        if not short:
            break
        n = min(short, key=lambda n: (most[n] - chosen[n], n))  # whole short names first
        chosen[n] += 1
        spare -= 1
    return chosen


def choose(
    columns: Sequence[Column], rows: Sequence[Sequence[str]], room: int
) -> tuple[list[int], list[int]] | None:
    """The columns shown and their widths, or ``None``; optional columns (a progress bar) only
    where every other column keeps its natural width."""
    essential = [n for n, c in enumerate(columns) if not c.optional]
    for keep in (list(range(len(columns))), essential):
        chosen = widths([columns[n] for n in keep], [[row[n] for n in keep] for row in rows], room)
        roomy = chosen is not None and all(
            w >= natural(columns[n], [row[n] for row in rows])
            for n, w in zip(keep, chosen, strict=True)
        )
        if chosen is not None and (roomy or keep == essential):
            return keep, chosen
    return None


def stacked(columns: Sequence[Column], rows: Sequence[Sequence[str]], room: int) -> list[str]:
    """One block per row, “标签:值” lines, long values folded under their label."""
    out: list[str] = []
    for row in rows:
        if out:
            out.append("")
        for column, value in zip(columns, row, strict=True):
            if not value or not column.header:
                continue
            out.extend(labelled(column.header, value, room, column.fit))
    return out


def labelled(label: str, value: str, room: int, fit: Fit = "fold") -> list[str]:
    """``label:value`` folded to ``room`` cells, continuation lines under the value."""
    head = f"{label}:"
    indent = cells(head)
    lines = fold(value, max(room - indent, MIN_FOLD // 2), fit)
    return [head + lines[0], *(" " * indent + line for line in lines[1:])]
