"""pufa.users, pufa.passwords, pufa.accounts and `pufa users`: roles, permissions, password hashing,
throttled sign-in, sessions — on both engines."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pufa import accounts, demo, passwords
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.event import Event, Stamp
from pufa.model import County
from pufa.store import Query
from pufa.store.users import Users
from pufa.users import (
    Role,
    User,
    check_user,
    may_lock,
    may_log,
    may_manage_users,
    may_read_record,
    may_write_record,
    role,
)

from .conftest import REPEATED_LECTURE, invoke, invoke_ok
from .engines import execute

NOW = pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai")
STAMP = Stamp(NOW, "测试员")
PASSWORD = "correct horse battery"
HEFENG = "520121206"


def _add(found: ws.Workspace, name: str, role_text: str, township: str | None = None,
         dept: str | None = None) -> User:  # fmt: skip
    with found.open() as store:
        return accounts.add_user(
            store, found.county(), (name, role_text, township, dept), PASSWORD, STAMP
        )


def _password_file(tmp_path: Path, text: str = PASSWORD + "\n") -> str:
    path = tmp_path / "password.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


def _users_rows(found: ws.Workspace) -> list[tuple[object, ...]]:
    return execute(found.location, "SELECT * FROM users ORDER BY id") + execute(
        found.location, "SELECT * FROM user_revisions ORDER BY id"
    )


# -- roles and checks (pure) ---------------------------------------------------------------------


def test_role_is_read_by_slug_or_label() -> None:
    """A role is typed as its slug or its Chinese label."""
    assert role("township") is Role.TOWNSHIP
    assert role("县普法办") is Role.OFFICE
    assert Role.VIEWER.label == "领导(只读)"


def test_unknown_role_names_the_nearest() -> None:
    """A mistyped role is refused with every role listed and the nearest one suggested."""
    with pytest.raises(InvalidInput) as refused:
        role("townshp")
    assert str(refused.value) == (
        "角色 (--role) = “townshp”: 应为角色之一:admin(管理员)、office(县普法办)、"
        "township(乡镇)、department(部门)、viewer(领导(只读)) — 是否指 township?"
    )


def test_township_role_needs_a_township(county: County) -> None:
    """A township user without --township is refused, naming the option."""
    problems = check_user(county, "李四", "township", None, None)
    assert [(p.field, p.expected) for p in problems] == [
        ("township", "乡镇角色必须用 --township 指定乡镇")
    ]


def test_township_is_resolved_with_a_hint(county: County) -> None:
    """A mistyped township is refused with the nearest township name."""
    (problem,) = check_user(county, "李四", "township", "禾风乡", None)
    assert problem.hint == "是否指 禾丰乡?"


def test_other_roles_take_no_township(county: County) -> None:
    """A viewer given a township is refused: only township users have one."""
    (problem,) = check_user(county, "王五", "viewer", "禾丰乡", None)
    assert problem.field == "township"


def test_user_name_length_is_checked(county: County) -> None:
    """A one-character user name is refused (2–32 characters)."""
    (problem,) = check_user(county, "李", "office", None, None)
    assert problem.expected == "应为 2–32 个字"


# -- permissions (pure rules, real records) ------------------------------------------------------


@pytest.fixture
def two_records(workspace: ws.Workspace) -> tuple[Event, Event]:
    """A lecture of 禾丰乡 and one of 县司法局."""
    invoke_ok(workspace.root, *REPEATED_LECTURE)
    invoke_ok(workspace.root, "log", "lecture", "-d", "2024-03-05", "--dept", "县司法局",
              "--title", "宪法讲座", "-p", "40")  # fmt: skip
    with workspace.open() as store:
        town, dept = sorted(store.events(Query()), key=lambda e: e.township is None)
    return town, dept


def test_township_user_reads_and_writes_its_own_records_only(
    two_records: tuple[Event, Event],
) -> None:
    """A 禾丰乡 user may read and change 禾丰乡's record, not a department's."""
    town, dept = two_records
    clerk = User(1, "禾丰乡文书", Role.TOWNSHIP, township=HEFENG)
    assert (may_read_record(clerk, town), may_write_record(clerk, town)) == (True, True)
    assert (may_read_record(clerk, dept), may_write_record(clerk, dept)) == (False, False)


def test_department_user_reads_and_writes_its_unit_only(two_records: tuple[Event, Event]) -> None:
    """A 县司法局 user may change its unit's record, not a township's."""
    town, dept = two_records
    staff = User(2, "司法局干事", Role.DEPARTMENT, dept=dept.dept)
    assert (may_write_record(staff, dept), may_read_record(staff, town)) == (True, False)


def test_viewer_and_admin_read_but_never_write(two_records: tuple[Event, Event]) -> None:
    """Leaders and the admin read every record and change none; the office changes all."""
    town, _ = two_records
    for reader in (User(3, "领导", Role.VIEWER), User(4, "管理员", Role.ADMIN)):
        assert (may_read_record(reader, town), may_write_record(reader, town)) == (True, False)
    assert may_write_record(User(5, "普法办", Role.OFFICE), town)


def test_disabled_user_may_do_nothing(two_records: tuple[Event, Event]) -> None:
    """A disabled office user reads and writes nothing."""
    town, _ = two_records
    gone = User(5, "普法办", Role.OFFICE, disabled=True)
    assert (may_read_record(gone, town), may_write_record(gone, town), may_log(gone)) == (
        False, False, False,
    )  # fmt: skip


def test_only_admin_manages_users_and_only_office_locks() -> None:
    """Managing users is the admin's; locking months the office's."""
    assert [r for r in Role if may_manage_users(User(1, "某人", r))] == [Role.ADMIN]
    assert [r for r in Role if may_lock(User(1, "某人", r))] == [Role.OFFICE]


# -- passwords -------------------------------------------------------------------------------------


def test_password_hash_is_argon2id_and_verifies() -> None:
    """A hash is argon2id, verifies the password and refuses another."""
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$")
    assert passwords.verify(stored, PASSWORD)
    assert not passwords.verify(stored, PASSWORD + "x")
    assert not passwords.needs_rehash(stored)


def test_short_password_is_refused_and_nothing_written(workspace: ws.Workspace) -> None:
    """A 9-character password is refused, the value not echoed, no user stored."""
    with workspace.open() as store, pytest.raises(InvalidInput) as refused:
        accounts.add_user(
            store, workspace.county(), ("李四", "viewer", None, None), "123456789", STAMP
        )
    assert str(refused.value) == "密码 (--password-file) = “(已隐藏)”: 至少 10 个字符(现有 9 个)"
    assert _users_rows(workspace) == []


def test_password_may_not_be_the_user_name(workspace: ws.Workspace) -> None:
    """A password equal to the user name is refused."""
    with workspace.open() as store, pytest.raises(InvalidInput, match="不能与用户名相同"):
        accounts.add_user(store, workspace.county(), ("zhangsan12", "viewer", None, None),
                          "ZhangSan12", STAMP)  # fmt: skip


# -- the users command -----------------------------------------------------------------------------


def test_users_add_with_a_password_file(workspace: ws.Workspace, tmp_path: Path) -> None:
    """`users add` with --password-file stores the user, its argon2 hash and an audited revision."""
    result = invoke_ok(workspace.root, "users", "add", "李四", "--role", "township",
                       "--township", "禾丰乡", "--password-file", _password_file(tmp_path))  # fmt: skip
    assert result.output == "已开通账号 李四:乡镇 · 禾丰布依族苗族乡\n"
    (row,) = execute(workspace.location, "SELECT name, role, township, password_hash FROM users")
    assert row[:3] == ("李四", "township", HEFENG)
    assert str(row[3]).startswith("$argon2id$")
    revisions = execute(
        workspace.location, "SELECT action, changed_by, changes FROM user_revisions"
    )
    assert revisions == [
        ("add", "测试员", '{"role": [null, "township"], "township": [null, "520121206"]}')
    ]


def test_users_add_bad_role_names_the_nearest_and_writes_nothing(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A mistyped role is refused with the nearest role; no user is stored."""
    result = invoke(workspace.root, "users", "add", "李四", "--role", "offise",
                    "--password-file", _password_file(tmp_path))  # fmt: skip
    assert result.exit_code == 1
    assert "是否指 office?" in result.output
    assert _users_rows(workspace) == []


