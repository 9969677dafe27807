"""The rosters and duties pages, blueprint ``rosters``: ``GET /people`` (法律明白人, 法治副校长,
法治辅导员 with the CLI's default masking: names shown, phones masked, no certificate numbers; a
township user sees its township's people) and ``GET /duties`` (each unit's tasks against its
records, :func:`pufa.unitwork.progress`; a department user sees its own unit).

No personal-data export on the web: the page says to use ``pufa people export --with-personal-data``
on the server, which is logged.
"""

from __future__ import annotations

import pendulum
from flask import Blueprint, render_template

from pufa import names, people, unitwork
from pufa.errors import InvalidInput
from pufa.model import County
from pufa.people import Person
from pufa.store.roster import Roster
from pufa.users import Role, User
from pufa.value import valueclass
from pufa.web import charts
from pufa.web.auth import require
from pufa.web.context import signed_in, web_county, web_store, web_today, web_workspace
from pufa.web.pages import FIRST_YEAR, LAST_YEAR, asked_number, problem_page

rosters = Blueprint("rosters", __name__)

#: who sees the rosters (personal data: not the admin, not the departments)
PEOPLE_READERS = (Role.OFFICE, Role.TOWNSHIP, Role.VIEWER)
#: people a page of the rosters lists
PEOPLE_PAGE = 100
#: who sees the units' duties
DUTY_READERS = (Role.OFFICE, Role.DEPARTMENT, Role.VIEWER)


@valueclass
class PersonLine:
    """One person as the page shows them: never the certificate number, the phone masked."""

    role: str
    name: str
    place: str
    post: str
    phone: str
    ended: str


def township_of(county: County, person: Person) -> str | None:
    """The township code of a person's village, or None (a school's people, an unknown code)."""
    found = names.village_named(county, person.village) if person.village else None
    if found is not None:
        return found[0].code
    for town in county.townships:
        if any(s.name == person.school for s in town.schools):
            return town.code
    return None


def line(county: County, person: Person) -> PersonLine:
    """What the page shows of a person (the CLI's ``people list`` without personal data)."""
    place = people.village_label(county, person.village) or person.school
    ended = "" if person.ended is None else f"{person.ended.isoformat()} 离任"
    phone = people.mask_phone(person.phone)
    return PersonLine(person.role_label, person.name, place, person.post, phone, ended)


def visible(county: County, user: User, found: list[Person]) -> list[Person]:
    """The people a user may see: a township user only its township's."""
    if user.role is not Role.TOWNSHIP:
        return found
    return [p for p in found if township_of(county, p) == user.township]


@rosters.route("/people")
@require(*PEOPLE_READERS)
def people_page() -> str | tuple[str, int]:
    """The rosters, masked as the CLI masks them by default, :data:`PEOPLE_PAGE` a page."""
    county, user = web_county(), signed_in()
    found = visible(county, user, Roster(web_store()).people(None, False))
    pages = max(1, -(-len(found) // PEOPLE_PAGE))
    try:
        page = asked_number("page", 1, 1, pages, "页码 (page)")
    except InvalidInput as error:
        return problem_page(error, "名册")
    shown = found[(page - 1) * PEOPLE_PAGE : page * PEOPLE_PAGE]
    return render_template(
        "people.html", people=[line(county, p) for p in shown], total=len(found), page=page,
        pages=pages,
    )  # fmt: skip


@rosters.route("/duties")
@require(*DUTY_READERS)
def duties() -> str | tuple[str, int]:
    """Each unit's tasks for ``?year=`` (default this year) against its records."""
    now = web_today()
    try:
        year = asked_number("year", now.year, FIRST_YEAR, LAST_YEAR, "年份 (year)")
    except InvalidInput as error:
        return problem_page(error, "责任清单")
    county, user = web_county(), signed_in()
    try:
        goals, listed = unitwork.read_duties(web_workspace(), county, year)
    except InvalidInput:  # its text names server paths: the page says what to do instead
        return render_template("duties.html", year=year, units=None, charts=charts)
    dept = user.dept if user.role is Role.DEPARTMENT else None
    as_of = min(now, pendulum.Date(year, 12, 31))
    units = unitwork.progress(county, web_store(), goals, listed, as_of, dept)
    return render_template("duties.html", year=year, units=units, as_of=as_of, charts=charts)
