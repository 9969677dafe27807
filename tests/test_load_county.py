"""pufa.load.county: the county profile is data, checked whole, every problem with file and line."""

from __future__ import annotations

import csv

import pytest

from pufa.errors import InvalidInput
from pufa.load.county import is_slug, is_township_code, load_county
from pufa.model import County, Kind

from .conftest import DATA, ROOT


def test_kaiyang_profile(county: County) -> None:
    """18 townships (3 街道, 7 镇, 8 乡), 136 村(居), Asia/Shanghai, the 七进 and 宪法进 lists."""
    assert county.name == "开阳县"
    assert county.villages == 136
    assert county.timezone == "Asia/Shanghai"
    kinds = [t.kind for t in county.townships]
    assert (kinds.count("街道"), kinds.count("镇"), kinds.count("乡")) == (3, 7, 8)
    assert [v.name for v in county.venues_for(Kind.SEVEN_INTO)] == [
        "机关", "乡村", "社区", "学校", "企业", "单位", "网络",
    ]  # fmt: skip
    assert [v.name for v in county.venues_for(Kind.CONSTITUTION)] == [
        "机关", "乡村", "社区", "学校", "企业", "军营", "网络", "公共场所",
    ]  # fmt: skip
    assert {"县委依法治县办", "县司法局", "县教育局", "县公安局"} <= {
        d.name for d in county.departments
    }


def test_townships_match_the_shared_csv(county: County) -> None:
    """Codes, names, short names and kinds are those of seeds/kaiyang_townships.csv (区划代码 2022)."""
    with (ROOT / "seeds" / "kaiyang_townships.csv").open(encoding="utf-8") as handle:
        rows = [(r["code"], r["name"], r["short_name"], r["kind"]) for r in csv.DictReader(handle)]
    assert [(t.code, t.name, t.short_name, t.kind) for t in county.townships] == rows


def test_every_problem_is_reported_at_once_with_lines() -> None:
    """A broken profile: unknown key, bad kind, bad code, unknown venue slug, duplicate alias."""
    path = DATA / "county-broken.toml"
    with pytest.raises(InvalidInput) as caught:
        load_county(path)
    lines = [str(p).replace(str(path), "county-broken.toml") for p in caught.value.problems]
    assert lines == [
        "county-broken.toml:10: county.vilages = “vilages”: 应为已知的键之一:city、code、name、"
        "province、short_name、slug、source、timezone、villages — 是否指 villages?",
        "county-broken.toml:6: county.timezone = “Asia/Shanghia”: 应为 IANA 时区名,如 Asia/Shanghai",
        "county-broken.toml:23: venue_lists.seven_into = “schol”: 应为 [[venues]] 中的 slug 之一:"
        "school、village — 是否指 school?",
        "county-broken.toml:30: townships[1].kind = “村”: 应为 乡、镇、街道、苏木、开发区、园区、农场、林场、其他 之一",
        "county-broken.toml:35: townships[2].code = “52012120”: 应为 9 位统计用区划代码,如 520121206",
        "county-broken.toml:2: county.villages = (空): 应为不小于 1 的整数",
        "county-broken.toml:34: townships[2] = “禾丰乡”: 名称和别名在全县须唯一 — 已用于 禾丰布依族苗族乡",
    ]


@pytest.mark.parametrize("slug", ["public-place", "school", "2nd-school", "a"])
def test_slugs_are_lower_case_ascii_with_hyphens(slug: str) -> None:
    """A slug is lower-case ASCII letters, digits and hyphens."""
    assert is_slug(slug)


@pytest.mark.parametrize("slug", ["-school", "Public", "public_place", "学校", ""])
def test_other_slugs_are_refused(slug: str) -> None:
    """A leading hyphen, capitals, underscores, other scripts and the empty text are no slugs."""
    assert not is_slug(slug)


def test_a_township_code_has_nine_digits() -> None:
    """520121206 is a township code; eight digits, ten digits or letters are not."""
    assert is_township_code("520121206")
    assert not any(is_township_code(c) for c in ("52012120", "5201212060", "52012120a"))
