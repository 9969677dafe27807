"""pufa.ledger.workbook: the template and an export are the same bytes for the same store and
the same ``PUFA_NOW`` — no wall-clock time in docProps/core.xml or in the zip's entries."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.cli.app import app

from .conftest import DATA, invoke

#: conftest's PUFA_NOW (2024-03-06 10:00 in Shanghai), in UTC: how a workbook is stamped
STAMPED = (2024, 3, 6, 2, 0, 0)


def exported(workspace: ws.Workspace, path: Path) -> bytes:
    result = invoke(workspace.root, "ledger", "export", "--year", "2024", "-o", str(path))
    assert result.exit_code == 0, result.output
    return path.read_bytes()


def test_the_template_is_the_same_bytes_each_time(tmp_path: Path) -> None:
    """Two templates made one after the other are byte-identical."""
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    for path in (first, second):
        assert CliRunner().invoke(app, ["ledger", "template", "-o", str(path)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


@pytest.mark.usefixtures("late_2024")  # the ledger's rows were held throughout 2024
def test_an_export_is_the_same_bytes_seconds_later(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """The same store exported twice with the same PUFA_NOW, more than a zip time-step (2 s)
    apart, gives the same bytes."""
    workbook = DATA / "ledger" / "ledger-hefeng.xlsx"
    assert invoke(sqlite_workspace.root, "ledger", "import", str(workbook)).exit_code == 0
    first = exported(sqlite_workspace, tmp_path / "1.xlsx")
    time.sleep(2.1)
    assert exported(sqlite_workspace, tmp_path / "2.xlsx") == first


def test_a_workbook_is_stamped_with_pufa_now_not_the_clock(tmp_path: Path) -> None:
    """Every zip entry carries PUFA_NOW's time (UTC), and core.xml's created and modified say it."""
    path = tmp_path / "模板.xlsx"
    assert CliRunner().invoke(app, ["ledger", "template", "-o", str(path)]).exit_code == 0
    with zipfile.ZipFile(path) as archive:
        assert {info.date_time for info in archive.infolist()} == {STAMPED}
        core = archive.read("docProps/core.xml").decode()
    assert 'W3CDTF">2024-03-06T02:00:00Z</dcterms:created>' in core  # namespaces vary with lxml
    assert 'W3CDTF">2024-03-06T02:00:00Z</dcterms:modified>' in core


def test_a_rejects_workbook_is_stamped_with_the_import_time(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """The 退回 workbook of `import --skip-invalid` carries the import's time (PUFA_NOW), not the
    clock's, in every zip entry."""
    rejects = tmp_path / "退回.xlsx"
    workbook = str(DATA / "ledger" / "ledger-mistakes.xlsx")
    result = invoke(
        sqlite_workspace.root,
        "ledger",
        "import",
        workbook,
        "--skip-invalid",
        "--rejects",
        str(rejects),
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(rejects) as archive:
        assert {info.date_time for info in archive.infolist()} == {STAMPED}
