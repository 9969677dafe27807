"""Store locations and their secrets: the one home of ``is_url`` and ``redact``.

A store is a SQLite file path, or a PostgreSQL server given in either form libpq (and so psycopg)
accepts: a URL (``postgresql://`` or ``postgres://``, the scheme in any case) or a ``key=value``
string (``host=x password='a b' dbname=y``). A password may sit in the URL's user part, in a
``password=`` option of its query, or in a ``password`` (``sslpassword``) key. Other URL schemes
(``postgresql+psycopg://`` from SQLAlchemy, ``mysql://``) are not store locations: they are
refused, redacted like the others.

Parsing here is pure Python and tolerant (no psycopg: redacting must work, and be cheap, where
the driver is missing or the text is malformed). Where a form is ambiguous it redacts more, never
less: a malformed URL keeps only its scheme and user name.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

MASK = "***"

# patterns as text: `re` compiles each on first use and keeps it (nothing compiled at import)
# the two URI schemes libpq accepts; other schemes (``postgresql+psycopg``) are refused
_SERVER_SCHEME = r"(?i)^\s*postgres(?:ql)?://"
_ANY_SCHEME = r"^\s*[A-Za-z][A-Za-z0-9+.\-]*://"
# a libpq ``key=value`` string starts with one of its connection keywords
# (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS)
_KEY_VALUE = (
    r"^\s*(?:host|hostaddr|port|dbname|user|password|passfile|require_auth|channel_binding"
    r"|connect_timeout|client_encoding|options|application_name|fallback_application_name"
    r"|keepalives|keepalives_idle|keepalives_interval|keepalives_count|tcp_user_timeout"
    r"|replication|gssencmode|sslmode|requiressl|sslcompression|sslcert|sslkey|sslpassword"
    r"|sslcertmode|sslrootcert|sslcrl|sslcrldir|sslsni|requirepeer|ssl_min_protocol_version"
    r"|ssl_max_protocol_version|krbsrvname|gsslib|gssdelegation|service|target_session_attrs"
    r"|load_balance_hosts)\s*="
)
# in any text: a URL's user part (``scheme://user:SECRET@``) — up to the last ``@`` before a
# space or quote, so an unencoded ``@`` in the password is covered too
_URL_PASSWORD = r"(?i)([a-z][a-z0-9+.\-]*://[^:/?#@\s\"']*:)[^\s\"']*@"
# in any text: ``password=SECRET`` (query option or key=value; ``sslpassword`` too), quoted or not
_KEY_PASSWORD = r"""(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'?|(?:\\.|[^\s&#"'\\])*)"""
# a libpq ``key=value`` string, pair by pair: a value is quoted (backslash escapes) or runs to a space
_PAIR = r"""(\w+)(\s*=\s*)('(?:[^'\\]|\\.)*'?|(?:\\.|\S)*)"""


def is_url(location: str | Path) -> bool:
    """Whether a store location names a PostgreSQL server (a URL or a libpq ``key=value``
    string), else it is a SQLite file path."""
    if isinstance(location, Path):
        return False
    return bool(re.match(_SERVER_SCHEME, location) or re.match(_KEY_VALUE, location))


def is_foreign_url(location: str | Path) -> bool:
    """Whether a location is a URL of a scheme pufa does not take (``postgresql+psycopg://`` …)."""
    return not isinstance(location, Path) and bool(
        re.match(_ANY_SCHEME, location) and not re.match(_SERVER_SCHEME, location)
    )


def for_driver(location: str) -> str:
    """The location as libpq wants it: the URL scheme in lower case (``PostgreSQL://`` works)."""
    found = re.match(_SERVER_SCHEME, location)
    if found:
        return found.group(0).strip().lower() + location[found.end() :]
    return location.strip()


def _user_password(text: str) -> tuple[str, str, str] | None:
    """A URL split around the password of its user part: (before, password, after), if it has one.

    The user part runs to the last ``@`` before the query, so a password holding an unencoded
    ``@``, ``/`` or space is still all of it.
    """
    scheme = re.match(_ANY_SCHEME, text)
    if scheme is None:
        return None
    rest = text[scheme.end() :]
    authority = re.split(r"[?#]", rest, maxsplit=1)[0]
    if "@" not in authority:
        return None
    userinfo = authority[: authority.rindex("@")]
    if ":" not in userinfo:
        return None
    start = scheme.end() + userinfo.index(":") + 1
    end = scheme.end() + len(userinfo)
    return text[:start], text[start:end], text[end:]


def redact(location: str | Path) -> str:
    """A store location safe to print: every password in it, in any form, becomes ``***``.

    Text that only looks like a mistyped URL (``postgresql//user:secret@host``: a ``:`` before an
    ``@``) loses everything between its first ``:`` and its last ``@`` too.
    """
    if isinstance(location, Path):
        return str(location)
    text = location
    split = _user_password(text)
    if split is not None:
        text = f"{split[0]}{MASK}{split[2]}"
    elif re.match(_KEY_VALUE, text):
        text = re.sub(_PAIR, _mask_pair, text)
    elif (mistyped := _mistyped(text)) is not None:
        text = f"{mistyped[0]}{MASK}{mistyped[2]}"
    return scrub(text)


def _mistyped(text: str) -> tuple[str, str, str] | None:
    """Text without a scheme that looks like a mistyped URL (``postgresql//user:secret@host``),
    split around what would be its password: from the first ``:`` to the last ``@``."""
    if re.match(_ANY_SCHEME, text) or "@" not in text or ":" not in text[: text.rindex("@")]:
        return None
    start, end = text.index(":") + 1, text.rindex("@")
    return text[:start], text[start:end], text[end:]


def _mask_pair(pair: re.Match[str]) -> str:
    if pair.group(1).lower().endswith("password"):
        return f"{pair.group(1)}{pair.group(2)}{MASK}"
    return pair.group(0)


def secrets(location: str | Path) -> list[str]:
    """Every password written in a location, as written and decoded, longest first."""
    if isinstance(location, Path):
        return []
    text = str(location)
    if re.match(_KEY_VALUE, text):
        pairs = re.finditer(_PAIR, text)
        values = [m.group(3) for m in pairs if m.group(1).lower().endswith("password")]
    else:
        values = [m.group(2) for m in re.finditer(_KEY_PASSWORD, text)]
        split = _user_password(text) or _mistyped(text)
        if split is not None:
            values.append(split[1])
    found = set(values)
    found |= {re.sub(r"\\(.)", r"\1", v.strip("'")) for v in values}  # quoted, escaped
    found |= {unquote(v) for v in values}  # percent-encoded in a URL
    return sorted((s for s in found if s), key=len, reverse=True)


def scrub(text: str, *locations: str | Path | None) -> str:
    """``text`` (an error message, a traceback) with every password in it made ``***``: those
    spelled in URL or ``key=value`` form anywhere in the text, and those of ``locations`` wherever
    they appear (a driver may echo a password alone, or a location cut short)."""
    known = {s for location in locations if location is not None for s in secrets(location)}
    for secret in sorted(known, key=len, reverse=True):
        text = text.replace(secret, MASK)
    text = re.sub(_URL_PASSWORD, rf"\1{MASK}@", text)
    return re.sub(_KEY_PASSWORD, rf"\1{MASK}", text)
