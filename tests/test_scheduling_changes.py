"""planning.changes, directly: a schedule against the records an earlier apply made → add / move /
cancel / kept (docs/architecture.md, "Plans"). Pure: hand-made slots and records, no store."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from pufa.event import Event, Voiding
from pufa.intake import Entry, build
from pufa.model import County, Kind, Status
from pufa.scheduling import Changes, Item, Slot, changes

HEFENG = "520121206"  # 禾丰乡
XICHENG = "520121001"  # 硒城街道
MARCH_5 = pendulum.date(2024, 3, 5)
MARCH_6 = pendulum.date(2024, 3, 6)
#: one plan item: 法律七进 in the villages
SEVEN_INTO = Item(key="seven-into", kind=Kind.SEVEN_INTO, title="法律七进", venues=("village",))


def slot(
    n: int = 1,
    *,
    day: pendulum.Date = MARCH_5,
    township: str = HEFENG,
    venue: str = "village",
) -> Slot:
    """The n-th activity of SEVEN_INTO, placed on ``day`` in ``township`` at ``venue``."""
    source = f"plan:2024:plan-2024:seven-into:{n:03d}"
    return Slot(source, SEVEN_INTO, day, township, None, venue)


def record(county: County, placed: Slot, record_id: int = 1, **changed: object) -> Event:
    """The record an earlier apply made of ``placed`` (planned, revision 1), with ``changed`` fields."""
    event = build(county, Entry(Kind.SEVEN_INTO.value, placed.values(county)))
    return attrs.evolve(event, source=placed.source, id=record_id, revision=1, **changed)


def nothing() -> Changes:
    return Changes((), (), (), ())


def test_a_new_key_is_added() -> None:
    """A slot whose key no record carries is an add."""
    new = slot()
    assert changes([new], []) == Changes((new,), (), (), ())


def test_an_unchanged_record_is_left_alone(county: County) -> None:
    """A planned record on the slot's day, township and venue is neither added, moved nor kept."""
    placed = slot()
    assert changes([placed], [record(county, placed)]) == nothing()


def test_another_day_is_a_move(county: County) -> None:
    """A planned record whose slot moved to another day is moved (the same record, by id)."""
    earlier = record(county, slot(day=MARCH_5))
    later = slot(day=MARCH_6)
    assert changes([later], [earlier]) == Changes((), ((earlier, later),), (), ())


def test_another_township_is_a_move(county: County) -> None:
    """A planned record whose slot moved to another township is moved."""
    earlier = record(county, slot(township=HEFENG))
    elsewhere = slot(township=XICHENG)
    assert changes([elsewhere], [earlier]).move == ((earlier, elsewhere),)


def test_another_venue_is_a_move(county: County) -> None:
    """A planned record whose slot's venue changed is moved."""
    earlier = record(county, slot(venue="village"))
    school = slot(venue="school")
    assert changes([school], [earlier]).move == ((earlier, school),)


def test_a_new_title_alone_moves_nothing(county: County) -> None:
    """Only day, place and venue are compared: a title edited in the plan changes no record."""
    placed = slot()
    retitled = attrs.evolve(placed, item=attrs.evolve(SEVEN_INTO, title="法律七进乡村"))
    assert changes([retitled], [record(county, placed)]) == nothing()


def test_a_planned_record_the_plan_dropped_is_cancelled(county: County) -> None:
    """A planned, non-voided record whose key the schedule no longer has is cancelled."""
    dropped = record(county, slot(2), record_id=2)
    assert changes([], [dropped]) == Changes((), (), (dropped,), ())


def test_a_held_record_is_kept_whatever_the_plan_says(county: County) -> None:
    """A held record is kept, even when its slot moved to another day."""
    held = record(county, slot(day=MARCH_5), status=Status.HELD)
    assert changes([slot(day=MARCH_6)], [held]) == Changes((), (), (), (held,))


def test_a_cancelled_record_is_kept_and_not_revived(county: County) -> None:
    """A cancelled record whose key the plan brings back is kept, not added again."""
    cancelled = record(county, slot(), status=Status.CANCELLED)
    assert changes([slot()], [cancelled]) == Changes((), (), (), (cancelled,))


def test_a_voided_record_is_kept(county: County) -> None:
    """A voided planned record is kept: never moved, whatever the plan now says."""
    voided = record(county, slot(day=MARCH_5), voided=Voiding("重复登记"))
    assert changes([slot(day=MARCH_6)], [voided]) == Changes((), (), (), (voided,))


@pytest.mark.parametrize("status", [Status.HELD, Status.CANCELLED], ids=lambda status: status.value)
def test_a_dropped_record_that_is_not_planned_is_not_cancelled(
    county: County, status: Status
) -> None:
    """A held or cancelled record the plan no longer has is left as it is (not cancelled, and not
    listed as kept: only the schedule's own keys are)."""
    assert changes([], [record(county, slot(), status=status)]) == nothing()


def test_a_dropped_voided_record_is_not_cancelled(county: County) -> None:
    """A voided record the plan no longer has is not cancelled."""
    assert changes([], [record(county, slot(), voided=Voiding("重复登记"))]) == nothing()


def test_a_record_without_a_source_is_never_matched(county: County) -> None:
    """A record with no source key (logged by hand) matches no slot, so the slot is added."""
    by_hand = attrs.evolve(record(county, slot()), source=None)
    new = slot()
    assert changes([new], [by_hand]).add == (new,)


def test_slots_are_added_in_schedule_order() -> None:
    """Adds come in the schedule's order, the order the records get their ids."""
    first, second, third = slot(3), slot(1), slot(2)
    assert changes([first, second, third], []).add == (first, second, third)
