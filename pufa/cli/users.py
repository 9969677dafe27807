"""`pufa users`: the accounts of ``pufa web`` — add, list, disable, reset a password.

A password is never an argument (it would sit in the shell history and the process list): it is
typed twice with hidden input, or read from ``--password-file`` (its first line).
"""

import getpass
import sys
from pathlib import Path
from typing import Annotated

import typer

from pufa import accounts
from pufa import workspace as ws
from pufa.cli.common import errors, opened, print_json
from pufa.cli.options import ActorOption, JsonOption
from pufa.errors import InvalidInput, Problem
from pufa.users import User, scope_text

users_app = typer.Typer(
    name="users",
    help="网页用户:开通、列出、停用账号,重设密码(供 pufa web 使用)。",
    no_args_is_help=True,
    rich_markup_mode=None,
)

NameArgument = Annotated[str, typer.Argument(help="用户名(2–32 字)", show_default=False)]
PasswordFile = Annotated[
    Path | None,
    typer.Option(
        "--password-file", help="从文件第一行读取密码(不在终端输入时必须给出)", dir_okay=False
    ),
]


def _password(path: Path | None) -> str:
    """The new password: the first line of ``path``, else typed twice with hidden input."""
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput.one(
                "password", str(path), f"无法读取密码文件:{exc.__class__.__name__}"
            ) from None
        return text.splitlines()[0] if text else ""
    if not sys.stdin.isatty():
        raise InvalidInput(
            [Problem("password", "(未给出)", "不在终端中运行时须用 --password-file 给出密码文件")]
        )
    first = getpass.getpass("密码(至少 10 个字符,输入时不显示):")
    second = getpass.getpass("再输入一次:")
    if first != second:
        raise InvalidInput([Problem("password", "(已隐藏)", "两次输入的密码不一致", "请重新运行")])
    return first


@users_app.command("add")
def add_cmd(
    name: NameArgument,
    role: Annotated[
        str,
        typer.Option(
            "--role",
            help="角色:admin 管理员、office 县普法办、township 乡镇、department 部门、viewer 领导(只读)",
        ),
    ],
    township: Annotated[str | None, typer.Option("--township", help="乡镇(乡镇角色必填)")] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="部门(部门角色必填)")] = None,
    password_file: PasswordFile = None,
    by: ActorOption = None,
) -> None:
    """开通一个网页账号。例:pufa users add 张三 --role township --township 禾丰乡"""
    with errors(), opened() as (county, store):
        problems = accounts.check_user(county, name, role, township, dept)
        if problems:  # before asking for a password
            raise InvalidInput(problems)
        password = _password(password_file)
        user = accounts.add_user(
            store, county, (name, role, township, dept), password, ws.stamp(by)
        )
        typer.echo(f"已开通账号 {user.name}:{scope_text(user, county)}")


def _user_json(user: User) -> dict[str, object]:
    created = None if user.created is None else user.created.isoformat()
    return {
        "name": user.name,
        "role": user.role.slug,
        "role_label": user.role.label,
        "township": user.township,
        "dept": user.dept,
        "disabled": user.disabled,
        "created": created,
    }


@users_app.command("list")
def list_cmd(json_output: JsonOption = False) -> None:
    """列出所有网页账号(不含密码)。例:pufa users list"""
    with errors(), opened() as (county, store):
        found = accounts.list_users(store)
    if json_output:
        print_json([_user_json(u) for u in found])
        return
    if not found:
        typer.echo("还没有网页账号。用 pufa users add 开通,或运行 pufa demo 试用示例账号。")
    for user in found:
        state = "(已停用)" if user.disabled else ""
        typer.echo(f"{user.name}  {scope_text(user, county)}{state}")


@users_app.command("disable")
def disable_cmd(
    name: NameArgument,
    reason: Annotated[str, typer.Option("--reason", help="停用理由(记入审计记录)")],
    by: ActorOption = None,
) -> None:
    """停用一个账号:不能再登录,已登录的会话立即失效。例:pufa users disable 张三 --reason 调离"""
    with errors(), opened() as (_county, store):
        accounts.disable_user(store, name, reason, ws.stamp(by))
    typer.echo(f"已停用账号 {name},其会话已全部失效。")


@users_app.command("reset-password")
def reset_cmd(
    name: NameArgument, password_file: PasswordFile = None, by: ActorOption = None
) -> None:
    """给一个账号设新密码,已登录的会话立即失效。例:pufa users reset-password 张三"""
    with errors(), opened() as (_county, store):
        accounts.get_user(store, name)  # an unknown name before asking for a password
        accounts.reset_password(store, name, _password(password_file), ws.stamp(by))
    typer.echo(f"已重设 {name} 的密码,其会话已全部失效。")
