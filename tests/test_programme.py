"""The five-year frame: programme files, summary --period, summary/report --compare."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pufa import records
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.intake import Entry
from pufa.load import load_indicators, load_programme
from pufa.model import County
from pufa.programme import PeriodPace, Shape, elapsed_share, parse_period

from .conftest import ROOT, STAMP, invoke, invoke_ok

KAIYANG = ROOT / "campaigns" / "kaiyang"
#: 法律七进 sessions and 重大法治集中宣传活动 per year of the store built below (2022 falls short)
SEVEN = {2021: 120, 2022: 110, 2023: 113, 2024: 115, 2025: 107}
CAMPAIGNS = {2021: 6, 2022: 4, 2023: 6, 2024: 7, 2025: 6}


def _log(store: object, county: County, kind: str, day: str, **values: str) -> None:
    entry = Entry(kind, {"title": "测试", "date": day, "township": "禾丰乡", **values})
    records.log(store, county, entry, STAMP)  # type: ignore[arg-type]


@pytest.fixture
def five_years(workspace: ws.Workspace) -> ws.Workspace:
    """2021–2025 on either engine: one 法律七进 record and one 集中宣传 record a year (mid-June)."""
    county = workspace.county()
    with workspace.open() as store:
        for year in SEVEN:
            day = f"{year}-06-15"
            _log(store, county, "seven-into", day, venue="学校", sessions=str(SEVEN[year]))
            _log(
                store, county, "campaign", day, occasion="国际禁毒日", sessions=str(CAMPAIGNS[year])
            )
    return workspace


def _period(root: Path, *options: str) -> dict[str, dict[str, object]]:
    """`pufa summary --period 2021-2025 --json`: its rows by indicator."""
    result = invoke_ok(root, "summary", "--period", "2021-2025", *options, "--json")
    return {r["indicator"]: r for r in json.loads(result.output)["rows"]}


def _indicators(county: County) -> object:
    return load_indicators(KAIYANG / "indicators.toml", county)


def test_bawu_programme_has_the_three_shapes(county: County) -> None:
    """Kaiyang's 八五 file loads with a cumulative total, a yearly minimum and an end state."""
    found = load_programme(KAIYANG / "programme-2021-2025.toml", _indicators(county))  # type: ignore[arg-type]
    shapes = {t.indicator: t.shape for t in found.targets}
    assert (found.first, found.last, found.name) == (2021, 2025, "“八五”普法")
    assert shapes["seven-into-sessions"] is Shape.TOTAL
    assert shapes["major-campaigns"] is Shape.YEARLY
    assert shapes["literate-per-village"] is Shape.END


def test_bawu_programme_marks_assumed_figures_unconfirmed(county: County) -> None:
    """Figures the 2023 report does not state are marked assumed; every figure awaits checking."""
    found = load_programme(KAIYANG / "programme-2021-2025.toml", _indicators(county))  # type: ignore[arg-type]
    by_key = {t.indicator: t for t in found.targets}
    assert by_key["seven-into-sessions"].assumed
    assert not by_key["literate-per-village"].assumed
    assert not any(t.confirmed for t in found.targets)


def test_jiuwu_template_loads_empty(county: County) -> None:
    """九五's file is an empty template that still loads, listing every indicator in comments."""
    path = KAIYANG / "programme-2026-2030.toml"
    found = load_programme(path, _indicators(county))  # type: ignore[arg-type]
    assert (found.first, found.last, found.targets) == (2026, 2030, ())
    assert "#   seven-into-sessions" in path.read_text(encoding="utf-8")


