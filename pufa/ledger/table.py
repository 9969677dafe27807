"""One plain sheet (a header row, then rows of text) written atomically: the roster export."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from pufa import output
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
