"""China's statistical division codes (统计用区划代码 2022), shipped in ``pufa/_data/divisions``.

``areas.csv.xz`` holds provinces (2 digits), cities (4) and counties (6); ``streets.csv.xz`` the
township-level units (9); ``villages-<province>.csv.xz`` the 村(居) (12), one file per province so
that a county reads only its own province. All are ``code,name`` CSV, xz-compressed, read with
:mod:`lzma`: no network is needed.
"""

from __future__ import annotations

import csv
import lzma
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from pufa.errors import InvalidInput, Problem
from pufa.model import Township, Village
from pufa.names import closest
from pufa.value import valueclass

DATA = Path(__file__).parent / "_data" / "divisions"

#: the ethnic groups a 民族乡 names (longest first, so 布依 wins over 依-less matches)
_ETHNIC = sorted(
    [
        "蒙古",
        "回",
        "藏",
        "维吾尔",
        "苗",
        "彝",
        "壮",
        "布依",
        "朝鲜",
        "满",
        "侗",
        "瑶",
        "白",
        "土家",
        "哈尼",
        "哈萨克",
        "傣",
        "黎",
        "傈僳",
        "佤",
        "畲",
        "高山",
        "拉祜",
        "水",
        "东乡",
        "纳西",
        "景颇",
        "柯尔克孜",
        "土",
        "达斡尔",
        "仫佬",
        "羌",
        "布朗",
        "撒拉",
        "毛南",
        "仡佬",
        "锡伯",
        "阿昌",
        "普米",
        "塔吉克",
        "怒",
        "乌孜别克",
        "俄罗斯",
        "鄂温克",
        "德昂",
        "保安",
        "裕固",
        "京",
        "塔塔尔",
        "独龙",
        "鄂伦春",
        "赫哲",
        "门巴",
        "珞巴",
        "基诺",
    ],
    key=len,
    reverse=True,
)
#: a township-level unit that is not a 乡/镇/街道/苏木: its kind, by words in its name
_UNIT_KINDS = (
    ("开发区", ("开发区", "经济区", "保税区", "示范区", "工业区", "新区", "高新区", "试验区")),
    ("园区", ("园区", "工业园", "产业园", "科技园", "物流园")),
    (
        "农场",
        (
            "农场",
            "牧场",
            "渔场",
            "垦殖场",
            "良种场",
            "原种场",
            "种畜场",
            "园艺场",
            "繁育场",
            "茶场",
        ),
    ),
    ("林场", ("林场", "林业局")),
)
#: village name suffixes → what the short name keeps of them
_VILLAGE_SUFFIXES = (
    ("村民委员会", "村"),
    ("村委会", "村"),
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("居民委员会", ""),
    ("居委会", ""),
    ("委员会", ""),
)


@valueclass
class Area:
    """A county-level unit (县, 区, 县级市, 旗 …) with its province and city."""

    code: str
    name: str
    city: str
    province: str

    @property
    def full_name(self) -> str:
        """``贵州省贵阳市息烽县`` (a city-less county: province and name)."""
        return f"{self.province}{self.city}{self.name}"

    @property
    def slug(self) -> str:
        """The profile's ASCII slug: the code (``520122``)."""
        return self.code


def _rows(name: str) -> Iterator[list[str]]:
    """The ``code,name`` rows of a packaged file (its header skipped)."""
    with lzma.open(DATA / name, "rt", encoding="utf-8", newline="") as file:
        reader = csv.reader(file)
        next(reader)
        yield from reader


def _city(name: str) -> str:
    """A city's name; the codes' placeholders (市辖区, 县, 省直辖县级行政区划 …) are no city."""
    return "" if name in ("市辖区", "县") or name.endswith("直辖县级行政区划") else name


def areas() -> list[Area]:
    """Every county-level unit in the codes, in code order."""
    names = dict(_rows("areas.csv.xz"))
    return [
        Area(code, name, _city(names.get(code[:4], "")), names.get(code[:2], ""))
        for code, name in names.items()
        if len(code) == 6
    ]


def find_county(text: str, bundled: Sequence[str] = ()) -> Area:
    """The county ``text`` names: its 6-digit code, its name (``息烽县``) or its full name
    (``贵州省贵阳市息烽县``; the province and name alone also do).

    Raises:
        InvalidInput: no such county (with the closest name), or a name several counties share
            (each candidate with its code).
    """
    wanted = text.strip()
    every = areas()
    found = [
        a
        for a in every
        if wanted in (a.code, a.name, a.full_name, a.province + a.name, a.city + a.name)
    ]
    field = "县 (--county)"
    if len(found) > 1:
        listed = "、".join(f"{a.full_name}({a.code})" for a in found)
        raise InvalidInput(
            [
                Problem(
                    field,
                    wanted,
                    f"有 {len(found)} 个同名县级单位:{listed}",
                    "请改用区划代码或全称",
                )
            ]
        )
    if not found:
        suggestion = closest(wanted, [*bundled, *(a.name for a in every)])
        hint = f"是否指 {suggestion}?" if suggestion else None
        expected = "应为 6 位区划代码、县名或全称,如 520122、息烽县、贵州省贵阳市息烽县"
        if bundled:
            expected += f";或 pufa 自带的县情配置:{'、'.join(bundled)}"
        raise InvalidInput([Problem(field, wanted, expected, hint)])
    return found[0]


