"""Writing a 台账: the template, a year's export, the rejects of an import, and one kind as CSV.

Every file is written to a temporary name and renamed (:func:`pufa.output.write_atomic`), streamed
one row at a time, and deterministic: the same records and the same ``now`` give the same bytes
(openpyxl would stamp the wall clock into ``docProps/core.xml`` and every zip entry).

openpyxl (~100 ms to import) is imported inside the functions that write a workbook: a CSV export,
and an import without rejects, never pay for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from pufa import output
from pufa.errors import InvalidInput, Problem
from pufa.event import Event
from pufa.ledger.cells import (
    cell_text,
    cell_value,
    csv_value,
    fields,
    header,
    letter,
    number_form,
    safe_text,
)
from pufa.ledger.instructions import instruction_rows
from pufa.ledger.printing import set_printing, set_widths, text_width, title_cells, widths
from pufa.ledger.sheets import SheetRow
from pufa.model import County, Kind, Measure
from pufa.value import valueclass
from pufa.vocab import HEADERS

#: per kind: the records seen by an export, then each measure's sum (in Measure order)
Totals = dict[Kind, list[int]]
#: the template's first rows have the formats, ready for typing in
_FORMATTED_ROWS = 200
_HEADER_FILL = "DDEBF7"


# -- a deterministic, write-only workbook ------------------------------------------------------------


class _StampedZip(zipfile.ZipFile):
    """A zip being written whose every entry carries one given time, not the wall clock's (which
    ``ZipFile.writestr`` and ``ZipFile.write`` would give it)."""

    def __init__(self, file: BinaryIO, now: dt.datetime) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        # a zip cannot say a time before 1980
        self.date_time = max(now.timetuple()[:6], (1980, 1, 1, 0, 0, 0))

    def _entry(self, name: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, self.date_time)
        info.compress_type = self.compression
        info.external_attr = 0o600 << 16  # what writestr gives an entry named by a string
        return info

    def writestr(self, zinfo_or_arcname: Any, data: Any, *args: Any, **kwargs: Any) -> None:
        if isinstance(zinfo_or_arcname, str):
            zinfo_or_arcname = self._entry(zinfo_or_arcname)
        super().writestr(zinfo_or_arcname, data, *args, **kwargs)

    def write(self, filename: Any, arcname: Any = None, *args: Any, **kwargs: Any) -> None:
        """A file (a write-only sheet's XML) as an entry stamped like the others."""
        info = self._entry(str(arcname if arcname is not None else filename))
        info.file_size = Path(filename).stat().st_size  # so the entry is zip64 when it must be
        with open(filename, "rb") as source, self.open(info, "w") as entry:
            shutil.copyfileobj(source, entry, 2**20)


@contextlib.contextmanager
def _write_only_book() -> Iterator[Any]:
    """A streaming (write-only) openpyxl workbook whose half-written sheets are closed if the save
    fails (a full disk): left to the garbage collector, each would print "Exception ignored … I/O
    operation on closed file" on the user's terminal."""
    from openpyxl import Workbook  # see the module's docstring

    book = Workbook(write_only=True)
    try:
        yield book
    except BaseException:
        for sheet in book.worksheets:
            rows = getattr(sheet, "_rows", None)  # openpyxl's row writer, a suspended generator
            if rows is not None:
                with contextlib.suppress(Exception):
                    rows.close()
        raise


def _save(book: Any, file: BinaryIO, now: dt.datetime) -> None:
    """Save a workbook stamped with ``now`` (created, modified, and every zip entry): what
    ``Workbook.save`` does, but for the clock it reads."""
    from openpyxl.writer.excel import ExcelWriter  # see the module's docstring

    utc = now.astimezone(dt.UTC).replace(tzinfo=None)  # docProps/core.xml is in UTC
    book.properties.created = book.properties.modified = utc
    ExcelWriter(book, _StampedZip(file, utc)).save()


class _Cells:
    """Cells for a write-only sheet: text is always text (``=HYPERLINK(…)`` is shown, never run)
    and control characters are escaped (openpyxl refuses them); counts get their number format."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.cell import WriteOnlyCell  # see the module's docstring

        self.sheet = sheet
        self.make = WriteOnlyCell

    def text(self, value: str) -> Any:
        value = safe_text(value)
        if not value.startswith(("=", "+", "-", "@")):
            return value  # openpyxl writes any other str as a string
        cell = self.make(self.sheet, value=value)
        cell.data_type = "s"  # as the value was set, openpyxl took a leading "=" for a formula
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell

    def value(self, value: Any, form: str | None = None) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if form is None or value is None:
            return value
        cell = self.make(self.sheet, value=value)
        cell.number_format = form
        return cell

    def styled(self, value: Any, **style: Any) -> Any:
        cell = self.make(self.sheet, value=safe_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    def blank(self, form: str) -> Any:
        """An empty cell with a number format (the template's rows to type in)."""
        cell = self.make(self.sheet)
        cell.number_format = form
        return cell


# -- the template and the export -------------------------------------------------------------------


def write_workbook(
    path: Path,
    county: County,
    events: Iterable[Event],
    kinds: Sequence[Kind],
    *,
    now: dt.datetime,
    summary: Callable[[Totals], list[list[Any]]] | None = None,
    instructions: bool = True,
    origin: str = "",
    revisions: bool = False,
    title: str = "",
) -> int:
    """A workbook in the template's layout: 填表说明, one sheet per kind (with drop-downs, date
    formats, widths, a frozen header row), and optionally a 汇总 sheet made from the records' totals.

    ``events`` is read once, streamed into the sheets (an export of a million records keeps one
    row at a time); ``revisions`` adds the 版本 column beside 编号; ``title`` (an export's
    开阳县2023年普法工作台账) goes in a row above each sheet's header. Every sheet prints landscape,
    one page wide, its header repeated on each page (:mod:`pufa.ledger.printing`). The file is written to a
    temporary name and renamed (:func:`pufa.output.write_atomic`). Returns the records written.
    The same records and ``now`` (the file's created and modified time) give the same bytes."""
    if not path.parent.is_dir():
        raise InvalidInput.one("输出 (-o)", str(path), "应为已存在的文件夹中的文件路径")
    layout = _Layout(county, kinds, summary, instructions, origin, revisions, now.year, title)
    written = 0

    def save(temporary: BinaryIO) -> None:
        nonlocal written
        with _write_only_book() as book:
            written = _fill(book, layout, events)
            _save(book, temporary, now)

    output.write_atomic(path, save)
    return written


@valueclass
class _Layout:
    """What a workbook holds besides its records (:func:`write_workbook`'s options)."""

    county: County
    kinds: Sequence[Kind]
    summary: Callable[[Totals], list[list[Any]]] | None
    instructions: bool
    origin: str  #: the store the 编号 refer to, written in 选项!E1
    revisions: bool
    year: int  #: the year the instructions' example dates are in
    title: str  #: the row above each sheet's header (none when empty)


@valueclass
class _KindSheet:
    """A kind's sheet being written: its cells, fields and their number formats."""

    sheet: Any
    cells: _Cells
    fields: list[str]
    forms: list[str | None]


def _fill(book: Any, layout: _Layout, events: Iterable[Event]) -> int:
    """The workbook's sheets in order, the records streamed in; returns the records written."""
    if layout.instructions:
        _instructions_sheet(book, layout.county, layout.year, layout.revisions)
    _choices_sheet(book, layout.county, layout.origin)
    sheets = {kind: _kind_sheet(book, layout, kind) for kind in layout.kinds}
    totals, rows = _write_events(sheets, layout.county, events)
    for kind, sheet in sheets.items():
        for _ in range(rows[kind] + 1, _FORMATTED_ROWS):
            sheet.sheet.append(
                [None if form is None else sheet.cells.blank(form) for form in sheet.forms]
            )
    if layout.summary is not None:
        _summary_sheet(book, layout.summary(totals), layout.title)
    return sum(rows.values())


def _instructions_sheet(book: Any, county: County, year: int, revisions: bool) -> None:
    """填表说明: each column's header, what to write in it, and an example."""
    from openpyxl.styles import Font  # see the module's docstring

    first = book.create_sheet("填表说明")
    first.column_dimensions["A"].width = 14
    first.column_dimensions["B"].width = 70
    first.column_dimensions["C"].width = 24
    cells = _Cells(first)
    first.append([cells.styled(h, font=Font(bold=True)) for h in ("列名", "说明", "示例")])
    for field, explanation, example in instruction_rows(county, year):
        if field == "revision" and not revisions:
            continue
        first.append([header(field), explanation, example])


#: the hidden 选项 sheet's columns, which the drop-downs refer to
_STATUSES = ["计划", "已开展", "已取消"]
_MODES = ["线下定向", "线上"]


def _choices_sheet(book: Any, county: County, origin: str) -> None:
    """选项, hidden: the drop-down lists (townships, departments, statuses, modes), and in E1 the
    store the 编号 refer to."""
    lists = book.create_sheet("选项")
    lists.sheet_state = "hidden"
    townships, departments = (
        [t.name for t in county.townships],
        [d.name for d in county.departments],
    )
    columns = (townships, departments, _STATUSES, _MODES)
    cells = _Cells(lists)
    for row in range(max(len(c) for c in columns)):
        line: list[Any] = [c[row] if row < len(c) else None for c in columns]
        if row == 0:
            line.append(cells.text(origin) if origin else None)  # E1: the 编号's store
        lists.append([cells.text(v) if isinstance(v, str) else v for v in line])


def _choices(county: County, kind: Kind, field: str) -> str | None:
    """The drop-down list of a field's column, as a data validation formula, if it has one."""
    if field == "township":
        return f"选项!$A$1:$A${len(county.townships)}"
    if field == "dept":
        return f"选项!$B$1:$B${len(county.departments)}"
    if field == "status":
        return f"选项!$C$1:$C${len(_STATUSES)}"
    if field == "mode":
        return f"选项!$D$1:$D${len(_MODES)}"
    if field == "venue":
        return '"' + ",".join(v.name for v in county.venues_for(kind)) + '"'
    return None


def _width(field: str) -> int:
    if field == "title":
        return 30
    return 14 if field in ("date", "end", "township", "dept") else 11


def _kind_sheet(book: Any, layout: _Layout, kind: Kind) -> _KindSheet:
    """A kind's sheet with its title row (if any) and header row: column widths (wide enough for
    the header's Chinese), drop-downs, the header frozen and repeated on each printed page."""
    from openpyxl.styles import Alignment, Font, PatternFill  # see the module's docstring
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(kind.label)
    names = fields(kind, layout.revisions)
    first = 3 if layout.title else 2  #: the first data row
    set_widths(sheet, [max(_width(f), text_width(header(f)) + 2) for f in names])
    for n, field in enumerate(names):
        choices = _choices(layout.county, kind, field)
        if choices:
            validation = DataValidation(type="list", formula1=choices, allow_blank=True)
            validation.error = "请从下拉列表中选择"
            validation.add(f"{letter(n)}{first}:{letter(n)}5000")
            sheet.data_validations.append(validation)
    set_printing(sheet, header_row=first - 1, columns=len(names))
    if layout.title:
        sheet.append(title_cells(sheet, layout.title, len(names)))
    cells = _Cells(sheet)
    style = {
        "font": Font(bold=True),
        "fill": PatternFill("solid", fgColor=_HEADER_FILL),
        "alignment": Alignment(horizontal="center"),
    }
    sheet.append([cells.styled(header(f), **style) for f in names])
    return _KindSheet(sheet, cells, names, [number_form(f) for f in names])


def _write_events(
    sheets: dict[Kind, _KindSheet], county: County, events: Iterable[Event]
) -> tuple[Totals, dict[Kind, int]]:
    """Each record as a row of its kind's sheet; every record (of any kind) counted in the
    totals. Returns the totals and the rows written per kind."""
    totals: Totals = {}
    rows = dict.fromkeys(sheets, 0)
    measures = list(Measure)
    for event in events:
        tally = totals.setdefault(event.kind, [0] * (len(measures) + 1))
        tally[0] += 1
        for n, measure in enumerate(measures, start=1):
            tally[n] += event.measures.get(measure) or 0
        if event.kind not in sheets:
            continue
        sheet = sheets[event.kind]
        cells = sheet.cells
        sheet.sheet.append(
            [
                cells.value(cell_value(county, event, f), form)
                for f, form in zip(sheet.fields, sheet.forms, strict=True)
            ]
        )
        rows[event.kind] += 1
    return totals, rows


def _summary_sheet(book: Any, lines: list[list[Any]], title: str) -> None:
    """汇总: the lines a summary gave, the first as the header (numbers stay numbers), under the
    title row if there is one."""
    from openpyxl.styles import Font, PatternFill  # see the module's docstring

    sheet = book.create_sheet("汇总")
    set_widths(sheet, widths(lines[0], lines[1:]))
    set_printing(sheet, header_row=2 if title else 1, columns=len(lines[0]))
    if title:
        sheet.append(title_cells(sheet, f"{title}汇总", len(lines[0])))
    cells = _Cells(sheet)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor=_HEADER_FILL)
    for n, line in enumerate(lines):
        if n == 0:
            sheet.append([cells.styled(v, font=bold, fill=fill) for v in line])
        else:
            sheet.append([cells.value(v) for v in line])


# -- rejects and CSV -----------------------------------------------------------------------------------


def save_rejects(
    file: BinaryIO,
    rejected: Sequence[tuple[SheetRow, tuple[Problem, ...]]],
    now: dt.datetime,
) -> None:
    """The rejected rows, as they were, with a 原因 column: for the township to fix and resend."""
    with _write_only_book() as book:
        sheet = book.create_sheet("未导入")
        cells = _Cells(sheet)
        order = list(HEADERS)
        names = sorted({f for row, _ in rejected for f in row.cells}, key=order.index)
        sheet.append([cells.text(v) for v in ("表", "行", *(header(f) for f in names), "原因")])
        for row, problems in rejected:
            sheet.append(
                [
                    cells.text(row.sheet),
                    row.number,
                    *(cells.text(cell_text(row.cells.get(f))) for f in names),
                    cells.text(";".join(str(p) for p in problems)),
                ]
            )
        _save(book, file, now)


def write_csv(
    path: Path, county: County, events: Iterable[Event], kind: Kind, *, revisions: bool = True
) -> int:
    """One kind's records as CSV, UTF-8 with BOM (Excel on Chinese Windows opens it correctly);
    formula-like text quoted (:func:`pufa.ledger.cells.quote_csv`). Written whole or not at all;
    returns the rows."""
    names = fields(kind, revisions)
    written = 0

    def rows() -> Iterator[list[Any]]:
        nonlocal written
        yield [header(f) for f in names]
        for event in events:
            if event.kind is kind:
                written += 1
                yield [csv_value(cell_value(county, event, f)) for f in names]

    def save(temporary: BinaryIO) -> None:
        for chunk in output.csv_bytes(rows()):  # a batch of lines at a time, not the whole file
            temporary.write(chunk)

    output.write_atomic(path, save)
    return written
