"""The one vocabulary of pufa: for every field key and enum member, the words users read and type.

The model and the domain speak keys (``"participants"``, ``"township"``, ``Kind.SEVEN_INTO``);
each edge renders them from this table in its own words: the CLI ``参与人次 (--participants)``,
the ledger ``法律七进 第4行 E列(参与人次)``, the loader ``county.toml:12 townships[3].kind``.
This module is data and a few lookups: it imports nothing of pufa's but :mod:`pufa.value`, so the
model may use it (a leaf, like :mod:`pufa.text`).
"""

from __future__ import annotations

from collections.abc import Mapping

from pufa.value import valueclass


@valueclass
class Term:
    """What one field or enum member is called: label, unit, short form, typed aliases, CLI
    spelling (``--title``, ``KIND``), ledger column and header synonyms."""

    label: str
    cli: str | None = None  #: how the command line spells it: ``--participants``, ``KIND``
    unit: str | None = None
    short: str | None = None  #: for narrow tables
    aliases: tuple[str, ...] = ()  #: other words users type for it (folded like synonyms)
    headers: tuple[str, ...] = ()  #: ledger column headers, the template's first
    column: str | None = None  #: the ledger column a problem points at, when not the key's own


def _field(label: str, *headers: str, cli: str | None = None, unit: str | None = None) -> Term:
    return Term(label, cli, unit, headers=headers)


#: every field key a problem may carry; measure and detail keys are also option names
FIELDS: Mapping[str, Term] = {
    "kind": Term("类型", "KIND"),
    "date": _field("日期", "日期", "活动日期", "时间", "开展日期", "活动时间", cli="--date"),
    "start": Term("开始", "--date"),
    "from": Term("起始日期", "--from"),
    "to": Term("截止日期", "--to"),
    "base_url": Term("对外地址", "--base-url"),
    "end": _field("结束", "结束日期", "结束", "截止日期", cli="--end"),
    "township": _field(
        "乡镇",
        *("乡镇", "乡(镇、街道)", "乡(镇、街道)", "乡镇(街道)", "乡镇街道", "单位", "开展单位"),
        cli="--township",
    ),
    "dept": _field("部门", "部门", "组织部门", "牵头部门", cli="--dept"),
    "village": _field("村(居)", "村(居)", "村居", "村(社区)", "村", cli="--village"),
    "owner": Term("乡镇/部门", "--township/--dept", column="dept"),
    "title": _field("标题", "活动名称", "标题", "活动内容", "名称", cli="--title"),
    "venue": _field("进", "进", "七进类别", "阵地", "进入场所", cli="--venue"),
    "occasion": _field("节点", "节点", "活动节点", "宣传节点", cli="--occasion"),
    "school": _field("学校", "学校", cli="--school"),
    "lecturer": _field("宣讲人", "宣讲人", "主讲人", "法治副校长", cli="--lecturer"),
    "mode": _field("方式", "方式", "培训方式", cli="--mode"),
    "audience": _field("对象", "对象", "受众", "讲座对象", cli="--audience"),
    "channel": _field("渠道", "渠道", "发布平台", "平台", cli="--channel"),
    "sessions": _field("场次", "场次", cli="--sessions", unit="场次"),
    "participants": _field(
        "参与人次",
        *("参与人次", "参与人数", "人次", "受众人次", "参加人数", "参考人数"),
        cli="--participants",
        unit="人次",
    ),
    "materials": _field(
        "发放资料",
        *("发放资料", "资料份数", "发放资料份数", "宣传资料"),
        cli="--materials",
        unit="份",
    ),
    "banners": _field("标语横幅", "标语横幅", "横幅", "标语", cli="--banners", unit="幅"),
    "screens": _field("电子屏公益广告", "电子屏", "电子屏公益广告", cli="--screens", unit="条"),
    "items": _field("发布信息", "发布信息", "信息条数", "发布条数", cli="--items", unit="条"),
    "trainees": _field("参训人次", "参训人次", "参训人数", cli="--trainees", unit="人次"),
    "certified": _field("获证人数", "获证人数", "取得证书人数", cli="--certified", unit="人"),
    "passed": _field("及格人数", "及格人数", "合格人数", cli="--passed", unit="人"),
    "status": _field("状态", "状态", cli="--status"),
    "note": _field("备注", "备注", cli="--note"),
    "id": _field("编号", "编号", "记录编号"),
    "revision": _field("版本", "版本", "记录版本", "修订版本"),
    "reason": Term("理由", "--reason"),
    "changes": Term("修改内容"),
    "as_of": Term("截至", "--as-of"),
    "figure": Term("数字"),
    "weights": Term("权重"),
    "month": Term("月份", "--month"),
    "locked_month": Term("已锁定月份", "--locked-reason", column="date"),
    "locked_reason": Term("锁定月份修改理由", "--locked-reason"),
}