def test_bad_programme_lists_every_problem_with_its_line(county: County, tmp_path: Path) -> None:
    """A wrong period, shape, indicator and figure are all reported, each at its line."""
    path = tmp_path / "programme-2021-2025.toml"
    path.write_text(
        'period = "2026-2030"\n\n[[targets]]\nindicator = "seven-into-sesions"\nshape = "sum"\n'
        'figure = "很多"\nunit = "场次"\nquote = "原文"\n',
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as raised:
        load_programme(path, _indicators(county))  # type: ignore[arg-type]
    located = {(p.field, getattr(p.location, "line", None)) for p in raised.value.problems}
    assert located == {("period", 1), ("indicator", 4), ("shape", 5), ("figure", 6)}


def test_bad_period_option_is_refused_with_the_form() -> None:
    """`--period 2021` is refused, saying how a period is written."""
    with pytest.raises(InvalidInput) as raised:
        parse_period("2021")
    assert "2021-2025" in str(raised.value)


def test_elapsed_share_counts_days_of_the_period() -> None:
    """Halfway through 2023 is about half of 2021–2025; before it 0, after it 1."""
    assert elapsed_share(2021, 2025, pendulum.Date(2023, 7, 2)) == pytest.approx(0.5, abs=0.001)
    assert elapsed_share(2021, 2025, pendulum.Date(2020, 12, 31)) == 0.0
    assert elapsed_share(2021, 2025, pendulum.Date(2026, 11, 29)) == 1.0


def test_period_summary_sums_the_five_years(five_years: ws.Workspace, today: None) -> None:
    """Each year's 法律七进 sessions, their total, and 达成 against the 565 of the programme."""
    row = _period(five_years.root)["seven-into-sessions"]
    assert row["years"] == {str(y): v for y, v in SEVEN.items()}
    assert (row["total"], row["status"], row["status_label"]) == (565, "met", "达成")


def test_period_yearly_minimum_names_the_short_year(five_years: ws.Workspace, today: None) -> None:
    """A yearly minimum missed in 2022 makes the indicator 落后, naming 2022."""
    row = _period(five_years.root)["major-campaigns"]
    assert (row["status"], row["short_years"]) == (PeriodPace.BEHIND.slug, [2022])


def test_period_total_on_track_by_elapsed_share(
    five_years: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On 2023-07-02 (half the period gone) 343 sessions of 565 are 进度正常, and 2024 is empty."""
    monkeypatch.setenv("PUFA_NOW", "2023-07-02T10:00:00+08:00")
    row = _period(five_years.root)["seven-into-sessions"]
    assert (row["total"], row["status"], row["years"]["2024"]) == (343, "on-track", None)


def test_period_csv_has_a_column_per_year(five_years: ws.Workspace, today: None) -> None:
    """The CSV heads each year, then the total, the target, its shape and the status."""
    result = invoke_ok(five_years.root, "summary", "--period", "2021-2025", "--csv")
    header = result.stdout_bytes.decode("utf-8-sig").splitlines()[0]
    assert header == "指标,2021年,2022年,2023年,2024年,2025年,期内合计,规划目标,目标形式,状态"


def test_period_without_programme_shows_dash_and_hint(
    five_years: ws.Workspace, today: None
) -> None:
    """2016–2020 has no programme file: the years are shown, no row has a target, with a hint."""
    result = invoke_ok(five_years.root, "summary", "--period", "2016-2020", "--json")
    data = json.loads(result.output)
    assert list(data["rows"][0]["years"]) == ["2016", "2017", "2018", "2019", "2020"]
    assert {r["target"] for r in data["rows"]} == {None}
    assert "还没有规划文件" in data["hint"]


def test_period_table_without_programme_prints_the_hint(
    five_years: ws.Workspace, today: None
) -> None:
    """The table of a period without a programme file ends with the hint, exit 0."""
    result = invoke_ok(five_years.root, "summary", "--period", "2016-2020")
    assert "提示:2016–2020 年还没有规划文件" in result.output.replace("\n", "")


def test_compare_json_gives_both_years_and_the_change(
    five_years: ws.Workspace, today: None
) -> None:
    """`--year 2024 --compare 2023`: 113 → 115 sessions, +2, +1.8%."""
    result = invoke_ok(five_years.root, "summary", "--year", "2024", "--compare", "2023", "--json")
    rows = {r["indicator"]: r for r in json.loads(result.output)["rows"]}
    got = rows["seven-into-sessions"]
    assert (got["base"], got["value"], got["change"], got["percent"]) == (113, 115, 2, 1.8)


def test_compare_table_has_signed_change_columns(five_years: ws.Workspace, today: None) -> None:
    """The compare table's CSV: the base year, the year, the change with its sign, and its %."""
    result = invoke_ok(five_years.root, "summary", "--year", "2025", "--compare", "2024", "--csv")
    lines = result.stdout_bytes.decode("utf-8-sig").splitlines()
    assert lines[0] == "指标,2024年,2025年,增减,增减%"
    assert "法律七进集中宣传,115,107,-8,-7%" in lines


def test_compare_with_by_is_refused(five_years: ws.Workspace) -> None:
    """`--compare` with `--by` is refused with a Chinese message."""
    result = invoke(five_years.root, "summary", "--compare", "2023", "--by", "month")
    assert result.exit_code != 0
    assert "不与" in result.output


def test_report_compare_says_tongbi(five_years: ws.Workspace, today: None) -> None:
    """`report --year 2024 --compare 2023` follows a figure with 同比增长 N%, one with 同比下降."""
    text = invoke_ok(five_years.root, "report", "--year", "2024", "--compare", "2023").output
    assert "集中宣传115场次(同比增长1.8%)" in text
    assert "重大法治集中宣传活动7次(同比增长16.7%)" in text
    text = invoke_ok(five_years.root, "report", "--year", "2025", "--compare", "2024").output
    assert "集中宣传107场次(同比下降7%)" in text
