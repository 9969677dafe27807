"""pufa.load.reader: TOML parsed with each problem's file and line; choices with a closest-name hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from pufa import load
from pufa.errors import InvalidInput
from pufa.load.campaigns import load_plan
from pufa.load.reader import Locator, Reader, choice, hint, read_toml

#: two entries of an array of tables, the second without a ``kind``
TOWNSHIPS = """\
[county]
name = "开阳县"

[[townships]]
name = "城关镇"
kind = "镇"

[[townships]]
name = "禾丰乡"
"""


def test_locator_finds_a_key_in_an_array_of_tables() -> None:
    """("townships", 0, "kind") is the line of `kind` under the first [[townships]]."""
    assert Locator(TOWNSHIPS).line("townships", 0, "kind") == 6


def test_locator_falls_back_to_the_enclosing_table() -> None:
    """A key absent from its table is placed at the table's header."""
    assert Locator(TOWNSHIPS).line("townships", 1, "kind") == 8


def test_locator_knows_no_line_for_an_unknown_table() -> None:
    """A path outside every table has no line."""
    assert Locator(TOWNSHIPS).line("venues", 0) is None


def test_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    """A TOML syntax error is one problem carrying its line number."""
    path = tmp_path / "county.toml"
    path.write_text('[county]\nname = "开阳县\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        read_toml(path)
    assert caught.value.line == 2
    assert str(caught.value).startswith(f"{path}:2: TOML 语法 = ")


def test_missing_file() -> None:
    """A missing file says which file it looked for."""
    with pytest.raises(InvalidInput, match="找不到这个文件"):
        read_toml(Path("/nonexistent/county.toml"))


def test_a_file_not_in_utf8_is_refused(tmp_path: Path) -> None:
    """A GBK-encoded file is one 编码 problem, not a traceback."""
    path = tmp_path / "county.toml"
    path.write_bytes('name = "开阳县"\n'.encode("gbk"))
    with pytest.raises(InvalidInput, match="应为 UTF-8 编码的文本"):
        read_toml(path)


def test_hint_names_the_closest_choice() -> None:
    """A misspelt name gets the closest valid one."""
    assert hint("schol", ["school", "village"]) == "是否指 school?"


def test_hint_is_none_when_nothing_is_close() -> None:
    """No hint for a value like none of the choices."""
    assert hint("军营", ["school", "village"]) is None


def test_choice_returns_the_value_chosen() -> None:
    """A known key gives its value and records no problem."""
    r = Reader(Path("x.toml"), "")
    assert choice(r, ("count",), "sum", {"sum": 1, "rate": 2}, "计数方式") == 1
    assert r.problems == []


def test_choice_records_the_choices_and_the_closest() -> None:
    """An unknown key is a problem naming every choice and the closest one."""
    r = Reader(Path("x.toml"), 'count = "sun"\n')
    assert choice(r, ("count",), "sun", {"sum": 1, "rate": 2}, "计数方式") is None
    assert [str(p) for p in r.problems] == [
        "x.toml:1: count = “sun”: 应为计数方式之一:sum、rate — 是否指 sum?"
    ]


def test_the_package_names_its_loaders() -> None:
    """`pufa.load` gives the loaders of its modules, those imported on first use included."""
    assert load.load_plan is load_plan


def test_the_package_refuses_an_unknown_name() -> None:
    """An unknown attribute of `pufa.load` is an AttributeError, as for any module."""
    with pytest.raises(AttributeError, match="load_everything"):
        _ = load.load_everything  # type: ignore[attr-defined]
