"""campaigns/ TOML files → model objects; every problem is reported at once, with file and line."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pendulum

from pufa.errors import FileAt, InvalidInput, Problem, TomlAt
from pufa.model import DETAIL_FIELDS, County, Department, Kind, Measure, Mode, Township, Venue
from pufa.names import closest
from pufa.text import clip, controls, visible

# loaded by `summary`, `report` and `plan` only: `log` needs just the county profile
if TYPE_CHECKING:
    from pufa.days import Node
    from pufa.planning import Plan
    from pufa.targets import Figure, Indicators, TargetSet

T = TypeVar("T")
# patterns as text: `re` compiles each on first use and keeps it (nothing compiled at import)
_HEADER = r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?"
_KEY = r'^\s*"?([A-Za-z0-9_\-]+)"?\s*='
_TOML_AT = r"\(at line (\d+), column (\d+)\)"


class Locator:
    """Finds the line of a key in TOML text: ``("townships", 3, "kind")`` → line number (1-based).

    tomllib gives values without positions; this scans headers and keys, which is exact for the
    plain layout campaign files use (one key per line, tables and arrays of tables).
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[object, ...], int] = {}
        counts: dict[str, int] = {}
        table: tuple[object, ...] = ()
        for number, line in enumerate(text.splitlines(), start=1):
            header = re.match(_HEADER, line)
            if header:
                name = header.group(2)
                if header.group(1) == "[[":
                    index = counts.get(name, 0)
                    counts[name] = index + 1
                    table = (*name.split("."), index)
                else:
                    table = tuple(name.split("."))
                self._lines.setdefault(table, number)
                continue
            key = re.match(_KEY, line)
            if key:
                self._lines.setdefault((*table, key.group(1)), number)

    def line(self, *path: object) -> int | None:
        """The line of ``path``, or of its nearest enclosing table when the key is absent."""
        for end in range(len(path), 0, -1):
            if (number := self._lines.get(tuple(path[:end]))) is not None:
                return number
        return None


class Reader:
    """Collects typed values out of a parsed TOML document, recording each problem with its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self._text = text
        self._locator: Locator | None = None
        self.problems: list[Problem] = []

    @property
    def locator(self) -> Locator:
        """Built on the first problem only: a valid file never pays for the line scan."""
        if self._locator is None:
            self._locator = Locator(self._text)
        return self._locator

    def problem(
        self, where: tuple[object, ...], value: object, expected: str, hint: str | None = None
    ) -> None:
        toml_path = ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in where)
        key = next((str(p) for p in reversed(where) if not isinstance(p, int)), "")
        at = TomlAt(str(self.path), self.locator.line(*where), toml_path.replace(".[", "["))
        self.problems.append(Problem(key, value, expected, hint, at))

    def table(self, data: dict[str, Any], where: tuple[object, ...], known: set[str]) -> None:
        """Flag keys this table does not take (typos), with the closest known key."""
        for key in data:
            if key not in known:
                guess = closest(key, sorted(known))
                self.problem(
                    (*where, key),
                    key,
                    f"应为已知的键之一:{'、'.join(sorted(known))}",
                    f"是否指 {guess}?" if guess else None,
                )

    def text(
        self, data: dict[str, Any], where: tuple[object, ...], key: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.problem((*where, key), value, "应为非空字符串")
            return ""
        return value.strip() if self.clean((*where, key), value) else ""

    def clean(self, where: tuple[object, ...], value: str) -> bool:
        """Whether ``value`` is free of control characters (each file entrance refuses them)."""
        found = controls(value)
        if found:
            self.problem(where, clip(visible(value)), f"不能含控制字符 {' '.join(found)}")
        return not found

    def strings(self, data: dict[str, Any], where: tuple[object, ...], key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem((*where, key), value, "应为字符串列表")
            return ()
        if not all(self.clean((*where, key), v) for v in value):
            return ()
        return tuple(v.strip() for v in value)

    def integer(
        self, data: dict[str, Any], where: tuple[object, ...], key: str, *, minimum: int = 0
    ) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem((*where, key), value, f"应为不小于 {minimum} 的整数")
            return minimum
        return value

    def tables(self, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem((key,), value, f"应为 [[{key}]] 表的数组")
            return []
        return value

    def fail_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


def read_toml(path: Path) -> tuple[dict[str, Any], Reader]:
    """Parse a TOML file; a syntax error becomes an :class:`InvalidInput` with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem("文件", str(path), "找不到这个文件")]) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [Problem("编码", str(path), "应为 UTF-8 编码的文本", str(exc))]
        ) from None
    return _parse(path, text), Reader(path, text)


