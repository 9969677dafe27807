"""Responsible units (谁执法谁普法): department kinds, duties-<year>.toml, pufa duties, summary --by dept."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest

from pufa import demo
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_indicators
from pufa.load.county import load_county
from pufa.load.duties import load_duties
from pufa.model import County

from .conftest import ROOT, invoke, invoke_ok

KAIYANG = ROOT / "campaigns" / "kaiyang"

DUTIES_2026 = """year = 2026
source = "测试清单"

[[units]]
dept = "公安局"
duties = "以案释法"
laws = ["禁毒法"]

[[units.tasks]]
indicator = "media-releases"
figure = "60"
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> ws.Workspace:
    return demo.init(tmp_path_factory.mktemp("duties") / "demo")


def duties_json(root: Path, *options: str) -> dict[str, Any]:
    """`pufa duties --json OPTIONS` parsed."""
    return cast(dict[str, Any], json.loads(invoke_ok(root, "duties", "--json", *options).output))


def tasks(unit: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A unit's tasks by indicator key."""
    return {t["indicator"]: t for t in unit["tasks"]}


def test_kaiyang_departments_have_kinds(county: County) -> None:
    """Kaiyang's departments carry their kinds: 县委宣传部 党委部门, 县人民法院 司法机关, 县妇联 群团."""
    kinds = {d.name: d.kind for d in county.departments}
    assert (kinds["县委宣传部"], kinds["县人民法院"], kinds["县妇联"]) == (
        "党委部门",
        "司法机关",
        "群团",
    )


def test_a_department_kind_may_be_left_out(tmp_path: Path) -> None:
    """A department without ``kind`` (an office's own, added briefly) is 其他."""
    path = tmp_path / "county.toml"
    text = (KAIYANG / "county.toml").read_text(encoding="utf-8")
    path.write_text(text + '\n[[departments]]\nslug = "own"\nname = "县档案馆"\n', encoding="utf-8")
    assert load_county(path).department("own").kind == "其他"


def test_a_bad_department_kind_is_refused_with_its_line(tmp_path: Path) -> None:
    """``kind = "政府部"`` is refused at its line, naming the kinds and the closest one."""
    path = tmp_path / "county.toml"
    text = (KAIYANG / "county.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('kind = "群团"', 'kind = "群团组织"', 1), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_county(path)
    (problem,) = caught.value.problems
    line = text.splitlines().index('kind = "群团"') + 1
    assert str(problem).startswith(
        f"{path}:{line}: departments[15].kind = “群团组织”: 应为 党委部门、"
    )
    assert str(problem).endswith("是否指 群团?")


def test_the_shipped_duties_load(county: County) -> None:
    """duties-2023.toml: 县司法局, 县委依法治县办, 县公安局, each with duties, laws and tasks."""
    indicators = load_indicators(KAIYANG / "indicators.toml", county)
    duties = load_duties(KAIYANG / "duties-2023.toml", county, indicators)
    assert duties.year == 2023
    assert [u.dept.slug for u in duties.units] == ["justice", "yfzx", "public-security"]
    police = duties.units[2]
    assert "禁毒法" in police.laws
    assert police.duties
    assert [(t.indicator, t.figure.threshold, t.unit) for t in police.tasks] == [
        ("seven-into-sessions", 10, "场次"),
        ("media-releases", 60, "条"),
    ]


def test_a_broken_duties_file_lists_every_problem(county: County, tmp_path: Path) -> None:
    """Unknown department and indicator (closest named), a bad figure, an unknown key: all at once."""
    path = tmp_path / "duties-2026.toml"
    path.write_text(
        'year = 2026\n\n[[units]]\ndept = "县公按局"\nduties = "x"\nlaw = []\n\n'
        '[[units.tasks]]\nindicator = "media-release"\nfigure = "许多"\n',
        encoding="utf-8",
    )
    indicators = load_indicators(KAIYANG / "indicators.toml", county)
    with pytest.raises(InvalidInput) as caught:
        load_duties(path, county, indicators)
    lines = [str(p).replace(str(path), "duties-2026.toml") for p in caught.value.problems]
    assert lines[0].startswith("duties-2026.toml:6: units[1].law = “law”: 应为已知的键之一")
    assert lines[1] == (
        "duties-2026.toml:4: units[1].dept = “县公按局”: 应为 county.toml [[departments]] 中的部门"
        "(名称、别名或 slug) — 是否指 县公安局?"
    )
    assert lines[2] == (
        "duties-2026.toml:9: units[1].tasks[1].indicator = “media-release”: "
        "应为 indicators.toml 中定义的指标 — 是否指 media-releases?"
    )
    assert lines[3].startswith("duties-2026.toml:10: units[1].tasks[1].figure = “许多”: 应为如 113")
    assert len(lines) == 4


def test_a_department_listed_twice_is_refused(county: County, tmp_path: Path) -> None:
    """The same department twice (by name and by alias) is refused at the second."""
    path = tmp_path / "duties-2026.toml"
    path.write_text(
        'year = 2026\n[[units]]\ndept = "县公安局"\nduties = "x"\n'
        '[[units]]\ndept = "公安局"\nduties = "y"\n',
        encoding="utf-8",
    )
    indicators = load_indicators(KAIYANG / "indicators.toml", county)
    with pytest.raises(InvalidInput, match="每个部门只列一次"):
        load_duties(path, county, indicators)


def test_a_units_tasks_count_only_its_own_records(workspace: ws.Workspace, today: None) -> None:
    """This year (2026): 公安局's 新媒体普法信息 counts its own releases (30 + 12), not 司法局's."""
    (workspace.root / "duties-2026.toml").write_text(DUTIES_2026, encoding="utf-8")
    for dept, items, title in (
        ("县公安局", "30", "一"),
        ("县司法局", "500", "一"),
        ("公安局", "12", "二"),
    ):
        invoke_ok(workspace.root, "log", "media-release", "-d", "2026-03-05", "--dept", dept,
                  "--title", title, "--channel", "公众号", "--items", items)  # fmt: skip
    (unit,) = duties_json(workspace.root)["units"]
    task = tasks(unit)["media-releases"]
    assert (unit["dept"], unit["kind"], task["held"], task["target"]["threshold"]) == (
        "public-security", "政府部门", 42, 60,
    )  # fmt: skip
    assert task["status"] == "behind"


def test_duties_json_shape(sample: ws.Workspace) -> None:
    """--json: year, source and per unit dept, name, kind, duties, laws, as_of and tasks."""
    out = duties_json(sample.root, "--year", "2023")
    assert set(out) == {"year", "source", "units"}
    assert set(out["units"][0]) == {"dept", "name", "kind", "duties", "laws", "as_of", "tasks"}
    assert out["units"][0]["as_of"] == "2023-12-31"


def test_the_demo_shows_real_progress(sample: ws.Workspace) -> None:
    """The demo's 2023 list: 县司法局 516 条新媒体普法信息 (met), 县委依法治县办 5 期大讲堂."""
    units = {u["name"]: tasks(u) for u in duties_json(sample.root, "--year", "2023")["units"]}
    assert units["县司法局"]["media-releases"]["held"] == 516
    assert units["县司法局"]["media-releases"]["status"] == "met"
    assert units["县委依法治县办"]["cadre-lecture-sessions"]["held"] == 5


def test_one_department_by_alias(sample: ws.Workspace) -> None:
    """--dept 司法局 (an alias) shows 县司法局 only."""
    out = duties_json(sample.root, "--year", "2023", "--dept", "司法局")
    assert [u["name"] for u in out["units"]] == ["县司法局"]


def test_an_unknown_department_names_the_closest(sample: ws.Workspace) -> None:
    """--dept 公安 is refused with 是否指 公安局?, exit 1."""
    result = invoke(sample.root, "duties", "--year", "2023", "--dept", "公安")
    assert result.exit_code == 1
    assert "是否指 公安局?" in result.output


def test_a_year_without_duties_is_refused(sample: ws.Workspace) -> None:
    """A year with no duties file: one line naming both places looked in and docs/duties.md."""
    result = invoke(sample.root, "duties", "--year", "2025")
    assert result.exit_code == 1
    assert "duties-2025.toml" in result.output
    assert "docs/duties.md" in result.output


def test_the_table_names_each_unit(sample: ws.Workspace) -> None:
    """The table output names each unit with its kind, duties and laws."""
    output = invoke_ok(sample.root, "duties", "--year", "2023").output
    assert "县司法局(政府部门)" in output
    assert "重点宣传:宪法、民法典" in output


def test_summary_by_dept(sample: ws.Workspace) -> None:
    """summary --by dept: one row per department; 县司法局 holds every 新媒体普法信息 of 2023."""
    out = json.loads(
        invoke_ok(sample.root, "summary", "--year", "2023", "--by", "dept", "--json").output
    )
    matrix = out["by"]
    assert matrix["dimension"] == "dept"
    rows = {row[0]: row[1:] for row in matrix["rows"]}
    assert len(rows) == 16
    column = matrix["headers"].index("新媒体普法信息") - 1
    assert rows["县司法局"][column] == 516
    assert rows["县公安局"][column] == 0
