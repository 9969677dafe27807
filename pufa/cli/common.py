"""What every command shares: global state, the one error handler, JSON output, opening a store."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from pufa import workspace as ws
from pufa.errors import InvalidInput, PufaError


class _State:
    workspace: str | None = None
    debug: bool = False


STATE = _State()


def fail(exc: PufaError) -> typer.Exit:
    lines = [str(p) for p in exc.problems] if isinstance(exc, InvalidInput) else [str(exc)]
    for line in lines:
        typer.secho(f"错误:{line}", fg="red", err=True)
    return typer.Exit(1)


@contextmanager
def errors() -> Iterator[None]:
    """The one place a PufaError turns into red lines and exit status 1 (or a traceback with --debug)."""
    try:
        yield
    except PufaError as exc:
        if STATE.debug:
            raise
        raise fail(exc) from None


@contextmanager
def opened() -> Iterator[tuple[Any, Any]]:
    """The workspace's county profile and its open store, closed again at the end."""
    found = ws.find(STATE.workspace)
    county = found.county()
    store = found.open()
    try:
        yield county, store
    finally:
        store.close()


def print_json(data: Any) -> None:
    from pufa.cli.plain import dumps

    typer.echo(dumps(data))
