"""The ``pufa`` commands that work on records: parse options, call one library function, render, exit.

``summary``/``report`` and the ``db``, ``plan``, ``feeds`` and ``ledger`` groups live in their own
modules, imported only when invoked (:mod:`pufa.cli.registry`); :mod:`pufa.cli.app` assembles them all.

PufaError becomes one red line per problem on stderr and exit status 1 (``--debug`` shows the
traceback). rich is imported only by read commands (through :mod:`pufa.cli.render`).
"""

import sys
from pathlib import Path
from typing import Annotated

import typer
from pendulum import Date

from pufa import dates, records
from pufa import workspace as ws
from pufa.cli.common import county_or_default, errors, opened, print_json
from pufa.cli.options import (
    ActorOption,
    AudienceOption,
    BannersOption,
    CertifiedOption,
    ChannelOption,
    DateOption,
    DeptOption,
    EndOption,
    IdArgument,
    ItemsOption,
    JsonOption,
    LecturerOption,
    LockedReasonOption,
    MaterialsOption,
    ModeOption,
    NoteOption,
    OccasionOption,
    ParticipantsOption,
    PassedOption,
    PlannedIdArgument,
    SchoolOption,
    ScreensOption,
    SessionsOption,
    TitleOption,
    TownshipOption,
    TraineesOption,
    VenueOption,
    VillageOption,
)
from pufa.cli.plain import event_lines
from pufa.cli.registry import new_app
from pufa.errors import InvalidInput
from pufa.event import Event
from pufa.intake import EDITABLE, Entry, notices
from pufa.jsonout import event_json, kinds_json, revision_json
from pufa.model import County
from pufa.store import Store, redact
from pufa.text import visible

app = new_app()


def _warn_skipped(store: Store) -> None:
    """One yellow line on stderr per stored row a read left out (see ``pufa db check``)."""
    for skipped in store.skipped:
        typer.secho(f"提示:{skipped}", fg="yellow", err=True)


def _notices(event: Event) -> None:
    """Yellow hints on stderr about a record just written (personal data in its public text)."""
    for notice in notices(event):
        typer.secho(f"提示:{notice}", fg="yellow", err=True)


def _fields(params: dict[str, object]) -> dict[str, str | None]:
    """The record fields among a command's parameters (``log`` and ``edit`` share them)."""
    return {n: v for n in EDITABLE if n in params and isinstance(v := params[n], str | None)}


def _show(county: County, event: Event, as_json: bool, heading: str) -> None:
    """Print a stored record after a write: plain labelled lines (no rich), or JSON."""
    if as_json:
        print_json(event_json(county, event))
        return
    typer.echo(heading + "\n".join(event_lines(county, event)))


@app.command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="工作区目录(默认当前目录)")] = Path("."),
    county: Annotated[
        str | None,
        typer.Option(
            "--county",
            help="县:区划代码、县名或全称,如 520122、息烽县、贵州省贵阳市息烽县;"
            "kaiyang/开阳县 用 pufa 自带的开阳县配置(默认:本目录已有的 county.toml,否则开阳县)",
        ),
    ] = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="共享数据库 postgresql://用户@主机:端口/库名(默认:本目录的 SQLite 文件 pufa.db)",
        ),
    ] = None,
) -> None:
    """创建工作区:pufa.toml、县情配置 county.toml(各乡镇及村(居))和数据库。例:pufa init 息烽普法 --county 520122"""
    with errors():
        made = ws.init(directory.resolve(), county, db=db)
        profile = made.county()
    typer.echo(
        f"已创建工作区 {made.root}({profile.name},{len(profile.townships)} 个乡镇、{profile.villages} 个村(居))"
    )
    typer.echo(f"  配置:{made.root / ws.CONFIG}\n  数据库:{redact(made.location)}")
    if db and redact(db) != db:
        typer.secho(
            "提示:密码写进了 pufa.toml(已设为仅本人可读);更稳妥的是放在 ~/.pgpass 或 PGPASSWORD 中。",
            fg="yellow",
            err=True,
        )
    typer.echo("下一步:pufa kinds 查看活动类型,pufa log … 登记活动。")


def _spoken(values: dict[str, str | None], today: Date) -> None:
    """``--date``/``--end`` as people say them (昨天, 上周五 …) written out, and echoed on stderr."""
    for key, label in (("date", "日期"), ("end", "结束")):
        full, phrase = dates.spoken(values.get(key) or "", today)
        if phrase:
            values[key] = full
            typer.echo(dates.echo(label, full, phrase), err=True)


def _entry(
    county: County, kind: str | None, values: dict[str, str | None], today: Date, *, asking: bool
) -> Entry:
    """What ``pufa log`` was given, dates written out; on a terminal, with the missing fields asked."""
    _spoken(values, today)
    if asking and sys.stdin.isatty() and sys.stdout.isatty():
        from pufa.cli import prompts  # on a terminal only: `pufa log` stays fast

        kind, values = prompts.fill(county, kind, values, today)
    if kind is None:
        raise InvalidInput.one("kind", None, "必填:活动类型,如 seven-into(pufa kinds 列出全部)")
    return Entry(kind, values)


