"""`pufa summary` and `pufa report`: the year against its targets, in a table or in the report's words."""

import enum
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import pendulum
import typer

from pufa import amounts, document, names, report, tally, unitwork
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, print_json
from pufa.cli.options import AsOfOption, JsonOption, YearOption
from pufa.dates import parse_when
from pufa.display import (
    SUMMARY_COLUMNS,
    compare_columns,
    compare_rows,
    period_columns,
    period_rows,
    summary_rows,
)
from pufa.errors import InvalidInput
from pufa.jsonout import compare_json, period_json, summary_json
from pufa.model import County
from pufa.output import csv_bytes, target, write_atomic
from pufa.programme import Change, parse_period
from pufa.store import Store
from pufa.yearly import Year, load_period, load_year, read_goals
from pufa.yearly import compare as yearly_compare
from pufa.yearly import explain as record_ids


class By(enum.StrEnum):
    township = "township"
    dept = "dept"
    month = "month"
    venue = "venue"
    kind = "kind"
    village = "village"


class Format(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    docx = "docx"


class TableFormat(enum.StrEnum):
    text = "text"
    xlsx = "xlsx"
    docx = "docx"


TableFormatOption = Annotated[
    TableFormat,
    typer.Option(
        "--format", help="text 屏幕表格 / xlsx 可打印的 Excel 表 / docx Word 表格(须用 -o)"
    ),
]
FileOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="--format xlsx 或 docx 时写入的文件")
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="输出文件已存在时替换它(本工作区的数据库和配置文件除外)")
]


def as_of_date(text: str | None, county: County) -> pendulum.Date | None:
    """The ``--as-of`` date, a date-time read in the county's time zone."""
    if text is None:
        return None
    value = parse_when(text, county.timezone, field="截至 (--as-of)")
    return value.date() if isinstance(value, pendulum.DateTime) else value


def _warn(warnings: tuple[str, ...]) -> None:
    """One yellow line on stderr per record left out of the sums (see ``pufa db check``)."""
    for warning in warnings:
        typer.secho(f"提示:{warning}", fg="yellow", err=True)


#: a report's makings: the tally, the record ids (--explain), the changes (--compare), lead, title
Draft = tuple[tally.Summary, dict[str, list[int]], dict[str, Change], str, str]


def _unit_draft(
    found: ws.Workspace, county: County, year: int, dept: str, explain: bool, compare: int | None
) -> Draft:
    """``report --dept``: the unit's tally over its tasks and records, its ids, lead and title."""
    if compare is not None:
        raise InvalidInput.one("--compare", compare, "不能与 --dept 同用", "去掉 --compare")
    slug = names.department(county, dept).slug
    goals, duties = unitwork.read_duties(found, county, year)
    with found.open() as store:
        units = unitwork.progress(county, store, goals, duties, None, slug)
        if not units:
            listed = "、".join(u.dept.name for u in duties.units)
            raise InvalidInput.one(
                "部门 (--dept)", dept, f"应为 {year} 年责任清单中的部门({listed})"
            )
        ids = unitwork.record_ids(store, duties, units[0]) if explain else {}
    unit = units[0].unit
    lead = report.unit_lead(unit.dept.name, unit.laws)
    return units[0].summary, ids, {}, lead, f"{unit.dept.name}普法履职情况"


def _year(year: int | None, county: County) -> int:
    return year if year is not None else ws.this_year(county.timezone)


