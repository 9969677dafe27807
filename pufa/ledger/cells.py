"""One cell of a 台账, both ways: the column headers, a cell's text, counts and dates as typed, a
record's field as a cell, and the quoting that keeps text from running as a formula."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pufa import text
from pufa.display import detail_text, village_name
from pufa.event import DETAIL_FIELDS, SPECS, Event
from pufa.model import County, Kind, Measure
from pufa.vocab import HEADERS

#: a header as :func:`header_text` folds it → its field
LOOKUP = {name: field for field, names in HEADERS.items() for name in names}
COUNTS = {m.value for m in Measure}
_COUNT = re.compile(
    r"^\s*(约|近|超过|逾)?\s*(\d+(?:\.\d+)?)\s*(万)?\s*(余)?\s*(人次|人|名|份|场次|场|条|幅|次|个)?\s*$"
)
_MONTH_DAY = re.compile(r"^\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*$")
#: the first cells of a 合计 row
TOTALS = ("合计", "总计", "小计")


def columns(kind: Kind) -> list[str]:
    """The template's fields for a kind, in order (the first header name of each)."""
    spec = SPECS[kind]
    return [
        "date",
        "end",
        "township",
        "village",
        "dept",
        "title",
        *spec.fields,
        *(m.value for m in spec.measures),
        "status",
        "note",
    ]


def fields(kind: Kind, revisions: bool) -> list[str]:
    """A written sheet's fields: the template's, then 编号 (and 版本 when ``revisions``)."""
    return [*columns(kind), "id", *(["revision"] if revisions else [])]


def header(field: str) -> str:
    """The template's header for a field (参与人次 for ``participants``)."""
    return HEADERS[field][0]


def letter(index: int) -> str:
    """A 0-based column index as the spreadsheet's letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# -- cells → raw entry values ---------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell as trimmed text (``120.0`` → ``120``, empty → ``""``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def header_text(value: Any) -> str:
    """A header cell as looked up: full-width brackets and spaces folded (乡（镇、街道） = 乡(镇、街道))."""
    return (
        cell_text(value)
        .replace("（", "(")
        .replace("）", ")")
        .replace(" ", "")
        .replace("\u3000", "")
    )


def filled(cell: Any) -> bool:
    """Whether a cell holds anything but spaces."""
    return cell is not None and (not isinstance(cell, str) or bool(cell.strip()))


def date_text(value: Any, year: int | None) -> str:
    """A date cell as `pufa log` takes it; ``3月5日`` gets ``year`` when one is given."""
    if isinstance(value, dt.datetime):
        if value.hour or value.minute:
            return value.strftime("%Y-%m-%d %H:%M")
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    typed = cell_text(value)
    short = _MONTH_DAY.match(typed)
    if short and year is not None:
        return f"{year}-{int(short.group(1)):02d}-{int(short.group(2)):02d}"
    return typed


def count_text(value: Any) -> tuple[str, str | None]:
    """``120``, ``120人``, ``约300份``, ``1.2万`` → digits, and a warning for the inexact ones."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (str(int(value)) if float(value).is_integer() else str(value)), None
    typed = cell_text(value)
    match = _COUNT.match(typed)
    if not match:
        return typed, None  # let the validator say what is wrong with it
    about, digits, wan, more, _unit = match.groups()
    if digits.isdigit() and not (about or wan or more):
        return digits, None  # exact: never through a float (9223372036854775807 stays itself)
    if len(digits) > 12:
        return typed, None  # far over any bound: let the validator say so (no float overflow)
    number = float(digits) * (10000 if wan else 1)
    warning = None
    if about or wan or more or not float(digits).is_integer():
        warning = f"“{typed}”按 {int(number)} 计(原文不是确切数字)"
    return str(int(number)), warning


# -- records → cells --------------------------------------------------------------------------------


def cell_value(county: County, event: Event, field: str) -> Any:
    """A record's field as a cell value (text is escaped as it is written: :func:`safe_text`)."""
    if field in ("date", "end"):
        return _moment(event, field)
    if field == "township":
        return county.township(event.township).name if event.township else None
    if field == "village":
        return village_name(county, event.village) if event.village else None
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


def _moment(event: Event, field: str) -> Any:
    """The start (``date``) or end of a record: a date when all-day, else its text to the minute."""
    if field == "end" and event.span.end == event.span.start:
        return None
    moment = event.span.start if field == "date" else event.span.end
    if not event.span.all_day:
        return moment.format("YYYY-MM-DD HH:mm")
    return dt.date(moment.year, moment.month, moment.day)


def number_form(field: str) -> str | None:
    """The Excel number format of a field's cells: dates as dates, counts with separators."""
    return "yyyy-mm-dd" if field in ("date", "end") else "#,##0" if field in COUNTS else None


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


def csv_value(value: Any) -> Any:
    """A cell value as a CSV field: empty for none, text escaped and quoted (:func:`quote_csv`)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return quote_csv(safe_text(value))
    return value
