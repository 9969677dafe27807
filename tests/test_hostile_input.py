"""Issue 10's probes of hostile input (points 6, 7, 8, 11, 14): refused at every entrance, and
older data that holds such values never breaks a command that meets it (both engines)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pufa import workspace as ws

from . import pgserver
from .conftest import invoke, snapshot
from .engines import execute

#: the same lecture, logged as often as a test needs rows (not a duplicate check)
LOG = ["log", "lecture", "--allow-duplicate", "-t", "禾丰乡", "--title", "民法典讲座", "-p", "96"]
ESC_TITLE = "\x1b]0;pwned\x07\x1b[31m红字标题"


def logged(root: Path, *extra: str) -> Any:
    return invoke(root, *LOG, "-d", "2024-03-05", *extra)


def raw_update(workspace: ws.Workspace, sql: str, params: tuple[Any, ...] = ()) -> None:
    """Write older (or hand-made) data straight into the store, as no pufa command would."""
    execute(workspace.location, sql, params)


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("date", ["1900-01-01", "9999-12-31", "1948-12-31", "2101-01-01"])
def test_a_date_outside_the_range_is_refused(sqlite_workspace: ws.Workspace, date: str) -> None:
    """A date outside 1949-01-01..2100-12-31 is refused with the field, the value and the range."""
    result = invoke(sqlite_workspace.root, *LOG, "-d", date)
    assert result.exit_code == 1
    assert f"日期 (--date) = “{date}”: 应在 1949-01-01 至 2100-12-31 之间" in result.output


def test_year_zero_is_refused_without_a_traceback(sqlite_workspace: ws.Workspace) -> None:
    """0000-01-01 (no such year) is one line, not a traceback."""
    result = invoke(sqlite_workspace.root, *LOG, "-d", "0000-01-01")
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "应在 1949-01-01 至 2100-12-31 之间" in result.output


def test_a_timed_date_before_1901_is_refused(workspace: ws.Workspace) -> None:
    """1900-01-01 09:00 (which got Shanghai's LMT offset) is refused and nothing is stored."""
    before = snapshot(workspace.location)
    result = invoke(workspace.root, *LOG, "-d", "1900-01-01 09:00")
    assert result.exit_code == 1
    assert "日期 (--date) = “1900-01-01 09:00”: 应在 1949-01-01 至 2100-12-31 之间" in result.output
    assert snapshot(workspace.location) == before


def test_an_end_outside_the_range_is_refused(sqlite_workspace: ws.Workspace) -> None:
    """The end of a span is held to the same range as its start."""
    result = logged(sqlite_workspace.root, "--end", "9999-12-31")
    assert result.exit_code == 1
    assert "结束 (--end) = “9999-12-31”: 应在 1949-01-01 至 2100-12-31 之间" in result.output


# -- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", ["9223372036854775807", str(10**30), "10000001"])
def test_a_count_over_the_bound_is_refused(workspace: ws.Workspace, count: str) -> None:
    """Counts over 10,000,000 are refused (field, value, bound) on both engines; no overflow."""
    before = snapshot(workspace.location)
    result = invoke(workspace.root, *LOG[:-2], "-p", count, "-d", "2024-03-05")
    assert result.exit_code == 1
    assert f"参与人次 (--participants) = “{count}”: 应为不超过 10,000,000 的整数" in result.output
    assert snapshot(workspace.location) == before


def test_a_count_at_the_bound_is_accepted(workspace: ws.Workspace) -> None:
    """10,000,000 itself is a valid count and is stored as it is on both engines."""
    result = invoke(workspace.root, *LOG[:-2], "-p", "10000000", "-d", "2024-03-05", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["measures"]["participants"] == 10_000_000


def test_a_huge_digit_string_is_refused_without_a_traceback(
    sqlite_workspace: ws.Workspace,
) -> None:
    """A 5,000-digit count (past Python's int-string limit) is one clipped line, not a traceback."""
    result = invoke(sqlite_workspace.root, *LOG[:-2], "-p", "9" * 5000, "-d", "2024-03-05")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "参与人次 (--participants)" in result.output
    assert "(共 5000 字)" in result.output


def test_summary_sums_bounded_counts_past_32_bits(workspace: ws.Workspace) -> None:
    """Sums stay 64-bit: 300 records of 10,000,000 (3·10⁹ > 2³¹) sum exactly on both engines."""
    assert logged(workspace.root).exit_code == 0
    raw_update(workspace, "UPDATE events SET participants = 10000000")
    store = workspace.open()
    try:
        event = store.get(1)
        store.add_many([event] * 299, event.created)  # type: ignore[arg-type]
        cells = store.cube(2024, "2024-12-31")
    finally:
        store.close()
    assert sum(int(c["participants"]) for c in cells) == 3_000_000_000


def test_db_copy_of_bounded_data_works(sqlite_workspace: ws.Workspace, pg_server: Any) -> None:
    """SQLite → PostgreSQL copies counts at the bound (PostgreSQL's INTEGER columns hold them)."""
    if pg_server is None:
        pytest.skip("PostgreSQL 不可用")
    root = sqlite_workspace.root
    assert invoke(root, *LOG[:-2], "-p", "10000000", "-d", "2024-03-05").exit_code == 0
    with pgserver.database(pg_server, "pufa_copy") as url:
        result = invoke(root, "db", "copy", "--to", url)
        assert result.exit_code == 0, result.output
        assert execute(url, "SELECT participants FROM events") == [(10_000_000,)]


# -- control characters and length ----------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "label", "shown"),
    [
        ("--title", ESC_TITLE, "标题 (--title)", "\\x1b"),
        ("--title", "讲座\x00", "标题 (--title)", "\\x00"),
        ("--title", "讲座\u202e座讲", "标题 (--title)", "\\u202e"),
        ("--title", "两行\n标题", "标题 (--title)", "\\x0a"),
        ("--note", "备注\x1b[2J", "备注 (--note)", "\\x1b"),
        ("--audience", "村民\x9b", "对象 (--audience)", "\\x9b"),
    ],
)
def test_control_characters_are_refused(
    workspace: ws.Workspace, option: str, value: str, label: str, shown: str
) -> None:
    """A control character in any text field is refused, naming the field and the character."""
    before = snapshot(workspace.location)
    result = logged(workspace.root, option, value)
    assert result.exit_code == 1
    assert label in result.output
    assert f"不能含控制字符 {shown}" in result.output
    assert "\x1b" not in result.output
    assert snapshot(workspace.location) == before


def test_a_note_may_hold_line_breaks(sqlite_workspace: ws.Workspace) -> None:
    """Notes are multi-line: a newline is kept, not refused."""
    result = logged(sqlite_workspace.root, "--note", "第一行\n第二行", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["note"] == "第一行\n第二行"


def test_control_characters_in_an_edit_are_refused(workspace: ws.Workspace) -> None:
    """`pufa edit --title` with ESC is refused and the record stays as it was."""
    assert logged(workspace.root).exit_code == 0
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "edit", "1", "--title", ESC_TITLE, "-r", "改标题")
    assert result.exit_code == 1
    assert "标题 (--title)" in result.output
    assert "\\x1b" in result.output
    assert snapshot(workspace.location) == before


def test_control_characters_in_a_reason_are_refused(workspace: ws.Workspace) -> None:
    """A void reason with ESC is refused (a newline would be allowed)."""
    assert logged(workspace.root).exit_code == 0
    before = snapshot(workspace.location)
    result = invoke(workspace.root, "void", "1", "--reason", "重复\x1b[8m")
    assert result.exit_code == 1
    assert "理由 (--reason)" in result.output
    assert "不能含控制字符 \\x1b" in result.output
    assert snapshot(workspace.location) == before


def test_control_characters_in_the_actor_are_refused(sqlite_workspace: ws.Workspace) -> None:
    """`--by` (and PUFA_USER) with ESC is refused before anything is written."""
    before = snapshot(sqlite_workspace.location)
    result = logged(sqlite_workspace.root, "--by", "张三\x1b[0m")
    assert result.exit_code == 1
    assert "操作人 (--by/PUFA_USER)" in result.output
    assert "\\x1b" in result.output
    assert snapshot(sqlite_workspace.location) == before


def test_a_note_over_its_limit_is_one_line(sqlite_workspace: ws.Workspace) -> None:
    """`--note` of 2,001 characters: one clipped line naming the limit, not a traceback."""
    result = logged(sqlite_workspace.root, "--note", "长" * 2001)
    assert result.exit_code == 1
    assert not isinstance(result.exception, ValueError)
    assert "备注 (--note)" in result.output
    assert "不能超过 2000 字(现有 2001 字)" in result.output
    assert len(result.output) < 300


def test_an_over_long_title_reason_and_actor_are_one_line(sqlite_workspace: ws.Workspace) -> None:
    """Over-long title, reason and --by are refused with a message each, not a traceback."""
    root = sqlite_workspace.root
    assert "标题 (--title)" in logged(root, "--title", "题" * 201).output
    assert logged(root).exit_code == 0
    assert "理由 (--reason)" in invoke(root, "void", "1", "--reason", "理" * 501).output
    assert "操作人 (--by/PUFA_USER)" in logged(root, "--by", "人" * 101).output


# -- older data in the store: every reader survives it --------------------------------------------


def stored_hostile(workspace: ws.Workspace) -> None:
    """Record 1 with a raw ESC title (as older pufa stored it) and a good record 2."""
    assert logged(workspace.root).exit_code == 0
    assert logged(workspace.root).exit_code == 0
    raw_update(workspace, "UPDATE events SET title = ? WHERE id = 1", (ESC_TITLE,))


@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["history", "1"]])
def test_stored_escapes_never_reach_the_terminal(
    workspace: ws.Workspace, command: list[str]
) -> None:
    """A title with ESC/OSC already in the store is shown escaped by list, show and history."""
    stored_hostile(workspace)
    result = invoke(workspace.root, *command)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
    assert "\x07" not in result.output
    assert "\\x1b" in result.output