def summary_cmd(
    year: YearOption = None,
    as_of: AsOfOption = None,
    township: Annotated[
        str | None, typer.Option("--township", "-t", help="只看一个乡(镇、街道)")
    ] = None,
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help="分组:township 乡镇 / village 村(居) / dept 部门 / month 月份 / venue 七进覆盖 / kind 类型",
        ),
    ] = None,
    as_json: JsonOption = False,
    csv: Annotated[
        bool, typer.Option("--csv", help="输出 CSV(UTF-8 带 BOM,Excel 可直接打开)")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="有指标滞后时以退出状态 1 结束(供定时提醒)")
    ] = False,
    period: Annotated[
        str | None,
        typer.Option("--period", help="五年规划周期,如 2021-2025:逐年、期内合计、规划目标和状态"),
    ] = None,
    compare: Annotated[
        int | None,
        typer.Option("--compare", help="同比:与哪一年比较,如 --year 2024 --compare 2023"),
    ] = None,
    fmt: TableFormatOption = TableFormat.text,
    output: FileOption = None,
    force: ForceOption = False,
) -> None:
    """全年对照目标:已完成、计划、目标、完成率、应完成(按季节曲线)、状态和年末预计。例:pufa summary --year 2024 --as-of 2024-06-30"""
    _refuse_with_file(fmt, output, (as_json, csv, period, compare))
    if period is not None or compare is not None:
        _frame(period, compare, year, as_of, as_json=as_json, csv=csv, alone=(township, by))
        return
    with errors():
        found = ws.find(STATE.workspace)
        county = found.county()
        code = names.township(county, township).code if township else None
        chosen, when = _year(year, county), as_of_date(as_of, county)
        goals = read_goals(found, county, chosen)
        with found.open() as store:
            data = load_year(county, store, goals, when, code)
    _warn(data.warnings)
    table = _breakdown(by, data) if by is not None else None
    if fmt is not TableFormat.text:
        _summary_file(found, data, table, fmt.value, (output, force))
    else:
        _emit_summary(data, table, as_json, csv)
    if check and data.summary.behind:
        raise typer.Exit(1)


def _refuse_with_file(fmt: TableFormat, output: Path | None, others: tuple[object, ...]) -> None:
    """``--format xlsx/docx`` writes the summary table (and its ``--by`` table) alone; ``-o`` is
    only for them."""
    if fmt is TableFormat.text and output is not None:
        with errors():
            raise InvalidInput.one(
                "输出 (-o)", str(output), "只用于 --format xlsx 或 docx", "加 --format xlsx"
            )
    if fmt is not TableFormat.text and any(v not in (None, False) for v in others):
        with errors():
            raise InvalidInput.one(
                "--format", fmt.value, "不与 --json、--csv、--period、--compare 同用", "分开运行"
            )


def _file_target(found: ws.Workspace, output: Path | None, fmt: str, force: bool) -> Path:
    """The ``-o`` file of ``--format xlsx/docx``: required, of that suffix, not the workspace's
    own store or settings, not replacing a file without ``--force``."""
    if output is None:
        raise InvalidInput.one(
            "输出 (-o)", None, f"--format {fmt} 须用 -o 指定输出文件", f"如 -o 普法工作.{fmt}"
        )
    store = found.database
    protected = [store, found.root / ws.CONFIG, found.profile]
    return target(
        output, option="输出 (-o)", suffixes=(f".{fmt}",), force=force, protected=protected
    )


def _summary_file(
    found: ws.Workspace,
    data: Year,
    table: tally.Breakdown | None,
    fmt: str,
    file: tuple[Path | None, bool],
) -> None:
    """``summary --format xlsx/docx``: the summary table (and the ``--by`` table) as a printable
    Excel sheet or a Word document."""
    with errors():
        path = _file_target(found, file[0], fmt, file[1])
        county, summary = data.county, data.summary
        tables = [document.summary_table(summary)]
        if table is not None:
            tables.append(document.breakdown_table(table, f"按{_BY_NAMES[table.dimension]}"))
        place = f"{names.township(county, summary.township).name}" if summary.township else ""
        title = f"{county.name}{place}{summary.year}年普法工作指标汇总"
        if fmt == "xlsx":
            from pufa.ledger.table import write_printable  # openpyxl: only for this file

            sheets = [
                ("汇总" if n == 0 else t.caption, title if n == 0 else f"{title}({t.caption})",
                 t.headers, t.rows)
                for n, t in enumerate(tables)
            ]  # fmt: skip
            write_printable(path, sheets, ws.now())
        else:
            _write_docx(path, document.table_document(title, summary, tuple(tables)))
    typer.echo(f"已写入 {path}")


