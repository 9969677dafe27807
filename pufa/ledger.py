"""The Excel 台账: the template, importing township workbooks (or CSV), exporting a year.

Workbook ↔ model conversion at the edge. openpyxl is imported only here, only when used. Every row
goes through the same validation as ``pufa log`` (:func:`pufa.intake.build`); problems come back as
data naming the sheet, row, column, value, expectation and nearest valid choice.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import attrs

from pufa import output, text, vocab
from pufa.errors import InvalidInput, Problem, SheetAt
from pufa.intake import Entry, build, notices
from pufa.model import DETAIL_FIELDS, SPECS, County, Event, Kind, Measure, Stamp
from pufa.store import Store, stale_text
from pufa.value import Value
from pufa.vocab import HEADERS

_LOOKUP = {name: field for field, names in HEADERS.items() for name in names}
COUNTS = {m.value for m in Measure}
_COUNT = re.compile(
    r"^\s*(约|近|超过|逾)?\s*(\d+(?:\.\d+)?)\s*(万)?\s*(余)?\s*(人次|人|名|份|场次|场|条|幅|次|个)?\s*$"
)
_TOTALS = ("合计", "总计", "小计")

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
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")


def columns(kind: Kind) -> list[str]:
    """The template's fields for a kind, in order (the first header name of each)."""
    spec = SPECS[kind]
    return [
        "date",
        "end",
        "township",
        "dept",
        "title",
        *spec.fields,
        *(m.value for m in spec.measures),
        "status",
        "note",
    ]


def header(field: str) -> str:
    return HEADERS[field][0]


# -- reading ---------------------------------------------------------------------------------------


@attrs.frozen(eq=False, repr=False)
class Row(Value):
    """One data row of a sheet: where it is, the raw cells by field, and the warnings on it."""

    sheet: str
    number: int  #: the spreadsheet's own row number (1-based), for messages
    kind: Kind
    cells: dict[str, Any]
    columns: dict[str, str]  #: field → column letter, for messages
    problems: tuple[
        Problem, ...
    ] = ()  #: found while reading (an over-long cell): the row is rejected


@attrs.frozen(eq=False, repr=False)
class Sheet(Value):
    """A sheet's data rows, and its 合计 row if it has one."""

    name: str
    kind: Kind
    rows: tuple[Row, ...]
    total: dict[str, Any] | None
    total_row: int | None
    origin: str = ""  #: the store an export came from: its 编号 column refers to that store
    notes: tuple[str, ...] = ()  #: what was left out (unknown columns, skipped sheets)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header(value: Any) -> str:
    """A header cell as looked up: full-width brackets and spaces folded (乡（镇、街道） = 乡(镇、街道))."""
    return _text(value).replace("（", "(").replace("）", ")").replace(" ", "").replace("\u3000", "")


def _kind_of(sheet: str, default: Kind | None) -> Kind | None:
    from pufa import names

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
        f"第 {_letter(MAX_COLUMNS)} 列有内容",
        f"台账最多 {MAX_COLUMNS} 列",
        "请删去多余的列后再导入",
    )


