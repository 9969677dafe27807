"""Month locks (月度核对与锁定): the office locks a township's month; its records change only with
the office's reason, recorded in the history; locks are appended, never changed (both engines)."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pendulum
import pytest

from pufa import ledger, records
from pufa import workspace as ws
from pufa.cli import layout
from pufa.errors import InvalidInput
from pufa.event import Stamp
from pufa.intake import Entry, build
from pufa.locks import Lock, locked_problem
from pufa.model import County
from pufa.scheduling import Changes

from .conftest import invoke, invoke_ok, snapshot

OFFICE = "县普法办张三"
REFUSED = "该月已由县普法办核对锁定;如需修改,请联系县普法办,由其填写理由后修改"
#: what every refusal of a change to 禾丰乡's October 2026 names: place, month, who locked it
NAMED = ("禾丰布依族苗族乡", "2026年10月", OFFICE, "2026-11-29 10:00")


def log(root: Path, date: str, *extra: str) -> int:
    """Log a 法律七进 of 禾丰乡 on ``date``; its id."""
    result = invoke_ok(root, "log", "seven-into", "-d", date, "-t", "禾丰乡", "--title",
                       f"法律进校园 {date}", "--venue", "学校", "-p", "30", "--no-input",
                       "--json", *extra)  # fmt: skip
    return int(json.loads(result.output)["id"])


def lock(root: Path, month: str = "2026-10", *place: str) -> None:
    invoke_ok(root, "lock", "--month", month, *(place or ("-t", "禾丰乡")), "--by", OFFICE)


def refused(root: Path, *args: str) -> str:
    """``pufa ARGS`` fails, and nothing is written; its error text."""
    before = snapshot(ws.find(str(root)).location)
    result = invoke(root, *args)
    assert result.exit_code == 1, result.output
    assert snapshot(ws.find(str(root)).location) == before
    return result.stderr


@pytest.fixture
def root(workspace: ws.Workspace, today: None) -> Path:
    """A workspace (each engine) on 2026-11-29 with one October and one September record of
    禾丰乡 (#1, #2) and a planned October one (#3)."""
    log(workspace.root, "2026-10-05")
    log(workspace.root, "2026-09-20")
    log(workspace.root, "2026-10-20", "--planned")
    return workspace.root


def test_lock_and_unlock_are_appended(root: Path, workspace: ws.Workspace) -> None:
    """A lock then an unlock are two rows; the month's current state is the latest (unlocked)."""
    lock(root)
    invoke_ok(root, "unlock", "--month", "2026-10", "-t", "禾丰乡", "--reason", "乡镇补报漏登",
              "--by", OFFICE)  # fmt: skip
    with workspace.open() as store:
        history = store.lock_history(2026)
        current = store.month_locks(2026)
    assert [(h.locked, h.by, h.reason) for h in history] == [
        (True, OFFICE, ""), (False, OFFICE, "乡镇补报漏登"),
    ]  # fmt: skip
    assert [(c.month, c.locked) for c in current] == [(10, False)]


def test_month_locks_are_append_only(root: Path, workspace: ws.Workspace) -> None:
    """The store refuses to change a lock row behind pufa's back (a trigger, both engines)."""
    lock(root)
    with (
        workspace.open() as store,
        pytest.raises(Exception, match="append-only"),
        store.transaction(),
    ):
        store._execute("UPDATE month_locks SET locked = 0")  # type: ignore[attr-defined]


def test_locked_month_refuses_log(root: Path) -> None:
    """A new record in a locked month is refused, naming township, month, who and when."""
    lock(root)
    error = refused(root, "log", "seven-into", "-d", "2026-10-08", "-t", "禾丰乡", "--title",
                    "补登", "--venue", "学校", "-p", "30", "--no-input")  # fmt: skip
    assert all(word in error for word in NAMED)
    assert REFUSED in error
    assert "--locked-reason" in error


@pytest.mark.parametrize(
    "args",
    [
        ("edit", "1", "-p", "40", "-r", "人数有误"),
        ("void", "1", "-r", "重复登记"),
        ("done", "3", "-p", "50"),
        ("cancel", "3", "-r", "因雨取消"),
    ],
    ids=["edit", "void", "done", "cancel"],
)
def test_locked_month_refuses_changes(root: Path, args: tuple[str, ...]) -> None:
    """edit, void, done and cancel of a locked month's record are refused, nothing written."""
    lock(root)
    error = refused(root, *args)
    assert all(word in error for word in NAMED)
    assert REFUSED in error


def test_override_is_in_the_history(root: Path) -> None:
    """With --locked-reason the edit is made; its revision's reason starts with the prefix."""
    lock(root)
    invoke_ok(root, "edit", "1", "-p", "40", "-r", "人数有误", "--locked-reason", "乡镇补报更正")
    history = json.loads(invoke_ok(root, "history", "1", "--json").output)
    assert history[-1]["reason"] == "〔锁定月份修改〕乡镇补报更正;人数有误"


def test_override_needs_four_characters(root: Path) -> None:
    """A too-short office reason is refused, nothing written."""
    lock(root)
    error = refused(root, "void", "1", "-r", "重复登记", "--locked-reason", "改")
    assert "至少 4 个字" in error


def test_moving_a_record_into_a_locked_month_is_refused(root: Path) -> None:
    """Changing a September record's date into locked October is refused."""
    lock(root)
    error = refused(root, "edit", "2", "--date", "2026-10-02", "-r", "日期有误")
    assert "2026年10月" in error
    assert REFUSED in error


def test_moving_a_record_out_of_a_locked_month_is_refused(root: Path) -> None:
    """Changing a locked October record's date to November is refused too."""
    lock(root)
    assert REFUSED in refused(root, "edit", "1", "--date", "2026-11-02", "-r", "日期有误")


def test_other_months_and_townships_stay_open(root: Path) -> None:
    """Locking 禾丰乡's October leaves its September and other townships' October open."""
    lock(root)
    invoke_ok(root, "edit", "2", "-p", "45", "-r", "人数有误")
    invoke_ok(root, "log", "seven-into", "-d", "2026-10-08", "-t", "南江乡", "--title", "进校园",
              "--venue", "学校", "-p", "30", "--no-input")  # fmt: skip


def test_unlock_needs_a_reason(root: Path) -> None:
    """An unlock without a reason is refused, and the month stays locked."""
    lock(root)
    assert "解锁必须写明理由" in refused(root, "unlock", "--month", "2026-10", "-t", "禾丰乡")
    refused(root, "edit", "1", "-p", "40", "-r", "人数有误")


def test_unlocked_month_can_be_changed_again(root: Path) -> None:
    """After an unlock with a reason, the month's records change as before."""
    lock(root)
    invoke_ok(root, "unlock", "--month", "2026-10", "-t", "禾丰乡", "--reason", "乡镇补报漏登")
    invoke_ok(root, "edit", "1", "-p", "40", "-r", "人数有误")


def test_locking_a_locked_month_says_so(root: Path) -> None:
    """A second lock of the same month is refused, saying who locked it and when."""
    lock(root)
    error = refused(root, "lock", "--month", "2026-10", "-t", "禾丰乡")
    assert OFFICE in error
    assert "无需再次锁定" in error


def test_department_records_are_locked_by_the_county_row(root: Path) -> None:
    """县直部门 locks the departments' records of the month; a township's lock does not."""
    lock(root)
    dept = ("log", "seven-into", "-d", "2026-10-08", "--dept", "县司法局", "--title", "进机关",
            "--venue", "机关", "-p", "30", "--no-input")  # fmt: skip
    invoke_ok(root, *dept)
    lock(root, "2026-10", "-t", "县直部门")
    assert "县直部门 2026年10月" in refused(root, *dept)


def test_lock_all_locks_every_township_and_the_county(root: Path, county: County) -> None:
    """--all writes one lock per township and one for 县直部门."""
    lock(root, "2026-09", "--all")
    shown = json.loads(invoke_ok(root, "locks", "--json").output)
    assert len(shown["locks"]) == len(county.townships) + 1
    assert {"县直部门", "禾丰布依族苗族乡"} <= {entry["name"] for entry in shown["locks"]}


def test_the_current_year_is_the_default(root: Path) -> None:
    """`pufa locks` without --year shows 2026 (today is 2026-11-29), November locked."""
    lock(root, "2026-11")
    shown = json.loads(invoke_ok(root, "locks", "--json").output)
    assert shown["year"] == 2026
    assert [(e["month"], e["locked"], e["by"]) for e in shown["locks"]] == [(11, True, OFFICE)]


def test_a_bad_month_is_refused(root: Path) -> None:
    """--month 2026-13 is refused with the expected form."""
    assert "2026-10" in refused(root, "lock", "--month", "2026-13", "-t", "禾丰乡")


@pytest.mark.parametrize("width", [60, 80, 140])
def test_locks_fit_the_width_with_numbers_whole(
    root: Path, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`pufa locks` piped at 60/80/140 columns: lines fit, every month and time shown whole."""
    lock(root)
    lock(root, "2026-9", "-t", "南江乡")
    monkeypatch.setenv("COLUMNS", str(width))
    text = invoke_ok(root, "locks").output
    assert [line for line in text.splitlines() if layout.cells(line) > width] == []
    assert "\x1b" not in text
    assert "None" not in text
    for figure in ("2026-11-29", "10:00", "10月", "9月", "12"):
        assert figure in text
    assert re.search(r"月\s+1\s+2\s+3\s+4\s+5\s+6\s+7\s+8\s+9\s+10\s+11\s+12", text)


# -- the ledger and plans ---------------------------------------------------------------------


def sample_sheet(root: Path) -> Path:
    """`pufa ledger sample`'s workbook of the workspace (four 禾丰乡 rows of this year)."""
    sheet = root / "s.xlsx"
    invoke_ok(root, "ledger", "sample", "-o", str(sheet))
    return sheet


def test_ledger_row_in_a_locked_month_is_rejected_at_its_row(
    root: Path, workspace: ws.Workspace
) -> None:
    """A sample ledger row of a locked month is rejected at its sheet and row, the rest kept."""
    sheet = sample_sheet(root)
    county = workspace.county()
    with workspace.open() as store:
        first = ledger.preview(county, store, sheet)
    row = first.adds[0]
    lock(root, row.date[:7], "-t", "禾丰乡")
    with workspace.open() as store:
        again = ledger.preview(county, store, sheet)
    rejected = [r for r in again.rejected if (r.sheet, r.row) == (row.sheet, row.row)]
    assert rejected
    assert REFUSED in rejected[0].problems[0]
    assert f"{row.sheet} 第{row.row}行" in rejected[0].problems[0]
    assert len(again.adds) == len(first.adds) - sum(a.date[:7] == row.date[:7] for a in first.adds)


def test_ledger_import_refuses_a_month_locked_since_the_check(
    root: Path, workspace: ws.Workspace
) -> None:
    """A month locked between check and apply refuses the whole import; nothing is written."""
    sheet = sample_sheet(root)
    county = workspace.county()
    with workspace.open() as store:
        planned = ledger.check(store, county, ledger.read(sheet))
        month = planned.add[0][1].span.first_day.format("YYYY-MM")
        lock(root, month, "-t", "禾丰乡")
        before = store.counts()
        with pytest.raises(InvalidInput, match="已由县普法办核对锁定"):
            ledger.apply(store, planned, ws.stamp("导入员"), "导入", county=county)
        assert store.counts() == before


def test_preview_of_a_sample_ledger(root: Path, workspace: ws.Workspace) -> None:
    """The preview lists the sample's rows as adds, writes nothing, then unchanged once imported."""
    sheet = sample_sheet(root)
    county = workspace.county()
    before = snapshot(workspace.location)
    with workspace.open() as store:
        first = ledger.preview(county, store, sheet)
    assert snapshot(workspace.location) == before
    assert (len(first.adds), first.edits, first.rejected, first.ok) == (4, (), (), True)
    assert all(a.place == "禾丰布依族苗族乡" and a.date.startswith("2026") for a in first.adds)
    invoke_ok(root, "ledger", "import", str(sheet))
    with workspace.open() as store:
        second = ledger.preview(county, store, sheet)
    assert (second.adds, second.unchanged) == ((), 4)


def test_a_plan_cancel_in_a_locked_month_is_refused(root: Path, workspace: ws.Workspace) -> None:
    """apply_plan refuses (whole) to cancel a planned record of a locked month; with the office's
    reason it is done, the reason prefixed."""
    lock(root)
    county = workspace.county()
    stamp = Stamp(pendulum.now("UTC"), "计划")
    with workspace.open() as store:
        planned = store.get(3)
        changes = Changes(add=(), move=(), cancel=(planned,), kept=())
        with pytest.raises(InvalidInput, match="2026年10月"):
            records.apply_plan(store, county, changes, stamp, "按计划调整")
        records.apply_plan(store, county, changes, stamp, "按计划调整", override="县里统一调整")
        assert store.history(3)[-1].reason == "〔锁定月份修改〕县里统一调整;按计划调整"


# -- the rule itself -------------------------------------------------------------------------


def test_a_record_belongs_to_its_local_first_day(county: County) -> None:
    """A record starting 2026-11-01 00:30 (county time) is November's, not October's."""
    event = build(county, Entry("seven-into", {
        "date": "2026-11-01 00:30", "end": "01:30", "township": "禾丰乡", "title": "夜校",
        "venue": "学校", "participants": "20",
    }))  # fmt: skip
    code = event.township or ""
    at = pendulum.datetime(2026, 11, 2, tz="UTC")
    october = Lock(code, 2026, 10, True, OFFICE, at)
    november = Lock(code, 2026, 11, True, OFFICE, at)
    assert locked_problem(county, [october], None, event) is None
    assert locked_problem(county, [november], None, event) is not None


def test_a_lock_waits_for_a_write_that_checked_the_month(
    root: Path, workspace: ws.Workspace
) -> None:
    """A lock cannot land between a write's check and its commit: it waits for the write."""
    done = threading.Event()
    at = pendulum.datetime(2026, 11, 29, tz="UTC")

    def lock_meanwhile() -> None:
        with workspace.open() as other:
            other.lock_month(Lock("520121206", 2026, 10, True, OFFICE, at))
        done.set()

    with workspace.open() as store, store.transaction():
        assert store.is_locked("520121206", 2026, 10) is None
        worker = threading.Thread(target=lock_meanwhile)
        worker.start()
        assert not done.wait(0.5)  # still waiting for this transaction
    worker.join(10)
    assert done.is_set()


def test_plan_apply_into_a_locked_month_needs_the_offices_reason(workspace: ws.Workspace) -> None:
    """plan-2024 adds 禾丰乡 records in April: with April locked, `plan apply` writes nothing and
    names --locked-reason; with it, the plan is applied and the reason is in the history."""
    root = workspace.root
    lock(root, "2024-04")
    plan = str(root / "plan-2024.toml")
    before = snapshot(workspace.location)
    result = invoke(root, "plan", "apply", plan, "--include-past")
    assert (result.exit_code, "2024年4月" in result.stderr, "--locked-reason" in result.stderr) == (
        1,
        True,
        True,
    )
    assert snapshot(workspace.location) == before
    invoke_ok(root, "plan", "apply", plan, "--include-past", "--locked-reason", "县里统一安排")
    history = invoke_ok(root, "list", "--json", "--township", "禾丰乡", "--from", "2024-04-01",
                        "--to", "2024-04-30").output  # fmt: skip
    first = json.loads(history)[0]["id"]
    revisions = json.loads(invoke_ok(root, "history", str(first), "--json").output)
    assert "〔锁定月份修改〕县里统一安排" in json.dumps(revisions, ensure_ascii=False)


def test_ledger_import_with_the_offices_reason_writes_locked_rows_marked(
    root: Path, workspace: ws.Workspace
) -> None:
    """`ledger import --locked-reason` writes every row; only those of the locked month carry
    〔锁定月份修改〕 and the reason in their history."""
    sheet = sample_sheet(root)
    with workspace.open() as store:
        month = ledger.preview(workspace.county(), store, sheet).adds[0].date[:7]
    lock(root, month, "-t", "禾丰乡")
    assert "由其填写理由后修改" in refused(root, "ledger", "import", str(sheet))
    invoke_ok(root, "ledger", "import", str(sheet), "--locked-reason", "乡镇补报漏登")
    with workspace.open() as store:
        imported = [e for e in store.by_source("ledger:") if e.source]
        reasons = {
            e.span.first_day.format("YYYY-MM"): store.history(e.id or 0)[0].reason for e in imported
        }
    assert len(imported) == 4
    assert {m: r.startswith("〔锁定月份修改〕乡镇补报漏登") for m, r in reasons.items()} == {
        m: m == month for m in reasons
    }
