"""pufa summary and pufa report from the command line: tables, JSON, CSV, --check, bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from pufa import demo
from pufa import workspace as ws

from .conftest import invoke
from .test_report import REPORT_2023


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("cli") / "demo")


@pytest.fixture
def logged(workspace: ws.Workspace, late_2024: None) -> ws.Workspace:
    """Three 法律七进 sessions at schools (禾丰乡 twice, 南江 once, 100 materials each) and two
    school lectures by one lecturer in 紫兴, on either engine (logged at the end of 2024)."""
    for township in ("禾丰乡", "南江", "禾丰乡"):
        invoke(
            workspace.root,
            "log",
            "seven-into",
            "-d",
            "2024-03-05",
            "-t",
            township,
            "--title",
            "t",
            "--venue",
            "学校",
            "--materials",
            "100",
            "--allow-duplicate",  # two sessions in 禾丰乡 that day
        )
    for day in ("2024-04-01", "2024-04-02"):
        invoke(
            workspace.root,
            "log",
            "school-lecture",
            "-d",
            day,
            "-t",
            "紫兴",
            "--title",
            "t",
            "--school",
            "一中",
            "--lecturer",
            "甲",
        )
    return workspace


def summary_rows(root: Path, *options: str) -> dict[str, dict[str, Any]]:
    """`pufa summary --year 2024 --as-of 2024-06-30 --json OPTIONS`: its rows by indicator."""
    result = invoke(root, "summary", "--year", "2024", "--as-of", "2024-06-30", *options, "--json")
    return {r["indicator"]: r for r in json.loads(result.output)["rows"]}


def test_summary_json_names_its_year_date_and_township(logged: ws.Workspace) -> None:
    """The JSON summary (the store's aggregate query) gives its year, as-of date and township."""
    result = invoke(logged.root, "summary", "--year", "2024", "--as-of", "2024-06-30", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["year"], data["as_of"], data["township"]) == (2024, "2024-06-30", None)


def test_summary_json_rows_have_every_field(logged: ws.Workspace) -> None:
    """Each indicator's JSON row has the same fields, in a fixed order."""
    rows = summary_rows(logged.root)
    assert list(rows["seven-into-sessions"]) == [
        "indicator", "name", "count", "unit", "held", "planned", "target", "percent", "remaining",
        "profile", "share", "expected", "status", "status_label", "projection",
    ]  # fmt: skip


def test_summary_json_compares_a_count_with_its_pace(logged: ws.Workspace) -> None:
    """3 sessions held against 113 with 56.5 expected by 30 June: behind."""
    seven = summary_rows(logged.root)["seven-into-sessions"]
    assert (seven["held"], seven["target"]["figure"], seven["expected"], seven["status"]) == (
        3,
        "113",
        56.5,
        "behind",
    )


def test_summary_json_sums_a_measure(logged: ws.Workspace) -> None:
    """Materials are summed over the records: 3 × 100."""
    assert summary_rows(logged.root)["materials"]["held"] == 300


def test_summary_json_counts_distinct_people(logged: ws.Workspace) -> None:
    """Counsellors are counted once each, however many lectures they gave."""
    assert (
        summary_rows(logged.root)["school-counsellors"]["held"] == 1
    )  # one lecturer, two lectures


def test_summary_json_counts_records(logged: ws.Workspace) -> None:
    """School lectures are counted one per record."""
    assert summary_rows(logged.root)["school-lectures"]["held"] == 2


def test_summary_json_for_one_township(logged: ws.Workspace) -> None:
    """--township counts that township's records only."""
    one = summary_rows(logged.root, "--township", "南江")
    assert one["seven-into-sessions"]["held"] == 1


def test_summary_table_and_report_on_the_sample(
    sample: ws.Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rich table names every indicator and its status; the report drafts the paragraph."""
    monkeypatch.setenv("COLUMNS", "160")
    table = invoke(sample.root, "summary", "--year", "2023").output
    assert "开阳县 2023 年普法指标(截至 2023-12-31)" in table
    assert "法律七进集中宣传" in table
    assert "滞后" not in table
    assert "不在台账中的数字" in table
    report = invoke(sample.root, "report", "--year", "2023")
    assert report.output.startswith(REPORT_2023 + "\n")


def test_check_exits_1_when_behind(sample: ws.Workspace) -> None:
    """--check: 0 when nothing is behind (2023 at year end), 1 when something is (2024 mid-year)."""
    assert invoke(sample.root, "summary", "--year", "2023", "--check", "--json").exit_code == 0
    assert (
        invoke(
            sample.root, "summary", "--year", "2024", "--as-of", "2024-06-30", "--check", "--json"
        ).exit_code
        == 1
    )


def test_csv_has_a_bom_for_excel(sample: ws.Workspace) -> None:
    """CSV is UTF-8 with BOM (Excel on Chinese Windows), one row per indicator."""
    result = invoke(sample.root, "summary", "--year", "2023", "--csv")
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "指标,已完成,另有计划,目标,完成率%,尚差,应完成,状态,年末预计,进度曲线"
    assert lines[4] == "法律七进集中宣传,113,0,113场次,100,0,113,达标,113,全年平均"
    assert len(lines) == 21


@pytest.fixture(scope="module")
def by(sample: ws.Workspace) -> Callable[[str], dict[str, Any]]:
    """`pufa summary --year 2023 --by DIMENSION --json` on the sample: its matrix (headers, rows)."""

    def matrix(dimension: str) -> dict[str, Any]:
        result = invoke(sample.root, "summary", "--year", "2023", "--by", dimension, "--json")
        return cast(dict[str, Any], json.loads(result.output)["by"])

    return matrix


def seven_into_column(matrix: dict[str, Any]) -> int:
    """The matrix column of the 法律七进 sessions indicator."""
    return cast(int, matrix["headers"].index("法律七进集中宣传"))


def test_by_township_has_a_row_per_township(by: Callable[[str], dict[str, Any]]) -> None:
    """--by township: headed 乡镇, one row for each of the 18 townships."""
    township = by("township")
    assert township["headers"][0] == "乡镇"
    assert len(township["rows"]) == 18


def test_by_township_adds_up_to_the_year(by: Callable[[str], dict[str, Any]]) -> None:
    """--by township: the townships' 法律七进 sessions add up to the year's 113."""
    township = by("township")
    seven = seven_into_column(township)
    assert sum(row[seven] for row in township["rows"]) == 113


def test_by_township_text_shows_a_dash_not_none(sample: ws.Workspace) -> None:
    """A rate no township has records for (the exam pass rate) shows "—" in the table, not None."""
    result = invoke(sample.root, "summary", "--year", "2023", "--by", "township")
    assert "None" not in result.output
    assert "—" in result.output


def test_by_month_has_a_row_per_month(by: Callable[[str], dict[str, Any]]) -> None:
    """--by month: one row per month, 1月 to 12月."""
    month = by("month")
    assert [row[0] for row in month["rows"]] == [f"{m}月" for m in range(1, 13)]


def test_by_month_adds_up_to_the_year(by: Callable[[str], dict[str, Any]]) -> None:
    """--by month: the months' 法律七进 sessions add up to the year's 113."""
    month = by("month")
    seven = seven_into_column(month)  # the same column as --by township's
    assert sum(row[seven] for row in month["rows"]) == 113


def test_by_venue_is_headed_by_the_venues(by: Callable[[str], dict[str, Any]]) -> None:
    """--by venue: 乡镇, then the seven venues of 法律七进."""
    venue = by("venue")
    assert venue["headers"] == ["乡镇", "机关", "乡村", "社区", "学校", "企业", "单位", "网络"]


def test_by_venue_adds_up_to_the_year(by: Callable[[str], dict[str, Any]]) -> None:
    """--by venue: every township's sessions at every venue add up to the year's 113."""
    venue = by("venue")
    assert sum(sum(row[1:]) for row in venue["rows"]) == 113


def test_by_kind_is_headed_by_records_and_sessions(by: Callable[[str], dict[str, Any]]) -> None:
    """--by kind: 类型, then 记录 and 场次."""
    kind = by("kind")
    assert kind["headers"][:3] == ["类型", "记录", "场次"]


def test_by_kind_has_a_row_per_kind_logged(by: Callable[[str], dict[str, Any]]) -> None:
    """--by kind: a row for each kind the year has records of, by its label."""
    kind = by("kind")
    assert {row[0] for row in kind["rows"]} >= {"法律七进集中宣传", "国家工作人员学法用法考试"}


def test_year_without_targets_is_shown_without_targets(sample: ws.Workspace) -> None:
    """--year with no targets file shows the year with 目标 "—" and exits 0."""
    result = invoke(sample.root, "summary", "--year", "2031", "--json")
    assert result.exit_code == 0
    assert {r["status"] for r in json.loads(result.output)["rows"]} == {"no-target"}


def test_a_broken_targets_file_in_the_workspace(sample: ws.Workspace, tmp_path: Path) -> None:
    """The office's own edit with a typo: every problem, with file and line, exit 1."""
    broken = tmp_path / "w"
    made = ws.init(broken)
    path = made.root / "targets-2024.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'indicator = "materials"', 'indicator = "material"'
        ),
        encoding="utf-8",
    )
    result = invoke(made.root, "summary", "--year", "2024")
    assert result.exit_code == 1
    assert f"错误:{path}:" in result.stderr
    assert (
        "targets[7].indicator = “material”: 应为 indicators.toml 中定义的指标 — 是否指 materials?"
        in result.stderr
    )


