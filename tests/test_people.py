"""The rosters of people (pufa/people.py, pufa/roster.py, pufa/store/roster.py, pufa/cli/people.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pendulum
import pytest

from pufa import people, roster
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.model import County

from .conftest import invoke, invoke_ok
from .engines import execute

NAME = "示例人员甲"
PHONE = "13800001234"
CERT = "SLZ2023-0001"
GUIDE = ("people", "add", "--role", "法律明白人", "--name", NAME, "--village", "马江村",
         "--phone", PHONE, "--post", "调解员", "--certificate", CERT, "--certified-on", "2023-06-30")  # fmt: skip
TODAY = pendulum.Date(2024, 3, 6)


def _added(workspace: ws.Workspace) -> Path:
    invoke_ok(workspace.root, *GUIDE)
    return workspace.root


def test_mask_phone_keeps_first_three_and_last_four() -> None:
    """A mobile number is shown as 138****1234."""
    assert people.mask_phone(PHONE) == "138****1234"


def test_build_collects_every_problem_with_hints(county: County) -> None:
    """A bad role, phone, future date and misspelt village are refused together, with hints."""
    raw = {
        "role": "明白",
        "name": "甲",
        "phone": "123",
        "village": "马将村",
        "certified_on": "2025-01-01",
    }
    with pytest.raises(InvalidInput) as caught:
        roster.build(county, raw, TODAY)
    text = str(caught.value)
    assert [p.field for p in caught.value.problems] == ["role", "phone", "certified_on", "village"]
    assert "是否指 法律明白人?" in text
    assert "是否指 马江村?" in text


def test_village_resolves_by_code(county: County) -> None:
    """A village's 12-digit code resolves to it."""
    assert roster.village(county, "520121103200").name == "马江村"


def test_vice_principal_needs_school_employer_and_appointment(county: County) -> None:
    """A 法治副校长 without school, employer and appointment date is refused for each."""
    with pytest.raises(InvalidInput) as caught:
        roster.build(county, {"role": "法治副校长", "name": "乙"}, TODAY)
    assert [p.field for p in caught.value.problems] == ["school", "employer", "appointed"]


def test_list_masks_phone_and_hides_certificate(workspace: ws.Workspace) -> None:
    """people list shows the name, the masked phone and no certificate number."""
    out = invoke_ok(_added(workspace), "people", "list").output
    assert NAME in out
    assert "138****1234" in out
    assert PHONE not in out
    assert CERT not in out


def test_json_leaves_name_and_phone_out_unless_asked(workspace: ws.Workspace) -> None:
    """JSON carries the id always, and name/phone/certificate only with --show-personal-data."""
    root = _added(workspace)
    plain = json.loads(invoke_ok(root, "people", "list", "--json").output)[0]
    full = json.loads(invoke_ok(root, "people", "list", "--json", "--show-personal-data").output)[0]
    assert plain["id"] == 1
    assert not {"name", "phone", "certificate"} & set(plain)
    assert (full["name"], full["phone"], full["certificate"]) == (NAME, PHONE, CERT)


def test_full_read_is_recorded_in_access_log(workspace: ws.Workspace) -> None:
    """A --show-personal-data read appears in the access log with who, what and how many."""
    root = _added(workspace)
    invoke_ok(root, "people", "show", "1", "--show-personal-data")
    [entry] = json.loads(invoke_ok(root, "people", "access-log", "--json").output)
    assert (entry["by"], entry["what"], entry["count"]) == (
        "测试员",
        "people show #1 --show-personal-data",
        1,
    )


def test_masked_read_is_not_logged(workspace: ws.Workspace) -> None:
    """An ordinary (masked) list leaves the access log empty."""
    root = _added(workspace)
    invoke_ok(root, "people", "list")
    assert json.loads(invoke_ok(root, "people", "access-log", "--json").output) == []


