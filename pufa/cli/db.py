"""`pufa db …`: which store a workspace uses, its schema, and moving it between engines."""

from typing import Annotated

import typer

from pufa import workspace as ws
from pufa.cli.common import STATE, errors, print_json
from pufa.store import migrate_location, open_store, redact, schema
from pufa.store.copy import copy_to
from pufa.store.roster import check as roster_check

db_app = typer.Typer(
    name="db",
    help="数据库:查看状态、升级结构、在 SQLite 与 PostgreSQL 之间复制。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@db_app.command("status")
def status_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON(稳定的字段名)")] = False,
) -> None:
    """数据库状态:引擎、位置(密码已隐去)、结构版本、记录数和修改记录数。例:pufa db status"""
    with errors():
        found = ws.find(STATE.workspace)
        # as it is: no migration, no refusal
        with open_store(found.location, admin=True) as store:
            info = {
                "engine": store.engine,
                "location": store.location,
                "county": store.county,
                "county_label": found.county().name,
                "schema_version": store.schema_version(),
                "program_schema_version": schema.SCHEMA_VERSION,
                **store.counts(),
            }
    if as_json:
        print_json(info)
        return
    engine = {"sqlite": "SQLite(单机文件)", "postgresql": "PostgreSQL(共享服务器)"}[
        str(info["engine"])
    ]
    typer.echo(f"引擎:{engine}")
    typer.echo(f"位置:{info['location']}")
    typer.echo(f"县:{info['county_label']}({info['county']})")
    version, program = int(str(info["schema_version"])), schema.SCHEMA_VERSION
    note = ""
    if version < program:
        note = ";请运行 pufa db migrate"
    elif version > program:
        note = ";请升级 pufa"
    typer.echo(f"结构版本:{version}(本程序:{program}{note})")
    typer.echo(f"记录:{info['events']} 条,修改记录:{info['revisions']} 条")


@db_app.command("check")
def check_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON(稳定的字段名)")] = False,
) -> None:
    """检查数据库:完整性、结构版本、超出范围的日期和数字、文字中的控制字符、无法读取的记录;
    每个问题一行,附修正命令。没有问题时退出码为 0,否则为 1。例:pufa db check"""
    with errors():
        found = ws.find(STATE.workspace)
        # as it is: no migration, no refusal
        with open_store(found.location, admin=True) as store:
            findings = store.check() + roster_check(store)
            location = store.location
    if as_json:
        print_json(
            {
                "location": location,
                "ok": not findings,
                "findings": [
                    {
                        "record": f.record,
                        "field": f.field,
                        "value": f.value,
                        "problem": f.problem,
                        "fix": f.fix,
                    }
                    for f in findings
                ],
            }
        )
    elif not findings:
        typer.echo(f"{location}:未发现问题。")
    else:
        for finding in findings:
            typer.echo(str(finding))
        typer.echo(f"{location}:发现 {len(findings)} 个问题。")
    if findings:
        raise typer.Exit(1)


@db_app.command("migrate")
def migrate_cmd() -> None:
    """把数据库结构升级到本程序的版本(一个事务;更新版本写的库会被拒绝)。例:pufa db migrate"""
    with errors():
        found = ws.find(STATE.workspace)
        location, applied, version = migrate_location(found.location)
    if applied:
        typer.echo(
            f"已升级 {location}:应用迁移 {', '.join(map(str, applied))},现为第 {version} 版。"
        )
    else:
        typer.echo(f"{location} 已是最新结构(第 {version} 版),无需升级。")


@db_app.command("copy")
def copy_cmd(
    to: Annotated[str, typer.Option("--to", help="目标:postgresql://… 或新的 .db 文件路径")],
) -> None:
    """把整个数据库(记录、修改记录、作废记录)复制到另一个引擎;目标必须为空。例:pufa db copy --to postgresql://pufa@localhost/pufa"""
    from pufa.cli import render  # rich: only for the copy's progress bar

    with errors():
        found = ws.find(STATE.workspace)
        with found.open() as source, render.progress("复制中") as advance:
            counts = copy_to(source, to, advance)
    typer.echo(
        f"已复制到 {redact(to)}:记录 {counts['events']} 条,修改记录 {counts['revisions']} 条,"
        f"名册 {counts['people']} 人。"
    )
    typer.echo("要让本工作区改用它,在 pufa.toml 中写入 [store] url,或设置 PUFA_DB_URL。")
