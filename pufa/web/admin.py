"""The admin's pages: the list of web users (``GET /admin/users``). Users are added, disabled and
given new passwords with ``pufa users`` on the server."""

from __future__ import annotations

from flask import Blueprint, render_template

from pufa import accounts
from pufa.users import Role, scope_text
from pufa.web.auth import require
from pufa.web.context import web_county, web_store

admin = Blueprint("admin", __name__, url_prefix="/admin")


@admin.route("/users")
@require(Role.ADMIN)
def users() -> str:
    """Every user: name, role and scope, disabled or not (no password hashes, ever)."""
    county = web_county()
    rows = [(u, scope_text(u, county)) for u in accounts.list_users(web_store())]
    return render_template("users.html", rows=rows)
