"""Importing a 台账: each row checked as ``pufa log`` checks it, then added, edited, left or rejected.

:func:`plan_import` is pure but for the lookups it is given (a row's earlier import by its source
key, a record by its 编号); :func:`check` gives it a store's, :func:`apply` writes what it planned
in one transaction. Problems come back as data naming the sheet, row, column, value, expectation
and nearest valid choice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import attrs
import pendulum

from pufa import output, text, vocab
from pufa.errors import InvalidInput, NotFound, Problem, SheetAt
from pufa.event import Event, Stamp, diff
from pufa.intake import Entry, build, notices, revise
from pufa.ledger.cells import COUNTS, cell_text, count_text, date_text, header
from pufa.ledger.sheets import Sheet, SheetRow
from pufa.ledger.workbook import save_rejects
from pufa.locks import Lock, audited, locked_problem, touched
from pufa.model import County
from pufa.store import Store, stale_text
from pufa.value import valueclass

#: what to do about a stale row (after the store's "未保存你的修改:")
RE_EXPORT = "这一行未导入。请重新导出台账,在新表上修改后再导入。"


@valueclass
class Parsed:
    """A row's entry (raw text values, as `pufa log` takes them) and what was approximated."""

    row: SheetRow
    entry: Entry
    record_id: int | None
    warnings: tuple[str, ...]
    revision: int | None = None  #: the record's revision when it was exported (版本)


def parse(row: SheetRow, county: County, year: int | None) -> Parsed:
    """A row's cells as the raw values `pufa log` takes (counts and dates normalised)."""
    values: dict[str, str | None] = {}
    warnings = []
    record_id = revision = None
    for field, cell in row.cells.items():
        if cell_text(cell) == "":
            continue
        if field == "id":
            number = cell_text(cell).lstrip("#")
            record_id = int(number) if number.isdigit() else None
        elif field == "revision":
            number = cell_text(cell)
            revision = int(number) if number.isdigit() else None
        elif field in ("date", "end"):
            values[field] = date_text(cell, year)
        elif field in COUNTS:
            values[field], warning = count_text(cell)
            if warning:
                warnings.append(f"{row.sheet} 第{row.number}行 {header(field)}:{warning}")
        elif field == "status":
            values[field] = vocab.slug_of("Status", cell_text(cell))
        else:
            values[field] = cell_text(cell)
    return Parsed(row, Entry(row.kind.slug, values), record_id, tuple(warnings), revision)


def _where(row: SheetRow, problem: Problem) -> Problem:
    """A validation problem, placed at its sheet, row and column."""
    at = SheetAt(row.sheet, row.number, row.columns.get(vocab.column_key(problem.field), ""))
    return Problem(problem.field, text.clip(problem.value), problem.expected, problem.hint, at)


@valueclass
class ImportPlan:
    """What an import would do: new records, edits of records it made before, rejected rows."""

    add: tuple[tuple[Parsed, Event, str], ...]  #: the row, the new record, its source key
    edit: tuple[tuple[Parsed, Event, Event], ...]  #: the row, the record as stored, as revised
    same: int
    rejected: tuple[tuple[SheetRow, tuple[Problem, ...]], ...]
    totals: tuple[Problem, ...]  #: 合计 rows that disagree with the rows above them
    warnings: tuple[str, ...]


#: a row to add: the row, the new record, its source key
Added = tuple[Parsed, Event, str]


def source_key(event: Event) -> str:
    """A row's identity across re-imports: kind, start, place and title (not its counts)."""
    owner = event.township or event.dept or ""
    return f"ledger:{event.kind.slug}:{event.span.start.isoformat()}:{owner}:{event.title}"