#: the fields of a person on a roster (pufa people): 法律明白人, 法治副校长, 法治辅导员
PERSON_FIELDS: Mapping[str, Term] = {
    "role": Term("身份", "--role"),
    "name": Term("姓名", "--name"),
    "phone": Term("手机", "--phone"),
    "village": Term("村(居)", "--village"),
    "post": Term("职务", "--post"),
    "certificate": Term("证书编号", "--certificate"),
    "certified_on": Term("发证日期", "--certified-on"),
    "employer": Term("工作单位", "--employer"),
    "appointed": Term("聘任日期", "--appointed"),
    "ended": Term("离任日期", "--ended"),
    "attendance": Term("参训人", "--cert"),  #: pufa people attend: --cert or --sheet
    "training": Term("培训记录", "EVENT_ID"),
}

#: the fields of a web user (pufa users, pufa web)
USER_FIELDS: Mapping[str, Term] = {
    "user": Term("用户名", "NAME"),
    "user_role": Term("角色", "--role"),
    "password": Term("密码", "--password-file"),
}

#: words that read better for one kind than the generic ones: kind slug → key → term
KIND_FIELDS: Mapping[str, Mapping[str, Term]] = {
    # the report counts people: 7764名国家工作人员
    "cadre-exam": {"participants": Term("参考人数", "--participants", unit="人")},
}

#: the measures, in the order of :class:`pufa.model.Measure`
MEASURES: tuple[str, ...] = (
    "sessions", "participants", "materials", "banners", "screens", "items", "trainees",
    "certified", "passed",
)  # fmt: skip
#: the detail fields (one per kind-specific attribute), in the store's column order
DETAILS: tuple[str, ...] = (
    "venue",
    "occasion",
    "school",
    "lecturer",
    "mode",
    "audience",
    "channel",
)
#: the ledger's columns, in the order its tables and rejects list them
LEDGER_FIELDS: tuple[str, ...] = (
    "date", "end", "township", "village", "dept", "title", *DETAILS,
    *MEASURES, "status", "note", "id", "revision",
)  # fmt: skip
#: column header → field, with the synonyms townships write (first one is the template's)
HEADERS: Mapping[str, tuple[str, ...]] = {key: FIELDS[key].headers for key in LEDGER_FIELDS}


def _kind(label: str, short: str) -> Term:
    return Term(label, short=short)


