"""Independent readers: every published feed of a demo workspace, after a plan / done / cancel /
move / void lifecycle, read by libical (Evolution's parser, through PyGObject in the system Python)
and by ical.js (Thunderbird's, with node): each event's UID, title, status and times agree with the
store, and each feed holds exactly its records, once. Skipped where a reader is missing, except
under CI (``CI=true``), where .ci/run installs both and a missing one fails the run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pendulum
import pytest

from pufa import ical
from pufa import workspace as ws
from pufa.event import Event
from pufa.model import Status
from pufa.store import Query

from .conftest import invoke_ok

READERS = Path(__file__).resolve().parent / "readers"
PROBE = "import gi; gi.require_version('ICalGLib', '3.0'); from gi.repository import ICalGLib"


def _missing(what: str) -> None:
    """Skip, or under CI fail: the readers are required there."""
    if os.environ.get("CI"):
        pytest.fail(f"CI 必须用独立的解析器读日历:{what}")
    pytest.skip(what)


def libical_python() -> str:
    """A Python that can import libical through PyGObject (the system one, usually)."""
    for python in dict.fromkeys(p for p in ("/usr/bin/python3", shutil.which("python3")) if p):
        if subprocess.run([python, "-c", PROBE], capture_output=True).returncode == 0:
            return python
    _missing("libical 未安装(apt-get install gir1.2-ical-3.0 python3-gi)")
    raise AssertionError  # not reached


def node() -> str:
    """node, with ical.js installed under tests/readers."""
    found = shutil.which("node")
    if found is None or not (READERS / "node_modules" / "ical.js").is_dir():
        _missing("ical.js 未安装(npm install --prefix tests/readers ical.js)")
    assert found is not None
    return found


@pytest.fixture
def lifecycle(sqlite_workspace: ws.Workspace, monkeypatch: pytest.MonkeyPatch) -> ws.Workspace:
    """The demo's records; then, late in 2024, one plan done, one cancelled, one moved, one voided;
    published."""
    root = sqlite_workspace.root
    monkeypatch.setenv("PUFA_NOW", "2024-06-30T10:00:00+08:00")
    invoke_ok(root, "demo", str(root / "demo"))
    monkeypatch.setenv("PUFA_NOW", "2024-12-31T10:00:00+08:00")
    demo = root / "demo"
    planned = [e.id for e in events(ws.read(demo)) if e.status is Status.PLANNED]
    invoke_ok(demo, "done", str(planned[0]), "-p", "40")
    invoke_ok(demo, "cancel", str(planned[1]), "--reason", "汛期")
    invoke_ok(demo, "edit", str(planned[2]), "--date", "2024-12-20", "--reason", "改期")
    invoke_ok(demo, "void", str(planned[3]), "--reason", "重复登记")
    invoke_ok(demo, "feeds", "publish", "--base-url", "https://pufa.example.gov.cn/feeds")
    return ws.read(demo)


def events(workspace: ws.Workspace) -> list[Event]:
    with workspace.open() as store:
        return sorted(store.events(Query(include_voided=True)), key=lambda e: e.id or 0)


def _utc(value: pendulum.DateTime) -> str:
    return value.in_timezone("UTC").format("YYYY-MM-DD[T]HH:mm:ss[Z]")


def expected(workspace: ws.Workspace) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Feed file → UID → what a reader must find, from the store (one entry per record)."""
    county = workspace.county()
    found: dict[str, dict[str, list[dict[str, Any]]]] = {f"{county.slug}.ics": {}}
    files = {t.code: f"{t.code}-{t.slug}.ics" for t in county.townships}
    found |= {name: {} for name in files.values()}
    with workspace.open() as store:
        store_id = store.store_id()
    for event in ical.publishable(events(workspace))[0]:
        span = event.span
        if span.all_day:
            times = (span.first_day.isoformat(), span.end.add(days=1).isoformat())
        else:
            assert isinstance(span.start, pendulum.DateTime)
            assert isinstance(span.end, pendulum.DateTime)
            times = (_utc(span.start), None if span.end == span.start else _utc(span.end))
        status = (
            "CANCELLED"
            if event.status is Status.CANCELLED or event.voided is not None
            else "TENTATIVE"
            if event.status is Status.PLANNED
            else "CONFIRMED"
        )
        item = {"title": ical.public(event.title), "status": status, "times": times}
        uid = ical.uid(county, event, store_id)
        for name in (f"{county.slug}.ics", files.get(event.township or "")):
            if name:
                found[name].setdefault(uid, []).append(item)
    return found


def agree(read: dict[str, list[dict[str, Any]]], workspace: ws.Workspace) -> None:
    """Every feed as read holds exactly its records, once each, with the store's fields."""
    wanted = expected(workspace)
    assert sorted(read) == sorted(wanted)
    for name, items in read.items():
        got = {item["uid"]: item for item in items}
        assert len(got) == len(items), f"{name}: 重复的 UID"
        assert sorted(got) == sorted(wanted[name]), name
        for uid, item in got.items():
            (want,) = wanted[name][uid]
            assert item["summary"].endswith(want["title"]), (name, uid)
            assert item["status"] == want["status"], (name, uid)
            assert (item["start"], item["end"]) == want["times"], (name, uid)


def feeds(workspace: ws.Workspace) -> list[str]:
    return sorted(str(p) for p in (workspace.root / "feeds").glob("*.ics"))


def test_the_lifecycle_covers_every_state(lifecycle: ws.Workspace) -> None:
    """The workspace the readers read has planned, held, cancelled and voided records."""
    kinds = {(e.status, e.voided is not None) for e in events(lifecycle)}
    assert {(Status.PLANNED, False), (Status.HELD, False), (Status.CANCELLED, False)} <= kinds
    assert any(voided for _, voided in kinds)


def test_libical_reads_every_event_as_the_store_has_it(lifecycle: ws.Workspace) -> None:
    """libical (PyGObject, ICalGLib 3.0) reads each feed's events with the store's fields."""
    python = libical_python()
    result = subprocess.run(
        [python, str(READERS / "libical_read.py"), *feeds(lifecycle)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": ""},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    agree(json.loads(result.stdout), lifecycle)


def test_icaljs_reads_every_event_as_the_store_has_it(lifecycle: ws.Workspace) -> None:
    """ical.js (node) reads each feed's events with the store's fields."""
    result = subprocess.run(
        [node(), str(READERS / "icaljs_read.mjs"), *feeds(lifecycle)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    agree(json.loads(result.stdout), lifecycle)