def _parse(path: Path, text: str) -> dict[str, Any]:
    import tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(_TOML_AT, str(exc))
        line = int(found.group(1)) if found else None
        reason = re.sub(_TOML_AT, "", str(exc)).strip()
        raise InvalidInput(
            [
                Problem(
                    "TOML 语法",
                    reason,
                    "不是合法的 TOML",
                    "检查引号、括号和逗号",
                    FileAt(str(path), line),
                )
            ]
        ) from None


_VENUE_LIST_KINDS = {"seven_into": Kind.SEVEN_INTO, "constitution": Kind.CONSTITUTION}
_SLUG = r"^[a-z0-9][a-z0-9\-]*$"


def load_county(path: Path) -> County:
    """Read a county profile (``campaigns/<county>/county.toml``) and check it whole.

    Raises:
        InvalidInput: every problem in the file, each with ``path`` and ``line``.
    """
    data, r = read_toml(path)
    r.table(data, (), {"county", "venues", "venue_lists", "townships", "departments"})

    head = data.get("county")
    if not isinstance(head, dict):
        r.problem(("county",), head, "应为 [county] 表")
        head = {}
    r.table(
        head,
        ("county",),
        {
            "code",
            "name",
            "short_name",
            "slug",
            "city",
            "province",
            "timezone",
            "villages",
            "source",
        },
    )
    timezone = r.text(head, ("county",), "timezone", "Asia/Shanghai")
    if timezone:
        try:
            pendulum.timezone(timezone)
        except Exception:  # pendulum raises its own InvalidTimezone; any failure means unknown
            r.problem(("county", "timezone"), timezone, "应为 IANA 时区名,如 Asia/Shanghai")

    where = ("county",)
    code, name = r.text(head, where, "code"), r.text(head, where, "name")
    short_name, slug = r.text(head, where, "short_name"), r.text(head, where, "slug")
    villages = r.integer(head, where, "villages", minimum=1)
    venues = _venues(r, data)
    venue_lists = _venue_lists(r, data, venues)
    townships = _townships(r, data)
    departments = _departments(r, data)
    _unique_names(r, townships, departments)
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


def _each(
    r: Reader,
    data: dict[str, Any],
    key: str,
    known: set[str],
    build: Callable[[dict[str, Any], tuple[object, ...]], Any],
) -> list[tuple[Any, tuple[object, ...]]]:
    out = []
    for index, item in enumerate(r.tables(data, key)):
        where: tuple[object, ...] = (key, index)
        r.table(item, where, known)
        out.append((build(item, where), where))
    return out


def _slug(r: Reader, item: dict[str, Any], where: tuple[object, ...]) -> str:
    slug = r.text(item, where, "slug")
    if slug and not re.match(_SLUG, slug):
        r.problem((*where, "slug"), slug, "应为小写 ASCII 字母、数字和连字符,如 public-place")
    return slug


def _venues(r: Reader, data: dict[str, Any]) -> list[tuple[Venue, tuple[object, ...]]]:
    return _each(
        r,
        data,
        "venues",
        {"slug", "name", "synonyms"},
        lambda item, where: Venue(
            _slug(r, item, where), r.text(item, where, "name"), r.strings(item, where, "synonyms")
        ),
    )


