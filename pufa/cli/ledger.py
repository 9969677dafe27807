"""`pufa ledger template|import|export`: the Excel 台账 the townships already keep."""

import contextlib
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Annotated, Any

import typer
from pendulum import Date

from pufa import document, ledger, names, tally
from pufa import workspace as ws
from pufa.cli.common import STATE, county_or_default, errors
from pufa.cli.options import LockedReasonOption
from pufa.errors import InvalidInput, WorkspaceError
from pufa.event import Event
from pufa.intake import Entry, build
from pufa.locks import override_reason
from pufa.model import County, Kind, Township
from pufa.output import target
from pufa.pause import paused_gc
from pufa.store import Query, Store
from pufa.yearly import load_year, read_goals

#: ``advance(done, total)`` of a progress bar, or nothing to advance
Advance = Callable[[int, int], None] | None

ledger_app = typer.Typer(
    name="ledger",
    help="Excel 台账:生成填报模板、导入乡镇台账、导出全年台账。",
    no_args_is_help=True,
    rich_markup_mode=None,
)

KindOption = Annotated[
    str | None, typer.Option("--kind", "-k", help="活动类型(默认:全部类型各一张表)")
]


ForceOption = Annotated[
    bool, typer.Option("--force", help="输出文件已存在时替换它(本工作区的数据库和配置文件除外)")
]


def _protected(found: ws.Workspace | None = None) -> list[Path]:
    """What no output may replace, even with --force: the workspace's store and its settings."""
    if found is None:
        try:
            found = ws.find(STATE.workspace)
        except WorkspaceError:
            return []
    store = found.database
    return [
        store,
        *(store.with_name(store.name + end) for end in ("-wal", "-shm", "-journal")),
        found.root / ws.CONFIG,
        found.profile,
    ]


def _kinds(kind: str | None) -> list[Kind]:
    return [names.kind(kind)] if kind else list(Kind)


@ledger_app.command("template")
def template_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 .xlsx 文件")],
    kind: KindOption = None,
    force: ForceOption = False,
) -> None:
    """生成填报模板:每类活动一张表,含下拉选项和填表说明。例:pufa ledger template -o 台账模板.xlsx"""
    with errors():
        target(output, option="输出 (-o)", suffixes=(".xlsx",), force=force, protected=_protected())
        county = county_or_default()
        ledger.write_workbook(output, county, [], _kinds(kind), now=ws.now())
    typer.echo(f"已生成模板 {output}")


def _example(county: County) -> tuple[str, Township]:
    """The township the sample is of, as people write it (禾丰乡)."""
    example = names.example_township(county)
    if example is None:
        raise InvalidInput.one("township", None, "县情配置里没有乡镇,无法生成示例台账")
    return example


def _sample_events(county: County, today: Date) -> list[Event]:
    """A few filled-in rows of the county's example township, this year, none after today: what a
    township's 台账 looks like (every title marked 示例)."""
    said, town = _example(county)
    venues = [v.name for v in county.venues_for(Kind.SEVEN_INTO)] or [""]
    village = {"village": town.villages[0].name} if town.villages else {}
    rows = [
        ("seven-into", "【示例】法律进校园:未成年人保护法宣讲", {"venue": "学校" if "学校" in venues else venues[0],
         "participants": "320", "materials": "600"}),
        ("seven-into", "【示例】法律进乡村:民法典赶集宣传", {"venue": venues[1 % len(venues)],
         "participants": "450", "materials": "800", "banners": "6", **village}),
        ("lecture", "【示例】民法典讲座", {"participants": "85", "audience": "村(居)干部", **village}),
        ("literate-training", "【示例】法律明白人定向培训", {"trainees": "40", "certified": "38"}),
    ]  # fmt: skip
    first = today.start_of("year")
    return [
        build(
            county,
            Entry(kind, {"title": title, "township": said, "note": "示例数据,可删除",
                         "date": max(first, today.subtract(days=7 * (4 - n))).isoformat(), **extra}),
            today=today,
        )
        for n, (kind, title, extra) in enumerate(rows)
    ]  # fmt: skip


