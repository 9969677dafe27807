"""What every command shares: global state, the one error handler, JSON output, opening a store."""

import errno
import os
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager

import typer

from pufa import workspace as ws
from pufa.cli.plain import dumps
from pufa.errors import InvalidInput, PufaError, WorkspaceError
from pufa.load import load_county
from pufa.model import County
from pufa.output import cause
from pufa.store import Store
from pufa.store.location import scrub


class _State:
    workspace: str | None = None
    debug: bool = False


STATE = _State()


def fail(exc: PufaError) -> typer.Exit:
    lines = [str(p) for p in exc.problems] if isinstance(exc, InvalidInput) else [str(exc)]
    for line in lines:
        typer.secho(f"错误:{_scrub(line)}", fg="red", err=True)
    return typer.Exit(1)


def _scrub(text: str) -> str:
    """``text`` without any password: those spelled in a URL or ``password=`` form, and those of
    the locations this process was given (arguments, ``PUFA_DB_URL``)."""
    return scrub(text, *sys.argv[1:], os.environ.get("PUFA_DB_URL"))


def unexpected(exc: BaseException) -> str:
    """The one line a user sees for an exception pufa did not raise on purpose (no traceback)."""
    if isinstance(exc, OSError):
        why = cause(exc)
        where = exc.filename if exc.filename is not None else "文件"
        writing = exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS)
        return f"无法{'写入' if writing else '读写'} {where}:{why}"
    return f"内部错误:{type(exc).__name__};用 --debug 查看详情"


def fail_unexpected(exc: BaseException) -> typer.Exit:
    typer.secho(f"错误:{_scrub(unexpected(exc))}", fg="red", err=True)
    return typer.Exit(1)


def print_traceback(exc: BaseException) -> None:
    """The traceback (``--debug``), with every password in it redacted."""
    text = "".join(traceback.format_exception(exc))
    typer.echo(_scrub(text), err=True, nl=False)


#: raised by typer (and its click) to end a command on purpose, or for a bad option: not faults
_TYPER = (typer.Exit, typer.Abort, typer.TyperException)


@contextmanager
def errors() -> Iterator[None]:
    """The one place an error turns into one red line and exit status 1: a PufaError as its
    message, a failed file operation as its path and cause, anything else as 内部错误 — never a
    traceback (``--debug`` lets the exception through)."""
    try:
        yield
    except PufaError as exc:
        if STATE.debug:
            raise
        raise fail(exc) from None
    except _TYPER:
        raise
    except Exception as exc:
        if STATE.debug:
            raise
        raise fail_unexpected(exc) from None


@contextmanager
def opened(found: ws.Workspace | None = None) -> Iterator[tuple[County, Store]]:
    """The county profile and open store of ``found`` (the current workspace if not given),
    closed again at the end."""
    chosen = found or ws.find(STATE.workspace)
    county = chosen.county()
    with chosen.open() as store:
        yield county, store


def county_or_default() -> County:
    """The current workspace's county profile; outside a workspace, the default (开阳县) one."""
    try:
        return ws.find(STATE.workspace).county()
    except WorkspaceError:
        return load_county(ws.campaigns_dir() / "kaiyang" / ws.PROFILE)


def print_json(data: object) -> None:
    typer.echo(dumps(data))