@app.command("log")
def log_cmd(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND",
            help="活动类型:slug 或中文名(pufa kinds 列出全部);在终端上省略时逐项询问",
        ),
    ] = None,
    date: DateOption = None,
    end: EndOption = None,
    township: TownshipOption = None,
    village: VillageOption = None,
    dept: DeptOption = None,
    title: TitleOption = None,
    venue: VenueOption = None,
    occasion: OccasionOption = None,
    school: SchoolOption = None,
    lecturer: LecturerOption = None,
    mode: ModeOption = None,
    audience: AudienceOption = None,
    channel: ChannelOption = None,
    sessions: SessionsOption = None,
    participants: ParticipantsOption = None,
    materials: MaterialsOption = None,
    banners: BannersOption = None,
    screens: ScreensOption = None,
    items: ItemsOption = None,
    trainees: TraineesOption = None,
    certified: CertifiedOption = None,
    passed: PassedOption = None,
    note: NoteOption = None,
    planned: Annotated[bool, typer.Option("--planned", help="登记为计划(尚未开展)")] = False,
    allow_duplicate: Annotated[
        bool,
        typer.Option(
            "--allow-duplicate", help="同类型、同一天、同一地点、同标题的记录已有时仍照样登记"
        ),
    ] = False,
    no_input: Annotated[
        bool, typer.Option("--no-input", help="缺少字段时不询问,直接报错(脚本中使用)")
    ] = False,
    locked_reason: LockedReasonOption = None,
    by: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """登记一条活动记录,打印保存后的记录和编号;在终端上缺少字段时逐项询问。
    例:pufa log seven-into -d 昨天 -t 禾丰乡 --title 法律进校园 --venue 学校 -p 320"""
    values = {**_fields(locals()), "status": "planned" if planned else None}
    with errors(), opened() as (county, store):
        today = ws.today(county.timezone)
        entry = _entry(county, kind, values, today, asking=not no_input)
        event = records.log(store, county, entry, ws.stamp(by), today=today,
                            allow_duplicate=allow_duplicate, override=locked_reason)  # fmt: skip
    _notices(event)
    _show(county, event, as_json, "已登记 ")


@app.command("edit")
def edit_cmd(
    event_id: IdArgument,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="修改理由(必填)")] = None,
    date: DateOption = None,
    end: EndOption = None,
    township: TownshipOption = None,
    village: VillageOption = None,
    dept: DeptOption = None,
    title: TitleOption = None,
    venue: VenueOption = None,
    occasion: OccasionOption = None,
    school: SchoolOption = None,
    lecturer: LecturerOption = None,
    mode: ModeOption = None,
    audience: AudienceOption = None,
    channel: ChannelOption = None,
    sessions: SessionsOption = None,
    participants: ParticipantsOption = None,
    materials: MaterialsOption = None,
    banners: BannersOption = None,
    screens: ScreensOption = None,
    items: ItemsOption = None,
    trainees: TraineesOption = None,
    certified: CertifiedOption = None,
    passed: PassedOption = None,
    note: NoteOption = None,
    if_revision: Annotated[
        int | None,
        typer.Option(
            "--if-revision",
            metavar="N",
            help="只在记录仍是第 N 版(你看到的版本,见 pufa show)时修改;否则拒绝并说明谁改过",
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="状态:planned 计划 / held 已开展 / cancelled 已取消"),
    ] = None,
    locked_reason: LockedReasonOption = None,
    by: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """修改一条记录的字段;修改前后的值、操作人和理由记入修改记录。例:pufa edit 12 --participants 350 --reason 人数录入有误"""
    values = _fields(locals())
    with errors(), opened() as (county, store):
        event, changed = records.edit(store, county, event_id, values, reason, ws.stamp(by),
                                      if_revision, today=ws.today(county.timezone),
                                      override=locked_reason)  # fmt: skip
    _notices(event)
    heading = (
        f"已修改(第 {event.revision} 版) " if changed else f"没有变化(仍是第 {event.revision} 版) "
    )
    _show(county, event, as_json, heading)


@app.command("void")
def void_cmd(
    event_id: IdArgument,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="作废理由(必填)")] = None,
    locked_reason: LockedReasonOption = None,
    by: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """作废一条记录:记录保留、可查,但不再计入统计。例:pufa void 12 --reason 重复登记"""
    with errors(), opened() as (county, store):
        event = records.void(
            store, event_id, reason, ws.stamp(by), county=county, override=locked_reason
        )
    if event is None:  # a row pufa cannot read (pufa db check): voided, not shown
        if as_json:
            print_json({"id": event_id, "voided": True})
        else:
            typer.echo(f"已作废 #{event_id}(理由:{visible(reason or '', multiline=True)})")
        return
    if as_json:
        print_json(event_json(county, event))
        return
    typer.echo(
        f"已作废 #{event.id} {visible(event.title)}(理由:{visible(reason or '', multiline=True)})"
    )


