"""pufa.ledger outputs and stale workbooks: no file clobbered, no newer edit reverted, no formula run.

The probes of issue 10 (points 1, 2, 3 and 9), kept as tests.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pufa import ledger
from pufa import workspace as ws
from pufa.cli.app import app
from pufa.errors import Conflict

from .conftest import DATA, STAMP, invoke, snapshot
from .engines import execute
from .mounts import fill, tmpfs

#: the ledgers and stores here hold activities held throughout 2024
pytestmark = pytest.mark.usefixtures("late_2024")

HEFENG = DATA / "ledger" / "ledger-hefeng.xlsx"
MISTAKES = DATA / "ledger" / "ledger-mistakes.xlsx"
HOSTILE = ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1"]


def seeded(workspace: ws.Workspace) -> ws.Workspace:
    """The workspace with the four 禾丰 records (#1–#4, each at revision 1)."""
    result = invoke(workspace.root, "ledger", "import", str(HEFENG))
    assert result.exit_code == 0, result.output
    return workspace


def export(root: Path, path: Path, *more: str) -> Any:
    return invoke(root, "ledger", "export", "--year", "2024", "-o", str(path), *more)


def leftovers(folder: Path) -> list[str]:
    """Temporary files an output left behind (they start with a dot)."""
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


# -- 1. output paths --------------------------------------------------------------------------------


def test_export_refuses_an_output_not_ending_in_xlsx_or_csv(workspace: ws.Workspace) -> None:
    """`-o pufa.db` is refused by its suffix, before anything is written; the store is untouched."""
    seeded(workspace)
    before = snapshot(workspace.location)
    result = export(workspace.root, workspace.root / "pufa.db")
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:输出 (-o) = “{workspace.root / 'pufa.db'}”: 应为以 .xlsx、.csv 结尾的文件名 — 如 pufa.xlsx\n"
    )
    assert snapshot(workspace.location) == before


@pytest.mark.parametrize("guarded", ["pufa.db", "pufa.db-wal", "pufa.toml", "county.toml"])
def test_no_output_replaces_the_store_or_its_config_even_with_force(
    sqlite_workspace: ws.Workspace, guarded: str
) -> None:
    """A `.xlsx` name that resolves to the store, its WAL, pufa.toml or county.toml is refused even
    with --force (paths are compared resolved)."""
    root = sqlite_workspace.root
    (root / "pufa.db-wal").touch()
    link = root / "台账.xlsx"
    link.symlink_to(root / guarded)
    before = (root / guarded).read_bytes()
    result = export(root, link, "--force")
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:输出 (-o) = “{link}”: 不能是本工作区的数据库或配置文件(加 --force 也不行) — 请换一个文件名\n"
    )
    assert (root / guarded).read_bytes() == before


def test_an_existing_file_is_replaced_only_with_force(tmp_path: Path) -> None:
    """`ledger template -o` onto an existing file: refused without --force, replaced with it."""
    path = tmp_path / "模板.xlsx"
    path.write_bytes(b"old")
    refused = CliRunner().invoke(app, ["ledger", "template", "-o", str(path)])
    assert refused.exit_code == 1
    assert (
        refused.stderr
        == f"错误:输出 (-o) = “{path}”: 文件已存在,未覆盖 — 确要替换它,请加 --force\n"
    )
    assert path.read_bytes() == b"old"
    done = CliRunner().invoke(app, ["ledger", "template", "-o", str(path), "--force"])
    assert done.exit_code == 0, done.output
    assert load_workbook(path).sheetnames[0] == "填表说明"
    assert leftovers(tmp_path) == []


