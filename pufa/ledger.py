"""The Excel 台账: the template, importing township workbooks (or CSV), exporting a year.

Workbook ↔ model conversion at the edge. openpyxl is imported only here, only when used. Every row
goes through the same validation as ``pufa log`` (:func:`pufa.intake.build`); problems come back as
data naming the sheet, row, column, value, expectation and nearest valid choice.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from pufa.errors import InvalidInput, Problem
from pufa.intake import Entry, build, notices
from pufa.model import DETAIL_LABELS, SPECS, County, Event, Kind, Measure, Stamp
from pufa.store import Store
from pufa.text import visible
from pufa.value import Value

#: column header → field, with the synonyms townships write (first one is the template's)
HEADERS: dict[str, tuple[str, ...]] = {
    "date": ("日期", "活动日期", "时间", "开展日期", "活动时间"),
    "end": ("结束日期", "结束", "截止日期"),
    "township": (
        "乡镇",
        "乡(镇、街道)",
        "乡(镇、街道)",
        "乡镇(街道)",
        "乡镇街道",
        "单位",
        "开展单位",
    ),
    "dept": ("部门", "组织部门", "牵头部门"),
    "title": ("活动名称", "标题", "活动内容", "名称"),
    "venue": ("进", "七进类别", "阵地", "进入场所"),
    "occasion": ("节点", "活动节点", "宣传节点"),
    "school": ("学校",),
    "lecturer": ("宣讲人", "主讲人", "法治副校长"),
    "mode": ("方式", "培训方式"),
    "audience": ("对象", "受众", "讲座对象"),
    "channel": ("渠道", "发布平台", "平台"),
    "sessions": ("场次",),
    "participants": ("参与人次", "参与人数", "人次", "受众人次", "参加人数", "参考人数"),
    "materials": ("发放资料", "资料份数", "发放资料份数", "宣传资料"),
    "banners": ("标语横幅", "横幅", "标语"),
    "screens": ("电子屏", "电子屏公益广告"),
    "items": ("发布信息", "信息条数", "发布条数"),
    "trainees": ("参训人次", "参训人数"),
    "certified": ("获证人数", "取得证书人数"),
    "passed": ("及格人数", "合格人数"),
    "status": ("状态",),
    "note": ("备注",),
    "id": ("编号", "记录编号"),
}
_LOOKUP = {name: field for field, names in HEADERS.items() for name in names}
COUNTS = {m.value for m in Measure}
_COUNT = re.compile(
    r"^\s*(约|近|超过|逾)?\s*(\d+(?:\.\d+)?)\s*(万)?\s*(余)?\s*(人次|人|名|份|场次|场|条|幅|次|个)?\s*$"
)
_TOTALS = ("合计", "总计", "小计")
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


def _sheet_rows(name: str, values: Iterator[Sequence[Any]], kind: Kind) -> Sheet:
    """Find the header row (skipping title rows and merged header cells), then the data rows."""
    mapping: dict[int, str] = {}
    fields: list[tuple[int, str]] = []
    letters: dict[str, str] = {}
    notes: list[str] = []
    rows: list[Row] = []
    total: dict[str, Any] | None = None
    total_row = None
    header_found = False
    for number, raw in enumerate(values, start=1):
        cells = raw if isinstance(raw, tuple) else tuple(raw)
        if not header_found:
            found = {i: _LOOKUP[_header(c)] for i, c in enumerate(cells) if _header(c) in _LOOKUP}
            if "date" in found.values() and (
                "title" in found.values() or "township" in found.values()
            ):
                mapping, header_found = found, True
                fields = list(mapping.items())
                letters = {field: _letter(i) for i, field in fields}  # the same for every row
                unknown = [_text(c) for i, c in enumerate(cells) if _text(c) and i not in found]
                if unknown:
                    notes.append(f"{name} 第{number}行:不认识的列,未导入:{'、'.join(unknown)}")
            continue
        if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in cells):
            continue  # a blank row (empty, or only spaces)
        width = len(cells)
        data = {field: cells[i] if i < width else None for i, field in fields}
        if any(isinstance(c, str) and c.replace(" ", "") in _TOTALS for c in cells[:3]):
            total, total_row = data, number
            continue
        rows.append(Row(name, number, kind, data, letters))
    if not header_found:
        raise InvalidInput([Problem(f"{name} 表头", "", "含“日期”和“活动名称”(或“乡镇”)的表头行")])
    return Sheet(name, kind, tuple(rows), total, total_row, notes=tuple(notes))


def read(path: Path, *, sheet: str | None = None, kind: Kind | None = None) -> list[Sheet]:
    """Every sheet of a workbook (or the CSV) that names an activity kind, as rows by field."""
    if not path.is_file():
        raise InvalidInput.one("文件", str(path), "应为存在的 .xlsx 或 .csv 台账文件")
    if path.suffix.lower() == ".csv":
        text = _decode(path.read_bytes())
        chosen = kind or _kind_of(path.stem, None)
        if chosen is None:
            raise InvalidInput.one(
                "类型 (--kind)", path.stem, "CSV 台账须用 --kind 说明活动类型(或以类型命名文件)"
            )
        return [_sheet_rows(path.stem, iter(csv.reader(io.StringIO(text))), chosen)]
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InvalidInput.one("文件", str(path), "可读取的 .xlsx 工作簿", str(exc)) from None
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
            sheets.append(
                attrs.evolve(
                    _sheet_rows(name, book[name].iter_rows(values_only=True), chosen), origin=origin
                )
            )
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


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (what Excel on Chinese Windows writes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


# -- cells → raw entry values ---------------------------------------------------------------------------


@attrs.frozen(eq=False, repr=False)
class Parsed(Value):
    """A row's entry (raw text values, as `pufa log` takes them) and what was approximated."""

    row: Row
    entry: Entry
    record_id: int | None
    warnings: tuple[str, ...]


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
    record_id = None
    for field, cell in row.cells.items():
        if _text(cell) == "":
            continue
        if field == "id":
            text = _text(cell).lstrip("#")
            record_id = int(text) if text.isdigit() else None
        elif field in ("date", "end"):
            values[field] = _date(cell, year)
        elif field in COUNTS:
            values[field], warning = _count(cell)
            if warning:
                warnings.append(f"{row.sheet} 第{row.number}行 {header(field)}:{warning}")
        elif field == "status":
            values[field] = {"计划": "planned", "已开展": "held", "已取消": "cancelled"}.get(
                _text(cell), _text(cell)
            )
        else:
            values[field] = _text(cell)
    return Parsed(row, Entry(row.kind.slug, values), record_id, tuple(warnings))


