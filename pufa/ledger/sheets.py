"""Reading a 台账: a workbook's (or a CSV's) sheets as rows of raw cells by field, within the limits.

Every limit is checked before the thing it bounds is read: the parts of an .xlsx zip before
openpyxl parses any, a CSV's size before it is decoded, the rows over all sheets one at a time.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from pufa import amounts, names, text
from pufa.errors import InvalidInput, Problem
from pufa.ledger.cells import (
    LOOKUP,
    TOTALS,
    cell_text,
    filled,
    header,
    header_text,
    letter,
    unquote_csv,
)
from pufa.model import Kind
from pufa.value import valueclass

#: what one import reads at most (docs/ledger.md, "大小限制"): data rows over all sheets, columns,
#: characters in a cell, and the parts of the .xlsx zip (checked before openpyxl parses anything)
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL = 2_000
MAX_CSV_BYTES = 100 * 2**20
MAX_SHEET_PART = 256 * 2**20  #: a worksheet's XML, uncompressed
MAX_STRINGS_PART = 32 * 2**20  #: the shared strings (openpyxl holds them all in memory)
MAX_RATIO = 100  #: uncompressed / compressed, for any part over 1 MiB
MAX_PARTS = 2_000

#: sheets of the template that are not activity kinds (not reported as skipped)
_OWN_SHEETS = ("填表说明", "选项", "汇总")


@valueclass
class SheetRow:
    """One data row of a sheet: where it is, the raw cells by field, and the warnings on it."""

    sheet: str
    number: int  #: the spreadsheet's own row number (1-based), for messages
    kind: Kind
    cells: dict[str, Any]
    columns: dict[str, str]  #: field → column letter, for messages
    problems: tuple[
        Problem, ...
    ] = ()  #: found while reading (an over-long cell): the row is rejected


@valueclass
class Sheet:
    """A sheet's data rows, and its 合计 row if it has one."""

    name: str
    kind: Kind
    rows: tuple[SheetRow, ...]
    total: dict[str, Any] | None
    total_row: int | None
    origin: str = ""  #: the store an export came from: its 编号 column refers to that store
    notes: tuple[str, ...] = ()  #: what was left out (unknown columns, skipped sheets)


def _kind_of(sheet: str, default: Kind | None) -> Kind | None:
    try:
        return names.kind(sheet)
    except InvalidInput:
        return default


class _Budget:
    """The rows an import may still read (:data:`MAX_ROWS` over all its sheets)."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.left = MAX_ROWS

    def take(self, sheet: str, number: int) -> None:
        self.left -= 1
        if self.left < 0:
            raise InvalidInput.one(
                "文件",
                str(self.source),
                f"一次最多导入 {MAX_ROWS:,} 行数据(读到 {sheet} 第{number}行时已超过)",
                "请把台账分成几个文件分别导入",
            )


def _too_wide(name: str, number: int) -> InvalidInput:
    return InvalidInput.one(
        f"{name} 第{number}行",
        f"第 {letter(MAX_COLUMNS)} 列有内容",
        f"台账最多 {MAX_COLUMNS} 列",
        "请删去多余的列后再导入",
    )


@valueclass
class _Header:
    """A sheet's header row: which column holds which field, and the columns not understood."""

    fields: list[tuple[int, str]]  #: column index → field
    letters: dict[str, str]  #: field → column letter, the same for every row
    note: str | None


def _header(name: str, number: int, cells: Sequence[Any]) -> _Header | None:
    """The header if this row is one: it names the date, and the title or the township."""
    found = {i: LOOKUP[h] for i, c in enumerate(cells) if (h := header_text(c)) in LOOKUP}
    if "date" not in found.values() or not (
        "title" in found.values() or "township" in found.values()
    ):
        return None
    unknown = [
        str(text.clip(text.visible(cell_text(c))))
        for i, c in enumerate(cells)
        if filled(c) and i not in found
    ]
    note = f"{name} 第{number}行:不认识的列,未导入:{'、'.join(unknown)}" if unknown else None
    return _Header(list(found.items()), {field: letter(i) for i, field in found.items()}, note)


