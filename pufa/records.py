"""Log, edit and void records: each one transaction, each audited, bad input rejected whole."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import attrs
import pendulum

from pufa import names
from pufa.errors import Conflict, InvalidInput, NotFound, PufaError
from pufa.event import Event, Stamp, Voiding, diff
from pufa.intake import Entry, build, revise
from pufa.locks import (
    COUNTY_LEVEL,
    Lock,
    audited,
    locked_problem,
    month_text,
    override_reason,
    parse_month,
    place_name,
    refusal,
    touched,
)
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


def guard(
    store: Store,
    county: County,
    before: Event | None,
    after: Event | None,
    reason: str | None,
    override: str | None,
) -> str | None:
    """Refuse a change that touches a locked month unless the office gave ``override`` (a checked
    reason, see :func:`pufa.locks.override_reason`); the revision's reason to write (prefixed when
    the override was used). Call inside the write's transaction: the locks read hold until it ends."""
    locks = [
        found
        for key in touched(county, before, after)
        if (found := store.is_locked(*key)) is not None
    ]
    problem = locked_problem(county, locks, before, after)
    if problem is None:
        return reason
    if override is None:
        raise InvalidInput([problem])
    return audited(reason, override)


def log(
    store: Store,
    county: County,
    entry: Entry,
    stamp: Stamp,
    reason: str | None = None,
    *,
    today: pendulum.Date | None = None,
    allow_duplicate: bool = True,
    override: str | None = None,
) -> Event:
    """Validate raw input into an event and store it with its creation revision.

    With ``today``, a held record dated after it is refused; without ``allow_duplicate``, so is a
    record of the same kind, day, place and title as one already kept (not voided or cancelled).
    A record in a locked month is refused unless ``override`` gives the office's reason (here and
    in every write below)."""
    event = build(county, entry, today=today)
    why = _reason(reason, required=False)
    office = override_reason(override)
    with store.transaction():
        why = guard(store, county, None, event, why, office)
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
    override: str | None = None,
) -> tuple[Event, bool]:
    """Change fields of a record; the revision records each field's old and new value and why.

    ``read_revision`` is the version the user looked at (``pufa edit --if-revision N``): if the
    record has changed since, the edit is refused with who changed it, when and what, instead of
    overwriting their work. Returns the record as stored and whether anything changed (an edit to
    the same values writes no revision). With ``today``, a held record moved after it is refused.
    """
    why = _reason(reason, required=True)
    office = override_reason(override)
    with store.transaction():
        event = store.get_for_update(event_id)
        if event.voided is not None:
            raise Conflict(f"记录 #{event_id} 已作废(理由:{event.voided.reason}),不能修改。")
        changed = revise(county, event, values, today=today)
        if read_revision is not None:  # replace() compares it with the current version
            changed = attrs.evolve(changed, revision=read_revision)
        if diff(event, changed):
            why = guard(store, county, event, changed, why, office)
        stored = store.replace(changed, stamp, why)
        return stored, stored.revision != event.revision


def void(
    store: Store,
    event_id: int,
    reason: str | None,
    stamp: Stamp,
    *,
    county: County | None = None,
    override: str | None = None,
) -> Event | None:
    """Void a record: it stays in the store and its history, and never counts again (None when
    its row cannot be read back as a record: ``pufa db check`` reports such rows). With
    ``county``, a record in a locked month is refused unless ``override`` is given."""
    why = _reason(reason, required=True)
    office = override_reason(override)
    with store.transaction():
        if county is not None:
            try:
                event: Event | None = store.get_for_update(event_id)
            except NotFound:
                raise
            except PufaError:  # a row pufa cannot read: it has no month to check
                event = None
            if event is not None and event.voided is None:
                why = guard(store, county, event, None, why, office)
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
    override: str | None = None,
) -> Event:
    """A planned activity was held: record its actual counts (audited like an edit). With
    ``today``, one dated after it is refused (it cannot have been held yet)."""
    office = override_reason(override)
    with store.transaction():
        event = store.get_for_update(event_id)
        if event.status is not Status.PLANNED:
            raise Conflict(
                f"记录 #{event_id} 的状态是“{event.status.label}”,只有计划中的活动才能登记为已开展。"
            )
        if event.voided is not None:
            raise Conflict(f"记录 #{event_id} 已作废,不能登记为已开展。")
        held = revise(county, event, {**values, "status": "held"}, today=today)
        return store.replace(held, stamp, guard(store, county, event, held, "已开展", office))


