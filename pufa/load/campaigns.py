"""The national calendar (``campaigns/calendar.toml``) and campaign plans (``plan-<year>.toml``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import pendulum

from pufa import names
from pufa.days import WEEKDAYS, Node, Rule, planned_years
from pufa.errors import InvalidInput
from pufa.load.reader import Reader, Where, choice, hint, read_toml
from pufa.model import County, Kind
from pufa.scheduling import Days, Item, Plan

P = ParamSpec("P")
T = TypeVar("T")
_NODE_KEYS = {
    "key", "name", "rule", "month", "day", "first_year", "default", "announced", "weekday", "nth",
}  # fmt: skip
_RULES = {rule.value: rule for rule in Rule}
_WEEKDAY_INDEX = {name: index for index, name in enumerate(WEEKDAYS)}
_MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"
_ITEM_KEYS = {
    "key", "kind", "title", "count", "per_township", "townships", "dept", "venues", "window", "node",
    "pinned", "occasion", "mode", "school", "lecturer", "audience", "channel", "days",
}  # fmt: skip
_ITEM_FIELDS = ("occasion", "mode", "school", "lecturer", "audience", "channel")
Window = tuple[pendulum.Date, pendulum.Date]


def parse_span(value: object) -> tuple[str, str] | None:
    """``["MM-DD", "MM-DD"]`` → the two strings, or None for anything else."""
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, str) and re.match(_MMDD, v) for v in value)
    ):
        return value[0], value[1]
    return None


def parse_window(span: Any) -> Window | None:
    """``["YYYY-MM-DD", "YYYY-MM-DD"]`` → two dates, or None when it is not two ISO dates."""
    try:
        first, last = (pendulum.Date.fromisoformat(str(d)) for d in span)
    except (ValueError, TypeError):
        return None
    return first, last


def window_fits(window: Window, year: int) -> bool:
    """Whether the window starts no later than it ends, both days inside ``year``."""
    first, last = window
    return first <= last and first.year == year and last.year == year


def load_calendar(path: Path) -> dict[str, Node]:
    """Read the national 普法 calendar; every problem at once, with its line."""
    data, r = read_toml(path)
    r.table(data, (), {"nodes"})
    nodes: dict[str, Node] = {}
    for index, item in enumerate(r.tables(data, "nodes")):
        node = _node(r, item, ("nodes", index), nodes)
        if node is not None:
            nodes[node.key] = node
    r.fail_if_any()
    return nodes


def _node(r: Reader, item: dict[str, Any], where: Where, taken: dict[str, Node]) -> Node | None:
    """One ``[[nodes]]`` table, or None when its key or rule is unusable."""
    r.table(item, where, _NODE_KEYS)
    key, name = r.text(item, where, "key"), r.text(item, where, "name")
    rule = choice(r, (*where, "rule"), item.get("rule"), _RULES, "规则")
    first_year = r.integer(item, where, "first_year", minimum=1800)
    month, day = _month_day(r, item, where, rule)
    weekday, nth = _nth_weekday(r, item, where, rule)
    default = _span(r, (*where, "default"), item.get("default")) if "default" in item else None
    announced = _announced(r, item, where)
    if key in taken:
        r.problem((*where, "key"), key, "在日历中唯一的节点名", "重复定义")
    if rule is None or not key:
        return None
    return Node(key, name, rule, first_year, month, day, default, announced, weekday, nth)


def _month_day(r: Reader, item: dict[str, Any], where: Where, rule: Rule | None) -> tuple[int, int]:
    """``month`` for a day or month rule and ``day`` for a day rule (0 when the rule takes none)."""
    month = day = 0
    if rule in (Rule.DAY, Rule.MONTH, Rule.NTH_WEEKDAY):
        month = r.integer(item, where, "month", minimum=1)
        if month > 12:
            r.problem((*where, "month"), month, "应为 1–12")
    if rule is Rule.DAY:
        day = r.integer(item, where, "day", minimum=1)
        if month <= 12 and day > pendulum.Date(2024, month, 1).days_in_month:
            r.problem((*where, "day"), day, "应为该月存在的日子")
    return month, day


def _nth_weekday(
    r: Reader, item: dict[str, Any], where: Where, rule: Rule | None
) -> tuple[int, int]:
    """``weekday`` (周一…周日) and ``nth`` (1–4) for an n-th weekday rule; (0, 0) for the others."""
    if rule is not Rule.NTH_WEEKDAY:
        return 0, 0
    weekday = choice(r, (*where, "weekday"), item.get("weekday"), _WEEKDAY_INDEX, "星期")
    nth = r.integer(item, where, "nth", minimum=1)
    if nth > 4:
        r.problem((*where, "nth"), nth, "应为 1–4(每月第几个该星期几)")
    return weekday or 0, min(nth, 4)


def _announced(r: Reader, item: dict[str, Any], where: Where) -> dict[int, tuple[str, str]]:
    """``announced = {"2024" = ["MM-DD", "MM-DD"]}``: the week set for each year it was announced."""
    announced: dict[int, tuple[str, str]] = {}
    raw = item.get("announced", {})
    for year_text, span in raw.items() if isinstance(raw, dict) else []:
        parsed = _span(r, (*where, "announced", year_text), span)
        if parsed and year_text.isdigit():
            announced[int(year_text)] = parsed
    return announced


def _span(r: Reader, where: Where, value: object) -> tuple[str, str] | None:
    span = parse_span(value)
    if span is None:
        r.problem(where, value, '应为 ["MM-DD", "MM-DD"](起止日期)')
    return span


def load_plan(path: Path, county: County, nodes: dict[str, Node]) -> Plan:
    """Read a campaign plan; names resolved against the county, every problem at once with its line."""
    data, r = read_toml(path)
    r.table(data, (), {"year", "capacity", "items"})
    year = _plan_year(r, data)
    capacity = r.integer(data, (), "capacity", minimum=1) if "capacity" in data else 1
    items: list[Item] = []
    seen: set[str] = set()
    for index, raw in enumerate(r.tables(data, "items")):
        item = _item(r, raw, ("items", index), year, county, nodes, seen)
        if item is not None:
            items.append(item)
    r.fail_if_any()
    return Plan(year, tuple(items), capacity, str(path))


def _plan_year(r: Reader, data: dict[str, Any]) -> int:
    """The plan's ``year``: one the holidays package has working-day data for."""
    year = r.integer(data, (), "year", minimum=2000)
    years = planned_years()
    if data.get("year") == year and year not in years:  # a year integer() has not refused
        r.problem(
            ("year",),
            year,
            f"应为 {years.start}–{years.stop - 1} 年之一(holidays 包有放假调休安排的年份)",
            "升级 holidays 包(pip install -U holidays)后再排",
        )
    return year


