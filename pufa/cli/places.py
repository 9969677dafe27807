"""`pufa places`: the county's townships and their 村(居), as text or JSON."""

from typing import Annotated

import typer

from pufa import names
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, print_json
from pufa.jsonout import places_json


def places_cmd(
    township: Annotated[
        str | None, typer.Option("--township", "-t", help="只列一个乡(镇、街道)的村(居)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON(稳定的字段名)")] = False,
) -> None:
    """列出乡(镇、街道)和各自的村(居):代码、全称、简称(--village 三者皆可)。例:pufa places --township 南江"""
    with errors():
        county = ws.find(STATE.workspace).county()
        towns = (names.township(county, township),) if township else county.townships
    if as_json:
        print_json(places_json(towns))
        return
    for town in towns:
        typer.echo(f"{town.code}  {town.name}({town.short_name}),{len(town.villages)} 个村(居)")
        for village in town.villages:
            short = f"(简称 {village.short_name})" if village.short_name != village.name else ""
            typer.echo(f"  {village.code}  {village.name}{short}")
    if not township:
        total = sum(len(t.villages) for t in towns)
        typer.echo(f"共 {len(towns)} 个乡镇级单位、{total} 个村(居)")
