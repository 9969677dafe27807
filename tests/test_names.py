"""pufa.names: Chinese names, aliases and slugs resolve; misses say what was meant."""

from __future__ import annotations

import pytest

from pufa import names
from pufa.errors import InvalidInput
from pufa.model import County, Kind, Mode, Status


@pytest.mark.parametrize(
    "typed",
    ["禾丰布依族苗族乡", "禾丰", "禾丰乡", "hefeng", "HeFeng", "520121206", " 禾丰乡 "],
)
def test_township_by_any_name(county: County, typed: str) -> None:
    """Official name, short name, the report's alias, pinyin slug and code all find 禾丰."""
    assert names.township(county, typed).code == "520121206"


def test_the_reports_short_forms_resolve(county: County) -> None:
    """The report writes 南江, 禾丰乡, 硒城街道: all are accepted."""
    assert names.township(county, "南江").name == "南江布依族苗族乡"
    assert names.township(county, "高寨乡").name == "高寨苗族布依族乡"
    assert names.township(county, "硒城街道").short_name == "硒城"


def test_unknown_township_suggests_the_closest(county: County) -> None:
    """禾风乡 (a typo) → 是否指 禾丰乡?, and the valid townships are listed."""
    with pytest.raises(InvalidInput) as caught:
        names.township(county, "禾风乡")
    problem = caught.value.problems[0]
    assert problem.field == "township"
    assert problem.value == "禾风乡"
    assert problem.hint == "是否指 禾丰乡?"
    assert str(problem).startswith(
        "乡镇 (--township) = “禾风乡”: 应为开阳县的乡(镇、街道)之一:硒城街道、"
    )
    assert str(problem).endswith("毛云乡 — 是否指 禾丰乡?")


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("seven-into", Kind.SEVEN_INTO),
        ("法律七进", Kind.SEVEN_INTO),
        ("法律七进集中宣传", Kind.SEVEN_INTO),
        ("国家宪法日", Kind.CONSTITUTION),
        ("法律明白人", Kind.LITERATE_TRAINING),
        ("Media-Release", Kind.MEDIA_RELEASE),
    ],
)
def test_kind_by_slug_label_or_alias(typed: str, kind: Kind) -> None:
    """Kinds accept their slug, Chinese label, or a common short name."""
    assert names.kind(typed) is kind


def test_unknown_kind_lists_every_kind() -> None:
    """A mistyped kind gets the closest slug and the full list."""
    with pytest.raises(InvalidInput) as caught:
        names.kind("seven-int")
    text = str(caught.value)
    assert text.startswith(
        "类型 (KIND) = “seven-int”: 应为活动类型之一:seven-into(法律七进集中宣传)、"
    )
    assert text.endswith("media-release(新媒体普法信息发布) — 是否指 seven-into?")


def test_venue_synonyms_fold_into_the_county_venue(county: County) -> None:
    """校园 ≈ 学校, 农村 ≈ 乡村, slugs too."""
    assert names.venue(county, Kind.SEVEN_INTO, "校园") == "school"
    assert names.venue(county, Kind.CONSTITUTION, "农村") == "village"
    assert names.venue(county, Kind.SEVEN_INTO, "online") == "online"


def test_venue_outside_the_kinds_list_is_rejected(county: County) -> None:
    """军营 is a 宪法进 venue, not one of Kaiyang's 法律七进: the message lists the seven."""
    assert names.venue(county, Kind.CONSTITUTION, "军营") == "barracks"
    with pytest.raises(InvalidInput) as caught:
        names.venue(county, Kind.SEVEN_INTO, "军营")
    assert str(caught.value) == (
        "进 (--venue) = “军营”: 应为法律七进集中宣传的进之一:机关(agency)、乡村(village)、"
        "社区(community)、学校(school)、企业(enterprise)、单位(institution)、网络(online)"
    )


def test_department_by_name_or_alias(county: County) -> None:
    """县司法局, 司法局 and justice are the same department."""
    assert names.department(county, "司法局").slug == "justice"
    assert names.department(county, "县司法局").slug == "justice"
    with pytest.raises(InvalidInput, match="是否指 县司法局"):
        names.department(county, "县司法厅")


def test_status_and_mode() -> None:
    """Status and training mode accept slug or label."""
    assert names.status("计划") is Status.PLANNED
    assert names.status("held") is Status.HELD
    assert names.mode("线上") is Mode.ONLINE
    assert names.mode("线下定向") is Mode.OFFLINE