def plan_import(
    sheets: Sequence[Sheet],
    county: County,
    existing: Callable[[str], Event | None],
    by_id: Callable[[int], Event | None],
    year: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    store_id: str = "",
    stale: Callable[[Event, int], str] | None = None,
    today: pendulum.Date | None = None,
) -> ImportPlan:
    """Check every row; decide add / edit / unchanged for the valid ones (pure but for lookups).

    ``existing(key)`` is the record an earlier import made from the row with that source key,
    ``by_id(n)`` the record with 编号 n in the store whose id is ``store_id``. ``stale(record,
    revision)`` words the conflict of a row exported at ``revision`` from a record changed since
    (:func:`pufa.store.stale_text`); such a row is rejected, not imported. With ``today``, a held
    row dated after it is rejected (it cannot have happened yet)."""
    planner = _Planner(county, existing, by_id, store_id, stale, today)
    total_rows = sum(len(s.rows) for s in sheets)
    done = 0
    for sheet in sheets:
        planner.warnings += sheet.notes
        sums: dict[str, int] = {}
        for row in sheet.rows:
            done += 1
            if progress is not None and done % 500 == 0:
                progress(done, total_rows)
            parsed = parse(row, county, year)
            planner.warnings += parsed.warnings
            _add_counts(sums, parsed)  # the 合计 adds up every row, valid or not
            planner.take(sheet, parsed)
        planner.totals += _total_problems(sheet, sums)
    return planner.plan()


def _add_counts(sums: dict[str, int], parsed: Parsed) -> None:
    """Add a row's counts (those written as whole numbers) to a sheet's running sums."""
    for field, value in parsed.entry.values.items():
        if field in COUNTS and value is not None and value.isdigit():
            sums[field] = sums.get(field, 0) + int(value)


def _total_problems(sheet: Sheet, sums: dict[str, int]) -> list[Problem]:
    """The counts of a sheet's 合计 row that differ from the sums of its rows."""
    if sheet.total is None:
        return []
    problems = []
    for field, cell in sheet.total.items():
        if field in COUNTS and cell_text(cell):
            stated, _ = count_text(cell)
            if stated.isdigit() and int(stated) != sums.get(field, 0):
                problems.append(
                    Problem(
                        f"{sheet.name} 第{sheet.total_row}行 合计({header(field)})",
                        int(stated),
                        f"等于上面各行之和 {sums.get(field, 0)}",
                        "请核对合计或各行数字",
                    )
                )
    return problems


