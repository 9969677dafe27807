"""The county profile (``campaigns/<county>/county.toml``) → :class:`County`, checked whole."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pendulum

from pufa.load.reader import Reader, Where, hint, read_toml
from pufa.model import (
    DEPT_KINDS,
    SCHOOL_LEVELS,
    TOWNSHIP_KINDS,
    County,
    Department,
    Kind,
    School,
    Township,
    Venue,
    Village,
)

T = TypeVar("T")

_COUNTY_KEYS = {
    "code", "name", "short_name", "slug", "city", "province", "timezone", "villages", "source",
}  # fmt: skip
_VENUE_LIST_KINDS = {"seven_into": Kind.SEVEN_INTO, "constitution": Kind.CONSTITUTION}
_SLUG = r"^[a-z0-9][a-z0-9\-]*$"


def is_slug(text: str) -> bool:
    """Lower-case ASCII letters, digits and hyphens, not starting with a hyphen (``public-place``)."""
    return re.match(_SLUG, text) is not None


def is_township_code(code: str) -> bool:
    """A 9-digit township code of the statistical division codes (``520121206``)."""
    return code.isdigit() and len(code) == 9


def load_county(path: Path, *, cached: bool = False) -> County:
    """Read a county profile (``campaigns/<county>/county.toml``) and check it whole; with
    ``cached`` (a workspace's own profile), its parsed TOML is kept beside it (:mod:`pufa.load.cache`).

    Raises:
        InvalidInput: every problem in the file, each with ``path`` and ``line``.
    """
    data, r = read_toml(path, cached=cached)
    r.table(data, (), {"county", "venues", "venue_lists", "townships", "departments"})
    head = _head(r, data)
    timezone = _timezone(r, head)
    where = ("county",)
    code, name = r.text(head, where, "code"), r.text(head, where, "name")
    short_name, slug = r.text(head, where, "short_name"), r.text(head, where, "slug")
    venues = _each(r, data, "venues", {"slug", "name", "synonyms"}, _venue)
    venue_lists = _venue_lists(r, data, [v.slug for v, _ in venues])
    townships = _townships(r, data)
    villages = _village_count(r, head, [t for t, _ in townships])
    departments = _each(r, data, "departments", {"slug", "name", "aliases", "kind"}, _department)
    _unique_names(r, townships, departments)
    _unique_schools(r, townships)
    r.fail_if_any()
    return County(
        code=code,
        name=name,
        short_name=short_name,
        slug=slug,
        timezone=timezone,
        villages=villages,
        venues=tuple(v for v, _ in venues),
        venue_lists=venue_lists,
        townships=tuple(t for t, _ in townships),
        departments=tuple(d for d, _ in departments),
        city=str(head.get("city", "")),
        province=str(head.get("province", "")),
    )


def _head(r: Reader, data: dict[str, Any]) -> dict[str, Any]:
    """The ``[county]`` table (empty, with a problem, when it is missing or not a table)."""
    head = data.get("county")
    if not isinstance(head, dict):
        r.problem(("county",), head, "应为 [county] 表")
        head = {}
    r.table(head, ("county",), _COUNTY_KEYS)
    return head


def _timezone(r: Reader, head: dict[str, Any]) -> str:
    timezone = r.text(head, ("county",), "timezone", "Asia/Shanghai")
    if timezone:
        try:
            pendulum.timezone(timezone)
        except Exception:  # pendulum raises its own InvalidTimezone; any failure means unknown
            r.problem(("county", "timezone"), timezone, "应为 IANA 时区名,如 Asia/Shanghai")
    return timezone


def _each(
    r: Reader,
    data: dict[str, Any],
    key: str,
    known: set[str],
    build: Callable[[Reader, dict[str, Any], Where], T],
) -> list[tuple[T, Where]]:
    """Each table of the array ``[[key]]`` built, with its position (for later cross-checks)."""
    out = []
    for index, item in enumerate(r.tables(data, key)):
        where: Where = (key, index)
        r.table(item, where, known)
        out.append((build(r, item, where), where))
    return out


def _slug(r: Reader, item: dict[str, Any], where: Where) -> str:
    slug = r.text(item, where, "slug")
    if slug and not is_slug(slug):
        r.problem((*where, "slug"), slug, "应为小写 ASCII 字母、数字和连字符,如 public-place")
    return slug


def _venue(r: Reader, item: dict[str, Any], where: Where) -> Venue:
    return Venue(
        _slug(r, item, where), r.text(item, where, "name"), r.strings(item, where, "synonyms")
    )


def _department(r: Reader, item: dict[str, Any], where: Where) -> Department:
    kind = r.text(item, where, "kind", "其他")
    if kind and kind not in DEPT_KINDS:
        expected = f"应为 {'、'.join(DEPT_KINDS)} 之一"
        r.problem((*where, "kind"), kind, expected, hint(kind, DEPT_KINDS))
    return Department(
        _slug(r, item, where),
        r.text(item, where, "name"),
        r.strings(item, where, "aliases"),
        kind if kind in DEPT_KINDS else "其他",
    )


def _venue_lists(r: Reader, data: dict[str, Any], slugs: list[str]) -> dict[Kind, tuple[str, ...]]:
    lists = data.get("venue_lists", {})
    if not isinstance(lists, dict):
        r.problem(("venue_lists",), lists, "应为 [venue_lists] 表")
        return {}
    r.table(lists, ("venue_lists",), set(_VENUE_LIST_KINDS))
    out: dict[Kind, tuple[str, ...]] = {}
    for key, kind in _VENUE_LIST_KINDS.items():
        where = ("venue_lists", key)
        chosen = r.strings(lists, ("venue_lists",), key)
        if not chosen:
            r.problem(where, lists.get(key), "应为非空的进列表([[venues]] 中的 slug)")
        for slug in chosen:
            if slug not in slugs:
                expected = f"应为 [[venues]] 中的 slug 之一:{'、'.join(slugs)}"
                r.problem(where, slug, expected, hint(slug, slugs))
        out[kind] = chosen
    return out


def _townships(r: Reader, data: dict[str, Any]) -> list[tuple[Township, Where]]:
    found = _each(
        r,
        data,
        "townships",
        {"code", "name", "short_name", "kind", "slug", "aliases", "villages", "schools"},
        _township,
    )
    if not found:
        r.problem(("townships",), None, "至少要有一个 [[townships]]")
    return found


def _township(r: Reader, item: dict[str, Any], where: Where) -> Township:
    kind = r.text(item, where, "kind")
    if kind and kind not in TOWNSHIP_KINDS:
        r.problem(
            (*where, "kind"),
            kind,
            f"应为 {'、'.join(TOWNSHIP_KINDS)} 之一",
            hint(kind, TOWNSHIP_KINDS),
        )
        kind = "乡"
    code = r.text(item, where, "code")
    if code and not is_township_code(code):
        r.problem((*where, "code"), code, "应为 9 位统计用区划代码,如 520121206")
    return Township(
        code=code,
        name=r.text(item, where, "name"),
        short_name=r.text(item, where, "short_name"),
        kind=kind or "乡",
        slug=_slug(r, item, where),
        aliases=r.strings(item, where, "aliases"),
        villages=_villages(r, item, where, code),
        schools=_schools(r, item, where),
    )


def _village_count(r: Reader, head: dict[str, Any], townships: list[Township]) -> int:
    """``[county] villages``: the 村(居) count; when the townships list their villages it may be
    left out, and if given must agree with the lists."""
    listed = sum(len(t.villages) for t in townships)
    if "villages" not in head and listed:
        return listed
    count = r.integer(head, ("county",), "villages", minimum=1)
    if listed and count != listed:
        expected = f"应与各乡镇 villages 列出的村(居)数 {listed} 一致"
        r.problem(("county", "villages"), count, expected, f"改为 {listed},或删去此项")
    return count


def _villages(r: Reader, item: dict[str, Any], where: Where, township: str) -> tuple[Village, ...]:
    """A township's ``villages = [{ code, name, short_name }, …]``: 12-digit codes under the
    township's own code, each code and name once."""
    out: list[Village] = []
    seen: set[str] = set()
    for index, entry in enumerate(r.tables(item, "villages", (*where, "villages"))):
        at: Where = (*where, "villages", index)
        r.table(entry, at, {"code", "name", "short_name"})
        code, name = r.text(entry, at, "code"), r.text(entry, at, "name")
        short = r.text(entry, at, "short_name", name or "?")
        if code and not (code.isdigit() and len(code) == 12 and code.startswith(township)):
            r.problem(
                (*at, "code"), code, f"应为 12 位统计用区划代码,以所属乡镇代码 {township} 开头"
            )
        for text in dict.fromkeys((code, name, short)):
            if text and text in seen:
                r.problem(at, text, "村(居)的代码和名称在本乡镇内须唯一")
            seen.add(text)
        out.append(Village(code, name, short))
    return tuple(out)


def _schools(r: Reader, item: dict[str, Any], where: Where) -> tuple[School, ...]:
    """A township's ``schools = [{ name, level }, …]`` (学校清单; level 小学/初中/高中/中职)."""
    out: list[School] = []
    for index, entry in enumerate(r.tables(item, "schools", (*where, "schools"))):
        at: Where = (*where, "schools", index)
        r.table(entry, at, {"name", "level"})
        name, level = r.text(entry, at, "name"), r.text(entry, at, "level")
        if level and level not in SCHOOL_LEVELS:
            expected = f"应为 {'、'.join(SCHOOL_LEVELS)} 之一"
            r.problem((*at, "level"), level, expected, hint(level, SCHOOL_LEVELS))
            level = SCHOOL_LEVELS[0]
        out.append(School(name, level))
    return tuple(out)


def _unique_schools(r: Reader, townships: list[tuple[Township, Where]]) -> None:
    """A school's name means one school of the county (法治副校长 name it)."""
    seen: set[str] = set()
    for township, where in townships:
        for index, school in enumerate(township.schools):
            if school.name in seen:
                r.problem((*where, "schools", index, "name"), school.name, "学校名称在全县须唯一")
            seen.add(school.name)


def _unique_names(
    r: Reader,
    townships: list[tuple[Township, Where]],
    departments: list[tuple[Department, Where]],
) -> None:
    """A name, alias, slug or code may mean only one place: otherwise input would be ambiguous."""
    seen: dict[str, str] = {}
    places: list[tuple[tuple[str, ...], str, Where]] = [
        (t.names, t.name, where) for t, where in townships
    ] + [(d.names, d.name, where) for d, where in departments]
    for names, owner, where in places:
        for name in dict.fromkeys(n for n in names if n):
            key = name.casefold()
            if key in seen and seen[key] != owner:
                r.problem(where, name, "名称和别名在全县须唯一", f"已用于 {seen[key]}")
            seen.setdefault(key, owner)
