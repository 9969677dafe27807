"""Rich rendering of computed results — the only module that imports rich."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress_bar import ProgressBar
from rich.text import Text

from pufa import amounts, vocab
from pufa.cli import layout
from pufa.cli.layout import Column
from pufa.cli.plain import event_lines, shown_measures
from pufa.cli.render_table import Cell, console, say, say_field, show_table
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


_EVENT_COLUMNS = (
    Column("编号", "keep", right=True),
    Column("时间", "words"),
    Column("类型", "keep"),
    Column("乡镇/部门"),
    Column("标题"),
    Column("进"),
    Column("数量", "words"),
    Column("状态", "keep"),
)


def print_events(county: County, events: Sequence[Event], title: str) -> None:
    rows: list[list[Cell]] = []
    for event in events:
        status = Text(event.status.label, style=_STATUS_STYLE[event.status])
        if event.voided is not None:
            status = Text("已作废", style="red strike")
        rows.append([
            f"#{event.id}",
            event.span.text(),
            event.kind.term.short,
            _owner_short(county, event),
            visible(event.title),
            visible(detail_text(county, event, "venue") or ""),
            _measures_text(event),
            status,
        ])  # fmt: skip
    show_table(console(), title, _EVENT_COLUMNS, rows, f"共 {len(events)} 条")


def print_block(heading: str, fields: Sequence[str]) -> None:
    """A bold heading and its “标签:值” lines, each folded to the screen, numbers whole."""
    out = console()
    say(out, heading, "bold")
    for line in fields:
        say_field(out, line)


def print_event(county: County, event: Event) -> None:
    out = console()
    lines = event_lines(county, event)
    say(out, lines[0], "bold")
    for line in lines[1:]:
        say_field(out, line)
    if event.created:
        say_field(
            out, f"  登记:{_local(county, event.created.at)} {visible(event.created.by)}", "dim"
        )
    if event.voided is not None and event.voided.stamp is not None:
        stamp = event.voided.stamp
        say_field(
            out,
            f"  作废:{_local(county, stamp.at)} {visible(stamp.by)},"
            f"理由:{visible(event.voided.reason, multiline=True)}",
            "red",
        )
    say_field(out, f"  版本:第 {event.revision} 版", "dim")
    if event.updated and event.revision > 1:
        say_field(
            out,
            f"  最后修改:{_local(county, event.updated.at)} {visible(event.updated.by)}"
            f"(第 {event.revision} 版)",
            "dim",
        )


def _local(county: County, at: object) -> str:
    return at.in_timezone(county.timezone).format("YYYY-MM-DD HH:mm:ss")  # type: ignore[attr-defined, no-any-return]


_HISTORY_COLUMNS = (
    Column("版", "keep", right=True),
    Column("时间(北京时间)", "keep"),
    Column("操作人"),
    Column("操作", "keep"),
    Column("理由"),
    Column("变更"),
)


def print_history(county: County, event: Event, revisions: Sequence[Revision]) -> None:
    rows: list[list[Cell]] = []
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
        rows.append([
            str(revision.seq),
            _local(county, revision.stamp.at),
            visible(revision.stamp.by),
            revision.action.label,
            visible(revision.reason or "", multiline=True),
            changes,
        ])  # fmt: skip
    title = f"#{event.id} {visible(event.title)} 的修改记录"
    show_table(console(), title, _HISTORY_COLUMNS, rows)


def print_kinds(county: County) -> None:
    rows: list[list[Cell]] = []
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
        rows.append([kind.slug, kind.label, "\n".join(fields) or "—", "\n".join(measures)])
    columns = (Column("KIND", "keep"), Column("中文名"), Column("专有字段"), Column("计数(单位)"))
    caption = "* 已开展的记录必填。每条记录默认计 1 场次。"
    show_table(console(), "活动类型(KIND 可写 slug 或中文名)", columns, rows, caption, lines=True)


_PACE_STYLE = {
    "met": "green",
    "on-track": "cyan",
    "behind": "red",
    "no-data": "dim",
    "no-target": "dim",
}


_SUMMARY_COLUMNS = (
    Column("指标"),
    Column("已完成", "keep", right=True),
    Column("计划", "keep", right=True),
    Column("目标", "words"),
    Column("完成率", "keep", right=True),
    Column("", "keep", optional=True),
    Column("应完成", "keep", right=True),
    Column("状态", "keep"),
    Column("年末预计", "keep", right=True),
)


def print_summary(county: County, summary: Summary) -> None:
    """The year against its targets, with progress bars; the figures the log cannot count below."""
    place = "" if summary.township is None else f" · {county.township(summary.township).name}"
    title = f"{county.name} {summary.year} 年普法指标(截至 {summary.as_of.isoformat()}{place})"
    rows: list[list[Cell]] = []
    for row, cells in zip(summary.rows, summary_rows(summary), strict=True):
        done = row.percent if row.percent == row.percent else 0.0  # NaN: no data yet
        bar = ProgressBar(total=100, completed=min(100.0, done), width=10)
        rows.append([
            cells[0],
            cells[1],
            cells[2] if row.planned else "",
            cells[3],
            f"{cells[4]}%" if cells[4] else "",
            bar,
            cells[6],
            Text(row.pace.label, style=_PACE_STYLE[row.pace.value]),
            cells[8],
        ])  # fmt: skip
    profiles = sorted({f"{r.profile.label}" for r in summary.rows})
    caption = f"应完成按季节曲线({'、'.join(profiles)})计;目标文件:{summary.targets_path}"
    if summary.hint:
        caption = "本年尚无目标文件,目标显示为“—”"
    if summary.township is not None:
        caption += "。注意:目标是全县的数字,单个乡镇的完成率和状态仅供参考"
    if any(r.target is not None and not r.target.confirmed for r in summary.rows):
        caption += "。标“(待核实)”的目标是沿用上一年的草稿:逐项核实后删去其 status 行"
    out = console()
    show_table(out, title, _SUMMARY_COLUMNS, rows, caption)
    if summary.hint:
        say(out, f"提示:{summary.hint}", "yellow")
    if summary.untracked:
        say(out, "不在台账中的数字(需另行核实):", "bold")
        for item in summary.untracked:
            say_field(out, f"  {item.name}:{item.figure}{item.unit}({item.why})", "dim")


def print_matrix(
    headers: Sequence[str], rows: Sequence[Sequence[object]], *, gaps: bool = False
) -> None:
    """A breakdown table (township × indicator, month × indicator …); zeros in red when ``gaps``."""
    shown: list[list[Cell]] = []
    for row in rows:
        cells: list[Cell] = [layout.shown(row[0])]
        for value in row[1:]:
            text = _cell(value)
            cells.append(Text(text, style="bold red") if gaps and text == "0" else text)
        shown.append(cells)
    columns = [Column(headers[0]), *(Column(h, "keep", right=True) for h in headers[1:])]
    show_table(console(), "", columns, shown, "红色 0:该乡镇尚未开展这一“进”" if gaps else "")


def _cell(value: object) -> str:
    """A breakdown cell: a rate without records (``None``) shows as "—", never as Python's None."""
    if value is None:
        return "—"
    return amounts.text(value) if isinstance(value, float) else str(value)