def _venue_lists(
    r: Reader, data: dict[str, Any], venues: list[tuple[Venue, tuple[object, ...]]]
) -> dict[Kind, tuple[str, ...]]:
    lists = data.get("venue_lists", {})
    if not isinstance(lists, dict):
        r.problem(("venue_lists",), lists, "应为 [venue_lists] 表")
        return {}
    r.table(lists, ("venue_lists",), set(_VENUE_LIST_KINDS))
    slugs = [v.slug for v, _ in venues]
    out: dict[Kind, tuple[str, ...]] = {}
    for key, kind in _VENUE_LIST_KINDS.items():
        where = ("venue_lists", key)
        chosen = r.strings(lists, ("venue_lists",), key)
        if not chosen:
            r.problem(where, lists.get(key), "应为非空的进列表([[venues]] 中的 slug)")
        for slug in chosen:
            if slug not in slugs:
                guess = closest(slug, slugs)
                r.problem(
                    where,
                    slug,
                    f"应为 [[venues]] 中的 slug 之一:{'、'.join(slugs)}",
                    f"是否指 {guess}?" if guess else None,
                )
        out[kind] = chosen
    return out


def _townships(r: Reader, data: dict[str, Any]) -> list[tuple[Township, tuple[object, ...]]]:
    def build(item: dict[str, Any], where: tuple[object, ...]) -> Township:
        kind = r.text(item, where, "kind")
        if kind and kind not in ("乡", "镇", "街道"):
            r.problem((*where, "kind"), kind, "应为 乡、镇 或 街道")
            kind = "乡"
        code = r.text(item, where, "code")
        if code and not (code.isdigit() and len(code) == 9):
            r.problem((*where, "code"), code, "应为 9 位统计用区划代码,如 520121206")
        return Township(
            code=code,
            name=r.text(item, where, "name"),
            short_name=r.text(item, where, "short_name"),
            kind=kind or "乡",
            slug=_slug(r, item, where),
            aliases=r.strings(item, where, "aliases"),
        )

    found = _each(
        r, data, "townships", {"code", "name", "short_name", "kind", "slug", "aliases"}, build
    )
    if not found:
        r.problem(("townships",), None, "至少要有一个 [[townships]]")
    return found


def _departments(r: Reader, data: dict[str, Any]) -> list[tuple[Department, tuple[object, ...]]]:
    return _each(
        r,
        data,
        "departments",
        {"slug", "name", "aliases"},
        lambda item, where: Department(
            _slug(r, item, where), r.text(item, where, "name"), r.strings(item, where, "aliases")
        ),
    )


def _unique_names(
    r: Reader,
    townships: list[tuple[Township, tuple[object, ...]]],
    departments: list[tuple[Department, tuple[object, ...]]],
) -> None:
    """A name, alias, slug or code may mean only one place: otherwise input would be ambiguous."""
    seen: dict[str, str] = {}
    places: list[tuple[tuple[str, ...], str, tuple[object, ...]]] = [
        (t.names, t.name, where) for t, where in townships
    ] + [(d.names, d.name, where) for d, where in departments]
    for names, owner, where in places:
        for name in dict.fromkeys(n for n in names if n):
            key = name.casefold()
            if key in seen and seen[key] != owner:
                r.problem(where, name, "名称和别名在全县须唯一", f"已用于 {seen[key]}")
            seen.setdefault(key, owner)


# --------------------------------------------------------------------------------------------------
# Indicators and targets (campaigns/<county>/indicators.toml, targets-<year>.toml).

_INDICATOR_KEYS = {
    "key", "name", "count", "unit", "kinds", "match", "measure", "field", "numerator",
    "denominator", "at_least", "profile",
}  # fmt: skip
#: the kind-specific fields an indicator may filter on (the dimensions the store sums by)
MATCHABLE = ("venue", "occasion", "mode")
_FIGURE_FORMS = "如 113、110余、11万余、5以上、100% 的非负数"


