"""Sheets laid out for printing: a title row, CJK-aware column widths, the header repeated on each
page, landscape A4 fitted to the page's width, frozen panes below the header.

openpyxl is imported inside the functions (see :mod:`pufa.ledger.workbook`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

#: a column is never narrower or wider than this (in Excel's width units)
MIN_WIDTH = 6
MAX_WIDTH = 60
TITLE_SIZE = 16


def text_width(value: object) -> int:
    """How wide ``value`` prints in Excel's units: a CJK (wide) character counts 2, others 1."""
    if value is None:
        return 0
    text = value if isinstance(value, str) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def widths(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[int]:
    """Each column's width: its widest cell (header included) and a margin, within the limits."""
    found = [text_width(h) for h in headers]
    for row in rows:
        for n, value in enumerate(row[: len(found)]):
            found[n] = max(found[n], text_width(value))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in found]


def set_widths(sheet: Any, columns: Sequence[int]) -> None:
    """Set the columns' widths (before any row is written: a write-only sheet needs them first)."""
    from openpyxl.utils import get_column_letter

    for n, width in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(n)].width = width


def set_printing(sheet: Any, *, header_row: int, columns: int) -> None:
    """Print the sheet landscape on A4, fitted to one page wide, the header row (and the title,
    when ``header_row`` is 2) repeated on each page; freeze the panes below the header."""
    from openpyxl.utils import get_column_letter

    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = 9  # A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0  # as many pages down as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.freeze_panes = f"A{header_row + 1}"
    if header_row > 1 and columns > 1:
        sheet.merged_cells.add(f"A1:{get_column_letter(columns)}1")


def title_cells(sheet: Any, title: str, columns: int) -> list[Any]:
    """The title row: the title, bold and centred over ``columns`` (merged by
    :func:`set_printing`)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    first = WriteOnlyCell(sheet, value=title)
    first.data_type = "s"
    first.font = Font(bold=True, size=TITLE_SIZE)
    first.alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = TITLE_SIZE * 2
    return [first, *(None for _ in range(columns - 1))]
