"""Rows ↔ model: the one place that knows how an :class:`Event` is laid out in columns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pendulum

from pufa import vocab
from pufa.errors import Conflict, InvalidInput, PufaError
from pufa.event import (
    DETAIL_FIELDS,
    SPECS,
    Action,
    Change,
    Event,
    Measures,
    Revision,
    Stamp,
    Voiding,
    flatten,
)
from pufa.model import COUNT_MAX, Kind, Measure, Mode, Span, Status, When, date_problem
from pufa.text import clip, controls, visible
from pufa.value import valueclass

Row = Mapping[str, Any]
#: one encoder for every revision (json.dumps with options builds a new one per call: imports)
_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def to_columns(event: Event, flat: dict[str, Any] | None = None) -> dict[str, Any]:
    """Column values for ``events`` (all but id, revision and the stamps)."""
    flat = flat if flat is not None else flatten(event)
    columns: dict[str, Any] = {k: v for k, v in flat.items() if k not in ("start", "end")}
    columns["starts"] = flat["start"]
    columns["ends"] = flat["end"]
    columns["all_day"] = int(event.span.all_day)
    columns["day"] = event.span.first_day.isoformat()
    columns["year"] = event.span.year
    columns["source"] = event.source
    return columns


class Unreadable(PufaError):
    """A stored row pufa cannot turn back into a record (written by hand, or by an older pufa)."""

    def __init__(self, event_id: object, detail: str) -> None:
        detail = visible(detail)
        self.event_id = event_id
        self.detail = detail
        super().__init__(
            f"记录 #{event_id} 无法读取({detail}),已跳过;请运行 pufa db check 查看并修正。"
        )


def _when(text: str) -> When:
    if "T" in text:
        # any ISO offset, even a local mean time one (+08:05:43) that pendulum.parse refuses
        value = pendulum.instance(dt.datetime.fromisoformat(text))
        if value.tzinfo is None:
            raise ValueError(text)
        return value
    return pendulum.Date.fromisoformat(text)


def stamp_text(at: pendulum.DateTime) -> str:
    """Timestamps are stored in UTC, to the microsecond, in ISO 8601."""
    return at.in_timezone("UTC").isoformat()


def already_voided(event_id: int, reason: str, voided_at: str | None, tz: str) -> Conflict:
    """The refusal to void a record twice, saying when (the county's day) and why it was voided."""
    when = str(voided_at or "")
    try:
        when = (
            pendulum.instance(dt.datetime.fromisoformat(when)).in_timezone(tz).format("YYYY-MM-DD")
        )
    except ValueError:
        when = when[:10] or "此前"
    return Conflict(f"记录 #{event_id} 已于 {when} 作废(理由:{reason}),不能再次作废。")


def _stamp(at: str | None, by: str | None) -> Stamp | None:
    if at is None or by is None:
        return None
    parsed = _when(at)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValueError(at)
    return Stamp(parsed, by)


def from_row(row: Row, tz: str) -> Event:
    """An :class:`Event` from an ``events`` row (timed values shown in the county's zone).

    Raises :class:`Unreadable` (naming the record) for a row that is no valid record.
    """
    try:
        return _from_row(row, tz)
    except InvalidInput as exc:
        raise Unreadable(row["id"], str(exc.problems[0])) from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        raise Unreadable(row["id"], f"{type(exc).__name__}: {exc}"[:120]) from None


def _from_row(row: Row, tz: str) -> Event:
    kind = Kind(row["kind"])
    spec = SPECS[kind]
    details: dict[str, Any] = {}
    for name in DETAIL_FIELDS:
        if name in spec.fields and row[name] is not None:
            details[name] = Mode(row[name]) if name == "mode" else row[name]
    start, end = _when(row["starts"]), _when(row["ends"])
    if isinstance(start, pendulum.DateTime) and isinstance(end, pendulum.DateTime):
        start, end = start.in_timezone(tz), end.in_timezone(tz)
    voided = None
    if row["voided_reason"] is not None:
        voided = Voiding(row["voided_reason"], _stamp(row["voided_at"], row["voided_by"]))
    return Event(
        details=spec.details(**details),
        title=row["title"],
        span=Span(start, end),
        township=row["township"],
        dept=row["dept"],
        village=row["village"],
        status=Status(row["status"]),
        measures=Measures(**{m.value: row[m.value] for m in Measure}),
        note=row["note"],
        source=row["source"],
        id=row["id"],
        revision=row["revision"],
        created=_stamp(row["created_at"], row["created_by"]),
        updated=_stamp(row["updated_at"], row["updated_by"]),
        voided=voided,
    )


def changes_text(changes: Sequence[Change | Sequence[object]]) -> str:
    """Revision changes as compact JSON ``[[field, old, new], …]``, CJK kept readable; a change
    is a :class:`Change` or a ``(field, old, new)`` sequence (JSON writes tuples as arrays)."""
    rows = [[c.field, c.old, c.new] if isinstance(c, Change) else c for c in changes]
    return _COMPACT.encode(rows)


def revision_from_row(row: Row) -> Revision:
    stamp = _stamp(row["changed_at"], row["changed_by"])
    assert stamp is not None
    return Revision(
        event_id=row["event_id"],
        seq=row["seq"],
        action=Action(row["action"]),
        stamp=stamp,
        reason=row["reason"],
        changes=tuple(Change(f, old, new) for f, old, new in json.loads(row["changes"])),
    )


# -- pufa db check: what a stored row holds that pufa would refuse today ------------------------------


@valueclass
class Finding:
    """One thing wrong in a store: which record (None: the store itself), which field, the value
    (clipped, escaped), what is wrong, and the command that fixes it (None when there is none)."""

    record: int | None
    field: str
    value: object
    problem: str
    fix: str | None = None

    def __str__(self) -> str:
        where = f"#{self.record} " if self.record is not None else ""
        shown = f"“{self.value}”" if isinstance(self.value, str) else str(self.value)
        text = f"{where}{self.field} = {shown}: {self.problem}"
        return text + (f" — 修正:{self.fix}" if self.fix else "")


#: the text columns of ``events``, their labels, whether they may hold line breaks, their option
_TEXT_COLUMNS: tuple[tuple[str, str, bool, str | None], ...] = (
    ("title", "标题", False, "--title"),
    *((name, vocab.label(name), False, f"--{name}") for name in DETAIL_FIELDS),
    ("note", "备注", True, "--note"),
    ("created_by", "登记人", False, None),
    ("updated_by", "修改人", False, None),
    ("voided_by", "作废人", False, None),
    ("voided_reason", "作废理由", True, None),
)


def check_row(row: Row, tz: str) -> list[Finding]:
    """What is wrong with one ``events`` row: dates out of range or unreadable, counts over the
    bound, control characters in text; else, if it still cannot be read, that."""
    found = _date_findings(row) + _count_findings(row) + _text_findings(row)
    if not found:
        try:
            from_row(row, tz)
        except Unreadable as exc:
            found.append(Finding(row["id"], "记录", None, f"无法读取({exc.detail})", _void(row)))
    return found


def _void(row: Row) -> str:
    """The fix for a row whose dates cannot be read at all: void it."""
    return f"pufa void {row['id']} --reason 数据有误"


def _date_findings(row: Row) -> list[Finding]:
    """Start and end: unreadable (void the row) or outside the accepted range (edit it)."""
    rid, found = row["id"], []
    for column, label in (("starts", "开始"), ("ends", "结束")):
        raw = row[column]
        try:
            when = _when(str(raw))
        except (ValueError, TypeError, OverflowError):
            found.append(Finding(rid, label, clip(visible(str(raw))), "不是可读的日期", _void(row)))
            continue
        day = when.date() if isinstance(when, pendulum.DateTime) else when
        problem = date_problem(label, str(raw), day)
        if problem is not None:
            flag = "--date" if column == "starts" else "--end"
            fix = f"pufa edit {rid} {flag} … --reason 日期有误"
            found.append(Finding(rid, label, clip(str(raw)), problem.expected, fix))
    return found


def _count_findings(row: Row) -> list[Finding]:
    """Counts that are negative, not whole numbers, or over :data:`~pufa.model.COUNT_MAX`."""
    rid, found = row["id"], []
    for measure in Measure:
        value = row[measure.value]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problem_text = "应为不小于 0 的整数"
        elif value > COUNT_MAX:
            problem_text = f"应为不超过 {COUNT_MAX:,} 的整数"
        else:
            continue
        fix = f"pufa edit {rid} --{measure.value} … --reason 数字有误"
        found.append(Finding(rid, measure.label, clip(visible(str(value))), problem_text, fix))
    return found


def _text_findings(row: Row) -> list[Finding]:
    """Text columns holding control characters, shown escaped."""
    rid, found = row["id"], []
    for column, label, multiline, option in _TEXT_COLUMNS:
        text = row[column]
        if not isinstance(text, str):
            continue
        bad = controls(text, multiline=multiline)
        if bad:
            # who did what is history: shown escaped, never changed
            fix = f"pufa edit {rid} {option} … --reason 去掉控制字符" if option else None
            shown = clip(visible(text, multiline=multiline))
            found.append(Finding(rid, label, shown, f"含控制字符 {' '.join(bad)}", fix))
    return found
