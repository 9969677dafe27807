"""The current year on day one (2026, no targets file yet): summary and report still work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pufa import workspace as ws

from .conftest import invoke, invoke_ok


@pytest.fixture
def day_one(today: None, tmp_path: Path) -> ws.Workspace:
    """A new workspace with one 法律七进 session (50 materials) held and one planned in 2026."""
    made = ws.init(tmp_path / "ws")
    common = ("-t", "南江", "--title", "进校园", "--venue", "学校")
    invoke_ok(made.root, "log", "seven-into", "-d", "2026-11-20", *common, "--materials", "50")
    invoke_ok(made.root, "log", "seven-into", "-d", "2026-12-10", *common, "--planned")
    return made


def summary_json(root: Path) -> dict[str, Any]:
    """`pufa summary --json` on today's date."""
    return dict(json.loads(invoke_ok(root, "summary", "--json").output))


def test_summary_without_targets_exits_0(day_one: ws.Workspace) -> None:
    """`pufa summary` for 2026 without targets-2026.toml does not fail."""
    assert invoke(day_one.root, "summary").exit_code == 0


def test_summary_without_targets_counts_what_was_done(day_one: ws.Workspace) -> None:
    """Each indicator still shows what was held and what is planned."""
    rows = {r["indicator"]: r for r in summary_json(day_one.root)["rows"]}
    assert (rows["seven-into-sessions"]["held"], rows["seven-into-sessions"]["planned"]) == (1, 1)


def test_summary_json_without_targets_has_null_targets(day_one: ws.Workspace) -> None:
    """Every row's target is null and its status no-target."""
    rows = summary_json(day_one.root)["rows"]
    assert {(r["target"], r["status"]) for r in rows} == {(None, "no-target")}


def test_summary_json_without_targets_says_how_to_start(day_one: ws.Workspace) -> None:
    """The hint names the command, the earlier targets file it drafts from and the file it makes."""
    out = summary_json(day_one.root)
    assert out["targets_file"] is None
    assert out["hint"] == (
        f"2026 年还没有目标文件:运行 pufa year start 2026,从 {day_one.root / 'targets-2024.toml'} "
        f"起草 {day_one.root / 'targets-2026.toml'}(每项目标标为“待核实”),按今年的文件逐项核实数字"
        "(格式见 docs/targets.md)。"
    )


def test_summary_table_without_targets_shows_a_dash(day_one: ws.Workspace) -> None:
    """The table shows 目标 "—", 无目标, and the hint below."""
    output = invoke_ok(day_one.root, "summary").output
    assert "无目标" in output
    assert "—" in output
    assert "提示:2026 年还没有目标文件" in output


def test_summary_csv_without_targets_shows_a_dash(day_one: ws.Workspace) -> None:
    """The CSV's 目标 column is "—" for every indicator."""
    raw = invoke_ok(day_one.root, "summary", "--csv").stdout_bytes
    rows = [line.split(",") for line in raw.decode("utf-8-sig").splitlines()[1:]]
    assert {row[3] for row in rows} == {"—"}


def test_report_without_targets_writes_what_was_done(day_one: ws.Workspace) -> None:
    """`pufa report` without targets writes each counted indicator with its unit, then the hint."""
    lines = invoke_ok(day_one.root, "report").output.splitlines()
    assert lines[0] == "法律七进集中宣传1场次;各类普法宣传资料50份。"
    assert lines[2].startswith("注意:2026 年还没有目标文件:运行 pufa year start 2026,从 ")


def test_without_any_earlier_targets_the_hint_says_create(today: None, tmp_path: Path) -> None:
    """With no earlier targets file anywhere, the hint says to create one by docs/targets.md."""
    made = ws.init(tmp_path / "ws")
    for name in ("targets-2023.toml", "targets-2024.toml"):
        (made.root / name).unlink(missing_ok=True)
    hint = summary_json(made.root)["hint"]
    assert isinstance(hint, str)
    assert hint.startswith("2026 年还没有目标文件:")


def test_a_new_county_with_the_empty_targets_template_shows_every_indicator(
    today: None, tmp_path: Path
) -> None:
    """Another county's first summary (the empty targets-2026.toml that init writes): every
    indicator with what was done, no target, and the hint to fill the template in."""
    made = ws.init(tmp_path / "xf", county="520122")
    invoke_ok(made.root, "log", "seven-into", "-d", "2026-11-20", "-t", "永靖镇", "--title",
              "法律进校园", "--venue", "学校", "-p", "100")  # fmt: skip
    out = summary_json(made.root)
    rows = {r["indicator"]: r for r in out["rows"]}
    assert rows["seven-into-sessions"]["held"] == 1
    assert {(r["target"], r["status"]) for r in out["rows"]} == {(None, "no-target")}
    assert out["hint"] == (
        f"{made.root / 'targets-2026.toml'} 里还没有目标:按本县今年的文件逐项写入 [[targets]]"
        "(格式见 docs/targets.md)。"
    )
