"""The one error hierarchy of pufa: every failure a user can meet is a PufaError."""

from __future__ import annotations

from collections.abc import Iterable

import attrs

from pufa.text import visible
from pufa.value import Value


class PufaError(Exception):
    """Base of every error pufa raises on purpose; its text is meant for the user (Chinese)."""


@attrs.frozen(eq=False, repr=False)
class Problem(Value):
    """One thing wrong with some input: where, which field, the value, what was expected, a hint.

    ``expected`` is a whole phrase (``应为不小于 0 的整数``, ``不能早于开始 …``) so each message reads as
    Chinese; ``hint`` is the nearest valid choice (``是否指 禾丰乡?``) or what to do.
    """

    field: str
    value: object
    expected: str
    hint: str | None = None
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        text = f"{where}{self.field} = {_show(self.value)}: {self.expected}"
        if self.hint:
            text += f" — {self.hint}"
        return text


def _show(value: object) -> str:
    if value is None:
        return "(空)"
    if isinstance(value, str):
        return f"“{visible(value, multiline=True)}”"  # never a raw ESC on the clerk's terminal
    return str(value)


class InvalidInput(PufaError, ValueError):
    """Input (options, files, rows) that breaks a rule; carries every problem found, not just the first."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("InvalidInput needs at least one problem")
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def field(self) -> str:
        return self.problems[0].field

    @property
    def value(self) -> object:
        return self.problems[0].value

    @property
    def path(self) -> str | None:
        return self.problems[0].path

    @property
    def line(self) -> int | None:
        return self.problems[0].line

    @classmethod
    def one(cls, field: str, value: object, expected: str, hint: str | None = None) -> InvalidInput:
        """Shorthand for an error with a single problem."""
        return cls([Problem(field, value, expected, hint)])


class WorkspaceError(PufaError):
    """No workspace where one is needed, or a workspace that cannot be used as it is."""


class StoreError(PufaError):
    """The store file or server cannot be used: corrupt, foreign, newer schema, unreachable."""


class NotFound(PufaError, LookupError):
    """A record id that does not exist."""


class Conflict(PufaError):
    """An operation that the record's current state forbids (editing a voided record, …)."""
