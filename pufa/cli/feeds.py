"""`pufa feeds publish|serve`: one iCal feed per township (and the county) for phone calendars."""

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer

from pufa import workspace as ws
from pufa.cli.common import STATE, errors, opened
from pufa.serve import check_port, server

feeds_app = typer.Typer(
    name="feeds",
    help="日历订阅:为每个乡镇和全县生成 iCal 日历文件,并可在本机提供订阅服务。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _warn(message: str) -> None:
    typer.secho(f"提示:{message}", fg="yellow", err=True)


@feeds_app.command("publish")
def publish_cmd(
    outdir: Annotated[Path | None, typer.Argument(help="输出目录(默认:工作区的 feeds/)")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(
            "--base-url", help="对外地址,如 https://pufa.example.gov.cn/feeds(用于订阅链接)"
        ),
    ] = None,
    alarm_days: Annotated[
        int, typer.Option("--alarm-days", min=0, help="提前几天提醒(0 = 不提醒)")
    ] = 1,
) -> None:
    """生成每个乡镇一份、全县一份 .ics 日历和 index.html;内容没变的文件不重写。例:pufa feeds publish --base-url https://pufa.example.gov.cn/feeds"""
    from pufa import ical  # icalendar: only `feeds publish` needs it, not `pufa --help`

    with errors():
        found = ws.find(STATE.workspace)
        url = ws.check_feeds_url(base_url) if base_url is not None else found.feeds_url
        target = outdir or found.root / "feeds"
        with opened(found) as (county, store):
            results = ical.publish(
                county, store, target, url, alarm_days or None, warn=_warn, now=ws.now()
            )
        if url is not None and url != found.feeds_url:
            ws.remember_feeds_url(found, url)
            before = f"(原为 {found.feeds_url})" if found.feeds_url else ""
            typer.echo(f"对外地址 {url} 已记入 pufa.toml{before},以后发布时沿用。")
    _published(target, results)
    if url is None:
        _warn(
            "日历已生成,但没有订阅链接:还不知道对外地址。加 --base-url https://…/feeds 重新发布一次"
            "即可(地址记入 pufa.toml,以后沿用)。"
        )


def _published(target: Path, results: Sequence[tuple[object, bool]]) -> None:
    """How many calendars were written and where the subscribe page is."""
    if not results:
        typer.echo(f"{target} 的日历已是最新(上次发布后没有记录变化),未改动。")
    else:
        changed = sum(1 for _, did in results if did)
        typer.echo(f"已发布 {len(results)} 份日历到 {target}(有变化的 {changed} 份,其余未改动)。")
    typer.echo(f"订阅页:{target / 'index.html'}")


@feeds_app.command("serve")
def serve_cmd(
    folder: Annotated[
        Path | None, typer.Argument(help="已发布的目录(默认:工作区的 feeds/)")
    ] = None,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口,1–65535(0 = 任选一个空闲端口)")] = 8080,
) -> None:
    """在本机提供日历订阅(text/calendar、ETag、304);Ctrl-C 停止。例:pufa feeds serve --port 8080"""
    with errors():
        check_port(port)
        target = folder or ws.find(STATE.workspace).root / "feeds"
    if not (target / "index.html").is_file():
        typer.secho(
            f"错误:{target} 里没有已发布的日历。请先运行 pufa feeds publish。", fg="red", err=True
        )
        raise typer.Exit(1)
    with errors():
        httpd = server(target, host, port)
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address goes in brackets in a URL
    typer.echo(f"正在提供 {target}:http://{shown}:{httpd.server_address[1]}/ (Ctrl-C 停止)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        typer.echo("已停止。")
    finally:
        httpd.server_close()
