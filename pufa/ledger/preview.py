"""What a ledger upload would do, as plain data for a preview page (nothing is written).

:func:`preview` reads a workbook (or CSV), checks every row against the store as
``pufa ledger import --dry-run`` does — the month locks included — and returns a :class:`Preview`:
the rows it would add, the records it would edit (each changed field, old → new), how many rows
are unchanged, and every rejected row with its problems as Chinese lines naming sheet, row and
column. Strings and numbers only: an edge (the web page, a JSON answer) shows them as they are.
"""

from __future__ import annotations

from pathlib import Path

import pendulum

from pufa import vocab
from pufa.errors import render
from pufa.event import Event, diff
from pufa.ledger.importing import ImportPlan, Parsed, check
from pufa.ledger.sheets import read
from pufa.model import County
from pufa.store import Store
from pufa.value import valueclass


@valueclass
class RowChange:
    """A row that adds a record, or edits one (``record`` is its 编号, ``changes`` its changed
    fields as ``参与人次:30 → 40``)."""

    sheet: str
    row: int
    kind: str
    date: str
    place: str
    title: str
    record: int | None = None
    changes: tuple[str, ...] = ()


@valueclass
class RowRejected:
    """A row that would not be imported, and why (each problem one Chinese line)."""

    sheet: str
    row: int
    problems: tuple[str, ...]


@valueclass
class Preview:
    """What importing a file would do; ``ok`` when it can be imported whole."""

    adds: tuple[RowChange, ...]
    edits: tuple[RowChange, ...]
    unchanged: int
    rejected: tuple[RowRejected, ...]
    totals: tuple[str, ...]  #: 合计 rows that disagree with the rows above them
    warnings: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.totals


def _place(county: County, event: Event) -> str:
    if event.township is not None:
        return county.township(event.township).name
    return county.department(event.dept or "").name


def _row(county: County, parsed: Parsed, event: Event, changes: tuple[str, ...] = ()) -> RowChange:
    return RowChange(
        parsed.row.sheet, parsed.row.number, event.kind.label, event.span.text(),
        _place(county, event), event.title, event.id, changes,
    )  # fmt: skip


def _shown(value: str | int | None) -> str:
    return "(空)" if value is None or value == "" else str(value)


def _changes(current: Event, revised: Event) -> tuple[str, ...]:
    """An edit's changed fields: ``参与人次:30 → 40``."""
    return tuple(
        f"{vocab.label(c.field)}:{_shown(c.old)} → {_shown(c.new)}" for c in diff(current, revised)
    )


def summarise(county: County, planned: ImportPlan) -> Preview:
    """An :class:`~pufa.ledger.importing.ImportPlan` as plain data."""
    edits = tuple(
        _row(county, parsed, current, _changes(current, revised))
        for parsed, current, revised in planned.edit
    )
    return Preview(
        tuple(_row(county, parsed, event) for parsed, event, _ in planned.add),
        edits,
        planned.same,
        tuple(
            RowRejected(row.sheet, row.number, tuple(render(p) for p in problems))
            for row, problems in planned.rejected
        ),
        tuple(render(p) for p in planned.totals),
        planned.warnings,
    )


def preview(
    county: County,
    store: Store,
    path: Path,
    *,
    year: int | None = None,
    today: pendulum.Date | None = None,
) -> Preview:
    """What importing the ledger at ``path`` into ``store`` would do; nothing is written.
    ``year`` completes dates written without one; with ``today``, held rows after it are rejected."""
    return summarise(county, check(store, county, read(path), year, today=today))