def test_users_add_refuses_without_terminal_or_password_file(workspace: ws.Workspace) -> None:
    """Outside a terminal, a password must come from --password-file; nothing is written."""
    result = invoke(workspace.root, "users", "add", "李四", "--role", "viewer")
    assert result.exit_code == 1
    assert "不在终端中运行时须用 --password-file 给出密码文件" in result.output
    assert _users_rows(workspace) == []


def test_users_add_refuses_a_taken_name(workspace: ws.Workspace, tmp_path: Path) -> None:
    """A second user of the same name is refused."""
    _add(workspace, "李四", "viewer")
    result = invoke(workspace.root, "users", "add", "李四", "--role", "office",
                    "--password-file", _password_file(tmp_path))  # fmt: skip
    assert "已有同名用户" in result.output
    assert len(execute(workspace.location, "SELECT id FROM users")) == 1


def test_users_list_json(workspace: ws.Workspace) -> None:
    """`users list --json` names each user's role and scope, and no password hash."""
    _add(workspace, "李四", "department", dept="县司法局")
    out = json.loads(invoke_ok(workspace.root, "users", "list", "--json").output)
    assert [(u["name"], u["role"], u["role_label"], u["disabled"]) for u in out] == [
        ("李四", "department", "部门", False)
    ]
    assert "hash" not in json.dumps(out)