def test_edit_and_leave_are_revisions(workspace: ws.Workspace) -> None:
    """An edit and a leave each add a revision naming the changed fields and the reason."""
    root = _added(workspace)
    invoke_ok(root, "people", "edit", "1", "--phone", "13900001234", "--reason", "换号")
    invoke_ok(root, "people", "leave", "1", "--on", "2024-03-01", "--reason", "外出务工")
    out = invoke_ok(root, "people", "show", "1").output
    assert "第2版" in out
    assert "修改(换号):手机" in out
    assert "第3版" in out
    assert "离任(外出务工):离任日期" in out


def test_left_person_is_listed_only_with_all(workspace: ws.Workspace) -> None:
    """A person who left is not in the default list, and is with --all."""
    root = _added(workspace)
    invoke_ok(root, "people", "leave", "1")
    assert "共 0 人" in invoke_ok(root, "people", "list").output
    assert "共 1 人" in invoke_ok(root, "people", "list", "--all").output


def test_bad_add_writes_nothing(workspace: ws.Workspace) -> None:
    """A refused add prints each problem in Chinese and stores no one."""
    result = invoke(
        workspace.root,
        "people",
        "add",
        "--role",
        "法律明白人",
        "--name",
        "丙",
        "--village",
        "火星村",
    )
    assert result.exit_code == 1
    assert "村(居) (--village)" in result.output
    assert "共 0 人" in invoke_ok(workspace.root, "people", "list").output


def _every_text(location: str | Path) -> str:
    rows = [
        *execute(location, "SELECT * FROM people"),
        *execute(location, "SELECT * FROM people_revisions"),
    ]
    return repr(rows)


def test_erase_removes_values_from_row_and_history(workspace: ws.Workspace) -> None:
    """After erase no table or revision holds the name, phone or certificate; the erase revision stays."""
    root = _added(workspace)
    invoke_ok(root, "people", "edit", "1", "--phone", "13900001234", "--reason", "换号")
    invoke_ok(root, "people", "erase", "1", "--reason", "本人申请")
    location = workspace.location
    text = _every_text(location)
    for value in (NAME, PHONE, "13900001234", CERT):
        assert value not in text
    [(_action, by, reason)] = execute(
        location, "SELECT action, changed_by, reason FROM people_revisions WHERE action = 'erase'"
    )
    assert (by, reason) == ("测试员", "本人申请")


@pytest.mark.engine("sqlite")
def test_erase_leaves_no_bytes_in_sqlite_files(workspace: ws.Workspace) -> None:
    """The erased name and phone are in neither the database file nor its WAL."""
    root = _added(workspace)
    invoke_ok(root, "people", "erase", "1", "--reason", "本人申请")
    files = [p for p in root.iterdir() if p.name.startswith("pufa.db")]
    data = b"".join(p.read_bytes() for p in files)
    assert NAME.encode() not in data
    assert PHONE.encode() not in data


def test_erase_needs_a_reason(workspace: ws.Workspace) -> None:
    """An erase with a blank reason is refused and erases nothing."""
    root = _added(workspace)
    assert invoke(root, "people", "erase", "1", "--reason", " ").exit_code == 1
    assert NAME in invoke_ok(root, "people", "list").output


def test_no_personal_data_in_record_list_or_summary(workspace: ws.Workspace) -> None:
    """A workspace with a roster shows no name or phone in pufa list, summary or report."""
    root = _added(workspace)
    invoke_ok(root, "log", "lecture", "-d", "2024-03-04", "-t", "禾丰乡", "--title", "讲座")
    outputs: list[Any] = [
        invoke_ok(root, "list").output,
        invoke_ok(root, "list", "--json").output,
        invoke_ok(root, "summary", "--year", "2024").output,
        invoke_ok(root, "report", "--year", "2024").output,
    ]
    for out in outputs:
        assert NAME not in out
        assert PHONE not in out


def _sheet(path: Path) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(path)["名册"].iter_rows(values_only=True))


def test_export_leaves_personal_columns_out(workspace: ws.Workspace) -> None:
    """A plain export has no 姓名/手机/证书编号 column and no name or phone anywhere."""
    root = _added(workspace)
    invoke_ok(root, "people", "export", "-o", str(root / "名册.xlsx"))
    rows = _sheet(root / "名册.xlsx")
    assert not {"姓名", "手机", "证书编号"} & set(rows[0])
    assert NAME not in repr(rows)
    assert PHONE not in repr(rows)


