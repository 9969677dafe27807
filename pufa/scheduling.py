"""Campaign plans → planned records on working days (pure functions), and what applying them changes.

A :class:`Plan` says what to hold, where, how many, in which window or on which calendar node, with
a per-township daily capacity. :func:`schedule` places every activity on a working day inside its
window (a node's own day when the item is *pinned*, even on a weekend; any day, or only the named
weekdays such as market days, when the item says so in ``days``), spreads them evenly,
respects capacity, and reports what it could not place. The same plan always gives the same
schedule. :func:`changes` compares a schedule with the records an earlier apply made.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Literal

import attrs
import pendulum

from pufa.days import WEEKDAYS, Node, WorkingDays
from pufa.errors import Problem
from pufa.event import Event
from pufa.model import County, Kind, Status
from pufa.value import valueclass


@valueclass
class PlanKey:
    """A plan-made record's source key, ``plan:<year>:<plan file stem>:<item>:<n>``: the record's
    identity across re-applies (stored in the ``source`` column; two plan files never collide)."""

    year: int
    plan: str  #: the plan file's name without ``.toml``
    item: str  #: the plan item's key
    n: int  #: the activity's number within the item, from 1

    @staticmethod
    def prefix(year: int, plan: str | None = None) -> str:
        """What every key of a year's plans (or of one plan file's) starts with: ``plan:2024:``."""
        return f"plan:{year}:" if plan is None else f"plan:{year}:{plan}:"

    def format(self) -> str:
        """``plan:2024:plan-2024:seven-into:015``."""
        return f"{self.prefix(self.year, self.plan)}{self.item}:{self.n:03d}"

    @classmethod
    def parse(cls, text: str) -> PlanKey | None:
        """The key ``text`` holds, or None when it is not a plan's source key (a ledger's, none)."""
        parts = text.split(":", 3)
        if len(parts) != 4 or parts[0] != "plan" or not parts[1].isdigit():
            return None
        item, _, n = parts[3].rpartition(":")
        if not parts[2] or not item or not n.isdigit():
            return None
        return cls(int(parts[1]), parts[2], item, int(n))


#: which days an item may use: ``"working"`` (working days, the default), ``"any"`` (every day,
#: weekends and public holidays too), or weekday numbers (Monday = 0; market days 赶集日): those
#: weekdays, public holidays and substitute days off excluded
Days = Literal["working", "any"] | tuple[int, ...]


@valueclass
class Item:
    """One line of a plan: ``count`` activities of ``kind`` (or ``per_township`` each), where and when."""

    key: str
    kind: Kind
    title: str
    count: int = 0
    per_township: int = 0
    townships: tuple[str, ...] = ()  #: township codes; empty with dept set
    dept: str | None = None
    venues: tuple[str, ...] = ()  #: venue slugs, used in turn
    window: tuple[pendulum.Date, pendulum.Date] | None = None
    node: str | None = None
    pinned: bool = False
    days: Days = "working"
    fields: Mapping[str, str] = attrs.field(factory=dict)  #: occasion, mode, school … as typed
    line: int | None = None


@valueclass
class Plan:
    """A year's campaign plan."""

    year: int
    items: tuple[Item, ...]
    capacity: int = 1  #: activities per township (or department) per working day
    path: str = ""

    @property
    def stem(self) -> str:
        """The plan file's name without ``.toml`` (``plan`` for a plan read from no file)."""
        return self.path.rsplit("/", 1)[-1].removesuffix(".toml") if self.path else "plan"

    @property
    def prefix(self) -> str:
        """What the source keys of this plan's records start with (:meth:`PlanKey.prefix`)."""
        return PlanKey.prefix(self.year, self.stem)


@valueclass
class Slot:
    """One planned activity placed on a day: what the record will be."""

    source: str  #: stable identity across re-applies: a :class:`PlanKey`, formatted
    item: Item
    day: pendulum.Date
    township: str | None
    dept: str | None
    venue: str | None

    def values(self, county: County) -> dict[str, str | None]:
        """The record's raw fields, as :func:`pufa.intake.build` takes them."""
        township = county.township(self.township) if self.township else None
        venue = county.venue(self.venue) if self.venue else None
        title = self.item.title.format(
            township=township.short_name if township else "", venue=venue.name if venue else ""
        )
        values: dict[str, str | None] = {
            "title": title,
            "date": self.day.isoformat(),
            "township": self.township,
            "dept": self.dept,
            "status": "planned",
            **self.item.fields,
        }
        if self.venue:
            values["venue"] = self.venue
        return values


@valueclass
class Schedule:
    """Where every activity of a plan goes, and the ones that did not fit."""

    slots: tuple[Slot, ...]
    unplaced: tuple[Problem, ...]


