"""`pufa year start`: a new year's targets draft (and plan) from the latest earlier year."""

from typing import Annotated

import typer

from pufa import workspace as ws
from pufa import yearly
from pufa.cli.common import STATE, errors

year_app = typer.Typer(
    name="year",
    help="年度:开始新的一年(起草目标和计划)。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@year_app.command("start")
def start_cmd(
    year: Annotated[int, typer.Argument(help="新的年份,如 2026", min=2000, max=2100)],
    from_year: Annotated[
        int | None,
        typer.Option("--from", help="从哪一年的目标和计划起草(默认:有目标文件的最近一年)"),
    ] = None,
    include_past: Annotated[
        bool,
        typer.Option("--include-past", help="计划中窗口已过(今天以前)的项目也保留"),
    ] = False,
) -> None:
    """起草新一年的目标(每项待核实)并顺延上一年的计划,不覆盖已有文件。例:pufa year start 2026"""
    with errors():
        found = ws.find(STATE.workspace)
        started = yearly.start_year(found, found.county(), year, from_year, include_past)
    if started.targets_from is None:
        typer.echo(f"已写入 {started.targets}:空模板(没有更早年份的目标可沿用),请按本县文件填写。")
    else:
        typer.echo(
            f"已写入 {started.targets}:由 {started.targets_from} 起草,"
            f"每项目标标为“待核实”,请逐项核实后删去 status 行。"
        )
    if started.plan is None:
        typer.echo("没有更早年份的计划可顺延,未生成计划文件。")
        return
    typer.echo(f"已写入 {started.plan}:由 {started.plan_from} 顺延到 {year} 年。")
    if started.left_out:
        typer.echo(
            f"窗口已过的 {len(started.left_out)} 项未列入:{'、'.join(started.left_out)}"
            "(要保留请删去计划文件后加 --include-past 重新运行)。"
        )
    if started.clipped:
        typer.echo(
            f"{len(started.clipped)} 项的窗口去掉了今天以前的日子:{'、'.join(started.clipped)}。"
        )
    typer.echo(f"下一步:pufa plan check {started.plan.name}")
