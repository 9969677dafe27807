"""pufa.report: the 普法 paragraph in the report's words and number forms, every figure traceable."""

from __future__ import annotations

from pathlib import Path

import pytest

from pufa import demo, report
from pufa import workspace as ws
from pufa.yearly import Year, explain

from .conftest import ROOT, year_of

#: section 九 of the report, the sentences pufa drafts (the report's own figures)
REPORT_2023 = (
    "组织7764名国家工作人员参加法宣在线线上学习及学法用法考试;及格率为100%;组织开展重大法治集中宣传活动6次;"
    "各部门、乡(镇、街道)开展“法律七进”集中宣传113场次;59名法治副校长、辅导员进校开展法治宣讲;"
    "累计进校开展各类法治宣讲110余场次;累计发放各类普法宣传资料11万余份;利用微信公众号发布各类普法信息500余条;"
    "开展宪法主题活动57场次;发放宪法宣传资料50000余份;在公共场所张贴、悬挂宪法宣传标语500余幅;"
    "播放宪法公益广告和宣传标语400余条;同步发布、转载宪法宣传周相关宣传信息540余条;"
    "每个村(居)培养“法律明白人”5名以上;开展“法律明白人”定向培训18场次;参训人员750人次;"
    "全县747名“法律明白人”已完成线上培训任务并获得证书;开展法治讲座76场次;"
    "组织领导干部参加“新时代法治大讲堂”学习5期;培训学员320余人次。"
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("report") / "demo")


@pytest.fixture(scope="module")
def year_2023(sample: ws.Workspace) -> Year:
    return year_of(sample, 2023)


def test_the_sample_log_reproduces_the_reports_figures(year_2023: Year) -> None:
    """The synthetic 2023 log, tallied, drafts the report's own sentences and figures."""
    assert report.paragraph(year_2023.summary) == REPORT_2023
    source = (ROOT / "seeds" / "000_90fbc7d8aeb855ec.txt").read_text(encoding="utf-8")
    for target in year_2023.targets.targets:
        assert target.figure.text.removesuffix("以上") in source


def test_every_2023_target_is_met(year_2023: Year) -> None:
    """As of the year's end every indicator meets its 2023 figure."""
    assert [r.indicator.key for r in year_2023.summary.rows if r.pace.label != "达标"] == []


def test_exact_numbers_on_request(year_2023: Year) -> None:
    """--exact writes the tallied numbers themselves."""
    text = report.paragraph(year_2023.summary, exact=True)
    assert "累计发放各类普法宣传资料113640份" in text
    assert "每个村(居)培养“法律明白人”5.49名以上" in text


def test_part_year_values_are_rounded_down_in_the_figures_form(sample: ws.Workspace) -> None:
    """Mid-2024 values are written in each figure's form, rounded down (never overstated)."""
    summary = year_of(sample, 2024, demo.THROUGH_2024).summary
    rows = {r.indicator.key: r for r in summary.rows}
    school = rows["school-lectures"]
    assert (
        school.target.sentence(school.held)
        == f"累计进校开展各类法治宣讲{int(school.held) // 10 * 10}余场次"
    )
    assert rows["materials"].target.figure.write(rows["materials"].held) == "2万余"


def test_untracked_figures_are_listed_to_fill_in(year_2023: Year) -> None:
    """Figures the log cannot count come after the paragraph, with the reason."""
    text = report.text(year_2023.summary)
    assert text.startswith(REPORT_2023 + "\n\n以下数字不在台账中,请核实后补入:\n")
    assert (
        "- 法治文化广场、绿地、长廊:报告原文“打造了30个法治文化广场、绿地、长廊等”(是阵地建设,不是宣传活动)"
        in text
    )
    markdown = report.markdown(year_2023.summary)
    assert markdown.startswith("## 2023 年普法工作(草稿,截至 2023-12-31)\n\n" + REPORT_2023)


def test_explain_names_the_records_behind_each_figure(
    sample: ws.Workspace, year_2023: Year
) -> None:
    """--explain: each figure's indicator, exact value and record ids; the ids add up."""
    with sample.open() as store:
        ids = explain(store, year_2023)
    assert len(ids["seven-into-sessions"]) == 113
    assert len(ids["cadre-exam-participants"]) == 1
    lines = report.explanation(year_2023.summary, ids)
    seven = next(line for line in lines if "seven-into-sessions" in line)
    assert seven.startswith(
        "113场次 ← 法律七进集中宣传(seven-into-sessions,合计 场次):113;113 条记录:#"
    )
    assert report._ids([1, 2, 3, 5, 8, 9]) == "#1–3,#5,#8–9"


def test_report_is_deterministic(tmp_path: Path) -> None:
    """The same log gives the same bytes."""
    first = demo.init(tmp_path / "a")
    second = demo.init(tmp_path / "b")
    assert report.text(year_of(first, 2023).summary) == report.text(year_of(second, 2023).summary)
