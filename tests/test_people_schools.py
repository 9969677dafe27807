"""Schools (学校清单) in the county profile and the 法治副校长 配备率 (pufa/load/county.py,
pufa/roster.py, pufa/people.py, `pufa people coverage`)."""

from __future__ import annotations

import json
from pathlib import Path

import pendulum
import pytest

from pufa import roster
from pufa import workspace as ws
from pufa.errors import InvalidInput
from pufa.load import load_county
from pufa.model import County

from .conftest import invoke_ok

KAIYANG = Path(__file__).resolve().parent.parent / "campaigns" / "kaiyang"
TODAY = pendulum.Date(2024, 3, 6)
SCHOOL = "硒城中心小学"


def _vice_principal(root: Path, school: str, name: str = "示例人员乙") -> None:
    invoke_ok(root, "people", "add", "--role", "法治副校长", "--name", name, "--school", school,
              "--employer", "县公安局", "--appointed", "2023-09-01")  # fmt: skip


def test_kaiyang_lists_sixty_sample_schools(county: County) -> None:
    """The bundled 开阳县 profile lists 60 (invented) schools across its townships."""
    assert sum(len(t.schools) for t in county.townships) == 60


def test_a_bad_school_level_is_refused_with_its_line(tmp_path: Path) -> None:
    """``level = "大学"`` is refused at its township's ``schools`` line, naming the levels."""
    path = tmp_path / "county.toml"
    text = (KAIYANG / "county.toml").read_text(encoding="utf-8")
    bad = f'{{ name = "{SCHOOL}", level = "大学" }}'
    path.write_text(text.replace(f'{{ name = "{SCHOOL}", level = "小学" }}', bad), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_county(path)
    (problem,) = caught.value.problems
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("schools = ["))
    assert str(problem).startswith(
        f"{path}:{line}: townships[1].schools[1].level = “大学”: 应为 小学、"
    )


def test_a_school_named_twice_is_refused(tmp_path: Path) -> None:
    """Two schools of one name in the county are refused (a 法治副校长 names one school)."""
    path = tmp_path / "county.toml"
    text = (KAIYANG / "county.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('"云开中心小学"', f'"{SCHOOL}"'), encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        load_county(path)
    assert [p.expected for p in caught.value.problems] == ["学校名称在全县须唯一"]


def test_a_misspelt_school_gets_the_nearest_name(county: County) -> None:
    """A school not on the list is refused with the closest listed name as a hint."""
    raw = {"role": "法治副校长", "name": "乙", "school": "硒城中心小", "employer": "县公安局",
           "appointed": "2023-09-01"}  # fmt: skip
    with pytest.raises(InvalidInput) as caught:
        roster.build(county, raw, TODAY)
    assert f"是否指 {SCHOOL}?" in str(caught.value)


def test_coverage_counts_schools_with_a_vice_principal(workspace: ws.Workspace) -> None:
    """One school with a 法治副校长 of 60: met 1, the 59 others listed by township."""
    _vice_principal(workspace.root, SCHOOL)
    found = json.loads(invoke_ok(workspace.root, "people", "coverage", "--json").output)["schools"]
    assert (found["schools"], found["met"], found["people"], len(found["without"])) == (
        60,
        1,
        1,
        59,
    )


def test_coverage_lists_a_school_without_one(workspace: ws.Workspace) -> None:
    """A school with no 法治副校长 is listed under its township with its level."""
    found = json.loads(invoke_ok(workspace.root, "people", "coverage", "--json").output)["schools"]
    assert {"township": "硒城街道", "school": SCHOOL, "level": "小学"} in found["without"]


def test_coverage_text_shows_the_rate(workspace: ws.Workspace) -> None:
    """The text coverage gives the 配备率 with the count of schools."""
    _vice_principal(workspace.root, SCHOOL)
    output = invoke_ok(workspace.root, "people", "coverage").output
    assert "法治副校长配备率 1.7%:1 所学校已配备,共 60 所" in output


def test_a_counsellor_does_not_make_a_school_met(workspace: ws.Workspace) -> None:
    """A 法治辅导员 alone does not count toward the 配备率 of 法治副校长."""
    invoke_ok(workspace.root, "people", "add", "--role", "法治辅导员", "--name", "丙", "--school", SCHOOL,
              "--employer", "县司法局", "--appointed", "2023-09-01")  # fmt: skip
    found = json.loads(invoke_ok(workspace.root, "people", "coverage", "--json").output)["schools"]
    assert found["met"] == 0
