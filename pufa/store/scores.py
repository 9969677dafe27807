"""The office's scores of the year-end evaluation (履职评议), audited and append-only.

Every ``pufa review score`` adds one row to ``scores`` — year, unit, item, the new score and the one
it replaces, who, when and why —; the current score of an item is its latest row. Nothing is ever
updated or deleted (triggers refuse it on both engines). :class:`Scores` is the part of
:class:`~pufa.store.sql.SQLStore` that reads and writes them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any

import pendulum

from pufa.store.rows import stamp_text
from pufa.value import valueclass


@valueclass
class ScoreChange:
    """One audited change of an office-scored item: who set it, when, from what to what, why.

    ``seq`` counts the changes of one (year, unit, item) from 1; ``previous`` is None at the first.
    """

    year: int
    dept: str
    item: str
    score: float
    reason: str
    at: pendulum.DateTime
    by: str
    previous: float | None = None
    seq: int = 0


def _change(row: Any) -> ScoreChange:
    at = pendulum.instance(dt.datetime.fromisoformat(row["changed_at"]))
    previous = None if row["previous"] is None else float(row["previous"])
    return ScoreChange(
        int(row["year"]), row["dept"], row["item"], float(row["score"]), row["reason"],
        at, row["changed_by"], previous, int(row["seq"]),
    )  # fmt: skip


class Scores:
    """Reads and writes of ``scores``; the store supplies ``_execute`` and ``transaction``."""

    if TYPE_CHECKING:  # what the store (SQLStore) supplies: declared for the type checker only

        def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any: ...

        def transaction(self) -> AbstractContextManager[None]: ...

    def scores(self, year: int) -> dict[tuple[str, str], float]:
        """The current score of every scored (unit slug, item key) of ``year``."""
        return {(c.dept, c.item): c.score for c in self.score_history(year)}

    def score_history(self, year: int, dept: str | None = None) -> list[ScoreChange]:
        """Every change of ``year``'s scores (of one unit, a slug), oldest first."""
        params: list[Any]
        sql, params = "SELECT * FROM scores WHERE year = ?", [year]
        if dept is not None:
            sql, params = sql + " AND dept = ?", [year, dept]
        rows = self._execute(sql + " ORDER BY changed_at, id", params).fetchall()
        return [_change(row) for row in rows]

    def set_score(self, change: ScoreChange) -> ScoreChange:
        """Record a new score for an item; returns it with the score it replaces and its ``seq``."""
        with self.transaction():
            last = self._execute(
                "SELECT seq, score FROM scores WHERE year = ? AND dept = ? AND item = ? "
                "ORDER BY seq DESC LIMIT 1",
                (change.year, change.dept, change.item),
            ).fetchone()
            seq = 1 if last is None else int(last["seq"]) + 1
            previous = None if last is None else float(last["score"])
            self._execute(
                "INSERT INTO scores (year, dept, item, seq, score, previous, changed_at, "
                "changed_by, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    change.year, change.dept, change.item, seq, repr(change.score),
                    None if previous is None else repr(previous), stamp_text(change.at),
                    change.by, change.reason,
                ),
            )  # fmt: skip
        return ScoreChange(
            change.year, change.dept, change.item, change.score, change.reason,
            change.at, change.by, previous, seq,
        )  # fmt: skip
