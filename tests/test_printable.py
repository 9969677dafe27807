"""Printable Excel: the ledger export and `summary --format xlsx` have a title row, the header
repeated on each page, landscape fitted to one page wide, frozen panes, CJK-aware widths, numbers
and dates stored as numbers and dates — and an export still imports back unchanged."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from pufa import demo
from pufa import workspace as ws
from pufa.ledger.printing import text_width, widths

from .conftest import invoke, invoke_ok


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("printable") / "demo")


@pytest.fixture(scope="module")
def export_2023(sample: ws.Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("export") / "台账-2023.xlsx"
    invoke_ok(sample.root, "ledger", "export", "--year", "2023", "-o", str(path))
    return path


@pytest.fixture(scope="module")
def summary_2023(sample: ws.Workspace, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("summary") / "指标汇总.xlsx"
    args = ("summary", "--year", "2023", "--by", "township", "--format", "xlsx", "-o", str(path))
    invoke_ok(sample.root, *args)
    return path


def test_a_cjk_character_counts_two_width_units() -> None:
    """开阳县 is 6 units wide, "113" 3; a column is its widest cell plus a margin of 2."""
    assert (text_width("开阳县"), text_width(113), text_width(None)) == (6, 3, 0)
    assert widths(["指标", "完成"], [["法律七进集中宣传", 113]]) == [18, 6]


def test_each_kind_sheet_of_an_export_starts_with_the_title_row(export_2023: Path) -> None:
    """Row 1 is 开阳县2023年普法工作台账 (merged across the columns), row 2 the header."""
    sheet = load_workbook(export_2023)["法律七进集中宣传"]
    assert sheet["A1"].value == "开阳县2023年普法工作台账"
    assert sheet["A2"].value == "日期"
    assert [str(r) for r in sheet.merged_cells.ranges] == [
        f"A1:{sheet.cell(2, sheet.max_column).column_letter}1"
    ]


def test_an_export_prints_landscape_one_page_wide_with_the_header_repeated(
    export_2023: Path,
) -> None:
    """Every kind sheet: landscape A4, fit to 1 page wide (any height), row 2 repeated, panes at A3."""
    book = load_workbook(export_2023)
    for name in ("法律七进集中宣传", "法治讲座"):
        sheet = book[name]
        setup = sheet.page_setup
        assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
            "landscape", 9, 1, 0,
        )  # fmt: skip
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$2:$2"
        assert sheet.freeze_panes == "A3"


def test_an_export_stores_dates_as_dates_and_counts_as_numbers(export_2023: Path) -> None:
    """The first record's 日期 is a date cell and its 参与人次 an integer cell."""
    sheet = load_workbook(export_2023)["法律七进集中宣传"]
    headers = [c.value for c in sheet[2]]
    first = sheet[3]
    assert isinstance(first[headers.index("日期")].value, dt.datetime)
    assert isinstance(first[headers.index("参与人次")].value, int)


def test_an_export_sizes_columns_for_chinese_headers(export_2023: Path) -> None:
    """A column is at least as wide as its Chinese header (2 units a character, plus a margin)."""
    sheet = load_workbook(export_2023)["法律七进集中宣传"]
    for cell in sheet[2]:
        if cell.value:
            assert sheet.column_dimensions[cell.column_letter].width >= text_width(cell.value) + 2


def test_the_exports_summary_sheet_stores_numbers(export_2023: Path) -> None:
    """汇总: a title row, the header, and 已完成 / 完成率% as numbers (not text)."""
    rows = list(load_workbook(export_2023)["汇总"].iter_rows(values_only=True))
    assert rows[0][0] == "开阳县2023年普法工作台账汇总"
    seven = next(r for r in rows if r[0] == "法律七进集中宣传")
    assert (seven[1], seven[4]) == (113, 100)


def test_an_export_still_imports_back_unchanged(sample: ws.Workspace, export_2023: Path) -> None:
    """The title row is skipped on import: re-importing the export changes nothing."""
    result = invoke_ok(sample.root, "ledger", "import", str(export_2023))
    assert result.stdout == "已新增 0 条、修改 0 条;未变 451 条;退回 0 行。\n"


def test_the_summary_workbook_is_a_printable_titled_table(summary_2023: Path) -> None:
    """summary --format xlsx: 汇总 sheet titled, header on row 2 repeated, landscape, numbers."""
    sheet = load_workbook(summary_2023)["汇总"]
    assert sheet["A1"].value == "开阳县2023年普法工作指标汇总"
    assert sheet["A2"].value == "指标"
    assert (sheet.print_title_rows, sheet.freeze_panes) == ("$2:$2", "A3")
    assert sheet.page_setup.orientation == "landscape"
    seven = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "法律七进集中宣传")
    assert seven[1:5] == (113, 0, "113场次", 100)


def test_the_summary_workbook_has_the_by_table_on_a_second_sheet(summary_2023: Path) -> None:
    """With --by township the breakdown is the second sheet, its counts numbers."""
    book = load_workbook(summary_2023)
    assert book.sheetnames == ["汇总", "按乡镇(街道)"]
    rows = list(book["按乡镇(街道)"].iter_rows(min_row=3, values_only=True))
    assert all(isinstance(v, int | float) or v is None for r in rows for v in r[1:])


def test_the_summary_workbook_is_the_same_bytes_for_the_same_now(
    sample: ws.Workspace, tmp_path: Path
) -> None:
    """Two runs with the same PUFA_NOW give byte-identical workbooks."""
    paths = [tmp_path / "1.xlsx", tmp_path / "2.xlsx"]
    for path in paths:
        invoke_ok(sample.root, "summary", "--year", "2023", "--format", "xlsx", "-o", str(path))
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_a_file_format_with_json_is_refused(sample: ws.Workspace, tmp_path: Path) -> None:
    """--format xlsx with --json: a Chinese message naming --format; nothing written."""
    path = tmp_path / "x.xlsx"
    result = invoke(sample.root, "summary", "--format", "xlsx", "--json", "-o", str(path))
    assert result.exit_code == 1
    assert "--format" in result.stderr
    assert "不与 --json" in result.stderr
    assert not path.exists()
