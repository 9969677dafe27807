"""One plain sheet (a header row, then rows of text), both ways: the roster export and import; and
printable sheets of typed cells (``pufa summary --format xlsx``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pufa import output
from pufa.errors import InvalidInput
from pufa.ledger.cells import cell_text
from pufa.ledger.printing import set_printing, set_widths, title_cells, widths
from pufa.ledger.sheets import MAX_ROWS, _check_zip
from pufa.ledger.workbook import _Cells, _save, _write_only_book


def write_table(
    path: Path, title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], now: dt.datetime
) -> int:
    """``rows`` under ``headers`` on one sheet named ``title``, written whole or not at all (text
    stays text, formula-like cells included); the same rows and ``now`` give the same bytes."""

    def save(temporary: BinaryIO) -> None:
        with _write_only_book() as book:
            sheet = book.create_sheet(title)
            cells = _Cells(sheet)
            sheet.append([cells.text(h) for h in headers])
            for row in rows:
                sheet.append([cells.text(value) for value in row])
            _save(book, temporary, now)

    output.write_atomic(path, save)
    return len(rows)


#: a printable sheet: its name, its title row, its headers, and rows of text, numbers or None
Printable = tuple[str, str, Sequence[str], Sequence[Sequence[Any]]]


def write_printable(path: Path, sheets: Sequence[Printable], now: dt.datetime) -> None:
    """Each of ``sheets`` under its title row and header, laid out for printing
    (:mod:`pufa.ledger.printing`); numbers stay numbers, text stays text; written whole or not at
    all, the same sheets and ``now`` giving the same bytes."""
    from openpyxl.styles import Font  # see pufa.ledger.workbook's docstring

    def save(temporary: BinaryIO) -> None:
        with _write_only_book() as book:
            for name, title, headers, rows in sheets:
                sheet = book.create_sheet(name)
                set_widths(sheet, widths(headers, rows))
                set_printing(sheet, header_row=2, columns=len(headers))
                cells = _Cells(sheet)
                sheet.append(title_cells(sheet, title, len(headers)))
                sheet.append([cells.styled(h, font=Font(bold=True)) for h in headers])
                for row in rows:
                    sheet.append([cells.value(value) for value in row])
            _save(book, temporary, now)

    output.write_atomic(path, save)


def read_table(path: Path) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """The first sheet of a workbook as (its name, [(row number, header → cell text)]): the
    header row first, blank rows skipped, within the ledger's size limits."""
    if not path.is_file() or path.suffix.lower() != ".xlsx":
        raise InvalidInput.one(
            "文件", str(path), "应为存在的 .xlsx 名册文件", "可先用 pufa people template 生成模板"
        )
    _check_zip(path)
    from openpyxl import load_workbook  # ~100 ms: only when a workbook is read

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput.one(
            "文件", str(path), "应为可读取的 .xlsx 工作簿", type(exc).__name__
        ) from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 1)
        headers = [cell_text(v).strip() for v in next(rows, ())]
        found = []
        for number, values in enumerate(rows, 2):
            texts = [cell_text(v).strip() for v in values]
            if any(texts):
                found.append((number, dict(zip(headers, texts, strict=False))))
        return str(sheet.title), found
    finally:
        book.close()