def _item(
    r: Reader,
    raw: dict[str, Any],
    where: Where,
    year: int,
    county: County,
    nodes: dict[str, Node],
    seen: set[str],
) -> Item | None:
    """One ``[[items]]`` table (its key added to ``seen``), or None when its key or kind is unusable."""
    r.table(raw, where, _ITEM_KEYS)
    key = r.text(raw, where, "key")
    if key in seen:
        r.problem((*where, "key"), key, "在计划中唯一的项目名", "重复定义")
    seen.add(key)
    kind = _resolve(r, where, "kind", names.kind, str(raw.get("kind", "")))
    townships = _townships(r, raw, where, county)
    dept = _dept(r, raw, where, county)
    if bool(townships) == bool(dept) and "townships" not in raw:
        r.problem(where, key, '应写 townships("all" 或名单)或 dept 之一')
    venues = _venues(r, raw, where, county, kind)
    node = _item_node(r, raw, where, nodes)
    window = _window(r, raw, where, year)
    if (window is None) == (raw.get("node") is None):
        r.problem(where, key, "应写 window(起止日期)或 node(日历节点)之一")
    count = r.integer(raw, where, "count", minimum=1) if "count" in raw else 0
    per_township = r.integer(raw, where, "per_township", minimum=1) if "per_township" in raw else 0
    if bool(count) == bool(per_township):
        r.problem(where, key, "应写 count(总数)或 per_township(每个乡镇几次)之一")
    fields = {
        f: str(raw[f]) for f in _ITEM_FIELDS if f in raw and r.clean((*where, f), str(raw[f]))
    }
    title = r.text(raw, where, "title")
    if kind is None or not key:
        return None
    return Item(
        key=key,
        kind=kind,
        title=title,
        count=count,
        per_township=per_township,
        townships=townships,
        dept=dept,
        venues=venues,
        window=window,
        node=node,
        pinned=bool(raw.get("pinned", False)),
        days=_days(r, raw, where),
        fields=fields,
        line=r.locator.line(*where),
    )