def test_stored_escapes_never_reach_the_feed(workspace: ws.Workspace, tmp_path: Path) -> None:
    """`feeds publish` writes a stored ESC title escaped into the public .ics."""
    stored_hostile(workspace)
    result = invoke(workspace.root, "feeds", "publish", str(tmp_path / "feeds"))
    assert result.exit_code == 0, result.output
    for ics in (tmp_path / "feeds").glob("*.ics"):
        assert b"\x1b" not in ics.read_bytes()
    assert b"\\\\x1b" in (tmp_path / "feeds" / "kaiyang.ics").read_bytes()


HOSTILE_ROWS = {
    "lmt": ("starts", "1900-01-01T09:00:00+08:05:43"),
    "year-9999": ("starts", "9999-12-31"),
}


@pytest.mark.parametrize("case", ["lmt", "year-9999"])
@pytest.mark.parametrize(
    "command",
    [["list"], ["show", "1"], ["history", "1"], ["list", "--json"]],
)
def test_out_of_range_dates_in_the_store_are_read(
    workspace: ws.Workspace, case: str, command: list[str]
) -> None:
    """A stored LMT offset or year-9999 date is read (any ISO offset parses) by every reader."""
    assert logged(workspace.root).exit_code == 0
    column, value = HOSTILE_ROWS[case]
    raw_update(workspace, f"UPDATE events SET {column} = ?, ends = ? WHERE id = 1", (value, value))
    result = invoke(workspace.root, *command)
    assert result.exit_code == 0, result.output
    assert (value[:10] if command[0] != "history" else "民法典讲座") in result.output


