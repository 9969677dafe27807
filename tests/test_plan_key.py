"""pufa.scheduling.PlanKey: a plan-made record's source key, formatted and parsed back."""

from __future__ import annotations

from pufa.scheduling import Plan, PlanKey


def test_a_key_is_formatted_with_a_three_digit_number() -> None:
    """The 15th activity of item seven-into in plan-2024.toml of 2024."""
    assert (
        PlanKey(2024, "plan-2024", "seven-into", 15).format()
        == "plan:2024:plan-2024:seven-into:015"
    )


def test_a_formatted_key_parses_back_to_the_same_key() -> None:
    """format and parse are inverses."""
    key = PlanKey(2024, "plan-2024", "seven-into", 15)
    assert PlanKey.parse(key.format()) == key


def test_a_number_past_999_keeps_all_its_digits() -> None:
    """The 1000th activity is 1000, not cut to three digits, and parses back."""
    key = PlanKey(2024, "plan-2024", "visits", 1000)
    assert key.format().endswith(":visits:1000")
    assert PlanKey.parse(key.format()) == key


def test_an_item_key_with_a_colon_parses_whole() -> None:
    """The number is the last part; everything between the plan and it is the item."""
    assert PlanKey.parse("plan:2024:plan-2024:a:b:002") == PlanKey(2024, "plan-2024", "a:b", 2)


def test_other_sources_are_not_plan_keys() -> None:
    """A ledger import's key, a truncated key or a non-numeric year or number is None."""
    for text in ("ledger:abc", "", "plan:2024:plan-2024:", "plan:x:p:i:001", "plan:2024:p:i:x"):
        assert PlanKey.parse(text) is None, text


def test_a_prefix_selects_a_year_or_one_plan_file() -> None:
    """plan:2024: for every plan of the year, plan:2024:plan-2024: for one file's records."""
    assert [PlanKey.prefix(2024), PlanKey.prefix(2024, "plan-2024")] == [
        "plan:2024:",
        "plan:2024:plan-2024:",
    ]


def test_a_plans_prefix_is_its_keys_prefix() -> None:
    """Plan.prefix is the start of every key its slots carry: the file's stem, without .toml."""
    plan = Plan(2024, (), path="campaigns/kaiyang/plan-2024.toml")
    assert plan.prefix == "plan:2024:plan-2024:"
    assert PlanKey(2024, plan.stem, "x", 1).format().startswith(plan.prefix)