_PLAN_COLUMNS = (
    Column("项目", "keep"),
    Column("类型", "keep"),
    Column("次数", "keep", right=True),
    Column("窗口"),
    Column("最早", "keep"),
    Column("最晚", "keep"),
)


def print_plan(prepared: Prepared) -> None:
    """A plan's schedule: per item, how many, the window, first and last day; what did not fit."""
    # holidays and the planner: only `plan` needs them
    from pufa.scheduling import days_text, window

    placed: dict[str, list[pendulum.Date]] = defaultdict(list)
    for slot in prepared.schedule.slots:
        placed[slot.item.key].append(slot.day)
    rows: list[list[Cell]] = []
    for item in prepared.plan.items:
        days = sorted(placed[item.key])
        first, last = window(item, prepared.nodes, prepared.plan.year)
        node = f"{prepared.nodes[item.node].name} " if item.node else ""
        rows.append([
            item.key,
            item.kind.term.short,
            str(len(days)),
            f"{node}{first.isoformat()}~{last.isoformat()}"
            + ("(固定当天)" if item.pinned else "")
            + (f"({days_text(item.days)})" if item.days != "working" and not item.pinned else ""),
            days[0].isoformat() if days else "",
            days[-1].isoformat() if days else "",
        ])  # fmt: skip
    unplaced = len(prepared.schedule.unplaced)
    other = "、另定 days 的项目" if any(i.days != "working" for i in prepared.plan.items) else ""
    caption = f"共 {len(prepared.schedule.slots)} 项,均排在工作日(固定当天的节点{other}除外)" + (
        f";另有 {unplaced} 项未能安排(见下)" if unplaced else ""
    )
    out = console()
    show_table(
        out, f"{prepared.plan.year} 年计划 {prepared.plan.path}", _PLAN_COLUMNS, rows, caption
    )
    year = prepared.plan.year
    for guessed in prepared.assumed():
        first, last = guessed.dates(year)
        say(
            out,
            f"注意:{guessed.name} {year} 年的日期未写入日历,按惯例假定为 {first}~{last};"
            "公布后在 calendar.toml 的 announced 中补上当年日期再排",
            "yellow",
        )
    for problem in prepared.schedule.unplaced:
        say(out, f"未能安排:{problem}", "red")


