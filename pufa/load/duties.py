"""``campaigns/<county>/duties-<year>.toml`` → :class:`~pufa.duties.Duties`, checked whole.

Every problem — an unknown key, department or indicator, a bad figure, a department listed twice,
an evaluation sheet whose weights do not add up to 100 or whose computed item names no task of the
unit — is reported at once with its ``file:line``; an unknown name names the closest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pufa import amounts
from pufa.duties import SHEET_TOTAL, Duties, Item, Unit
from pufa.load.reader import Reader, Where, hint, read_toml
from pufa.model import County, Department
from pufa.targets import FIGURE_FORMS, Comparator, Figure, Indicators, Target

_UNIT_KEYS = {"dept", "duties", "laws", "tasks", "sheet"}
_ITEM_KEYS = {"key", "name", "weight", "task"}
_TASK_KEYS = {"indicator", "figure", "unit", "phrase"}


def load_duties(path: Path, county: County, indicators: Indicators) -> Duties:
    """Read a year's responsibility lists against the county's departments and indicators.

    Raises:
        InvalidInput: every problem in the file, each with ``path`` and ``line``.
    """
    data, r = read_toml(path)
    r.table(data, (), {"year", "source", "units"})
    year = r.integer(data, (), "year", minimum=2000)
    units: list[Unit] = []
    seen: set[str] = set()
    for index, item in enumerate(r.tables(data, "units")):
        unit = _unit(r, item, ("units", index), county, indicators)
        if unit is not None and unit.dept.slug in seen:
            r.problem(
                ("units", index, "dept"), unit.dept.name, "每个部门只列一次", "与前面的清单重复"
            )
        elif unit is not None:
            seen.add(unit.dept.slug)
            units.append(unit)
    r.fail_if_any()
    return Duties(year, str(data.get("source", "")), tuple(units), str(path))


def _dept(r: Reader, item: dict[str, Any], where: Where, county: County) -> Department | None:
    """The department a unit names (name, alias or slug), or None with the closest name."""
    text = r.text(item, where, "dept")
    table = {name: d for d in county.departments for name in d.names}
    if text and text not in table:
        names = [d.name for d in county.departments]
        r.problem(
            (*where, "dept"),
            text,
            "应为 county.toml [[departments]] 中的部门(名称、别名或 slug)",
            hint(text, table) or hint(text, names),
        )
    return table.get(text)


def _unit(
    r: Reader, item: dict[str, Any], where: Where, county: County, indicators: Indicators
) -> Unit | None:
    r.table(item, where, _UNIT_KEYS)
    dept = _dept(r, item, where, county)
    duties = r.text(item, where, "duties")
    laws = r.strings(item, where, "laws")
    tasks: list[Target] = []
    for index, task in enumerate(r.tables(item, "tasks", (*where, "tasks"))):
        found = _task(r, task, (*where, "tasks", index), indicators, {t.indicator for t in tasks})
        if found is not None:
            tasks.append(found)
    sheet = _sheet(r, item, where, tasks)
    return None if dept is None else Unit(dept, duties, laws, tuple(tasks), sheet)


def _sheet(r: Reader, unit: dict[str, Any], where: Where, tasks: list[Target]) -> tuple[Item, ...]:
    """The unit's evaluation sheet: items with unique keys and names, weights adding up to 100."""
    items: list[Item] = []
    for index, table in enumerate(r.tables(unit, "sheet", (*where, "sheet"))):
        at = (*where, "sheet", index)
        r.table(table, at, _ITEM_KEYS)
        key, name = r.text(table, at, "key"), r.text(table, at, "name")
        for field, value in (("key", key), ("name", name)):
            if value and any(value in (i.key, i.name) for i in items):
                r.problem(
                    (*at, field), value, "评议表中每项的 key 和 name 各不相同", "与前面的项重复"
                )
        task = _item_task(r, table, at, tasks)
        items.append(Item(key, name, _weight(r, table, at), task))
    total = sum(i.weight for i in items)
    if items and all(i.weight for i in items) and abs(total - SHEET_TOTAL) > 1e-9:
        weights = "+".join(amounts.text(i.weight) for i in items)
        r.problem(
            (*where, "sheet"),
            f"{weights}={amounts.text(total)}",
            f"评议表各项 weight 之和应为 {SHEET_TOTAL}",
        )
    return tuple(items)


def _item_task(r: Reader, table: dict[str, Any], at: Where, tasks: list[Target]) -> str | None:
    """A computed item's task: an indicator the unit has a task for (None: scored by the office)."""
    if "task" not in table:
        return None
    task = r.text(table, at, "task")
    known = [t.indicator for t in tasks]
    if task and task not in known:
        expected = f"应为本部门 [[units.tasks]] 中的指标({'、'.join(known) or '本部门没有任务'})"
        r.problem((*at, "task"), task, expected, hint(task, known))
    return task or None


def _weight(r: Reader, table: dict[str, Any], at: Where) -> float:
    value = table.get("weight")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 100:
        r.problem((*at, "weight"), value, "应为大于 0、不超过 100 的分值")
        return 0.0
    return float(value)


def _task(
    r: Reader, item: dict[str, Any], where: Where, indicators: Indicators, seen: set[str]
) -> Target | None:
    """One task: an indicator, counted over the unit's records, against a figure (``≥``)."""
    r.table(item, where, _TASK_KEYS)
    key = r.text(item, where, "indicator")
    indicator = indicators.indicators.get(key)
    if key and indicator is None:
        expected = "应为 indicators.toml 中定义的指标"
        r.problem((*where, "indicator"), key, expected, hint(key, indicators.indicators))
    elif key in seen:
        r.problem((*where, "indicator"), key, "每个部门的每个指标只设一项任务", "与前面的任务重复")
    figure = _figure(r, item, where)
    if indicator is None or figure is None or key in seen:
        return None
    unit = r.text(item, where, "unit") if "unit" in item else indicator.unit
    phrase = f"{indicator.name}{{}}{unit}"
    if "phrase" in item:
        phrase = r.text(item, where, "phrase")
        if phrase.count("{}") != 1:
            r.problem((*where, "phrase"), phrase, "应含且只含一个 {}(数值的位置)")
    return Target(key, figure, Comparator.AT_LEAST, unit, "", phrase)


def _figure(r: Reader, item: dict[str, Any], where: Where) -> Figure | None:
    raw = item.get("figure")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    try:
        return Figure.parse(raw) if isinstance(raw, str) else Figure.parse("")
    except ValueError:
        r.problem((*where, "figure"), raw, f"应为{FIGURE_FORMS}")
        return None
