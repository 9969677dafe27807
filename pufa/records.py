"""Log, edit and void records: each one transaction, each audited, bad input rejected whole."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs
import pendulum

from pufa.errors import Conflict, InvalidInput
from pufa.event import Event, Stamp, Voiding
from pufa.intake import Entry, build, revise
from pufa.model import REASON_MAX, County, Status, text_problems
from pufa.store import Query, Store

if TYPE_CHECKING:  # plans load only with `pufa plan`, not on `pufa log`
    from pufa.scheduling import Changes


def _reason(reason: str | None, *, required: bool) -> str | None:
    text = (reason or "").strip()
    if required and not text:
        raise InvalidInput.one("reason", reason, "不能为空:请写明原因,如 --reason 参与人数录入有误")
    problems = text_problems("reason", text, max_len=REASON_MAX, multiline=True)
    if problems:
        raise InvalidInput(problems)
    return text or None


def log(
    store: Store,
    county: County,
    entry: Entry,
    stamp: Stamp,
    reason: str | None = None,
    *,
    today: pendulum.Date | None = None,
    allow_duplicate: bool = True,
) -> Event:
    """Validate raw input into an event and store it with its creation revision.

    With ``today``, a held record dated after it is refused; without ``allow_duplicate``, so is a
    record of the same kind, day, place and title as one already kept (not voided or cancelled)."""
    event = build(county, entry, today=today)
    why = _reason(reason, required=False)
    with store.transaction():
        if not allow_duplicate:
            _refuse_duplicate(store, event)
        return store.add(event, stamp, why)


def _refuse_duplicate(store: Store, event: Event) -> None:
    """:class:`InvalidInput` if a kept record has this one's kind, first day, place (township or
    department, and village) and title."""
    query = Query(event.span.year, event.kind, event.township, event.dept)
    for kept in store.events(query):
        if (
            kept.status is not Status.CANCELLED
            and kept.span.first_day == event.span.first_day
            and (kept.township, kept.village, kept.dept)
            == (event.township, event.village, event.dept)
            and kept.title == event.title
        ):
            raise InvalidInput.one(
                "title",
                event.title,
                f"与记录 #{kept.id} 重复(同类型、同一天、同一地点、同标题)",
                "确是另一场活动时请改标题,或加 --allow-duplicate 照样登记",
            )


def edit(
    store: Store,
    county: County,
    event_id: int,
    values: Mapping[str, str | None],
    reason: str | None,
    stamp: Stamp,
    read_revision: int | None = None,
    *,
    today: pendulum.Date | None = None,
) -> tuple[Event, bool]:
    """Change fields of a record; the revision records each field's old and new value and why.

    ``read_revision`` is the version the user looked at (``pufa edit --if-revision N``): if the
    record has changed since, the edit is refused with who changed it, when and what, instead of
    overwriting their work. Returns the record as stored and whether anything changed (an edit to
    the same values writes no revision). With ``today``, a held record moved after it is refused.
    """
    why = _reason(reason, required=True)
    with store.transaction():
        event = store.get_for_update(event_id)
        if event.voided is not None:
            raise Conflict(f"记录 #{event_id} 已作废(理由:{event.voided.reason}),不能修改。")
        changed = revise(county, event, values, today=today)
        if read_revision is not None:  # replace() compares it with the current version
            changed = attrs.evolve(changed, revision=read_revision)
        stored = store.replace(changed, stamp, why)
        return stored, stored.revision != event.revision


def void(store: Store, event_id: int, reason: str | None, stamp: Stamp) -> Event | None:
    """Void a record: it stays in the store and its history, and never counts again (None when
    its row cannot be read back as a record: ``pufa db check`` reports such rows)."""
    why = _reason(reason, required=True)
    assert why is not None
    return store.void(event_id, Voiding(why, stamp))


def done(
    store: Store,
    county: County,
    event_id: int,
    values: Mapping[str, str | None],
    stamp: Stamp,
    *,
    today: pendulum.Date | None = None,
) -> Event:
    """A planned activity was held: record its actual counts (audited like an edit). With
    ``today``, one dated after it is refused (it cannot have been held yet)."""
    with store.transaction():
        event = store.get_for_update(event_id)
        if event.status is not Status.PLANNED:
            raise Conflict(
                f"记录 #{event_id} 的状态是“{event.status.label}”,只有计划中的活动才能登记为已开展。"
            )
        if event.voided is not None:
            raise Conflict(f"记录 #{event_id} 已作废,不能登记为已开展。")
        held = revise(county, event, {**values, "status": "held"}, today=today)
        return store.replace(held, stamp, "已开展")


def cancel(store: Store, county: County, event_id: int, reason: str | None, stamp: Stamp) -> Event:
    """A planned activity will not take place: it stays, marked cancelled, and never counts."""
    why = _reason(reason, required=True)
    with store.transaction():
        event = store.get_for_update(event_id)
        if event.status is not Status.PLANNED or event.voided is not None:
            state = "已作废" if event.voided is not None else f"“{event.status.label}”"
            raise Conflict(f"记录 #{event_id} 的状态是{state},只有计划中的活动才能取消。")
        return store.replace(revise(county, event, {"status": "cancelled"}), stamp, why)


def apply_plan(store: Store, county: County, planned: Changes, stamp: Stamp, reason: str) -> None:
    """Add, move and cancel planned records as ``planned`` says, in one transaction."""
    with store.transaction():
        for slot in planned.add:
            event = attrs.evolve(
                build(county, Entry(slot.item.kind.slug, slot.values(county))), source=slot.source
            )
            store.add(event, stamp, reason)
        for event, slot in planned.move:
            values = slot.values(county)
            moved = revise(
                county,
                store.get_for_update(event.id or 0),
                {
                    k: values[k]
                    for k in ("date", "township", "dept", "venue", "title")
                    if k in values
                },
            )
            store.replace(moved, stamp, reason)
        for event in planned.cancel:
            current = store.get_for_update(event.id or 0)
            store.replace(revise(county, current, {"status": "cancelled"}), stamp, reason)