def test_report_markdown_explain_to_a_file(sample: ws.Workspace, tmp_path: Path) -> None:
    """--format markdown --explain -o FILE writes the draft and the evidence."""
    out = tmp_path / "draft.md"
    result = invoke(
        sample.root, "report", "--year", "2023", "--format", "markdown", "--explain", "-o", str(out)
    )
    assert result.output == f"已写入 {out}\n"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("## 2023 年普法工作(草稿,截至 2023-12-31)")
    assert "\n依据:\n- 7764名 ← 学法用法考试参考人数" in text


def test_targets_file_must_be_for_its_year(tmp_path: Path) -> None:
    """A targets file whose `year` differs from its name is refused, not silently used."""
    made = ws.init(tmp_path / "w")
    source = (made.root / "targets-2024.toml").read_text(encoding="utf-8")
    (made.root / "targets-2025.toml").write_text(source, encoding="utf-8")
    result = invoke(made.root, "summary", "--year", "2025")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"错误:{made.root / 'targets-2025.toml'}: year = 2024: 应为 2025(与文件名和 --year 一致)\n"
    )


def test_a_rate_with_no_records_has_no_data(workspace: ws.Workspace) -> None:
    """Before any exam is logged the pass rate is 无数据, not 0% 滞后; the report leaves it out."""
    summary = json.loads(
        invoke(
            workspace.root, "summary", "--year", "2024", "--as-of", "2024-03-01", "--json"
        ).output
    )
    rate = next(r for r in summary["rows"] if r["indicator"] == "cadre-exam-pass-rate")
    assert (rate["held"], rate["status"], rate["status_label"]) == (None, "no-data", "无数据")
    report = invoke(workspace.root, "report", "--year", "2024").output
    assert "及格率" not in report.split("\n")[0]
    assert "学法用法考试及格率:暂无记录" in report