def _sheet_rows(
    name: str, values: Iterator[Sequence[Any]], kind: Kind, budget: _Budget | None = None
) -> Sheet:
    """Find the header row (skipping title rows and merged header cells), then the data rows.

    Rows are taken one at a time: a sheet over the row limit is refused as soon as it is passed,
    a cell beyond :data:`MAX_COLUMNS` is refused, an over-long cell rejects its row (clipped)."""
    mapping: dict[int, str] = {}
    fields: list[tuple[int, str]] = []
    letters: dict[str, str] = {}
    notes: list[str] = []
    rows: list[Row] = []
    total: dict[str, Any] | None = None
    total_row = None
    header_found = False
    budget = budget or _Budget(Path(name))
    for number, raw in enumerate(values, start=1):
        cells = raw if isinstance(raw, tuple) else tuple(raw)
        if len(cells) > MAX_COLUMNS and any(_filled(c) for c in cells[MAX_COLUMNS:]):
            raise _too_wide(name, number)
        if not header_found:
            found = {i: _LOOKUP[h] for i, c in enumerate(cells) if (h := _header(c)) in _LOOKUP}
            if "date" in found.values() and (
                "title" in found.values() or "township" in found.values()
            ):
                mapping, header_found = found, True
                fields = list(mapping.items())
                letters = {field: _letter(i) for i, field in fields}  # the same for every row
                unknown = [
                    str(text.clip(text.visible(_text(c))))
                    for i, c in enumerate(cells)
                    if _filled(c) and i not in found
                ]
                if unknown:
                    notes.append(f"{name} 第{number}行:不认识的列,未导入:{'、'.join(unknown)}")
            continue
        if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            continue  # a blank row (empty, or only spaces)
        budget.take(name, number)
        width = len(cells)
        data = {field: cells[i] if i < width else None for i, field in fields}
        if any(isinstance(c, str) and c.replace(" ", "") in _TOTALS for c in cells[:3]):
            total, total_row = data, number
            continue
        long = any(isinstance(c, str) and len(c) > MAX_CELL for c in cells)
        problems = _long_cells(data, name, number, letters) if long else ()
        rows.append(Row(name, number, kind, data, letters, problems))
    if not header_found:
        raise InvalidInput([Problem(f"{name} 表头", "", "含“日期”和“活动名称”(或“乡镇”)的表头行")])
    return Sheet(name, kind, tuple(rows), total, total_row, notes=tuple(notes))


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


def _filled(cell: Any) -> bool:
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def read(path: Path, *, sheet: str | None = None, kind: Kind | None = None) -> list[Sheet]:
    """Every sheet of a workbook (or the CSV) that names an activity kind, as rows by field."""
    if not path.is_file():
        raise InvalidInput.one("文件", str(path), "应为存在的 .xlsx 或 .csv 台账文件")
    budget = _Budget(path)
    if path.suffix.lower() == ".csv":
        chosen = kind or _kind_of(path.stem, None)
        if chosen is None:
            raise InvalidInput.one(
                "类型 (--kind)", path.stem, "CSV 台账须用 --kind 说明活动类型(或以类型命名文件)"
            )
        return [_sheet_rows(path.stem, _csv_rows(path), chosen, budget)]
    _check_zip(path)
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput.one(
            "文件", str(path), "可读取的 .xlsx 工作簿", str(text.clip(str(exc), 200))
        ) from None
    try:
        origin = _text(book["选项"]["E1"].value) if "选项" in book.sheetnames else ""
        sheets = []
        skipped = []
        for name in book.sheetnames:
            if sheet is not None and name != sheet:
                continue
            chosen = _kind_of(name, None) or (kind if sheet is not None else None)
            if chosen is None:
                if name not in ("填表说明", "选项", "汇总"):
                    skipped.append(name)
                continue
            worksheet = book[name]
            worksheet.reset_dimensions()  # a claimed A1:XFD1048576 then costs nothing
            values = worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
            sheets.append(attrs.evolve(_sheet_rows(name, values, chosen, budget), origin=origin))
        if sheet is not None and not sheets:
            if sheet in book.sheetnames:
                raise InvalidInput.one(
                    "类型 (--kind)", sheet, "表名不是活动类型时,用 --kind 说明这张表的活动类型"
                )
            raise InvalidInput.one(
                "工作表 (--sheet)", sheet, f"工作簿中的表之一:{'、'.join(book.sheetnames)}"
            )
        if not sheets:
            raise InvalidInput.one(
                "工作表",
                "、".join(book.sheetnames),
                "以活动类型命名的表(如“法律七进”),或用 --sheet 和 --kind 指定",
            )
        if skipped:
            note = f"跳过了表名不是活动类型的工作表:{'、'.join(skipped)}"
            sheets[0] = attrs.evolve(sheets[0], notes=(*sheets[0].notes, note))
        return sheets
    finally:
        book.close()


