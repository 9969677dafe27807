"""`pufa duties`: each responsible unit's 普法责任清单 and its tasks' progress (谁执法谁普法)."""

from typing import Annotated

import typer

from pufa import names, unitwork
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, print_json
from pufa.cli.options import AsOfOption, JsonOption, YearOption
from pufa.cli.tallies import as_of_date
from pufa.jsonout import summary_json
from pufa.unitwork import UnitProgress


def duties_cmd(
    dept: Annotated[
        str | None, typer.Option("--dept", "-d", help="只看一个部门(名称、别名或 slug)")
    ] = None,
    year: YearOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """各部门普法责任清单:职责、重点宣传的法律、年度任务的完成情况(只统计该部门的记录)。例:pufa duties --year 2023 --dept 县司法局"""
    with errors():
        found = ws.find(STATE.workspace)
        county = found.county()
        slug = names.department(county, dept).slug if dept else None
        chosen = year if year is not None else ws.this_year(county.timezone)
        when = as_of_date(as_of, county)
        goals, duties = unitwork.read_duties(found, county, chosen)
        with found.open() as store:
            units = unitwork.progress(county, store, goals, duties, when, slug)
    if as_json:
        print_json(
            {"year": duties.year, "source": duties.source, "units": [_json(u) for u in units]}
        )
        return
    from pufa.cli import render  # rich: not for `--json`

    if not units:
        typer.echo(f"{duties.year} 年的责任清单里没有这个部门。")
    for unit in units:
        render.print_block(
            f"{unit.unit.dept.name}({unit.unit.dept.kind})",
            [f"职责:{unit.unit.duties}", f"重点宣传:{'、'.join(unit.unit.laws) or '—'}"],
        )
        render.print_summary(county, unit.summary)


def _json(progress: UnitProgress) -> dict[str, object]:
    unit = progress.unit
    return {
        "dept": unit.dept.slug,
        "name": unit.dept.name,
        "kind": unit.dept.kind,
        "duties": unit.duties,
        "laws": list(unit.laws),
        "as_of": progress.summary.as_of.isoformat(),
        "tasks": summary_json(progress.summary)["rows"],
    }
