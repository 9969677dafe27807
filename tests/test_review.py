"""Year-end evaluation (履职评议): sheets in duties files, audited office scores, pufa review,
report --dept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

from pufa import demo
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_indicators
from pufa.load.duties import load_duties
from pufa.model import County
from pufa.store import open_store
from pufa.store.copy import copy_to

from .conftest import ROOT, invoke, invoke_ok

KAIYANG = ROOT / "campaigns" / "kaiyang"

#: 县公安局 this year (2026): two computed items and one scored by the office
DUTIES_2026 = """year = 2026
source = "测试清单"

[[units]]
dept = "公安局"
duties = "以案释法"
laws = ["禁毒法"]

[[units.tasks]]
indicator = "media-releases"
figure = "60"

[[units.sheet]]
key = "media"
name = "新媒体普法"
weight = 40
task = "media-releases"

[[units.sheet]]
key = "cases"
name = "以案释法"
weight = 60
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("review") / "demo")


@pytest.fixture
def police(workspace: ws.Workspace, today: None) -> Path:
    """A workspace (each engine) with DUTIES_2026 and 30 of 公安局's 60 新媒体普法信息."""
    (workspace.root / "duties-2026.toml").write_text(DUTIES_2026, encoding="utf-8")
    invoke_ok(workspace.root, "log", "media-release", "-d", "2026-03-05", "--dept", "县公安局",
              "--title", "t", "--channel", "公众号", "--items", "30")  # fmt: skip
    return workspace.root


def as_json(root: Path, *args: str) -> Any:
    """``pufa ARGS --json`` parsed."""
    return json.loads(invoke_ok(root, *args, "--json").output)


