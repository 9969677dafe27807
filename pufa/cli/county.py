"""`pufa county check`: the workspace's county profile checked on demand."""

import typer

from pufa import workspace as ws
from pufa.cli.common import STATE, errors

county_app = typer.Typer(
    name="county",
    help="县情配置(county.toml):检查。",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@county_app.command("check")
def check_cmd() -> None:
    """检查工作区的县情配置 county.toml:所有问题一次列出(文件:行),有问题时退出码为 1。例:pufa county check"""
    with errors():
        found = ws.find(STATE.workspace)
        profile = found.county()
    units = len(profile.townships)
    typer.echo(
        f"{found.profile}:没有发现问题。{profile.name}({profile.code}),"
        f"{units} 个乡镇级单位、{profile.villages} 个村(居)、{len(profile.departments)} 个部门。"
    )
