"""pufa.ledger.importing: the import planning core, fed sheets built here and lookup functions.

No file, no store: each test builds a :class:`Sheet` of :class:`SheetRow`s as
:func:`pufa.ledger.read` would, and says what an earlier import (by source key) and the store
(by 编号) hold, then checks what :func:`plan_import` decides for the rows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import attrs
import pendulum

from pufa.errors import Problem, SheetAt
from pufa.event import Event, Voiding
from pufa.ledger import ImportPlan, Sheet, SheetRow, plan_import
from pufa.ledger.cells import letter
from pufa.model import County, Kind, Measure

from .conftest import STAMP

#: a valid 法律七进 row, as cells by field (what a township types)
HELD = {
    "date": "2024-03-05",
    "township": "禾丰乡",
    "title": "法律进学校",
    "venue": "学校",
    "participants": "320",
}
SHEET = Kind.SEVEN_INTO.label
#: the id of the store the rows' 编号 refer to
STORE = "store-1"


def row(number: int, **cells: Any) -> SheetRow:
    """Row ``number`` of the sheet: :data:`HELD` with ``cells`` changed, columns A, B, … in order."""
    values = {**HELD, **cells}
    columns = {field: letter(i) for i, field in enumerate(values)}
    return SheetRow(SHEET, number, Kind.SEVEN_INTO, values, columns)


def sheet(*rows: SheetRow, total: dict[str, Any] | None = None, origin: str = "") -> Sheet:
    total_row = rows[-1].number + 1 if total is not None else None
    return Sheet(SHEET, Kind.SEVEN_INTO, rows, total, total_row, origin=origin)


def lookup(records: Mapping[Any, Event] | None = None) -> Callable[[Any], Event | None]:
    return dict(records or {}).get


def plan(
    county: County,
    *sheets: Sheet,
    existing: Mapping[str, Event] | None = None,
    by_id: Mapping[int, Event] | None = None,
    **options: Any,
) -> ImportPlan:
    return plan_import(sheets, county, lookup(existing), lookup(by_id), store_id=STORE, **options)


def stored(county: County, number: int = 2, record_id: int = 7, **cells: Any) -> Event:
    """The record an earlier import of row ``number`` (with ``cells``) wrote, as the store has it."""
    ((_, event, key),) = plan(county, sheet(row(number, **cells))).add
    return attrs.evolve(event, id=record_id, revision=1, source=key)


def test_a_new_row_is_added_with_its_source_key(county: County) -> None:
    """A valid row no import made before is added, keyed by kind, start, township and title."""
    planned = plan(county, sheet(row(2)))
    ((parsed, event, key),) = planned.add
    assert parsed.row.number == 2
    assert (event.title, event.measures.get(Measure.PARTICIPANTS)) == ("法律进学校", 320)
    assert key == f"ledger:seven-into:{event.span.start.isoformat()}:{event.township}:法律进学校"
    assert (planned.edit, planned.same, planned.rejected) == ((), 0, ())


def test_a_row_imported_before_unchanged_is_the_same(county: County) -> None:
    """A row whose earlier import is stored as it reads now is neither added nor edited."""
    record = stored(county)
    planned = plan(county, sheet(row(2)), existing={record.source or "": record})
    assert (planned.add, planned.edit, planned.same) == ((), (), 1)


def test_a_row_imported_before_with_a_new_count_edits_that_record(county: County) -> None:
    """A changed count on a row imported before revises that record (same id, new count)."""
    record = stored(county)
    planned = plan(
        county, sheet(row(2, participants="400")), existing={record.source or "": record}
    )
    ((_, current, revised),) = planned.edit
    assert current is record
    assert (revised.id, revised.measures.get(Measure.PARTICIPANTS)) == (7, 400)
    assert (planned.add, planned.same) == ((), 0)


def test_an_invalid_row_is_rejected_at_its_sheet_row_and_column(county: County) -> None:
    """A row the validator refuses is rejected with its problem placed at sheet, row and column."""
    planned = plan(county, sheet(row(2), row(3, participants="很多")))
    assert len(planned.add) == 1
    ((rejected, (problem,)),) = planned.rejected
    assert rejected.number == 3
    assert problem.field == "participants"
    assert problem.location == SheetAt(SHEET, 3, "E")
    assert str(problem).startswith(f"{SHEET} 第3行 E列(参与人次) = “很多”")


def test_problems_found_while_reading_reject_the_row(county: County) -> None:
    """A row that came with problems from reading (an over-long cell) is rejected with them."""
    too_long = Problem(f"{SHEET} 第2行 C列(活动名称)", "…", "应不超过 2,000 字")
    planned = plan(county, sheet(attrs.evolve(row(2), problems=(too_long,))))
    assert planned.rejected == ((planned.rejected[0][0], (too_long,)),)
    assert planned.add == ()


def test_identical_rows_are_told_apart_by_their_order(county: County) -> None:
    """Two identical rows (two releases on one day) are both added; the second key ends in #2."""
    planned = plan(county, sheet(row(2), row(3)))
    first, second = (key for _, _, key in planned.add)
    assert second == f"{first}#2"


