"""pufa.scheduling and pufa.plans: plans scheduled onto working days, applied, re-applied, lived."""

from __future__ import annotations

import collections
import json
from pathlib import Path

import pytest
from click.testing import Result

from pufa import plans
from pufa import workspace as ws
from pufa.days import planned_years, working_days
from pufa.errors import InvalidInput
from pufa.event import Event
from pufa.load import load_calendar, load_plan
from pufa.model import County
from pufa.scheduling import schedule
from pufa.store import Query

from .conftest import ROOT, invoke, invoke_ok, snapshot

PLAN = ROOT / "campaigns" / "kaiyang" / "plan-2024.toml"


@pytest.fixture(scope="module")
def placed(county: County):  # type: ignore[no-untyped-def]
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    plan = load_plan(PLAN, county, nodes)
    return plan, schedule(plan, nodes, working_days(2024))


def test_every_activity_is_placed_on_a_working_day_in_its_window(placed) -> None:  # type: ignore[no-untyped-def]
    """All 316 activities fit; unpinned ones are on working days within their windows."""
    _plan, result = placed
    assert result.unplaced == ()
    counts = collections.Counter(s.item.key for s in result.slots)
    assert counts["seven-into"] == 113
    assert counts["constitution-week"] == 54
    days = working_days(2024)
    for slot in result.slots:
        if not slot.item.pinned:
            assert slot.day in days, slot
        if slot.item.window:
            assert slot.item.window[0] <= slot.day <= slot.item.window[1]


def test_pinned_nodes_keep_their_day(placed) -> None:  # type: ignore[no-untyped-def]
    """12·4, 4·15 and 6·26 stay on their own day (pinned), whatever the weekday."""
    _plan, result = placed
    pinned = {s.item.key: s.day.isoformat() for s in result.slots if s.item.pinned}
    assert pinned == {
        "national-security-day": "2024-04-15",
        "anti-drug-day": "2024-06-26",
        "constitution-day": "2024-12-04",
    }


def test_capacity_one_per_township_per_day(placed) -> None:  # type: ignore[no-untyped-def]
    """No township has two activities on one day (capacity = 1)."""
    _, result = placed
    per_day = collections.Counter((s.township or s.dept, s.day) for s in result.slots)
    assert max(per_day.values()) == 1


def test_spread_evenly_and_deterministic(placed, county: County) -> None:  # type: ignore[no-untyped-def]
    """法律七进 sessions fall in every month of the window (the full months within 2 of each other);
    the same plan gives the same schedule."""
    plan, result = placed
    months = collections.Counter(s.day.month for s in result.slots if s.item.key == "seven-into")
    assert set(months) == set(range(2, 12))  # the window starts on 19 February
    full = [months[m] for m in range(3, 12)]
    assert max(full) - min(full) <= 2
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    assert schedule(plan, nodes, working_days(2024)) == result


