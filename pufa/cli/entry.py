"""The console script's entry: build only the invoked command, importing only what it needs.

``pufa log …`` imports :mod:`pufa.cli.commands` and builds the ``log`` command alone;
``pufa summary …`` imports :mod:`pufa.cli.tallies` as well (:data:`pufa.cli.registry.EXTENSIONS`);
anything else (``--help``, a mistyped command) gets the whole app from :mod:`pufa.cli.app`, with
its help and suggestions. typer would otherwise inspect every command's signature on each start
(click's lazy-subcommand pattern).

The CLI is imported with the cyclic GC paused: importing pufa and its libraries allocates many
long-lived objects (classes, enums, generated attrs methods), and collecting cycles among them
during start-up is wasted work for a short-lived command. Those objects are then frozen (moved
to the collector's permanent generation) before the collector is back on: else its first
collection walks all of them at once (about 8 ms), and every later full one again. The command
runs with the collector on, for what it allocates itself; everything is frozen out of the
interpreter's last collection once the command is done (below). docs/performance.md says what
each saves.
"""

import gc
import sys

from pufa.pause import paused_gc

with paused_gc():  # the imports below make long-lived objects only: no cycles worth collecting
    import typer

    from pufa.cli import commands
    from pufa.cli.common import STATE, fail, fail_unexpected, print_traceback
    from pufa.cli.registry import EXTENSIONS, new_app, register
    from pufa.errors import PufaError

    gc.freeze()  # all of the above lives until exit: keep it out of every collection

#: global options that take a value (skipped when looking for the command name)
GLOBAL_WITH_VALUE = ("-w", "--workspace")


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


def app_for(argv: list[str]) -> typer.Typer:
    """The app to run for ``argv``: only the named command when there is one, else all of them."""
    name = command_name(argv)
    if name is not None and name in EXTENSIONS:
        only = new_app()
        register(only, name)
        return only
    chosen = [c for c in commands.app.registered_commands if c.name == name]
    if chosen:
        only = new_app()
        only.registered_commands = chosen
        return only
    from pufa.cli.app import app  # imports every command's module: not for `pufa log`

    return app


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