def window(item: Item, nodes: Mapping[str, Node], year: int) -> tuple[pendulum.Date, pendulum.Date]:
    if item.node is not None:
        return nodes[item.node].dates(year)
    assert item.window is not None
    return item.window


def _owners(item: Item) -> list[tuple[str | None, str | None, str | None]]:
    """(township, dept, venue) for each activity of the item, townships and venues in turn."""
    places: list[tuple[str | None, str | None]] = (
        [(t, None) for t in item.townships] if item.townships else [(None, item.dept)]
    )
    total = item.per_township * len(places) if item.per_township else item.count
    out = []
    for n in range(total):
        township, dept = places[n % len(places)]
        venue = item.venues[(n // len(places) + n) % len(item.venues)] if item.venues else None
        out.append((township, dept, venue))
    return out


def days_text(days: Days) -> str:
    """``工作日``, ``任何一天`` or ``周三或周六,节假日除外``: the days an item may use, in words."""
    if days == "working":
        return "工作日"
    if days == "any":
        return "任何一天"
    return "或".join(WEEKDAYS[d] for d in days) + ",节假日除外"


def _candidates(
    item: Item, first: pendulum.Date, last: pendulum.Date, days: WorkingDays
) -> list[pendulum.Date]:
    """The days of the window ``item`` may use: its node's own days when pinned, else as ``days`` says."""
    every = [first.add(days=d) for d in range((last - first).days + 1)]
    if item.pinned or item.days == "any":
        return every
    if item.days == "working":
        return list(days.between(first, last))
    return [d for d in every if d.day_of_week in item.days and not days.holiday(d)]


def schedule(plan: Plan, nodes: Mapping[str, Node], days: WorkingDays) -> Schedule:
    """Place every activity of ``plan`` (deterministic: same plan, same schedule)."""
    used: dict[tuple[str, pendulum.Date], int] = defaultdict(int)
    slots: list[Slot] = []
    unplaced: list[Problem] = []
    for item in plan.items:
        first, last = window(item, nodes, plan.year)
        candidates = _candidates(item, first, last, days)
        owners = _owners(item)
        if not candidates:
            unplaced.append(
                Problem(
                    f"items.{item.key}",
                    f"{first}~{last}",
                    f"窗口内至少有一个{days_text(item.days)}",
                    f"{len(owners)} 项未能安排",
                )
            )
            continue
        for n, (township, dept, venue) in enumerate(owners):
            ideal = min(len(candidates) - 1, (2 * n + 1) * len(candidates) // (2 * len(owners)))
            owner = township or dept or ""
            order = sorted(range(len(candidates)), key=lambda i: (abs(i - ideal), i < ideal))
            chosen = next(
                (candidates[i] for i in order if used[(owner, candidates[i])] < plan.capacity), None
            )
            if chosen is None:
                unplaced.append(
                    Problem(
                        f"items.{item.key}",
                        owner,
                        f"{first}~{last} 内每天不超过 {plan.capacity} 项的空档",
                        "放宽窗口或提高 capacity",
                    )
                )
                continue
            used[(owner, chosen)] += 1
            slots.append(
                Slot(
                    PlanKey(plan.year, plan.stem, item.key, n + 1).format(),
                    item,
                    chosen,
                    township,
                    dept,
                    venue,
                )
            )
    return Schedule(tuple(slots), tuple(unplaced))


@valueclass
class Changes:
    """What applying a schedule does to the records an earlier apply made."""

    add: tuple[Slot, ...]
    move: tuple[tuple[Event, Slot], ...]
    cancel: tuple[Event, ...]
    kept: tuple[Event, ...]  #: held or cancelled records the plan no longer touches


def changes(slots: Sequence[Slot], existing: Sequence[Event]) -> Changes:
    """Compare a schedule with existing plan-made records (by source key).

    New keys are added; planned records whose day, place or venue changed are moved (same id); planned
    records the plan no longer has are cancelled. Held and cancelled records are never touched.
    """
    by_source = {e.source: e for e in existing if e.source}
    wanted = {s.source for s in slots}
    add, move, kept = [], [], []
    for slot in slots:
        event = by_source.get(slot.source)
        if event is None:
            add.append(slot)
        elif event.status is not Status.PLANNED or event.voided is not None:
            kept.append(event)
        elif (
            event.span.first_day,
            event.township,
            event.dept,
            getattr(event.details, "venue", None),
        ) != (
            slot.day,
            slot.township,
            slot.dept,
            slot.venue,
        ):
            move.append((event, slot))
    cancel = [
        e
        for e in existing
        if e.source not in wanted and e.status is Status.PLANNED and e.voided is None
    ]
    return Changes(tuple(add), tuple(move), tuple(cancel), tuple(kept))