def test_what_does_not_fit_is_explained(tmp_path: Path, county: County) -> None:
    """Three per township in a one-day window with capacity 1: two of each cannot be placed."""
    path = tmp_path / "plan.toml"
    path.write_text(
        'year = 2024\n[[items]]\nkey = "x"\nkind = "lecture"\ntitle = "t"\nper_township = 3\n'
        'townships = ["禾丰乡"]\nwindow = ["2024-03-11", "2024-03-11"]\n',
        encoding="utf-8",
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    result = schedule(load_plan(path, county, nodes), nodes, working_days(2024))
    assert len(result.slots) == 1
    assert [str(p) for p in result.unplaced] == [
        "items.x = “520121206”: 2024-03-11~2024-03-11 内每天不超过 1 项的空档 — 放宽窗口或提高 capacity"
    ] * 2


def test_a_broken_plan_reports_every_problem(tmp_path: Path, county: County) -> None:
    """Unknown kind, township, node and a window outside the year: all at once, with lines."""
    path = tmp_path / "plan.toml"
    path.write_text(
        'year = 2024\n[[items]]\nkey = "a"\nkind = "seven-ito"\ntitle = "t"\ncount = 1\n'
        'townships = ["禾风乡"]\nnode = "constitution-wek"\n'
        '[[items]]\nkey = "b"\nkind = "lecture"\ntitle = "t"\ncount = 1\ndept = "县司法局"\n'
        'window = ["2024-03-01", "2025-01-31"]\n',
        encoding="utf-8",
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    with pytest.raises(InvalidInput) as caught:
        load_plan(path, county, nodes)
    text = str(caught.value)
    assert f"{path}:4: items[1].kind = “seven-ito”: 应为活动类型之一:" in text
    assert f"{path}:7: items[1].townships = “禾风乡”: 应为开阳县的乡(镇、街道)之一:" in text
    assert "是否指 禾丰乡?" in text
    assert f"{path}:8: items[1].node = “constitution-wek”: 应为 calendar.toml 中的节点之一:" in text
    assert "是否指 constitution-week?" in text
    assert (
        f"{path}:15: items[2].window = ['2024-03-01', '2025-01-31']: 应为 2024 年内、先起后止的两个日期"
        in text
    )


@pytest.fixture
def applied(workspace: ws.Workspace) -> Result:
    """The workspace's 2024 plan applied once; the command's result."""
    return invoke(
        workspace.root, "plan", "apply", str(workspace.root / "plan-2024.toml"), "--include-past"
    )


@pytest.fixture
def edited(workspace: ws.Workspace, applied: Result) -> Path:
    """After applying: #1 held, #2 cancelled, then the plan edited (113 → 110 sessions of 法律七进,
    the window starting on 1 March instead of 19 February); the plan's path."""
    path = workspace.root / "plan-2024.toml"
    invoke_ok(workspace.root, "done", "1", "--participants", "200", "--materials", "300")
    invoke_ok(workspace.root, "cancel", "2", "--reason", "改期")
    text = path.read_text(encoding="utf-8").replace("count = 113", "count = 110")
    path.write_text(
        text.replace(
            'window = ["2024-02-19", "2024-11-29"]', 'window = ["2024-03-01", "2024-11-29"]'
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def reapplied(workspace: ws.Workspace, edited: Path) -> list[Event]:
    """The edited plan applied again; every 2024 record, voided ones included."""
    invoke(workspace.root, "plan", "apply", str(edited), "--include-past")
    with workspace.open() as store:
        return store.events(Query(year=2024, include_voided=True))


def planned_seven(events: list[Event]) -> list[Event]:
    """The planned records that came from the plan's 法律七进 item."""
    return [
        e for e in events if e.source and ":seven-into:" in e.source and e.status.slug == "planned"
    ]


def test_apply_adds_a_planned_record_per_activity(applied: Result) -> None:
    """Applying the plan adds its 316 activities as planned records — on either engine."""
    assert applied.exit_code == 0, applied.output
    assert "已新增 316 项、挪动 0 项、取消 0 项" in applied.output


def test_reapplying_an_unchanged_plan_changes_nothing(
    workspace: ws.Workspace, applied: Result
) -> None:
    """Applying the same plan again adds, moves and cancels nothing; the store is unchanged."""
    before = snapshot(workspace.location)
    again = invoke(
        workspace.root, "plan", "apply", str(workspace.root / "plan-2024.toml"), "--include-past"
    )
    assert "已新增 0 项、挪动 0 项、取消 0 项" in again.output
    assert snapshot(workspace.location) == before


def test_done_holds_an_applied_record(workspace: ws.Workspace, applied: Result) -> None:
    """`done` on a record the plan added shows it held (已开展)."""
    held = invoke(workspace.root, "done", "1", "--participants", "200", "--materials", "300")
    assert held.output.startswith("已开展 #1  法律七进集中宣传  [已开展]")


def test_cancel_cancels_an_applied_record(workspace: ws.Workspace, applied: Result) -> None:
    """`cancel` on a record the plan added succeeds."""
    assert invoke(workspace.root, "cancel", "2", "--reason", "改期").exit_code == 0


def test_a_dry_run_of_an_edited_plan_counts_the_changes(
    workspace: ws.Workspace, edited: Path
) -> None:
    """--dry-run on the edited plan: nothing to add, the 3 dropped sessions to cancel."""
    dry = invoke(workspace.root, "plan", "apply", str(edited), "--dry-run")
    assert "将新增 0 项" in dry.output
    assert "取消 3 项" in dry.output


def test_reapplying_an_edited_plan_neither_adds_nor_deletes(reapplied: list[Event]) -> None:
    """After the edit and re-apply there are still 316 records, each from its own plan source."""
    assert len(reapplied) == 316  # nothing added, nothing deleted
    assert len({e.source for e in reapplied}) == 316


def test_reapplying_leaves_held_and_cancelled_records_alone(reapplied: list[Event]) -> None:
    """The held record keeps its status and day; the cancelled one stays cancelled."""
    by_id = {e.id: e for e in reapplied}
    assert by_id[1].status.slug == "held"
    assert by_id[1].span.first_day.isoformat() == "2024-02-19"  # held: never moved
    assert by_id[2].status.slug == "cancelled"


def test_reapplying_moves_planned_records_into_the_new_window(reapplied: list[Event]) -> None:
    """Every planned 法律七进 record now falls on or after the window's new first day."""
    assert all(e.span.first_day.isoformat() >= "2024-03-01" for e in planned_seven(reapplied))


def test_reapplying_cancels_what_the_plan_dropped(reapplied: list[Event]) -> None:
    """The 3 sessions the edit dropped are cancelled, besides #2 cancelled by hand."""
    assert sum(1 for e in reapplied if e.status.slug == "cancelled") == 4  # #2 and the 3 dropped


def test_a_moved_record_names_the_plan_in_its_history(
    workspace: ws.Workspace, reapplied: list[Event]
) -> None:
    """A record the re-apply moved (same id, a new revision) gives the plan as the reason."""
    moved = next(e for e in planned_seven(reapplied) if e.revision > 1)
    with workspace.open() as store:
        assert [r.reason for r in store.history(moved.id or 0)][-1] == "按计划 plan-2024.toml 安排"


def test_plan_show_lists_the_applied_items(workspace: ws.Workspace, reapplied: list[Event]) -> None:
    """`plan show` lists the items of the applied plan."""
    shown = invoke(workspace.root, "plan", "show", "--year", "2024")
    assert "seven-into" in shown.output


@pytest.fixture
def logged(workspace: ws.Workspace) -> ws.Workspace:
    """#1 a lecture logged as held, #2 a 法律明白人 training logged as planned."""
    invoke(workspace.root, "log", "lecture", "-d", "2024-03-05", "-t", "禾丰乡", "--title", "t")
    planned = invoke(
        workspace.root,
        "log",
        "literate-training",
        "-d",
        "2024-03-05",
        "-t",
        "毛云",
        "--title",
        "t",
        "--planned",
    )
    assert planned.exit_code == 0
    return workspace


def test_done_refuses_a_held_record(logged: ws.Workspace) -> None:
    """`done` on a record that is already held is refused, and nothing is written."""
    before = snapshot(logged.location)
    refused = invoke(logged.root, "done", "1", "--participants", "3")
    assert refused.exit_code == 1
    assert refused.stderr == "错误:记录 #1 的状态是“已开展”,只有计划中的活动才能登记为已开展。\n"
    assert snapshot(logged.location) == before


def test_cancel_refuses_a_held_record(logged: ws.Workspace) -> None:
    """`cancel` on a held record is refused, and nothing is written."""
    before = snapshot(logged.location)
    refused = invoke(logged.root, "cancel", "1", "--reason", "x")
    assert refused.stderr == "错误:记录 #1 的状态是“已开展”,只有计划中的活动才能取消。\n"
    assert snapshot(logged.location) == before


def test_done_requires_the_measures_of_its_kind(logged: ws.Workspace, late_2024: None) -> None:
    """`done` on a planned training without its trainees count is refused, naming the option."""
    missing = invoke(logged.root, "done", "2")
    assert missing.exit_code == 1
    assert (
        missing.stderr
        == "错误:参训人次 (--trainees) = (空): 已开展的法律明白人培训必须填写(人次)\n"
    )


def test_done_with_its_measures_holds_a_planned_record(
    logged: ws.Workspace, late_2024: None
) -> None:
    """`done` on a planned training (June) with its trainees count, at the year's end, marks it held."""
    assert (
        json.loads(invoke(logged.root, "done", "2", "--trainees", "40", "--json").output)["status"]
        == "held"
    )


def test_check_prints_the_schedule_without_writing(
    workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plan check shows each item's count and first/last day, and writes nothing."""
    monkeypatch.setenv("COLUMNS", "140")
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "plan", "check", str(workspace.root / "plan-2024.toml"))
    assert result.exit_code == 0, result.output
    assert "共 316 项" in result.output
    assert "宪法宣传周 2024-12-01~2024-12-07" in result.output
    assert snapshot(workspace.location) == before
    with workspace.open() as store:
        plan = workspace.root / "plan-2024.toml"
        prepared = plans.prepare(workspace.county(), store, plan, plans.calendar_path(workspace))
    assert len(prepared.changes.add) == 316


def test_a_control_character_in_a_plan_is_refused(tmp_path: Path, county: County) -> None:
    """A plan title with ESC is refused with the file, the line and the escaped character."""
    path = tmp_path / "plan.toml"
    path.write_text(
        'year = 2024\n[[items]]\nkey = "x"\nkind = "lecture"\ntitle = "讲座\\u001b[31m"\n'
        'count = 1\ndept = "县司法局"\nwindow = ["2024-03-11", "2024-03-12"]\n',
        encoding="utf-8",
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    with pytest.raises(InvalidInput) as caught:
        load_plan(path, county, nodes)
    assert str(caught.value) == (
        f"{path}:5: items[1].title = “讲座\\x1b[31m”: 不能含控制字符 \\x1b"
    )


@pytest.mark.parametrize("year", [2000, 2099])
def test_a_plan_year_without_holiday_data_is_refused(
    tmp_path: Path, county: County, year: int
) -> None:
    """A plan for a year the holidays package has no 调休 data for is refused, naming the range."""
    path = tmp_path / "plan.toml"
    path.write_text(
        f'year = {year}\n[[items]]\nkey = "x"\nkind = "lecture"\ntitle = "讲座"\n'
        f'count = 1\ndept = "县司法局"\nwindow = ["{year}-03-11", "{year}-03-12"]\n',
        encoding="utf-8",
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    with pytest.raises(InvalidInput) as caught:
        load_plan(path, county, nodes)
    years = planned_years()  # 2001–2026 with holidays 0.109
    assert f"{path}:1: year = {year}: 应为 {years[0]}–{years[-1]} 年之一" in str(caught.value)


def _one_item_plan(tmp_path: Path, year: int, lines: str) -> Path:
    """A plan file with one item for the county's 县司法局 (``lines`` adds window, node, days …)."""
    path = tmp_path / f"plan-{year}.toml"
    path.write_text(
        f'year = {year}\n[[items]]\nkey = "x"\nkind = "lecture"\ntitle = "法治讲座"\n'
        f'dept = "县司法局"\n{lines}',
        encoding="utf-8",
    )
    return path


def test_market_days_place_on_the_named_weekdays_outside_holidays(
    tmp_path: Path, county: County
) -> None:
    """days = ["周三", "周六"] (赶集日) over October 2024: only Wednesdays and Saturdays, none in 国庆."""
    path = _one_item_plan(
        tmp_path,
        2024,
        'count = 6\nwindow = ["2024-10-01", "2024-10-31"]\ndays = ["周三", "周六"]\n',
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    result = schedule(load_plan(path, county, nodes), nodes, working_days(2024))
    days = sorted(s.day.isoformat() for s in result.slots)
    assert days == [
        "2024-10-09", "2024-10-12", "2024-10-16", "2024-10-23", "2024-10-26", "2024-10-30",
    ]  # fmt: skip


def test_any_day_places_on_holidays_and_weekends(tmp_path: Path, county: County) -> None:
    """days = "any" over 国庆 2024 (no working day at all): all seven days can be used."""
    path = _one_item_plan(
        tmp_path, 2024, 'count = 7\nwindow = ["2024-10-01", "2024-10-07"]\ndays = "any"\n'
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    result = schedule(load_plan(path, county, nodes), nodes, working_days(2024))
    assert sorted(s.day.day for s in result.slots) == list(range(1, 8))


def test_a_bad_days_value_is_refused_with_the_closest_choice(
    tmp_path: Path, county: County
) -> None:
    """days = "anny" and a 週六 in the list: each refused on its line, with the closest choice."""
    path = _one_item_plan(
        tmp_path, 2024, 'count = 1\nwindow = ["2024-10-01", "2024-10-31"]\ndays = "anny"\n'
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    with pytest.raises(InvalidInput) as caught:
        load_plan(path, county, nodes)
    assert str(caught.value) == (
        f'{path}:9: items[1].days = “anny”: 应为 "any"(每一天,含节假日)或星期几的列表,'
        '如 ["周三", "周六"](赶集日) — 是否指 any?'
    )


def test_a_misspelt_weekday_in_days_is_refused_with_the_closest_choice(
    tmp_path: Path, county: County
) -> None:
    """A 週六 among the market days is refused, naming the weekdays and suggesting 周六."""
    path = _one_item_plan(
        tmp_path,
        2024,
        'count = 1\nwindow = ["2024-10-01", "2024-10-31"]\ndays = ["周三", "週六"]\n',
    )
    nodes = load_calendar(ROOT / "campaigns" / "calendar.toml")
    with pytest.raises(InvalidInput) as caught:
        load_plan(path, county, nodes)
    assert str(caught.value) == (
        f"{path}:9: items[1].days = “週六”: 应为星期几之一:周一、周二、周三、周四、周五、周六、周日"
        " — 是否指 周六?"
    )


def test_check_names_an_assumed_constitution_week(workspace: ws.Workspace) -> None:
    """A 2026 plan on 宪法宣传周 (its dates not in the calendar): plan check says they are assumed."""
    path = _one_item_plan(workspace.root, 2026, 'count = 3\nnode = "constitution-week"\n')
    result = invoke_ok(workspace.root, "plan", "check", str(path))
    assert (
        "注意:宪法宣传周 2026 年的日期未写入日历,按惯例假定为 2026-12-01~2026-12-07;"
        in result.output.replace("\n", "")
    )


def test_check_is_silent_for_an_announced_constitution_week(workspace: ws.Workspace) -> None:
    """The 2024 plan's 宪法宣传周 was announced: no assumed-dates notice."""
    result = invoke_ok(workspace.root, "plan", "check", str(workspace.root / "plan-2024.toml"))
    assert "按惯例假定" not in result.output
