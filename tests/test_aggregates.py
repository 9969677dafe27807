"""pufa.store.aggregates: the year's aggregate queries, built as (sql, params) and read directly.

The first tests pin the text and parameters each builder makes; the rest run the built statements
through the plain ``sqlite3`` driver on a real store file holding a handful of named records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pufa.event import Voiding
from pufa.intake import Entry, build
from pufa.model import COUNT_MAX, County
from pufa.store import aggregates, create_store

from .conftest import STAMP

#: the countable-records clause every aggregate shares (no township)
COUNTABLE = (
    "year = ? AND voided_reason IS NULL AND status <> 'cancelled' AND " + aggregates.IN_BOUNDS
)
KEYS = (
    "kind, township, village, dept, venue, occasion, mode, status, substr(day, 6, 2) AS month, "
    "CASE WHEN day <= ? THEN 1 ELSE 0 END AS due"
)


def test_in_bounds_names_every_measure_with_the_bound() -> None:
    """A row is in bounds when each of its counts, missing as 0, is at most COUNT_MAX."""
    assert aggregates.IN_BOUNDS.split(" AND ") == [
        f"COALESCE({m}, 0) <= {COUNT_MAX}" for m in aggregates.MEASURE_COLUMNS
    ]


def test_countable_is_the_year_without_voided_cancelled_or_oversized() -> None:
    """The shared clause takes the year as its one parameter."""
    assert aggregates.countable(2024) == (COUNTABLE, [2024])


def test_countable_narrows_to_a_township() -> None:
    """A township code adds one condition and one parameter after the year."""
    assert aggregates.countable(2024, "520121100") == (
        COUNTABLE + " AND township = ?",
        [2024, "520121100"],
    )


def test_cube_sums_every_measure_grouped_by_dimension_month_and_due() -> None:
    """The cube groups by the 8 dimensions, the month and due (10 columns); as_of comes first."""
    sql, params = aggregates.cube(2024, "2024-06-30")
    sums = ", ".join(f"SUM({m}) AS {m}" for m in aggregates.MEASURE_COLUMNS).replace(
        "SUM(trainees)", f"SUM({aggregates.TRAINEES})"
    )
    assert sql == (
        f"SELECT {KEYS}, COUNT(*) AS records, {sums} FROM events WHERE {COUNTABLE} "
        "GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    )
    assert params == ["2024-06-30", 2024]


def test_distinct_selects_one_detail_field_as_value() -> None:
    """distinct asks for the field's non-null values next to the dimensions."""
    sql, params = aggregates.distinct(2024, "2024-06-30", "school", "520121100")
    assert sql == (
        f"SELECT DISTINCT {KEYS}, school AS value FROM events "
        f"WHERE {COUNTABLE} AND township = ? AND school IS NOT NULL"
    )
    assert params == ["2024-06-30", 2024, "520121100"]


def test_distinct_refuses_a_column_that_is_no_detail_field() -> None:
    """Only kind-specific fields are spliced into the SQL: anything else is a ValueError."""
    with pytest.raises(ValueError, match="title"):
        aggregates.distinct(2024, "2024-06-30", "title")


def test_record_ids_filters_held_kinds_and_matches() -> None:
    """Held by as_of, of the kinds given, each matched field one of its values; ids in order."""
    sql, params = aggregates.record_ids(
        2024, "2024-06-30", ["lecture", "campaign"], {"venue": ["school", "village"]}
    )
    assert sql == (
        f"SELECT id FROM events WHERE {COUNTABLE} AND status = 'held' AND day <= ? "
        "AND kind IN (?, ?) AND venue IN (?, ?) ORDER BY id"
    )
    assert params == [2024, "2024-06-30", "lecture", "campaign", "school", "village"]


def test_record_ids_without_kinds_takes_every_kind() -> None:
    """No kinds and no matches: only the held-by-as_of conditions are added."""
    sql, params = aggregates.record_ids(2024, "2024-06-30", [], {})
    assert sql.endswith("AND status = 'held' AND day <= ? ORDER BY id")
    assert params == [2024, "2024-06-30"]


def test_record_ids_refuses_a_match_on_a_column_that_is_no_detail_field() -> None:
    """A match on a non-detail column is a ValueError, never SQL."""
    with pytest.raises(ValueError, match="1=1"):
        aggregates.record_ids(2024, "2024-06-30", [], {"1=1) OR (1": ["x"]})


