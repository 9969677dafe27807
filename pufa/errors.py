"""The one error hierarchy of pufa: every failure a user can meet is a PufaError."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

from pufa import vocab
from pufa.text import visible
from pufa.value import valueclass


class PufaError(Exception):
    """Base of every error pufa raises on purpose; its text is meant for the user (Chinese)."""


@valueclass
class TomlAt:
    """Where in a TOML file: the file, its line (when found) and the key path (``townships[3].kind``)."""

    file: str
    line: int | None
    toml_path: str


@valueclass
class SheetAt:
    """Where in a ledger: the sheet, the row number and the column letter (empty when unknown)."""

    sheet: str
    row: int
    column: str = ""


@valueclass
class FileAt:
    """A file and maybe a line, where the field is named as the command line names it (a plan's
    item that would make a bad record, a file that cannot be read …)."""

    file: str
    line: int | None = None


Location: TypeAlias = TomlAt | SheetAt | FileAt


@valueclass
class Problem:
    """One thing wrong with some input: which field (a key of :mod:`pufa.vocab`), the value, what
    was expected, a hint, and where (no location: an option or a value given to the library).

    ``expected`` is a whole phrase (``应为不小于 0 的整数``, ``不能早于开始 …``) so each message reads as
    Chinese; ``hint`` is the nearest valid choice (``是否指 禾丰乡?``) or what to do.
    """

    field: str
    value: object
    expected: str
    hint: str | None = None
    location: Location | None = None

    @property
    def path(self) -> str | None:
        """The file the problem is in, if it is in one."""
        return self.location.file if isinstance(self.location, TomlAt | FileAt) else None

    @property
    def line(self) -> int | None:
        return None if self.location is None else getattr(self.location, "line", None)

    def __str__(self) -> str:
        return render(self)


def where(problem: Problem) -> str:
    """The field as the problem's location names it: ``参与人次 (--participants)`` (no location),
    ``county.toml:12: townships[3].kind`` (TOML), ``法律七进 第4行 E列(参与人次)`` (ledger)."""
    at = problem.location
    if isinstance(at, TomlAt):
        line = f":{at.line}" if at.line is not None else ""
        return f"{at.file}{line}: {at.toml_path}"
    if isinstance(at, SheetAt):
        column = f" {at.column}列" if at.column else ""
        return f"{at.sheet} 第{at.row}行{column}({vocab.label(problem.field)})"
    if isinstance(at, FileAt):
        line = f":{at.line}" if at.line is not None else ""
        return f"{at.file}{line}: {vocab.cli_label(problem.field)}"
    return vocab.cli_label(problem.field)


def render(problem: Problem) -> str:
    """One problem as one line of Chinese: where, the value, what was expected and the hint."""
    text = f"{where(problem)} = {_show(problem.value)}: {problem.expected}"
    if problem.hint:
        text += f" — {problem.hint}"
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
