"""Resolve what a user typed (Chinese name, alias, slug, code) to a domain value, or say what was meant."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import Any, TypeVar, cast

from pufa.errors import InvalidInput, Problem
from pufa.model import County, Department, Kind, Labelled, Mode, Status, Township
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