@ledger_app.command("sample")
def sample_cmd(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="输出的 .xlsx 文件(默认:示例乡镇台账.xlsx)"),
    ] = None,
    force: ForceOption = False,
) -> None:
    """生成一份填好的示例台账(本县、今年、标注“示例”),可直接试导入。例:pufa ledger sample -o 禾丰乡台账.xlsx"""
    with errors():
        county = county_or_default()
        events = _sample_events(county, ws.today(county.timezone))
        path = output or Path(f"{_example(county)[0]}台账.xlsx")
        target(path, option="输出 (-o)", suffixes=(".xlsx",), force=force, protected=_protected())
        kinds = list(dict.fromkeys(e.kind for e in events))
        ledger.write_workbook(path, county, events, kinds, now=ws.now())
    typer.echo(
        f"已生成示例台账 {path}({len(events)} 行示例记录)。试导入:pufa ledger import {path} --dry-run"
    )


def _progress(label: str) -> AbstractContextManager[Advance]:
    """A progress bar on a terminal; nothing (and no rich import) when stderr is a file or pipe."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from pufa.cli import render  # rich: not for an import whose stderr is a file or pipe

    return render.progress(label)


@ledger_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="台账文件 .xlsx 或 .csv(UTF-8 或 GB18030)")],
    sheet: Annotated[str | None, typer.Option("--sheet", help="只导入这张表")] = None,
    kind: KindOption = None,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="“3月5日”这类不带年份的日期按此年")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="只检查并显示将新增、修改多少条,不写入")
    ] = False,
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="导入有效的行,无效的行写入退回表")
    ] = False,
    rejects: Annotated[
        Path | None, typer.Option("--rejects", help="退回表路径(默认:原文件名加“-退回.xlsx”)")
    ] = None,
    by: Annotated[str | None, typer.Option("--by", envvar="PUFA_USER", help="操作人")] = None,
    force: Annotated[bool, typer.Option("--force", help="退回表已存在时替换它")] = False,
    locked_reason: LockedReasonOption = None,
) -> None:
    """导入乡镇台账:逐行检查,有错则全部不导入;重复导入不重复登记。例:pufa ledger import 台账.xlsx --dry-run"""
    with errors():
        found = ws.find(STATE.workspace)
        chosen_rejects = rejects or file.with_name(file.stem + "-退回.xlsx")
        if skip_invalid and not dry_run:
            # checked before anything is read or written: a refused path costs nothing
            target(
                chosen_rejects,
                option="退回表 (--rejects)",
                suffixes=(".xlsx",),
                force=force,
                protected=[*_protected(found), file],
            )
        county = found.county()
        override = override_reason(locked_reason)
        chosen = names.kind(kind) if kind else None
        sheets = ledger.read(file, sheet=sheet, kind=chosen)
        # the thousands of records checked and written below live to the end and hold no cycles:
        # the cyclic GC would only walk them again (about a tenth of the time for 10,000 rows)
        with found.open() as store, paused_gc():
            planned = _checked(store, county, sheets, year, skip_invalid, override is not None)
            if not dry_run:
                ledger.apply(
                    store,
                    planned,
                    ws.stamp(by),
                    f"导入台账 {file.name}",
                    skip_invalid=True,
                    rejects=chosen_rejects if skip_invalid else None,
                    county=county,
                    override=override,
                )
    _print_outcome(planned, dry_run, skip_invalid, chosen_rejects)


def _checked(
    store: Store,
    county: County,
    sheets: list[ledger.Sheet],
    year: int | None,
    skip_invalid: bool,
    unlocked: bool,
) -> ledger.ImportPlan:
    """Every row checked, with a progress bar; its warnings shown; refused unless nothing is
    wrong or the wrong rows are to be skipped (rows of a locked month kept when ``unlocked``)."""
    with _progress("检查中") as advance:
        today = ws.today(county.timezone)
        planned = ledger.check(store, county, sheets, year, advance, today=today, unlocked=unlocked)
    for warning in planned.warnings:
        typer.secho(f"提示:{warning}", fg="yellow", err=True)
    problems = [p for _, ps in planned.rejected for p in ps] + list(planned.totals)
    if problems and not skip_invalid:
        raise InvalidInput(problems)
    return planned


def _print_outcome(
    planned: ledger.ImportPlan, dry_run: bool, skip_invalid: bool, rejects: Path
) -> None:
    """What the import did (or would do), the totals that disagree, and where the rejects went."""
    verb = "将" if dry_run else "已"
    typer.echo(
        f"{verb}新增 {len(planned.add)} 条、修改 {len(planned.edit)} 条;未变 {planned.same} 条;"
        f"退回 {len(planned.rejected)} 行。"
    )
    if skip_invalid:
        for problem in planned.totals:
            typer.secho(f"合计不符:{problem}", fg="yellow", err=True)
    if planned.rejected and skip_invalid and not dry_run:
        typer.echo(f"退回的行及原因已写入 {rejects}")


@ledger_app.command("export")
def export_cmd(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="输出文件 .xlsx(或某一类型的 .csv)")
    ],
    year: Annotated[int | None, typer.Option("--year", "-y", help="年份(默认今年)")] = None,
    township: Annotated[
        str | None, typer.Option("--township", "-t", help="只导出一个乡(镇、街道)")
    ] = None,
    kind: KindOption = None,
    force: ForceOption = False,
) -> None:
    """导出一年的台账(与模板同样的表,改后可再导入),附汇总表。例:pufa ledger export --year 2023 -o 台账.xlsx"""
    with errors():
        found = ws.find(STATE.workspace)
        target(
            output,
            option="输出 (-o)",
            suffixes=(".xlsx", ".csv"),
            force=force,
            protected=_protected(found),
        )
        county = found.county()
        chosen_year = year if year is not None else ws.this_year(county.timezone)
        place = names.township(county, township) if township else None
        code = place.code if place else None
        kinds = _kinds(kind)
        csv = output.suffix.lower() == ".csv"
        if csv and len(kinds) != 1:
            raise InvalidInput.one(
                "类型 (--kind)", None, "导出 CSV 时指定一种活动类型(CSV 只有一张表)"
            )
        with found.open() as store:
            origin = store.store_id()
            events = store.iter_events(Query(year=chosen_year, township=code))
            if csv:
                exported = ledger.write_csv(output, county, events, kinds[0])
            else:
                exported = ledger.write_workbook(
                    output,
                    county,
                    events,
                    kinds,
                    now=ws.now(),
                    summary=lambda totals: _summary(found, store, chosen_year, totals, code),
                    origin=origin,
                    revisions=True,
                    title=f"{county.name}{place.name if place else ''}{chosen_year}年普法工作台账",
                )
    typer.echo(f"已导出 {exported} 条记录到 {output}")


def _summary(
    found: ws.Workspace, store: Store, year: int, totals: ledger.Totals, township: str | None
) -> list[list[Any]]:  # workbook cells, as ledger.write_workbook takes them
    """The 汇总 sheet: indicators against targets when the year has targets, else per-kind totals."""
    try:
        county = found.county()
        summary = load_year(
            county, store, read_goals(found, county, year), township=township
        ).summary
        typed = document.summary_table(summary)  # numbers stay numbers in the sheet
        return [list(typed.headers), *(list(row) for row in typed.rows)]
    except InvalidInput:  # no targets for that year: totals per kind
        table = tally.kind_totals(totals)
        return [list(table.headers), *([label, *values] for label, values in table.rows)]