#: a ``--by`` table's caption
_BY_NAMES = {
    "township": "乡镇(街道)",
    "village": "村(社区)",
    "dept": "部门",
    "month": "月份",
    "venue": "七进覆盖",
    "kind": "活动类型",
}


def _write_docx(path: Path, doc: document.Document) -> None:
    """Write a Word document whole or not at all, stamped with ``PUFA_NOW`` (or the clock)."""
    from pufa.wordfile import write_docx  # python-docx: only for this file

    now = ws.now()
    write_atomic(path, lambda file: write_docx(file, doc, now))


def _emit_summary(data: Year, table: tally.Breakdown | None, as_json: bool, csv: bool) -> None:
    """The summary (and its breakdown) as JSON, CSV or rich tables."""
    if as_json:
        _print_summary_json(data.summary, table)
    elif csv:
        if table is None:
            _write_csv(list(SUMMARY_COLUMNS), summary_rows(data.summary))
        else:
            _write_csv(list(table.headers), _rows(table))
    else:
        from pufa.cli import render  # rich: not for `--json` or `--csv`

        render.print_summary(data.county, data.summary)
        if table is not None:
            render.print_matrix(table.headers, _rows(table), gaps=table.gaps)
            if table.note:
                typer.echo(table.note)


def _frame(
    period: str | None,
    compare: int | None,
    year: int | None,
    as_of: str | None,
    *,
    as_json: bool,
    csv: bool,
    alone: tuple[object, ...],
) -> None:
    """``summary --period`` (year by year against the programme) or ``summary --compare``."""
    with errors():
        if any(v is not None for v in alone) or (period is not None and compare is not None):
            raise InvalidInput.one(
                "--period / --compare", period or compare,
                "不与 --township、--by 同用,--period 也不与 --compare 同用", "分开运行",
            )  # fmt: skip
        found = ws.find(STATE.workspace)
        county = found.county()
        if period is not None:
            first, last = parse_period(period)
            with found.open() as store:
                frame = load_period(found, county, store, first, last)
            headers, rows, out = period_columns(frame), period_rows(frame), period_json(frame)
        else:
            assert compare is not None
            chosen = _year(year, county)
            indicators = read_goals(found, county, chosen).indicators
            with found.open() as store:
                changes = yearly_compare(
                    county, store, indicators, chosen, compare, as_of_date(as_of, county)
                )
            headers = compare_columns(chosen, compare)
            rows, out = compare_rows(changes), compare_json(chosen, compare, changes)
    if as_json:
        print_json(out)
    elif csv:
        _write_csv(headers, rows)
    else:
        from pufa.cli import render  # rich: not for `--json` or `--csv`

        if compare is not None:
            render.print_compare(chosen, compare, changes)
        else:
            render.print_period(county, frame)


def _changes(data: Year, store: Store, base: int) -> dict[str, Change]:
    """Each indicator's change from ``base`` (at the same day of its year) for the report."""
    found = yearly_compare(
        data.county, store, data.indicators, data.summary.year, base, data.summary.as_of
    )
    return {c.indicator.key: c for c in found}


def _breakdown(by: By, data: Year) -> tally.Breakdown:
    """The ``--by`` table of a year (built by :mod:`pufa.tally`)."""
    cells = list(data.cells)
    if by is By.venue:
        return tally.by_venue(cells, data.county)
    if by is By.kind:
        return tally.by_kind(cells)
    if by is By.village:
        args = (data.targets, data.indicators, cells, data.distinct, data.county)
        return tally.by_village(*args, data.summary.township)
    grouped = {By.township: tally.by_township, By.dept: tally.by_dept}.get(by, tally.by_month)
    return grouped(data.targets, data.indicators, cells, data.distinct, data.county)