def _check_zip(path: Path) -> None:
    """Refuse a workbook whose parts would expand beyond reason, before openpyxl reads a byte of
    them (the sizes a zip declares bound what Python will decompress)."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # not a zip: openpyxl says so in its own words
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
                f"{part.file_size / 2**20:,.1f} MiB(压缩比 {ratio:,.0f}:1),"
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
            f"不超过 {MAX_CSV_BYTES // 2**20} MiB 的 CSV(这份有 {size / 2**20:,.1f} MiB)",
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


# -- text cells: never formulas, never control characters ----------------------------------------

#: a CSV field starting with one of these is a formula to Excel (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: quotes followed by a formula start: what :func:`quote_csv` wrote (one quote more than the text had)
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def quote_csv(value: str) -> str:
    """A CSV text field Excel will not run: ``=1+2`` → ``'=1+2``. A text that already starts with
    quotes before such a character gets one more (``'=x`` → ``''=x``), so :func:`unquote_csv` always
    removes exactly the quote added here and the round trip is exact."""
    if value.startswith(_FORMULA_START) or _QUOTED.match(value):
        return "'" + value
    return value


def unquote_csv(value: str) -> str:
    """The inverse of :func:`quote_csv`: one leading quote removed before ``= + - @``, tab or CR."""
    return value[1:] if _QUOTED.match(value) else value


def safe_text(value: str) -> str:
    """Text as written to a workbook or CSV: control characters (older data) shown as escapes."""
    return text.visible(value, multiline=True)


# -- cells → raw entry values ---------------------------------------------------------------------------


@attrs.frozen(eq=False, repr=False)
class Parsed(Value):
    """A row's entry (raw text values, as `pufa log` takes them) and what was approximated."""

    row: Row
    entry: Entry
    record_id: int | None
    warnings: tuple[str, ...]
    revision: int | None = None  #: the record's revision when it was exported (版本)


def _date(value: Any, year: int | None) -> str:
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    short = _MONTH_DAY.match(text)
    if short and year is not None:
        return f"{year}-{int(short.group(1)):02d}-{int(short.group(2)):02d}"
    return text


def _count(value: Any) -> tuple[str, str | None]:
    """``120``, ``120人``, ``约300份``, ``1.2万`` → digits, and a warning for the inexact ones."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (str(int(value)) if float(value).is_integer() else str(value)), None
    text = _text(value)
    match = _COUNT.match(text)
    if not match:
        return text, None  # let the validator say what is wrong with it
    about, digits, wan, more, _unit = match.groups()
    if digits.isdigit() and not (about or wan or more):
        return digits, None  # exact: never through a float (9223372036854775807 stays itself)
    if len(digits) > 12:
        return text, None  # far over any bound: let the validator say so (no float overflow)
    number = float(digits) * (10000 if wan else 1)
    warning = None
    if about or wan or more or not float(digits).is_integer():
        warning = f"“{text}”按 {int(number)} 计(原文不是确切数字)"
    return str(int(number)), warning


def parse(row: Row, county: County, year: int | None) -> Parsed:
    """A row's cells as the raw values `pufa log` takes (counts and dates normalised)."""
    values: dict[str, str | None] = {}
    warnings = []
    record_id = revision = None
    for field, cell in row.cells.items():
        if _text(cell) == "":
            continue
        if field == "id":
            number = _text(cell).lstrip("#")
            record_id = int(number) if number.isdigit() else None
        elif field == "revision":
            number = _text(cell)
            revision = int(number) if number.isdigit() else None
        elif field in ("date", "end"):
            values[field] = _date(cell, year)
        elif field in COUNTS:
            values[field], warning = _count(cell)
            if warning:
                warnings.append(f"{row.sheet} 第{row.number}行 {header(field)}:{warning}")
        elif field == "status":
            values[field] = vocab.slug_of("Status", _text(cell))
        else:
            values[field] = _text(cell)
    return Parsed(row, Entry(row.kind.slug, values), record_id, tuple(warnings), revision)


def _where(row: Row, problem: Problem) -> Problem:
    """A validation problem, placed at its sheet, row and column."""
    at = SheetAt(row.sheet, row.number, row.columns.get(vocab.column_key(problem.field), ""))
    return Problem(problem.field, text.clip(problem.value), problem.expected, problem.hint, at)


# -- importing ----------------------------------------------------------------------------------------


@attrs.frozen(eq=False, repr=False)
class Plan(Value):
    """What an import would do: new records, edits of records it made before, rejected rows."""

    add: tuple[tuple[Parsed, Event, str], ...]  #: the row, the new record, its source key
    edit: tuple[tuple[Parsed, Event, Event], ...]  #: the row, the record as stored, as revised
    same: int
    rejected: tuple[tuple[Row, tuple[Problem, ...]], ...]
    totals: tuple[Problem, ...]  #: 合计 rows that disagree with the rows above them
    warnings: tuple[str, ...]


def source_key(event: Event) -> str:
    """A row's identity across re-imports: kind, start, place and title (not its counts)."""
    owner = event.township or event.dept or ""
    return f"ledger:{event.kind.slug}:{event.span.start.isoformat()}:{owner}:{event.title}"


def plan_import(
    sheets: Sequence[Sheet],
    county: County,
    existing: Callable[[str], Event | None],
    by_id: Callable[[int], Event | None],
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    store_id: str = "",
    stale: Callable[[Event, int], str] | None = None,
) -> Plan:
    """Check every row; decide add / edit / unchanged for the valid ones (pure but for lookups).

    ``stale(record, revision)`` words the conflict of a row exported at ``revision`` from a record
    changed since (:func:`pufa.store.stale_text`); such a row is rejected, not imported."""
    from pufa.intake import revise
    from pufa.model import diff

    add: list[tuple[Parsed, Event, str]] = []
    edit: list[tuple[Parsed, Event, Event]] = []
    rejected: list[tuple[Row, tuple[Problem, ...]]] = []
    totals: list[Problem] = []
    warnings: list[str] = []
    same = 0
    seen: dict[str, Row] = {}
    occurrence: dict[str, int] = {}
    total_rows = sum(len(s.rows) for s in sheets)
    done = 0
    for sheet in sheets:
        warnings += sheet.notes
        sums: dict[str, int] = {}
        for row in sheet.rows:
            done += 1
            if progress is not None and done % 500 == 0:
                progress(done, total_rows)
            parsed = parse(row, county, year)
            warnings += parsed.warnings
            # the 合计 adds up every row, valid or not
            for field, value in parsed.entry.values.items():
                if field in COUNTS and value is not None and value.isdigit():
                    sums[field] = sums.get(field, 0) + int(value)
            if row.problems:  # found while reading (an over-long cell)
                rejected.append((row, row.problems))
                continue
            try:
                event = build(county, parsed.entry)
            except InvalidInput as exc:
                rejected.append((row, tuple(_where(row, p) for p in exc.problems)))
                continue
            warnings += [f"{row.sheet} 第{row.number}行:{n}" for n in notices(event)]
            natural = source_key(event)
            occurrence[natural] = occurrence.get(natural, 0) + 1
            # identical rows (two releases on one day, same title) are told apart by their order
            key = natural if occurrence[natural] == 1 else f"{natural}#{occurrence[natural]}"
            ours = bool(store_id) and sheet.origin == store_id  # ids refer to this very store
            current = by_id(parsed.record_id) if ours and parsed.record_id is not None else None
            if current is not None and (current.kind, current.township, current.dept) != (
                event.kind,
                event.township,
                event.dept,
            ):
                current = None  # an id from another workspace's export: not this record
            identity = f"id:{current.id}" if current is not None else key
            if identity in seen:
                first = seen[identity].number
                problem = Problem(
                    f"{row.sheet} 第{row.number}行",
                    event.title,
                    "不与其他行重复",
                    f"与第{first}行相同(日期、地点、名称)",
                )
                rejected.append((row, (problem,)))
                continue
            seen[identity] = row
            if current is None:
                current = existing(key)
            if current is None:
                add.append((parsed, event, key))  # the key is set as it is written
                continue
            if current.voided is not None:  # voided is final: the row is not imported again
                warnings.append(
                    f"{row.sheet} 第{row.number}行:对应的记录 #{current.id} 已作废,不再导入"
                )
                same += 1
                continue
            if not diff(
                current,
                attrs.evolve(
                    event, id=current.id, revision=current.revision, source=current.source
                ),
            ):
                same += 1
                continue
            read = parsed.revision
            if identity.startswith("id:") and read is not None and current.revision > read:
                reason = (
                    stale(current, read)
                    if stale is not None
                    else f"记录 #{current.id} 在你读取(第 {read} 版)之后已被修改"
                )
                column = row.columns.get("revision", "")
                where = f"{row.sheet} 第{row.number}行" + (f" {column}列" if column else "")
                rejected.append((row, (Problem(f"{where}(版本)", read, reason),)))
                continue
            try:
                revised = revise(county, current, dict(parsed.entry.values))
            except InvalidInput as exc:
                rejected.append((row, tuple(_where(row, p) for p in exc.problems)))
                continue
            edit.append((parsed, current, revised))
        if sheet.total is not None:
            for field, cell in sheet.total.items():
                if field in COUNTS and _text(cell):
                    stated, _ = _count(cell)
                    if stated.isdigit() and int(stated) != sums.get(field, 0):
                        totals.append(
                            Problem(
                                f"{sheet.name} 第{sheet.total_row}行 合计({header(field)})",
                                int(stated),
                                f"等于上面各行之和 {sums.get(field, 0)}",
                                "请核对合计或各行数字",
                            )
                        )
    return Plan(tuple(add), tuple(edit), same, tuple(rejected), tuple(totals), tuple(warnings))


# -- writing ---------------------------------------------------------------------------------------

#: per kind: the records seen by an export, then each measure's sum (in Measure order)
Totals = dict[Kind, list[int]]


def _cell_value(county: County, event: Event, field: str) -> Any:
    """A record's field as a cell value (text is escaped as it is written: :func:`safe_text`)."""
    from pufa.codec import detail_text

    if field == "date":
        start = event.span.start
        return (
            start.format("YYYY-MM-DD HH:mm")
            if not event.span.all_day
            else dt.date(start.year, start.month, start.day)
        )
    if field == "end":
        if event.span.end == event.span.start:
            return None
        end = event.span.end
        return (
            end.format("YYYY-MM-DD HH:mm")
            if not event.span.all_day
            else dt.date(end.year, end.month, end.day)
        )
    if field == "township":
        return county.township(event.township).name if event.township else None
    if field == "dept":
        return county.department(event.dept).name if event.dept else None
    if field == "title":
        return event.title
    if field in DETAIL_FIELDS:
        return detail_text(county, event, field)
    if field in COUNTS:
        return event.measures.get(Measure(field))
    if field == "status":
        return event.status.label
    if field == "note":
        return event.note or None
    if field == "id":
        return event.id
    if field == "revision":
        return event.revision
    return None


def _fields(kind: Kind, revisions: bool) -> list[str]:
    return [*columns(kind), "id", *(["revision"] if revisions else [])]


class _Cells:
    """Cells for a write-only sheet: text is always text (``=HYPERLINK(…)`` is shown, never run)
    and control characters are escaped (openpyxl refuses them); counts get their number format."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.cell import WriteOnlyCell

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


def _form(field: str) -> str | None:
    return "yyyy-mm-dd" if field in ("date", "end") else "#,##0" if field in COUNTS else None


def write_workbook(
    path: Path,
    county: County,
    events: Iterable[Event],
    kinds: Sequence[Kind],
    *,
    summary: Callable[[Totals], list[list[Any]]] | None = None,
    instructions: bool = True,
    origin: str = "",
    revisions: bool = False,
) -> int:
    """A workbook in the template's layout: 填表说明, one sheet per kind (with drop-downs, date
    formats, widths, a frozen header row), and optionally a 汇总 sheet made from the records' totals.

    ``events`` is read once, streamed into the sheets (an export of a million records keeps one
    row at a time); ``revisions`` adds the 版本 column beside 编号. The file is written to a
    temporary name and renamed (:func:`pufa.output.write_atomic`). Returns the records written.
    Deterministic content."""
    if not path.parent.is_dir():
        raise InvalidInput.one("输出 (-o)", str(path), "应为已存在的文件夹中的文件路径")
    written = 0

    def save(temporary: BinaryIO) -> None:
        nonlocal written
        written = _save_workbook(
            temporary, county, events, kinds, summary, instructions, origin, revisions
        )

    output.write_atomic(path, save)
    return written


def _save_workbook(
    path: BinaryIO,
    county: County,
    events: Iterable[Event],
    kinds: Sequence[Kind],
    summary: Callable[[Totals], list[list[Any]]] | None,
    instructions: bool,
    origin: str,
    revisions: bool,
) -> int:
    with _write_only_book() as book:
        return _fill_and_save(
            book, path, county, events, kinds, summary, instructions, origin, revisions
        )


@contextlib.contextmanager
def _write_only_book() -> Iterator[Any]:
    """A streaming (write-only) openpyxl workbook whose half-written sheets are closed if the save
    fails (a full disk): left to the garbage collector, each would print "Exception ignored … I/O
    operation on closed file" on the user's terminal."""
    from openpyxl import Workbook

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