def cancel(
    store: Store,
    county: County,
    event_id: int,
    reason: str | None,
    stamp: Stamp,
    *,
    override: str | None = None,
) -> Event:
    """A planned activity will not take place: it stays, marked cancelled, and never counts."""
    why = _reason(reason, required=True)
    office = override_reason(override)
    with store.transaction():
        event = store.get_for_update(event_id)
        if event.status is not Status.PLANNED or event.voided is not None:
            state = "已作废" if event.voided is not None else f"“{event.status.label}”"
            raise Conflict(f"记录 #{event_id} 的状态是{state},只有计划中的活动才能取消。")
        cancelled = revise(county, event, {"status": "cancelled"})
        return store.replace(cancelled, stamp, guard(store, county, event, cancelled, why, office))


def apply_plan(
    store: Store,
    county: County,
    planned: Changes,
    stamp: Stamp,
    reason: str,
    *,
    override: str | None = None,
) -> None:
    """Add, move and cancel planned records as ``planned`` says, in one transaction (refused
    whole if one of them touches a locked month, unless ``override`` gives the office's reason)."""
    office = override_reason(override)
    with store.transaction():
        for slot in planned.add:
            event = attrs.evolve(
                build(county, Entry(slot.item.kind.slug, slot.values(county))), source=slot.source
            )
            store.add(event, stamp, guard(store, county, None, event, reason, office))
        for event, slot in planned.move:
            values = slot.values(county)
            current = store.get_for_update(event.id or 0)
            moved = revise(
                county,
                current,
                {
                    k: values[k]
                    for k in ("date", "township", "dept", "venue", "title")
                    if k in values
                },
            )
            store.replace(moved, stamp, guard(store, county, current, moved, reason, office))
        for event in planned.cancel:
            current = store.get_for_update(event.id or 0)
            cancelled = revise(county, current, {"status": "cancelled"})
            store.replace(
                cancelled, stamp, guard(store, county, current, cancelled, reason, office)
            )


def lock_places(county: County, township: str | None, *, everything: bool = False) -> list[str]:
    """The places a lock command names: one township (name, short name or code; the county's
    code or 县直部门 for the departments' records), or with ``everything`` every township and the
    county level."""
    if everything:
        return [t.code for t in county.townships] + [county.code]
    if township is None:
        raise InvalidInput.one(
            "township", None, "必填:乡镇名称或代码,或用 --all 锁定全部乡镇和县直部门"
        )
    if township.strip() in (county.code, COUNTY_LEVEL):
        return [county.code]
    return [names.township(county, township).code]


def lock_months(
    store: Store,
    county: County,
    places: Sequence[str],
    month: str,
    stamp: Stamp,
    reason: str | None = None,
    *,
    locked: bool = True,
) -> list[Lock]:
    """Lock (or with ``locked=False`` unlock) a month (``2026-10``) of each place in one
    transaction; appended to the audit trail, never updated. An unlock needs a reason of at least
    4 characters. Places already in that state are skipped; refused when all of them are."""
    year, number = parse_month(month)
    why = override_reason(reason, "--reason") if not locked else _reason(reason, required=False)
    if not locked and why is None:
        raise InvalidInput.one(
            "reason", reason, "解锁必须写明理由(至少 4 个字)", "如 --reason 乡镇补报漏登的活动"
        )
    written = []
    with store.transaction():
        for place in places:
            current = store.is_locked(place, year, number)
            if (current is not None) == locked:
                continue
            wanted = Lock(place, year, number, locked, stamp.by, stamp.at, why or "")
            written.append(store.lock_month(wanted))
    if not written:
        raise Conflict(_nothing_to_do(county, store, places, year, number, locked=locked))
    return written


def _nothing_to_do(
    county: County, store: Store, places: Sequence[str], year: int, month: int, *, locked: bool
) -> str:
    """Why a lock or unlock changed nothing: every place was already in that state."""
    if not locked:
        where = "、".join(place_name(county, p) for p in places)
        return f"{where} {month_text(year, month)} 未锁定,无需解锁。"
    held = [lock for p in places if (lock := store.is_locked(p, year, month)) is not None]
    return ";".join(refusal(county, lock) for lock in held) + ",无需再次锁定。"
