"""Resolve what a user typed (Chinese name, alias, slug, code) to a domain value, or say what was meant."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any, TypeVar, cast

from pufa.errors import InvalidInput, Problem
from pufa.model import County, Department, Kind, Labelled, Mode, Status, Township, Village
from pufa.vocab import KIND_ALIASES

T = TypeVar("T")


def fold(text: str) -> str:
    """Comparison form: trimmed, case-folded, full-width spaces dropped."""
    return text.strip().replace("\u3000", "").casefold()


def closest(text: str, choices: Iterable[str]) -> str | None:
    """The valid spelling nearest to ``text`` (for 禾风乡 → 禾丰乡), if any is near enough."""
    options = list(dict.fromkeys(choices))
    folded = {fold(c): c for c in options}
    match = difflib.get_close_matches(fold(text), list(folded), n=1, cutoff=0.5)
    if match:
        return folded[match[0]]
    # 禾丰 typed as 禾丰布依族乡: a valid name contained in the input, or the input in a name
    key = fold(text)
    for folded_name, name in folded.items():
        if len(folded_name) >= 2 and (folded_name in key or key in folded_name):
            return name
    return None


def resolve(
    text: str,
    table: Mapping[str, T],
    *,
    field: str,
    what: str,
    listing: Iterable[str],
    suggest_from: Iterable[str] | None = None,
) -> T:
    """Look ``text`` up in ``table`` (keys already folded); on a miss raise with the nearest name.

    ``listing`` is what the message offers as the valid choices; ``suggest_from`` the spellings a
    suggestion may come from (default: the listing).
    """
    hit = table.get(fold(text))
    if hit is not None:
        return hit
    raise InvalidInput(
        [unknown(text, field=field, what=what, listing=listing, suggest_from=suggest_from)]
    )


def unknown(
    text: str,
    *,
    field: str,
    what: str,
    listing: Iterable[str],
    suggest_from: Iterable[str] | None = None,
) -> Problem:
    """The problem for a name that is not in the table: ``未知的乡镇 — 是否指 禾丰乡?``."""
    names = list(listing)
    guess = closest(text, suggest_from if suggest_from is not None else names)
    hint = f"是否指 {guess}?" if guess else None
    expected = f"应为{what}之一:{'、'.join(names)}"
    return Problem(field, text, expected, hint)


def _table(pairs: Iterable[tuple[str, T]]) -> dict[str, T]:
    return {fold(name): value for name, value in pairs if name}


E = TypeVar("E", bound=Labelled)


@cache
def _labelled_table(enum: type[E]) -> dict[str, E]:
    return _table([(m.slug, m) for m in enum] + [(m.label, m) for m in enum])


@cache
def _kind_table() -> dict[str, Kind]:
    return {
        **_labelled_table(Kind),
        **_table((alias, Kind(slug)) for alias, slug in KIND_ALIASES.items()),
    }


def kind(text: str) -> Kind:
    """``seven-into``, ``法律七进集中宣传`` or ``法律七进`` → :attr:`Kind.SEVEN_INTO`."""
    table = _kind_table()
    hit = table.get(fold(text))
    if hit is not None:
        return hit
    return resolve(
        text,
        table,
        field="kind",
        what="活动类型",
        listing=[f"{k.slug}({k.label})" for k in Kind],
        suggest_from=[*(k.slug for k in Kind), *(k.label for k in Kind), *KIND_ALIASES],
    )


def status(text: str) -> Status:
    table: dict[str, Status] = _labelled_table(Status)
    return resolve(
        text,
        table,
        field="status",
        what="状态",
        listing=[f"{s.slug}({s.label})" for s in Status],
        suggest_from=[*(s.slug for s in Status), *(s.label for s in Status)],
    )


def mode(text: str) -> Mode:
    table: dict[str, Mode] = {
        **_labelled_table(Mode),
        **_table([("线下", Mode.OFFLINE), ("定向", Mode.OFFLINE), ("网上", Mode.ONLINE)]),
    }
    return resolve(
        text,
        table,
        field="mode",
        what="培训方式",
        listing=[f"{m.slug}({m.label})" for m in Mode],
    )


#: name tables built once per county (and kind): an import of 10,000 rows resolves 20,000 names
_TABLES: dict[tuple[str, int, str], tuple[object, dict[str, Any]]] = {}


def _county_table(
    what: str, county: County, extra: str, build: Callable[[], dict[str, T]]
) -> dict[str, T]:
    key = (what, id(county), extra)
    cached = _TABLES.get(key)
    if cached is None or cached[0] is not county:  # the id of a county that is gone may be reused
        cached = (county, build())
        _TABLES[key] = cached
    return cast(dict[str, T], cached[1])


def township(county: County, text: str) -> Township:
    """A township by official name, short name, alias, pinyin slug or code."""
    table = _county_table(
        "township", county, "", lambda: _table((n, t) for t in county.townships for n in t.names)
    )
    hit = table.get(fold(text))
    if hit is not None:
        return hit
    return resolve(
        text,
        table,
        field="township",
        what=f"{county.name}的乡(镇、街道)",
        listing=[t.name for t in county.townships],
        suggest_from=[name for t in county.townships for name in t.names],
    )


def department(county: County, text: str) -> Department:
    table = _county_table(
        "dept", county, "", lambda: _table((n, d) for d in county.departments for n in d.names)
    )
    hit = table.get(fold(text))
    if hit is not None:
        return hit
    return resolve(
        text,
        table,
        field="dept",
        what="县情配置中的部门",
        listing=[d.name for d in county.departments],
        suggest_from=[name for d in county.departments for name in d.names],
    )


def venue(county: County, kind: Kind, text: str) -> str:
    """The venue slug for ``text`` among the venues this kind may use (synonyms folded)."""
    table = _county_table(
        "venue",
        county,
        kind.slug,
        lambda: _table(
            (n, v.slug) for v in county.venues_for(kind) for n in (v.slug, v.name, *v.synonyms)
        ),
    )
    hit = table.get(fold(text))
    if hit is not None:
        return hit
    allowed = county.venues_for(kind)
    return resolve(
        text,
        table,
        field="venue",
        what=f"{kind.label}的进",
        listing=[f"{v.name}({v.slug})" for v in allowed],
        suggest_from=[name for v in allowed for name in (v.slug, v.name, *v.synonyms)],
    )


def _villages(county: County) -> dict[str, list[tuple[Township, Village]]]:
    """Every spelling of every 村(居) of the county (folded) → the villages it names."""

    def build() -> dict[str, list[tuple[Township, Village]]]:
        table: dict[str, list[tuple[Township, Village]]] = {}
        for town in county.townships:
            for place in town.villages:
                for name in dict.fromkeys(fold(n) for n in place.names if n):
                    table.setdefault(name, []).append((town, place))
        return table

    return _county_table("village", county, "", build)


def village(county: County, text: str, town: Township | None = None) -> tuple[Township, Village]:
    """A 村(居) by official name, short name or 12-digit code, with its township.

    With ``town`` the village must lie in it (one elsewhere is refused naming its township);
    without, a name that only one township's village bears implies that township.
    """
    found = _villages(county).get(fold(text), [])
    mine = [hit for hit in found if town is None or hit[0].code == town.code]
    if len(mine) == 1:
        return mine[0]
    if len(mine) > 1:
        choices = "、".join(f"{t.name}{v.name}({v.code})" for t, v in mine)
        raise InvalidInput.one(
            "village", text, f"有多个同名村(居):{choices}", "请加 --township 指明乡镇,或填代码"
        )
    if found:
        assert town is not None
        elsewhere = "、".join(dict.fromkeys(t.name for t, _ in found))
        raise InvalidInput.one(
            "village",
            text,
            f"不在{town.name};它属于{elsewhere}",
            f"是否指 --township {found[0][0].short_name}?",
        )
    towns = (town,) if town is not None else county.townships
    listing = [v.name for t in towns for v in t.villages]
    what = f"{town.name}的村(居)" if town is not None else f"{county.name}的村(居)"
    if not listing:
        raise InvalidInput.one("village", text, f"{what}未列入县情配置(county.toml)")
    problem = unknown(text, field="village", what=what, listing=listing[:20])
    guess = closest(text, [n for t in towns for v in t.villages for n in (v.name, v.short_name)])
    hint = f"是否指 {guess}?" if guess else None
    more = f"等 {len(listing)} 个" if len(listing) > 20 else ""
    raise InvalidInput([Problem("village", text, problem.expected + more, hint)])


def village_named(county: County, code: str) -> tuple[Township, Village] | None:
    """The township and 村(居) of a stored village code (None for a code the profile lacks)."""
    hits = _villages(county).get(code, [])
    return hits[0] if hits else None


def village_code(
    county: County, text: str | None, township: str | None, dept: str | None
) -> str | None:
    """The code of the 村(居) ``text`` in the township with code ``township`` (None for no text,
    or when the township itself is missing: its own problem is reported); refused for a department."""
    if not (text or "").strip():
        return None
    if dept is not None:
        raise InvalidInput.one("village", text, "部门组织的活动不填村(居);在村(居)开展的请填乡镇")
    if township is None:
        return None
    return village(county, str(text).strip(), county.township(township))[1].code


def example_township(county: County) -> tuple[str, Township] | None:
    """The township examples in messages and templates name: the first one a user types by an
    alias (with that alias), else the first township (with its short name)."""
    aliased = [t for t in county.townships if t.aliases]
    if aliased:
        return aliased[0].aliases[0], aliased[0]
    if county.townships:
        return county.townships[0].short_name, county.townships[0]
    return None


def example_dept(county: County) -> Department | None:
    """The department examples name: the justice bureau, else the first department."""
    found = [d for d in county.departments if d.slug == "justice"] or list(county.departments)
    return found[0] if found else None


def places_containing(county: County, text: str) -> tuple[str, ...]:
    """The township and village codes and department slugs whose names contain ``text`` (the
    places a record search matches: ``pufa list --search`` and the web's records page)."""
    wanted = fold(text)
    if not wanted:
        return ()
    found: list[str] = []
    for town in county.townships:
        if any(wanted in fold(n) for n in (town.name, town.short_name)):
            found.append(town.code)
        found += [v.code for v in town.villages if wanted in fold(v.name)]
    for dept in county.departments:
        if any(wanted in fold(n) for n in (dept.name, *dept.aliases)):
            found.append(dept.slug)
    return tuple(found)
