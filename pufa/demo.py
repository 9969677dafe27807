"""The 示例 (sample) workspace: a few records of every kind, modelled on the 2023 report's figures.

Every title starts with 【示例】 and every note says the record is sample data; figures that come from
the report say so (e.g. the cadre exam's 7,764 participants, section 九). Stamps are fixed, so the
same pufa builds the same demo store.
"""

from __future__ import annotations

from pathlib import Path

import pendulum

from pufa import records
from pufa import workspace as ws
from pufa.errors import WorkspaceError
from pufa.intake import Entry
from pufa.model import Stamp
from pufa.store import Query

LABEL = "【示例】"
NOTE = "示例数据,非真实记录"
QUERY = Query(include_voided=True)
ACTOR = "示例管理员"


def _entry(kind: str, title: str, note: str = NOTE, **values: str) -> Entry:
    return Entry(kind, {"title": LABEL + title, "note": note, **values})


#: (record, when it was logged) — one or more of every kind, all timing forms.
SAMPLES: tuple[Entry, ...] = (
    _entry(
        "cadre-exam",
        "2023年国家工作人员学法用法考试(法宣在线)",
        dept="县司法局",
        date="2023-06-01",
        end="2023-11-30",
        participants="7764",
        passed="7764",
        note=NOTE + ";人数取自2023年报告(九):组织7764名国家工作人员参加…考试,及格率100%",
    ),
    _entry(
        "seven-into",
        "法律进学校:未成年人保护法宣讲",
        township="禾丰乡",
        venue="学校",
        date="2023-03-15",
        participants="320",
        materials="600",
    ),
    _entry(
        "seven-into",
        "法律进企业:劳动合同法专场",
        township="云开",
        venue="enterprise",
        date="2023-05-20 09:30",
        end="11:30",
        participants="85",
        materials="200",
        banners="2",
    ),
    _entry(
        "campaign",
        "4·15全民国家安全教育日集中宣传",
        township="龙岗镇",
        occasion="4·15全民国家安全教育日",
        date="2023-04-15",
        participants="600",
        materials="3000",
        banners="12",
    ),
    _entry(
        "school-lecture",
        "法治副校长开学第一课",
        township="紫兴街道",
        school="开阳县第一中学",
        lecturer="县检察院法治副校长",
        date="2023-09-01 08:30",
        end="10:00",
        participants="1200",
    ),
    _entry(
        "literate-training",
        "“法律明白人”线下定向培训",
        township="毛云乡",
        mode="线下定向",
        date="2023-06-16",
        trainees="42",
        certified="40",
        materials="84",
    ),
    _entry(
        "lecture",
        "民法典进村寨法治讲座",
        township="南江",
        audience="村民",
        date="2023-05-10",
        participants="96",
        materials="150",
    ),
    _entry(
        "cadre-training",
        "新时代法治大讲堂(第1期)",
        dept="县委依法治县办",
        date="2023-03-28 14:30",
        end="17:30",
        participants="64",
        note=NOTE + ";报告(一):法治大讲堂5期,培训学员320余人次",
    ),
    _entry(
        "media-release",
        "宪法宣传周系列推送",
        dept="县司法局",
        channel="法治开阳 公众号",
        date="2023-12-01",
        end="2023-12-07",
        items="45",
    ),
    _entry(
        "constitution",
        "国家宪法日宪法进社区",
        township="硒城街道",
        occasion="国家宪法日",
        venue="社区",
        date="2023-12-04",
        participants="800",
        materials="1200",
        banners="20",
        screens="6",
    ),
    _entry(
        "constitution",
        "国家宪法日宪法进社区(重复登记)",
        township="硒城街道",
        occasion="国家宪法日",
        venue="社区",
        date="2023-12-04",
        participants="800",
        materials="1200",
    ),
    _entry(
        "seven-into",
        "法律进乡村:2024年春季巡回宣传",
        township="冯三镇",
        venue="乡村",
        date="2024-03-12",
        status="planned",
    ),
)

_LOGGED = Stamp(pendulum.datetime(2024, 1, 8, 9, 0, tz="Asia/Shanghai"), ACTOR)
_FIXED = Stamp(pendulum.datetime(2024, 1, 10, 15, 30, tz="Asia/Shanghai"), ACTOR)


def build(root: Path) -> ws.Workspace:
    """Make (or remake) the sample workspace in ``root``; refuses a folder holding real work."""
    if (root / ws.CONFIG).exists():
        existing = ws.read(root)
        if not existing.demo:
            raise WorkspaceError(f"{root} 是真实的 pufa 工作区(不是示例):不会覆盖。请换一个目录。")
        for name in (ws.CONFIG, existing.profile.name, existing.database.name):
            (root / name).unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(existing.database) + suffix).unlink(missing_ok=True)
    elif root.exists() and any(root.iterdir()):
        raise WorkspaceError(
            f"{root} 已存在且不是空目录:请指定新的示例目录,如 pufa demo pufa-demo2"
        )
    made = ws.init(root, "kaiyang", demo=True)
    county = made.county()
    store = made.open()
    try:
        with store.transaction():
            stored = [records.log(store, county, entry, _LOGGED) for entry in SAMPLES]
            first_week = stored[1]
            assert first_week.id is not None
            records.edit(  # returns (event, changed)
                store, county, first_week.id, {"participants": "350"}, "补录后到的两个班级", _FIXED
            )
            duplicate = stored[10]
            assert duplicate.id is not None
            records.void(store, duplicate.id, "与同日宪法进社区记录重复", _FIXED)
    finally:
        store.close()
    return made