def test_left_out_is_the_years_oversized_records_not_voided() -> None:
    """left_out negates the bounds clause and takes the year alone."""
    assert aggregates.left_out(2024) == (
        "SELECT id FROM events WHERE year = ? AND voided_reason IS NULL "
        f"AND NOT ({aggregates.IN_BOUNDS}) ORDER BY id",
        [2024],
    )


# -- the built statements on a real store file ------------------------------------------------


@pytest.fixture
def rows(tmp_path: Path, county: County) -> Iterator[sqlite3.Connection]:
    """A store file holding six records, and a plain sqlite3 connection to it (rows as dicts):

    #1 lecture 禾丰 2024-03-05 held, 10 people    #4 lecture 禾丰 2023-05-05 held (last year)
    #2 lecture 南江 2024-07-01 planned, 20 people #5 lecture 禾丰 2024-03-05 held, count over bound
    #3 lecture 禾丰 2024-03-06 held, voided       #6 school-lecture 禾丰 2024-03-04 held, 开阳一中
    """
    path = tmp_path / "pufa.db"

    def lecture(day: str, township: str = "禾丰", **values: str) -> None:
        entry = Entry("lecture", {"title": "讲座", "date": day, "township": township, **values})
        store.add(build(county, entry), STAMP)

    with create_store(path, "kaiyang", "Asia/Shanghai") as store:
        lecture("2024-03-05", participants="10")
        lecture("2024-07-01", "南江", participants="20", status="planned")
        lecture("2024-03-06", participants="5")
        store.void(3, Voiding("重复", STAMP))
        lecture("2023-05-05", participants="7")
        lecture("2024-03-05", participants="1")
        school = {"title": "进校", "date": "2024-03-04", "township": "禾丰", "school": "开阳一中"}
        store.add(build(county, Entry("school-lecture", school)), STAMP)
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    conn.execute(f"UPDATE events SET participants = {COUNT_MAX + 1} WHERE id = 5")
    yield conn
    conn.close()


def run(conn: sqlite3.Connection, built: aggregates.Built) -> list[dict[str, Any]]:
    sql, params = built
    return [dict(row) for row in conn.execute(sql, params).fetchall()]


def test_cube_on_a_file_sums_the_countable_records(rows: sqlite3.Connection) -> None:
    """2024's lectures: #1 held and due, #2 planned and not yet due; #3, #4, #5 are not counted."""
    found = run(rows, aggregates.cube(2024, "2024-06-30"))
    lectures = sorted(
        (r["month"], r["status"], r["due"], r["records"], r["participants"])
        for r in found
        if r["kind"] == "lecture"
    )
    assert lectures == [("03", "held", 1, 1, 10), ("07", "planned", 0, 1, 20)]


def test_cube_on_a_file_for_one_township(rows: sqlite3.Connection, county: County) -> None:
    """Narrowed to 南江, only the planned lecture #2 is left."""
    nanjiang = next(t.code for t in county.townships if t.name.startswith("南江"))
    found = run(rows, aggregates.cube(2024, "2024-06-30", nanjiang))
    assert [(r["kind"], r["records"]) for r in found] == [("lecture", 1)]


def test_distinct_on_a_file_lists_the_school(rows: sqlite3.Connection) -> None:
    """The one school of 2024's school lectures, with its month and due flag."""
    found = run(rows, aggregates.distinct(2024, "2024-06-30", "school"))
    assert [(r["value"], r["month"], r["due"]) for r in found] == [("开阳一中", "03", 1)]


def test_record_ids_on_a_file_are_the_held_lectures(rows: sqlite3.Connection) -> None:
    """Held lectures of 2024 by June: #1 only (#2 planned, #3 voided, #5 over the bound)."""
    found = run(rows, aggregates.record_ids(2024, "2024-06-30", ["lecture"], {}))
    assert [r["id"] for r in found] == [1]


def test_left_out_on_a_file_names_the_oversized_record(rows: sqlite3.Connection) -> None:
    """#5's count is over the bound: it is the year's one record left out of every sum."""
    assert [r["id"] for r in run(rows, aggregates.left_out(2024))] == [5]