def _fill_and_save(
    book: Any,
    path: BinaryIO,
    county: County,
    events: Iterable[Event],
    kinds: Sequence[Kind],
    summary: Callable[[Totals], list[list[Any]]] | None,
    instructions: bool,
    origin: str,
    revisions: bool,
) -> int:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    if instructions:
        first = book.create_sheet("填表说明")
        first.column_dimensions["A"].width = 14
        first.column_dimensions["B"].width = 70
        first.column_dimensions["C"].width = 24
        cells = _Cells(first)
        first.append([cells.styled(h, font=bold) for h in ("列名", "说明", "示例")])
        for field, explanation, example in _INSTRUCTIONS:
            if field == "revision" and not revisions:
                continue
            first.append([header(field), explanation, example])
    townships = [t.name for t in county.townships]
    departments = [d.name for d in county.departments]
    lists = book.create_sheet("选项")  # the drop-down lists, out of the way
    lists.sheet_state = "hidden"
    choices_by_column = (townships, departments, ["计划", "已开展", "已取消"], ["线下定向", "线上"])
    option_cells = _Cells(lists)
    for row in range(max(len(c) for c in choices_by_column)):
        line: list[Any] = [c[row] if row < len(c) else None for c in choices_by_column]
        if row == 0:
            line.append(option_cells.text(origin) if origin else None)  # E1: the 编号's store
        lists.append([option_cells.text(v) if isinstance(v, str) else v for v in line])
    sheets: dict[Kind, tuple[Any, _Cells, list[str], list[str | None]]] = {}
    for kind in kinds:
        sheet = book.create_sheet(kind.label)
        fields = _fields(kind, revisions)
        for n, field in enumerate(fields):
            sheet.column_dimensions[_letter(n)].width = (
                30
                if field == "title"
                else 14
                if field in ("date", "end", "township", "dept")
                else 11
            )
            choices = None
            if field == "township":
                choices = f"选项!$A$1:$A${len(townships)}"
            elif field == "dept":
                choices = f"选项!$B$1:$B${len(departments)}"
            elif field == "status":
                choices = "选项!$C$1:$C$3"
            elif field == "mode":
                choices = "选项!$D$1:$D$2"
            elif field == "venue":
                venues = ",".join(v.name for v in county.venues_for(kind))
                choices = f'"{venues}"'
            if choices:
                validation = DataValidation(type="list", formula1=choices, allow_blank=True)
                validation.error = "请从下拉列表中选择"
                validation.add(f"{_letter(n)}2:{_letter(n)}5000")
                sheet.data_validations.append(validation)
        sheet.freeze_panes = "A2"
        cells = _Cells(sheet)
        center = Alignment(horizontal="center")
        sheet.append(
            [cells.styled(header(f), font=bold, fill=fill, alignment=center) for f in fields]
        )
        sheets[kind] = (sheet, cells, fields, [_form(f) for f in fields])
    totals: Totals = {}
    rows = dict.fromkeys(kinds, 0)
    measures = list(Measure)
    for event in events:
        tally = totals.setdefault(event.kind, [0] * (len(measures) + 1))
        tally[0] += 1
        for n, measure in enumerate(measures, start=1):
            tally[n] += event.measures.get(measure) or 0
        if event.kind not in sheets:
            continue
        sheet, cells, fields, forms = sheets[event.kind]
        sheet.append(
            [
                cells.value(_cell_value(county, event, f), form)
                for f, form in zip(fields, forms, strict=True)
            ]
        )
        rows[event.kind] += 1
    for kind, (sheet, cells, _, forms) in sheets.items():
        # the template's first 200 rows have the formats, ready for typing in
        for _ in range(rows[kind] + 1, 200):
            sheet.append([None if form is None else _blank(cells, form) for form in forms])
    if summary is not None:
        sheet = book.create_sheet("汇总")
        sheet.column_dimensions["A"].width = 30
        sheet.freeze_panes = "A2"
        cells = _Cells(sheet)
        for n, line in enumerate(summary(totals)):
            if n == 0:
                sheet.append([cells.styled(v, font=bold, fill=fill) for v in line])
            else:
                sheet.append([cells.value(v) for v in line])
    book.save(path)
    return sum(rows.values())


