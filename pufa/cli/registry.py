"""The app's frame: its settings and global options, and where each command outside the record
commands lives — so the console entry (:mod:`pufa.cli.entry`) and the whole app
(:mod:`pufa.cli.app`) build from the same registry."""

from importlib import import_module
from typing import Annotated, Any

import typer

from pufa import __version__
from pufa.cli.common import STATE
from pufa.cli.frame import PufaGroup

#: the command list of ``pufa`` / ``pufa -h``, by job: every command in exactly one group
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("登记", ("init", "demo", "log", "edit", "void", "done", "cancel")),
    ("核对", ("lock", "unlock", "locks")),
    ("查询", ("list", "show", "history", "kinds")),
    ("统计与报告", ("summary", "report")),
    ("计划与日历", ("year", "plan", "feeds")),
    ("台账", ("ledger",)),
    ("数据库", ("db",)),
    ("县情与村居", ("county", "places")),
    ("责任与评议", ("duties", "review")),
    ("人员名册", ("people",)),
    ("用户与网页", ("users", "web")),
)


class RootGroup(PufaGroup):
    """``pufa`` itself: its commands listed by job (:data:`GROUPS`)."""

    groups = GROUPS


SETTINGS: dict[str, Any] = {
    "name": "pufa",
    "help": "普法工作台账:登记、修改、作废、查询普法活动记录。先运行 pufa init 或 pufa demo。",
    "no_args_is_help": True,
    "pretty_exceptions_show_locals": False,  # a database URL must never leak into a traceback
    "add_completion": True,  # --install-completion / --show-completion (bash, zsh)
    "cls": RootGroup,
    "rich_markup_mode": None,
    "context_settings": {"help_option_names": ["-h", "--help"]},
}

#: commands and groups defined outside pufa.cli.commands: name → (module, attribute)
EXTENSIONS: dict[str, tuple[str, str]] = {
    "list": ("pufa.cli.listing", "list_cmd"),
    "summary": ("pufa.cli.tallies", "summary_cmd"),
    "report": ("pufa.cli.tallies", "report_cmd"),
    "db": ("pufa.cli.db", "db_app"),
    "plan": ("pufa.cli.plan", "plan_app"),
    "feeds": ("pufa.cli.feeds", "feeds_app"),
    "ledger": ("pufa.cli.ledger", "ledger_app"),
    "county": ("pufa.cli.county", "county_app"),
    "year": ("pufa.cli.year", "year_app"),
    "duties": ("pufa.cli.duties", "duties_cmd"),
    "review": ("pufa.cli.review", "review_cmd"),
    "places": ("pufa.cli.places", "places_cmd"),
    "people": ("pufa.cli.people", "people_app"),
    "lock": ("pufa.cli.locks", "lock_cmd"),
    "unlock": ("pufa.cli.locks", "unlock_cmd"),
    "locks": ("pufa.cli.locks", "locks_cmd"),
    "users": ("pufa.cli.users", "users_app"),
    "web": ("pufa.cli.web", "web_cmd"),
}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pufa {__version__}")
        raise typer.Exit()


def _root(
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="PUFA_WORKSPACE",
            help="工作区目录(默认:当前目录及上级目录中的 pufa.toml)",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="出错时显示完整的调用栈")] = False,
    version: Annotated[
        bool,
        typer.Option("--version", help="显示 pufa 的版本并退出", is_eager=True, callback=_version),
    ] = False,
) -> None:
    """普法工作台账。例:pufa log seven-into --date 2024-03-05 --township 禾丰乡 --title 法律进学校 --venue 学校"""
    STATE.workspace = workspace
    STATE.debug = debug


def new_app() -> typer.Typer:
    """An empty ``pufa`` app with the global options (``--workspace``, ``--debug``, ``--version``)."""
    made = typer.Typer(**SETTINGS)
    made.callback()(_root)
    return made


def register(app: typer.Typer, name: str) -> None:
    """Add the extension command or group ``name`` (a key of :data:`EXTENSIONS`) to ``app``,
    importing only its module."""
    module, attribute = EXTENSIONS[name]
    found = getattr(import_module(module), attribute)
    if isinstance(found, typer.Typer):
        app.add_typer(found, name=name, cls=PufaGroup)
    else:
        app.command(name)(found)
