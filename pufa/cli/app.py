"""The whole ``pufa`` app: the record commands plus every extension command and group.

The console script builds only the command it is asked for (:mod:`pufa.cli.entry`); this full app
serves ``pufa --help``, suggestions for a mistyped command, and tests (``CliRunner``).
"""

from pufa.cli import commands
from pufa.cli.registry import EXTENSIONS, new_app, register

app = new_app()
app.registered_commands = list(commands.app.registered_commands)
for _name in EXTENSIONS:
    register(app, _name)
