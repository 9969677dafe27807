"""`pufa summary` and `pufa report`: the year against its targets, in a table or in the report's words."""

import enum
from pathlib import Path
from typing import Annotated, Any

import pendulum
import typer

from pufa import amounts
from pufa import workspace as ws
from pufa.cli.common import STATE, errors, print_json


class By(enum.StrEnum):
    township = "township"
    month = "month"
    venue = "venue"
    kind = "kind"


class Format(enum.StrEnum):
    text = "text"
    markdown = "markdown"


def _as_of(text: str | None, timezone: str) -> pendulum.Date | None:
    if text is None:
        return None
    from pufa.intake import parse_when

    value = parse_when(text, timezone, field="截至 (--as-of)")
    return value.date() if isinstance(value, pendulum.DateTime) else value


def _warn(warnings: tuple[str, ...]) -> None:
    """One yellow line on stderr per record left out of the sums (see ``pufa db check``)."""
    for warning in warnings:
        typer.secho(f"提示:{warning}", fg="yellow", err=True)


def _year(year: int | None, timezone: str) -> int:
    return year if year is not None else ws.this_year(timezone)


def summary_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="年份(默认今年)")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="截至日期(默认今天,但不晚于该年年底)")
    ] = None,
    township: Annotated[
        str | None, typer.Option("--township", "-t", help="只看一个乡(镇、街道)")
    ] = None,
    by: Annotated[
        By | None,
        typer.Option("--by", help="分组:township 乡镇 / month 月份 / venue 七进覆盖 / kind 类型"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON(稳定的字段名)")] = False,
    csv: Annotated[
        bool, typer.Option("--csv", help="输出 CSV(UTF-8 带 BOM,Excel 可直接打开)")
    ] = False,
    check: Annotated[
        bool, typer.Option("--check", help="有指标滞后时以退出状态 1 结束(供定时提醒)")
    ] = False,
) -> None:
    """全年对照目标:已完成、计划、目标、完成率、应完成(按季节曲线)、状态和年末预计。例:pufa summary --year 2024 --as-of 2024-06-30"""
    from pufa import names, tally
    from pufa.yearly import load_year, read_goals

    with errors():
        found = ws.find(STATE.workspace)
        county = found.county()
        code = names.township(county, township).code if township else None
        chosen, when = _year(year, county.timezone), _as_of(as_of, county.timezone)
        goals = read_goals(found, county, chosen)
        with found.open() as store:
            data = load_year(county, store, goals, when, code)
    _warn(data.warnings)
    summary = data.summary
    table: tuple[list[str], list[list[Any]]] | None = None
    if by is By.township or by is By.month:
        rows = (tally.by_township if by is By.township else tally.by_month)(
            data.targets, data.indicators, list(data.cells), data.distinct, data.county
        )
        headers = [
            "乡镇" if by is By.township else "月份",
            *(r.indicator.name for r in summary.rows),
        ]
        table = (
            headers,
            [[name, *(amounts.json_value(v) for v in values)] for name, values in rows],
        )
    elif by is By.venue:
        venues, rows2 = tally.by_venue(list(data.cells), data.county)
        table = (["乡镇", *venues], [[name, *values] for name, values in rows2])
    elif by is By.kind:
        from pufa.model import Measure

        kinds = tally.by_kind(list(data.cells))
        headers = ["类型", "记录", *(m.label for m in Measure)]
        table = (
            headers,
            [
                [label, totals["records"], *(totals[m.value] for m in Measure)]
                for label, totals in kinds
            ],
        )
    if as_json:
        from pufa.jsonout import summary_json

        out = summary_json(summary)
        if table is not None:
            out["by"] = {
                "dimension": by.value if by else None,
                "headers": table[0],
                "rows": table[1],
            }
        print_json(out)
    elif csv:
        from pufa.display import SUMMARY_COLUMNS, summary_rows

        headers, rows3 = (
            table if table is not None else (list(SUMMARY_COLUMNS), summary_rows(summary))
        )
        _write_csv(headers, rows3)
    else:
        from pufa.cli import render

        render.print_summary(data.county, summary)
        if table is not None:
            render.print_matrix(table[0], table[1], gaps=by is By.venue)
    if check and summary.behind:
        raise typer.Exit(1)


def _write_csv(headers: list[str], rows: list[list[Any]]) -> None:
    import sys

    from pufa.output import csv_bytes

    sys.stdout.buffer.writelines(csv_bytes([headers, *rows]))
    sys.stdout.flush()


def report_cmd(
    year: Annotated[int | None, typer.Option("--year", "-y", help="年份(默认今年)")] = None,
    fmt: Annotated[Format, typer.Option("--format", help="text 纯文本 / markdown")] = Format.text,
    exact: Annotated[
        bool, typer.Option("--exact", help="写确切数字,不写成“110余”“11万余”")
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="列出每个数字的指标和背后的记录编号")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="写入文件(默认打印)")
    ] = None,
) -> None:
    """按年度报告的写法起草普法段落,数字写成报告的形式(113;110余;11万余)。例:pufa report --year 2023 --explain"""
    from pufa import report
    from pufa.yearly import explain as record_ids
    from pufa.yearly import load_year, read_goals

    with errors():
        found = ws.find(STATE.workspace)
        county = found.county()
        goals = read_goals(found, county, _year(year, county.timezone))
        with found.open() as store:
            data = load_year(county, store, goals)
            ids = record_ids(store, data) if explain else {}
    _warn(data.warnings)
    summary = data.summary
    text = (report.markdown if fmt is Format.markdown else report.text)(summary, exact=exact)
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
