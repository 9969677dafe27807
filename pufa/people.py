"""People on the county's rosters, pure: 法律明白人 (village, phone, post, certificate) and 法治副校长 /
法治辅导员 (school, employer, appointed and ended dates).

What a user typed becomes a :class:`Person` in :mod:`pufa.roster`. Name, phone and
certificate number are personal data (:data:`PERSONAL`): :func:`person_json` and :func:`mask_phone`
decide what leaves pufa. No I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pendulum

from pufa import vocab
from pufa.model import County
from pufa.value import valueclass

#: role slug → its Chinese name
ROLES: Mapping[str, str] = {
    "guide": "法律明白人",
    "vice-principal": "法治副校长",
    "counsellor": "法治辅导员",
}
#: roles that work in a school (the rest work in a village)
SCHOOL_ROLES = ("vice-principal", "counsellor")
#: the personal fields: shown masked or not at all, left out of JSON and exports unless asked for,
#: removed by an erasure
PERSONAL = ("name", "phone", "certificate")
#: what an erased value reads as, in the record and its history
ERASED = "〔已删除〕"
#: every field a person has, in display order (the raw keys :func:`build` takes)
FIELDS = (
    "role", "name", "phone", "village", "post", "certificate", "certified_on",
    "school", "employer", "appointed", "ended", "note",
)  # fmt: skip
#: what a revision did, in words
ACTIONS: Mapping[str, str] = {
    "add": "加入",
    "edit": "修改",
    "leave": "离任",
    "erase": "删除个人信息",
}
NAME_MAX = 50
SHORT_MAX = 100


@valueclass
class Person:
    """One person on a roster; ``id`` is None until stored. Dates are calendar days."""

    role: str
    name: str
    phone: str = ""
    village: str | None = None  #: the 村(居)'s 12-digit code (法律明白人)
    post: str = ""  #: 村干部, 调解员, 网格员 …
    certificate: str = ""
    certified_on: pendulum.Date | None = None
    school: str = ""
    employer: str = ""
    appointed: pendulum.Date | None = None
    ended: pendulum.Date | None = None  #: left the roster (法律明白人) or the post (法治副校长)
    note: str = ""
    id: int | None = None
    revision: int = 0
    erased: bool = False

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    def raw(self) -> dict[str, str]:
        """Every field as the raw text :func:`build` takes (what ``edit`` starts from)."""
        out = {}
        for key in FIELDS:
            value = getattr(self, key)
            out[key] = "" if value is None else str(value)
        return out


def mask_phone(phone: str) -> str:
    """``13800000000`` → ``138****0000``; a landline keeps its area code and last four digits."""
    if not phone:
        return ""
    digits = phone.replace("-", "")
    return digits[:3] + "*" * max(len(digits) - 7, 4) + digits[-4:]


def changes(old: Person | None, new: Person) -> dict[str, list[str]]:
    """Field → [old, new] raw text for every field that differs (all of them for a new person)."""
    before = old.raw() if old is not None else dict.fromkeys(FIELDS, "")
    after = new.raw()
    return {key: [before[key], after[key]] for key in FIELDS if before[key] != after[key]}


def scrub(change: Mapping[str, Any]) -> dict[str, Any]:
    """A revision's changes with every personal value replaced by :data:`ERASED`."""
    return {
        key: [ERASED if v else v for v in pair] if key in PERSONAL else pair
        for key, pair in change.items()
    }


def person_json(county: County, person: Person, *, personal: bool) -> dict[str, Any]:
    """One person in the stable ``--json`` schema: ``name``, ``phone`` and ``certificate`` only when
    personal data was asked for."""
    village_name = village_label(county, person.village)
    out: dict[str, Any] = {"id": person.id, "role": person.role, "role_label": person.role_label}
    if personal:
        out.update(name=person.name, phone=person.phone, certificate=person.certificate)
    out.update(
        village=person.village,
        village_label=village_name,
        post=person.post,
        certified_on=_iso(person.certified_on),
        school=person.school,
        employer=person.employer,
        appointed=_iso(person.appointed),
        ended=_iso(person.ended),
        note=person.note,
        revision=person.revision,
        erased=person.erased,
    )
    return out