@pytest.mark.parametrize("case", ["lmt", "year-9999"])
def test_out_of_range_dates_are_left_out_of_the_feeds(
    workspace: ws.Workspace, case: str, tmp_path: Path
) -> None:
    """`feeds publish` leaves a record dated out of range out, with a warning naming it."""
    assert logged(workspace.root).exit_code == 0
    assert logged(workspace.root, "--title", "另一场").exit_code == 0
    column, value = HOSTILE_ROWS[case]
    raw_update(workspace, f"UPDATE events SET {column} = ?, ends = ? WHERE id = 1", (value, value))
    result = invoke(workspace.root, "feeds", "publish", str(tmp_path / "feeds"))
    assert result.exit_code == 0, result.output
    assert "记录 #1 的日期" in result.output
    assert "pufa db check" in result.output
    feed = (tmp_path / "feeds" / "kaiyang.ics").read_text(encoding="utf-8")
    assert "UID:2-" in feed
    assert "UID:1-" not in feed


def test_an_unreadable_row_is_skipped_by_list(sqlite_workspace: ws.Workspace) -> None:
    """A row that is no valid record (year 0) is left out of list with a warning naming it."""
    root = sqlite_workspace.root
    assert logged(root).exit_code == 0
    assert logged(root).exit_code == 0
    raw_update(sqlite_workspace, "UPDATE events SET starts = '0000-01-01' WHERE id = 1")
    result = invoke(root, "list")
    assert result.exit_code == 0, result.output
    assert "记录 #1 无法读取" in result.output
    assert "pufa db check" in result.output
    assert "#2" in result.output