def _resolve(
    r: Reader, where: Where, field: str, find: Callable[P, T], *args: P.args, **kwargs: P.kwargs
) -> T | None:
    """``find(*args)`` (a :mod:`pufa.names` lookup), its problems recorded at ``where.field``."""
    try:
        return find(*args, **kwargs)
    except InvalidInput as exc:
        for p in exc.problems:
            r.problem((*where, field), p.value, p.expected, p.hint)
        return None


def _townships(r: Reader, raw: dict[str, Any], where: Where, county: County) -> tuple[str, ...]:
    """Township codes: ``"all"``, or each name resolved (a name not found is a problem)."""
    if raw.get("townships") == "all":
        return tuple(t.code for t in county.townships)
    if "townships" not in raw:
        return ()
    found = [
        _resolve(r, where, "townships", names.township, county, t)
        for t in r.strings(raw, where, "townships")
    ]
    return tuple(t.code for t in found if t is not None)


def _dept(r: Reader, raw: dict[str, Any], where: Where, county: County) -> str | None:
    if "dept" not in raw:
        return None
    department = _resolve(r, where, "dept", names.department, county, str(raw["dept"]))
    return department.slug if department else None


def _venues(
    r: Reader, raw: dict[str, Any], where: Where, county: County, kind: Kind | None
) -> tuple[str, ...]:
    """Venue slugs among those the kind may use: ``"all"``, or each name resolved."""
    if kind is None or "venues" not in raw:
        return ()
    if raw["venues"] == "all":
        return tuple(v.slug for v in county.venues_for(kind))
    found = (
        _resolve(r, where, "venues", names.venue, county, kind, x)
        for x in r.strings(raw, where, "venues")
    )
    return tuple(v for v in found if v)


def _days(r: Reader, raw: dict[str, Any], where: Where) -> Days:
    """``days``: absent (working days), ``"any"`` (every day, holidays too) or named weekdays
    (``["周三", "周六"]``, market days; 星期三 and 周天 are read as 周三 and 周日)."""
    value = raw.get("days", "working")
    if value in ("working", "any"):
        return "any" if value == "any" else "working"
    expected = '应为 "any"(每一天,含节假日)或星期几的列表,如 ["周三", "周六"](赶集日)'
    if not isinstance(value, list) or not value:
        guess = hint(value, ["any", *WEEKDAYS]) if isinstance(value, str) else None
        r.problem((*where, "days"), value, expected, guess)
        return "working"
    found: set[int] = set()
    for name in value:
        text = str(name).strip().replace("星期", "周").replace("周天", "周日")
        if text in _WEEKDAY_INDEX:
            found.add(_WEEKDAY_INDEX[text])
        else:
            r.problem((*where, "days"), name, f"应为星期几之一:{'、'.join(WEEKDAYS)}",
                      hint(text, WEEKDAYS))  # fmt: skip
    return tuple(sorted(found)) if found else "working"


def _item_node(r: Reader, raw: dict[str, Any], where: Where, nodes: dict[str, Node]) -> str | None:
    node = raw.get("node")
    if node is not None and node not in nodes:
        r.problem(
            (*where, "node"),
            node,
            f"应为 calendar.toml 中的节点之一:{'、'.join(nodes)}",
            hint(str(node), nodes),
        )
        return None
    return node


def _window(r: Reader, raw: dict[str, Any], where: Where, year: int) -> Window | None:
    """``window``: two dates, kept even when outside the plan's year (that is a problem too)."""
    if "window" not in raw:
        return None
    span = raw["window"]
    window = parse_window(span)
    if window is None:
        r.problem((*where, "window"), span, '应为 ["YYYY-MM-DD", "YYYY-MM-DD"]')
    elif not window_fits(window, year):
        r.problem((*where, "window"), span, f"应为 {year} 年内、先起后止的两个日期")
    return window