def print_plan_changes(prepared: Prepared, *, applied: bool) -> None:
    """What applying a plan adds, moves and cancels (and which records it leaves alone)."""
    planned = prepared.changes
    out = console()
    verb = "已" if applied else "将"
    say(
        out,
        f"{verb}新增 {len(planned.add)} 项、挪动 {len(planned.move)} 项、取消 {len(planned.cancel)} 项"
        f";已开展或已取消的 {len(planned.kept)} 项不动。",
        "bold",
    )
    for event, slot in planned.move:
        say(
            out,
            f"  挪动 #{event.id} {visible(event.title)}:{event.span.text()} → {slot.day.isoformat()}",
        )
    for event in planned.cancel:
        say(out, f"  取消 #{event.id} {visible(event.title)}({event.span.text()})")
    for problem in prepared.schedule.unplaced:
        say(out, f"  未能安排:{problem}", "red")


def print_plan_records(county: County, year: int, events: Sequence[Event]) -> None:
    """Records a year's plans made, by plan item: planned, held, cancelled."""
    from pufa.scheduling import PlanKey  # holidays and the planner: only `plan` needs them

    counts: Counter[tuple[str, str]] = Counter()
    for event in events:
        key = PlanKey.parse(event.source or "")
        item = "?" if key is None else f"{key.plan} / {key.item}"
        counts[(item, "已作废" if event.voided else event.status.label)] += 1
    states = (*(s.label for s in Status), "已作废")
    columns = [Column("项目", "words"), *(Column(s, "keep", right=True) for s in states)]
    rows = [
        [item, *(str(counts[(item, s)]) for s in states)] for item in sorted({k for k, _ in counts})
    ]
    caption = f"共 {len(events)} 条。用 pufa list --status planned 查看明细,pufa done ID 登记开展。"
    show_table(console(), f"{year} 年计划产生的记录", columns, rows, caption)


def print_period(county: County, summary: PeriodSummary) -> None:
    """Each indicator year by year, the period's total, the programme's target and the status."""
    title = (
        f"{county.name} {summary.name}({summary.first}–{summary.last})逐年完成情况"
        f"(截至 {summary.as_of.isoformat()})"
    )
    headers = period_columns(summary)
    columns = [
        Column(name) if n == 0 or name in ("目标形式", "状态")
        else Column(name, "words") if name == "规划目标"
        else Column(name, "keep", right=True)
        for n, name in enumerate(headers)
    ]  # fmt: skip
    rows: list[list[Cell]] = [
        [*cells[:-1], Text(cells[-1], style=_PACE_STYLE[row.pace.slug])]
        for row, cells in zip(summary.rows, period_rows(summary), strict=True)
    ]
    share = next((r.share for r in summary.rows), 0.0)
    caption = (
        f"期内累计目标按已过时间的比例({share:.0%})衡量进度;每年不少于:逐年对照;"
        f"期末达到:看最近一年的数字。规划文件:{summary.programme_path or '无'}"
    )
    out = console()
    show_table(out, title, columns, rows, caption)
    if summary.hint:
        say(out, f"提示:{summary.hint}", "yellow")


def print_compare(year: int, base: int, changes: Sequence[Change]) -> None:
    """Each indicator in the base year and this year, with the change and the change in %."""
    headers = compare_columns(year, base)
    columns = [Column(headers[0]), *(Column(h, "keep", right=True) for h in headers[1:])]
    rows: list[list[Cell]] = []
    for change, cells in zip(changes, compare_rows(changes), strict=True):
        style = "green" if change.delta > 0 else "red" if change.delta < 0 else ""
        rows.append([*cells[:3], Text(cells[3], style=style), Text(cells[4], style=style)])
    caption = "增减% 以上一年为基数;基数为 0 或无数据时写“—”"
    show_table(console(), f"{year} 年与 {base} 年同比", columns, rows, caption)
