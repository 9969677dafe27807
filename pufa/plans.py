"""Campaign plans in a workspace: read, schedule on working days, compare with the store, apply.

The library calls behind ``pufa plan check|apply|show``; the scheduling itself is pure
(:mod:`pufa.scheduling`).
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pendulum

from pufa import records
from pufa import workspace as ws
from pufa.days import Node, working_days
from pufa.errors import FileAt, InvalidInput, Problem
from pufa.event import Event
from pufa.intake import Entry, build
from pufa.load import load_calendar, load_plan
from pufa.model import County
from pufa.scheduling import Changes, Plan, Schedule, changes, schedule
from pufa.store import Store
from pufa.value import valueclass


@valueclass
class Prepared:
    """A plan with its schedule and what applying it would change."""

    county: County
    nodes: dict[str, Node]
    plan: Plan
    schedule: Schedule
    changes: Changes
    existing: tuple[Event, ...]

    def assumed(self) -> tuple[Node, ...]:
        """The nodes this plan uses whose dates for its year are the calendar's default guess
        (宪法宣传周 in a year not yet announced: 12-01…12-07), each once, in plan order."""
        used = dict.fromkeys(item.node for item in self.plan.items if item.node is not None)
        return tuple(n for key in used if (n := self.nodes[key]).assumed(self.plan.year))


def calendar_path(workspace: ws.Workspace) -> Path:
    """The workspace's own calendar.toml if it has one, else the national calendar pufa ships."""
    own = workspace.root / "calendar.toml"
    return own if own.is_file() else ws.campaigns_dir() / "calendar.toml"


#: a plan is a few KiB of TOML; anything much bigger is the wrong file
PLAN_MAX_BYTES = 1024 * 1024


def _readable(path: Path) -> Path:
    """``path`` if it is a text file pufa can read; a directory, an unreadable or binary file, or
    one far too big for a plan is refused with one message (a missing file is load_plan's to say)."""
    if path.is_dir():
        raise InvalidInput.one(
            "计划文件",
            str(path),
            "是一个目录,应为计划文件",
            "给出目录里的 .toml 文件,如 plan-2024.toml",
        )
    try:
        with path.open("rb") as handle:
            head = handle.read(PLAN_MAX_BYTES + 1)
    except FileNotFoundError:
        return path
    except PermissionError:
        raise InvalidInput.one(
            "计划文件", str(path), "没有读取权限", "请文件的所有者开放读取权限(chmod a+r 文件)"
        ) from None
    except OSError as exc:
        raise InvalidInput.one(
            "计划文件", str(path), f"无法读取(错误码 {exc.errno})", "检查文件所在的磁盘或共享目录"
        ) from None
    if len(head) > PLAN_MAX_BYTES:
        raise InvalidInput.one(
            "计划文件", str(path), "太大(超过 1 MiB),不像计划文件", "确认给的是 .toml 计划文件"
        )
    try:
        binary = "\0" in head.decode("utf-8")
    except UnicodeDecodeError:
        binary = True
    if binary:
        raise InvalidInput.one(
            "计划文件",
            str(path),
            "不是文本文件,应为 UTF-8 编码的 TOML 计划",
            "用文本编辑器打开计划文件,另存为 UTF-8",
        )
    return path


def prepare(county: County, store: Store, path: Path, calendar: Path) -> Prepared:
    """Read the plan at ``path`` and schedule it on the ``calendar`` file's working days; check
    every record it would make; compare with the records it made before in ``store``."""
    nodes = load_calendar(calendar)
    plan = load_plan(_readable(path), county, nodes)
    placed = schedule(plan, nodes, working_days(plan.year))
    problems: list[Problem] = []
    for slot in placed.slots:  # every record must pass the same validation as `pufa log`
        try:
            build(county, Entry(slot.item.kind.slug, slot.values(county)))
        except InvalidInput as exc:
            problems += [
                attrs.evolve(p, location=FileAt(str(path), slot.item.line)) for p in exc.problems
            ]
            if len(problems) > 20:
                break
    if problems:
        raise InvalidInput(problems)
    existing = tuple(store.by_source(plan.prefix))
    return Prepared(county, nodes, plan, placed, changes(placed.slots, existing), existing)


def past(prepared: Prepared, today: pendulum.Date) -> tuple[pendulum.Date, ...]:
    """The days before ``today`` that applying ``prepared`` would add or move planned records to,
    in order (one per record)."""
    slots = [*prepared.changes.add, *(slot for _, slot in prepared.changes.move)]
    return tuple(sorted(slot.day for slot in slots if slot.day < today))


def past_text(days: tuple[pendulum.Date, ...], today: pendulum.Date) -> str:
    """``3 项排在今天(2024-03-06)以前(2024-01-02 至 2024-03-05)``."""
    span = days[0].isoformat() if days[0] == days[-1] else f"{days[0]} 至 {days[-1]}"
    return f"{len(days)} 项排在今天({today.isoformat()})以前({span})"


def apply(
    store: Store,
    prepared: Prepared,
    by: str | None = None,
    *,
    today: pendulum.Date | None = None,
    override: str | None = None,
) -> None:
    """Write the changes into ``store`` (the county is the prepared plan's): add, move (same ids,
    audited) and cancel planned records. With ``today``, a plan that would add or move records to
    days before it is refused, nothing written (``pufa plan apply --include-past`` passes none).
    A change in a month the office locked is refused unless ``override`` gives its reason."""
    days = past(prepared, today) if today is not None else ()
    if today is not None and days:
        raise InvalidInput.one(
            "计划文件",
            Path(prepared.plan.path).name,
            f"有 {past_text(days, today)},未写入任何记录",
            "确要补登这些日子的计划请加 --include-past;或先改计划的窗口",
        )
    reason = f"按计划 {Path(prepared.plan.path).name} 安排"
    records.apply_plan(
        store, prepared.county, prepared.changes, ws.stamp(by), reason, override=override
    )