def _choice(
    r: Reader, where: tuple[object, ...], value: object, table: dict[str, T], what: str
) -> T | None:
    """``table[value]`` or a problem naming the choices and the closest one."""
    if isinstance(value, str) and value in table:
        return table[value]
    guess = closest(str(value), list(table)) if isinstance(value, str) else None
    r.problem(
        where, value, f"应为{what}之一:{'、'.join(table)}", f"是否指 {guess}?" if guess else None
    )
    return None


def load_indicators(path: Path, county: County) -> Indicators:
    """Read indicator definitions and seasonal profiles; every problem at once, with its line."""
    from pufa.targets import EVEN, Count, Indicator, Indicators, Profile

    counts = {c.slug: c for c in Count}
    data, r = read_toml(path)
    r.table(data, (), {"profiles", "indicators"})
    profiles: dict[str, Profile] = {"even": EVEN}
    raw_profiles = data.get("profiles", {})
    if not isinstance(raw_profiles, dict):
        r.problem(("profiles",), raw_profiles, "应为 [profiles] 表")
        raw_profiles = {}
    for key, entry in raw_profiles.items():
        label = ""
        weights = entry
        if isinstance(entry, dict):
            r.table(entry, ("profiles", key), {"label", "weights"})
            label = str(entry.get("label", ""))
            weights = entry.get("weights")
        if (
            not isinstance(weights, list)
            or len(weights) != 12
            or not all(
                isinstance(w, int | float) and not isinstance(w, bool) and w >= 0 for w in weights
            )
            or not sum(weights)
        ):
            r.problem(("profiles", key), weights, "应为 12 个非负数(1–12 月的权重),不全为 0")
            continue
        profiles[key] = Profile(key, tuple(float(w) for w in weights), label)
    measures = {m.slug: m for m in Measure}
    kinds = {k.slug: k for k in Kind}
    venues = {v.slug for v in county.venues} | {
        name for v in county.venues for name in (v.name, *v.synonyms)
    }
    modes = {m.slug for m in Mode}
    indicators: dict[str, Indicator] = {}
    for index, item in enumerate(r.tables(data, "indicators")):
        where: tuple[object, ...] = ("indicators", index)
        r.table(item, where, _INDICATOR_KEYS)
        key = r.text(item, where, "key")
        if key in indicators:
            r.problem((*where, "key"), key, "在本文件中唯一的指标名", "重复定义")
        count = _choice(r, (*where, "count"), item.get("count", "sum"), counts, "计数方式")
        chosen_kinds = tuple(
            k
            for k in (
                _choice(r, (*where, "kinds"), v, kinds, "活动类型")
                for v in r.strings(item, where, "kinds")
            )
            if k
        )
        match: dict[str, tuple[str, ...]] = {}
        raw_match = item.get("match", {})
        if not isinstance(raw_match, dict):
            r.problem((*where, "match"), raw_match, "应为 {字段 = [取值, …]} 的表")
            raw_match = {}
        for name in raw_match:
            if name not in MATCHABLE:
                r.problem(
                    (*where, "match"),
                    name,
                    f"应为可筛选的字段之一:{'、'.join(MATCHABLE)}",
                    _hint(name, MATCHABLE),
                )
                continue
            values = r.strings(raw_match, (*where, "match"), name)
            for value in values:
                if name == "venue" and value not in venues:
                    r.problem(
                        (*where, "match"),
                        value,
                        f"应为县情配置中的进之一:{'、'.join(v.slug for v in county.venues)}",
                        _hint(value, venues),
                    )
                if name == "mode" and value not in modes:
                    r.problem((*where, "match"), value, "应为 offline 或 online")
            match[name] = tuple(
                next(
                    (v.slug for v in county.venues if value in (v.slug, v.name, *v.synonyms)), value
                )
                if name == "venue"
                else value
                for value in values
            )
        measure = numerator = denominator = None
        field = None
        if count in (Count.SUM, Count.PER_VILLAGE, Count.TOWNSHIPS):
            measure = _choice(r, (*where, "measure"), item.get("measure"), measures, "计数项")
        elif count is Count.RATE:
            numerator = _choice(r, (*where, "numerator"), item.get("numerator"), measures, "计数项")
            denominator = _choice(
                r, (*where, "denominator"), item.get("denominator"), measures, "计数项"
            )
        elif count is Count.DISTINCT:
            field = _choice(
                r, (*where, "field"), item.get("field"), {f: f for f in DETAIL_FIELDS}, "专有字段"
            )
        profile = str(item.get("profile", "even"))
        if profile not in profiles:
            r.problem(
                (*where, "profile"),
                profile,
                f"应为 [profiles] 中的名称之一:{'、'.join(profiles)}",
                _hint(profile, profiles),
            )
        at_least = r.integer(item, where, "at_least", minimum=1) if "at_least" in item else 1
        if count is None or not key:
            continue
        indicators[key] = Indicator(
            key=key,
            name=r.text(item, where, "name"),
            count=count,
            unit=r.text(item, where, "unit"),
            kinds=chosen_kinds,
            match=match,
            measure=measure,
            field=field,
            numerator=numerator,
            denominator=denominator,
            at_least=at_least,
            profile=profile,
        )
    r.fail_if_any()
    return Indicators(indicators, profiles)


