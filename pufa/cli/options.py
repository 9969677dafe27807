"""The options the record commands share (``log``, ``edit``, ``done`` …), as ``Annotated`` types.

Each alias ends in ``Option`` so that none reads as the model class of the same name
(``TownshipOption`` is a ``--township`` text, :class:`pufa.model.Township` a township).
"""

from typing import Annotated

import typer

N = "N"
DateOption = Annotated[
    str | None, typer.Option("--date", "-d", help="日期 YYYY-MM-DD,或 'YYYY-MM-DD HH:MM' 带时间")
]
EndOption = Annotated[
    str | None, typer.Option("--end", help="结束:日期(多日活动)、日期时间,或同日的 HH:MM")
]
TownshipOption = Annotated[
    str | None,
    typer.Option("--township", "-t", help="乡(镇、街道):全称、简称、别名或拼音,如 禾丰乡"),
]
VillageOption = Annotated[
    str | None,
    typer.Option("--village", help="村(居):全称、简称或 12 位代码,如 南江村(须在所填乡镇内)"),
]
DeptOption = Annotated[
    str | None, typer.Option("--dept", help="组织部门,如 县司法局(与 --township 二选一)")
]
TitleOption = Annotated[str | None, typer.Option("--title", help="标题")]
VenueOption = Annotated[
    str | None, typer.Option("--venue", help="进:学校/school、社区/community …(见 pufa kinds)")
]
OccasionOption = Annotated[
    str | None, typer.Option("--occasion", help="节点:宪法宣传周、国家宪法日、4·15 …")
]
SchoolOption = Annotated[str | None, typer.Option("--school", help="学校(进校宣讲)")]
LecturerOption = Annotated[str | None, typer.Option("--lecturer", help="宣讲人(法治副校长/辅导员)")]
ModeOption = Annotated[
    str | None, typer.Option("--mode", help="培训方式:offline 线下定向 / online 线上")
]
AudienceOption = Annotated[str | None, typer.Option("--audience", help="讲座对象")]
ChannelOption = Annotated[str | None, typer.Option("--channel", help="发布渠道,如 法治开阳 公众号")]
SessionsOption = Annotated[str | None, typer.Option("--sessions", metavar=N, help="场次(默认 1)")]
ParticipantsOption = Annotated[
    str | None, typer.Option("--participants", "-p", metavar=N, help="参与人次(考试:参考人数)")
]
MaterialsOption = Annotated[str | None, typer.Option("--materials", metavar=N, help="发放资料(份)")]
BannersOption = Annotated[str | None, typer.Option("--banners", metavar=N, help="标语横幅(幅)")]
ScreensOption = Annotated[
    str | None, typer.Option("--screens", metavar=N, help="电子屏公益广告(条)")
]
ItemsOption = Annotated[str | None, typer.Option("--items", metavar=N, help="发布信息(条)")]
TraineesOption = Annotated[
    str | None, typer.Option("--trainees", metavar=N, help="参训人次(法律明白人培训)")
]
CertifiedOption = Annotated[
    str | None, typer.Option("--certified", metavar=N, help="获证人数(不超过参训人次)")
]
PassedOption = Annotated[
    str | None, typer.Option("--passed", metavar=N, help="及格人数(不超过参考人数)")
]
NoteOption = Annotated[str | None, typer.Option("--note", help="备注")]
ActorOption = Annotated[
    str | None, typer.Option("--by", envvar="PUFA_USER", help="操作人(默认:PUFA_USER 或系统用户名)")
]
LockedReasonOption = Annotated[
    str | None,
    typer.Option(
        "--locked-reason",
        metavar="TEXT",
        help="县普法办修改已锁定月份的记录时填写的理由(至少 4 个字,记入修改记录)",
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="输出 JSON(稳定的字段名)")]
YearOption = Annotated[int | None, typer.Option("--year", "-y", help="年份(默认今年)")]
AsOfOption = Annotated[
    str | None, typer.Option("--as-of", help="截至日期(默认今天,但不晚于该年年底)")
]
IdArgument = Annotated[int, typer.Argument(metavar="ID", help="记录编号")]
PlannedIdArgument = Annotated[int, typer.Argument(metavar="ID", help="计划记录的编号")]
