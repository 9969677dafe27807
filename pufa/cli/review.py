"""`pufa review`: the year-end evaluation (履职评议) — the ranking, an office score, its audit."""

import enum
from typing import Annotated

import typer

from pufa import amounts, names, review, unitwork
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, print_json
from pufa.cli.options import AsOfOption, JsonOption, YearOption
from pufa.cli.tallies import as_of_date
from pufa.errors import InvalidInput
from pufa.model import County
from pufa.store import ScoreChange


class Action(enum.StrEnum):
    score = "score"
    history = "history"


#: options that belong to ``review score`` only
_SCORE_ONLY = ("--item", "--score", "--reason", "--by")


def review_cmd(
    action: Annotated[
        Action | None, typer.Argument(help="score 打分;history 查看打分记录;不写则列出评议结果")
    ] = None,
    dept: Annotated[
        str | None, typer.Argument(help="部门(名称、别名或 slug;score 必填)", show_default=False)
    ] = None,
    year: YearOption = None,
    item: Annotated[str | None, typer.Option("--item", help="score:评议项的 key 或名称")] = None,
    score: Annotated[float | None, typer.Option("--score", help="score:分数(0 到该项分值)")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="score:打分理由(必填)")] = None,
    by: Annotated[str | None, typer.Option("--by", help="score:打分人(默认当前用户)")] = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """年终履职评议:各部门按评议表得分排名;score 由评议小组给评议项打分(记入修改记录);history 查看打分记录。例:pufa review --year 2023;pufa review score 县公安局 --item cases --score 25 --reason 以案释法案例汇编"""
    with errors():
        found = ws.find(STATE.workspace)
        county = found.county()
        chosen = year if year is not None else ws.this_year(county.timezone)
        _refuse_misplaced(action, dept, item, score, reason, by)
        slug = names.department(county, dept).slug if dept else None
        goals, duties = unitwork.read_duties(found, county, chosen)
        with found.open() as store:
            if action is Action.score:
                assert slug is not None
                stamp = ws.stamp(by)
                change = unitwork.set_score(
                    store, duties, slug, item or "", _number(score), reason or "", stamp
                )
                _print_change(county, change, as_json)
                return
            if action is Action.history:
                _print_history(county, store.score_history(chosen, slug), as_json)
                return
            ranked = unitwork.reviews(county, store, goals, duties, as_of_date(as_of, county))
    _print_ranking(chosen, ranked, as_json)


def _number(score: float | None) -> float:
    if score is None:
        raise InvalidInput.one("分数 (--score)", "", "应写明分数,如 --score 25")
    return score


def _refuse_misplaced(
    action: Action | None,
    dept: str | None,
    item: str | None,
    score: float | None,
    reason: str | None,
    by: str | None,
) -> None:
    """``score`` needs a unit and an item; the score options mean nothing to the other actions."""
    if action is Action.score and (dept is None or item is None):
        missing = "部门" if dept is None else "评议项 (--item)"
        raise InvalidInput.one(
            missing, "", "打分时必填:pufa review score 部门 --item 项 --score 分 --reason 理由"
        )
    given = [
        o for o, v in zip(_SCORE_ONLY, (item, score, reason, by), strict=True) if v is not None
    ]
    if action is not Action.score and given:
        raise InvalidInput.one(
            given[0], "", "只用于 pufa review score", "打分请写 pufa review score 部门 …"
        )
    if action is None and dept is not None:
        raise InvalidInput.one(
            "操作", dept, "应为 score 或 history", "查看一个部门的得分请用 pufa review --json"
        )


def _label(score: float | None) -> str:
    return review.UNSCORED if score is None else amounts.text(score)


def _print_ranking(year: int, ranked: tuple[review.UnitReview, ...], as_json: bool) -> None:
    if as_json:
        print_json(review.as_json(year, ranked))
        return
    if not ranked:
        typer.echo(f"{year} 年的责任清单里没有评议表(格式见 docs/duties.md)。")
    from pufa.cli import render  # rich: not for `--json`

    for unit in ranked:
        render.print_block(
            f"第 {unit.rank} 名 {unit.unit.dept.name}:{amounts.text(unit.total)} 分"
            + (f"(另有 {len(unit.unscored)} 项未评分)" if unit.unscored else ""),
            [_item_line(line) for line in unit.items],
        )


def _item_line(line: review.ItemScore) -> str:
    """One item of a unit's sheet: ``  名称(key):得分 / 分值(how it was scored)``."""
    how = (
        f"台账计算,完成率 {amounts.text(round(100 * (line.rate or 0), 1))}%"
        if line.item.computed
        else "评议打分"
    )
    return (
        f"  {line.item.name}({line.item.key}):{_label(line.score)} / "
        f"{amounts.text(line.item.weight)}({how})"
    )


def _change_json(change: ScoreChange) -> dict[str, object]:
    return {
        "year": change.year,
        "dept": change.dept,
        "item": change.item,
        "seq": change.seq,
        "score": amounts.json_value(change.score),
        "previous": amounts.json_value(change.previous),
        "changed_at": change.at.isoformat(),
        "changed_by": change.by,
        "reason": change.reason,
    }


def _change_line(county: County, change: ScoreChange) -> str:
    when = change.at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm")
    name = county.department(change.dept).name
    return (
        f"{when} {change.by} {name} {change.item}:{_label(change.previous)} → "
        f"{amounts.text(change.score)}(理由:{change.reason})"
    )


def _print_change(county: County, change: ScoreChange, as_json: bool) -> None:
    if as_json:
        print_json(_change_json(change))
        return
    typer.echo(f"已记录:{_change_line(county, change)}")


def _print_history(county: County, changes: list[ScoreChange], as_json: bool) -> None:
    if as_json:
        print_json([_change_json(c) for c in changes])
        return
    if not changes:
        typer.echo("还没有打分记录。")
    for change in changes:
        typer.echo(_change_line(county, change))