def _hint(value: str, choices: Iterable[str]) -> str | None:
    guess = closest(value, list(choices))
    return f"是否指 {guess}?" if guess else None


_TARGET_KEYS = {"indicator", "figure", "comparator", "unit", "quote", "phrase"}
_UNTRACKED_KEYS = {"name", "figure", "unit", "quote", "why"}


def load_targets(path: Path, indicators: Indicators) -> TargetSet:
    """Read a year's targets; every problem (unknown indicator, bad figure, duplicate …) at once."""
    from pufa.targets import Comparator, Target, TargetSet, Untracked

    comparators = {c.slug: c for c in Comparator}
    data, r = read_toml(path)
    r.table(data, (), {"year", "source", "section", "basis", "targets", "untracked"})
    year = r.integer(data, (), "year", minimum=2000)
    targets: list[Target] = []
    seen: set[str] = set()
    for index, item in enumerate(r.tables(data, "targets")):
        where: tuple[object, ...] = ("targets", index)
        r.table(item, where, _TARGET_KEYS)
        key = r.text(item, where, "indicator")
        if key and key not in indicators.indicators:
            r.problem(
                (*where, "indicator"),
                key,
                "应为 indicators.toml 中定义的指标",
                _hint(key, indicators.indicators),
            )
        if key in seen:
            r.problem((*where, "indicator"), key, "每个指标只设一个目标", "与前面的目标重复")
        seen.add(key)
        figure = _figure(r, item, where)
        comparator = _choice(
            r, (*where, "comparator"), item.get("comparator", ">="), comparators, "比较方式"
        )
        quote = r.text(item, where, "quote")
        phrase = item.get("phrase")
        if phrase is None:  # the quote with its figure replaced by the value
            phrase = ""
            if figure is not None and quote:
                if figure.number_text in quote:
                    phrase = quote.replace(figure.number_text, "{}", 1)
                else:
                    r.problem(
                        (*where, "quote"), quote, f"应包含数字 {figure.number_text}(或另写 phrase)"
                    )
        elif not isinstance(phrase, str) or phrase.count("{}") != 1:
            r.problem((*where, "phrase"), phrase, "应含且只含一个 {}(数值的位置)")
            phrase = ""
        if figure is None or comparator is None or not key or not phrase:
            continue
        targets.append(Target(key, figure, comparator, r.text(item, where, "unit"), quote, phrase))
    untracked = []
    for index, item in enumerate(r.tables(data, "untracked")):
        where = ("untracked", index)
        r.table(item, where, _UNTRACKED_KEYS)
        untracked.append(
            Untracked(
                r.text(item, where, "name"),
                r.text(item, where, "figure"),
                str(item.get("unit", "")),
                r.text(item, where, "quote"),
                r.text(item, where, "why"),
            )
        )
    r.fail_if_any()
    return TargetSet(
        year=year,
        source=str(data.get("source", "")),
        section=str(data.get("section", "")),
        targets=tuple(targets),
        untracked=tuple(untracked),
        basis=str(data.get("basis", "")),
        path=str(path),
    )


