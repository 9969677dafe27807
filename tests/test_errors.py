"""Problems render from their key and location, in each edge's words."""

from __future__ import annotations

import pytest

from pufa.errors import FileAt, InvalidInput, Problem, SheetAt, TomlAt


def test_problem_without_location_names_the_option() -> None:
    """No location: the CLI's words, label and option."""
    problem = Problem("participants", -1, "应为不小于 0 的整数(人次)")
    assert str(problem) == "参与人次 (--participants) = -1: 应为不小于 0 的整数(人次)"


def test_problem_with_hint() -> None:
    """A hint follows a dash."""
    problem = Problem("township", "禾风乡", "应为乡镇之一", "是否指 禾丰乡?")
    assert str(problem) == "乡镇 (--township) = “禾风乡”: 应为乡镇之一 — 是否指 禾丰乡?"


def test_problem_in_a_toml_file() -> None:
    """TOML: file, line and key path."""
    at = TomlAt("county.toml", 12, "townships[3].kind")
    problem = Problem("kind", "村", "应为 乡、镇 或 街道", location=at)
    assert str(problem) == "county.toml:12: townships[3].kind = “村”: 应为 乡、镇 或 街道"
    assert (problem.path, problem.line) == ("county.toml", 12)


def test_problem_in_a_toml_file_without_line() -> None:
    """TOML without a line found: file and key path."""
    problem = Problem("kind", 1, "应为文字", location=TomlAt("county.toml", None, "kind"))
    assert str(problem) == "county.toml: kind = 1: 应为文字"


def test_problem_in_a_sheet() -> None:
    """Ledger: sheet, row, column letter and the label in brackets."""
    problem = Problem("participants", "abc", "应为整数", location=SheetAt("法律七进", 4, "E"))
    assert str(problem) == "法律七进 第4行 E列(参与人次) = “abc”: 应为整数"


def test_problem_in_a_sheet_without_column() -> None:
    """Ledger, field with no column of its own: sheet and row only."""
    problem = Problem("owner", None, "必须填其一", location=SheetAt("法律七进", 4))
    assert str(problem) == "法律七进 第4行(乡镇/部门) = (空): 必须填其一"


def test_problem_at_a_file_line_names_the_option() -> None:
    """A plan item that makes a bad record: file and line, then the CLI's words."""
    problem = Problem("title", None, "必填", location=FileAt("plan-2024.toml", 7))
    assert str(problem) == "plan-2024.toml:7: 标题 (--title) = (空): 必填"


def test_invalid_input_joins_its_problems() -> None:
    """One line per problem; the first gives field, value, path and line."""
    error = InvalidInput([Problem("title", None, "必填"), Problem("date", None, "必填")])
    assert str(error) == "标题 (--title) = (空): 必填\n日期 (--date) = (空): 必填"
    assert (error.field, error.value, error.path, error.line) == ("title", None, None, None)


def test_invalid_input_needs_a_problem() -> None:
    """An error with nothing wrong is a bug."""
    with pytest.raises(ValueError, match="at least one problem"):
        InvalidInput([])
