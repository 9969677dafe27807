"""`pufa lock`, `pufa unlock`, `pufa locks`: the county office's month locks (月度核对与锁定).

Plain lines laid out for the width (no rich): a block per township (and 县直部门) with its twelve
months, 🔒 or —, then who locked or unlocked each month, when and why.
"""

import shutil
from typing import Annotated

import typer

from pufa import records
from pufa import workspace as ws
from pufa.cli.common import errors, opened, print_json
from pufa.cli.layout import cells, fold
from pufa.cli.options import ActorOption, JsonOption, YearOption
from pufa.locks import COUNTY_LEVEL, Lock, month_text, place_name
from pufa.model import County
from pufa.text import visible

MonthOption = Annotated[
    str, typer.Option("--month", "-m", metavar="YYYY-MM", help="年月,如 2026-10(2026年10月)")
]
LockTownshipOption = Annotated[
    str | None,
    typer.Option(
        "--township",
        "-t",
        help=f"乡(镇、街道):名称、简称或代码;{COUNTY_LEVEL}的记录写 {COUNTY_LEVEL}",
    ),
]
AllOption = Annotated[bool, typer.Option("--all", help=f"全部乡镇和{COUNTY_LEVEL}")]

LOCKED, OPEN = "🔒", "—"


def _written(county: County, written: list[Lock], verb: str) -> None:
    for lock in written:
        why = f"(理由:{visible(lock.reason, multiline=True)})" if lock.reason else ""
        typer.echo(
            f"已{verb} {place_name(county, lock.place)} {month_text(lock.year, lock.month)}{why}"
        )


def lock_cmd(
    month: MonthOption,
    township: LockTownshipOption = None,
    everything: AllOption = False,
    reason: Annotated[str | None, typer.Option("--reason", "-r", help="锁定说明(可不填)")] = None,
    by: ActorOption = None,
) -> None:
    """县普法办核对后锁定某乡镇某月的记录:此后该月记录只能由县普法办填写理由后修改。
    例:pufa lock --month 2026-10 --township 禾丰乡"""
    with errors(), opened() as (county, store):
        places = records.lock_places(county, township, everything=everything)
        written = records.lock_months(store, county, places, month, ws.stamp(by), reason)
    _written(county, written, "锁定")


def unlock_cmd(
    month: MonthOption,
    township: LockTownshipOption = None,
    everything: AllOption = False,
    reason: Annotated[
        str | None, typer.Option("--reason", "-r", help="解锁理由(必填,至少 4 个字)")
    ] = None,
    by: ActorOption = None,
) -> None:
    """解锁某乡镇某月(须写明理由,记入锁定记录)。例:pufa unlock --month 2026-10 --township 禾丰乡 --reason 乡镇补报漏登活动"""
    with errors(), opened() as (county, store):
        places = records.lock_places(county, township, everything=everything)
        written = records.lock_months(
            store, county, places, month, ws.stamp(by), reason, locked=False
        )
    _written(county, written, "解锁")


def locks_cmd(year: YearOption = None, as_json: JsonOption = False) -> None:
    """列出一年各乡镇(及县直部门)各月的锁定状态:🔒 已锁定,— 未锁定;并列出谁、何时锁定或解锁。
    例:pufa locks --year 2026"""
    with errors(), opened() as (county, store):
        chosen = year or ws.today(county.timezone).year
        current = store.month_locks(chosen)
        history = store.lock_history(chosen)
    if as_json:
        print_json({"year": chosen, "locks": [_json(county, lock) for lock in current],
                    "history": [_json(county, lock) for lock in history]})  # fmt: skip
        return
    width = shutil.get_terminal_size((80, 24)).columns
    for line in lines(county, chosen, current, width):
        typer.echo(line)


def _json(county: County, lock: Lock) -> dict[str, object]:
    return {
        "place": lock.place, "name": place_name(county, lock.place), "year": lock.year,
        "month": lock.month, "locked": lock.locked, "by": lock.by,
        "at": lock.at.in_timezone(county.timezone).isoformat(), "reason": lock.reason,
    }  # fmt: skip


def _cell(text: str) -> str:
    """A month's cell, three columns wide."""
    return " " * (3 - cells(text)) + text


def lines(county: County, year: int, current: list[Lock], width: int) -> list[str]:
    """The year's locks as lines of at most ``width`` columns: per place its months, then each
    current lock or unlock with who, when and why."""
    state = {lock.key: lock for lock in current}
    out = fold(f"{year} 年月度锁定({LOCKED} 已锁定,{OPEN} 未锁定)", width)
    places = [(t.code, t.name) for t in county.townships] + [(county.code, COUNTY_LEVEL)]
    for code, name in places:
        out += fold(name, width)
        out.append("  月" + "".join(_cell(str(m)) for m in range(1, 13)))
        marks = [state.get((code, year, m)) for m in range(1, 13)]
        out.append(
            "    " + "".join(_cell(LOCKED if m is not None and m.locked else OPEN) for m in marks)
        )
        for lock in (m for m in marks if m is not None):
            at = lock.at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm")
            verb = "锁定" if lock.locked else "解锁"
            why = f",理由:{visible(lock.reason)}" if lock.reason else ""
            out += [
                "  " + piece
                for piece in fold(f"{lock.month}月 {verb}:{lock.by} {at}{why}", width - 2)
            ]
    locked = sum(1 for lock in current if lock.locked)
    out += fold(f"共 {locked} 个乡镇月份已锁定。", width)
    return out
