"""`pufa people`: the rosters of 法律明白人, 法治副校长 and 法治辅导员, with personal data kept safe
(phones masked, no certificate numbers and no names in JSON unless ``--show-personal-data``, every
such read recorded in the access log)."""

from pathlib import Path
from typing import Annotated

import typer

from pufa import people
from pufa import roster as intake_people
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, opened, print_json
from pufa.cli.options import ActorOption, JsonOption
from pufa.errors import InvalidInput, Problem, SheetAt
from pufa.ledger.table import read_table, write_table
from pufa.model import County, Kind
from pufa.output import target
from pufa.people import Person
from pufa.store.roster import Attendance, Roster

people_app = typer.Typer(
    name="people",
    help="名册:法律明白人、法治副校长、法治辅导员(个人信息默认遮蔽)。",
    no_args_is_help=True,
    rich_markup_mode=None,
)

PersonId = Annotated[int, typer.Argument(help="人员编号(见 pufa people list)", min=1)]
ShowPersonal = Annotated[
    bool,
    typer.Option(
        "--show-personal-data", help="显示完整手机号和证书编号(JSON 含姓名、手机);记入访问日志"
    ),
]
RoleOption = Annotated[
    str | None, typer.Option("--role", help="身份:法律明白人、法治副校长、法治辅导员")
]
NameOption = Annotated[str | None, typer.Option("--name", help="姓名")]
PhoneOption = Annotated[str | None, typer.Option("--phone", help="手机号或带区号的固定电话")]
VillageOption = Annotated[
    str | None, typer.Option("--village", help="村(居):名称、简称或 12 位代码(法律明白人)")
]
TownshipHint = Annotated[str | None, typer.Option("--township", help="乡镇(村名重名时用来区分)")]
PostOption = Annotated[
    str | None, typer.Option("--post", help="职务:村干部、调解员、网格员等(法律明白人)")
]
CertOption = Annotated[str | None, typer.Option("--certificate", help="证书编号(法律明白人)")]
CertDateOption = Annotated[
    str | None, typer.Option("--certified-on", help="发证日期,如 2023-06-30")
]
SchoolOption = Annotated[str | None, typer.Option("--school", help="学校(法治副校长、法治辅导员)")]
EmployerOption = Annotated[str | None, typer.Option("--employer", help="工作单位,如 县公安局")]
AppointedOption = Annotated[str | None, typer.Option("--appointed", help="聘任日期,如 2024-09-01")]
NoteOption = Annotated[str | None, typer.Option("--note", help="备注")]


def _given(**values: str | None) -> dict[str, str]:
    return {key: value for key, value in values.items() if value is not None}


def _line(county: County, person: Person, personal: bool) -> str:
    phone = person.phone if personal else people.mask_phone(person.phone)
    where = people.village_label(county, person.village) or person.school
    parts = [f"#{person.id}", person.role_label, person.name, where, person.post, phone]
    if personal and person.certificate:
        parts.append(f"证书 {person.certificate}")
    if person.ended is not None:
        parts.append(f"{person.ended} 离任")
    return "  ".join(p for p in parts if p)


@people_app.command("add")
def add_cmd(
    role: RoleOption = None,
    name: NameOption = None,
    phone: PhoneOption = None,
    village: VillageOption = None,
    township: TownshipHint = None,
    post: PostOption = None,
    certificate: CertOption = None,
    certified_on: CertDateOption = None,
    school: SchoolOption = None,
    employer: EmployerOption = None,
    appointed: AppointedOption = None,
    note: NoteOption = None,
    by: ActorOption = None,
) -> None:
    """把一人加入名册。例:pufa people add --role 法律明白人 --name 张三 --village 马江村 --phone 13800000000"""
    raw = _given(role=role, name=name, phone=phone, village=village, post=post, certificate=certificate,
                 certified_on=certified_on, school=school, employer=employer, appointed=appointed, note=note)  # fmt: skip
    with errors(), opened() as (county, store):
        person = intake_people.build(county, raw, ws.today(county.timezone), township_text=township)
        stored = Roster(store).add(person, ws.stamp(by))
    typer.echo(f"已加入名册 #{stored.id}:{stored.role_label} {stored.name}")


