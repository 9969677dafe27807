"""pufa.targets and the campaign files: figures as the report writes them, and every problem reported."""

from __future__ import annotations

from pathlib import Path

import pendulum
import pytest

from pufa import demo, tally
from pufa import workspace as ws
from pufa.display import figure_text
from pufa.errors import InvalidInput
from pufa.load import load_indicators, load_targets
from pufa.model import County
from pufa.targets import EVEN, Figure, Indicators, Profile, section_text

from .conftest import DATA, ROOT, year_of

CAMPAIGNS = ROOT / "campaigns" / "kaiyang"
JUNE_30 = pendulum.Date(2024, 6, 30)
REPORT = (ROOT / "seeds" / "000_90fbc7d8aeb855ec.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def indicators() -> Indicators:
    from pufa.load import load_county

    return load_indicators(CAMPAIGNS / "indicators.toml", load_county(CAMPAIGNS / "county.toml"))


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_quote_is_in_the_report(indicators: Indicators, year: int) -> None:
    """Each target's and each untracked figure's quote is a verbatim substring of the seed report."""
    targets = load_targets(CAMPAIGNS / f"targets-{year}.toml", indicators)
    for quote in [t.quote for t in targets.targets] + [u.quote for u in targets.untracked]:
        assert quote in REPORT, quote


@pytest.mark.parametrize("year", [2023, 2024])
def test_every_quote_stands_in_the_section_it_names(indicators: Indicators, year: int) -> None:
    """Each target's and untracked figure's quote is verbatim in the seed report under its section."""
    targets = load_targets(CAMPAIGNS / f"targets-{year}.toml", indicators)
    for figure in (*targets.targets, *targets.untracked):
        text = section_text(REPORT, figure.section)
        assert text is not None, figure.section
        assert figure.quote in text, (figure.quote, figure.section)


def test_the_lectures_stand_in_sections_one_and_eight(indicators: Indicators) -> None:
    """76场次 (法治讲座) is cited from (八).3, 5期 and 320余人次 (法治大讲堂) from (一), not (九)."""
    targets = load_targets(CAMPAIGNS / "targets-2023.toml", indicators)
    sections = {t.indicator: t.section for t in targets.targets}
    assert sections["law-lectures"].startswith("(八)")
    assert sections["law-lectures"].endswith("/ 3.完善公共法律服务体系")
    assert sections["cadre-lecture-sessions"].startswith("(一)")
    assert sections["cadre-lecture-participants"].startswith("(一)")
    assert sections["major-campaigns"].startswith("(九)")


def test_a_section_runs_to_the_next_heading_of_its_level() -> None:
    """(八).3 holds 76场次 and stops before 4.; (九) has no 76场次; an unknown heading is None."""
    eight_three = section_text(
        REPORT, "(八)健全共建共治共享的社会治理体系 / 3.完善公共法律服务体系"
    )
    assert eight_three is not None
    assert "开展法治讲座76场次" in eight_three
    assert "4.深化法治改革创新" not in eight_three
    assert "开展法治讲座76场次" not in (section_text(REPORT, "(九)深入推进普法与依法治理") or "")
    assert section_text(REPORT, "(十)不存在的节") is None


def test_every_figure_of_the_design_table_is_covered(indicators: Indicators) -> None:
    """The 2023 report's figures (seeds/README.md, docs/targets.md): every figure is a tracked target or a named untracked figure."""
    targets = load_targets(CAMPAIGNS / "targets-2023.toml", indicators)
    tracked = {t.indicator: t.figure.text for t in targets.targets}
    assert tracked == {
        "cadre-exam-participants": "7764", "cadre-exam-pass-rate": "100%", "major-campaigns": "6",
        "seven-into-sessions": "113", "school-counsellors": "59", "school-lectures": "110余",
        "materials": "11万余", "media-releases": "500余", "constitution-activities": "57",
        "constitution-materials": "50000余", "constitution-banners": "500余",
        "constitution-screens": "400余", "constitution-week-online": "540余",
        "literate-per-village": "5以上", "literate-trainings": "18", "literate-trainees": "750",
        "literate-certified": "747", "law-lectures": "76", "cadre-lecture-sessions": "5",
        "cadre-lecture-participants": "320余",
    }  # fmt: skip
    assert {u.figure for u in targets.untracked} == {"100%", "30", "10", "1", "480"}


def test_next_years_targets_are_at_least_this_years(indicators: Indicators) -> None:
    """2024's figures are no lower than 2023's, target by target."""
    last = {
        t.indicator: t.figure.threshold
        for t in load_targets(CAMPAIGNS / "targets-2023.toml", indicators).targets
    }
    next_ = {
        t.indicator: t.figure.threshold
        for t in load_targets(CAMPAIGNS / "targets-2024.toml", indicators).targets
    }
    assert set(next_) == set(last)
    assert all(next_[k] >= last[k] for k in last)


@pytest.mark.parametrize(
    ("figure", "value", "written"),
    [
        ("113", 113, "113"),
        ("113", 112.7, "112"),
        ("110余", 112, "110余"),
        ("110余", 110, "110"),
        ("110余", 99, "90余"),
        ("50000余", 2739, "2739"),  # less than one unit of the figure: the number itself
        ("11万余", 9_500, "9500"),
        ("11万余", 113_640, "11万余"),
        ("11万余", 120_000, "12万"),
        ("50000余", 52_380, "50000余"),
        ("500余", 536, "500余"),
        ("320余", 326, "320余"),
        ("5以上", 5.49, "5"),
        ("100%", 100, "100%"),
        ("100%", 99.876, "99.87%"),
    ],
)
def test_values_are_written_in_the_figures_form(figure: str, value: float, written: str) -> None:
    """Rounded down to the figure's precision, 余 only when there is more (112 under 110余 → 110余)."""
    assert Figure.parse(figure).write(value) == written


def test_exact_switch_writes_the_number() -> None:
    """--exact: the number itself, in any form."""
    assert Figure.parse("11万余").write(113_640, exact=True) == "113640"
    assert Figure.parse("5以上").write(5.49, exact=True) == "5.49"


def test_figure_thresholds() -> None:
    """余 and 以上 figures are thresholds to meet: 11万余 is at least 110,000."""
    assert Figure.parse("11万余").threshold == 110_000
    assert Figure.parse("50000余").precision == 10_000
    assert Figure.parse("5以上").number_text == "5"
    with pytest.raises(ValueError, match="-5"):
        Figure.parse("-5")


def test_profile_share() -> None:
    """An even year is half done on 30 June; a December-heavy profile is barely started."""
    assert EVEN.share(2024, pendulum.Date(2024, 6, 30)) == pytest.approx(0.5)
    december = Profile("c", (1,) * 11 + (89,))
    assert december.share(2024, pendulum.Date(2024, 6, 30)) == pytest.approx(0.06)
    assert december.share(2024, pendulum.Date(2025, 1, 1)) == 1.0
    assert december.share(2024, pendulum.Date(2023, 12, 31)) == 0.0


def test_broken_targets_file_reports_every_problem_with_lines(indicators: Indicators) -> None:
    """Unknown indicator, negative figure, duplicate, bad comparator, figure not in its quote."""
    path = DATA / "targets-broken.toml"
    with pytest.raises(InvalidInput) as caught:
        load_targets(path, indicators)
    lines = [str(p).replace(str(path), "targets-broken.toml") for p in caught.value.problems]
    assert lines == [
        "targets-broken.toml:6: targets[1].indicator = “seven-into-sesions”: 应为 indicators.toml 中定义的指标 — 是否指 seven-into-sessions?",
        "targets-broken.toml:13: targets[2].figure = “-5”: 应为如 113、110余、100多、11万余、5以上、不少于50、近千、100% 的非负数",
        "targets-broken.toml:18: targets[3].indicator = “materials”: 每个指标只设一个目标 — 与前面的目标重复",
        "targets-broken.toml:20: targets[3].comparator = “>>”: 应为比较方式之一:>=、= — 是否指 >=?",
        "targets-broken.toml:28: targets[4].quote = “开展法治讲座七十六场次”: 应包含数字 76(或另写 phrase)",
    ]


def test_broken_indicators_file_reports_every_problem_with_lines(county: County) -> None:
    """Bad profile, unknown measure, kind, venue, match field and profile name: all at once."""
    path = DATA / "indicators-broken.toml"
    with pytest.raises(InvalidInput) as caught:
        load_indicators(path, county)
    lines = [str(p).replace(str(path), "indicators-broken.toml") for p in caught.value.problems]
    assert lines == [
        "indicators-broken.toml:2: profiles.school = [1, 2, 3]: 应为 12 个非负数(1–12 月的权重),不全为 0",
        "indicators-broken.toml:10: indicators[1].kinds = “lectures”: 应为活动类型之一:seven-into、constitution、campaign、"
        "school-lecture、literate-training、cadre-exam、cadre-training、lecture、media-release — 是否指 lecture?",
        "indicators-broken.toml:9: indicators[1].measure = “participant”: 应为计数项之一:sessions、participants、materials、"
        "banners、screens、items、trainees、certified、passed — 是否指 participants?",
        "indicators-broken.toml:19: indicators[2].match = “channel”: 应为可筛选的字段之一:venue、occasion、mode",
        "indicators-broken.toml:20: indicators[2].profile = “schol”: 应为 [profiles] 中的名称之一:even",
    ]


def test_toml_syntax_error_in_targets(tmp_path: Path, indicators: Indicators) -> None:
    """A syntax error is one problem with its line."""
    path = tmp_path / "targets-2025.toml"
    path.write_text('year = 2025\n[[targets]]\nindicator = "materials\n', encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_targets(path, indicators)
    assert caught.value.line == 3


def test_figure_parse_refuses_in_chinese() -> None:
    """A figure the report could not write is refused with the forms it may take."""
    with pytest.raises(InvalidInput) as caught:
        Figure.parse("很多")
    assert (
        str(caught.value)
        == "数字 = “很多”: 应为如 113、110余、100多、11万余、5以上、不少于50、近千、100% 的非负数"
    )


def test_profile_refuses_bad_weights_in_chinese() -> None:
    """Weights that are not twelve non-negative numbers are refused, naming the profile."""
    with pytest.raises(InvalidInput) as caught:
        Profile("spring", (1.0,) * 11)
    assert str(caught.value) == (
        "权重 = [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]: "
        "应为 12 个非负数(1–12 月的权重),不全为 0 — 见季节分布“spring”"
    )


@pytest.mark.parametrize(
    ("text", "threshold", "qualifier"),
    [
        ("100多", 100, "多"),
        ("不少于50", 50, "不少于"),
        ("近千", 900, "近"),
        ("20以上", 20, "以上"),
        ("320余", 320, "余"),
    ],
)
def test_office_figures_parse_with_their_qualifier(
    text: str, threshold: float, qualifier: str
) -> None:
    """Each form an office writes parses to its threshold and keeps its qualifier (近千 is met at 900)."""
    figure = Figure.parse(text)
    assert (figure.threshold, figure.qualifier) == (threshold, qualifier)


@pytest.mark.parametrize("text", ["100多", "不少于50", "近千", "20以上", "320余", "近百", "近3万"])
def test_office_figures_are_reprinted_as_written(text: str) -> None:
    """A target's figure is shown exactly as the office wrote it."""
    assert figure_text(Figure.parse(text), "人次") == (
        f"{text.removesuffix('以上')}人次{'以上' if text.endswith('以上') else ''}"
    )


def test_a_duo_figure_writes_values_with_duo() -> None:
    """A value under 100多 is written in the same form: 226 → 200多."""
    assert Figure.parse("100多").write(226) == "200多"


@pytest.mark.parametrize("text", ["近千余", "不少于5以上", "千", "很多"])
def test_mixed_or_bare_word_figures_are_refused(text: str) -> None:
    """A prefix with a suffix (近千余), or a bare 千, is refused in Chinese."""
    with pytest.raises(ValueError, match="应为如 113、110余、100多"):
        Figure.parse(text)


@pytest.fixture(scope="module")
def demo_2024(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    """The demo workspace: 2024 held through 30 June, the year's exam (30 November) still planned."""
    return demo.init(tmp_path_factory.mktemp("demo") / "demo")


@pytest.mark.parametrize("key", ["cadre-exam-participants", "cadre-exam-pass-rate"])
def test_the_year_end_exam_is_not_behind_in_june(demo_2024: ws.Workspace, key: str) -> None:
    """As of 30 June 2024 the 学法用法考试, held in a window near the year's end, is not 滞后."""
    rows = {r.indicator.key: r for r in year_of(demo_2024, 2024, JUNE_30).summary.rows}
    assert rows[key].profile.key == "year-end-exam"
    assert rows[key].pace is not tally.Pace.BEHIND


def test_the_year_end_exam_not_held_by_31_december_is_behind(demo_2024: ws.Workspace) -> None:
    """As of 31 December 2024, with the exam still only planned, its participants are 滞后."""
    as_of = pendulum.Date(2024, 12, 31)
    rows = {r.indicator.key: r for r in year_of(demo_2024, 2024, as_of).summary.rows}
    assert rows["cadre-exam-participants"].pace is tally.Pace.BEHIND


def test_the_year_end_profile_expects_nothing_before_november(indicators: Indicators) -> None:
    """The exam's profile expects 0 of the year's work until November and all of it at year end."""
    profile = indicators.profiles["year-end-exam"]
    assert profile.share(2024, pendulum.Date(2024, 10, 31)) == 0
    assert profile.share(2024, pendulum.Date(2024, 12, 31)) == 1
