"""pufa.ledger: township workbooks in (as LibreOffice wrote them), the year out, nothing half-imported."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

from pufa import demo
from pufa import workspace as ws
from pufa.cli.app import app
from pufa.ledger.cells import count_text
from pufa.model import Kind

from .conftest import DATA, invoke, snapshot

#: the ledgers and stores here hold activities held throughout 2024
pytestmark = pytest.mark.usefixtures("late_2024")

LEDGERS = DATA / "ledger"


def titles(root: Path) -> list[tuple[str, int | None, int | None]]:
    rows = json.loads(invoke(root, "list", "--json").output)
    return [
        (r["title"], r["measures"].get("participants"), r["measures"].get("materials"))
        for r in rows
    ]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """The workbook `pufa ledger template` writes."""
    path = tmp_path_factory.mktemp("template") / "模板.xlsx"
    result = CliRunner().invoke(app, ["ledger", "template", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return load_workbook(path)


@pytest.fixture(scope="module")
def seven_sheet(template: Workbook) -> Worksheet:
    """The template's 法律七进 sheet."""
    return template["法律七进集中宣传"]


def validations(sheet: Worksheet) -> list[str]:
    """The sheet's data-validation formulas, sorted."""
    return sorted(v.formula1 for v in sheet.data_validations.dataValidation)


def test_a_libreoffice_workbook_imports_cleanly(workspace: ws.Workspace) -> None:
    """Merged title rows, text dates in four forms, counts with units, 约/万 with a warning, a 合计
    row that matches — on either engine."""
    result = invoke(workspace.root, "ledger", "import", str(LEDGERS / "ledger-hefeng.xlsx"))
    assert result.exit_code == 0, result.output
    assert result.stdout == "已新增 4 条、修改 0 条;未变 0 条;退回 0 行。\n"
    assert (
        gc.isenabled()
    )  # the import pauses the cyclic GC while it builds records, then resumes it
    assert "提示:法律七进 第5行 发放资料:“约300份”按 300 计(原文不是确切数字)" in result.stderr
    assert "提示:法律七进 第6行 发放资料:“1.2万”按 12000 计(原文不是确切数字)" in result.stderr
    assert sorted(titles(workspace.root)) == sorted([
        ("法律进学校:未成年人保护法宣讲", 320, 600), ("法律进村寨:民法典", 150, 300),
        ("法律进企业:劳动合同法", 85, 12000), ("法律进社区:反诈宣传", 210, 400),
    ])  # fmt: skip