def items(unit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A unit's items by key."""
    return {i["key"]: i for i in unit["items"]}


def broken(tmp_path: Path, county: County, sheet: str) -> list[str]:
    """The problems of DUTIES_2026 with its sheet replaced by ``sheet``, file name shortened."""
    head = DUTIES_2026[: DUTIES_2026.index("[[units.sheet]]")]
    path = tmp_path / "duties-2026.toml"
    path.write_text(head + sheet, encoding="utf-8")
    indicators = load_indicators(KAIYANG / "indicators.toml", county)
    with pytest.raises(InvalidInput) as caught:
        load_duties(path, county, indicators)
    return [str(p).replace(str(path), "duties-2026.toml") for p in caught.value.problems]


def test_the_shipped_sheets_load(county: County) -> None:
    """duties-2023.toml: every unit has a sheet of 100 points; 县公安局's 以案释法 is office-scored."""
    indicators = load_indicators(KAIYANG / "indicators.toml", county)
    duties = load_duties(KAIYANG / "duties-2023.toml", county, indicators)
    assert [sum(i.weight for i in u.sheet) for u in duties.units] == [100, 100, 100]
    police = duties.units[2]
    assert [(i.key, i.weight, i.task) for i in police.sheet] == [
        ("seven-into", 35, "seven-into-sessions"),
        ("media", 35, "media-releases"),
        ("cases", 30, None),
    ]


def test_weights_not_adding_up_are_refused_with_the_sum(county: County, tmp_path: Path) -> None:
    """Weights 40 + 50 are refused at the unit's sheet, showing the sum and the rule (100)."""
    sheet = '[[units.sheet]]\nkey = "a"\nname = "甲"\nweight = 40\n\n'
    sheet += '[[units.sheet]]\nkey = "b"\nname = "乙"\nweight = 50\n'
    assert broken(tmp_path, county, sheet) == [
        "duties-2026.toml:4: units[1].sheet = “40+50=90”: 评议表各项 weight 之和应为 100"
    ]


def test_a_bad_sheet_lists_every_problem(county: County, tmp_path: Path) -> None:
    """A task the unit has not (closest named), a duplicate key and a bad weight: all at once."""
    sheet = '[[units.sheet]]\nkey = "a"\nname = "甲"\nweight = 50\ntask = "media-release"\n\n'
    sheet += '[[units.sheet]]\nkey = "a"\nname = "乙"\nweight = "五十"\n'
    lines = broken(tmp_path, county, sheet)
    assert lines[0] == (
        "duties-2026.toml:17: units[1].sheet[1].task = “media-release”: 应为本部门 [[units.tasks]] "
        "中的指标(media-releases) — 是否指 media-releases?"
    )
    assert lines[1].startswith("duties-2026.toml:20: units[1].sheet[2].key = “a”: 评议表中每项")
    assert lines[2] == (
        "duties-2026.toml:22: units[1].sheet[2].weight = “五十”: 应为大于 0、不超过 100 的分值"
    )
    assert len(lines) == 3


def test_a_computed_item_is_weight_times_completion(police: Path) -> None:
    """30 of 60 releases: 新媒体普法 scores 40 × 50% = 20; 以案释法 is 未评分 (null)."""
    (unit,) = as_json(police, "review")["units"]
    assert items(unit)["media"] == {
        "key": "media", "name": "新媒体普法", "weight": 40, "source": "computed",
        "task": "media-releases", "rate": 0.5, "score": 20,
    }  # fmt: skip
    assert (items(unit)["cases"]["score"], unit["score"], unit["unscored"]) == (None, 20, ["cases"])


def test_a_computed_item_is_capped_at_its_weight(sample: ws.Workspace) -> None:
    """县司法局's 516 of 500 releases (103%) score 30 of 30, not more."""
    units = {u["name"]: u for u in as_json(sample.root, "review", "--year", "2023")["units"]}
    media = items(units["县司法局"])["media"]
    assert (media["rate"], media["score"]) == (1.03, 30)


def test_a_score_is_recorded_with_who_when_and_why(police: Path) -> None:
    """score, then a re-score: the total counts the latest; history keeps both, old → new."""
    invoke_ok(police, "review", "score", "县公安局", "--item", "cases", "--score", "45",
              "--reason", "案例汇编")  # fmt: skip
    invoke_ok(police, "review", "score", "公安局", "--item", "以案释法", "--score", "50.5",
              "--reason", "复核后加分", "--by", "张三")  # fmt: skip
    (unit,) = as_json(police, "review")["units"]
    assert (unit["score"], unit["unscored"]) == (70.5, [])
    history = as_json(police, "review", "history", "县公安局")
    assert [
        (h["seq"], h["previous"], h["score"], h["changed_by"], h["reason"]) for h in history
    ] == [
        (1, None, 45, "测试员", "案例汇编"),
        (2, 45, 50.5, "张三", "复核后加分"),
    ]
    assert history[0]["changed_at"] == "2026-11-29T02:00:00+00:00"


def test_the_history_reads_as_old_to_new(police: Path) -> None:
    """history's text line: day and time in the county's zone, who, unit, item, 未评分 → 45, why."""
    invoke_ok(police, "review", "score", "县公安局", "--item", "cases", "--score", "45",
              "--reason", "案例汇编")  # fmt: skip
    assert invoke_ok(police, "review", "history").output == (
        "2026-11-29 10:00 测试员 县公安局 cases:未评分 → 45(理由:案例汇编)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["县公安局", "--item", "case", "--score", "10"],
            "错误:评议项 (--item) = “case”: 应为 县公安局 评议表中由评议打分的项(cases) — 是否指 cases?",
        ),
        (
            ["县公安局", "--item", "media", "--score", "10"],
            "错误:评议项 (--item) = “media”: 由台账计算,不能手工打分;应为 县公安局 评议表中由评议打分的项(cases)",
        ),
        (
            ["县公安局", "--item", "cases", "--score", "61"],
            "错误:分数 (--score) = “61”: 应为 0 到 60 分",
        ),
        (
            ["县司法局", "--item", "cases", "--score", "10"],
            "错误:部门 = “justice”: 应为 2026 年责任清单中有评议表的部门(县公安局)",
        ),
    ],
    ids=["unknown-item", "computed-item", "over-weight", "unit-without-sheet"],
)
def test_a_bad_score_is_refused_and_nothing_written(
    police: Path, args: list[str], message: str
) -> None:
    """A bad item, a computed item, a score over the weight, a unit without a sheet: exit 1,
    the message names field, value, expectation and closest; the history stays empty."""
    result = invoke(police, "review", "score", *args, "--reason", "理由")
    assert (result.exit_code, result.output.strip()) == (1, message)
    assert as_json(police, "review", "history") == []


def test_a_score_without_a_reason_is_refused(police: Path) -> None:
    """--reason "" is refused: the reason is part of the audit."""
    result = invoke(police, "review", "score", "县公安局", "--item", "cases", "--score", "10",
                    "--reason", " ")  # fmt: skip
    assert result.exit_code == 1
    assert "理由 (--reason) = “ ”: 应写明打分理由" in result.output
    assert as_json(police, "review", "history") == []


def test_score_options_without_score_are_refused(police: Path) -> None:
    """`pufa review --item cases` (no score action) is refused naming --item."""
    result = invoke(police, "review", "--item", "cases")
    assert result.exit_code == 1
    assert "错误:--item = “”: 只用于 pufa review score" in result.output


def test_scores_are_append_only(police: Path, workspace: ws.Workspace) -> None:
    """The store refuses to change a recorded score behind pufa's back (a trigger)."""
    invoke_ok(police, "review", "score", "县公安局", "--item", "cases", "--score", "45",
              "--reason", "案例汇编")  # fmt: skip
    with (
        workspace.open() as store,
        pytest.raises(Exception, match="append-only"),
        store.transaction(),
    ):
        store._execute("UPDATE scores SET score = '60'")  # type: ignore[attr-defined]


