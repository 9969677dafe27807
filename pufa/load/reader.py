"""Reading campaign TOML: the parsed document, each value's line, and every problem at once."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from pufa.errors import FileAt, InvalidInput, Problem, TomlAt
from pufa.load import cache
from pufa.names import closest
from pufa.text import clip, controls, visible

T = TypeVar("T")
#: where a value sits in the document, as ``Reader.problem`` takes it: ``("townships", 2, "kind")``
Where = tuple[object, ...]
# patterns as text: `re` compiles each on first use and keeps it (nothing compiled at import)
_HEADER = r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?"
_KEY = r'^\s*"?([A-Za-z0-9_\-]+)"?\s*='
_TOML_AT = r"\(at line (\d+), column (\d+)\)"


class Locator:
    """Finds the line of a key in TOML text: ``("townships", 3, "kind")`` → line number (1-based).

    tomllib gives values without positions; this scans headers and keys, which is exact for the
    plain layout campaign files use (one key per line, tables and arrays of tables).
    """

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[object, ...], int] = {}
        counts: dict[str, int] = {}
        table: tuple[object, ...] = ()
        array: tuple[object, ...] | None = None  # the array of inline tables being read
        items = 0
        for number, line in enumerate(text.splitlines(), start=1):
            header = re.match(_HEADER, line)
            if header:
                name = header.group(2)
                if header.group(1) == "[[":
                    parent, _, child = name.rpartition(".")
                    if parent in counts:  # [[units.tasks]]: an array inside the last [[units]]
                        name = f"{parent}.{counts[parent] - 1}.{child}"
                    index = counts.get(name, 0)
                    counts[name] = index + 1
                    table = (*tuple(int(p) if p.isdigit() else p for p in name.split(".")), index)
                else:
                    table = tuple(name.split("."))
                self._lines.setdefault(table, number)
                array = None
                continue
            key = re.match(_KEY, line)
            if key:
                self._lines.setdefault((*table, key.group(1)), number)
                array = (*table, key.group(1)) if line.rstrip().endswith("[") else None
                items = 0
            elif array is not None and line.lstrip().startswith("{"):
                self._lines.setdefault((*array, items), number)  # one inline table a line
                items += 1

    def line(self, *path: object) -> int | None:
        """The line of ``path``, or of its nearest enclosing table when the key is absent."""
        for end in range(len(path), 0, -1):
            if (number := self._lines.get(tuple(path[:end]))) is not None:
                return number
        return None


class Reader:
    """Collects typed values out of a parsed TOML document, recording each problem with its line."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self._text = text
        self._locator: Locator | None = None
        self.problems: list[Problem] = []

    @property
    def locator(self) -> Locator:
        """Built on the first problem only: a valid file never pays for the line scan."""
        if self._locator is None:
            self._locator = Locator(self._text)
        return self._locator

    def problem(
        self, where: tuple[object, ...], value: object, expected: str, hint: str | None = None
    ) -> None:
        toml_path = ".".join(str(p) if not isinstance(p, int) else f"[{p + 1}]" for p in where)
        key = next((str(p) for p in reversed(where) if not isinstance(p, int)), "")
        at = TomlAt(str(self.path), self.locator.line(*where), toml_path.replace(".[", "["))
        self.problems.append(Problem(key, value, expected, hint, at))

    def table(self, data: dict[str, Any], where: tuple[object, ...], known: set[str]) -> None:
        """Flag keys this table does not take (typos), with the closest known key."""
        for key in data:
            if key not in known:
                guess = closest(key, sorted(known))
                self.problem(
                    (*where, key),
                    key,
                    f"应为已知的键之一:{'、'.join(sorted(known))}",
                    f"是否指 {guess}?" if guess else None,
                )

    def text(
        self, data: dict[str, Any], where: tuple[object, ...], key: str, default: str | None = None
    ) -> str:
        value = data.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.problem((*where, key), value, "应为非空字符串")
            return ""
        return value.strip() if self.clean((*where, key), value) else ""

    def clean(self, where: tuple[object, ...], value: str) -> bool:
        """Whether ``value`` is free of control characters (each file entrance refuses them)."""
        found = controls(value)
        if found:
            self.problem(where, clip(visible(value)), f"不能含控制字符 {' '.join(found)}")
        return not found

    def strings(self, data: dict[str, Any], where: tuple[object, ...], key: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.problem((*where, key), value, "应为字符串列表")
            return ()
        if not all(self.clean((*where, key), v) for v in value):
            return ()
        return tuple(v.strip() for v in value)

    def integer(
        self, data: dict[str, Any], where: tuple[object, ...], key: str, *, minimum: int = 0
    ) -> int:
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problem((*where, key), value, f"应为不小于 {minimum} 的整数")
            return minimum
        return value

    def tables(
        self, data: dict[str, Any], key: str, where: tuple[object, ...] | None = None
    ) -> list[dict[str, Any]]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(where or (key,), value, f"应为 [[{key}]] 表的数组")
            return []
        return value

    def fail_if_any(self) -> None:
        if self.problems:
            raise InvalidInput(self.problems)


def read_toml(path: Path, *, cached: bool = False) -> tuple[dict[str, Any], Reader]:
    """Parse a TOML file; a syntax error becomes an :class:`InvalidInput` with its line. With
    ``cached``, the document is kept beside the file and parsed again only when the file's text
    changes (:mod:`pufa.load.cache`)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput([Problem("文件", str(path), "找不到这个文件")]) from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            [Problem("编码", str(path), "应为 UTF-8 编码的文本", str(exc))]
        ) from None
    if not cached:
        return _parse(path, text), Reader(path, text)
    document = cache.cached(path, text)
    if document is None:
        document = _parse(path, text)
        cache.keep(path, text, document)
    return document, Reader(path, text)


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(_TOML_AT, str(exc))
        line = int(found.group(1)) if found else None
        reason = re.sub(_TOML_AT, "", str(exc)).strip()
        raise InvalidInput(
            [
                Problem(
                    "TOML 语法",
                    reason,
                    "不是合法的 TOML",
                    "检查引号、括号和逗号",
                    FileAt(str(path), line),
                )
            ]
        ) from None


def hint(value: str, choices: Iterable[str]) -> str | None:
    """``是否指 <closest>?`` for a misspelt ``value``, or None when nothing is close."""
    guess = closest(value, list(choices))
    return f"是否指 {guess}?" if guess else None


def choice(
    r: Reader, where: tuple[object, ...], value: object, table: Mapping[str, T], what: str
) -> T | None:
    """``table[value]`` or a problem naming the choices and the closest one."""
    if isinstance(value, str) and value in table:
        return table[value]
    r.problem(
        where,
        value,
        f"应为{what}之一:{'、'.join(table)}",
        hint(value, table) if isinstance(value, str) else None,
    )
    return None
