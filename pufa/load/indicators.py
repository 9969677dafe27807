"""Indicators (``indicators.toml``) and a year's targets (``targets-<year>.toml``) → model objects."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any, NamedTuple, TypeGuard

import attrs

from pufa.event import DETAIL_FIELDS
from pufa.load.reader import Reader, Where, choice, hint, read_toml
from pufa.model import County, Kind, Measure, Mode
from pufa.targets import (
    EVEN,
    FIGURE_FORMS,
    STATUSES,
    Comparator,
    Count,
    Figure,
    Indicator,
    Indicators,
    Profile,
    Target,
    TargetSet,
    Untracked,
)

_INDICATOR_KEYS = {
    "key", "name", "count", "unit", "kinds", "match", "measure", "field", "numerator",
    "denominator", "at_least", "profile",
}  # fmt: skip
_TARGET_KEYS = {
    "indicator", "figure", "comparator", "unit", "quote", "phrase", "section", "status",
}  # fmt: skip
_UNTRACKED_KEYS = {"name", "figure", "unit", "quote", "why", "section"}
#: the kind-specific fields an indicator may filter on (the dimensions the store sums by)
MATCHABLE = ("venue", "occasion", "mode")
_COUNTS = {c.slug: c for c in Count}
_MEASURES = {m.slug: m for m in Measure}
_KINDS = {k.slug: k for k in Kind}
_MODES = {m.slug for m in Mode}
_FIELDS = {f: f for f in DETAIL_FIELDS}
_COMPARATORS = {c.slug: c for c in Comparator}


class _Counted(NamedTuple):
    """What an indicator counts, by its :class:`Count`: a measure, a field, or a ratio of two."""

    measure: Measure | None = None
    field: str | None = None
    numerator: Measure | None = None
    denominator: Measure | None = None


def weights_valid(weights: object) -> TypeGuard[list[float]]:
    """Twelve non-negative numbers (January … December), not all zero."""
    return (
        isinstance(weights, list)
        and len(weights) == 12
        and all(isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in weights)
        and bool(sum(weights))
    )


def venue_names(county: County) -> set[str]:
    """Every spelling of the county's venues an indicator may match on: slugs, names, synonyms."""
    return {v.slug for v in county.venues} | {
        name for v in county.venues for name in (v.name, *v.synonyms)
    }


def venue_slug(county: County, value: str) -> str:
    """The slug of the venue ``value`` names (slug, name or synonym); ``value`` itself if none."""
    return next((v.slug for v in county.venues if value in (v.slug, v.name, *v.synonyms)), value)


def default_phrase(quote: str, number: str) -> str | None:
    """The quote with its figure's first occurrence replaced by ``{}``; None if it lacks the figure."""
    return quote.replace(number, "{}", 1) if number in quote else None


def load_indicators(path: Path, county: County) -> Indicators:
    """Read indicator definitions and seasonal profiles; every problem at once, with its line."""
    data, r = read_toml(path)
    r.table(data, (), {"profiles", "indicators"})
    profiles = _profiles(r, data)
    indicators: dict[str, Indicator] = {}
    for index, item in enumerate(r.tables(data, "indicators")):
        indicator = _indicator(r, item, ("indicators", index), county, profiles, indicators)
        if indicator is not None:
            indicators[indicator.key] = indicator
    r.fail_if_any()
    return Indicators(indicators, profiles)


def _profiles(r: Reader, data: dict[str, Any]) -> dict[str, Profile]:
    """The ``[profiles]`` table, with the built-in ``even`` first."""
    profiles: dict[str, Profile] = {"even": EVEN}
    raw = data.get("profiles", {})
    if not isinstance(raw, dict):
        r.problem(("profiles",), raw, "应为 [profiles] 表")
        raw = {}
    for key, entry in raw.items():
        profile = _profile(r, key, entry)
        if profile is not None:
            profiles[key] = profile
    return profiles


def _profile(r: Reader, key: str, entry: object) -> Profile | None:
    """A profile written as a bare list of weights, or as a table with ``label`` and ``weights``."""
    label = ""
    weights = entry
    if isinstance(entry, dict):
        r.table(entry, ("profiles", key), {"label", "weights"})
        label = str(entry.get("label", ""))
        weights = entry.get("weights")
    if not weights_valid(weights):
        r.problem(("profiles", key), weights, "应为 12 个非负数(1–12 月的权重),不全为 0")
        return None
    return Profile(key, tuple(float(w) for w in weights), label)


