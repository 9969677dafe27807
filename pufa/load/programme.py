"""A five-year programme (``programme-<first>-<last>.toml``) → :class:`~pufa.programme.Programme`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs

from pufa.errors import InvalidInput
from pufa.load.indicators import _figure, _section, _status
from pufa.load.reader import Reader, Where, choice, hint, read_toml
from pufa.programme import PERIOD_FORM, PeriodTarget, Programme, Shape, parse_period, period_name
from pufa.targets import Indicators

_KEYS = {"indicator", "shape", "figure", "unit", "quote", "section", "status", "assumed", "note"}
_SHAPES = {s.slug: s for s in Shape}


def load_programme(path: Path, indicators: Indicators) -> Programme:
    """Read a programme file; every problem (period, indicator, shape, figure …) at once, located."""
    data, r = read_toml(path)
    r.table(data, (), {"period", "name", "source", "section", "targets"})
    first, last = _period(r, data)
    targets: list[PeriodTarget] = []
    seen: set[str] = set()
    for index, item in enumerate(r.tables(data, "targets")):
        target = _target(r, item, ("targets", index), indicators, seen)
        if target is not None:
            targets.append(target)
    r.fail_if_any()
    section = str(data.get("section", ""))
    return Programme(
        first,
        last,
        str(data.get("name", "")) or period_name(first, last),
        str(data.get("source", "")),
        tuple(t if t.section else _with_section(t, section) for t in targets),
        str(path),
    )


def _with_section(target: PeriodTarget, section: str) -> PeriodTarget:
    return attrs.evolve(target, section=section)


def _period(r: Reader, data: dict[str, Any]) -> tuple[int, int]:
    """``period = "2021-2025"``, which must agree with the file's name when it names one."""
    raw = data.get("period")
    try:
        first, last = parse_period(str(raw) if raw is not None else "")
    except InvalidInput:
        r.problem(("period",), raw, PERIOD_FORM)
        return 0, 0
    named = r.path.stem.removeprefix("programme-")
    if r.path.stem.startswith("programme-") and named != f"{first}-{last}":
        r.problem(("period",), raw, f"应与文件名一致:{named}")
    return first, last


def _target(
    r: Reader, item: dict[str, Any], where: Where, indicators: Indicators, seen: set[str]
) -> PeriodTarget | None:
    """One ``[[targets]]`` table (its indicator added to ``seen``), or None when unusable."""
    r.table(item, where, _KEYS)
    key = r.text(item, where, "indicator")
    if key and key not in indicators.indicators:
        r.problem(
            (*where, "indicator"), key, "应为 indicators.toml 中定义的指标",
            hint(key, indicators.indicators),
        )  # fmt: skip
    if key in seen:
        r.problem((*where, "indicator"), key, "每个指标只设一个规划目标", "与前面的目标重复")
    seen.add(key)
    shape = choice(r, (*where, "shape"), item.get("shape"), _SHAPES, "目标形式")
    figure = _figure(r, item, where)
    unit = r.text(item, where, "unit")
    quote = r.text(item, where, "quote")
    assumed = item.get("assumed", False)
    if not isinstance(assumed, bool):
        r.problem((*where, "assumed"), assumed, "应为 true(假定的数字)或 false")
        assumed = False
    note = item.get("note", "")
    if not isinstance(note, str):
        r.problem((*where, "note"), note, "应为字符串")
        note = ""
    section, status = _section(r, item, where), _status(r, item, where)
    if shape is None or figure is None or not key or key not in indicators.indicators:
        return None
    return PeriodTarget(key, shape, figure, unit, quote, section, status, assumed, note.strip())
