"""`pufa plan …`, `pufa done`, `pufa cancel`: campaign plans onto working days, and their lifecycle."""

from pathlib import Path
from typing import Annotated

import typer

from pufa import plans
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, opened
from pufa.cli.options import LockedReasonOption

plan_app = typer.Typer(
    name="plan",
    help="普法计划:检查、按工作日排期写入(计划记录)、查看。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _plan_file(found: ws.Workspace, file: Path) -> Path:
    """The plan as given, or, if there is no such file here, the one in the workspace."""
    return file if file.exists() or file.is_absolute() else found.root / file


PlanFile = Annotated[Path, typer.Argument(help="计划文件,如 plan-2024.toml(工作区内的副本)")]


@plan_app.command("check")
def check_cmd(file: PlanFile) -> None:
    """检查计划并试排:每项排了几次、排在哪几天、有无排不下的。不写入。例:pufa plan check plan-2024.toml"""
    from pufa.cli import render  # rich: kept out of start-up and `pufa --help`

    with errors():
        found = ws.find(STATE.workspace)
        with opened(found) as (county, store):
            prepared = plans.prepare(
                county, store, _plan_file(found, file), plans.calendar_path(found)
            )
    render.print_plan(prepared)
    if prepared.schedule.unplaced:
        raise typer.Exit(1)


@plan_app.command("apply")
def apply_cmd(
    file: PlanFile,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只显示将新增、挪动、取消哪些记录,不写入")
    ] = False,
    include_past: Annotated[
        bool,
        typer.Option("--include-past", help="日期在今天以前的项目也写入(默认拒绝,不写入)"),
    ] = False,
    by: Annotated[str | None, typer.Option("--by", envvar="PUFA_USER", help="操作人")] = None,
    locked_reason: LockedReasonOption = None,
) -> None:
    """按计划写入计划记录:新增、挪动(同一编号)、取消;已开展的记录从不改动。例:pufa plan apply plan-2024.toml --dry-run"""
    from pufa.cli import render  # rich: kept out of start-up and `pufa --help`

    with errors():
        found = ws.find(STATE.workspace)
        with opened(found) as (county, store):
            prepared = plans.prepare(
                county, store, _plan_file(found, file), plans.calendar_path(found)
            )
            today = ws.today(county.timezone)
            if not dry_run:
                past = None if include_past else today
                plans.apply(store, prepared, by, today=past, override=locked_reason)
    render.print_plan_changes(prepared, applied=not dry_run)
    days = plans.past(prepared, today)
    if days:
        then = "将照样写入" if dry_run else "已照样写入"
        then = f"{then}(--include-past)" if include_past else "写入时须加 --include-past"
        typer.echo(f"其中 {plans.past_text(days, today)},{then}。")


@plan_app.command("show")
def show_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="年份(默认今年)")] = None,
) -> None:
    """列出计划产生的记录(计划、已开展、已取消),按计划项目汇总。例:pufa plan show --year 2024"""
    from pufa.cli import render  # rich: kept out of start-up and `pufa --help`
    from pufa.scheduling import PlanKey

    chosen = year if year is not None else ws.this_year()
    with errors(), opened() as (county, store):
        events = store.by_source(PlanKey.prefix(chosen))
    render.print_plan_records(county, chosen, events)
