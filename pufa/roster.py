"""What a user typed about a person (raw strings, as ``pufa people add`` or a roster row gives
them) → a validated :class:`~pufa.people.Person`, every problem collected first; :func:`village`
resolves a 村(居) through :func:`pufa.names.village`."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pendulum

from pufa.errors import InvalidInput, Problem, SheetAt
from pufa.model import DATE_MIN, NOTE_MAX, REASON_MAX, County, School, Village, text_problems
from pufa.names import closest, fold, township
from pufa.names import village as names_village
from pufa.people import EXPORT_COLUMNS, NAME_MAX, ROLES, SCHOOL_ROLES, SHORT_MAX, Person
from pufa.value import valueclass

#: what a user may type for a role
ROLE_NAMES: Mapping[str, str] = {
    **{fold(slug): slug for slug in ROLES},
    **{fold(label): slug for slug, label in ROLES.items()},
    "明白人": "guide",
    "副校长": "vice-principal",
    "辅导员": "counsellor",
}
_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-\d{7,8}")


def village(county: County, text: str, township_text: str | None = None) -> Village:
    """A 村(居) of the county by name, short name or 12-digit code, within ``township_text`` when
    given (:func:`pufa.names.village`: the nearest name as a hint, a shared name refused)."""
    town = township(county, township_text) if township_text is not None else None
    return names_village(county, text, town)[1]


def school(county: County, text: str) -> School | None:
    """A school of the county's 学校清单 by name (spacing and width folded; the nearest name as a
    hint); None when the profile lists no schools (any name is then taken as typed)."""
    known = [s for place in county.townships for s in place.schools]
    if not known:
        return None
    for candidate in known:
        if fold(candidate.name) == fold(text):
            return candidate
    guess = closest(text, [s.name for s in known])
    raise InvalidInput.one(
        "school",
        text,
        "应为县情配置(county.toml)学校清单中的学校",
        f"是否指 {guess}?" if guess else None,
    )


def _date(
    field: str, text: str, today: pendulum.Date, problems: list[Problem]
) -> pendulum.Date | None:
    if not text:
        return None
    try:
        day = pendulum.Date.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem(field, text, "应为日期,如 2024-03-05"))
        return None
    if not DATE_MIN <= day <= today:
        problems.append(Problem(field, text, f"应在 {DATE_MIN} 至今天({today})之间"))
        return None
    return day


def _phone(text: str, problems: list[Problem]) -> str:
    compact = text.strip().replace(" ", "")
    if not compact:
        return ""
    if _MOBILE.fullmatch(compact.replace("-", "")):
        return compact.replace("-", "")
    if _LANDLINE.fullmatch(compact):
        return compact
    problems.append(
        Problem(
            "phone", text, "应为 11 位手机号(如 13800000000)或带区号的固定电话(如 0851-87221234)"
        )
    )
    return ""


def _role(text: str, problems: list[Problem]) -> str:
    slug = ROLE_NAMES.get(fold(text))
    if slug is None:
        guess = closest(text, ROLES.values())
        problems.append(
            Problem(
                "role",
                text,
                f"应为{'、'.join(ROLES.values())}之一",
                f"是否指 {guess}?" if guess else None,
            )
        )
        return "guide"
    return slug


def _texts(raw: Mapping[str, str], problems: list[Problem]) -> dict[str, str]:
    """The free-text fields, trimmed and checked (control characters, length)."""
    out = {}
    for key, max_len in (("name", NAME_MAX), ("post", SHORT_MAX), ("certificate", SHORT_MAX),
                         ("school", SHORT_MAX), ("employer", SHORT_MAX), ("note", NOTE_MAX)):  # fmt: skip
        value = raw.get(key, "").strip()
        problems.extend(text_problems(key, value, max_len=max_len, multiline=key == "note"))
        out[key] = value
    return out


def build(
    county: County,
    raw: Mapping[str, str],
    today: pendulum.Date,
    *,
    township_text: str | None = None,
) -> Person:
    """A validated :class:`Person` from raw text (keys of :data:`FIELDS`); every problem at once."""
    problems: list[Problem] = []
    role = _role(raw.get("role", ""), problems)
    texts = _texts(raw, problems)
    phone = _phone(raw.get("phone", ""), problems)
    dates = {
        k: _date(k, raw.get(k, ""), today, problems) for k in ("certified_on", "appointed", "ended")
    }
    code = None
    if raw.get("village", "").strip():
        try:
            code = village(county, raw["village"].strip(), township_text).code
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if texts["school"]:
        try:
            found = school(county, texts["school"])
            texts["school"] = found.name if found is not None else texts["school"]
        except InvalidInput as exc:
            problems.extend(exc.problems)
    if not texts["name"]:
        problems.append(Problem("name", "", "必填"))
    problems.extend(_role_problems(role, raw, dates))
    if problems:
        raise InvalidInput(problems)
    return Person(
        role=role,
        name=texts["name"],
        phone=phone,
        village=code,
        post=texts["post"],
        certificate=texts["certificate"],
        certified_on=dates["certified_on"],
        school=texts["school"],
        employer=texts["employer"],
        appointed=dates["appointed"],
        ended=dates["ended"],
        note=texts["note"],
    )


def _role_problems(
    role: str,
    raw: Mapping[str, str],
    dates: Mapping[str, pendulum.Date | None],
) -> list[Problem]:
    """What one role needs and refuses: a village for a 法律明白人, a school for the others."""
    problems = []
    label = ROLES[role]
    at_school = role in SCHOOL_ROLES
    needed = ("school", "employer", "appointed") if at_school else ("village",)
    for key in needed:
        if not raw.get(key, "").strip():
            problems.append(Problem(key, "", f"{label}必填"))
    refused = (
        ("village", "post", "certificate", "certified_on")
        if at_school
        else ("school", "employer", "appointed")
    )
    for key in refused:
        if raw.get(key, "").strip():
            problems.append(Problem(key, raw[key], f"{label}不填这一项"))
    start = dates.get("appointed") or dates.get("certified_on")
    ended = dates.get("ended")
    if start is not None and ended is not None and ended < start:
        problems.append(
            Problem("ended", str(ended), f"不能早于{'聘任' if at_school else '发证'}日期 {start}")
        )
    return problems


def build_role(text: str) -> str:
    """A role slug from what a user typed (法律明白人, 副校长, guide …), or the nearest as a hint."""
    problems: list[Problem] = []
    slug = _role(text, problems)
    if problems:
        raise InvalidInput(problems)
    return slug


def reason_problem(reason: str) -> None:
    """Refuse an empty, too long or control-character reason (an erasure must say why)."""
    problems = text_problems("reason", reason.strip(), max_len=REASON_MAX)
    if not reason.strip():
        problems.append(Problem("reason", reason, "必填:删除依据,如 本人申请"))
    if problems:
        raise InvalidInput(problems)


#: a roster column header → the field it fills
HEADER_FIELDS: Mapping[str, str] = {
    header: key for key, header in EXPORT_COLUMNS.items() if key != "id"
}


@valueclass
class RosterImport:
    """What a roster import would do: people to add, (old, new) pairs to change, rows unchanged."""

    adds: tuple[Person, ...]
    edits: tuple[tuple[Person, Person], ...]
    same: int


def natural_key(person: Person) -> tuple[str, ...]:
    """Who a roster row is: the certificate number, else name + village + phone."""
    if person.certificate:
        return ("certificate", person.certificate)
    return ("person", person.name, person.village or person.school, person.phone)


def _row_person(
    county: County, sheet: str, number: int, row: Mapping[str, str], today: pendulum.Date
) -> Person:
    raw = {HEADER_FIELDS[h]: v for h, v in row.items() if h in HEADER_FIELDS}
    place = raw.get("village", "")
    township_text = None
    if " " in place:  # 冯三镇 马江村, as the export writes it
        township_text, raw["village"] = place.split(" ", 1)
    try:
        return build(county, raw, today, township_text=township_text)
    except InvalidInput as exc:
        raise InvalidInput(
            Problem(p.field, p.value, p.expected, p.hint, SheetAt(sheet, number))
            for p in exc.problems
        ) from None


def plan_roster(
    county: County,
    sheet: str,
    rows: list[tuple[int, dict[str, str]]],
    existing: list[Person],
    today: pendulum.Date,
) -> RosterImport:
    """Every row checked (all problems, with sheet and row, raised together), then matched by its
    :func:`natural_key` against ``existing``: new people, changed people, unchanged rows."""
    problems: list[Problem] = []
    known = {natural_key(p): p for p in existing if not p.erased}
    adds: list[Person] = []
    edits: list[tuple[Person, Person]] = []
    same = 0
    seen: dict[tuple[str, ...], int] = {}
    for number, row in rows:
        try:
            person = _row_person(county, sheet, number, row, today)
        except InvalidInput as exc:
            problems.extend(exc.problems)
            continue
        key = natural_key(person)
        if key in seen:
            problems.append(
                Problem(
                    "certificate",
                    person.certificate or person.name,
                    f"与第{seen[key]}行是同一人",
                    None,
                    SheetAt(sheet, number),
                )
            )
            continue
        seen[key] = number
        old = known.get(key)
        if old is None:
            adds.append(person)
        elif old.raw() == person.raw():
            same += 1
        else:
            edits.append((old, person))
    if problems:
        raise InvalidInput(problems)
    return RosterImport(tuple(adds), tuple(edits), same)


#: a 签到表's columns: the certificate number, else name and village
SHEET_CERT, SHEET_NAME, SHEET_VILLAGE = "证书编号", "姓名", "村(居)"


def attendees(
    county: County, found: list[Person], rows: Sequence[tuple[SheetAt | None, Mapping[str, str]]]
) -> list[Person]:
    """The 法律明白人 each attendance row names — by 证书编号, else 姓名 + 村(居) — every row
    checked first (unknown, ambiguous or missing, with sheet and row), all problems together."""
    guides = [p for p in found if p.role == "guide" and not p.erased]
    by_cert = {p.certificate: p for p in guides if p.certificate}
    problems: list[Problem] = []
    out: list[Person] = []
    for at, row in rows:
        cert = row.get(SHEET_CERT, "").strip()
        name, place = row.get(SHEET_NAME, "").strip(), row.get(SHEET_VILLAGE, "").strip()
        try:
            if cert:
                if cert not in by_cert:
                    guess = closest(cert, list(by_cert))
                    raise InvalidInput.one("attendance", cert, "名册中没有此证书编号的法律明白人",
                                           f"是否指 {guess}?" if guess else None)  # fmt: skip
                out.append(by_cert[cert])
            else:
                out.append(_by_name(county, guides, name, place))
        except InvalidInput as exc:
            problems.extend(
                Problem(p.field, p.value, p.expected, p.hint, at or p.location)
                for p in exc.problems
            )
    if problems:
        raise InvalidInput(problems)
    return out


def _by_name(county: County, guides: list[Person], name: str, place: str) -> Person:
    """The one 法律明白人 of this name in this village (``禾丰乡 马江村`` or just ``马江村``)."""
    if not name or not place:
        raise InvalidInput.one("certificate", "", "每行须有证书编号,或姓名和村(居)")
    township_text, _, village_text = place.rpartition(" ")
    code = village(county, village_text, township_text or None).code
    matches = [p for p in guides if p.name == name and p.village == code]
    if len(matches) != 1:
        expected = "名册中没有此人" if not matches else f"同村同名 {len(matches)} 人,请写证书编号"
        raise InvalidInput.one("name", f"{name}({place})", expected)
    return matches[0]
