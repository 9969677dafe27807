"""Attendance of 法律明白人 trainings (`pufa people attend`): linked to the roster, and the source
of 参训人次 once recorded (pufa/roster.py, pufa/store/roster.py, pufa/store/aggregates.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pufa import workspace as ws
from pufa.ledger.table import write_table

from .conftest import STAMP, invoke, invoke_ok
from .engines import execute

CERTS = ("示例证书0001", "示例证书0002", "示例证书0003")


@pytest.fixture
def training(workspace: ws.Workspace) -> Path:
    """A workspace with three certified 法律明白人 in 马江村 and one held training (#1, 40 typed)."""
    root = workspace.root
    for n, cert in enumerate(CERTS, 1):
        invoke_ok(root, "people", "add", "--role", "法律明白人", "--name", f"示例人员{n:03}",
                  "--village", "马江村", "--phone", f"1380000000{n}", "--certificate", cert)  # fmt: skip
    invoke_ok(root, "log", "法律明白人培训", "-d", "2024-03-01", "-t", "冯三镇", "--title",
              "法律明白人培训", "--trainees", "40")  # fmt: skip
    return root


def _trainees(root: Path) -> int:
    rows = json.loads(invoke_ok(root, "summary", "--year", "2024", "--json").output)["rows"]
    return int(next(r["held"] for r in rows if r["indicator"] == "literate-trainees"))


def test_typed_trainees_count_without_attendance(training: Path) -> None:
    """Without attendance, a training's 参训人次 is the number typed on the record."""
    assert _trainees(training) == 40


def test_attendance_replaces_the_typed_number(training: Path) -> None:
    """Once attendance is recorded, the training's 参训人次 is the number of attendees."""
    invoke_ok(training, "people", "attend", "1", "--cert", CERTS[0], "--cert", CERTS[1])
    assert _trainees(training) == 2


def test_attending_twice_counts_once(training: Path) -> None:
    """The same certificate given again adds no second attendance."""
    invoke_ok(training, "people", "attend", "1", "--cert", CERTS[0])
    output = invoke_ok(training, "people", "attend", "1", "--cert", CERTS[0]).output
    assert output.startswith("培训 #1:新记参训 0 人,共 1 人")


def test_a_sheet_names_people_by_certificate_or_name_and_village(training: Path) -> None:
    """A 签到表 row may give the certificate, or the name and the village."""
    sheet = training / "签到表.xlsx"
    write_table(sheet, "签到表", ["证书编号", "姓名", "村(居)"],
                [[CERTS[0], "", ""], ["", "示例人员002", "冯三镇 马江村"]], STAMP.at)  # fmt: skip
    invoke_ok(training, "people", "attend", "1", "--sheet", str(sheet))
    assert _trainees(training) == 2


def test_a_bad_sheet_row_writes_nothing(training: Path, workspace: ws.Workspace) -> None:
    """An unknown certificate on one row refuses the whole sheet, naming the sheet and row."""
    sheet = training / "签到表.xlsx"
    write_table(sheet, "签到表", ["证书编号"], [[CERTS[0]], ["示例证书9999"]], STAMP.at)
    result = invoke(training, "people", "attend", "1", "--sheet", str(sheet))
    assert "签到表 第3行" in result.output
    assert execute(workspace.location, "SELECT COUNT(*) FROM training_attendance") == [(0,)]


def test_only_a_held_literate_training_takes_attendance(training: Path) -> None:
    """Attendance on a record of another kind is refused."""
    invoke_ok(training, "log", "法治讲座", "-d", "2024-03-02", "-t", "冯三镇", "--title", "讲座")
    result = invoke(training, "people", "attend", "2", "--cert", CERTS[0])
    assert "应为已举办、未作废的法律明白人培训记录" in result.output


def test_show_lists_the_trainings_of_the_year(training: Path) -> None:
    """`people show` gives the trainings a 法律明白人 attended that year."""
    invoke_ok(training, "people", "attend", "1", "--cert", CERTS[0])
    found = json.loads(invoke_ok(training, "people", "show", "1", "--json").output)["trained"]
    assert [t["id"] for t in found["trainings"]] == [1]


def test_attendance_is_append_only(training: Path, workspace: ws.Workspace) -> None:
    """The store refuses to delete an attendance row."""
    invoke_ok(training, "people", "attend", "1", "--cert", CERTS[0])
    with pytest.raises(Exception, match="append-only"):
        execute(workspace.location, "DELETE FROM training_attendance")