def test_users_disable_needs_a_reason_and_is_audited(workspace: ws.Workspace) -> None:
    """`users disable --reason` marks the user disabled and records who, why."""
    _add(workspace, "李四", "viewer")
    invoke_ok(workspace.root, "users", "disable", "李四", "--reason", "调离")
    assert execute(workspace.location, "SELECT disabled FROM users") == [(1,)]
    assert execute(workspace.location, "SELECT action, reason FROM user_revisions ORDER BY id")[
        -1
    ] == ("disable", "调离")


def test_users_reset_password(workspace: ws.Workspace, tmp_path: Path) -> None:
    """`users reset-password` gives a new password; the old one no longer signs in."""
    _add(workspace, "李四", "viewer")
    new = "another long secret"
    invoke_ok(workspace.root, "users", "reset-password", "李四",
              "--password-file", _password_file(tmp_path, new))  # fmt: skip
    with workspace.open() as store:
        assert accounts.authenticate(store, "李四", new, NOW, "test").name == "李四"
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(store, "李四", PASSWORD, NOW, "test")


def test_users_reset_password_of_unknown_user(workspace: ws.Workspace, tmp_path: Path) -> None:
    """Resetting the password of a name nobody has is refused, naming `users list`."""
    result = invoke(workspace.root, "users", "reset-password", "无此人",
                    "--password-file", _password_file(tmp_path))  # fmt: skip
    assert "没有名为 无此人 的用户。用 pufa users list 查看所有用户。" in result.output


# -- signing in, throttled -------------------------------------------------------------------------


def test_five_failures_lock_the_name_for_15_minutes(workspace: ws.Workspace) -> None:
    """After 5 wrong passwords the right one is refused too, until 15 minutes have passed."""
    _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        for minute in range(5):
            with pytest.raises(accounts.SignInRefused):
                accounts.authenticate(store, "李四", "wrong!", NOW.add(minutes=minute), "10.0.0.9")
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(store, "李四", PASSWORD, NOW.add(minutes=5), "10.0.0.9")
        later = NOW.add(minutes=5 + 16)
        assert accounts.authenticate(store, "李四", PASSWORD, later, "10.0.0.9").name == "李四"


