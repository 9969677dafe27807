"""pufa.divisions: the packaged 统计用区划代码 — finding a county, its units, kinds and short names."""

from __future__ import annotations

import pytest

from pufa import divisions
from pufa.errors import InvalidInput


@pytest.mark.parametrize("text", ["520122", "息烽县", "贵州省贵阳市息烽县", "贵州省息烽县"])
def test_a_county_by_code_name_or_full_name(text: str) -> None:
    """A code, a name and a full name all find 息烽县."""
    found = divisions.find_county(text)
    assert (found.code, found.name, found.city, found.province) == (
        "520122",
        "息烽县",
        "贵阳市",
        "贵州省",
    )


def test_an_ambiguous_name_lists_the_candidates_with_codes() -> None:
    """朝阳区 is two districts: refused, each candidate with its full name and code."""
    with pytest.raises(InvalidInput) as caught:
        divisions.find_county("朝阳区")
    assert str(caught.value) == (
        "县 (--county) = “朝阳区”: 有 2 个同名县级单位:北京市朝阳区(110105)、"
        "吉林省长春市朝阳区(220104) — 请改用区划代码或全称"
    )


def test_an_unknown_name_suggests_the_closest() -> None:
    """清镇 (without 市) is not a county name; 清镇市 is suggested."""
    with pytest.raises(InvalidInput, match="是否指 清镇市"):
        divisions.find_county("清镇")


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("永靖镇", "镇"),
        ("永阳街道", "街道"),
        ("禾丰布依族苗族乡", "乡"),
        ("巴彦温都尔苏木", "苏木"),
        ("北京经济技术开发区", "开发区"),
        ("天津风电产业园", "园区"),
        ("红旗农场", "农场"),
        ("赵西垸林场", "林场"),
        ("大蒲河管理处", "其他"),
    ],
)
def test_township_kind_from_the_name(name: str, kind: str) -> None:
    """乡/镇/街道/苏木 by suffix; 开发区/园区/农场/林场-type units by the words in the name."""
    assert divisions.township_kind(name) == kind


@pytest.mark.parametrize(
    ("name", "short"),
    [("永靖镇", "永靖"), ("禾丰布依族苗族乡", "禾丰"), ("永阳街道", "永阳"), ("江镇", "江镇"),
     ("天津风电产业园", "天津风电产业园")],
)  # fmt: skip
def test_township_short_name(name: str, short: str) -> None:
    """The kind and a 民族乡's peoples are dropped; too short a rest keeps the full name."""
    assert divisions.township_short(name) == short


@pytest.mark.parametrize(
    ("name", "short"),
    [("多福巷社区居委会", "多福巷社区"), ("城西村委会", "城西村"), ("新华居委会", "新华"),
     ("城西村民委员会", "城西村"), ("南江社区", "南江社区")],
)  # fmt: skip
def test_village_short_name(name: str, short: str) -> None:
    """村委会/居委会/委员会 suffixes are stripped, keeping 村 and 社区."""
    assert divisions.village_short(name) == short


def test_townships_carry_their_villages() -> None:
    """息烽县: 11 township-level units and 179 村(居), each village under its own township's code."""
    units = divisions.townships(divisions.find_county("520122"))
    assert len(units) == 11
    assert sum(len(t.villages) for t in units) == 179
    assert all(v.code.startswith(t.code) for t in units for v in t.villages)


def test_department_names_take_the_county_level() -> None:
    """A district's departments are 区…, a county-level city's 市…, a county's 县…."""
    assert [divisions.level(divisions.find_county(c)) for c in ("120113", "520181", "520122")] == [
        "区", "市", "县",
    ]  # fmt: skip