class _Planner:
    """The decisions of one import so far, row by row (see :func:`plan_import`)."""

    def __init__(
        self,
        county: County,
        existing: Callable[[str], Event | None],
        by_id: Callable[[int], Event | None],
        store_id: str,
        stale: Callable[[Event, int], str] | None,
        today: pendulum.Date | None = None,
    ) -> None:
        self.county = county
        self.today = today
        self.existing = existing
        self.by_id = by_id
        self.store_id = store_id
        self.stale = stale
        self.add: list[tuple[Parsed, Event, str]] = []
        self.edit: list[tuple[Parsed, Event, Event]] = []
        self.rejected: list[tuple[SheetRow, tuple[Problem, ...]]] = []
        self.totals: list[Problem] = []
        self.warnings: list[str] = []
        self.same = 0
        self.seen: dict[str, SheetRow] = {}  #: identity → the first row that had it
        self.occurrence: dict[str, int] = {}  #: source key → rows so far that had it

    def plan(self) -> ImportPlan:
        return ImportPlan(
            tuple(self.add),
            tuple(self.edit),
            self.same,
            tuple(self.rejected),
            tuple(self.totals),
            tuple(self.warnings),
        )

    def take(self, sheet: Sheet, parsed: Parsed) -> None:
        """Decide one row: rejected (invalid, or a repeat of an earlier row), added, or compared
        with the record it was imported or exported as."""
        row = parsed.row
        if row.problems:  # found while reading (an over-long cell)
            self.rejected.append((row, row.problems))
            return
        try:
            event = build(self.county, parsed.entry, today=self.today)
        except InvalidInput as exc:
            self.rejected.append((row, tuple(_where(row, p) for p in exc.problems)))
            return
        self.warnings += [f"{row.sheet} 第{row.number}行:{n}" for n in notices(event)]
        key = self._key(event)
        current = self._exported(sheet, parsed, event)
        identity = f"id:{current.id}" if current is not None else key
        if identity in self.seen:
            self.rejected.append((row, (_repeated(row, event, self.seen[identity]),)))
            return
        self.seen[identity] = row
        if current is None:
            current = self.existing(key)
        if current is None:
            self.add.append((parsed, event, key))  # the key is set as it is written
            return
        self._compare(parsed, event, current, exported=identity.startswith("id:"))

    def _key(self, event: Event) -> str:
        """The row's source key: identical rows (two releases on one day, same title) are told
        apart by their order."""
        natural = source_key(event)
        self.occurrence[natural] = self.occurrence.get(natural, 0) + 1
        count = self.occurrence[natural]
        return natural if count == 1 else f"{natural}#{count}"

    def _exported(self, sheet: Sheet, parsed: Parsed, event: Event) -> Event | None:
        """The record a row's 编号 names, if the sheet was exported from this very store and the
        record is of the row's kind and place."""
        if not self.store_id or sheet.origin != self.store_id or parsed.record_id is None:
            return None
        current = self.by_id(parsed.record_id)
        if current is None or (current.kind, current.township, current.dept) != (
            event.kind,
            event.township,
            event.dept,
        ):
            return None  # an id from another workspace's export: not this record
        return current

    def _compare(self, parsed: Parsed, event: Event, current: Event, *, exported: bool) -> None:
        """A row that has a record: unchanged (or voided), stale, or an edit of it."""
        row = parsed.row
        if current.voided is not None:  # voided is final: the row is not imported again
            self.warnings.append(
                f"{row.sheet} 第{row.number}行:对应的记录 #{current.id} 已作废,不再导入"
            )
            self.same += 1
            return
        as_stored = attrs.evolve(
            event, id=current.id, revision=current.revision, source=current.source
        )
        if not diff(current, as_stored):
            self.same += 1
            return
        read = parsed.revision
        if exported and read is not None and current.revision > read:
            self.rejected.append((row, (self._stale(row, current, read),)))
            return
        try:
            revised = revise(self.county, current, dict(parsed.entry.values))
        except InvalidInput as exc:
            self.rejected.append((row, tuple(_where(row, p) for p in exc.problems)))
            return
        self.edit.append((parsed, current, revised))

    def _stale(self, row: SheetRow, current: Event, read: int) -> Problem:
        """A row exported at revision ``read`` of a record changed since."""
        reason = (
            self.stale(current, read)
            if self.stale is not None
            else f"记录 #{current.id} 在你读取(第 {read} 版)之后已被修改"
        )
        column = row.columns.get("revision", "")
        where = f"{row.sheet} 第{row.number}行" + (f" {column}列" if column else "")
        return Problem(f"{where}(版本)", read, reason)


def _repeated(row: SheetRow, event: Event, first: SheetRow) -> Problem:
    """A row that repeats an earlier one (the same date, place and title, or the same 编号)."""
    return Problem(
        f"{row.sheet} 第{row.number}行",
        event.title,
        "不与其他行重复",
        f"与第{first.number}行相同(日期、地点、名称)",
    )


# -- with a store ---------------------------------------------------------------------------------


def check(
    store: Store, county: County, sheets: Sequence[Sheet], year: int | None = None,
    progress: Callable[[int, int], None] | None = None, today: pendulum.Date | None = None,
    *, unlocked: bool = False,
) -> ImportPlan:  # fmt: skip
    """What importing ``sheets`` into ``store`` would do (nothing is written); with ``today``, held
    rows dated after it are rejected; so are rows that would add or change a record of a month
    the office has locked (at the row's date column) — unless ``unlocked``: the office gives its
    reason to :func:`apply`."""
    existing = {e.source: e for e in store.by_source("ledger:") if e.source}
    planned = plan_import(
        sheets,
        county,
        existing.get,
        lambda record_id: _get(store, record_id),
        year,
        progress,
        store.store_id(),
        lambda current, read: stale_text(
            current, store.history(current.id or 0), read, store.timezone, RE_EXPORT
        ),
        today,
    )
    return planned if unlocked else screen_locked(store, county, planned)


