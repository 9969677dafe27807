"""``pufa web``: the browser face of the same library, an edge like the CLI (Flask, Jinja2).

:func:`pufa.web.app.create_app` builds the app for a workspace; pages call the library (records,
tally, accounts) and never SQL. Only this package imports flask, werkzeug or jinja2.
"""