@people_app.command("edit")
def edit_cmd(
    person_id: PersonId,
    name: NameOption = None,
    phone: PhoneOption = None,
    village: VillageOption = None,
    township: TownshipHint = None,
    post: PostOption = None,
    certificate: CertOption = None,
    certified_on: CertDateOption = None,
    school: SchoolOption = None,
    employer: EmployerOption = None,
    appointed: AppointedOption = None,
    note: NoteOption = None,
    reason: Annotated[str | None, typer.Option("--reason", help="修改理由")] = None,
    by: ActorOption = None,
) -> None:
    """修改名册中的一人(只改给出的项,留修订记录)。例:pufa people edit 3 --phone 13900000000 --reason 换号"""
    given = _given(name=name, phone=phone, village=village, post=post, certificate=certificate,
                   certified_on=certified_on, school=school, employer=employer, appointed=appointed, note=note)  # fmt: skip
    with errors(), opened() as (county, store):
        roster = Roster(store)
        old = roster.get(person_id)
        new = intake_people.build(
            county, {**old.raw(), **given}, ws.today(county.timezone), township_text=township
        )
        stored = roster.replace(old, new, ws.stamp(by), "edit", reason)
    typer.echo(
        f"已修改 #{person_id}(第 {stored.revision} 版)"
        if stored is not old
        else f"#{person_id} 没有变化"
    )


@people_app.command("leave")
def leave_cmd(
    person_id: PersonId,
    on: Annotated[str | None, typer.Option("--on", help="离任日期(默认:今天)")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="离任原因")] = None,
    by: ActorOption = None,
) -> None:
    """记下一人离任(退出名册或卸任),记录仍保留。例:pufa people leave 3 --on 2024-03-01 --reason 外出务工"""
    with errors(), opened() as (county, store):
        roster = Roster(store)
        old = roster.get(person_id)
        day = on or ws.today(county.timezone).isoformat()
        new = intake_people.build(county, {**old.raw(), "ended": day}, ws.today(county.timezone))
        roster.replace(old, new, ws.stamp(by), "leave", reason)
    typer.echo(f"#{person_id} 已于 {day} 离任")


@people_app.command("list")
def list_cmd(
    role: RoleOption = None,
    include_ended: Annotated[bool, typer.Option("--all", help="也列出已离任的人员")] = False,
    show_personal_data: ShowPersonal = False,
    as_json: JsonOption = False,
    by: ActorOption = None,
) -> None:
    """列出名册(手机号遮蔽,不显示证书编号)。例:pufa people list --role 法律明白人"""
    with errors(), opened() as (county, store):
        slug = intake_people.build_role(role) if role else None
        roster = Roster(store)
        found = roster.people(slug, include_ended)
        if show_personal_data:
            roster.log_access(ws.stamp(by), "people list --show-personal-data", len(found))
    if as_json:
        print_json([people.person_json(county, p, personal=show_personal_data) for p in found])
        return
    for person in found:
        typer.echo(_line(county, person, show_personal_data))
    typer.echo(f"共 {len(found)} 人")


@people_app.command("show")
def show_cmd(
    person_id: PersonId,
    year: Annotated[
        int | None, typer.Option("--year", "-y", help="参训情况看哪一年(默认今年)")
    ] = None,
    show_personal_data: ShowPersonal = False,
    as_json: JsonOption = False,
    by: ActorOption = None,
) -> None:
    """查看一人及其修订记录。例:pufa people show 3"""
    with errors(), opened() as (county, store):
        roster = Roster(store)
        person = roster.get(person_id)
        history = roster.history(person_id)
        year = year or ws.today(county.timezone).year
        trained = Attendance(store).trained(person_id, year)
        if show_personal_data:
            roster.log_access(ws.stamp(by), f"people show #{person_id} --show-personal-data", 1)
    if as_json:
        out = people.person_json(county, person, personal=show_personal_data)
        out["trained"] = {"year": year, "trainings": [{"id": t.event_id, "date": t.day, "title": t.title} for t in trained]}  # fmt: skip
        print_json(out)
        return
    typer.echo(_line(county, person, show_personal_data))
    if person.role == "guide":
        typer.echo(f"  {year} 年参训 {len(trained)} 次" + "".join(f"\n    #{t.event_id} {t.day} {t.title}" for t in trained))  # fmt: skip
    for rev in history:
        why = f"({rev.reason})" if rev.reason else ""
        fields = "、".join(people.field_label(key) for key in rev.changes)
        typer.echo(f"  第{rev.seq}版 {rev.at} {rev.by} {people.ACTIONS[rev.action]}{why}:{fields}")