def _sheet_rows(
    name: str, values: Iterator[Sequence[Any]], kind: Kind, budget: _Budget | None = None
) -> Sheet:
    """Find the header row (skipping title rows and merged header cells), then the data rows.

    Rows are taken one at a time: a sheet over the row limit is refused as soon as it is passed,
    a cell beyond :data:`MAX_COLUMNS` is refused, an over-long cell rejects its row (clipped)."""
    found: _Header | None = None
    rows: list[SheetRow] = []
    total: dict[str, Any] | None = None
    total_row = None
    budget = budget or _Budget(Path(name))
    for number, raw in enumerate(values, start=1):
        cells = raw if isinstance(raw, tuple) else tuple(raw)
        if len(cells) > MAX_COLUMNS and any(filled(c) for c in cells[MAX_COLUMNS:]):
            raise _too_wide(name, number)
        if found is None:
            found = _header(name, number, cells)
            continue
        if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            continue  # a blank row (empty, or only spaces)
        budget.take(name, number)
        width = len(cells)
        data = {field: cells[i] if i < width else None for i, field in found.fields}
        if any(isinstance(c, str) and c.replace(" ", "") in TOTALS for c in cells[:3]):
            total, total_row = data, number
            continue
        long = any(isinstance(c, str) and len(c) > MAX_CELL for c in cells)
        problems = _long_cells(data, name, number, found.letters) if long else ()
        rows.append(SheetRow(name, number, kind, data, found.letters, problems))
    if found is None:
        raise InvalidInput([Problem(f"{name} 表头", "", "含“日期”和“活动名称”(或“乡镇”)的表头行")])
    notes = (found.note,) if found.note else ()
    return Sheet(name, kind, tuple(rows), total, total_row, notes=notes)


def _long_cells(
    data: dict[str, Any], name: str, number: int, letters: dict[str, str]
) -> tuple[Problem, ...]:
    """A problem for each cell over :data:`MAX_CELL` characters, which is clipped in ``data``."""
    problems = []
    for field, cell in data.items():
        if isinstance(cell, str) and len(cell) > MAX_CELL:
            problems.append(
                Problem(
                    f"{name} 第{number}行 {letters[field]}列({header(field)})",
                    text.clip(cell),
                    f"应不超过 {MAX_CELL:,} 字",
                    "请删减这一格的内容",
                )
            )
            data[field] = cell[:MAX_CELL]
    return tuple(problems)


def read(path: Path, *, sheet: str | None = None, kind: Kind | None = None) -> list[Sheet]:
    """Every sheet of a workbook (or the CSV) that names an activity kind, as rows by field."""
    if not path.is_file():
        raise InvalidInput.one("文件", str(path), "应为存在的 .xlsx 或 .csv 台账文件")
    if path.suffix.lower() == ".csv":
        return [_read_csv(path, kind)]
    _refuse_old_excel(path)
    _check_zip(path)
    # openpyxl (~100 ms to import) is loaded only for a workbook: a CSV never pays for it
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput.one(
            "文件", str(path), "可读取的 .xlsx 工作簿", str(text.clip(str(exc), 200))
        ) from None
    try:
        return _read_book(book, _Budget(path), sheet, kind)
    finally:
        book.close()


def _read_csv(path: Path, kind: Kind | None) -> Sheet:
    """A CSV's one sheet, of ``kind`` or the kind its file name names."""
    chosen = kind or _kind_of(path.stem, None)
    if chosen is None:
        raise InvalidInput.one(
            "类型 (--kind)", path.stem, "CSV 台账须用 --kind 说明活动类型(或以类型命名文件)"
        )
    return _sheet_rows(path.stem, _csv_rows(path), chosen, _Budget(path))


def _read_book(book: Any, budget: _Budget, sheet: str | None, kind: Kind | None) -> list[Sheet]:
    """The sheets of an open workbook named for a kind (or ``sheet``, of ``kind``)."""
    origin = cell_text(book["选项"]["E1"].value) if "选项" in book.sheetnames else ""
    sheets = []
    skipped = []
    for name in book.sheetnames:
        if sheet is not None and name != sheet:
            continue
        chosen = _kind_of(name, None) or (kind if sheet is not None else None)
        if chosen is None:
            if name not in _OWN_SHEETS:
                skipped.append(name)
            continue
        worksheet = book[name]
        worksheet.reset_dimensions()  # a claimed A1:XFD1048576 then costs nothing
        values = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        sheets.append(attrs.evolve(_sheet_rows(name, values, chosen, budget), origin=origin))
    if not sheets:
        raise _nothing_to_read(book.sheetnames, sheet)
    if skipped:
        note = f"跳过了表名不是活动类型的工作表:{'、'.join(skipped)}"
        sheets[0] = attrs.evolve(sheets[0], notes=(*sheets[0].notes, note))
    return sheets


