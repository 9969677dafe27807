"""Rich rendering of computed results — the only module that imports rich."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from pufa import amounts, vocab
from pufa.cli.plain import event_lines, shown_measures
from pufa.display import (
    compare_columns,
    compare_rows,
    detail_text,
    owner_name,
    period_columns,
    period_rows,
    summary_rows,
    value_text,
)
from pufa.event import SPECS, Action, Event, Revision
from pufa.model import County, Kind, Mode, Status
from pufa.tally import Summary
from pufa.text import visible

if TYPE_CHECKING:
    import pendulum

    from pufa.plans import Prepared
    from pufa.programme import Change, PeriodSummary

_STATUS_STYLE = {Status.PLANNED: "cyan", Status.HELD: "green", Status.CANCELLED: "yellow"}


@contextmanager
def progress(label: str) -> Iterator[Callable[[int, int], None]]:
    """A progress bar on stderr for long work; yields ``advance(done, total)``."""
    from rich.progress import (  # 6 ms more: only the long commands show a bar
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    err = Console(stderr=True)
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def console() -> Console:
    """No highlighting and no markup: titles, names and hints are shown as typed ("[会议]",
    "[[targets]]" and "[red]" are text, never styles)."""
    return Console(highlight=False, markup=False)


#: short words for the 数量 column: “参与320人次 资料600份”
_SHORT = {
    "sessions": "",
    "participants": "参与",
    "materials": "资料",
    "banners": "横幅",
    "screens": "电子屏",
    "items": "信息",
    "trainees": "参训",
    "certified": "获证",
    "passed": "及格",
}


def _measures_text(event: Event) -> str:
    spec = event.spec
    short = {**_SHORT, **({"participants": "参考"} if event.kind is Kind.CADRE_EXAM else {})}
    shown = {
        m: v for m, v in shown_measures(event).items() if not (m.slug == "sessions" and v == 1)
    }
    return " ".join(f"{short[m.slug]}{v}{spec.unit(m)}" for m, v in shown.items())


def _owner_short(county: County, event: Event) -> str:
    if event.township is None:
        return owner_name(county, event)
    try:
        name = county.township(event.township).short_name
    except KeyError:
        name = event.township
    if event.village is None:
        return name
    return f"{name} {value_text(county, 'village', event.village)}"


def events_table(county: County, events: Sequence[Event], title: str) -> Table:
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    table.add_column("编号", justify="right", no_wrap=True)
    table.add_column("时间", min_width=10)
    table.add_column("类型", min_width=4, overflow="fold")
    table.add_column("乡镇/部门", min_width=4, overflow="fold")
    table.add_column("标题", min_width=8, ratio=3, overflow="fold")
    table.add_column("进", min_width=4)
    table.add_column("数量", min_width=6, ratio=1)
    table.add_column("状态", no_wrap=True)
    for event in events:
        status = Text(event.status.label, style=_STATUS_STYLE[event.status])
        if event.voided is not None:
            status = Text("已作废", style="red strike")
        table.add_row(
            f"#{event.id}",
            event.span.text(),
            event.kind.term.short,
            _owner_short(county, event),
            visible(event.title),
            visible(detail_text(county, event, "venue") or ""),
            _measures_text(event),
            status,
        )
    table.caption = f"共 {len(events)} 条"
    return table


def print_events(county: County, events: Sequence[Event], title: str) -> None:
    console().print(events_table(county, events, title))


def print_event(county: County, event: Event) -> None:
    out = console()
    lines = event_lines(county, event)
    out.print(Text(lines[0], style="bold"))
    for line in lines[1:]:
        out.print(line)
    if event.created:
        out.print(
            f"  登记:{_local(county, event.created.at)} {visible(event.created.by)}", style="dim"
        )
    if event.voided is not None and event.voided.stamp is not None:
        stamp = event.voided.stamp
        out.print(
            f"  作废:{_local(county, stamp.at)} {visible(stamp.by)},"
            f"理由:{visible(event.voided.reason, multiline=True)}",
            style="red",
        )
    out.print(f"  版本:第 {event.revision} 版", style="dim")
    if event.updated and event.revision > 1:
        out.print(
            f"  最后修改:{_local(county, event.updated.at)} {visible(event.updated.by)}"
            f"(第 {event.revision} 版)",
            style="dim",
        )


def _local(county: County, at: object) -> str:
    return at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm:ss")  # type: ignore[attr-defined, no-any-return]


def print_history(county: County, event: Event, revisions: Sequence[Revision]) -> None:
    table = Table(
        title=f"#{event.id} {visible(event.title)} 的修改记录",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    table.add_column("版", justify="right")
    table.add_column("时间(北京时间)", no_wrap=True)
    table.add_column("操作人")
    table.add_column("操作")
    table.add_column("理由", overflow="fold")
    table.add_column("变更", overflow="fold", min_width=16)
    for revision in revisions:
        if revision.action is Action.CREATE:
            changes = f"新登记,{len(revision.changes)} 个字段(--json 查看全部)"
        else:
            changes = "\n".join(
                f"{vocab.label(c.field)}:"
                f"{visible(value_text(county, c.field, c.old))} → "
                f"{visible(value_text(county, c.field, c.new))}"
                for c in revision.changes
            )
        table.add_row(
            str(revision.seq),
            _local(county, revision.stamp.at),
            visible(revision.stamp.by),
            revision.action.label,
            visible(revision.reason or "", multiline=True),
            changes,
        )
    console().print(table)


def print_kinds(county: County) -> None:
    table = Table(
        title="活动类型(KIND 可写 slug 或中文名)",
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        show_lines=True,
    )
    table.add_column("KIND", no_wrap=True, style="bold")
    table.add_column("中文名", overflow="fold", min_width=6)
    table.add_column("专有字段", overflow="fold", ratio=1)
    table.add_column("计数(单位)", overflow="fold", ratio=1)
    for kind in Kind:
        spec = SPECS[kind]
        fields = []
        for name in spec.fields:
            text = f"--{name} {vocab.label(name)}" + (
                "(必填)" if name in spec.required_fields else ""
            )
            if name == "venue":
                text += ":" + "、".join(v.name for v in county.venues_for(kind))
            if name == "mode":
                text += ":" + " / ".join(f"{m.label} {m.slug}" for m in Mode)
            fields.append(text)
        measures = [
            f"--{m.slug} {spec.label(m)}({spec.unit(m)})"
            + ("*" if m in spec.required_when_held else "")
            for m in spec.measures
        ]
        table.add_row(kind.slug, kind.label, "\n".join(fields) or "—", "\n".join(measures))
    table.caption = "* 已开展的记录必填。每条记录默认计 1 场次。"
    console().print(table)


_PACE_STYLE = {
    "met": "green",
    "on-track": "cyan",
    "behind": "red",
    "no-data": "dim",
    "no-target": "dim",
}


def print_summary(county: County, summary: Summary) -> None:
    """The year against its targets, with progress bars; the figures the log cannot count below."""
    place = "" if summary.township is None else f" · {county.township(summary.township).name}"
    title = f"{county.name} {summary.year} 年普法指标(截至 {summary.as_of.isoformat()}{place})"
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for name in ("指标", "已完成", "计划", "目标", "完成率", "", "应完成", "状态", "年末预计"):
        table.add_column(
            name, justify="left" if name in ("指标", "", "目标") else "right", overflow="fold"
        )
    for row, cells in zip(summary.rows, summary_rows(summary), strict=True):
        done = row.percent if row.percent == row.percent else 0.0  # NaN: no data yet
        bar = ProgressBar(total=100, completed=min(100.0, done), width=10)
        table.add_row(
            cells[0],
            cells[1],
            cells[2] if row.planned else "",
            cells[3],
            f"{cells[4]}%" if cells[4] else "",
            bar,
            cells[6],
            Text(row.pace.label, style=_PACE_STYLE[row.pace.value]),
            cells[8],
        )
    profiles = sorted({f"{r.profile.label}" for r in summary.rows})
    table.caption = f"应完成按季节曲线({'、'.join(profiles)})计;目标文件:{summary.targets_path}"
    if summary.hint:
        table.caption = "本年尚无目标文件,目标显示为“—”"
    if summary.township is not None:
        table.caption += "。注意:目标是全县的数字,单个乡镇的完成率和状态仅供参考"
    if any(r.target is not None and not r.target.confirmed for r in summary.rows):
        table.caption += "。标“(待核实)”的目标是沿用上一年的草稿:逐项核实后删去其 status 行"
    out = console()
    out.print(table)
    if summary.hint:
        out.print(f"提示:{summary.hint}", style="yellow")
    if summary.untracked:
        out.print("不在台账中的数字(需另行核实):", style="bold")
        for item in summary.untracked:
            out.print(f"  {item.name}:{item.figure}{item.unit}({item.why})", style="dim")


def print_matrix(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, gaps: bool = False
) -> None:
    """A breakdown table (township × indicator, month × indicator …); zeros in red when ``gaps``."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for n, name in enumerate(headers):
        table.add_column(name, justify="left" if n == 0 else "right", overflow="fold")
    for row in rows:
        cells: list[Text | str] = [str(row[0])]
        for value in row[1:]:
            shown = _cell(value)
            cells.append(Text(shown, style="bold red") if gaps and shown == "0" else shown)
        table.add_row(*cells)
    if gaps:
        table.caption = "红色 0:该乡镇尚未开展这一“进”"
    console().print(table)


