"""pufa.yearly: a year tallied from a county profile, an open store and the year's goals."""

from __future__ import annotations

import re
from pathlib import Path

import pendulum
import pytest

from pufa import records, yearly
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.intake import Entry
from pufa.load import load_indicators, load_targets
from pufa.model import County
from pufa.store import create_store

from .conftest import ROOT, STAMP

KAIYANG = ROOT / "campaigns" / "kaiyang"


def test_load_year_needs_only_a_county_a_store_and_the_goals(
    store_location: str | Path, county: County
) -> None:
    """No workspace: the shipped 2024 goals over a store holding one held 法律七进 session."""
    indicators = load_indicators(KAIYANG / "indicators.toml", county)
    goals = yearly.Goals(indicators, load_targets(KAIYANG / "targets-2024.toml", indicators))
    entry = Entry(
        "seven-into",
        {"title": "t", "township": "禾丰乡", "venue": "学校", "date": "2024-03-05"},
    )
    with create_store(store_location, "kaiyang", county.timezone) as store:
        records.log(store, county, entry, STAMP)
        year = yearly.load_year(county, store, goals, pendulum.Date(2024, 6, 30))
    row = next(r for r in year.summary.rows if r.indicator.key == "seven-into-sessions")
    assert (row.held, row.planned) == (1, 0)
    assert year.warnings == ()


def test_read_goals_refuses_a_targets_file_of_another_year(
    sqlite_workspace: ws.Workspace, county: County
) -> None:
    """targets-2024.toml that says year = 2023 is refused, naming the file and the year asked."""
    path = sqlite_workspace.root / "targets-2024.toml"
    path.write_text((KAIYANG / "targets-2023.toml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InvalidInput, match=re.escape("应为 2024(与文件名和 --year 一致)")):
        yearly.read_goals(sqlite_workspace, county, 2024)
