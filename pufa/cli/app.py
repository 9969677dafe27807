"""The whole ``pufa`` app: the record commands plus every extension command and group.

The console script builds only the command it is asked for (:mod:`pufa.cli.entry`); this full app
serves ``pufa --help``, suggestions for a mistyped command, and tests (``CliRunner``).
"""

from pufa.cli.commands import app as records_app
from pufa.cli.commands import new_app
from pufa.cli.entry import EXTENSIONS, register

app = new_app()
app.registered_commands = list(records_app.registered_commands)
for _name in EXTENSIONS:
    register(app, _name)