def township_kind(name: str) -> str:
    """乡, 镇, 街道, 苏木, or the kind of a 开发区/园区/农场/林场-type unit (其他 for the rest)."""
    for suffix in ("街道", "镇", "乡", "苏木"):
        if name.endswith(suffix):
            return suffix
    for kind, words in _UNIT_KINDS:
        if any(word in name for word in words):
            return kind
    return "其他"


def township_short(name: str) -> str:
    """``双流镇`` → ``双流``, ``禾丰布依族苗族乡`` → ``禾丰``; a unit of another kind keeps its name."""
    kind = township_kind(name)
    if kind not in ("街道", "镇", "乡", "苏木"):
        return name
    short = name[: -len(kind)]
    stripped = True
    while stripped:
        stripped = False
        for group in _ETHNIC:
            if short.endswith(group + "族") and len(short) > len(group) + 2:
                short = short[: -len(group) - 1]
                stripped = True
                break
    return short if len(short) >= 2 else name


def village_short(name: str) -> str:
    """``XX村委会`` → ``XX村``, ``XX社区居委会`` → ``XX社区``, ``XX居委会`` → ``XX``."""
    for suffix, keep in _VILLAGE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return re.sub(f"{suffix}$", keep, name)
    return name


def townships(area: Area) -> list[Township]:
    """The county's township-level units, each with its 村(居), in code order; a short name two
    units would share is left as the full name (input must stay unambiguous)."""
    found = [(code, name) for code, name in _rows("streets.csv.xz") if code.startswith(area.code)]
    villages: dict[str, list[Village]] = {code: [] for code, _ in found}
    for code, name in _rows(f"villages-{area.code[:2]}.csv.xz"):
        if code.startswith(area.code) and code[:9] in villages:
            villages[code[:9]].append(Village(code, name, village_short(name)))
    shorts = [township_short(name) for _, name in found]
    taken = {s for s in shorts if shorts.count(s) > 1} | {n for _, n in found}
    return [
        Township(
            code=code,
            name=name,
            short_name=short if short == name or short not in taken else name,
            kind=township_kind(name),
            slug=code,
            villages=_village_shorts(villages[code]),
        )
        for (code, name), short in zip(found, shorts, strict=True)
    ]


def _village_shorts(villages: list[Village]) -> tuple[Village, ...]:
    """A short name another village of the township has (as short or official name) is dropped
    for the official name: every spelling must mean one village."""
    shorts = [v.short_name for v in villages]
    taken = {s for s in shorts if shorts.count(s) > 1} | {v.name for v in villages}
    return tuple(
        v
        if v.short_name == v.name or v.short_name not in taken
        else Village(v.code, v.name, v.name)
        for v in villages
    )


def level(area: Area) -> str:
    """What the county calls itself in department names: 县, 区, 市 or 旗."""
    return next((c for c in "区市旗" if area.name.endswith(c)), "县")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def profile_text(area: Area, units: list[Township], template: str) -> str:
    """The ``county.toml`` of ``area``: ``[county]``, the template's venues and departments (its
    ``〔县〕`` → :func:`level`) and every township-level unit with its 村(居)."""
    body = template.split("\n\n", 1)[1].replace("〔县〕", level(area))
    short = area.name[:-1] if len(area.name) > 2 and area.name[-1] in "县区市旗" else area.name
    lines = [
        f"# {area.full_name} 县情配置 — made by `pufa init --county {area.code}` from the",
        "# 统计用区划代码 2022 (国家统计局). Edit it as the office needs: aliases, departments …",
        "# `pufa county check` checks it.",
        "",
        "[county]",
        f"code = {_quote(area.code)}",
        f"name = {_quote(area.name)}",
        f"short_name = {_quote(short)}",
        f"slug = {_quote(area.slug)}",
        f"city = {_quote(area.city)}",
        f"province = {_quote(area.province)}",
        'timezone = "Asia/Shanghai"',
        f"villages = {sum(len(t.villages) for t in units)}  # 村(居)",
        'source = "统计用区划代码 2022"',
        "",
        body.rstrip("\n"),
        "",
        "# ---------------------------------------------------------------------------------------------",
        f"# Townships (乡镇级单位): {len(units)}, each with its 村(居).",
    ]
    for unit in units:
        lines += [
            "",
            "[[townships]]",
            f"code = {_quote(unit.code)}",
            f"name = {_quote(unit.name)}",
            f"short_name = {_quote(unit.short_name)}",
            f"kind = {_quote(unit.kind)}",
            f"slug = {_quote(unit.slug)}",
            "aliases = []",
            "villages = [",
            *(
                f"  {{ code = {_quote(v.code)}, name = {_quote(v.name)}, "
                f"short_name = {_quote(v.short_name)} }},"
                for v in unit.villages
            ),
            "]",
        ]
    return "\n".join(lines) + "\n"