def test_the_ranking_orders_units_by_total(sample: ws.Workspace) -> None:
    """The demo 2023: 县司法局 70, 县委依法治县办 60, 县公安局 0 (no records, 以案释法 未评分)."""
    out = as_json(sample.root, "review", "--year", "2023")
    assert (out["year"], out["total"]) == (2023, 100)
    assert [(u["rank"], u["name"], u["score"]) for u in out["units"]] == [
        (1, "县司法局", 70), (2, "县委依法治县办", 60), (3, "县公安局", 0),
    ]  # fmt: skip
    assert set(out["units"][0]) == {"rank", "dept", "name", "score", "unscored", "items"}


def test_the_demo_review_shows_progress_and_unscored_items(sample: ws.Workspace) -> None:
    """`pufa review --year 2023` out of the box: computed items with their rates, office items 未评分."""
    output = invoke_ok(sample.root, "review", "--year", "2023").output
    assert output.splitlines()[0] == "第 1 名 县司法局:70 分(另有 2 项未评分)"
    assert "  新媒体普法(media):30 / 30(台账计算,完成率 103.2%)" in output
    assert "  以案释法(cases):未评分 / 30(评议打分)" in output


def test_a_units_paragraph_is_drafted_from_its_records(sample: ws.Workspace) -> None:
    """report --dept 县司法局: its lead and laws, then its tasks' figures in the report's forms."""
    output = invoke_ok(sample.root, "report", "--year", "2023", "--dept", "司法局").output
    assert output == (
        "县司法局落实“谁执法谁普法”普法责任制,重点宣传宪法、民法典、法律援助法、人民调解法,"
        "新媒体普法信息500余条;重大法治集中宣传活动3次;学法用法考试参考人数7764名。\n"
    )


def test_a_units_explain_lists_only_its_records(sample: ws.Workspace) -> None:
    """report --dept --explain: 3 重大法治集中宣传 records of 县司法局 (the county has 6)."""
    output = invoke_ok(sample.root, "report", "--year", "2023", "--dept", "县司法局",
                       "--explain").output  # fmt: skip
    assert "- 3次 ← 重大法治集中宣传活动(major-campaigns,合计 场次):3;3 条记录:#172,#174,#176" in (
        output
    )


def test_a_unit_without_records_lists_its_tasks_to_fill_in(sample: ws.Workspace) -> None:
    """县公安局 (no 2023 records): the lead alone, and both tasks listed as 暂无记录."""
    output = invoke_ok(sample.root, "report", "--year", "2023", "--dept", "县公安局").output
    assert output.startswith("县公安局落实“谁执法谁普法”普法责任制,重点宣传治安管理处罚法、")
    assert "- 法律七进集中宣传:暂无记录\n" in output


def test_report_dept_outside_the_list_is_refused(sample: ws.Workspace) -> None:
    """report --dept 县妇联 (not in 2023's list): exit 1, naming the units listed."""
    result = invoke(sample.root, "report", "--year", "2023", "--dept", "县妇联")
    assert result.exit_code == 1
    assert "应为 2023 年责任清单中的部门(县司法局、县委依法治县办、县公安局)" in result.output


def test_report_dept_markdown_has_the_units_heading(sample: ws.Workspace) -> None:
    """--format markdown: ``## 2023 年县司法局普法履职情况(草稿,截至 2023-12-31)``."""
    output = invoke_ok(sample.root, "report", "--year", "2023", "--dept", "县司法局",
                       "--format", "markdown").output  # fmt: skip
    assert output.startswith("## 2023 年县司法局普法履职情况(草稿,截至 2023-12-31)\n")


def test_the_json_is_stable_in_shape(police: Path) -> None:
    """score --json: the change object with its stable field names."""
    out = cast(dict[str, Any], as_json(police, "review", "score", "县公安局", "--item", "cases",
                                       "--score", "45", "--reason", "案例汇编"))  # fmt: skip
    assert set(out) == {
        "year", "dept", "item", "seq", "score", "previous", "changed_at", "changed_by", "reason",
    }  # fmt: skip
    assert (out["dept"], out["item"], out["seq"]) == ("public-security", "cases", 1)


def test_a_store_copy_keeps_the_scores(
    police: Path, workspace: ws.Workspace, tmp_path: Path
) -> None:
    """`pufa db copy` (copy_to) carries the scores and their history; the copy scores on."""
    invoke_ok(police, "review", "score", "县公安局", "--item", "cases", "--score", "45",
              "--reason", "案例汇编")  # fmt: skip
    with workspace.open() as source:
        copy_to(source, tmp_path / "copy.db")
        expected = source.score_history(2026)
    with open_store(tmp_path / "copy.db") as copied:
        assert copied.score_history(2026) == expected
        later = attrs.evolve(expected[0], score=50.0, reason="复核")
        assert copied.set_score(later).seq == 2