def _blank(cells: _Cells, form: str) -> Any:
    cell = cells.make(cells.sheet)
    cell.number_format = form
    return cell


def write_csv(
    path: Path, county: County, events: Iterable[Event], kind: Kind, *, revisions: bool = True
) -> int:
    """One kind's records as CSV, UTF-8 with BOM (Excel on Chinese Windows opens it correctly);
    formula-like text quoted (:func:`quote_csv`). Written whole or not at all; returns the rows."""
    fields = _fields(kind, revisions)
    written = 0

    def save(temporary: BinaryIO) -> None:
        nonlocal written
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([header(f) for f in fields])
        temporary.write(b"\xef\xbb\xbf")  # the BOM
        for event in events:
            if event.kind is not kind:
                continue
            writer.writerow([_csv_value(_cell_value(county, event, f)) for f in fields])
            written += 1
            if written % 1000 == 0:  # a batch of lines at a time, not the whole file
                temporary.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
        temporary.write(buffer.getvalue().encode("utf-8"))

    output.write_atomic(path, save)
    return written


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return quote_csv(safe_text(value))
    return value


_INSTRUCTIONS = (
    (
        "date",
        "活动日期。写成 2024-03-05、2024/3/5、2024年3月5日 均可;带时间写 2024-03-05 09:30",
        "2024-03-05",
    ),
    ("end", "多日活动的结束日期,或同日活动的结束时间;单日活动不填", "2024-03-07"),
    ("township", "开展活动的乡(镇、街道),从下拉列表选,简称也可(如“禾丰乡”)", "禾丰布依族苗族乡"),
    ("dept", "组织部门(县直部门开展的活动填这里,“乡镇”就不填)", "县司法局"),
    ("title", "活动名称", "法律进学校:未成年人保护法宣讲"),
    ("venue", "“进”的类别(法律七进、宪法进…),从下拉列表选", "学校"),
    ("occasion", "宣传节点,如 宪法宣传周、国家宪法日、4·15全民国家安全教育日", "宪法宣传周"),
    ("participants", "参与人次(学法用法考试填参考人数);只写数字", "320"),
    ("materials", "发放宣传资料份数;只写数字", "600"),
    ("status", "计划 / 已开展 / 已取消;不填即“已开展”", "已开展"),
    ("note", "备注", ""),
    ("id", "pufa 的记录编号:导出的表带有编号,修改后再导入会修改原记录;新增的行不填", ""),
    (
        "revision",
        "导出时这条记录的版本,不要改。导入时若记录在导出之后已被别人修改(版本更新),这一行不导入,"
        "并说明谁、何时改了什么:请重新导出再改",
        "",
    ),
)