def test_rejects_must_be_an_xlsx_and_are_checked_before_importing(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """`--rejects 退回.txt` is refused before a row is imported."""
    before = snapshot(sqlite_workspace.location)
    result = invoke(
        sqlite_workspace.root,
        "ledger",
        "import",
        str(MISTAKES),
        "--skip-invalid",
        "--rejects",
        str(tmp_path / "退回.txt"),
    )
    assert result.exit_code == 1
    assert result.stderr == (
        f"错误:退回表 (--rejects) = “{tmp_path / '退回.txt'}”: 应为以 .xlsx 结尾的文件名 — 如 退回.xlsx\n"
    )
    assert snapshot(sqlite_workspace.location) == before


def test_a_full_disk_leaves_the_old_export_whole_and_no_temporary_file(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """Exporting onto a full disk: one line, exit 1; the previous export is intact, no temp file."""
    seeded(sqlite_workspace)
    with tmpfs(tmp_path / "u盘", "64k") as disk:
        old = disk / "台账.xlsx"
        old.write_bytes(b"last week's export")
        fill(disk, 4096)
        result = export(sqlite_workspace.root, old, "--force")
        assert result.exit_code == 1
        assert result.stderr.startswith(f"错误:无法写入 {old}:磁盘已满。")
        assert result.stderr.count("\n") == 1
        assert old.read_bytes() == b"last week's export"
        assert leftovers(disk) == []


def test_rejects_that_cannot_be_written_mean_nothing_is_imported(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """--skip-invalid with the rejects on a full disk: the rejects are written first, so the
    failure comes before the import — the store is unchanged and nothing is left on the disk."""
    before = snapshot(workspace.location)
    with tmpfs(tmp_path / "u盘", "64k") as disk:
        fill(disk, 2048)
        rejects = disk / "退回.xlsx"
        result = invoke(
            workspace.root,
            "ledger",
            "import",
            str(MISTAKES),
            "--skip-invalid",
            "--rejects",
            str(rejects),
        )
        assert result.exit_code == 1
        assert result.stderr.startswith(f"错误:无法写入 {rejects}:磁盘已满。")
        assert leftovers(disk) == []
        assert not rejects.exists()
    assert snapshot(workspace.location) == before


def changed_copy(tmp_path: Path, *, bad_row: bool = False) -> Path:
    """The 禾丰 workbook with the first row's 参与人次 320 → 330 (and its 合计), optionally one bad row."""
    book = load_workbook(HEFENG)
    book.active["E4"] = 330
    book.active["E9"] = 775
    if bad_row:
        book.active["B8"] = "禾风乡"  # a typo'd township on the fourth data row
        book.active["E9"] = None
    path = tmp_path / "changed.xlsx"
    book.save(path)
    return path


def test_a_failed_import_leaves_no_rejects_file(workspace: ws.Workspace, tmp_path: Path) -> None:
    """The import fails after the rejects were staged (a record edited meanwhile): no rejects file,
    no temporary file, nothing imported."""
    seeded(workspace)
    county = workspace.county()
    store = workspace.open()
    try:
        planned = ledger.check(store, county, ledger.read(changed_copy(tmp_path, bad_row=True)))
        assert (len(planned.edit), len(planned.rejected)) == (1, 1)
        assert (
            invoke(workspace.root, "edit", "1", "--materials", "650", "--reason", "更正").exit_code
            == 0
        )
        before = snapshot(workspace.location)
        rejects = tmp_path / "退回.xlsx"
        with pytest.raises(Conflict):
            ledger.apply(store, planned, STAMP, "导入台账", skip_invalid=True, rejects=rejects)
    finally:
        store.close()
    assert not rejects.exists()
    assert leftovers(tmp_path) == []
    assert snapshot(workspace.location) == before


# -- 2. stale workbooks --------------------------------------------------------------------------


def test_the_export_carries_each_records_revision_beside_its_id(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """编号 is followed by 版本, the record's revision when exported."""
    seeded(sqlite_workspace)
    invoke(sqlite_workspace.root, "edit", "2", "-p", "160", "--reason", "更正")
    out = tmp_path / "台账.xlsx"
    assert export(sqlite_workspace.root, out).exit_code == 0
    rows = list(load_workbook(out)["法律七进集中宣传"].iter_rows(values_only=True))
    assert rows[1][-2:] == ("编号", "版本")  # under the title row
    assert [r[-2:] for r in rows[2:6]] == [(1, 1), (2, 2), (3, 1), (4, 1)]


def test_a_stale_workbook_row_is_a_conflict_and_nothing_is_imported(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """Export; someone corrects #1; last week's workbook comes back: its row for #1 is refused with
    who changed it, when and what (the words of `edit`'s lost-update refusal); nothing is written."""
    seeded(workspace)
    out = tmp_path / "台账.xlsx"
    assert export(workspace.root, out).exit_code == 0
    book = load_workbook(out)
    book["法律七进集中宣传"]["I4"] = 333  # the township edits another row's 发放资料
    book.save(out)
    corrected = invoke(workspace.root, "edit", "1", "-p", "330", "--reason", "更正", "--by", "张三")
    assert corrected.exit_code == 0, corrected.output
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "ledger", "import", str(out))
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:法律七进集中宣传 第3行 O列(版本) = 1: 记录 #1 在你读取(第 1 版)之后已被修改:"
        "第 2 版 2024-12-31 10:00 张三 修改(参与人次)。"
        "未保存你的修改:这一行未导入。请重新导出台账,在新表上修改后再导入。\n"
    )
    assert snapshot(workspace.location) == before


def test_with_skip_invalid_a_stale_row_goes_to_the_rejects(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """--skip-invalid imports the other rows; the stale row is in the rejects with its reason."""
    root = seeded(sqlite_workspace).root
    out = tmp_path / "台账.xlsx"
    export(root, out)
    book = load_workbook(out)
    book["法律七进集中宣传"]["I4"] = 333
    book.save(out)
    invoke(root, "edit", "1", "-p", "330", "--reason", "更正", "--by", "张三")
    rejects = tmp_path / "退回.xlsx"
    result = invoke(root, "ledger", "import", str(out), "--skip-invalid", "--rejects", str(rejects))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("已新增 0 条、修改 1 条;未变 2 条;退回 1 行。\n")
    rows = list(load_workbook(rejects)["未导入"].iter_rows(values_only=True))
    assert rows[1][-1].startswith(
        "法律七进集中宣传 第3行 O列(版本) = 1: 记录 #1 在你读取(第 1 版)之后"
    )


def test_an_export_without_the_revision_column_imports_as_before(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """An older export (no 版本 column) still edits its records by 编号, as it always did."""
    root = seeded(sqlite_workspace).root
    out = tmp_path / "台账.xlsx"
    export(root, out)
    book = load_workbook(out)
    sheet = book["法律七进集中宣传"]
    sheet.delete_cols(14)  # N: 版本
    sheet["H3"] = 321
    book.save(out)
    result = invoke(root, "ledger", "import", str(out))
    assert result.stdout == "已新增 0 条、修改 1 条;未变 3 条;退回 0 行。\n"


def test_an_edit_between_check_and_apply_is_refused(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """The import's edit carries the revision it was planned from: a record edited after the check
    is refused with the store's lost-update Conflict, and nothing of the import is written."""
    seeded(workspace)
    county = workspace.county()
    store = workspace.open()
    try:
        planned = ledger.check(store, county, ledger.read(changed_copy(tmp_path)))
        assert (
            invoke(workspace.root, "edit", "1", "--materials", "650", "--reason", "更正").exit_code
            == 0
        )
        before = snapshot(workspace.location)
        with pytest.raises(Conflict, match=r"记录 #1 在你读取\(第 1 版\)之后已被修改:第 2 版 "):
            ledger.apply(store, planned, STAMP, "导入台账")
    finally:
        store.close()
    assert snapshot(workspace.location) == before


# -- 9. formulas and control characters -------------------------------------------------------------


def with_titles(workspace: ws.Workspace, titles: list[str]) -> None:
    """The 禾丰 records, their titles replaced in the store as older data may hold them."""
    seeded(workspace)
    for n, title in enumerate(titles, start=1):
        execute(workspace.location, "UPDATE events SET title = ? WHERE id = ?", (title, n))


def test_formula_like_titles_are_text_cells_in_the_xlsx_and_round_trip(
    workspace: ws.Workspace, tmp_path: Path
) -> None:
    """=HYPERLINK(…), @SUM(1), +1, -1 are written as text cells (never data_type "f") and read
    back exactly: re-importing the export changes nothing."""
    with_titles(workspace, HOSTILE)
    out = tmp_path / "台账.xlsx"
    assert export(workspace.root, out).exit_code == 0
    sheet = load_workbook(out)["法律七进集中宣传"]
    cells = [sheet.cell(row=n, column=6) for n in range(3, 7)]
    assert sorted(c.value for c in cells) == sorted(HOSTILE)
    assert {c.data_type for c in cells} == {"s"}
    again = invoke(workspace.root, "ledger", "import", str(out))
    assert again.stdout == "已新增 0 条、修改 0 条;未变 4 条;退回 0 行。\n"


def test_formula_like_titles_are_quoted_in_the_csv_and_round_trip(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """The CSV puts ' before = + - @ (OWASP); a fresh workspace importing it gets the exact titles."""
    with_titles(sqlite_workspace, HOSTILE)
    out = tmp_path / "法律七进.csv"
    assert export(sqlite_workspace.root, out, "--kind", "seven-into").exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert sorted(r[5] for r in rows[1:]) == sorted("'" + t for t in HOSTILE)
    fresh = ws.init(tmp_path / "fresh")
    assert invoke(fresh.root, "ledger", "import", str(out)).exit_code == 0
    listed = invoke(fresh.root, "list", "--json").output
    import json

    assert sorted(r["title"] for r in json.loads(listed)) == sorted(HOSTILE)


@pytest.mark.parametrize(
    "value", ["=1+2", "'=1+2", "''@x", "'plain", "-", "\t=x", "普通标题", "'", ""]
)
def test_csv_quoting_round_trips_exactly(value: str) -> None:
    """unquote_csv(quote_csv(v)) == v, and the quoted text never starts like a formula."""
    quoted = ledger.quote_csv(value)
    assert ledger.unquote_csv(quoted) == value
    assert not quoted.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_control_characters_in_older_data_do_not_break_the_export(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """A title holding ESC and NUL (stored before intake refused them) is exported escaped."""
    with_titles(sqlite_workspace, ["法治\x1b[31m宣传\x00"])
    out = tmp_path / "台账.xlsx"
    result = export(sqlite_workspace.root, out)
    assert result.exit_code == 0, result.output
    assert load_workbook(out)["法律七进集中宣传"]["F3"].value == "法治\\x1b[31m宣传\\x00"