def _cell(value: object) -> str:
    """A breakdown cell: a rate without records (``None``) shows as "—", never as Python's None."""
    if value is None:
        return "—"
    return amounts.text(value) if isinstance(value, float) else str(value)


def print_plan(prepared: Prepared) -> None:
    """A plan's schedule: per item, how many, the window, first and last day; what did not fit."""
    # holidays and the planner: only `plan` needs them
    from pufa.scheduling import days_text, window

    placed: dict[str, list[pendulum.Date]] = defaultdict(list)
    for slot in prepared.schedule.slots:
        placed[slot.item.key].append(slot.day)
    table = Table(
        title=f"{prepared.plan.year} 年计划 {prepared.plan.path}",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    for name in ("项目", "类型", "次数", "窗口", "最早", "最晚"):
        table.add_column(name, overflow="fold")
    for item in prepared.plan.items:
        days = sorted(placed[item.key])
        first, last = window(item, prepared.nodes, prepared.plan.year)
        node = f"{prepared.nodes[item.node].name} " if item.node else ""
        table.add_row(
            item.key,
            item.kind.term.short,
            str(len(days)),
            f"{node}{first.isoformat()}~{last.isoformat()}"
            + ("(固定当天)" if item.pinned else "")
            + (f"({days_text(item.days)})" if item.days != "working" and not item.pinned else ""),
            days[0].isoformat() if days else "",
            days[-1].isoformat() if days else "",
        )
    unplaced = len(prepared.schedule.unplaced)
    other = "、另定 days 的项目" if any(i.days != "working" for i in prepared.plan.items) else ""
    table.caption = (
        f"共 {len(prepared.schedule.slots)} 项,均排在工作日(固定当天的节点{other}除外)"
        + (f";另有 {unplaced} 项未能安排(见下)" if unplaced else "")
    )
    out = console()
    out.print(table)
    year = prepared.plan.year
    for guessed in prepared.assumed():
        first, last = guessed.dates(year)
        out.print(
            f"注意:{guessed.name} {year} 年的日期未写入日历,按惯例假定为 {first}~{last};"
            "公布后在 calendar.toml 的 announced 中补上当年日期再排",
            style="yellow",
        )
    for problem in prepared.schedule.unplaced:
        out.print(f"未能安排:{problem}", style="red")


def print_plan_changes(prepared: Prepared, *, applied: bool) -> None:
    """What applying a plan adds, moves and cancels (and which records it leaves alone)."""
    planned = prepared.changes
    out = console()
    verb = "已" if applied else "将"
    out.print(
        f"{verb}新增 {len(planned.add)} 项、挪动 {len(planned.move)} 项、取消 {len(planned.cancel)} 项"
        f";已开展或已取消的 {len(planned.kept)} 项不动。",
        style="bold",
    )
    for event, slot in planned.move:
        out.print(
            f"  挪动 #{event.id} {visible(event.title)}:{event.span.text()} → {slot.day.isoformat()}"
        )
    for event in planned.cancel:
        out.print(f"  取消 #{event.id} {visible(event.title)}({event.span.text()})")
    for problem in prepared.schedule.unplaced:
        out.print(f"  未能安排:{problem}", style="red")


def print_plan_records(county: County, year: int, events: Sequence[Event]) -> None:
    """Records a year's plans made, by plan item: planned, held, cancelled."""
    from pufa.scheduling import PlanKey  # holidays and the planner: only `plan` needs them

    counts: Counter[tuple[str, str]] = Counter()
    for event in events:
        key = PlanKey.parse(event.source or "")
        item = "?" if key is None else f"{key.plan} / {key.item}"
        counts[(item, "已作废" if event.voided else event.status.label)] += 1
    table = Table(
        title=f"{year} 年计划产生的记录", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False
    )
    states = (*(s.label for s in Status), "已作废")
    for name in ("项目", *states):
        table.add_column(name, justify="left" if name == "项目" else "right")
    for item in sorted({k for k, _ in counts}):
        table.add_row(item, *(str(counts[(item, s)]) for s in states))
    table.caption = (
        f"共 {len(events)} 条。用 pufa list --status planned 查看明细,pufa done ID 登记开展。"
    )
    console().print(table)


def print_period(county: County, summary: PeriodSummary) -> None:
    """Each indicator year by year, the period's total, the programme's target and the status."""
    title = (
        f"{county.name} {summary.name}({summary.first}–{summary.last})逐年完成情况"
        f"(截至 {summary.as_of.isoformat()})"
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    headers = period_columns(summary)
    for n, name in enumerate(headers):
        left = n == 0 or name in ("规划目标", "目标形式", "状态")
        table.add_column(name, justify="left" if left else "right", overflow="fold")
    for row, cells in zip(summary.rows, period_rows(summary), strict=True):
        table.add_row(*cells[:-1], Text(cells[-1], style=_PACE_STYLE[row.pace.slug]))
    share = next((r.share for r in summary.rows), 0.0)
    table.caption = (
        f"期内累计目标按已过时间的比例({share:.0%})衡量进度;每年不少于:逐年对照;"
        f"期末达到:看最近一年的数字。规划文件:{summary.programme_path or '无'}"
    )
    out = console()
    out.print(table)
    if summary.hint:
        out.print(f"提示:{summary.hint}", style="yellow")


def print_compare(year: int, base: int, changes: Sequence[Change]) -> None:
    """Each indicator in the base year and this year, with the change and the change in %."""
    table = Table(
        title=f"{year} 年与 {base} 年同比",
        box=box.SIMPLE_HEAD,
        title_justify="left",
        pad_edge=False,
    )
    for n, name in enumerate(compare_columns(year, base)):
        table.add_column(name, justify="left" if n == 0 else "right", overflow="fold")
    for change, cells in zip(changes, compare_rows(changes), strict=True):
        style = "green" if change.delta > 0 else "red" if change.delta < 0 else ""
        table.add_row(*cells[:3], Text(cells[3], style=style), Text(cells[4], style=style))
    table.caption = "增减% 以上一年为基数;基数为 0 或无数据时写“—”"
    console().print(table)