def test_reimport_adds_nothing_and_a_changed_row_becomes_an_edit(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """The same file twice adds nothing; a row whose counts changed edits its record (audited)."""
    path = LEDGERS / "ledger-hefeng.xlsx"
    invoke(workspace.root, "ledger", "import", str(path))
    before = snapshot(workspace.location)
    again = invoke(workspace.root, "ledger", "import", str(path))
    assert again.stdout == "已新增 0 条、修改 0 条;未变 4 条;退回 0 行。\n"
    assert snapshot(workspace.location) == before
    book = load_workbook(path)
    book.active["E4"] = 330  # 320人 → 330 in the first data row
    book.active["E9"] = 775  # and its 合计
    changed = tmp_path / "changed.xlsx"
    book.save(changed)
    result = invoke(workspace.root, "ledger", "import", str(changed))
    assert result.stdout == "已新增 0 条、修改 1 条;未变 3 条;退回 0 行。\n"
    history = json.loads(invoke(workspace.root, "history", "1", "--json").output)
    assert history[-1]["changes"] == [
        {"field": "participants", "label": "参与人次", "old": 320, "new": 330}
    ]
    assert history[-1]["reason"] == "导入台账 changed.xlsx"


def test_every_problem_is_named_and_nothing_is_written(workspace: ws.Workspace) -> None:
    """A typo'd township, an impossible date, a venue outside 七进, a non-count, a wrong 合计:
    all reported with sheet, row and column; exit 1; the store unchanged."""
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "ledger", "import", str(LEDGERS / "ledger-mistakes.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "错误:法律七进 第4行 B列(乡镇) = “禾风乡”: 应为开阳县的乡(镇、街道)之一:硒城街道、云开街道、紫兴街道、双流镇、金中镇、冯三镇、"
        "楠木渡镇、龙岗镇、永温镇、花梨镇、南龙乡、宅吉乡、龙水乡、米坪乡、禾丰布依族苗族乡、南江布依族苗族乡、高寨苗族布依族乡、毛云乡 — 是否指 禾丰乡?",
        "错误:法律七进 第5行 A列(日期) = “2024-02-30”: 不是存在的日期:2024年2月只有 29 天",
        "错误:法律七进 第6行 D列(进) = “军营”: 应为法律七进集中宣传的进之一:机关(agency)、乡村(village)、社区(community)、"
        "学校(school)、企业(enterprise)、单位(institution)、网络(online)",
        "错误:法律七进 第7行 E列(参与人次) = “很多”: 应为不小于 0 的整数(人次),如 120",
        "错误:法律七进 第9行 合计(参与人次) = 999: 等于上面各行之和 555 — 请核对合计或各行数字",
    ]
    assert snapshot(workspace.location) == before


def test_skip_invalid_imports_the_good_rows_and_writes_the_rejects(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """--skip-invalid: no valid rows here, every bad row goes to the rejects workbook with its reason."""
    rejects = tmp_path / "退回.xlsx"
    result = invoke(
        sqlite_workspace.root,
        "ledger",
        "import",
        str(LEDGERS / "ledger-mistakes.xlsx"),
        "--skip-invalid",
        "--rejects",
        str(rejects),
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已新增 0 条、修改 0 条;未变 0 条;退回 4 行。\n")
    sheet = load_workbook(rejects)["未导入"]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:2] == ["表", "行"]
    assert rows[0][-1] == "原因"
    assert [r[1] for r in rows[1:]] == [4, 5, 6, 7]
    assert "是否指 禾丰乡?" in rows[1][-1]


def test_gb18030_csv(sqlite_workspace: ws.Workspace) -> None:
    """A CSV saved by Excel on Chinese Windows (GB18030) imports like UTF-8."""
    result = invoke(
        sqlite_workspace.root,
        "ledger",
        "import",
        str(LEDGERS / "ledger-nanjiang-gb18030.csv"),
        "--kind",
        "法律七进",
    )
    assert result.exit_code == 0, result.output
    assert titles(sqlite_workspace.root) == [("法律进单位:安全生产法", 60, 120)]


def test_month_day_dates_need_a_year(sqlite_workspace: ws.Workspace, tmp_path: Path) -> None:
    """“3月5日” takes its year from --year; without it the date is refused."""
    path = tmp_path / "lecture.csv"
    path.write_text("日期,乡镇,活动名称,参与人次\n3月5日,南江,民法典讲座,40\n", encoding="utf-8")
    refused = invoke(sqlite_workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert refused.exit_code == 1
    assert "lecture 第2行 A列(日期) = “3月5日”" in refused.stderr
    done = invoke(
        sqlite_workspace.root, "ledger", "import", str(path), "--kind", "lecture", "--year", "2024"
    )
    assert done.exit_code == 0, done.output
    assert (
        json.loads(invoke(sqlite_workspace.root, "list", "--json").output)[0]["start"]
        == "2024-03-05"
    )


def test_template_opens_with_the_instructions(template: Workbook) -> None:
    """The first sheet is 填表说明."""
    assert template.sheetnames[0] == "填表说明"


def test_template_has_a_sheet_per_kind(template: Workbook) -> None:
    """Besides 填表说明 and 选项, one sheet per kind, named by its label, in the kinds' order."""
    assert [k.label for k in Kind] == [
        n for n in template.sheetnames if n not in ("填表说明", "选项")
    ]


def test_template_sheet_has_chinese_headers(seven_sheet: Worksheet) -> None:
    """A kind's sheet heads its columns in Chinese: the common ones, then the kind's measures."""
    assert [c.value for c in seven_sheet[1]] == [
        "日期",
        "结束日期",
        "乡镇",
        "村(居)",
        "部门",
        "活动名称",
        "进",
        "场次",
        "参与人次",
        "发放资料",
        "标语横幅",
        "状态",
        "备注",
        "编号",
    ]


def test_template_header_row_is_frozen(seven_sheet: Worksheet) -> None:
    """The header row stays in view (panes frozen at A2)."""
    assert seven_sheet.freeze_panes == "A2"


def test_template_has_a_venue_drop_down(seven_sheet: Worksheet) -> None:
    """The 进 column offers the seven venues as a drop-down."""
    assert '"机关,乡村,社区,学校,企业,单位,网络"' in validations(seven_sheet)


def test_template_has_a_township_drop_down(seven_sheet: Worksheet) -> None:
    """The 乡镇 column offers the county's 18 townships from the 选项 sheet."""
    assert "选项!$A$1:$A$18" in validations(seven_sheet)


def test_template_formats_the_date_column(seven_sheet: Worksheet) -> None:
    """Dates are formatted yyyy-mm-dd."""
    assert seven_sheet["A2"].number_format == "yyyy-mm-dd"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[ws.Workspace, Path]:
    """The sample workspace and its 2023 ledger exported to an .xlsx file."""
    sample = demo.init(tmp_path_factory.mktemp("export") / "demo")
    out = sample.root.parent / "2023.xlsx"
    assert invoke(sample.root, "ledger", "export", "--year", "2023", "-o", str(out)).exit_code == 0
    return sample, out


@pytest.fixture(scope="module")
def fresh_import(
    tmp_path_factory: pytest.TempPathFactory, exported: tuple[ws.Workspace, Path]
) -> tuple[ws.Workspace, Result]:
    """A new workspace the export was imported into; the import's result."""
    fresh = ws.init(tmp_path_factory.mktemp("fresh") / "fresh")
    return fresh, invoke(fresh.root, "ledger", "import", str(exported[1]))


def listed_records(root: Path) -> list[tuple[Any, ...]]:
    """The 2023 records as `pufa list --json` shows them, without ids, sorted."""
    rows = json.loads(invoke(root, "list", "--year", "2023", "--json").output)
    return sorted(
        (
            r["kind"],
            r["start"],
            r["end"],
            r["owner_label"],
            r["title"],
            json.dumps(r["measures"]),
            json.dumps(r["fields"]),
        )
        for r in rows
    )


def test_an_export_imported_into_its_own_workspace_changes_nothing(
    exported: tuple[ws.Workspace, Path],
) -> None:
    """Importing a year's export back into the workspace it came from finds every row unchanged."""
    sample, out = exported
    same = invoke(sample.root, "ledger", "import", str(out))
    assert same.stdout == "已新增 0 条、修改 0 条;未变 451 条;退回 0 行。\n"


def test_an_export_imported_into_a_new_workspace_adds_every_record(
    fresh_import: tuple[ws.Workspace, Result],
) -> None:
    """Importing the export into a new workspace adds all 451 records."""
    assert fresh_import[1].stdout == "已新增 451 条、修改 0 条;未变 0 条;退回 0 行。\n"


def test_importing_an_export_twice_adds_nothing_the_second_time(
    exported: tuple[ws.Workspace, Path], fresh_import: tuple[ws.Workspace, Result]
) -> None:
    """A second import of the same export into the new workspace finds every row unchanged."""
    fresh, _ = fresh_import
    assert (
        invoke(fresh.root, "ledger", "import", str(exported[1])).stdout
        == "已新增 0 条、修改 0 条;未变 451 条;退回 0 行。\n"
    )


def test_an_imported_export_has_the_same_records(
    exported: tuple[ws.Workspace, Path], fresh_import: tuple[ws.Workspace, Result]
) -> None:
    """The new workspace lists the same records (kind, days, owner, title, measures) as the old."""
    assert listed_records(fresh_import[0].root) == listed_records(exported[0].root)


def test_an_export_has_a_summary_sheet(exported: tuple[ws.Workspace, Path]) -> None:
    """The workbook has a 汇总 sheet: a title row, the header 指标, each indicator's figure as a number."""
    book = load_workbook(exported[1], read_only=True)
    summary = [list(r) for r in book["汇总"].iter_rows(values_only=True)]
    assert summary[0][0] == "开阳县2023年普法工作台账汇总"
    assert summary[1][0] == "指标"
    assert ("法律七进集中宣传", 113) in {(r[0], r[1]) for r in summary[2:]}


def test_a_csv_export_starts_with_a_bom(
    exported: tuple[ws.Workspace, Path], tmp_path: Path
) -> None:
    """One kind exported to .csv: UTF-8 with a BOM, then the 日期 header."""
    csv_path = tmp_path / "seven.csv"
    assert (
        invoke(
            exported[0].root,
            "ledger",
            "export",
            "--year",
            "2023",
            "--kind",
            "seven-into",
            "-o",
            str(csv_path),
        ).exit_code
        == 0
    )
    assert csv_path.read_bytes().startswith(b"\xef\xbb\xbf\xe6\x97\xa5\xe6\x9c\x9f")  # BOM, 日期


def test_rows_parse_real_world_counts() -> None:
    """120, 120人, 约300份, 1.2万: digits, with a warning for the inexact ones."""
    assert count_text("120人") == ("120", None)
    assert count_text(150) == ("150", None)
    assert count_text("约300份")[0] == "300"
    assert count_text("1.2万") == ("12000", "“1.2万”按 12000 计(原文不是确切数字)")


def test_full_width_headers_unknown_columns_and_odd_sheets(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """乡（镇、街道） with full-width brackets is recognised; an unknown column and a sheet not named
    after a kind are reported (not silently dropped); a voided record is not imported again."""
    book = Workbook()
    sheet = book.active
    sheet.title = "法律七进"
    sheet.append(["日期", "乡（镇、街道）", "活动名称", "进", "参与人数(人)", "发放资料"])
    sheet.append(["2024-03-05", "禾丰乡", "法律进学校", "学校", "320", "600"])
    book.create_sheet("Sheet2").append(["随便写的"])
    path = tmp_path / "w.xlsx"
    book.save(path)
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "已新增 1 条、修改 0 条;未变 0 条;退回 0 行。\n"
    assert "提示:法律七进 第1行:不认识的列,未导入:参与人数(人)" in result.stderr
    assert "提示:跳过了表名不是活动类型的工作表:Sheet2" in result.stderr
    invoke(sqlite_workspace.root, "void", "1", "--reason", "重复")
    sheet["F2"] = "700"
    book.save(path)
    again = invoke(sqlite_workspace.root, "ledger", "import", str(path))
    assert again.exit_code == 0, again.output
    assert "对应的记录 #1 已作废,不再导入" in again.stderr


def test_missing_files_are_one_line_errors(sqlite_workspace: ws.Workspace, tmp_path: Path) -> None:
    """A missing input file or output folder: one 错误 line, no traceback."""
    missing = invoke(
        sqlite_workspace.root, "ledger", "import", str(tmp_path / "none.csv"), "--kind", "lecture"
    )
    assert missing.exit_code == 1
    assert (
        missing.stderr
        == f"错误:文件 = “{tmp_path / 'none.csv'}”: 应为存在的 .xlsx 或 .csv 台账文件\n"
    )
    nowhere = invoke(
        sqlite_workspace.root, "ledger", "template", "-o", str(tmp_path / "no" / "t.xlsx")
    )
    assert nowhere.exit_code == 1
    assert "应为已存在的文件夹中的文件路径" in nowhere.stderr


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        (
            "1900-01-01,南江,民法典讲座,40",
            "lecture 第2行 A列(日期) = “1900-01-01”: 应在 1949-01-01 至 2100-12-31 之间",
        ),
        (
            "2024-03-05,南江,民法典讲座,9223372036854775807",
            "lecture 第2行 D列(参与人次) = “9223372036854775807”: 应为不超过 10,000,000 的整数",
        ),
        (
            "2024-03-05,南江,讲座\x1b[31m,40",
            "lecture 第2行 C列(标题) = “讲座\\x1b[31m”: 不能含控制字符 \\x1b",
        ),
    ],
)
def test_hostile_rows_are_refused_through_intake(
    workspace: ws.Workspace, tmp_path: Path, cells: str, message: str
) -> None:
    """A ledger row with a date out of range, a count over the bound or ESC is refused like `log`."""
    path = tmp_path / "lecture.csv"
    path.write_text(f"日期,乡镇,活动名称,参与人次\n{cells}\n", encoding="utf-8")
    refused = invoke(workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert refused.exit_code == 1
    assert message in refused.stderr
    assert "\x1b" not in refused.stderr


def test_a_phone_number_in_a_row_is_a_warning(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A phone number in a row's title imports with a warning in the import's warnings list."""
    path = tmp_path / "lecture.csv"
    path.write_text(
        "日期,乡镇,活动名称,参与人次\n2024-03-05,南江,讲座 联系13812345678,40\n", encoding="utf-8"
    )
    result = invoke(sqlite_workspace.root, "ledger", "import", str(path), "--kind", "lecture")
    assert result.exit_code == 0, result.output
    assert "lecture 第2行:标题“讲座 联系138****5678”似含手机号或身份证号" in result.output