def screen_locked(store: Store, county: County, planned: ImportPlan) -> ImportPlan:
    """``planned`` with the rows that touch a locked month moved to its rejected rows."""
    known: dict[tuple[str, int, int], Lock | None] = {}

    def problem(row: SheetRow, before: Event | None, after: Event) -> Problem | None:
        for key in touched(county, before, after):
            if key not in known:
                known[key] = store.is_locked(*key)
        locks = [lock for lock in known.values() if lock is not None]
        found = locked_problem(county, locks, before, after)
        return None if found is None else _where(row, found)

    rejected = list(planned.rejected)
    add, edit = [], []
    for parsed, event, key in planned.add:
        if (found := problem(parsed.row, None, event)) is not None:
            rejected.append((parsed.row, (found,)))
        else:
            add.append((parsed, event, key))
    for parsed, current, revised in planned.edit:
        if (found := problem(parsed.row, current, revised)) is not None:
            rejected.append((parsed.row, (found,)))
        else:
            edit.append((parsed, current, revised))
    rejected.sort(key=lambda pair: (pair[0].sheet, pair[0].number))
    return attrs.evolve(planned, add=tuple(add), edit=tuple(edit), rejected=tuple(rejected))


def _get(store: Store, record_id: int) -> Event | None:
    try:
        return store.get(record_id)
    except NotFound:
        return None


def apply(
    store: Store,
    planned: ImportPlan,
    stamp: Stamp,
    reason: str,
    *,
    skip_invalid: bool = False,
    rejects: Path | None = None,
    county: County | None = None,
    override: str | None = None,
) -> None:
    """Write an import in one transaction: all or nothing (or, with ``skip_invalid``, the valid rows).

    Each edit carries the revision it was planned from, so a record changed between
    :func:`check` and here is refused (the store's lost-update Conflict) and nothing is written.
    With ``rejects`` (and rejected rows), the rejects workbook is written first, to a temporary
    file; then the import is committed; then the rejects are renamed into place. If the rejects
    cannot be written nothing is imported; if the import fails no rejects file is left. The
    rejects workbook is stamped with ``stamp``'s time, so the same import gives the same bytes.
    With ``county``, the month locks are checked again inside the transaction: a month locked
    since :func:`check` refuses the whole import — unless ``override`` gives the office's reason
    (:func:`pufa.locks.override_reason`): then the rows of locked months are written with it in
    their revision's reason (``〔锁定月份修改〕…``), the others with ``reason`` alone.
    """
    if (planned.rejected or planned.totals) and not skip_invalid:
        raise InvalidInput(
            [p for _, problems in planned.rejected for p in problems] + list(planned.totals)
        )
    staged = (
        output.stage(rejects, lambda temporary: save_rejects(temporary, planned.rejected, stamp.at))
        if rejects is not None and planned.rejected
        else None
    )
    try:
        with store.transaction():
            if county is not None and override is None:
                _guard(store, county, planned)
            locked = _locked(store, county, override)
            for why, adds in _by_reason(planned.add, locked, reason, override):
                keys = [key for _, _, key in adds]
                store.add_many([event for _, event, _ in adds], stamp, why, keys)
            for _, current, revised in planned.edit:
                why = (audited(reason, override) or reason) if locked(current, revised) else reason
                store.replace(revised, stamp, why)
    except BaseException:
        if staged is not None:
            staged.discard()
        raise
    if staged is not None:
        staged.commit()


def _locked(
    store: Store, county: County | None, override: str | None
) -> Callable[[Event | None, Event], bool]:
    """Whether a row's change touches a locked month (only asked when the office overrides)."""

    def touches(before: Event | None, after: Event) -> bool:
        if county is None or override is None:
            return False
        found = [lock for key in touched(county, before, after) if (lock := store.is_locked(*key))]
        return locked_problem(county, found, before, after) is not None

    return touches


def _by_reason(
    adds: Sequence[Added], locked: Callable[[Event | None, Event], bool], reason: str,
    override: str | None,
) -> list[tuple[str, list[Added]]]:  # fmt: skip
    """The rows to add, those of locked months apart: each group with its revisions' reason."""
    plain = [add for add in adds if not locked(None, add[1])]
    overridden = [add for add in adds if locked(None, add[1])]
    groups = [(reason, plain), (audited(reason, override) or reason, overridden)]
    return [(why, group) for why, group in groups if group]


def _guard(store: Store, county: County, planned: ImportPlan) -> None:
    """Refuse (InvalidInput at the row) an import with a row in a month locked since the check."""
    late = screen_locked(store, county, planned)
    if len(late.rejected) > len(planned.rejected):
        raise InvalidInput([p for _, ps in late.rejected for p in ps if p.field == "locked_month"])