def _indicator(
    r: Reader,
    item: dict[str, Any],
    where: Where,
    county: County,
    profiles: Mapping[str, Profile],
    taken: Mapping[str, Indicator],
) -> Indicator | None:
    """One ``[[indicators]]`` table, or None when its key or count is unusable."""
    r.table(item, where, _INDICATOR_KEYS)
    key = r.text(item, where, "key")
    if key in taken:
        r.problem((*where, "key"), key, "在本文件中唯一的指标名", "重复定义")
    count = choice(r, (*where, "count"), item.get("count", "sum"), _COUNTS, "计数方式")
    kinds = _kinds(r, item, where)
    match = _match(r, item, where, county)
    counted = _counted(r, item, where, count)
    profile = _profile_name(r, item, where, profiles)
    at_least = r.integer(item, where, "at_least", minimum=1) if "at_least" in item else 1
    if count is None or not key:
        return None
    return Indicator(
        key=key,
        name=r.text(item, where, "name"),
        count=count,
        unit=r.text(item, where, "unit"),
        kinds=kinds,
        match=match,
        measure=counted.measure,
        field=counted.field,
        numerator=counted.numerator,
        denominator=counted.denominator,
        at_least=at_least,
        profile=profile,
    )


def _kinds(r: Reader, item: dict[str, Any], where: Where) -> tuple[Kind, ...]:
    chosen = (
        choice(r, (*where, "kinds"), v, _KINDS, "活动类型") for v in r.strings(item, where, "kinds")
    )
    return tuple(k for k in chosen if k)


def _match(
    r: Reader, item: dict[str, Any], where: Where, county: County
) -> dict[str, tuple[str, ...]]:
    """``match = {field = [values]}``: matchable fields only; venues folded to their slugs."""
    match: dict[str, tuple[str, ...]] = {}
    raw = item.get("match", {})
    if not isinstance(raw, dict):
        r.problem((*where, "match"), raw, "应为 {字段 = [取值, …]} 的表")
        raw = {}
    for name in raw:
        if name not in MATCHABLE:
            expected = f"应为可筛选的字段之一:{'、'.join(MATCHABLE)}"
            r.problem((*where, "match"), name, expected, hint(name, MATCHABLE))
            continue
        values = r.strings(raw, (*where, "match"), name)
        _check_match_values(r, where, name, values, county)
        match[name] = tuple(venue_slug(county, v) if name == "venue" else v for v in values)
    return match


def _check_match_values(
    r: Reader, where: Where, name: str, values: Collection[str], county: County
) -> None:
    """A venue must be one of the county's, a mode online or offline; other fields are free text."""
    venues = venue_names(county)
    for value in values:
        if name == "venue" and value not in venues:
            r.problem(
                (*where, "match"),
                value,
                f"应为县情配置中的进之一:{'、'.join(v.slug for v in county.venues)}",
                hint(value, venues),
            )
        if name == "mode" and value not in _MODES:
            r.problem((*where, "match"), value, "应为 offline 或 online")


def _counted(r: Reader, item: dict[str, Any], where: Where, count: Count | None) -> _Counted:
    """The keys the indicator's count needs: ``measure``, ``numerator``/``denominator``, or ``field``."""
    if count in (Count.SUM, Count.PER_VILLAGE, Count.TOWNSHIPS):
        return _Counted(measure=_measure(r, item, where, "measure"))
    if count is Count.RATE:
        numerator = _measure(r, item, where, "numerator")
        return _Counted(numerator=numerator, denominator=_measure(r, item, where, "denominator"))
    if count is Count.DISTINCT:
        field = choice(r, (*where, "field"), item.get("field"), _FIELDS, "专有字段")
        return _Counted(field=field)
    return _Counted()


def _measure(r: Reader, item: dict[str, Any], where: Where, key: str) -> Measure | None:
    return choice(r, (*where, key), item.get(key), _MEASURES, "计数项")


def _profile_name(
    r: Reader, item: dict[str, Any], where: Where, profiles: Mapping[str, Profile]
) -> str:
    profile = str(item.get("profile", "even"))
    if profile not in profiles:
        r.problem(
            (*where, "profile"),
            profile,
            f"应为 [profiles] 中的名称之一:{'、'.join(profiles)}",
            hint(profile, profiles),
        )
    return profile


