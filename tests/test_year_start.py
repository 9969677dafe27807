"""`pufa year start`: a new year's targets drafted (待核实) and its plan rolled on, nothing overwritten."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest

from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_indicators, load_targets
from pufa.targets import TargetSet

from .conftest import invoke, invoke_ok


@pytest.fixture
def kaiyang(today: None, tmp_path: Path) -> ws.Workspace:
    """A new 开阳县 workspace (its 2023/2024 targets and 2024 plan), today in late 2026."""
    return ws.init(tmp_path / "ws")


def targets_of(workspace: ws.Workspace, year: int) -> TargetSet:
    """``targets-<year>.toml`` of the workspace, through the normal loader."""
    indicators = load_indicators(workspace.root / "indicators.toml", workspace.county())
    return load_targets(workspace.root / f"targets-{year}.toml", indicators)


def plan_keys(path: Path) -> list[str]:
    """The item keys of a plan file."""
    return [item["key"] for item in tomllib.loads(path.read_text(encoding="utf-8"))["items"]]


def test_draft_keeps_figures_and_quotes(kaiyang: ws.Workspace) -> None:
    """Drafting 2026 from 2024 keeps every target's indicator, figure and quote."""
    invoke_ok(kaiyang.root, "year", "start", "2026", "--from", "2024")
    old, new = targets_of(kaiyang, 2024), targets_of(kaiyang, 2026)
    assert [(t.indicator, t.figure.text, t.quote) for t in new.targets] == [
        (t.indicator, t.figure.text, t.quote) for t in old.targets
    ]


def test_draft_marks_every_target_unconfirmed(kaiyang: ws.Workspace) -> None:
    """Every drafted target is 待核实, and the file says year 2026."""
    invoke_ok(kaiyang.root, "year", "start", "2026")
    new = targets_of(kaiyang, 2026)
    assert (new.year, {t.status for t in new.targets}) == (2026, {"待核实"})


def test_draft_says_where_each_target_came_from(kaiyang: ws.Workspace) -> None:
    """Each [[targets]] carries a comment naming the file and year it was copied from."""
    invoke_ok(kaiyang.root, "year", "start", "2026")
    text = (kaiyang.root / "targets-2026.toml").read_text(encoding="utf-8")
    assert text.count("# 来自 targets-2024.toml(2024 年)") == text.count("[[targets]]") > 0


def test_no_earlier_year_gives_empty_template(today: None, tmp_path: Path) -> None:
    """A county with no earlier targets gets an empty template that loads."""
    made = ws.init(tmp_path / "ws", "520122")
    (made.root / "targets-2026.toml").unlink()
    result = invoke_ok(made.root, "year", "start", "2026")
    assert "空模板" in result.output
    assert targets_of(made, 2026).targets == ()


def test_existing_targets_refused_and_untouched(kaiyang: ws.Workspace) -> None:
    """An existing targets-2026.toml is named in the refusal and left as it was; no plan written."""
    existing = kaiyang.root / "targets-2026.toml"
    existing.write_text("year = 2026\n", encoding="utf-8")
    result = invoke(kaiyang.root, "year", "start", "2026")
    assert result.exit_code == 1
    assert str(existing) in result.output
    assert existing.read_text(encoding="utf-8") == "year = 2026\n"
    assert not (kaiyang.root / "plan-2026.toml").exists()


def test_existing_plan_refused_nothing_written(kaiyang: ws.Workspace) -> None:
    """An existing plan-2026.toml is refused before the targets draft is written."""
    (kaiyang.root / "plan-2026.toml").write_text("year = 2026\n", encoding="utf-8")
    result = invoke(kaiyang.root, "year", "start", "2026")
    assert result.exit_code == 1
    assert "plan-2026.toml" in result.output
    assert not (kaiyang.root / "targets-2026.toml").exists()


def test_from_year_without_targets_refused(kaiyang: ws.Workspace) -> None:
    """--from a year with no targets file is refused, naming the nearest year."""
    result = invoke(kaiyang.root, "year", "start", "2026", "--from", "2025")
    assert result.exit_code == 1
    assert "最近的是 2024 年" in result.output
    assert not (kaiyang.root / "targets-2026.toml").exists()


def test_plan_leaves_out_past_items(kaiyang: ws.Workspace) -> None:
    """Items whose window lies before tomorrow are left out, and the output says how many."""
    result = invoke_ok(kaiyang.root, "year", "start", "2026")
    assert "窗口已过的 5 项未列入" in result.output
    assert plan_keys(kaiyang.root / "plan-2026.toml") == [
        "literate-training", "school-lecture-autumn", "constitution-week", "constitution-day",
    ]  # fmt: skip


def test_rolled_plan_places_nothing_before_today(kaiyang: ws.Workspace) -> None:
    """`pufa plan check plan-2026.toml` places every item, none before 2026-11-30."""
    invoke_ok(kaiyang.root, "year", "start", "2026")
    result = invoke_ok(kaiyang.root, "plan", "check", "plan-2026.toml")
    assert "2026-11-29" not in result.output
    assert "2026-11-30" in result.output


def test_include_past_keeps_every_item(kaiyang: ws.Workspace) -> None:
    """With --include-past every item of the 2024 plan is rolled, its windows in 2026."""
    invoke_ok(kaiyang.root, "year", "start", "2026", "--include-past")
    rolled = kaiyang.root / "plan-2026.toml"
    assert plan_keys(rolled) == plan_keys(kaiyang.root / "plan-2024.toml")
    assert '"2026-02-19"' in rolled.read_text(encoding="utf-8")


def test_summary_marks_unconfirmed_targets(kaiyang: ws.Workspace) -> None:
    """`pufa summary --csv` writes an unconfirmed target's figure with (待核实)."""
    invoke_ok(kaiyang.root, "year", "start", "2026")
    output = invoke_ok(kaiyang.root, "summary", "--csv").stdout_bytes.decode("utf-8-sig")
    rows = {r["指标"]: r for r in csv.DictReader(io.StringIO(output))}
    assert rows["法律七进集中宣传"]["目标"] == "113场次(待核实)"


def test_summary_json_flags_unconfirmed(kaiyang: ws.Workspace) -> None:
    """`pufa summary --json` says confirmed false for every drafted target."""
    invoke_ok(kaiyang.root, "year", "start", "2026")
    rows = json.loads(invoke_ok(kaiyang.root, "summary", "--json").output)["rows"]
    assert {r["target"]["confirmed"] for r in rows} == {False}


def test_summary_json_confirmed_file(kaiyang: ws.Workspace) -> None:
    """A targets file without status keys is confirmed throughout."""
    out = invoke_ok(kaiyang.root, "summary", "--json", "--year", "2024").output
    assert {r["target"]["confirmed"] for r in json.loads(out)["rows"]} == {True}


def test_bad_status_refused(kaiyang: ws.Workspace) -> None:
    """A status other than 待核实/已核实 is refused with the nearest valid one."""
    path = kaiyang.root / "targets-2024.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("[[targets]]\n", '[[targets]]\nstatus = "待核"\n', 1), "utf-8")
    with pytest.raises(InvalidInput, match="待核实"):
        targets_of(kaiyang, 2024)
