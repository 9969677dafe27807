"""pufa.records: log, edit and void as whole, audited operations."""

from __future__ import annotations

import pytest

from pufa import records
from pufa import workspace as ws
from pufa.errors import Conflict, InvalidInput, NotFound
from pufa.intake import Entry
from pufa.model import County

from .conftest import STAMP, snapshot

ENTRY = Entry(
    "seven-into",
    {
        "title": "法律进学校",
        "date": "2024-03-05",
        "township": "禾丰乡",
        "venue": "学校",
        "participants": "320",
    },
)


def test_log_edit_void_history(workspace: ws.Workspace, county: County) -> None:
    """The life of a record: logged, corrected with a reason, voided with a reason."""
    store = workspace.open()
    event = records.log(store, county, ENTRY, STAMP)
    assert event.id == 1
    edited, changed = records.edit(store, county, 1, {"participants": "350"}, "补录", STAMP)
    assert changed
    assert edited.measures.participants == 350
    voided = records.void(store, 1, "重复", STAMP)
    assert voided.voided is not None
    assert [(r.seq, r.action.slug, r.reason) for r in store.history(1)] == [
        (1, "create", None),
        (2, "edit", "补录"),
        (3, "void", "重复"),
    ]


def test_edit_needs_a_reason(workspace: ws.Workspace, county: County) -> None:
    """No reason, no edit — and nothing written."""
    store = workspace.open()
    records.log(store, county, ENTRY, STAMP)
    before = snapshot(workspace.location)
    with pytest.raises(InvalidInput, match=r"理由 \(--reason\)"):
        records.edit(store, county, 1, {"title": "x"}, "  ", STAMP)
    assert snapshot(workspace.location) == before


def test_bad_edit_leaves_the_store_unchanged(workspace: ws.Workspace, county: County) -> None:
    """An edit with one bad value changes none of the good ones."""
    store = workspace.open()
    records.log(store, county, ENTRY, STAMP)
    before = snapshot(workspace.location)
    with pytest.raises(InvalidInput):
        records.edit(store, county, 1, {"title": "新标题", "participants": "-1"}, "r", STAMP)
    assert snapshot(workspace.location) == before


def test_edit_or_void_of_missing_or_voided_record(workspace: ws.Workspace, county: County) -> None:
    """Missing ids and voided records are refused with clear messages."""
    store = workspace.open()
    with pytest.raises(NotFound):
        records.edit(store, county, 5, {"title": "x"}, "r", STAMP)
    with pytest.raises(NotFound):
        records.void(store, 5, "r", STAMP)
    records.log(store, county, ENTRY, STAMP)
    records.void(store, 1, "重复", STAMP)
    before = snapshot(workspace.location)
    with pytest.raises(Conflict) as caught:
        records.edit(store, county, 1, {"title": "x"}, "r", STAMP)
    assert str(caught.value) == "记录 #1 已作废(理由:重复),不能修改。"
    with pytest.raises(Conflict) as again:
        records.void(store, 1, "再次", STAMP)
    assert str(again.value) == "记录 #1 已于 2024-03-06 作废(理由:重复),不能再次作废。"
    assert snapshot(workspace.location) == before


def test_edit_to_the_same_values_writes_no_revision(
    workspace: ws.Workspace, county: County
) -> None:
    """Setting a field to the value it has is not a change: no revision, reported as unchanged."""
    store = workspace.open()
    records.log(store, county, ENTRY, STAMP)
    event, changed = records.edit(store, county, 1, {"participants": "320"}, "核对", STAMP)
    assert not changed
    assert event.revision == 1
    assert len(store.history(1)) == 1


def test_every_problem_of_an_edit_at_once(workspace: ws.Workspace, county: County) -> None:
    """A wrong kind field and a measure the kind does not count are both reported."""
    store = workspace.open()
    records.log(store, county, ENTRY, STAMP)
    with pytest.raises(InvalidInput) as caught:
        records.edit(store, county, 1, {"school": "一中", "items": "5"}, "r", STAMP)
    assert [p.field for p in caught.value.problems] == ["school", "items"]