#: enum class name → member slug → term
ENUMS: Mapping[str, Mapping[str, Term]] = {
    "Kind": {
        "seven-into": _kind("法律七进集中宣传", "法律七进"),
        "constitution": _kind("宪法宣传活动", "宪法宣传"),
        "campaign": _kind("重大法治集中宣传活动", "集中宣传"),
        "school-lecture": _kind("法治副校长进校宣讲", "进校宣讲"),
        "literate-training": _kind("法律明白人培训", "明白人培训"),
        "cadre-exam": _kind("国家工作人员学法用法考试", "学法考试"),
        "cadre-training": _kind("领导干部法治培训", "干部培训"),
        "lecture": _kind("法治讲座", "法治讲座"),
        "media-release": _kind("新媒体普法信息发布", "新媒体"),
    },
    "Status": {"planned": Term("计划"), "held": Term("已开展"), "cancelled": Term("已取消")},
    "Mode": {"offline": Term("线下定向"), "online": Term("线上")},
    "Measure": {key: FIELDS[key] for key in MEASURES},
    "Action": {"create": Term("登记"), "edit": Term("修改"), "void": Term("作废")},
    "Count": {
        "sum": Term("合计"),
        "distinct": Term("不重复计数"),
        "rate": Term("比率"),
        "per-village": Term("每村(居)平均"),
        "townships": Term("达到要求的乡镇数"),
    },
    "Comparator": {">=": Term("不少于"), "=": Term("等于")},
    "Pace": {
        "met": Term("达标"),
        "on-track": Term("正常"),
        "behind": Term("滞后"),
        "no-data": Term("无数据"),
        "no-target": Term("无目标"),
    },
    "Shape": {"total": Term("期内累计"), "yearly": Term("每年不少于"), "end": Term("期末达到")},
    "DayKind": {
        "workday": Term("工作日"),
        "weekend": Term("休息日"),
        "holiday": Term("节假日"),
        "makeup": Term("调休上班"),
    },
    "Role": {
        "admin": Term("管理员"),
        "office": Term("县普法办"),
        "township": Term("乡镇"),
        "department": Term("部门"),
        "viewer": Term("领导(只读)"),
    },
    "PeriodPace": {
        "met": Term("达成"),
        "on-track": Term("进度正常"),
        "behind": Term("落后"),
        "no-data": Term("无数据"),
        "no-target": Term("无目标"),
    },
}

#: other words users type for a kind, in the order closest-match hints try them
KIND_ALIASES: Mapping[str, str] = {
    "法律七进": "seven-into",
    "七进": "seven-into",
    "宪法宣传": "constitution",
    "宪法宣传周": "constitution",
    "国家宪法日": "constitution",
    "宪法": "constitution",
    "集中宣传": "campaign",
    "进校宣讲": "school-lecture",
    "法治副校长": "school-lecture",
    "法律明白人": "literate-training",
    "学法用法考试": "cadre-exam",
    "法宣在线": "cadre-exam",
    "干部培训": "cadre-training",
    "学法考试": "cadre-exam",
    "明白人培训": "literate-training",
    "宪法宣传活动": "constitution",
    "讲座": "lecture",
    "法治讲座": "lecture",
    "新媒体": "media-release",
    "新媒体普法": "media-release",
    "信息发布": "media-release",
}


# -- lookups ---------------------------------------------------------------------------------------


def kind_key(kind: str, key: str) -> str:
    """The key of ``key`` as one kind words it (``cadre-exam.participants``), or ``key`` itself."""
    return f"{kind}.{key}" if key in KIND_FIELDS.get(kind, {}) else key


def term(key: str) -> Term | None:
    """The term of a field key (``participants``, ``cadre-exam.participants``), if it has one."""
    found = FIELDS.get(key) or PERSON_FIELDS.get(key) or USER_FIELDS.get(key)
    if found is None and "." in key:
        kind, _, name = key.partition(".")
        found = KIND_FIELDS.get(kind, {}).get(name)
    return found


def label(key: str) -> str:
    """The Chinese label of a field key; a key outside the table is shown as it is."""
    found = term(key)
    return key if found is None else found.label


def cli_label(key: str) -> str:
    """How the command line names a field in a problem: ``参与人次 (--participants)``."""
    found = term(key)
    if found is None:
        return key
    return found.label if found.cli is None else f"{found.label} ({found.cli})"


def spelled(key: str) -> str:
    """A field as a choice in a sentence, label then its option: ``场次(--sessions)``."""
    found = term(key)
    if found is None or found.cli is None:
        return label(key)
    return f"{found.label}({found.cli})"


def column_key(key: str) -> str:
    """The ledger column a problem about ``key`` points at."""
    found = term(key)
    base = key.rpartition(".")[2]
    return base if found is None or found.column is None else found.column


def enum_term(enum_name: str, slug: str) -> Term:
    """The term of one enum member, by its class name and slug."""
    return ENUMS[enum_name][slug]


def slug_of(enum_name: str, text: str) -> str:
    """The slug of the member whose label is ``text``; ``text`` itself when none is."""
    for slug, found in ENUMS[enum_name].items():
        if found.label == text:
            return slug
    return text
