"""``pufa list``: which records (year, kind, place, status, dates as people say them, a search
text, a limit) and how to show them (a rich table, JSON, or CSV for Excel)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Annotated

import pendulum
import typer

from pufa import dates, names
from pufa import workspace as ws
from pufa.cli.common import errors, opened, print_json
from pufa.cli.options import DeptOption, JsonOption, TownshipOption, VillageOption
from pufa.display import owner_name, village_name
from pufa.event import Event
from pufa.jsonout import event_json
from pufa.model import County, Measure
from pufa.output import csv_bytes
from pufa.store import Query, Store

FromOption = Annotated[
    str | None,
    typer.Option("--from", metavar="日期", help="开始日期不早于此日(也可 今天、上周五、3月5日 …)"),
]
ToOption = Annotated[
    str | None, typer.Option("--to", metavar="日期", help="开始日期不晚于此日(说法同 --from)")
]
SearchOption = Annotated[
    str | None,
    typer.Option("--search", "-s", metavar="文字", help="标题、乡镇、村(居)或部门名称含此文字"),
]
LimitOption = Annotated[
    int | None, typer.Option("--limit", "-n", metavar="N", min=1, help="最多列出 N 条(最早的)")
]
CsvOption = Annotated[
    bool, typer.Option("--csv", help="输出 CSV(UTF-8 带 BOM,Excel 直接打开)到标准输出")
]


def _day(county: County, text: str | None, field: str) -> str | None:
    """A ``--from``/``--to`` date, as people say it, as ``YYYY-MM-DD``."""
    if text is None:
        return None
    full, _ = dates.spoken(text, ws.today(county.timezone))
    day = dates.parse_when(full, county.timezone, field=field)
    return (day.date() if isinstance(day, pendulum.DateTime) else day).isoformat()


def places(county: County, text: str) -> tuple[str, ...]:
    """The township and village codes and department slugs whose names contain ``text``."""
    return names.places_containing(county, text)


def _csv_rows(county: County, events: list[Event]) -> Iterator[list[object]]:
    """A header and one row per record: the columns of the list, every count in its own column."""
    from pufa.ledger.cells import csv_value  # the ledger package: not for `pufa log`

    measures = list(Measure)
    yield ["编号", "类型", "标题", "开始", "结束", "乡镇/部门", "村(居)", "状态",
           *(m.label for m in measures), "备注"]  # fmt: skip
    for event in events:
        span = event.span
        yield [
            event.id,
            event.kind.label,
            csv_value(event.title),
            span.start.isoformat(),
            span.end.isoformat(),
            csv_value(owner_name(county, event)),
            csv_value(village_name(county, event.village) if event.village else None),
            event.status.label,
            *("" if (n := event.measures.get(m)) is None else n for m in measures),
            csv_value(event.note or None),
        ]


def _select(county: County, store: Store, query: Query) -> list[Event]:
    events = store.events(query)
    for skipped in store.skipped:
        typer.secho(f"提示:{skipped}", fg="yellow", err=True)
    return events


def list_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="年份")] = None,
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="活动类型")] = None,
    township: TownshipOption = None,
    village: VillageOption = None,
    dept: DeptOption = None,
    status: Annotated[
        str | None, typer.Option("--status", help="状态:planned / held / cancelled")
    ] = None,
    first: FromOption = None,
    last: ToOption = None,
    search: SearchOption = None,
    limit: LimitOption = None,
    voided: Annotated[bool, typer.Option("--voided", help="也列出已作废的记录")] = False,
    as_csv: CsvOption = False,
    as_json: JsonOption = False,
) -> None:
    """列出记录(默认不含已作废的)。例:pufa list --from 上周一 --search 禾丰 --limit 20"""
    with errors(), opened() as (county, store):
        town = names.township(county, township) if township else None
        query = Query(
            year=year,
            kind=names.kind(kind) if kind else None,
            township=town.code if town else None,
            village=names.village(county, village, town)[1].code if village else None,
            dept=names.department(county, dept).slug if dept else None,
            status=names.status(status) if status else None,
            include_voided=voided,
            first_day=_day(county, first, "from"),
            last_day=_day(county, last, "to"),
            search=search.strip() if search else None,
            places=places(county, search) if search else (),
            limit=limit,
        )
        events = _select(county, store, query)
    if as_json:
        print_json([event_json(county, e) for e in events])
    elif as_csv:
        sys.stdout.buffer.writelines(csv_bytes(_csv_rows(county, events)))
        sys.stdout.flush()
    else:
        from pufa.cli import render  # rich: `pufa log` must not load it

        render.print_events(county, events, f"{county.name} 普法活动记录")
