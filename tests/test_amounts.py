"""pufa.amounts: the one way pufa writes a number (text, JSON value, file size)."""

from __future__ import annotations

from pufa import amounts


def test_a_whole_number_is_written_without_a_decimal_point() -> None:
    """113.0 reads 113, as a count does."""
    assert amounts.text(113.0) == "113"


def test_a_fraction_is_written_to_two_places_without_trailing_zeros() -> None:
    """12.5 stays 12.5 (not 12.50); 0.8666 is 0.87."""
    assert [amounts.text(12.5), amounts.text(0.8666)] == ["12.5", "0.87"]


def test_a_fraction_that_rounds_to_a_whole_number_has_no_decimal_point() -> None:
    """12.999 reads 13, not 13.0 or 13.00."""
    assert amounts.text(12.999) == "13"


def test_no_value_is_written_empty() -> None:
    """None and NaN (a rate with nothing to divide by yet) are empty cells."""
    assert [amounts.text(None), amounts.text(float("nan"))] == ["", ""]


def test_a_json_value_is_an_int_when_whole_else_two_places() -> None:
    """113.0 → 113 (an int), 0.8666 → 0.87."""
    assert [amounts.json_value(113.0), amounts.json_value(0.8666)] == [113, 0.87]
    assert isinstance(amounts.json_value(113.0), int)


def test_no_value_is_json_null() -> None:
    """None and NaN become null, never a NaN JSON cannot hold."""
    assert [amounts.json_value(None), amounts.json_value(float("nan"))] == [None, None]


def test_a_size_is_written_in_mib_to_one_place_with_grouped_digits() -> None:
    """1 GiB is 1,024.0 MiB; half a MiB is 0.5 MiB."""
    assert [amounts.mib(2**30), amounts.mib(2**19)] == ["1,024.0 MiB", "0.5 MiB"]
