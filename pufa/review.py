"""Year-end evaluation (履职评议), pure: a unit's sheet scored from its tally and the office's scores.

A computed item is worth ``weight`` × its task's completion rate, capped at 100% (a rate indicator
without records counts 0); an office-scored item is the latest score set with ``pufa review score``,
or 未评分 (None) until then. :func:`rank` orders the units by total; :func:`check_score` is the
refusal of a bad ``review score``; :func:`as_json` the stable JSON of ``pufa review --json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from pufa import amounts
from pufa.duties import Duties, Item, Unit
from pufa.errors import InvalidInput, Problem
from pufa.names import closest
from pufa.tally import Summary
from pufa.value import valueclass

#: the word for an office-scored item not scored yet
UNSCORED = "未评分"


@valueclass
class ItemScore:
    """One item's score: None while an office-scored item is 未评分; ``rate`` (0–1, uncapped) for
    a computed item."""

    item: Item
    score: float | None
    rate: float | None = None


@valueclass
class UnitReview:
    """A unit's evaluation: every item's score, the total of those known, and its place."""

    unit: Unit
    items: tuple[ItemScore, ...]
    rank: int = 0

    @property
    def total(self) -> float:
        return round(sum(i.score for i in self.items if i.score is not None), 2)

    @property
    def unscored(self) -> tuple[str, ...]:
        """Keys of the office-scored items still 未评分."""
        return tuple(i.item.key for i in self.items if i.score is None)


def evaluate(unit: Unit, summary: Summary, scores: Mapping[str, float]) -> UnitReview:
    """``unit``'s sheet scored: computed items from ``summary`` (the unit's tasks over its
    records), office items from ``scores`` (item key → latest score)."""
    rows = {r.indicator.key: r for r in summary.rows}
    items = []
    for item in unit.sheet:
        if item.task is None:
            items.append(ItemScore(item, scores.get(item.key)))
            continue
        row = rows.get(item.task)
        percent = math.nan if row is None or math.isnan(row.held) else row.percent
        rate = 0.0 if math.isnan(percent) else percent / 100
        items.append(ItemScore(item, round(item.weight * min(rate, 1.0), 2), rate))
    return UnitReview(unit, tuple(items))


def rank(reviews: Sequence[UnitReview]) -> tuple[UnitReview, ...]:
    """Units with a sheet, highest total first (ties share a place, in the file's order)."""
    ordered = sorted((r for r in reviews if r.unit.sheet), key=lambda r: -r.total)
    out: list[UnitReview] = []
    for index, review in enumerate(ordered):
        tied = out and out[-1].total == review.total
        out.append(_placed(review, out[-1].rank if tied else index + 1))
    return tuple(out)


def _placed(review: UnitReview, place: int) -> UnitReview:
    return UnitReview(review.unit, review.items, place)


def check_score(duties: Duties, dept: str, key: str, score: float, reason: str) -> Item:
    """The office-scored item ``key`` of the unit ``dept`` (a slug), if ``score`` fits it;
    otherwise an :class:`InvalidInput` naming each bad value, what it should be and the closest."""
    unit = duties.unit(dept)
    if unit is None or not unit.sheet:
        evaluated = [u.dept.name for u in duties.units if u.sheet]
        raise InvalidInput.one(
            "部门",
            dept if unit is None else unit.dept.name,
            f"应为 {duties.year} 年责任清单中有评议表的部门({'、'.join(evaluated) or '无'})",
        )
    scored = [i for i in unit.sheet if not i.computed]
    names = [i.key for i in scored]
    item = unit.item(key)
    problems = []
    if item is None or item.computed:
        why = "由台账计算,不能手工打分;" if item is not None else ""
        expected = f"{why}应为 {unit.dept.name} 评议表中由评议打分的项({'、'.join(names) or '无'})"
        guess = closest(key, names)
        problems.append(Problem("评议项 (--item)", key, expected, guess and f"是否指 {guess}?"))
    elif not (math.isfinite(score) and 0 <= score <= item.weight):
        problems.append(
            Problem(
                "分数 (--score)", amounts.text(score), f"应为 0 到 {amounts.text(item.weight)} 分"
            )
        )
    if not reason.strip():
        problems.append(Problem("理由 (--reason)", reason, "应写明打分理由(记入修改记录)"))
    if problems:
        raise InvalidInput(problems)
    assert item is not None
    return item


def as_json(year: int, reviews: Sequence[UnitReview]) -> dict[str, object]:
    """``pufa review --json``: stable field names; an unscored item's ``score`` is null."""
    return {
        "year": year,
        "total": 100,
        "units": [
            {
                "rank": r.rank,
                "dept": r.unit.dept.slug,
                "name": r.unit.dept.name,
                "score": amounts.json_value(r.total),
                "unscored": list(r.unscored),
                "items": [_item_json(i) for i in r.items],
            }
            for r in reviews
        ],
    }


def _item_json(score: ItemScore) -> dict[str, object]:
    item = score.item
    return {
        "key": item.key,
        "name": item.name,
        "weight": amounts.json_value(item.weight),
        "source": "computed" if item.computed else "scored",
        "task": item.task,
        "rate": None if score.rate is None else amounts.json_value(score.rate),
        "score": None if score.score is None else amounts.json_value(score.score),
    }
