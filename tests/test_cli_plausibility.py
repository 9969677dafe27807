"""Plausibility on the command line: `pufa log`/`edit` refuse a held activity after today and the
same record twice; `ledger import` rejects a future held row; `plan apply` asks before writing
plan records into days already past. Today is conftest's NOW, 2024-03-06."""

from __future__ import annotations

import json

import pytest

from pufa import workspace as ws

from .conftest import DATA, invoke, invoke_ok, snapshot

LECTURE = ["log", "lecture", "-t", "禾丰乡", "--title", "民法典讲座", "-p", "96"]
PLAN = "plan-2024.toml"


def test_log_refuses_a_held_activity_after_today(workspace: ws.Workspace) -> None:
    """已开展 on 2024-03-07 when today is 2024-03-06: one Chinese line naming both, nothing written."""
    before = snapshot(workspace.location)
    result = invoke(workspace.root, *LECTURE, "-d", "2024-03-07")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:日期 (--date) = “2024-03-07”: 已开展的活动不能晚于今天(2024-03-06)"
        " — 尚未开展的请登记为计划(--planned)\n"
    )
    assert snapshot(workspace.location) == before


def test_log_accepts_a_planned_activity_after_today(workspace: ws.Workspace) -> None:
    """The same activity logged with --planned is stored as a plan."""
    result = invoke(workspace.root, *LECTURE, "-d", "2024-03-07", "--planned")
    assert result.stdout.startswith("已登记 #1  ")


def test_log_refuses_the_same_record_twice(workspace: ws.Workspace) -> None:
    """Same kind, day, township and title as #1: refused naming #1 and --allow-duplicate."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-05")
    before = snapshot(workspace.location)
    result = invoke(workspace.root, *LECTURE, "-d", "2024-03-05", "-p", "40")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:标题 (--title) = “民法典讲座”: 与记录 #1 重复(同类型、同一天、同一地点、同标题)"
        " — 确是另一场活动时请改标题,或加 --allow-duplicate 照样登记\n"
    )
    assert snapshot(workspace.location) == before


def test_log_allow_duplicate_keeps_the_second_record(workspace: ws.Workspace) -> None:
    """--allow-duplicate stores the second session as #2."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-05")
    result = invoke(workspace.root, *LECTURE, "-d", "2024-03-05", "--allow-duplicate")
    assert result.stdout.startswith("已登记 #2  ")


def test_a_voided_record_is_no_duplicate(workspace: ws.Workspace) -> None:
    """Once #1 is voided, the same record can be logged again without the option."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-05")
    invoke_ok(workspace.root, "void", "1", "--reason", "录错")
    assert invoke(workspace.root, *LECTURE, "-d", "2024-03-05").exit_code == 0


def test_edit_refuses_moving_a_held_record_after_today(workspace: ws.Workspace) -> None:
    """Moving held #1 to 2024-03-08: refused like log, the record unchanged."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-05")
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "edit", "1", "-d", "2024-03-08", "--reason", "改期")
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:日期 (--date) = “2024-03-08”: 已开展的活动不能晚于今天(2024-03-06)"
        " — 尚未开展的请登记为计划(--planned)\n"
    )
    assert snapshot(workspace.location) == before


def test_edit_refuses_marking_a_future_plan_held(workspace: ws.Workspace) -> None:
    """A plan for 2024-03-20 cannot be set to 已开展 on 2024-03-06."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-20", "--planned")
    result = invoke(workspace.root, "edit", "1", "--status", "held", "--reason", "已办")
    assert result.exit_code == 1
    assert "“2024-03-20”: 已开展的活动不能晚于今天(2024-03-06)" in result.stderr


def test_done_refuses_a_plan_dated_after_today(workspace: ws.Workspace) -> None:
    """`pufa done` on a plan for 2024-03-20 when today is 2024-03-06 is refused; it stays planned."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-20", "--planned")
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "done", "1", "-p", "80")
    assert result.exit_code == 1
    assert "“2024-03-20”: 已开展的活动不能晚于今天(2024-03-06)" in result.stderr
    assert snapshot(workspace.location) == before


