"""pufa.ledger against hostile and odd files: each answered with one line, quickly, in little memory.

The probes of issue 10 (points 10 and the CSV parts of 11), each file generated here and small.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pufa import ledger
from pufa import workspace as ws

from .conftest import invoke
from .workbooks import rewrite

HEADER = ["日期", "乡镇", "活动名称", "进", "参与人次"]
ROW = ["2024-03-05", "禾丰乡", "法律进学校", "学校", 320]


def workbook(path: Path, *rows: list[Any]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "法律七进"
    for row in (HEADER, *rows):
        sheet.append(row)
    book.save(path)
    return path


def test_a_tiny_workbook_with_a_64_mib_cell_is_refused_in_one_line(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A ~70 KB .xlsx whose one cell expands to 64 MiB is refused from the zip's directory, before
    openpyxl reads it: one short line naming the part, its size and ratio."""
    plain = workbook(tmp_path / "plain.xlsx", ["2024-03-05", "禾丰乡", "PLACEHOLDER", "学校", 320])
    bomb = rewrite(
        plain, tmp_path / "bomb.xlsx", "xl/worksheets/sheet1.xml", b"PLACEHOLDER", b"x" * 2**20, 64
    )
    assert bomb.stat().st_size < 200_000
    result = invoke(sqlite_workspace.root, "ledger", "import", str(bomb))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert len(result.stderr) < 300
    assert "其中 xl/worksheets/sheet1.xml 解压后有 64.0 MiB(压缩比" in result.stderr


def test_a_cell_over_2000_characters_rejects_its_row_with_a_clipped_echo(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A 5,000-character title is a problem naming row and column; the echo is 50 characters and
    the length."""
    path = workbook(tmp_path / "long.xlsx", ["2024-03-05", "禾丰乡", "法" * 5000, "学校", 320])
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:法律七进 第2行 C列(活动名称) = “{'法' * 50}…(共 5000 字)”: 应不超过 2,000 字 — 请删减这一格的内容\n"
    )


def test_a_claimed_dimension_of_the_whole_sheet_is_ignored(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A sheet declaring A1:XFD1048576 is read by its real rows (no million padded rows)."""
    plain = workbook(tmp_path / "plain.xlsx", ROW)
    claimed = rewrite(
        plain,
        tmp_path / "claimed.xlsx",
        "xl/worksheets/sheet1.xml",
        b'<dimension ref="A1:E2"',  # "/>" or " />": openpyxl writes either (with lxml or not)
        b'<dimension ref="A1:XFD1048576"',
    )
    result = invoke(sqlite_workspace.root, "ledger", "import", str(claimed))
    assert result.exit_code == 0, result.output
    assert result.stdout == "已新增 1 条、修改 0 条;未变 0 条;退回 0 行。\n"


def test_a_cell_beyond_the_column_limit_is_refused(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """Something in column 201 (GS) is refused with one line naming the row."""
    path = workbook(tmp_path / "wide.xlsx", ROW)
    from openpyxl import load_workbook

    book = load_workbook(path)
    book.active.cell(row=2, column=201, value="x")
    book.save(path)
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:法律七进 第2行 = “第 GS 列有内容”: 台账最多 200 列 — 请删去多余的列后再导入\n"
    )


def test_more_rows_than_the_limit_are_refused_before_any_is_checked(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A CSV of 100,001 data rows stops at the limit with one line (the store unchanged)."""
    path = tmp_path / "法律七进.csv"
    line = "2024-03-05,禾丰乡,法律进学校,学校,320\n"
    path.write_text(",".join(HEADER) + "\n" + line * (ledger.MAX_ROWS + 1), encoding="utf-8")
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:文件 = “{path}”: 一次最多导入 100,000 行数据(读到 法律七进 第100002行时已超过)"
        " — 请把台账分成几个文件分别导入\n"
    )


def test_a_utf16_tab_separated_csv_is_read(sqlite_workspace: ws.Workspace, tmp_path: Path) -> None:
    """Excel's “Unicode 文本” (UTF-16 with a BOM, tab-separated) imports like any CSV."""
    path = tmp_path / "法律七进.csv"
    text = "\t".join(HEADER) + "\r\n" + "\t".join(str(c) for c in ROW) + "\r\n"
    path.write_bytes(text.encode("utf-16"))
    assert path.read_bytes()[:2] == b"\xff\xfe"
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "已新增 1 条、修改 0 条;未变 0 条;退回 0 行。\n"


def test_a_csv_field_over_131072_characters_is_a_problem_not_a_traceback(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A 200,000-character field (past csv's default limit) is one line naming row and column."""
    path = tmp_path / "法律七进.csv"
    path.write_text(
        ",".join(HEADER) + "\n2024-03-05,禾丰乡,法律进学校,学校,320,\n"
        f"2024-03-06,禾丰乡,{'x' * 200_000},学校,100\n",
        encoding="utf-8",
    )
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:法律七进 第3行 C列(活动名称) = “{'x' * 50}…(共 200000 字)”: 应不超过 2,000 字"
        " — 请删减这一格的内容\n"
    )
