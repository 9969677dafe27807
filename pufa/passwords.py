"""Password hashing with argon2id (argon2-cffi's defaults): the one module that imports argon2.

Hashes are self-describing (``$argon2id$v=19$m=…``), so a change of parameters shows in
:func:`needs_rehash` and old hashes keep verifying.
"""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (a fresh random salt each time)."""
    return _hasher().hash(password)


def verify(stored: str, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash; a malformed hash never matches."""
    try:
        return _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether ``stored`` was made with other parameters than today's (re-hash at next sign-in)."""
    try:
        return _hasher().check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


@cache
def dummy_hash() -> str:
    """A hash of a password nobody has: verified against for unknown user names, so that the time a
    refusal takes does not tell whether the name exists."""
    return hash_password("pufa: no such user, a password nobody types")