def test_done_with_an_earlier_date_records_when_it_was_held(workspace: ws.Workspace) -> None:
    """A plan for 2024-03-20 held early, on 2024-03-05: `done --date 2024-03-05` is accepted."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-20", "--planned")
    result = invoke(workspace.root, "done", "1", "-d", "2024-03-05", "-p", "80")
    assert result.stdout.startswith("已开展 "), result.output


def test_edit_of_a_held_record_within_the_past_is_kept(workspace: ws.Workspace) -> None:
    """Moving held #1 to an earlier day is an ordinary edit."""
    invoke_ok(workspace.root, *LECTURE, "-d", "2024-03-05")
    result = invoke(workspace.root, "edit", "1", "-d", "2024-03-04", "--reason", "日期录错")
    assert result.stdout.startswith("已修改(第 2 版)")


def test_ledger_import_rejects_a_future_held_row_with_its_place(workspace: ws.Workspace) -> None:
    """A held row dated after today is named by sheet, row and column; nothing is imported."""
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "ledger", "import", str(DATA / "ledger" / "ledger-hefeng.xlsx"))
    assert result.exit_code == 1
    assert (
        "错误:法律七进 第5行 A列(日期) = “2024/3/12”: 已开展的活动不能晚于今天(2024-03-06)"
        " — 尚未开展的请登记为计划(--planned)\n"
    ) in result.stderr
    assert snapshot(workspace.location) == before


@pytest.mark.usefixtures("late_2024")
def test_ledger_import_of_past_rows_is_unchanged(workspace: ws.Workspace) -> None:
    """On 2024-12-31 the same ledger imports cleanly."""
    result = invoke(workspace.root, "ledger", "import", str(DATA / "ledger" / "ledger-hefeng.xlsx"))
    assert result.exit_code == 0, result.output


def test_plan_apply_refuses_items_before_today(workspace: ws.Workspace) -> None:
    """plan-2024 has 9 items before 2024-03-06: their count and range, exit 1, nothing written."""
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "plan", "apply", str(workspace.root / PLAN))
    assert result.exit_code == 1
    assert result.stderr == (
        "错误:计划文件 = “plan-2024.toml”: 有 9 项排在今天(2024-03-06)以前"
        "(2024-02-19 至 2024-03-05),未写入任何记录"
        " — 确要补登这些日子的计划请加 --include-past;或先改计划的窗口\n"
    )
    assert snapshot(workspace.location) == before


def test_plan_apply_include_past_writes_them(workspace: ws.Workspace) -> None:
    """With --include-past all 316 records are written, and the output says 9 were before today."""
    result = invoke(workspace.root, "plan", "apply", str(workspace.root / PLAN), "--include-past")
    assert result.exit_code == 0, result.output
    assert "已新增 316 项" in result.stdout
    assert (
        "其中 9 项排在今天(2024-03-06)以前(2024-02-19 至 2024-03-05),已照样写入(--include-past)。"
        in result.stdout
    )


def test_plan_apply_dry_run_counts_the_past_items(workspace: ws.Workspace) -> None:
    """--dry-run says how many items fall before today and that applying needs --include-past."""
    result = invoke(workspace.root, "plan", "apply", str(workspace.root / PLAN), "--dry-run")
    assert result.exit_code == 0, result.output
    assert (
        "其中 9 项排在今天(2024-03-06)以前(2024-02-19 至 2024-03-05),写入时须加 --include-past。"
        in result.stdout
    )


def test_plan_apply_before_the_year_needs_no_option(
    workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Applied on 2024-01-02, before every item, the plan is written without --include-past."""
    monkeypatch.setenv("PUFA_NOW", "2024-01-02T09:00:00+08:00")
    result = invoke(workspace.root, "plan", "apply", str(workspace.root / PLAN))
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke_ok(workspace.root, "list", "--json", "--year", "2024").stdout)
    assert len(listed) == 316
