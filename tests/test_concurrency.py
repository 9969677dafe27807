"""Many writers at once: 8 processes × 50 `pufa log` into one workspace, nothing lost, no lock errors."""

from __future__ import annotations

import json
import multiprocessing
import os
import time

import pytest
from typer.testing import CliRunner

from pufa import workspace as ws
from pufa.store import Query

WORKERS = 8
EACH = 50


def _worker(args: tuple[str, int, float]) -> list[tuple[int, str]]:
    """Log EACH records through the CLI (same code path as the command); return failures."""
    root, number, start_at = args
    os.environ["PUFA_WORKSPACE"] = root
    os.environ["PUFA_USER"] = f"乡镇{number}"
    from pufa.cli.app import app

    runner = CliRunner()
    while time.time() < start_at:  # all workers begin together
        time.sleep(0.001)
    failures = []
    for i in range(EACH):
        result = runner.invoke(
            app,
            ["log", "seven-into", "-d", "2024-03-05", "-t", "禾丰乡", "--venue", "学校",
             "--title", f"并发 {number}-{i}", "-p", str(i)],
        )  # fmt: skip
        if result.exit_code != 0:
            failures.append((result.exit_code, result.output))
    return failures


@pytest.mark.slow
def test_eight_processes_log_fifty_each(workspace: ws.Workspace) -> None:
    """All 400 records arrive, each once, each with its revision; no 'database is locked' reaches a user."""
    context = multiprocessing.get_context("spawn")
    start_at = time.time() + 3.0
    with context.Pool(WORKERS) as pool:
        results = pool.map(_worker, [(str(workspace.root), n, start_at) for n in range(WORKERS)])
    failures = [f for worker in results for f in worker]
    assert failures == []
    store = workspace.open()
    try:
        events = store.events(Query())
        assert len(events) == WORKERS * EACH
        assert sorted(e.id for e in events) == list(range(1, WORKERS * EACH + 1))
        assert len({e.title for e in events}) == WORKERS * EACH
        assert {e.created.by for e in events if e.created} == {f"乡镇{n}" for n in range(WORKERS)}
        assert all(len(store.history(e.id)) == 1 for e in events[:20] if e.id)
    finally:
        store.close()
    from pufa.cli.app import app

    listed = CliRunner().invoke(app, ["-w", str(workspace.root), "list", "--json"])
    assert len(json.loads(listed.output)) == WORKERS * EACH
