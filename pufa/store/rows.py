"""Rows ↔ model: the one place that knows how an :class:`Event` is laid out in columns."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

import pendulum

from pufa.errors import InvalidInput, PufaError
from pufa.model import (
    DETAIL_FIELDS,
    SPECS,
    Action,
    Change,
    Event,
    Kind,
    Measure,
    Measures,
    Mode,
    Revision,
    Span,
    Stamp,
    Status,
    Voiding,
    When,
    flatten,
)

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
        from pufa.text import visible

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


def _stamp(at: str | None, by: str | None) -> Stamp | None:
    if at is None or by is None:
        return None
    parsed = _when(at)
    if not isinstance(parsed, pendulum.DateTime):
        raise ValueError(at)
    return Stamp(parsed, by)


def from_row(row: Row, tz: str = "Asia/Shanghai") -> Event:
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