def _iso(day: pendulum.Date | None) -> str | None:
    return None if day is None else day.isoformat()


def village_label(county: County, code: str | None) -> str:
    """``禾丰乡 马江村`` for a village code (the code itself if the profile no longer lists it)."""
    if code is None:
        return ""
    for place in county.townships:
        for v in place.villages:
            if v.code == code:
                return f"{place.name} {v.name}"
    return code


def field_label(key: str) -> str:
    """A person's field in words (姓名, 手机 …)."""
    return vocab.label(key)


#: the export's columns: field key → header; the personal ones only with personal data
EXPORT_COLUMNS: Mapping[str, str] = {
    "id": "编号",
    "role": "身份",
    "name": "姓名",
    "phone": "手机",
    "village": "村(居)",
    "post": "职务",
    "certificate": "证书编号",
    "certified_on": "发证日期",
    "school": "学校",
    "employer": "工作单位",
    "appointed": "聘任日期",
    "ended": "离任日期",
    "note": "备注",
}


def export_table(
    county: County, found: list[Person], *, personal: bool
) -> tuple[list[str], list[list[str]]]:
    """The roster as headers and text rows; without ``personal`` the 姓名/手机/证书编号 columns are
    left out altogether."""
    keys = [k for k in EXPORT_COLUMNS if personal or k not in PERSONAL]
    rows = []
    for person in found:
        raw = person.raw()
        raw.update(id=str(person.id), role=person.role_label)
        raw["village"] = village_label(county, person.village)
        rows.append([raw[k] for k in keys])
    return [EXPORT_COLUMNS[k] for k in keys], rows


#: the report's rule: 每个村(居)5名以上 法律明白人
PER_VILLAGE = 5


@valueclass
class Coverage:
    """法律明白人 per village, from the roster (not an average): villages meeting ``at_least``, of
    all the county's villages, and each village below it with its count, township by township."""

    at_least: int
    villages: int
    met: int
    people: int
    below: tuple[tuple[str, str, int], ...]  #: (township, village, count), in the profile's order


def coverage(county: County, found: list[Person], at_least: int = PER_VILLAGE) -> Coverage:
    """Count the serving (not ended, not erased) 法律明白人 of each village of the county."""
    counts: dict[str, int] = {}
    for person in found:
        if person.role == "guide" and person.ended is None and person.village is not None:
            counts[person.village] = counts.get(person.village, 0) + 1
    below = []
    total = met = 0
    for place in county.townships:
        for v in place.villages:
            total += 1
            n = counts.get(v.code, 0)
            if n >= at_least:
                met += 1
            else:
                below.append((place.name, v.name, n))
    return Coverage(at_least, total, met, sum(counts.values()), tuple(below))


@valueclass
class SchoolCoverage:
    """法治副校长 per school, from the roster: schools with a serving 法治副校长 of all the schools
    of the county's 学校清单 (配备率), and each school without one, township by township."""

    schools: int
    met: int
    people: int  #: serving 法治副校长 and 法治辅导员
    without: tuple[tuple[str, str, str], ...]  #: (township, school, level), in the profile's order

    @property
    def rate(self) -> float:
        """配备率: the share of schools with a 法治副校长 (0 when no schools are listed)."""
        return self.met / self.schools if self.schools else 0.0


def school_coverage(county: County, found: list[Person]) -> SchoolCoverage:
    """Count the schools of the 学校清单 with a serving (not ended, not erased) 法治副校长."""
    served: set[str] = set()
    people = 0
    for person in found:
        if person.role in SCHOOL_ROLES and person.ended is None and not person.erased:
            people += 1
            if person.role == "vice-principal":
                served.add(person.school)
    without = []
    total = met = 0
    for place in county.townships:
        for school in place.schools:
            total += 1
            if school.name in served:
                met += 1
            else:
                without.append((place.name, school.name, school.level))
    return SchoolCoverage(total, met, people, tuple(without))
