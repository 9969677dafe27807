"""Campaign plans in a workspace: read, schedule on working days, compare with the store, apply.

The library calls behind ``pufa plan check|apply|show``; the scheduling itself is pure
(:mod:`pufa.planning`).
"""

from __future__ import annotations

from pathlib import Path

import attrs

from pufa import records
from pufa import workspace as ws
from pufa.days import Node, working_days
from pufa.errors import InvalidInput, Problem
from pufa.intake import Entry, build
from pufa.load import load_calendar, load_plan
from pufa.model import County, Event
from pufa.planning import Changes, Plan, Schedule, changes, schedule
from pufa.value import Value


@attrs.frozen(eq=False, repr=False)
class Prepared(Value):
    """A plan with its schedule and what applying it would change."""

    county: County
    nodes: dict[str, Node]
    plan: Plan
    schedule: Schedule
    changes: Changes
    existing: tuple[Event, ...]


def calendar_path(workspace: ws.Workspace) -> Path:
    """The workspace's own calendar.toml if it has one, else the national calendar pufa ships."""
    own = workspace.root / "calendar.toml"
    return own if own.is_file() else ws.campaigns_dir() / "calendar.toml"


def prepare(workspace: ws.Workspace, path: Path) -> Prepared:
    """Read and schedule a plan; check every record it would make; compare with the store."""
    county = workspace.county()
    nodes = load_calendar(calendar_path(workspace))
    plan = load_plan(path, county, nodes)
    placed = schedule(plan, nodes, working_days(plan.year))
    problems: list[Problem] = []
    for slot in placed.slots:  # every record must pass the same validation as `pufa log`
        try:
            build(county, Entry(slot.item.kind.slug, slot.values(county)))
        except InvalidInput as exc:
            problems += [attrs.evolve(p, path=str(path), line=slot.item.line) for p in exc.problems]
            if len(problems) > 20:
                break
    if problems:
        raise InvalidInput(problems)
    store = workspace.open()
    try:
        existing = tuple(store.by_source(plan.prefix))
    finally:
        store.close()
    return Prepared(county, nodes, plan, placed, changes(placed.slots, existing), existing)


def apply(workspace: ws.Workspace, prepared: Prepared, by: str | None = None) -> None:
    """Write the changes: add, move (same ids, audited) and cancel planned records."""
    store = workspace.open()
    try:
        reason = f"按计划 {Path(prepared.plan.path).name} 安排"
        records.apply_plan(store, prepared.county, prepared.changes, ws.stamp(by), reason)
    finally:
        store.close()
