"""pufa.event: a record's details, counts, cross-field rules, owner, and its diff."""

from __future__ import annotations

import attrs
import pendulum
import pytest

from pufa.errors import InvalidInput
from pufa.event import (
    SPECS,
    CadreExam,
    Event,
    Lecture,
    LiterateTraining,
    Measures,
    SevenInto,
    diff,
    flatten,
)
from pufa.model import Kind, Span, Status

DAY = pendulum.Date(2024, 3, 5)


def seven_into(**changes: object) -> Event:
    base = Event(
        details=SevenInto("school"), title="法律进学校", span=Span(DAY, DAY), township="520121206"
    )
    return attrs.evolve(base, **changes)


def test_every_kind_has_a_spec_label_and_details_class() -> None:
    """Each kind (`pufa kinds`, docs/cli.md) has a Chinese label and a spec with its measures."""
    assert [k.slug for k in Kind] == [
        "seven-into", "constitution", "campaign", "school-lecture", "literate-training",
        "cadre-exam", "cadre-training", "lecture", "media-release",
    ]  # fmt: skip
    for kind in Kind:
        assert kind.label
        assert SPECS[kind].kind is kind
        assert SPECS[kind].measures


def test_a_record_counts_one_session_by_default() -> None:
    """An event counts as one 场次 of its kind unless it says otherwise."""
    assert seven_into().measures.sessions == 1
    assert seven_into().kind is Kind.SEVEN_INTO


def test_negative_count_is_rejected_with_field_and_value() -> None:
    """A negative count names the measure, its option and unit."""
    with pytest.raises(InvalidInput) as caught:
        Measures(participants=-3)
    assert str(caught.value) == "参与人次 (--participants) = -3: 应为不小于 0 的整数(人次)"
    assert caught.value.field == "participants"
    assert caught.value.value == -3


def test_passed_may_not_exceed_participants() -> None:
    """Cadre exam: passed ≤ participants."""
    with pytest.raises(InvalidInput) as caught:
        Event(
            details=CadreExam(), title="学法考试", span=Span(DAY, DAY), dept="justice",
            measures=Measures(participants=10, passed=12),
        )  # fmt: skip
    assert str(caught.value) == "及格人数 (--passed) = 12: 不能超过参考人数 10"


def test_certified_may_not_exceed_trainees() -> None:
    """法律明白人 training: certified ≤ trainees."""
    with pytest.raises(InvalidInput) as caught:
        Event(
            details=LiterateTraining(), title="培训", span=Span(DAY, DAY), township="520121209",
            measures=Measures(trainees=40, certified=41),
        )  # fmt: skip
    assert str(caught.value) == "获证人数 (--certified) = 41: 不能超过参训人次 40"


def test_measure_the_kind_does_not_take_is_rejected() -> None:
    """A school lecture has no banners: the message lists what it does count."""
    with pytest.raises(InvalidInput) as caught:
        seven_into(measures=Measures(screens=3))
    assert str(caught.value) == (
        "电子屏公益广告 (--screens) = 3: 法律七进集中宣传不计此项;它只计 "
        "场次(--sessions)、参与人次(--participants)、发放资料(--materials)、标语横幅(--banners)"
    )


def test_held_record_needs_its_required_measures_but_a_planned_one_does_not() -> None:
    """A held 法律明白人 training must say how many trained; a planned one need not yet."""
    planned = Event(
        details=LiterateTraining(), title="培训", span=Span(DAY, DAY), township="520121209",
        status=Status.PLANNED,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match=r"参训人次 \(--trainees\) = \(空\)"):
        attrs.evolve(planned, status=Status.HELD)


def test_exactly_one_owner() -> None:
    """A record belongs to a township or a department, not both, not neither."""
    with pytest.raises(InvalidInput, match="二者选一"):
        seven_into(dept="justice")
    with pytest.raises(InvalidInput, match="二者选一"):
        seven_into(township=None)


def test_diff_lists_changed_fields_with_old_and_new() -> None:
    """diff() gives each changed field's old and new plain value, in field order."""
    old = seven_into(measures=Measures(participants=120))
    new = attrs.evolve(old, title="法律进校园", measures=Measures(participants=150))
    assert [(c.field, c.old, c.new) for c in diff(old, new)] == [
        ("title", "法律进学校", "法律进校园"),
        ("participants", 120, 150),
    ]


def test_flatten_is_plain_values() -> None:
    """flatten() gives only str, int or None, ready for storage and JSON."""
    flat = flatten(seven_into())
    assert flat["kind"] == "seven-into"
    assert flat["start"] == "2024-03-05"
    assert flat["venue"] == "school"
    assert all(v is None or isinstance(v, str | int) for v in flat.values())


def test_records_are_frozen() -> None:
    """The model is immutable: change it with attrs.evolve."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        seven_into().title = "x"  # type: ignore[misc]


def test_records_compare_hash_and_show_by_their_fields() -> None:
    """Records are values (pufa.value, tests/test_value.py): equal records are equal and hash
    alike, a changed field makes them differ, repr names the class and the fields."""
    one, same, other = seven_into(), seven_into(), seven_into(title="法律进社区")
    assert one == same
    assert len({one, same, other}) == 2
    assert repr(Span(DAY, DAY)) == f"Span(start={DAY!r}, end={DAY!r})"
    assert repr(SevenInto("school")) == "SevenInto(venue='school')"


def test_an_over_long_note_is_invalid_input() -> None:
    """A 2,001-character note is an InvalidInput naming 备注 and the limit (was a bare ValueError)."""
    with pytest.raises(InvalidInput) as caught:
        Event(
            Lecture(),
            title="讲座",
            span=Span(pendulum.Date(2024, 3, 5), pendulum.Date(2024, 3, 5)),
            township="520121100",
            note="长" * 2001,
        )
    assert caught.value.field == "note"
    assert "不超过 2000 字(现有 2001 字)" in str(caught.value)