# -- with a store ---------------------------------------------------------------------------------------


def check(
    store: Store, county: County, sheets: Sequence[Sheet], year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:  # fmt: skip
    """What importing ``sheets`` into ``store`` would do (nothing is written)."""
    existing = {e.source: e for e in store.by_source("ledger:") if e.source}
    return plan_import(
        sheets,
        county,
        existing.get,
        lambda record_id: _get(store, record_id),
        year,
        progress,
        store.store_id(),
        lambda current, read: stale_text(
            current, store.history(current.id or 0), read, store.timezone, RE_EXPORT
        ),
    )


#: what to do about a stale row (after the store's "未保存你的修改:")
RE_EXPORT = "这一行未导入。请重新导出台账,在新表上修改后再导入。"


def _get(store: Store, record_id: int) -> Event | None:
    from pufa.errors import NotFound

    try:
        return store.get(record_id)
    except NotFound:
        return None


def apply(
    store: Store,
    planned: Plan,
    stamp: Stamp,
    reason: str,
    *,
    skip_invalid: bool = False,
    rejects: Path | None = None,
) -> None:
    """Write an import in one transaction: all or nothing (or, with ``skip_invalid``, the valid rows).

    Each edit carries the revision it was planned from, so a record changed between
    :func:`check` and here is refused (the store's lost-update Conflict) and nothing is written.
    With ``rejects`` (and rejected rows), the rejects workbook is written first, to a temporary
    file; then the import is committed; then the rejects are renamed into place. If the rejects
    cannot be written nothing is imported; if the import fails no rejects file is left.
    """
    if (planned.rejected or planned.totals) and not skip_invalid:
        raise InvalidInput(
            [p for _, problems in planned.rejected for p in problems] + list(planned.totals)
        )
    staged = (
        output.stage(rejects, lambda temporary: _save_rejects(temporary, planned))
        if rejects is not None and planned.rejected
        else None
    )
    try:
        with store.transaction():
            store.add_many(
                [event for _, event, _ in planned.add],
                stamp,
                reason,
                [key for _, _, key in planned.add],
            )
            for _, _current, revised in planned.edit:
                store.replace(revised, stamp, reason)
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    if staged is not None:
        staged.commit()


def write_rejects(path: Path, planned: Plan) -> None:
    """The rejected rows, as they were, with a 原因 column: for the township to fix and resend."""
    output.write_atomic(path, lambda temporary: _save_rejects(temporary, planned))


def _save_rejects(path: BinaryIO, planned: Plan) -> None:
    with _write_only_book() as book:
        _fill_rejects(book, planned)
        book.save(path)


def _fill_rejects(book: Any, planned: Plan) -> None:
    sheet = book.create_sheet("未导入")
    cells = _Cells(sheet)
    fields = sorted({f for row, _ in planned.rejected for f in row.cells}, key=list(HEADERS).index)
    sheet.append([cells.text(v) for v in ("表", "行", *(header(f) for f in fields), "原因")])
    for row, problems in planned.rejected:
        sheet.append(
            [
                cells.text(row.sheet),
                row.number,
                *(cells.text(_text(row.cells.get(f))) for f in fields),
                cells.text(";".join(str(p) for p in problems)),
            ]
        )