def test_refusal_reads_the_same_for_unknown_and_known_names(workspace: ws.Workspace) -> None:
    """A wrong password and an unknown name get the very same refusal."""
    _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        refusals = []
        for name in ("李四", "无此人"):
            with pytest.raises(accounts.SignInRefused) as refused:
                accounts.authenticate(store, name, "wrong password", NOW, "test")
            refusals.append(str(refused.value))
    assert refusals[0] == refusals[1] == accounts.REFUSED


def test_attempts_are_logged_with_name_and_address(workspace: ws.Workspace) -> None:
    """Every attempt is logged: the name as typed, success, the remote address."""
    _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(store, "无此人", "x" * 12, NOW, "10.0.0.7")
        accounts.authenticate(store, "李四", PASSWORD, NOW, "10.0.0.8")
        log = Users(store).attempt_log()
    assert [(name, ok, remote) for name, _, ok, remote in log] == [
        ("无此人", False, "10.0.0.7"), ("李四", True, "10.0.0.8"),
    ]  # fmt: skip


def test_disabled_user_cannot_sign_in(workspace: ws.Workspace) -> None:
    """A disabled user's right password is refused with the same text."""
    _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        accounts.disable_user(store, "李四", "调离", STAMP)
        with pytest.raises(accounts.SignInRefused):
            accounts.authenticate(store, "李四", PASSWORD, NOW, "test")


# -- sessions --------------------------------------------------------------------------------------


def test_session_lives_until_idle_for_8_hours(workspace: ws.Workspace) -> None:
    """A session used within 8 hours lives; unused for 8 hours it is over."""
    user = _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        token = accounts.open_session(store, user, NOW)
        assert accounts.session_user(store, token, NOW.add(hours=7)) == user
        assert accounts.session_user(store, token, NOW.add(hours=14, minutes=59)) == user
        assert accounts.session_user(store, token, NOW.add(hours=23)) is None


def test_session_ends_after_7_days_however_used(workspace: ws.Workspace) -> None:
    """A session used every few hours still ends 7 days after it began."""
    user = _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        token = accounts.open_session(store, user, NOW)
        for hours in range(6, 7 * 24, 6):
            assert accounts.session_user(store, token, NOW.add(hours=hours)) == user
        assert accounts.session_user(store, token, NOW.add(days=7)) is None


def test_closed_session_never_works_again(workspace: ws.Workspace) -> None:
    """After sign-out the token is refused, and only its hash was ever stored."""
    user = _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        token = accounts.open_session(store, user, NOW)
        accounts.close_session(store, token, NOW)
        assert accounts.session_user(store, token, NOW) is None
    assert token not in str(execute(workspace.location, "SELECT * FROM web_sessions"))


def test_disabling_a_user_ends_their_sessions(workspace: ws.Workspace) -> None:
    """A disabled user's open session is refused at once."""
    user = _add(workspace, "李四", "viewer")
    with workspace.open() as store:
        token = accounts.open_session(store, user, NOW)
        accounts.disable_user(store, "李四", "调离", STAMP)
        assert accounts.session_user(store, token, NOW) is None


def test_demo_makes_one_user_per_role(tmp_path: Path) -> None:
    """`pufa demo` makes one demo user per role, each signing in with the printed password."""
    made = demo.init(tmp_path / "demo")
    with made.open() as store:
        found = accounts.list_users(store)
        assert sorted(u.role.slug for u in found) == sorted(r.slug for r in Role)
        signed = accounts.authenticate(store, "示例禾丰乡", demo.DEMO_PASSWORD, NOW, "test")
    assert (signed.role, signed.township) == (Role.TOWNSHIP, HEFENG)


def test_db_copy_keeps_the_users(
    workspace: ws.Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pufa db copy` carries the web users over: they sign in on the copy with their password."""
    _add(workspace, "李四", "township", township="禾丰乡")
    target = tmp_path / "copy.db"
    invoke_ok(workspace.root, "db", "copy", "--to", str(target))
    monkeypatch.setenv("PUFA_DB_URL", str(target))
    with workspace.open() as store:
        assert accounts.authenticate(store, "李四", PASSWORD, NOW, "test").township == HEFENG