def test_export_with_personal_data_names_columns_and_is_logged(workspace: ws.Workspace) -> None:
    """--with-personal-data writes 姓名, 手机, 证书编号 and records the export in the access log."""
    root = _added(workspace)
    invoke_ok(root, "people", "export", "-o", str(root / "全.xlsx"), "--with-personal-data")
    header, row = _sheet(root / "全.xlsx")
    found = dict(zip(header, row, strict=True))
    assert (found["姓名"], found["手机"], found["证书编号"]) == (NAME, PHONE, CERT)
    [entry] = json.loads(invoke_ok(root, "people", "access-log", "--json").output)
    assert entry["what"] == "people export --with-personal-data 全.xlsx"


def _roster_file(root: Path, *rows: tuple[str, ...]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "名册"
    sheet.append(["身份", "姓名", "手机", "村(居)", "职务", "证书编号", "发证日期"])
    for row in rows:
        sheet.append(list(row))
    path = root / "roster.xlsx"
    book.save(path)
    return path


GOOD_ROW = ("法律明白人", NAME, PHONE, "冯三镇 马江村", "调解员", CERT, "2023-06-30")


def test_import_twice_adds_once(workspace: ws.Workspace) -> None:
    """Importing the same roster again adds no one (the certificate number is the key)."""
    path = _roster_file(workspace.root, GOOD_ROW)
    assert "已新增 1 人" in invoke_ok(workspace.root, "people", "import", str(path)).output
    again = invoke_ok(workspace.root, "people", "import", str(path)).output
    assert again.startswith("已新增 0 人,已修改 0 人,1 行没有变化")


def test_import_with_a_bad_row_writes_nothing(workspace: ws.Workspace) -> None:
    """One bad row refuses the whole file, naming its sheet and row; no one is added."""
    bad = ("法律明白人", "示例人员乙", "123", "马江村", "", "", "")
    path = _roster_file(workspace.root, GOOD_ROW, bad)
    result = invoke(workspace.root, "people", "import", str(path))
    assert result.exit_code == 1
    assert "名册 第3行(手机)" in result.output
    assert "共 0 人" in invoke_ok(workspace.root, "people", "list").output


def test_exported_roster_imports_back_unchanged(workspace: ws.Workspace) -> None:
    """A full export imported again changes nothing."""
    root = _added(workspace)
    invoke_ok(root, "people", "export", "-o", str(root / "全.xlsx"), "--with-personal-data")
    out = invoke_ok(root, "people", "import", str(root / "全.xlsx")).output
    assert out.startswith("已新增 0 人,已修改 0 人,1 行没有变化")


def test_template_has_the_personal_columns_named(workspace: ws.Workspace) -> None:
    """The template's header row names 姓名, 手机 and 证书编号."""
    invoke_ok(workspace.root, "people", "template", "-o", str(workspace.root / "t.xlsx"))
    [header] = _sheet(workspace.root / "t.xlsx")
    assert {"姓名", "手机", "证书编号"} <= set(header)


def test_coverage_lists_villages_below_five(workspace: ws.Workspace, county: County) -> None:
    """Five serving 法律明白人 in 马江村 make it met; every other village is listed below with 0."""
    for n in range(5):
        invoke_ok(workspace.root, "people", "add", "--role", "法律明白人", "--name", f"示例人员{n:03}",
                  "--village", "马江村", "--phone", f"1380000{n:04}")  # fmt: skip
    found = json.loads(invoke_ok(workspace.root, "people", "coverage", "--json").output)
    total = sum(len(t.villages) for t in county.townships)
    assert (found["met"], found["villages"], found["people"]) == (1, total, 5)
    assert len(found["below"]) == total - 1
    assert {"township": "冯三镇", "village": "马江村", "count": 5} not in found["below"]


def test_coverage_does_not_count_who_left(workspace: ws.Workspace) -> None:
    """A 法律明白人 who left no longer counts for the village."""
    root = _added(workspace)
    invoke_ok(root, "people", "leave", "1")
    assert json.loads(invoke_ok(root, "people", "coverage", "--json").output)["people"] == 0
