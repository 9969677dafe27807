"""Web users, their audited changes, sessions and sign-in attempts in the store (migration 6).

:class:`Users` works on an open :class:`~pufa.store.sql.SQLStore` (either engine) and its
transactions; rows ↔ :class:`~pufa.users.User` are converted here. A password hash is read only by
:meth:`Users.credentials` and never written into ``user_revisions``; a session is stored by the
SHA-256 of its token, never the token.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pendulum

from pufa.errors import NotFound
from pufa.event import Stamp
from pufa.store.rows import stamp_text
from pufa.store.sql import SQLStore
from pufa.users import Role, User
from pufa.value import valueclass


@valueclass
class UserRevision:
    """One audited change of a user: what was done, when, by whom, why, field → [old, new]."""

    user: str
    action: str  #: add, disable, enable, password
    at: str
    by: str
    reason: str | None
    changes: dict[str, list[Any]]


@valueclass
class Session:
    """A sign-in session as stored: whose, since when, last seen, until when, revoked when."""

    user_id: int
    created: pendulum.DateTime
    last_seen: pendulum.DateTime
    expires: pendulum.DateTime
    revoked: pendulum.DateTime | None


def _time(text: str) -> pendulum.DateTime:
    return pendulum.instance(dt.datetime.fromisoformat(text))


def _user(row: Any) -> User:
    return User(
        int(row["id"]), row["name"], Role(row["role"]), row["township"], row["dept"],
        bool(row["disabled"]), _time(row["created_at"]),
    )  # fmt: skip


def _revision(row: Any) -> UserRevision:
    return UserRevision(
        row["name"], row["action"], row["changed_at"], row["changed_by"], row["reason"],
        json.loads(row["changes"]),
    )  # fmt: skip


def _first(row: Any) -> Any:
    return row[0] if isinstance(row, tuple) else next(iter(dict(row).values()))


class Users:
    """The users of one store: add, list, disable, new password; sessions; sign-in attempts."""

    def __init__(self, store: object) -> None:
        if not isinstance(store, SQLStore):
            raise TypeError("users need a pufa SQL store")
        self.store = store

    def _revise(self, user_id: int, action: str, stamp: Stamp, reason: str | None,
                changes: dict[str, list[Any]]) -> None:  # fmt: skip
        self.store._execute(
            "INSERT INTO user_revisions (user_id, action, changed_at, changed_by, reason, changes)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (user_id, action, stamp_text(stamp.at), stamp.by, reason,
             json.dumps(changes, ensure_ascii=False)),
        )  # fmt: skip

    def add(self, user: User, password_hash: str, stamp: Stamp) -> User:
        """Store a new user and its creation revision (without the hash); returns it with its id."""
        at = stamp_text(stamp.at)
        with self.store.transaction():
            row = self.store._execute(
                "INSERT INTO users (name, role, township, dept, password_hash, disabled, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
                (user.name, user.role.slug, user.township, user.dept, password_hash, at, at),
            ).fetchone()
            user_id = int(_first(row))
            changes = {"role": [None, user.role.slug], "township": [None, user.township],
                       "dept": [None, user.dept]}  # fmt: skip
            self._revise(user_id, "add", stamp, None, {k: v for k, v in changes.items() if v[1]})
        return User(user_id, user.name, user.role, user.township, user.dept, False, stamp.at)

    def find(self, name: str) -> User | None:
        """The user called ``name`` exactly, or None."""
        row = self.store._execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else _user(row)

    def get(self, name: str) -> User:
        """The user called ``name``; :class:`NotFound` naming ``pufa users list`` otherwise."""
        found = self.find(name)
        if found is None:
            raise NotFound(f"没有名为 {name} 的用户。用 pufa users list 查看所有用户。")
        return found

    def by_id(self, user_id: int) -> User | None:
        row = self.store._execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
        return None if row is None else _user(row)

    def credentials(self, name: str) -> tuple[User, str] | None:
        """The user called ``name`` and its password hash (for signing in only), or None."""
        row = self.store._execute("SELECT * FROM users WHERE name = ?", (name,)).fetchone()
        return None if row is None else (_user(row), str(row["password_hash"]))

    def users(self) -> list[User]:
        """Every user, by name."""
        rows = self.store._execute("SELECT * FROM users ORDER BY name, id").fetchall()
        return [_user(row) for row in rows]

    def set_disabled(self, user: User, disabled: bool, stamp: Stamp, reason: str) -> User:
        """Disable (or enable) a user, audited with the reason; their open sessions are revoked."""
        assert user.id is not None
        with self.store.transaction():
            self.store._execute(
                "UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
                (int(disabled), stamp_text(stamp.at), user.id),
            )
            action = "disable" if disabled else "enable"
            self._revise(user.id, action, stamp, reason, {"disabled": [user.disabled, disabled]})
            if disabled:
                self.revoke_all(user.id, stamp.at)
        return User(user.id, user.name, user.role, user.township, user.dept, disabled, user.created)

    def set_password(self, user: User, password_hash: str, stamp: Stamp, reason: str) -> None:
        """A new password hash for the user (the revision says only that it changed); their open
        sessions are revoked."""
        assert user.id is not None
        with self.store.transaction():
            self.store._execute(
                "UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                (password_hash, stamp_text(stamp.at), user.id),
            )
            self._revise(user.id, "password", stamp, reason, {})
            self.revoke_all(user.id, stamp.at)

    def revisions(self) -> list[UserRevision]:
        """Every audited change of every user, oldest first."""
        rows = self.store._execute(
            "SELECT u.name, r.action, r.changed_at, r.changed_by, r.reason, r.changes "
            "FROM user_revisions r JOIN users u ON u.id = r.user_id ORDER BY r.id"
        ).fetchall()
        return [_revision(row) for row in rows]

    # -- sign-in attempts ----------------------------------------------------------------------

    def log_attempt(self, name: str, at: pendulum.DateTime, ok: bool, remote: str) -> None:
        """Log one sign-in attempt, the name as typed."""
        with self.store.transaction():
            self.store._execute(
                "INSERT INTO login_attempts (name, at, ok, remote) VALUES (?, ?, ?, ?)",
                (name, stamp_text(at), int(ok), remote),
            )

    def attempts(self, name: str, since: pendulum.DateTime) -> list[tuple[pendulum.DateTime, bool]]:
        """The attempts for ``name`` from ``since`` on, oldest first: (when, succeeded)."""
        rows = self.store._execute(
            "SELECT at, ok FROM login_attempts WHERE name = ? AND at >= ? ORDER BY at, id",
            (name, stamp_text(since)),
        ).fetchall()
        return [(_time(row["at"]), bool(row["ok"])) for row in rows]

    def attempt_log(self) -> list[tuple[str, str, bool, str]]:
        """Every attempt: (name as typed, when, succeeded, remote address), oldest first."""
        rows = self.store._execute("SELECT * FROM login_attempts ORDER BY id").fetchall()
        return [(row["name"], row["at"], bool(row["ok"]), row["remote"]) for row in rows]

    # -- sessions ------------------------------------------------------------------------------

    def open_session(
        self, key: str, user_id: int, at: pendulum.DateTime, expires: pendulum.DateTime
    ) -> None:
        """Store a new session under ``key`` (the SHA-256 of its token)."""
        with self.store.transaction():
            self.store._execute(
                "INSERT INTO web_sessions (id, user_id, created_at, last_seen, expires_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (key, user_id, stamp_text(at), stamp_text(at), stamp_text(expires)),
            )

    def session(self, key: str) -> Session | None:
        row = self.store._execute("SELECT * FROM web_sessions WHERE id = ?", (key,)).fetchone()
        if row is None:
            return None
        revoked = None if row["revoked_at"] is None else _time(row["revoked_at"])
        return Session(
            int(row["user_id"]), _time(row["created_at"]), _time(row["last_seen"]),
            _time(row["expires_at"]), revoked,
        )  # fmt: skip

    def touch(self, key: str, at: pendulum.DateTime) -> None:
        """Note that the session was used at ``at`` (the idle timeout counts from here)."""
        with self.store.transaction():
            self.store._execute(
                "UPDATE web_sessions SET last_seen = ? WHERE id = ?", (stamp_text(at), key)
            )

    def revoke(self, key: str, at: pendulum.DateTime) -> None:
        """End one session server-side: its cookie never works again."""
        with self.store.transaction():
            self.store._execute(
                "UPDATE web_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (stamp_text(at), key),
            )

    def revoke_all(self, user_id: int, at: pendulum.DateTime) -> None:
        """End every open session of a user (disabled, or a new password)."""
        with self.store.transaction():
            self.store._execute(
                "UPDATE web_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
                (stamp_text(at), user_id),
            )