def test_an_unreadable_row_is_one_line_in_show(sqlite_workspace: ws.Workspace) -> None:
    """`show` of a row that is no valid record: one red line pointing to db check."""
    assert logged(sqlite_workspace.root).exit_code == 0
    raw_update(sqlite_workspace, "UPDATE events SET starts = 'garbage' WHERE id = 1")
    result = invoke(sqlite_workspace.root, "show", "1")
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert "pufa db check" in result.output


def test_an_unreadable_row_can_be_voided(workspace: ws.Workspace) -> None:
    """`void` works on a row pufa cannot read (the fix db check proposes)."""
    assert logged(workspace.root).exit_code == 0
    raw_update(workspace, "UPDATE events SET starts = 'garbage' WHERE id = 1")
    result = invoke(workspace.root, "void", "1", "--reason", "数据有误")
    assert result.exit_code == 0, result.output
    assert "已作废 #1" in result.output
    assert execute(workspace.location, "SELECT voided_reason FROM events") == [("数据有误",)]


def test_a_record_with_an_lmt_date_can_be_edited_back(workspace: ws.Workspace) -> None:
    """`pufa edit 1 --date …` repairs a stored LMT date (the fix db check proposes)."""
    assert logged(workspace.root).exit_code == 0
    lmt = "1900-01-01T09:00:00+08:05:43"
    raw_update(workspace, "UPDATE events SET starts = ?, ends = ?, all_day = 0", (lmt, lmt))
    result = invoke(workspace.root, "edit", "1", "-d", "2024-03-05 09:00", "-r", "日期有误")
    assert result.exit_code == 0, result.output
    assert execute(workspace.location, "SELECT starts FROM events") == [
        ("2024-03-05T09:00:00+08:00",)
    ]


def test_a_count_over_the_bound_in_the_store_is_left_out_of_sums(
    sqlite_workspace: ws.Workspace,
) -> None:
    """A stored count that would overflow SQLite's 64-bit SUM leaves summary working."""
    root = sqlite_workspace.root
    assert logged(root).exit_code == 0
    assert logged(root).exit_code == 0
    raw_update(sqlite_workspace, "UPDATE events SET participants = 9223372036854775807")
    result = invoke(root, "summary", "--year", "2024", "--json")
    assert result.exit_code == 0, result.output


def test_a_record_left_out_of_the_sums_is_named(workspace: ws.Workspace) -> None:
    """summary and report name each record whose count is over the bound, pointing to db check."""
    assert logged(workspace.root).exit_code == 0
    raw_update(workspace, "UPDATE events SET participants = 2147483647")
    for command in ("summary", "report"):
        result = invoke(workspace.root, command, "--year", "2024")
        assert result.exit_code == 0, result.output
        assert "提示:记录 #1 的计数超过上限 10,000,000,未计入合计" in result.output


# -- personal data -----------------------------------------------------------------------------


def test_a_phone_number_in_a_title_is_warned_about(sqlite_workspace: ws.Workspace) -> None:
    """`pufa log` with a phone number in the title stores it and prints a 提示 on stderr."""
    result = logged(sqlite_workspace.root, "--title", "讲座 联系人13812345678")
    assert result.exit_code == 0, result.output
    assert "提示:标题" in result.output
    assert "138****5678" in result.output


def test_a_phone_number_is_masked_in_the_feed(
    sqlite_workspace: ws.Workspace, tmp_path: Path
) -> None:
    """The public .ics holds 138****5678, never the number."""
    root = sqlite_workspace.root
    assert logged(root, "--title", "讲座 联系人13812345678").exit_code == 0
    assert invoke(root, "feeds", "publish", str(tmp_path / "feeds")).exit_code == 0
    for ics in (tmp_path / "feeds").glob("*.ics"):
        assert b"13812345678" not in ics.read_bytes()
    assert "138****5678" in (tmp_path / "feeds" / "kaiyang.ics").read_text(encoding="utf-8")


def test_stored_escapes_do_not_break_the_export(workspace: ws.Workspace, tmp_path: Path) -> None:
    """`ledger export` of a year holding a raw ESC title writes it escaped (openpyxl refuses it)."""
    from openpyxl import load_workbook

    stored_hostile(workspace)
    out = tmp_path / "out.xlsx"
    result = invoke(workspace.root, "ledger", "export", "--year", "2024", "-o", str(out))
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    cells = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert "\\x1b]0;pwned\\x07\\x1b[31m红字标题" in cells
