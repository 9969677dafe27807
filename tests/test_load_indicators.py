"""pufa.load.indicators: indicators and targets read whole; the small pure checks they are built from.

The broken-file messages are pinned in tests/test_targets.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pufa.load.indicators import (
    default_phrase,
    load_indicators,
    venue_names,
    venue_slug,
    weights_valid,
)
from pufa.model import County, Measure
from pufa.targets import Count, Indicator

#: an indicator matching venues by name and synonym, and a rate of two measures
INDICATORS = """\
[[indicators]]
key = "school-sessions"
name = "进学校场次"
count = "sum"
measure = "sessions"
kinds = ["seven-into"]
match = { venue = ["学校", "校园"] }
unit = "场次"

[[indicators]]
key = "pass-rate"
name = "考试合格率"
count = "rate"
numerator = "passed"
denominator = "participants"
unit = "%"
"""


def test_twelve_non_negative_weights_are_valid() -> None:
    """Twelve weights, integers or decimals, zeros allowed, make a profile."""
    assert weights_valid([0, 1, 1.5, 1, 1, 1, 1, 1, 1, 1, 1, 2])


@pytest.mark.parametrize(
    "weights",
    [[1] * 11, [0] * 12, [1] * 11 + [-1], [True] * 12, [1] * 11 + ["1"], {"1": 1}, None],
    ids=["eleven", "all-zero", "negative", "booleans", "text", "table", "missing"],
)
def test_other_weights_are_refused(weights: object) -> None:
    """Not twelve, all zero, negative, booleans, text or not a list: no profile."""
    assert not weights_valid(weights)


def test_venue_names_hold_slugs_names_and_synonyms(county: County) -> None:
    """Every spelling of a venue may be matched on: slug, name and synonym."""
    assert {"school", "学校", "校园"} <= venue_names(county)


def test_venue_slug_folds_a_synonym(county: County) -> None:
    """校园 is the school venue."""
    assert venue_slug(county, "校园") == "school"


def test_venue_slug_keeps_an_unknown_value(county: County) -> None:
    """A value naming no venue is kept as written (the loader has reported it)."""
    assert venue_slug(county, "火星") == "火星"


def test_default_phrase_puts_the_value_where_the_figure_was() -> None:
    """The figure's first occurrence becomes {}."""
    assert default_phrase("开展法治讲座76场次,覆盖76个村", "76") == "开展法治讲座{}场次,覆盖76个村"


def test_default_phrase_is_none_without_the_figure() -> None:
    """A quote that does not contain the figure gives no phrase."""
    assert default_phrase("开展法治讲座七十六场次", "76") is None


def _load(tmp_path: Path, county: County) -> dict[str, Indicator]:
    path = tmp_path / "indicators.toml"
    path.write_text(INDICATORS, encoding="utf-8")
    return dict(load_indicators(path, county).indicators)


def test_match_folds_venue_names_to_slugs(tmp_path: Path, county: County) -> None:
    """`match = { venue = ["学校", "校园"] }` filters on the slug the store keeps."""
    indicator = _load(tmp_path, county)["school-sessions"]
    assert indicator.match == {"venue": ("school", "school")}


def test_a_rate_takes_its_numerator_and_denominator(tmp_path: Path, county: County) -> None:
    """A rate indicator counts passed over participants, and no single measure."""
    indicator = _load(tmp_path, county)["pass-rate"]
    assert (indicator.count, indicator.measure) == (Count.RATE, None)
    assert (indicator.numerator, indicator.denominator) == (
        Measure.PASSED,
        Measure.PARTICIPANTS,
    )