@people_app.command("erase")
def erase_cmd(
    person_id: PersonId,
    reason: Annotated[str, typer.Option("--reason", help="删除依据,如 本人申请(必填)")],
    by: ActorOption = None,
) -> None:
    """应本人申请删除一人的姓名、手机和证书编号(连同修订记录中的旧值,不可恢复)。例:pufa people erase 3 --reason 本人申请"""
    with errors(), opened() as (_county, store):
        intake_people.reason_problem(reason)
        Roster(store).erase(person_id, ws.stamp(by), reason)
    typer.echo(f"#{person_id} 的个人信息已删除;删除一事(何人、何时、何因)留在修订记录中。")


@people_app.command("access-log")
def access_log_cmd(as_json: JsonOption = False) -> None:
    """列出个人信息的完整读取和导出记录。例:pufa people access-log"""
    with errors(), opened() as (_county, store):
        found = Roster(store).access_log()
    if as_json:
        print_json([{"at": a.at, "by": a.by, "what": a.what, "count": a.count} for a in found])
        return
    for a in found:
        typer.echo(f"{a.at}  {a.by}  {a.what}  {a.count} 人")
    typer.echo(f"共 {len(found)} 条")


@people_app.command("export")
def export_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="导出的 .xlsx 文件")] = Path(
        "名册.xlsx"
    ),
    with_personal_data: Annotated[
        bool, typer.Option("--with-personal-data", help="含姓名、手机、证书编号三列;记入访问日志")
    ] = False,
    include_ended: Annotated[bool, typer.Option("--all", help="也导出已离任的人员")] = False,
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
    by: ActorOption = None,
) -> None:
    """导出名册(默认不含姓名、手机、证书编号)。例:pufa people export -o 名册.xlsx"""
    with errors():
        found_ws = ws.find(STATE.workspace)
        path = target(output, option="输出 (-o)", suffixes=(".xlsx",), force=force,
                      protected=[found_ws.database, found_ws.root / ws.CONFIG])  # fmt: skip
        with opened(found_ws) as (county, store):
            roster = Roster(store)
            found = roster.people(None, include_ended)
            headers, rows = people.export_table(county, found, personal=with_personal_data)
            stamp = ws.stamp(by)
            write_table(path, "名册", headers, rows, stamp.at)
            if with_personal_data:
                roster.log_access(
                    stamp, f"people export --with-personal-data {path.name}", len(rows)
                )
    typer.echo(
        f"已导出 {len(rows)} 人到 {path}"
        + ("(含个人信息,已记入访问日志)" if with_personal_data else "")
    )


@people_app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="名册 .xlsx(第一张表,首行为列名,同 pufa people template)")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查,不写入")] = False,
    by: ActorOption = None,
) -> None:
    """导入名册:逐行检查,全部无误才写入(一次事务);再次导入同一文件不会重复。例:pufa people import 名册.xlsx"""
    with errors(), opened() as (county, store):
        sheet, rows = read_table(file)
        roster = Roster(store)
        plan = intake_people.plan_roster(
            county, sheet, rows, roster.people(None, True), ws.today(county.timezone)
        )
        if not dry_run:
            stamp = ws.stamp(by)
            with store.transaction():
                for person in plan.adds:
                    roster.add(person, stamp)
                for old, new in plan.edits:
                    roster.replace(old, new, stamp, "edit", f"导入 {file.name}")
    verb = "将" if dry_run else "已"
    typer.echo(
        f"{verb}新增 {len(plan.adds)} 人,{verb}修改 {len(plan.edits)} 人,{plan.same} 行没有变化。"
    )


@people_app.command("template")
def template_cmd(
    output: Annotated[Path, typer.Option("--output", "-o", help="模板 .xlsx 文件")] = Path(
        "名册模板.xlsx"
    ),
    force: Annotated[bool, typer.Option("--force", help="覆盖已有的文件")] = False,
) -> None:
    """生成名册导入模板(一行列名)。例:pufa people template -o 名册模板.xlsx"""
    with errors():
        path = target(output, option="输出 (-o)", suffixes=(".xlsx",), force=force)
        headers = [h for k, h in people.EXPORT_COLUMNS.items() if k != "id"]
        write_table(path, "名册", headers, [], ws.now())
    typer.echo(f"已生成 {path}:每行一人;身份填 法律明白人、法治副校长 或 法治辅导员。")


