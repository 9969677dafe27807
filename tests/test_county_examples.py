"""Example values in messages come from the county at hand: Kaiyang's stay, another county's are its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from pufa import workspace as ws
from pufa.intake import owner_example
from pufa.model import County

from .conftest import invoke


def test_kaiyangs_owner_example_is_unchanged(county: County) -> None:
    """For 开阳县 the owner example is still 禾丰乡 / 县司法局, byte for byte."""
    assert owner_example(county) == "--township 禾丰乡 或 --dept 县司法局"


@pytest.fixture
def xifeng(tmp_path: Path) -> ws.Workspace:
    """A 息烽县 (520122) workspace made from the division codes."""
    return ws.init(tmp_path / "office", county="520122")


def test_the_owner_example_names_the_county_at_hand(xifeng: ws.Workspace) -> None:
    """息烽县's owner example is its first township's short name and its justice department."""
    assert owner_example(xifeng.county()) == "--township 永阳 或 --dept 县司法局"


@pytest.mark.parametrize(
    "args",
    [
        ("--title", "法律进学校", "--venue", "学校"),  # no township, no department
        ("--township", "永阳街道", "--dept", "县司法局", "--title", "x", "--venue", "学校"),
        ("--township", "永羊", "--title", "法律进学校", "--venue", "学校"),  # a typo
        ("--dept", "司法", "--title", "法律进学校", "--venue", "学校"),
        ("--township", "永阳", "--title", "法律进学校", "--venue", "学堂"),
    ],
)
def test_a_refused_log_in_another_county_never_names_kaiyang(
    xifeng: ws.Workspace, args: tuple[str, ...]
) -> None:
    """No message of a refused `pufa log` in 息烽县 names 禾丰 or 开阳."""
    result = invoke(xifeng.root, "log", "seven-into", "--date", "2024-03-05", *args)
    assert result.exit_code != 0
    assert "禾丰" not in result.output, result.output
    assert "开阳" not in result.output, result.output


def test_another_countys_ledger_template_gives_its_own_examples(
    xifeng: ws.Workspace, tmp_path: Path
) -> None:
    """息烽县's 填表说明 shows 永阳 and one of its villages, this year's dates, never 禾丰 or 开阳."""
    from openpyxl import load_workbook

    path = tmp_path / "模板.xlsx"
    assert invoke(xifeng.root, "ledger", "template", "-o", str(path)).exit_code == 0
    rows = {row[0]: row for row in load_workbook(path)["填表说明"].iter_rows(values_only=True)}
    text = repr(rows)
    assert "禾丰" not in text
    assert "开阳" not in text
    assert "“永阳”" in str(rows["乡镇"][1])
    assert rows["乡镇"][2] == "永阳街道"
    assert str(rows["村(居)"][2]).endswith(("社区", "村"))
    assert rows["日期"][2] == "2024-03-05"  # the fixed today's year