@app.command("done")
def done_cmd(
    event_id: PlannedIdArgument,
    sessions: SessionsOption = None,
    participants: ParticipantsOption = None,
    materials: MaterialsOption = None,
    banners: BannersOption = None,
    screens: ScreensOption = None,
    items: ItemsOption = None,
    trainees: TraineesOption = None,
    certified: CertifiedOption = None,
    passed: PassedOption = None,
    date: DateOption = None,
    end: EndOption = None,
    note: NoteOption = None,
    locked_reason: LockedReasonOption = None,
    by: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """把计划中的活动登记为已开展,填上实际数字(记入修改记录)。例:pufa done 12 --participants 320 --materials 600"""
    values = _fields(locals())
    with errors(), opened() as (county, store):
        today = ws.today(county.timezone)
        event = records.done(
            store, county, event_id, values, ws.stamp(by), today=today, override=locked_reason
        )
    _show(county, event, as_json, "已开展 ")


@app.command("cancel")
def cancel_cmd(
    event_id: PlannedIdArgument,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="取消理由(必填)")] = None,
    locked_reason: LockedReasonOption = None,
    by: ActorOption = None,
    as_json: JsonOption = False,
) -> None:
    """取消计划中的活动:记录保留,标为已取消,不计入统计。例:pufa cancel 12 --reason 因汛期推迟"""
    with errors(), opened() as (county, store):
        event = records.cancel(
            store, county, event_id, reason, ws.stamp(by), override=locked_reason
        )
    _show(county, event, as_json, "已取消 ")


@app.command("show")
def show_cmd(
    event_id: IdArgument,
    as_json: JsonOption = False,
) -> None:
    """显示一条记录的全部字段(包括已作废的)。例:pufa show 12"""
    with errors(), opened() as (county, store):
        event = store.get(event_id)
    if as_json:
        print_json(event_json(county, event))
        return
    from pufa.cli import render  # rich: `pufa log` must not load it

    render.print_event(county, event)


@app.command("history")
def history_cmd(
    event_id: IdArgument,
    as_json: JsonOption = False,
) -> None:
    """显示一条记录的全部修改记录:谁、何时、改了什么、为什么。例:pufa history 12"""
    with errors(), opened() as (county, store):
        event = store.get(event_id)
        revisions = store.history(event_id)
    if as_json:
        print_json([revision_json(r) for r in revisions])
        return
    from pufa.cli import render  # rich: `pufa log` must not load it

    render.print_history(county, event, revisions)


@app.command("kinds")
def kinds_cmd(as_json: JsonOption = False) -> None:
    """列出活动类型及各自的字段和计数单位(在工作区外则用开阳县的默认配置)。例:pufa kinds"""
    with errors():
        county = county_or_default()
    if as_json:
        print_json(kinds_json(county))
        return
    from pufa.cli import render  # rich: `pufa log` must not load it

    render.print_kinds(county)


@app.command("demo")
def demo_cmd(
    directory: Annotated[Path, typer.Argument(help="示例工作区目录")] = Path("pufa-demo"),
) -> None:
    """生成示例工作区(记录均标注“示例”):2023 年合成台账重现年度报告的数字,2024 年上半年台账
    (其余为计划);打印 2023 年指标、截至 2024-06-30 的进度和 2023 年报告段落。再次运行会重建它。例:pufa demo"""
    from pufa import demo, report  # the sample data and pufa.tally: not for `pufa log`
    from pufa.yearly import load_year, read_goals  # pufa.tally as well

    with errors():
        made = demo.init(directory.resolve())
        county = made.county()
        goals = [read_goals(made, county, year) for year in (2023, 2024)]
        with made.open() as store:
            last_year = load_year(county, store, goals[0])
            this_year = load_year(county, store, goals[1], demo.THROUGH_2024)
            counts = store.counts()
            changed = demo.edited(store)
    from pufa.cli import render  # rich: `pufa log` must not load it

    render.print_summary(last_year.county, last_year.summary)
    render.print_summary(this_year.county, this_year.summary)
    typer.echo("【示例】2023 年报告普法段落草稿(pufa report --year 2023):")
    typer.echo(report.paragraph(last_year.summary))
    typer.echo("")
    example = f"pufa -w {made.root} history {changed}" if changed else f"pufa -w {made.root} list"
    typer.echo(
        f"示例工作区:{made.root}({counts['events']} 条示例记录)。"
        f"试试:pufa -w {made.root} summary --year 2024 --as-of 2024-06-30 --by venue;{example}"
    )
    typer.echo(
        f"示例网页账号(密码均为 {demo.DEMO_PASSWORD},仅供试用):"
        + "、".join(f"{name}({role})" for name, role, _, _ in demo.DEMO_USERS)
        + f"。启动网页:pufa -w {made.root} web,再用浏览器打开 http://127.0.0.1:8800/ 登录。"
    )