@people_app.command("attend")
def attend_cmd(
    event_id: Annotated[int, typer.Argument(help="法律明白人培训记录的编号(见 pufa list)", min=1)],
    cert: Annotated[
        list[str] | None, typer.Option("--cert", help="参训人的证书编号(可写多次)")
    ] = None,
    sheet: Annotated[
        Path | None,
        typer.Option("--sheet", help="签到表 .xlsx:首行列名,每行 证书编号,或 姓名 和 村(居)"),
    ] = None,
    by: ActorOption = None,
) -> None:
    """记下一次法律明白人培训的参训人(按证书编号或签到表);有签到时,该培训的参训人次按签到计。例:pufa people attend 12 --cert 示例证书0001 --cert 示例证书0002"""
    with errors(), opened() as (county, store):
        rows, source = _attendance_rows(cert or [], sheet)
        event = store.get(event_id)
        if (
            event.kind is not Kind.LITERATE_TRAINING
            or event.voided is not None
            or event.status.slug != "held"
        ):
            raise InvalidInput.one("training", f"#{event_id} {event.title}", "应为已举办、未作废的法律明白人培训记录")  # fmt: skip
        found = intake_people.attendees(county, Roster(store).people(None, True), rows)
        attendance = Attendance(store)
        added = attendance.add(
            event_id, [p.id for p in found if p.id is not None], ws.stamp(by), source
        )
        total = len(attendance.people(event_id))
    typer.echo(
        f"培训 #{event_id}:新记参训 {added} 人,共 {total} 人;汇总中该培训的参训人次按签到计为 {total}。"
    )


def _attendance_rows(
    certs: list[str], sheet: Path | None
) -> tuple[list[tuple[SheetAt | None, dict[str, str]]], str]:
    """The attendance rows given: the certificates listed, or a 签到表's rows (exactly one of them)."""
    if bool(certs) == (sheet is not None):
        raise InvalidInput(
            [Problem("attendance", "", "写 --cert(可多次)或 --sheet 签到表,二者选一")]
        )
    if sheet is not None:
        name, rows = read_table(sheet)
        return [(SheetAt(name, n), row) for n, row in rows], f"签到表 {sheet.name}"
    return [(None, {intake_people.SHEET_CERT: c}) for c in certs], "证书编号"


@people_app.command("coverage")
def coverage_cmd(as_json: JsonOption = False) -> None:
    """覆盖情况:每村(居)5名以上法律明白人的村数及不足的村,学校法治副校长配备率及未配备的学校(按乡镇)。例:pufa people coverage"""
    with errors(), opened() as (county, store):
        found = Roster(store).people()
        villages = people.coverage(county, found)
        schools = people.school_coverage(county, found)
    if as_json:
        print_json(_coverage_json(villages, schools))
        return
    typer.echo(
        f"法律明白人 {villages.people} 人;{villages.at_least} 名以上的村(居){villages.met} 个,"
        f"共 {villages.villages} 个。"
    )
    _by_township([(t, f"{v} {n} 人") for t, v, n in villages.below])
    if not schools.schools:
        typer.echo("县情配置未列学校清单:不计算法治副校长配备率。")
        return
    typer.echo(
        f"法治副校长配备率 {schools.rate:.1%}:{schools.met} 所学校已配备,共 {schools.schools} 所"
        f"(在任法治副校长、法治辅导员 {schools.people} 人)。"
    )
    if schools.without:
        typer.echo("未配备法治副校长的学校:")
    _by_township([(t, f"{name}({level})") for t, name, level in schools.without])


def _coverage_json(villages: people.Coverage, schools: people.SchoolCoverage) -> dict[str, object]:
    return {
        "at_least": villages.at_least,
        "villages": villages.villages,
        "met": villages.met,
        "people": villages.people,
        "below": [{"township": t, "village": v, "count": n} for t, v, n in villages.below],
        "schools": {
            "schools": schools.schools,
            "met": schools.met,
            "rate": round(schools.rate, 4),
            "people": schools.people,
            "without": [
                {"township": t, "school": name, "level": level}
                for t, name, level in schools.without
            ],
        },
    }


def _by_township(lines: list[tuple[str, str]]) -> None:
    township = None
    for place, text in lines:
        if place != township:
            typer.echo(f"{place}:")
            township = place
        typer.echo(f"  {text}")
