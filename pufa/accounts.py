"""Web users as library calls: add, list, disable, new password, sign in (throttled), sessions.

The CLI (``pufa users``) and the web (``pufa web``) call these; only :mod:`pufa.store.users`
talks SQL and only :mod:`pufa.passwords` knows argon2. Signing in is throttled per name as
typed: :data:`FAILURES` failures within :data:`WINDOW` lock the name for :data:`LOCKOUT`; every
attempt is logged, and a refusal reads the same whether the user exists or not (an unknown name
is verified against a dummy hash, so the time taken does not tell either).
"""

from __future__ import annotations

import hashlib
import secrets

import pendulum

from pufa import passwords
from pufa.errors import InvalidInput, Problem, PufaError
from pufa.event import Stamp
from pufa.model import County
from pufa.store import Store
from pufa.store.users import Users
from pufa.users import User, check_user, new_user, password_problems

__all__ = [
    "SignInRefused", "add_user", "authenticate", "check_user", "close_session", "disable_user",
    "get_user", "list_users", "locked_until", "open_session", "reset_password", "session_user",
]  # fmt: skip

#: failures of one name within WINDOW that lock it for LOCKOUT
FAILURES = 5
WINDOW = pendulum.duration(minutes=15)
LOCKOUT = pendulum.duration(minutes=15)
#: a session ends after this long unused, and after ABSOLUTE in any case
IDLE = pendulum.duration(hours=8)
ABSOLUTE = pendulum.duration(days=7)
#: the one refusal of a sign-in, whatever went wrong (no name, wrong password, locked, disabled)
REFUSED = "用户名或密码不正确,或该账号暂时不能登录。连续输错 5 次将锁定 15 分钟。"


class SignInRefused(PufaError):
    """A sign-in refused: always :data:`REFUSED`, whatever the reason."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


def _checked_password(name: str, password: str) -> str:
    problems = password_problems(name, password)
    if problems:
        raise InvalidInput(problems)
    return passwords.hash_password(password)


def add_user(
    store: Store,
    county: County,
    typed: tuple[str, str, str | None, str | None],
    password: str,
    stamp: Stamp,
) -> User:
    """Add a user from what was typed — ``(name, role, township, dept)`` — with ``password``;
    every problem (name taken, role, scope, password) at once, nothing written on refusal."""
    name, role_text, township, dept = typed
    problems: list[Problem] = []
    try:
        user = new_user(county, name, role_text, township, dept)
    except InvalidInput as error:
        problems.extend(error.problems)
    problems.extend(password_problems(name, password))
    table = Users(store)
    if not problems and table.find(name) is not None:
        raise InvalidInput.one(
            "user", name, "已有同名用户", "换一个用户名,或用 pufa users list 查看"
        )
    if problems:
        raise InvalidInput(problems)
    return table.add(user, passwords.hash_password(password), stamp)


def list_users(store: Store) -> list[User]:
    """Every user, by name (no password hashes)."""
    return Users(store).users()


def get_user(store: Store, name: str) -> User:
    """The user called ``name``; :class:`~pufa.errors.NotFound` naming ``pufa users list``."""
    return Users(store).get(name)


def disable_user(store: Store, name: str, reason: str, stamp: Stamp) -> User:
    """Disable a user (audited with ``reason``): they cannot sign in, their sessions end."""
    if not reason.strip():
        raise InvalidInput.one("reason", reason, "停用账号须写明理由(--reason)")
    table = Users(store)
    return table.set_disabled(table.get(name), True, stamp, reason.strip())


def reset_password(store: Store, name: str, password: str, stamp: Stamp) -> User:
    """Give a user a new password (policy checked; audited without the hash); sessions end."""
    table = Users(store)
    user = table.get(name)
    table.set_password(user, _checked_password(name, password), stamp, "重设密码")
    return user


def locked_until(store: Store, name: str, now: pendulum.DateTime) -> pendulum.DateTime | None:
    """When the lock on ``name`` ends, if :data:`FAILURES` failures within :data:`WINDOW` lock it."""
    tries = Users(store).attempts(name, now - WINDOW - LOCKOUT)
    failures: list[pendulum.DateTime] = []
    for at, ok in tries:
        failures = [] if ok else [*failures, at]
        recent = [f for f in failures if at - f <= WINDOW]
        if len(recent) >= FAILURES:
            until = at + LOCKOUT
            if until > now:
                return until
    return None


def authenticate(
    store: Store, name: str, password: str, now: pendulum.DateTime, remote: str
) -> User:
    """The user ``name`` if ``password`` is theirs, they are enabled and the name is not locked;
    :class:`SignInRefused` otherwise. Every attempt is logged (the name as typed)."""
    table = Users(store)
    found = table.credentials(name)
    stored = passwords.dummy_hash() if found is None else found[1]
    matches = passwords.verify(stored, password)  # run for unknown names too: same time taken
    locked = locked_until(store, name, now) is not None
    ok = found is not None and matches and not locked and not found[0].disabled
    table.log_attempt(name, now, ok, remote)
    if not ok or found is None:
        raise SignInRefused()
    user, stored = found
    if passwords.needs_rehash(stored) and user.id is not None:
        table.set_password(
            user, passwords.hash_password(password), Stamp(now, name), "更新密码散列参数"
        )
    return user


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(store: Store, user: User, now: pendulum.DateTime) -> str:
    """A new session for ``user``: the random token for the cookie (only its hash is stored)."""
    assert user.id is not None
    token = secrets.token_urlsafe(32)
    Users(store).open_session(_key(token), user.id, now, now + ABSOLUTE)
    return token


def session_user(store: Store, token: str, now: pendulum.DateTime) -> User | None:
    """The user whose live session ``token`` is, or None (unknown, revoked, idle over
    :data:`IDLE`, older than :data:`ABSOLUTE`, or the user disabled). Notes the use."""
    if not token:
        return None
    table = Users(store)
    key = _key(token)
    session = table.session(key)
    if session is None or session.revoked is not None:
        return None
    if now >= session.expires or now - session.last_seen >= IDLE:
        return None
    user = table.by_id(session.user_id)
    if user is None or user.disabled:
        return None
    if now - session.last_seen >= pendulum.duration(minutes=1):  # one write a minute at most
        table.touch(key, now)
    return user


def close_session(store: Store, token: str, now: pendulum.DateTime) -> None:
    """End the session ``token`` server-side (sign out): the cookie never works again."""
    if token:
        Users(store).revoke(_key(token), now)