def load_targets(path: Path, indicators: Indicators) -> TargetSet:
    """Read a year's targets; every problem (unknown indicator, bad figure, duplicate …) at once."""
    data, r = read_toml(path)
    r.table(data, (), {"year", "source", "section", "basis", "targets", "untracked"})
    year = r.integer(data, (), "year", minimum=2000)
    targets: list[Target] = []
    seen: set[str] = set()
    for index, item in enumerate(r.tables(data, "targets")):
        target = _target(r, item, ("targets", index), indicators, seen)
        if target is not None:
            targets.append(target)
    untracked = [
        _untracked(r, item, ("untracked", index))
        for index, item in enumerate(r.tables(data, "untracked"))
    ]
    r.fail_if_any()
    section = str(data.get("section", ""))  # the file's: for each figure that names none
    return TargetSet(
        year=year,
        source=str(data.get("source", "")),
        section=section,
        targets=tuple(attrs.evolve(t, section=t.section or section) for t in targets),
        untracked=tuple(attrs.evolve(u, section=u.section or section) for u in untracked),
        basis=str(data.get("basis", "")),
        path=str(path),
    )


def _target(
    r: Reader, item: dict[str, Any], where: Where, indicators: Indicators, seen: set[str]
) -> Target | None:
    """One ``[[targets]]`` table (its indicator added to ``seen``), or None when unusable."""
    r.table(item, where, _TARGET_KEYS)
    key = r.text(item, where, "indicator")
    if key and key not in indicators.indicators:
        r.problem(
            (*where, "indicator"),
            key,
            "应为 indicators.toml 中定义的指标",
            hint(key, indicators.indicators),
        )
    if key in seen:
        r.problem((*where, "indicator"), key, "每个指标只设一个目标", "与前面的目标重复")
    seen.add(key)
    figure = _figure(r, item, where)
    comparator = choice(
        r, (*where, "comparator"), item.get("comparator", ">="), _COMPARATORS, "比较方式"
    )
    quote = r.text(item, where, "quote")
    phrase = _phrase(r, item, where, figure, quote)
    if figure is None or comparator is None or not key or not phrase:
        return None
    unit = r.text(item, where, "unit")
    section, status = _section(r, item, where), _status(r, item, where)
    return Target(key, figure, comparator, unit, quote, phrase, section, status)


def _status(r: Reader, item: dict[str, Any], where: Where) -> str:
    """The figure's ``status``: 待核实 until the office confirms it; "" when not given."""
    if "status" not in item:
        return ""
    status = item["status"]
    if status not in STATUSES:
        expected = f"应为 {'、'.join(STATUSES)} 之一(或删去这一行:已核实)"
        r.problem((*where, "status"), status, expected, hint(str(status), STATUSES))
        return ""
    return str(status)


def _section(r: Reader, item: dict[str, Any], where: Where) -> str:
    """The figure's own ``section`` (where in the source it stands), "" to take the file's."""
    return r.text(item, where, "section") if "section" in item else ""


def _phrase(
    r: Reader, item: dict[str, Any], where: Where, figure: Figure | None, quote: str
) -> str:
    """``phrase`` as written (one ``{}``), else derived from the quote: its figure becomes ``{}``."""
    phrase = item.get("phrase")
    if phrase is None:
        if figure is None or not quote:
            return ""
        derived = default_phrase(quote, figure.number_text)
        if derived is None:
            r.problem((*where, "quote"), quote, f"应包含数字 {figure.number_text}(或另写 phrase)")
        return derived or ""
    if not isinstance(phrase, str) or phrase.count("{}") != 1:
        r.problem((*where, "phrase"), phrase, "应含且只含一个 {}(数值的位置)")
        return ""
    return phrase


def _figure(r: Reader, item: dict[str, Any], where: Where) -> Figure | None:
    raw = item.get("figure")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        r.problem((*where, "figure"), raw, f"应为{FIGURE_FORMS}")
        return None
    try:
        return Figure.parse(raw)
    except ValueError:
        r.problem((*where, "figure"), raw, f"应为{FIGURE_FORMS}")
        return None


def _untracked(r: Reader, item: dict[str, Any], where: Where) -> Untracked:
    r.table(item, where, _UNTRACKED_KEYS)
    return Untracked(
        r.text(item, where, "name"),
        r.text(item, where, "figure"),
        str(item.get("unit", "")),
        r.text(item, where, "quote"),
        r.text(item, where, "why"),
        _section(r, item, where),
    )
