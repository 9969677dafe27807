"""pufa.demo: the 示例 workspace — labelled, covering every kind, and reproducible."""

from __future__ import annotations

from pathlib import Path

import pytest

from pufa import demo
from pufa import workspace as ws
from pufa.errors import WorkspaceError
from pufa.model import County, Kind
from pufa.store import Query, create_store

from .engines import content as snapshot


def test_every_record_is_labelled_sample(tmp_path: Path) -> None:
    """Titles start with 【示例】 and notes say sample; every kind appears; one edit, one void."""
    made = demo.init(tmp_path / "demo")
    assert made.demo
    store = made.open()
    events = store.events(Query(include_voided=True))
    assert all(e.title.startswith("【示例】") and e.note.startswith("示例数据") for e in events)
    assert {e.kind for e in events} == set(Kind)
    assert sum(e.voided is not None for e in events) == 1
    assert max(e.revision for e in events) == 2
    exam = next(e for e in events if e.kind is Kind.CADRE_EXAM)
    assert exam.measures.participants == 7764  # the report's figure, section 九
    assert {e.span.year for e in events} == {2023, 2024}
    assert all(e.status.slug == "held" for e in events if e.span.year == 2023)
    assert all(e.span.first_day <= demo.THROUGH_2024 for e in events if e.status.slug == "held")


def test_demo_is_reproducible(tmp_path: Path) -> None:
    """Two builds give the same store, row for row (fixed stamps, fixed order)."""
    first = demo.init(tmp_path / "a")
    second = demo.init(tmp_path / "b")
    assert snapshot(first.database) == snapshot(second.database)


def test_demo_rebuilds_a_demo_but_never_a_real_workspace(
    tmp_path: Path, sqlite_workspace: ws.Workspace
) -> None:
    """Running demo again remakes the sample; a real workspace or a busy folder is refused."""
    made = demo.init(tmp_path / "demo")
    before = snapshot(made.database)
    assert snapshot(demo.init(tmp_path / "demo").database) == before
    with pytest.raises(WorkspaceError, match="是真实的 pufa 工作区"):
        demo.init(sqlite_workspace.root)
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="不是空目录"):
        demo.init(busy)


def test_build_needs_only_a_county_and_a_store(tmp_path: Path, county: County) -> None:
    """demo.build fills any empty store: both sample years, and the one record edited after."""
    with create_store(tmp_path / "pufa.db", "kaiyang", county.timezone) as store:
        demo.build(county, store)
        events = store.events(Query(include_voided=True))
        edited = demo.edited(store)
    assert {e.span.year for e in events} == {2023, 2024}
    assert edited is not None
    assert next(e for e in events if e.id == edited).title.endswith("(民法典专题)")