def _where(row: Row, problem: Problem) -> Problem:
    """A validation problem, placed at its sheet, row and column."""
    option = problem.field.split("--")[-1].rstrip(")").strip() if "--" in problem.field else ""
    column = row.columns.get(option, "")
    label = problem.field.split(" (")[0]
    place = f"{row.sheet} 第{row.number}行" + (f" {column}列" if column else "")
    return Problem(f"{place}({label})", problem.value, problem.expected, problem.hint)


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
) -> Plan:
    """Check every row; decide add / edit / unchanged for the valid ones (pure but for lookups)."""
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
            for (
                field,
                text,
            ) in parsed.entry.values.items():  # the 合计 adds up every row, valid or not
                if field in COUNTS and text is not None and text.isdigit():
                    sums[field] = sums.get(field, 0) + int(text)
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


def _cell_value(county: County, event: Event, field: str) -> Any:
    """A record's field as a cell; text that older data holds with control characters is
    written escaped (``\x1b``): openpyxl refuses them, and a terminal must not run them."""
    value = _raw_cell_value(county, event, field)
    return visible(value, multiline=True) if isinstance(value, str) else value


def _raw_cell_value(county: County, event: Event, field: str) -> Any:
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
    if field in DETAIL_LABELS:
        return detail_text(county, event, field)
    if field in COUNTS:
        return event.measures.get(Measure(field))
    if field == "status":
        return event.status.label
    if field == "note":
        return event.note or None
    if field == "id":
        return event.id
    return None