def _rows(table: tally.Breakdown) -> list[list[object]]:
    """A breakdown's rows as output cells: the label, then each number (whole numbers as ``int``,
    others to two places, a rate without records as ``None``)."""
    return [[label, *(amounts.json_value(v) for v in values)] for label, values in table.rows]


def _print_summary_json(summary: tally.Summary, table: tally.Breakdown | None) -> None:
    out = summary_json(summary)
    if table is not None:
        out["by"] = {
            "dimension": table.dimension,
            "headers": list(table.headers),
            "rows": _rows(table),
            **({"note": table.note} if table.note else {}),
        }
    print_json(out)


def _write_csv(headers: list[str], rows: Sequence[Sequence[object]]) -> None:
    sys.stdout.buffer.writelines(csv_bytes([headers, *rows]))
    sys.stdout.flush()


def _report_document(
    county: County, draft: Draft, townships: tally.Breakdown | None, *, exact: bool
) -> document.Document:
    """``report --format docx``: the paragraph, the indicators' table, the table by township (the
    county's report) and the figures to fill in, under the report's title."""
    summary, _ids, changes, lead, title = draft
    text = report.paragraph(summary, exact=exact, changes=changes, lead=lead)
    if lead:  # a unit's report: 县司法局2023年普法履职情况
        heading = f"{title.removesuffix('普法履职情况')}{summary.year}年普法履职情况"
    else:
        heading = f"{county.name}{summary.year}年普法工作总结"
    manual = tuple(report.to_fill_in(summary))
    return document.report_document(heading, summary, (text,), townships, manual)


def report_cmd(
    year: YearOption = None,
    fmt: Annotated[
        Format,
        typer.Option("--format", help="text 纯文本 / markdown / docx Word 公文格式(须用 -o)"),
    ] = Format.text,
    exact: Annotated[
        bool, typer.Option("--exact", help="写确切数字,不写成“110余”“11万余”")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="列出每个数字的指标和背后的记录编号")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入文件(默认打印)")
    ] = None,
    compare: Annotated[
        int | None, typer.Option("--compare", help="写同比:与哪一年比较,如 --compare 2023")
    ] = None,
    dept: Annotated[
        str | None,
        typer.Option("--dept", "-d", help="起草一个部门的普法履职报告段落(按其责任清单和记录)"),
    ] = None,
    force: ForceOption = False,
) -> None:
    """按年度报告的写法起草普法段落,数字写成报告的形式(113;110余;11万余)。例:pufa report --year 2023 --explain"""
    with errors():
        found = ws.find(STATE.workspace)
        county = found.county()
        if dept is not None:
            draft = _unit_draft(found, county, _year(year, county), dept, explain, compare)
        else:
            goals = read_goals(found, county, _year(year, county))
            with found.open() as store:
                data = load_year(county, store, goals)
                ids = record_ids(store, data) if explain else {}
                changes = {} if compare is None else _changes(data, store, compare)
            _warn(data.warnings)
            draft = (data.summary, ids, changes, "", "普法工作")
        if fmt is Format.docx:
            path = _file_target(found, output, fmt.value, force)
            by_township = _breakdown(By.township, data) if dept is None else None
            _write_docx(path, _report_document(county, draft, by_township, exact=exact))
    if fmt is Format.docx:
        typer.echo(f"已写入 {path}")
        return
    summary, ids, changes, lead, title = draft
    write = report.markdown if fmt is Format.markdown else report.text
    text = write(summary, exact=exact, changes=changes, lead=lead, title=title)
    if explain:
        text += (
            "\n依据:\n"
            + "\n".join(f"- {line}" for line in report.explanation(summary, ids, exact=exact))
            + "\n"
        )
    if output is not None:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"已写入 {output}")
    else:
        typer.echo(text, nl=False)
