"""pufa.text: the refused characters, their escapes, clipped echoes and personal-data masks."""

from __future__ import annotations

from pufa import text


def test_controls_finds_escape_and_nul() -> None:
    """ESC and NUL are found and shown escaped, once each."""
    assert text.controls("a\x1b[31mb\x00c\x1b") == ["\\x1b", "\\x00"]


def test_controls_refuses_line_breaks_only_in_single_line_fields() -> None:
    """A newline is refused in a title but allowed in a multi-line note."""
    assert text.controls("第一行\n第二行") == ["\\x0a(换行符)"]
    assert text.controls("第一行\n第二行", multiline=True) == []


def test_controls_finds_bidi_override() -> None:
    """The right-to-left override that disguises text is refused."""
    assert text.controls("宣传\u202e反向") == ["\\u202e"]


def test_plain_chinese_text_has_no_controls() -> None:
    """Ordinary Chinese with full-width punctuation passes."""
    assert text.controls("法律进校园:未成年人保护法宣讲(第2期)、“法治”") == []


def test_visible_escapes_an_osc_sequence() -> None:
    """An OSC title-setting sequence becomes harmless visible text."""
    assert text.visible("x\x1b]0;pwned\x07y") == "x\\x1b]0;pwned\\x07y"


def test_clip_keeps_short_values_and_cuts_long_ones() -> None:
    """A long value is cut to 50 characters with its length; short values and numbers pass."""
    assert text.clip("短") == "短"
    assert text.clip(7) == 7
    assert text.clip("字" * 1000) == "字" * 50 + "…(共 1000 字)"


def test_personal_finds_mobile_landline_and_id_card() -> None:
    """Mobile, landline and 身份证 numbers are found in a title."""
    found = text.personal("联系 13812345678 或 0851-87221234,身份证 52012119900101123X")
    assert found == ["13812345678", "0851-87221234", "52012119900101123X"]


def test_personal_ignores_counts_and_dates() -> None:
    """Counts, years and dates are not taken for phone numbers."""
    assert text.personal("2024-03-05 发放资料 110000 份,参与 7764 人次") == []


def test_mask_hides_the_middle_digits() -> None:
    """Masks keep only what identifies the number's kind."""
    assert text.mask("电话13812345678") == "电话138****5678"
    assert text.mask("52012119900101123X") == "520121********123X"