def write_workbook(
    path: Path,
    county: County,
    events: Sequence[Event],
    kinds: Sequence[Kind],
    *,
    summary: list[list[Any]] | None = None,
    instructions: bool = True,
    origin: str = "",
) -> None:
    """A workbook in the template's layout: 填表说明, one sheet per kind (with drop-downs, date
    formats, widths, a frozen header row), and optionally a 汇总 sheet. Deterministic content."""
    if not path.parent.is_dir():
        raise InvalidInput.one("输出 (-o)", str(path), "应为已存在的文件夹中的文件路径")
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    first = book.active
    assert first is not None
    if instructions:
        first.title = "填表说明"
        first.append(["列名", "说明", "示例"])
        for field, text, example in _INSTRUCTIONS:
            first.append([header(field), text, example])
        first.column_dimensions["A"].width = 14
        first.column_dimensions["B"].width = 70
        first.column_dimensions["C"].width = 24
        for cell in first[1]:
            cell.font = Font(bold=True)
    else:
        book.remove(first)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    townships = [t.name for t in county.townships]
    departments = [d.name for d in county.departments]
    lists = book.create_sheet("选项")  # the drop-down lists, out of the way
    for index, values in enumerate(
        (townships, departments, ["计划", "已开展", "已取消"], ["线下定向", "线上"])
    ):
        for row, value in enumerate(values, start=1):
            lists.cell(row=row, column=index + 1, value=value)
    lists.cell(row=1, column=5, value=origin or None)  # E1: which store the 编号 column refers to
    lists.sheet_state = "hidden"
    by_kind: dict[Kind, list[Event]] = {k: [] for k in kinds}
    for event in events:
        if event.kind in by_kind:
            by_kind[event.kind].append(event)
    for kind in kinds:
        sheet = book.create_sheet(kind.label)
        fields = [*columns(kind), "id"]
        sheet.append([header(f) for f in fields])
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center")
        sheet.freeze_panes = "A2"
        for n, field in enumerate(fields):
            letter = _letter(n)
            sheet.column_dimensions[letter].width = (
                30
                if field == "title"
                else 14
                if field in ("date", "end", "township", "dept")
                else 11
            )
            rng = f"{letter}2:{letter}5000"
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
                sheet.add_data_validation(validation)
                validation.add(rng)
        mine = sorted(by_kind[kind], key=lambda e: (e.span.first_day, e.id or 0))
        for event in mine:
            sheet.append([_cell_value(county, event, f) for f in fields])
        last = max(len(mine) + 1, 200)  # formats for the rows written, or the template's first 200
        for n, field in enumerate(fields):
            form = (
                "yyyy-mm-dd" if field in ("date", "end") else "#,##0" if field in COUNTS else None
            )
            if form:
                for cells in sheet.iter_rows(min_row=2, max_row=last, min_col=n + 1, max_col=n + 1):
                    cells[0].number_format = form
    if summary is not None:
        sheet = book.create_sheet("汇总")
        for line in summary:
            sheet.append(line)
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
        sheet.column_dimensions["A"].width = 30
        sheet.freeze_panes = "A2"
    book.save(path)


def write_csv(path: Path, county: County, events: Sequence[Event], kind: Kind) -> None:
    """One kind's records as CSV, UTF-8 with BOM (Excel on Chinese Windows opens it correctly)."""
    fields = [*columns(kind), "id"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header(f) for f in fields])
    for event in sorted(
        (e for e in events if e.kind is kind), key=lambda e: (e.span.first_day, e.id or 0)
    ):
        writer.writerow(["" if (v := _cell_value(county, event, f)) is None else v for f in fields])
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))


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
    )


def _get(store: Store, record_id: int) -> Event | None:
    from pufa.errors import NotFound

    try:
        return store.get(record_id)
    except NotFound:
        return None


def apply(
    store: Store, planned: Plan, stamp: Stamp, reason: str, *, skip_invalid: bool = False
) -> None:
    """Write an import in one transaction: all or nothing (or, with ``skip_invalid``, the valid rows)."""
    if (planned.rejected or planned.totals) and not skip_invalid:
        raise InvalidInput(
            [p for _, problems in planned.rejected for p in problems] + list(planned.totals)
        )
    with store.transaction():
        store.add_many(
            [event for _, event, _ in planned.add],
            stamp,
            reason,
            [key for _, _, key in planned.add],
        )
        for _, _current, revised in planned.edit:
            store.replace(revised, stamp, reason)


def write_rejects(path: Path, planned: Plan) -> None:
    """The rejected rows, as they were, with a 原因 column: for the township to fix and resend."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "未导入"
    fields = sorted({f for row, _ in planned.rejected for f in row.cells}, key=list(HEADERS).index)
    sheet.append(["表", "行", *(header(f) for f in fields), "原因"])
    for row, problems in planned.rejected:
        sheet.append(
            [
                row.sheet,
                row.number,
                *(_text(row.cells.get(f)) for f in fields),
                ";".join(str(p) for p in problems),
            ]
        )
    book.save(path)
