"""A title is one line (issue 15, item 8): a line break, tab or other control character is refused
wherever a title enters — `log`, `edit`, the ledger, plans — naming the field and the character,
and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result
from openpyxl import Workbook

from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_calendar, load_plan
from pufa.model import County

from .conftest import ROOT, invoke, snapshot


def log(root: Path, title: str) -> Result:
    """`pufa log` of a lecture titled ``title``."""
    return invoke(root, "log", "lecture", "-d", "2024-03-05", "-t", "禾丰乡", "--title", title)


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("民法典\n讲座", "\\x0a(换行符)"),
        ("民法典\r\n讲座", "\\x0d(回车符) \\x0a(换行符)"),
        ("民法典\t讲座", "\\x09(制表符)"),
        ("民法典讲座\x7f", "\\x7f(删除符)"),
        ("民法典\x1f讲座", "\\x1f"),
    ],
)
def test_log_refuses_a_title_that_is_not_one_line(
    sqlite_workspace: ws.Workspace, title: str, shown: str
) -> None:
    """`pufa log --title` with a line break, tab or control is refused, naming 标题 and the character."""
    before = snapshot(sqlite_workspace.location)
    result = log(sqlite_workspace.root, title)
    assert result.exit_code == 1
    assert f"标题 (--title) = “{title[:3]}" in result.output
    assert f"不能含控制字符 {shown}" in result.output
    assert snapshot(sqlite_workspace.location) == before


def test_edit_refuses_a_title_with_a_line_break(sqlite_workspace: ws.Workspace) -> None:
    """`pufa edit --title` with a newline is refused and the record keeps its title."""
    root = sqlite_workspace.root
    assert log(root, "民法典讲座").exit_code == 0
    before = snapshot(sqlite_workspace.location)
    result = invoke(root, "edit", "1", "--title", "民法典\n讲座", "--reason", "改名")
    assert result.exit_code == 1
    assert "标题 (--title)" in result.output
    assert "不能含控制字符 \\x0a(换行符)" in result.output
    assert snapshot(sqlite_workspace.location) == before


def test_a_ledger_csv_title_with_a_line_break_is_refused(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A quoted CSV cell holding a newline is refused with its row, column and the character."""
    path = tmp_path / "lecture.csv"
    path.write_text(
        '日期,乡镇,活动名称,参与人次\n2024-03-05,南江,"民法典\n讲座",40\n', encoding="utf-8"
    )
    before = snapshot(sqlite_workspace.location)
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert result.exit_code == 1
    assert "第2行 C列(标题) = “民法典\\x0a讲座”: 不能含控制字符 \\x0a(换行符)" in result.stderr
    assert snapshot(sqlite_workspace.location) == before


def test_a_workbook_title_with_alt_enter_is_refused(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """An .xlsx title cell with a line break (Alt+Enter in Excel) is refused like `log`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "法治讲座"
    sheet.append(["日期", "乡镇", "活动名称", "参与人次"])
    sheet.append(["2024-03-05", "南江", "民法典\n讲座", 40])
    path = tmp_path / "lecture.xlsx"
    book.save(path)
    before = snapshot(sqlite_workspace.location)
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert result.exit_code == 1
    assert "C列(标题) = “民法典\\x0a讲座”: 不能含控制字符 \\x0a(换行符)" in result.stderr
    assert snapshot(sqlite_workspace.location) == before


@pytest.mark.parametrize(("written", "shown"), [("\\n", "\\x0a(换行符)"), ("\\t", "\\x09(制表符)")])
def test_a_plan_title_that_is_not_one_line_is_refused(
    tmp_path: Path, county: County, written: str, shown: str
) -> None:
    """A plan item's title with a newline or tab is refused with the file, line and character."""
    path = tmp_path / "plan.toml"
    path.write_text(
        f'year = 2024\n[[items]]\nkey = "x"\nkind = "lecture"\ntitle = "民法典{written}讲座"\n'
        'count = 1\ndept = "县司法局"\nwindow = ["2024-03-11", "2024-03-12"]\n',
        encoding="utf-8",
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    with pytest.raises(InvalidInput) as caught:
        load_plan(path, county, nodes)
    assert str(caught.value) == (
        f"{path}:5: items[1].title = “民法典{shown[:4]}讲座”: 不能含控制字符 {shown}"
    )
