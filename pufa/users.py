"""The people who sign in to ``pufa web``, as plain data, and what each role may do — pure.

A :class:`User` has one :class:`Role`: **admin** manages users and settings (and may read the
records), **office** (the county 普法 office) reads and writes everything and locks months,
**township** reads and writes its own township's records, **department** its own unit's, and
**viewer** (leaders) reads everything and writes nothing. The permission functions here are the
one rule the web pages and the tests both use.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pendulum

from pufa import names
from pufa.errors import InvalidInput, Problem
from pufa.model import County, Labelled, text_problems
from pufa.value import valueclass

if TYPE_CHECKING:
    from pufa.event import Event

#: a user name's length, in characters
NAME_MIN, NAME_MAX = 2, 32
#: a password's least length; it may not be the user name
PASSWORD_MIN = 10
#: longer than any pass phrase, short enough that hashing it costs nothing extra
PASSWORD_MAX = 256


class Role(Labelled):
    """What a web user may do; labels in :data:`pufa.vocab.ENUMS` (管理员 … 领导(只读))."""

    ADMIN = "admin"
    OFFICE = "office"
    TOWNSHIP = "township"
    DEPARTMENT = "department"
    VIEWER = "viewer"


@valueclass
class User:
    """One web user: ``township`` is a township code (role township only), ``dept`` a department
    slug (role department only)."""

    id: int | None
    name: str
    role: Role
    township: str | None = None
    dept: str | None = None
    disabled: bool = False
    created: pendulum.DateTime | None = None


def role(text: str) -> Role:
    """A role by slug (``township``) or label (乡镇); unknown → the nearest role named."""
    table = {names.fold(r.slug): r for r in Role} | {names.fold(r.label): r for r in Role}
    return names.resolve(
        text,
        table,
        field="user_role",
        what="角色",
        listing=[f"{r.slug}({r.label})" for r in Role],
        suggest_from=[r.slug for r in Role] + [r.label for r in Role],
    )


def name_problems(name: str) -> list[Problem]:
    """What is wrong with a user name: length 2–32, no control characters, no surrounding spaces."""
    problems = text_problems("user", name, max_len=NAME_MAX)
    if len(name.strip()) < NAME_MIN:
        problems.append(Problem("user", name, f"应为 {NAME_MIN}–{NAME_MAX} 个字"))
    elif name != name.strip():
        problems.append(Problem("user", name, "首尾不能有空格"))
    return problems


def password_problems(name: str, password: str) -> list[Problem]:
    """The password policy: at least 10 characters, not the user name. The value is never echoed."""
    hidden = "(已隐藏)"
    if len(password) < PASSWORD_MIN:
        return [Problem("password", hidden, f"至少 {PASSWORD_MIN} 个字符(现有 {len(password)} 个)")]
    if len(password) > PASSWORD_MAX:
        return [Problem("password", hidden, f"不能超过 {PASSWORD_MAX} 个字符")]
    if password.strip().casefold() == name.strip().casefold():
        return [Problem("password", hidden, "不能与用户名相同", "请换一个只有本人知道的密码")]
    return []


def _scope(
    county: County, chosen: Role | None, township: str | None, dept: str | None
) -> tuple[str | None, str | None, list[Problem]]:
    """The township code and department slug a role needs, resolved; problems for a missing or
    extra one."""
    problems: list[Problem] = []
    if chosen is None:  # an unknown role: its scope cannot be judged yet
        return None, None, problems
    code = _place(problems, "township", township, chosen is Role.TOWNSHIP, "乡镇",
                  lambda text: names.township(county, text).code)  # fmt: skip
    slug = _place(problems, "dept", dept, chosen is Role.DEPARTMENT, "部门",
                  lambda text: names.department(county, text).slug)  # fmt: skip
    return code, slug, problems


def _place(
    problems: list[Problem],
    field: str,
    given: str | None,
    needed: bool,
    role: str,
    resolve: Callable[[str], str],
) -> str | None:
    """A township or department for a role: required for its own role, refused for the others,
    resolved (with the closest name on a typo); problems appended."""
    option = f"--{field}"
    if given is None:
        if needed:
            problems.append(Problem(field, "", f"{role}角色必须用 {option} 指定{role}"))
        return None
    if not needed:
        key = "township" if field == "township" else "department"
        problems.append(Problem(field, given, f"只有{role}角色(--role {key})才指定{role}"))
        return None
    try:
        return resolve(given)
    except InvalidInput as error:
        problems.extend(error.problems)
        return None


def check_user(
    county: County, name: str, role_text: str, township: str | None, dept: str | None
) -> list[Problem]:
    """Every problem with a new user's name, role and scope (township/department), at once."""
    return _build(county, name, role_text, township, dept)[1]


def new_user(
    county: County, name: str, role_text: str, township: str | None, dept: str | None
) -> User:
    """A new (unsaved) user from what was typed; :class:`InvalidInput` with every problem."""
    user, problems = _build(county, name, role_text, township, dept)
    if problems or user is None:
        raise InvalidInput(problems)
    return user


def _build(
    county: County, name: str, role_text: str, township: str | None, dept: str | None
) -> tuple[User | None, list[Problem]]:
    problems = name_problems(name)
    chosen: Role | None = None
    try:
        chosen = role(role_text)
    except InvalidInput as error:
        problems.extend(error.problems)
    code, slug, scope = _scope(county, chosen, township, dept)
    problems.extend(scope)
    if problems or chosen is None:
        return None, problems
    return User(None, name, chosen, code, slug), []


# -- permissions: one rule for the web pages and the tests -------------------------------------


def may_read_record(user: User, event: Event) -> bool:
    """Office, admin and viewer read every record; a township or department user its own."""
    if user.disabled:
        return False
    if user.role is Role.TOWNSHIP:
        return event.township is not None and event.township == user.township
    if user.role is Role.DEPARTMENT:
        return event.dept is not None and event.dept == user.dept
    return True


def may_write_record(user: User, event: Event) -> bool:
    """The office writes every record; a township or department user its own; admin and viewer
    none."""
    if user.disabled or user.role in (Role.ADMIN, Role.VIEWER):
        return False
    return user.role is Role.OFFICE or may_read_record(user, event)


def may_log(user: User) -> bool:
    """Whether the user may log new records at all (in their own scope)."""
    return not user.disabled and user.role in (Role.OFFICE, Role.TOWNSHIP, Role.DEPARTMENT)


def may_manage_users(user: User) -> bool:
    """Only the admin adds, disables and resets users."""
    return not user.disabled and user.role is Role.ADMIN


def may_lock(user: User) -> bool:
    """Only the county office locks and unlocks months."""
    return not user.disabled and user.role is Role.OFFICE


def scope_text(user: User, county: County) -> str:
    """The user's role as a reader sees it: ``乡镇 · 禾丰乡``, ``部门 · 县司法局``, ``县普法办``."""
    if user.township is not None:
        town = next((t.name for t in county.townships if t.code == user.township), user.township)
        return f"{user.role.label} · {town}"
    if user.dept is not None:
        unit = next((d.name for d in county.departments if d.slug == user.dept), user.dept)
        return f"{user.role.label} · {unit}"
    return user.role.label
