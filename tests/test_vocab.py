"""The vocabulary table: labels, CLI spellings, kind-specific words, ledger headers, enum terms."""

from __future__ import annotations

from pufa import vocab
from pufa.event import SPECS
from pufa.model import Kind, Measure, Mode, Status


def test_cli_label_joins_label_and_option() -> None:
    """A field with an option reads ``参与人次 (--participants)`` on the command line."""
    assert vocab.cli_label("participants") == "参与人次 (--participants)"


def test_cli_label_of_the_positional_kind() -> None:
    """The kind is a positional argument: ``类型 (KIND)``."""
    assert vocab.cli_label("kind") == "类型 (KIND)"


def test_cli_label_without_option_is_the_label() -> None:
    """A field no option sets reads as its label alone."""
    assert vocab.cli_label("changes") == "修改内容"


def test_unknown_key_is_shown_as_it_is() -> None:
    """A key outside the table (``PUFA_NOW``, ``TOML 语法``) is its own label."""
    assert vocab.label("PUFA_NOW") == "PUFA_NOW"
    assert vocab.cli_label("TOML 语法") == "TOML 语法"


def test_kind_words_a_measure_its_own_way() -> None:
    """A 学法考试 counts 参考人数 in 人, not 参与人次; other kinds keep the generic key."""
    assert vocab.kind_key("cadre-exam", "participants") == "cadre-exam.participants"
    assert vocab.kind_key("lecture", "participants") == "participants"
    assert vocab.cli_label("cadre-exam.participants") == "参考人数 (--participants)"
    assert SPECS[Kind.CADRE_EXAM].unit(Measure.PARTICIPANTS) == "人"


def test_spelled_is_label_then_option_without_space() -> None:
    """Choices in a sentence read ``场次(--sessions)``."""
    assert vocab.spelled("sessions") == "场次(--sessions)"


def test_column_key_of_the_owner_is_the_dept_column() -> None:
    """A township-or-department problem points at the 部门 column, as before."""
    assert vocab.column_key("owner") == "dept"
    assert vocab.column_key("cadre-exam.participants") == "participants"


def test_headers_start_with_the_templates_word() -> None:
    """The first header of each ledger field is the one the template writes."""
    assert vocab.HEADERS["title"][0] == "活动名称"
    assert list(vocab.HEADERS)[:3] == ["date", "end", "township"]


def test_every_enum_member_has_a_term() -> None:
    """Kind, Status, Mode and Measure members all have a label (and kinds a short form)."""
    for enum in (Kind, Status, Mode, Measure):
        assert all(member.label for member in enum)
    assert all(kind.term.short for kind in Kind)
    assert Kind.SEVEN_INTO.term.short == "法律七进"


def test_every_alias_names_a_kind() -> None:
    """Each typed alias maps to an existing kind slug."""
    assert set(vocab.KIND_ALIASES.values()) <= {k.slug for k in Kind}


def test_slug_of_a_status_label() -> None:
    """The ledger reads ``已开展`` back as ``held``; other text passes through."""
    assert vocab.slug_of("Status", "已开展") == "held"
    assert vocab.slug_of("Status", "办了") == "办了"
