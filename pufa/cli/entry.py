"""The console script's entry: build only the invoked command, importing only what it needs.

``pufa log …`` imports :mod:`pufa.cli.commands` and builds the ``log`` command alone;
``pufa summary …`` imports :mod:`pufa.cli.tallies` as well; anything else (``--help``, a mistyped
command) gets the whole app from :mod:`pufa.cli.app`, with its help and suggestions. typer would
otherwise inspect every command's signature on each start (click's lazy-subcommand pattern).

Imports run with the cyclic GC paused: importing pufa and its libraries allocates many long-lived
objects (classes, enums, generated attrs methods), and collecting cycles among them during start-up
is wasted work for a short-lived command. The collector is back on before any command runs, and
everything is frozen out of the interpreter's last collection once the command is done (below).
"""

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module

import typer

#: global options that take a value (skipped when looking for the command name)
GLOBAL_WITH_VALUE = ("-w", "--workspace")

#: commands and groups defined outside pufa.cli.commands: name → (module, attribute)
EXTENSIONS: dict[str, tuple[str, str]] = {
    "summary": ("pufa.cli.tallies", "summary_cmd"),
    "report": ("pufa.cli.tallies", "report_cmd"),
    "db": ("pufa.cli.db", "db_app"),
    "plan": ("pufa.cli.plan", "plan_app"),
    "feeds": ("pufa.cli.feeds", "feeds_app"),
    "ledger": ("pufa.cli.ledger", "ledger_app"),
}


def command_name(argv: list[str]) -> str | None:
    """The subcommand named in ``argv``, skipping the global options before it."""
    skip = False
    for token in argv:
        if skip:
            skip = False
        elif token in GLOBAL_WITH_VALUE:
            skip = True
        elif not token.startswith("-"):
            return token
    return None


def register(app: typer.Typer, name: str) -> None:
    """Add the extension command or group ``name`` (a key of :data:`EXTENSIONS`) to ``app``."""
    module, attribute = EXTENSIONS[name]
    found = getattr(import_module(module), attribute)
    if isinstance(found, typer.Typer):
        app.add_typer(found, name=name)
    else:
        app.command(name)(found)


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for ``argv``: only the named command when there is one, else all of them."""
    from pufa.cli import commands

    name = command_name(argv)
    if name is not None and name in EXTENSIONS:
        only = commands.new_app()
        register(only, name)
        return only
    chosen = [c for c in commands.app.registered_commands if c.name == name]
    if chosen:
        only = commands.new_app()
        only.registered_commands = chosen
        return only
    from pufa.cli.app import app

    return app


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic GC off for a stretch that only makes long-lived, acyclic objects (imports here;
    an import's records in ``pufa ledger import``), as it was before once the stretch ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def main() -> None:
    """Console-script entry point (``pufa``, ``python -m pufa``).

    The last line of defence: an exception no ``errors()`` block turned into a message (one
    raised while the command's options are converted, say) becomes one red line and exit status
    1 here, never a traceback; with ``--debug`` the traceback is printed, its passwords redacted.
    """
    try:
        with paused_gc():
            run = app_for(sys.argv[1:])
        run(prog_name="pufa")
    except Exception as exc:
        from pufa.cli.common import STATE, fail, fail_unexpected, print_traceback
        from pufa.errors import PufaError

        if STATE.debug or "--debug" in sys.argv[1:]:
            print_traceback(exc)
            sys.exit(1)
        ended = fail(exc) if isinstance(exc, PufaError) else fail_unexpected(exc)
        sys.exit(ended.exit_code)
    finally:
        gc.freeze()  # the process is ending: see below


# Why ``gc.freeze()`` when the command is done. At exit CPython runs a last full collection over every
# object the libraries made (typer, pendulum, attrs …): 20–35 ms here, up to a sixth of a `pufa log`,
# spent finding cycles in memory the operating system is about to take back whole. Freezing moves
# all objects to the permanent generation, which that collection skips. Nothing else about exit
# changes: atexit handlers run, standard streams are flushed, modules are torn down. Every file and
# connection pufa opens is closed by the command itself (``with`` blocks, ``Store.close``), so none
# is left for a finaliser; and Python never promised ``__del__`` for objects alive at exit.
