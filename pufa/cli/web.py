"""`pufa web`: serve the workspace in the browser (waitress, 8 threads) until Ctrl-C."""

from typing import Annotated

import typer

from pufa import accounts
from pufa import workspace as ws
from pufa.cli.common import STATE, errors
from pufa.errors import PufaError


def web_cmd(
    host: Annotated[
        str, typer.Option("--host", help="监听地址(默认只本机;局域网用 0.0.0.0)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口", min=1, max=65535)] = 8800,
    behind_https: Annotated[
        bool,
        typer.Option("--behind-https", help="经 HTTPS 网关对外提供时加上:登录凭据只经 HTTPS 发送"),
    ] = False,
) -> None:
    """启动网页版:统计、记录与登记、工作安排、台账导入、名册、日历订阅、月度锁定,按角色显示。按 Ctrl-C 停止。例:pufa web --port 8800"""
    from waitress import create_server  # the server and Flask: not for other commands

    from pufa.web.app import create_app

    with errors():
        found = ws.find(STATE.workspace)
        app = create_app(found.root, behind_https=behind_https, keep_store=True)
        with found.open() as store:
            nobody = not accounts.list_users(store)
        try:
            server = create_server(app, host=host, port=port, threads=8, ident="pufa")
        except OSError as exc:
            raise PufaError(
                f"无法在 {host}:{port} 上启动网页服务:{exc.strerror or exc}。请换一个 --port。"
            ) from None
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    typer.echo(f"pufa 网页已启动:http://{shown}:{port}/ (工作区 {found.root})")
    if nobody:
        typer.echo(
            "还没有网页账号:请先用 pufa users add 开通(如 pufa users add 张三 --role office)。"
        )
    typer.echo("用 pufa users add 开通的账号登录;按 Ctrl-C 停止。")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    typer.echo("网页服务已停止。")