def _nothing_to_read(sheetnames: list[str], sheet: str | None) -> InvalidInput:
    """Why a workbook had no sheet to import: the named sheet is missing or of no kind, or no
    sheet is named for a kind."""
    if sheet is not None and sheet in sheetnames:
        return InvalidInput.one(
            "类型 (--kind)", sheet, "表名不是活动类型时,用 --kind 说明这张表的活动类型"
        )
    if sheet is not None:
        return InvalidInput.one(
            "工作表 (--sheet)", sheet, f"工作簿中的表之一:{'、'.join(sheetnames)}"
        )
    return InvalidInput.one(
        "工作表",
        "、".join(sheetnames),
        "以活动类型命名的表(如“法律七进”),或用 --sheet 和 --kind 指定",
    )


#: how an Excel 97-2003 workbook (.xls, an OLE compound file) begins
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse_old_excel(path: Path) -> None:
    """Refuse an Excel 97-2003 workbook (by its name or its first bytes) with what to do instead."""
    with path.open("rb") as file:
        old = file.read(len(OLE_MAGIC)) == OLE_MAGIC
    if old or path.suffix.lower() == ".xls":
        raise InvalidInput.one(
            "文件",
            str(path),
            "Excel 2007 及以后的 .xlsx 工作簿,或 .csv 文件",
            "这是旧版 Excel 97-2003 工作簿(.xls),pufa 读不了:请用 Excel 或 WPS 打开它,"
            "“另存为” Excel 工作簿(.xlsx)后再导入",
        )


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would expand beyond reason, before openpyxl reads a byte of
    them (the sizes a zip declares bound what Python will decompress)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except zipfile.BadZipFile:
        raise InvalidInput.one(
            "文件",
            str(path),
            "可读取的 .xlsx 工作簿",
            "文件不是 .xlsx 格式:可能已损坏,或只是改了扩展名",
        ) from None
    except (OSError, ValueError):
        return  # unreadable: openpyxl reports it
    if len(parts) > MAX_PARTS:
        raise InvalidInput.one(
            "文件",
            str(path),
            f"普通的 .xlsx 工作簿(其中有 {len(parts):,} 个部件,超过 {MAX_PARTS:,})",
        )
    for part in parts:
        limit = MAX_STRINGS_PART if part.filename.endswith("sharedStrings.xml") else MAX_SHEET_PART
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > limit or (part.file_size > 2**20 and ratio > MAX_RATIO):
            raise InvalidInput.one(
                "文件",
                str(path),
                f"普通大小的 .xlsx 工作簿:其中 {text.clip(part.filename)} 解压后有 "
                f"{amounts.mib(part.file_size)}(压缩比 {ratio:,.0f}:1),"
                f"超过限制({limit // 2**20} MiB、{MAX_RATIO}:1)",
                "请检查文件来源;台账太大时请分成几个文件导入",
            )


def _csv_rows(path: Path) -> Iterator[list[str]]:
    """A CSV's rows: UTF-8, GB18030 or UTF-16 (Excel's “Unicode 文本”: tab-separated, with a BOM);
    the quote the exporter put before formula-like text removed. A field longer than csv's default
    limit is read (and its row rejected by :func:`_sheet_rows`), never a csv.Error."""
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise InvalidInput.one(
            "文件",
            str(path),
            f"不超过 {MAX_CSV_BYTES // 2**20} MiB 的 CSV(这份有 {amounts.mib(size)})",
            "请把台账分成几个文件分别导入",
        )
    content = _decode(path.read_bytes())
    first = content.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    limit = csv.field_size_limit()
    csv.field_size_limit(
        MAX_CSV_BYTES
    )  # the file's size bounds a field; MAX_CELL is checked per row
    try:
        for row in csv.reader(io.StringIO(content), delimiter=delimiter):
            yield [unquote_csv(cell) for cell in row]
    finally:
        csv.field_size_limit(limit)


def _decode(data: bytes) -> str:
    """UTF-16 with a BOM (Excel's “Unicode 文本”), UTF-8 (with or without BOM), else GB18030
    (what Excel on Chinese Windows writes)."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("gb18030")
    except UnicodeDecodeError:
        raise InvalidInput.one(
            "文件编码",
            None,
            "UTF-8、GB18030 或 UTF-16 编码的 CSV",
            "请在 Excel 中另存为“CSV UTF-8”",
        ) from None
