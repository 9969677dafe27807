"""The Excel 台账: the template, importing township workbooks (or CSV), exporting a year.

Workbook ↔ model conversion at the edge, in four parts: :mod:`~pufa.ledger.sheets` reads a file
into sheets of raw rows (within the size limits), :mod:`~pufa.ledger.cells` converts one cell
either way, :mod:`~pufa.ledger.importing` checks every row as ``pufa log`` does and plans (then
applies) an import, :mod:`~pufa.ledger.workbook` writes the template, an export, the rejects and
CSV. Problems come back as data naming the sheet, row, column, value, expectation and nearest
valid choice.
"""

from pufa.ledger.cells import columns, header, quote_csv, unquote_csv
from pufa.ledger.importing import ImportPlan, Parsed, apply, check, parse, plan_import, source_key
from pufa.ledger.preview import Preview, RowChange, RowRejected, preview, summarise
from pufa.ledger.sheets import MAX_ROWS, Sheet, SheetRow, read
from pufa.ledger.workbook import Totals, write_csv, write_workbook

__all__ = [
    "MAX_ROWS",
    "ImportPlan",
    "Parsed",
    "Preview",
    "RowChange",
    "RowRejected",
    "Sheet",
    "SheetRow",
    "Totals",
    "apply",
    "check",
    "columns",
    "header",
    "parse",
    "plan_import",
    "preview",
    "quote_csv",
    "read",
    "source_key",
    "summarise",
    "unquote_csv",
    "write_csv",
    "write_workbook",
]