def _figure(r: Reader, item: dict[str, Any], where: tuple[object, ...]) -> Figure | None:
    from pufa.targets import Figure

    raw = item.get("figure")
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        r.problem((*where, "figure"), raw, f"应为{_FIGURE_FORMS}")
        return None
    try:
        return Figure.parse(raw)
    except ValueError:
        r.problem((*where, "figure"), raw, f"应为{_FIGURE_FORMS}")
        return None


# --------------------------------------------------------------------------------------------------
# The national calendar (campaigns/calendar.toml) and campaign plans (campaigns/<county>/plan-*.toml).


def load_calendar(path: Path) -> dict[str, Node]:
    """Read the national 普法 calendar; every problem at once, with its line."""
    from pufa.days import Node, Rule

    rules = {r.value: r for r in Rule}
    data, r = read_toml(path)
    r.table(data, (), {"nodes"})
    nodes: dict[str, Node] = {}
    for index, item in enumerate(r.tables(data, "nodes")):
        where: tuple[object, ...] = ("nodes", index)
        r.table(
            item,
            where,
            {"key", "name", "rule", "month", "day", "first_year", "default", "announced"},
        )
        key, name = r.text(item, where, "key"), r.text(item, where, "name")
        rule = _choice(r, (*where, "rule"), item.get("rule"), rules, "规则")
        first_year = r.integer(item, where, "first_year", minimum=1800)
        month = day = 0
        if rule in (Rule.DAY, Rule.MONTH):
            month = r.integer(item, where, "month", minimum=1)
            if month > 12:
                r.problem((*where, "month"), month, "应为 1–12")
        if rule is Rule.DAY:
            day = r.integer(item, where, "day", minimum=1)
            if month <= 12 and day > pendulum.Date(2024, month, 1).days_in_month:
                r.problem((*where, "day"), day, "应为该月存在的日子")
        default = _span(r, (*where, "default"), item.get("default")) if "default" in item else None
        announced: dict[int, tuple[str, str]] = {}
        raw = item.get("announced", {})
        for year_text, span in raw.items() if isinstance(raw, dict) else []:
            parsed = _span(r, (*where, "announced", year_text), span)
            if parsed and year_text.isdigit():
                announced[int(year_text)] = parsed
        if key in nodes:
            r.problem((*where, "key"), key, "在日历中唯一的节点名", "重复定义")
        if rule is not None and key:
            nodes[key] = Node(key, name, rule, first_year, month, day, default, announced)
    r.fail_if_any()
    return nodes


_MMDD = r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"


def _span(r: Reader, where: tuple[object, ...], value: object) -> tuple[str, str] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, str) and re.match(_MMDD, v) for v in value)
    ):
        return value[0], value[1]
    r.problem(where, value, '应为 ["MM-DD", "MM-DD"](起止日期)')
    return None


_ITEM_KEYS = {
    "key", "kind", "title", "count", "per_township", "townships", "dept", "venues", "window", "node",
    "pinned", "occasion", "mode", "school", "lecturer", "audience", "channel",
}  # fmt: skip