def test_two_rows_with_one_id_reject_the_second(county: County) -> None:
    """Two rows naming the same 编号 of this store: the second is rejected as a repeat."""
    record = stored(county)
    rows = (row(2, id="7"), row(3, id="7", participants="400"))
    planned = plan(county, sheet(*rows, origin=STORE), by_id={7: record})
    ((rejected, (problem,)),) = planned.rejected
    assert rejected.number == 3
    assert (problem.field, problem.hint) == (f"{SHEET} 第3行", "与第2行相同(日期、地点、名称)")


def test_an_id_from_another_store_is_not_followed(county: County) -> None:
    """编号 7 in a sheet exported from another store is not this store's record 7: the row is new."""
    record = stored(county, title="另一场活动")
    planned = plan(county, sheet(row(2, id="7"), origin="elsewhere"), by_id={7: record})
    assert len(planned.add) == 1
    assert planned.edit == ()


def test_a_row_of_a_voided_record_is_not_imported_again(county: County) -> None:
    """A row whose record was voided counts as unchanged, with a warning naming the record."""
    record = attrs.evolve(stored(county), voided=Voiding("重复登记", STAMP))
    planned = plan(county, sheet(row(2)), existing={record.source or "": record})
    assert (planned.add, planned.edit, planned.same) == ((), (), 1)
    assert planned.warnings == (f"{SHEET} 第2行:对应的记录 #7 已作废,不再导入",)


def test_a_row_exported_before_the_record_changed_is_rejected_as_stale(county: County) -> None:
    """A row exported at 版本 1 of a record now at 版本 2 is rejected, in ``stale``'s words."""
    record = attrs.evolve(stored(county), revision=2)
    changed = row(2, id="7", revision="1", participants="400")
    planned = plan(
        county,
        sheet(changed, origin=STORE),
        by_id={7: record},
        stale=lambda current, read: f"#{current.id} 已在第 {read} 版之后修改",
    )
    ((_, (problem,)),) = planned.rejected
    assert (problem.field, problem.value) == (f"{SHEET} 第2行 G列(版本)", 1)
    assert problem.expected == "#7 已在第 1 版之后修改"
    assert planned.edit == ()


def test_a_total_that_disagrees_with_the_rows_is_a_problem(county: County) -> None:
    """A 合计 row's count that is not the sum of the rows above it is reported at its row."""
    planned = plan(county, sheet(row(2), row(3), total={"title": "合计", "participants": "600"}))
    (problem,) = planned.totals
    assert (problem.field, problem.value) == (f"{SHEET} 第4行 合计(参与人次)", 600)
    assert problem.expected == "等于上面各行之和 640"


def test_a_total_that_agrees_is_no_problem(county: County) -> None:
    """A 合计 row that adds up, written as 640人, gives no problem."""
    planned = plan(county, sheet(row(2), row(3), total={"participants": "640人"}))
    assert planned.totals == ()


def test_an_approximate_count_is_taken_with_a_warning(county: County) -> None:
    """约300人 is imported as 300, with a warning at the row naming the column's header."""
    planned = plan(county, sheet(row(2, participants="约300人")))
    ((_, event, _),) = planned.add
    assert event.measures.get(Measure.PARTICIPANTS) == 300
    assert planned.warnings == (f"{SHEET} 第2行 参与人次:“约300人”按 300 计(原文不是确切数字)",)


def test_progress_is_told_every_500_rows(county: County) -> None:
    """``progress(done, total)`` is called after every 500th row."""
    told: list[tuple[int, int]] = []
    rows = [row(n, title=f"活动{n}") for n in range(2, 1002)]
    plan(county, sheet(*rows), progress=lambda done, total: told.append((done, total)))
    assert told == [(500, 1000), (1000, 1000)]


def test_a_held_row_after_today_is_rejected(county: County) -> None:
    """Given today, a held row dated after it is a rejected row, not an added one."""
    planned = plan(county, sheet(row(2), row(3)), today=pendulum.Date(2024, 3, 4))
    assert (len(planned.add), len(planned.rejected)) == (0, 2)
    assert planned.rejected[0][1][0].expected == "已开展的活动不能晚于今天(2024-03-04)"
