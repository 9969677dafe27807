"""Output at every width: no number, date or id broken, no None, no colour codes when piped,
no closing punctuation starting a line; tables stack rather than crush (pufa/cli/layout.py)."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from pufa import demo
from pufa.cli import layout
from pufa.cli.layout import Column

from .conftest import invoke_ok

#: every table-producing command, on the demo workspace (``--json`` where the command has it)
COMMANDS = {
    "list": ("list", "--year", "2023"),
    "show": ("show", "778"),
    "history": ("history", "778"),
    "kinds": ("kinds",),
    "summary": ("summary", "--year", "2023"),
    **{f"by-{by}": ("summary", "--year", "2023", "--by", by)
       for by in ("township", "village", "dept", "month", "venue", "kind")},
    "period": ("summary", "--period", "2021-2025"),
    "compare": ("summary", "--year", "2024", "--compare", "2023"),
    "plan-check": ("plan", "check", "plan-2024.toml"),
    "plan-show": ("plan", "show", "--year", "2024"),
    "db-status": ("db", "status"),
    "duties": ("duties", "--year", "2023"),
    "review": ("review", "--year", "2023"),
    "places": ("places",),
    "people": ("people", "list"),
}  # fmt: skip
#: commands whose answer on the demo holds no figure
WITHOUT_FIGURES = {"kinds", "people"}
#: commands without ``--json``: their widest text is the reference
NO_JSON = {"plan-check", "plan-show"}
#: commands whose output is laid out for the width, tables and prose (the others print plain lines)
LAID_OUT = set(COMMANDS) - {"db-status", "places", "people"}
WIDTHS = (60, 80, 140)
#: a number, a date, a decimal: digits with inner dots and dashes
FIGURE = re.compile(r"\d(?:[\d.\-]*\d)?")
#: what must never start a line (or a folded cell): closing punctuation and 、
CLOSING = set(")]},;、,。;:!?)》」』】〕〉")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo.init(tmp_path_factory.mktemp("widths") / "demo").root


_SEEN: dict[tuple[Path, str, int], str] = {}


def shown(root: Path, name: str, width: int, monkeypatch: pytest.MonkeyPatch) -> str:
    """``pufa NAME`` at ``width`` columns, piped (CliRunner's stdout is not a terminal)."""
    if (root, name, width) not in _SEEN:
        monkeypatch.setenv("COLUMNS", str(width))
        _SEEN[(root, name, width)] = invoke_ok(root, *COMMANDS[name]).output
    return _SEEN[(root, name, width)]


def candidates(data: Any) -> set[str]:
    """Every number and date a ``--json`` answer holds, as text could show it."""
    if isinstance(data, dict):
        return set().union(*(candidates(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(candidates(v) for v in data))
    if isinstance(data, bool) or data is None:
        return set()
    if isinstance(data, int):
        return {str(data)}
    if isinstance(data, float):
        return {str(data), f"{round(data, 1):g}", f"{round(data, 2):g}", str(round(data))}
    return set(FIGURE.findall(str(data)))


def figures(text: str) -> Counter[str]:
    return Counter(FIGURE.findall(text))


def reference(root: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The numbers the command shows: from its ``--json``, as they appear in its widest text."""
    wide = figures(shown(root, name, 1000, monkeypatch))
    if name in NO_JSON:
        return wide
    answer = candidates(json.loads(invoke_ok(root, *COMMANDS[name], "--json").output))
    return Counter({t: n for t, n in wide.items() if t in answer})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_numbers_stay_whole(
    sample: Path, name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every number, date and id of the command's ``--json`` appears whole (as often) at any width."""
    expected = reference(sample, name, monkeypatch)
    assert expected or name in WITHOUT_FIGURES
    found = figures(shown(sample, name, width, monkeypatch))
    assert {t: n for t, n in expected.items() if found[t] < n} == {}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_none_never_shown(
    sample: Path, name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's ``None`` never reaches the screen."""
    assert "None" not in shown(sample, name, width, monkeypatch)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", COMMANDS)
def test_piped_output_has_no_colour_codes(
    sample: Path, name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Piped output is plain text: no ANSI escape sequences."""
    assert "\x1b" not in shown(sample, name, width, monkeypatch)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(LAID_OUT))
def test_lines_fit_the_width(
    sample: Path, name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tables and their titles fit the width: nothing is left for the terminal to wrap."""
    lines = shown(sample, name, width, monkeypatch).splitlines()
    assert [line for line in lines if layout.cells(line) > width] == []


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(LAID_OUT))
def test_no_line_starts_with_closing_punctuation(
    sample: Path, name: str, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No line, nor folded cell, starts with ) 、 , 。 and the like (避头尾)."""
    starts = [
        piece
        for line in shown(sample, name, width, monkeypatch).splitlines()
        for piece in re.split(r"\s{2,}", line.strip())
        if piece[:1] in CLOSING
    ]
    assert starts == []


def test_narrow_list_stacks(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60 columns `pufa list` shows one block per record, “标签:值” lines."""
    text = shown(sample, "list", 60, monkeypatch)
    assert "编号:#14\n时间:2023-01-04\n类型:法律七进\n" in text


def test_wide_list_is_a_table(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 140 columns `pufa list` is a table: its headers on one line."""
    assert re.search(r"编号\s+时间\s+类型", shown(sample, "list", 140, monkeypatch))


def test_piped_width_defaults_to_80(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Piped without COLUMNS, tables are laid out for 80 columns."""
    monkeypatch.delenv("COLUMNS", raising=False)
    lines = invoke_ok(sample, *COMMANDS["summary"]).output.splitlines()
    assert max(layout.cells(line) for line in lines) == 80


def test_fold_keeps_closing_punctuation_on_the_line() -> None:
    """A 、 or ) that would start a line takes the character before it along."""
    assert layout.fold("法治副校长、辅导员", 10) == ["法治副校", "长、辅导员"]


def test_fold_keeps_opening_punctuation_with_what_follows() -> None:
    """An opening bracket never ends a line."""
    assert layout.fold("宪法公益(电子屏)", 10) == ["宪法公益", "(电子屏)"]


def test_fold_keeps_figures_whole() -> None:
    """Digits (and dates) are never split while they fit the width."""
    assert layout.fold("参考人数7764名", 10) == ["参考人数", "7764名"]


def test_long_paths_break_after_a_slash() -> None:
    """A path longer than the width breaks after a “/”, its file name whole."""
    assert layout.fold("/tmp/demo/programme-2021-2025.toml", 30) == [
        "/tmp/demo/",
        "programme-2021-2025.toml",
    ]


def test_words_break_after_a_tilde() -> None:
    """A date range breaks after its “~”, each date whole."""
    assert layout.fold("2024-02-19~2024-11-29", 12, "words") == ["2024-02-19~", "2024-11-29"]


def test_a_kept_column_too_wide_stacks_the_table() -> None:
    """When the unbreakable columns cannot fit, there is no layout: the table stacks."""
    columns = [Column("编号", "keep"), Column("标题")]
    assert layout.widths(columns, [["#1041", "很长很长很长很长的标题"]], 16) is None


def test_names_keep_six_characters() -> None:
    """A name column is not crushed below six characters: the table stacks instead."""
    columns = [Column("完成", "keep"), Column("指标")]
    assert layout.widths(columns, [["7764", "学法用法考试参考人数"]], 19) is None


def test_an_optional_column_goes_before_names_fold() -> None:
    """A progress bar is left out where it would make a name fold."""
    columns = [Column("指标"), Column("", "keep", optional=True)]
    assert layout.choose(columns, [["学法用法考试参考人数", "━" * 10]], 30) == ([0], [20])


def test_stacked_blocks_fold_under_the_label() -> None:
    """Stacked, a long value folds under its label's value column."""
    lines = layout.stacked(
        [Column("编号", "keep"), Column("标题")], [["#1", "一二三四五六七八"]], 16
    )
    assert lines == ["编号:#1", "标题:一二三四五", "     六七八"]


def test_missing_values_show_as_a_dash() -> None:
    """``None`` shows as “—”."""
    assert layout.shown(None) == "—"
