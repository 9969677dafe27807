"""``campaigns/<county>/duties-<year>.toml`` → :class:`~pufa.duties.Duties`, checked whole.

Every problem — an unknown key, department or indicator, a bad figure, a department listed twice —
is reported at once with its ``file:line``; an unknown department or indicator names the closest.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pufa.duties import Duties, Unit
from pufa.load.reader import Reader, Where, hint, read_toml
from pufa.model import County, Department
from pufa.targets import FIGURE_FORMS, Comparator, Figure, Indicators, Target

_UNIT_KEYS = {"dept", "duties", "laws", "tasks"}
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
    return None if dept is None else Unit(dept, duties, laws, tuple(tasks))


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