def load_plan(path: Path, county: County, nodes: dict[str, Node]) -> Plan:
    """Read a campaign plan; names resolved against the county, every problem at once with its line."""
    from pufa import names
    from pufa.days import planned_years
    from pufa.errors import InvalidInput
    from pufa.planning import Item, Plan

    data, r = read_toml(path)
    r.table(data, (), {"year", "capacity", "items"})
    year = r.integer(data, (), "year", minimum=2000)
    years = planned_years()
    if data.get("year") == year and year not in years:  # a year integer() has not refused
        r.problem(
            ("year",),
            year,
            f"应为 {years.start}–{years.stop - 1} 年之一(holidays 包有放假调休安排的年份)",
            "升级 holidays 包(pip install -U holidays)后再排",
        )
    capacity = r.integer(data, (), "capacity", minimum=1) if "capacity" in data else 1
    items: list[Item] = []
    seen: set[str] = set()
    for index, raw in enumerate(r.tables(data, "items")):
        where: tuple[object, ...] = ("items", index)
        r.table(raw, where, _ITEM_KEYS)
        key = r.text(raw, where, "key")
        if key in seen:
            r.problem((*where, "key"), key, "在计划中唯一的项目名", "重复定义")
        seen.add(key)

        def resolve(field: str, func: Any, *args: Any, where: tuple[object, ...] = where) -> Any:
            try:
                return func(*args)
            except InvalidInput as exc:
                for p in exc.problems:
                    r.problem((*where, field), p.value, p.expected, p.hint)
                return None

        kind = resolve("kind", names.kind, str(raw.get("kind", "")))
        townships: tuple[str, ...] = ()
        if raw.get("townships") == "all":
            townships = tuple(t.code for t in county.townships)
        elif "townships" in raw:
            found = [
                resolve("townships", names.township, county, t)
                for t in r.strings(raw, where, "townships")
            ]
            townships = tuple(t.code for t in found if t is not None)
        dept = None
        if "dept" in raw:
            department = resolve("dept", names.department, county, str(raw["dept"]))
            dept = department.slug if department else None
        if bool(townships) == bool(dept) and "townships" not in raw:
            r.problem(where, key, '应写 townships("all" 或名单)或 dept 之一')
        venues: tuple[str, ...] = ()
        if kind is not None and raw.get("venues") == "all":
            venues = tuple(v.slug for v in county.venues_for(kind))
        elif kind is not None and "venues" in raw:
            venues = tuple(
                v
                for v in (
                    resolve("venues", names.venue, county, kind, x)
                    for x in r.strings(raw, where, "venues")
                )
                if v
            )
        node = raw.get("node")
        node_given = node is not None
        if node is not None and node not in nodes:
            r.problem(
                (*where, "node"),
                node,
                f"应为 calendar.toml 中的节点之一:{'、'.join(nodes)}",
                _hint(str(node), nodes),
            )
            node = None
        window = None
        if "window" in raw:
            span = raw["window"]
            try:
                first, last = (pendulum.Date.fromisoformat(str(d)) for d in span)
                window = (first, last)
                if first > last or first.year != year or last.year != year:
                    r.problem((*where, "window"), span, f"应为 {year} 年内、先起后止的两个日期")
            except (ValueError, TypeError):
                r.problem((*where, "window"), span, '应为 ["YYYY-MM-DD", "YYYY-MM-DD"]')
        if (window is None) == (not node_given):
            r.problem(where, key, "应写 window(起止日期)或 node(日历节点)之一")
        count = r.integer(raw, where, "count", minimum=1) if "count" in raw else 0
        per_township = (
            r.integer(raw, where, "per_township", minimum=1) if "per_township" in raw else 0
        )
        if bool(count) == bool(per_township):
            r.problem(where, key, "应写 count(总数)或 per_township(每个乡镇几次)之一")
        fields: dict[str, str] = {
            f: str(raw[f])
            for f in ("occasion", "mode", "school", "lecturer", "audience", "channel")
            if f in raw and r.clean((*where, f), str(raw[f]))
        }
        title = r.text(raw, where, "title")
        if kind is None or not key:
            continue
        items.append(
            Item(
                key,
                kind,
                title,
                count,
                per_township,
                townships,
                dept,
                venues,
                window,
                node,
                bool(raw.get("pinned", False)),
                fields,
                r.locator.line(*where),
            )
        )
    r.fail_if_any()
    return Plan(year, tuple(items), capacity, str(path))
