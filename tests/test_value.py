"""pufa.value: ``@valueclass`` keeps attrs' semantics of equality, hashing and repr."""

from __future__ import annotations

import importlib
import pkgutil

import attrs
import pytest

import pufa
from pufa.value import valueclass


@valueclass
class Point:
    """Two compared, hashed and shown fields."""

    x: int
    y: int = 0


@valueclass
class OtherPoint:
    """The same fields as Point, another class."""

    x: int
    y: int = 0


@valueclass
class Empty:
    """No fields at all."""


@valueclass
class Noted:
    """A field left out of equality and hashing (attrs' ``eq=False``)."""

    x: int
    note: str = attrs.field(default="", eq=False)


@valueclass
class Secret:
    """A field left out of repr (attrs' ``repr=False``)."""

    user: str
    password: str = attrs.field(repr=False)


@valueclass
class Shown:
    """A field shown by its own function (attrs' ``repr=callable``)."""

    code: int = attrs.field(repr=lambda code: f"#{code}")


@valueclass
class Unhashed:
    """A field compared but not hashed (attrs' ``hash=False``)."""

    x: int
    cache: int = attrs.field(default=0, hash=False)


def test_equal_fields_make_equal_values() -> None:
    """Two instances of one class with equal fields are equal."""
    assert Point(1, 2) == Point(1, 2)


def test_equal_values_hash_alike() -> None:
    """Equal instances have one hash, so a set holds one of them."""
    assert hash(Point(1, 2)) == hash(Point(1, 2))
    assert len({Point(1, 2), Point(1, 2)}) == 1


def test_a_changed_field_makes_them_differ() -> None:
    """Any one compared field that differs makes the instances unequal."""
    assert Point(1, 2) != Point(1, 3)


def test_another_class_with_the_same_fields_differs() -> None:
    """Equality needs the same class, not just the same field values."""
    assert Point(1, 2) != OtherPoint(1, 2)


def test_a_value_is_not_equal_to_another_type() -> None:
    """Comparing with something that is not a value class is False, not an error."""
    assert Point(1, 2) != (1, 2)
    assert Point(1, 2) != "Point(x=1, y=2)"


def test_classes_without_fields_are_equal() -> None:
    """All instances of a class with no fields are equal and hash alike."""
    assert Empty() == Empty()
    assert hash(Empty()) == hash(Empty())


def test_repr_names_the_class_and_every_field() -> None:
    """repr is the class name with each field as ``name=repr(value)``, as attrs writes it."""
    assert repr(Point(1, 2)) == "Point(x=1, y=2)"
    assert repr(Empty()) == "Empty()"


def test_repr_matches_plain_attrs() -> None:
    """The repr is byte for byte what @attrs.frozen would write."""
    plain = attrs.frozen(type("Point", (), {"__annotations__": {"x": "int", "y": "str"}}))
    assert repr(Point(1, "a")) == repr(plain(1, "a"))  # type: ignore[arg-type]


def test_a_field_with_eq_false_is_not_compared() -> None:
    """attrs' per-field ``eq=False`` is honoured: the field does not take part in equality."""
    assert Noted(1, note="a") == Noted(1, note="b")


def test_a_field_with_eq_false_is_not_hashed() -> None:
    """A field left out of equality is left out of the hash too (equal values hash alike)."""
    assert hash(Noted(1, note="a")) == hash(Noted(1, note="b"))


def test_a_field_with_repr_false_is_not_shown() -> None:
    """attrs' per-field ``repr=False`` is honoured: a password stays out of the repr."""
    assert repr(Secret("clerk", "s3cret")) == "Secret(user='clerk')"


def test_a_field_with_a_repr_function_is_shown_by_it() -> None:
    """attrs' per-field ``repr=<function>`` is honoured."""
    assert repr(Shown(7)) == "Shown(code=#7)"


def test_a_field_with_hash_false_is_compared_but_not_hashed() -> None:
    """attrs' per-field ``hash=False``: the field still decides equality, not the hash."""
    assert Unhashed(1, cache=1) != Unhashed(1, cache=2)
    assert hash(Unhashed(1, cache=1)) == hash(Unhashed(1, cache=2))


def test_an_eq_key_function_is_refused() -> None:
    """``eq=<key function>`` is the one field option @valueclass does not honour: it refuses it
    when the class is made, rather than compare silently without the key."""
    with pytest.raises(TypeError, match=r"Keyed\.name"):

        @valueclass
        class Keyed:
            name: str = attrs.field(eq=str.lower)


def test_values_are_frozen() -> None:
    """A value class is frozen: change it with attrs.evolve."""
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        Point(1, 2).x = 3  # type: ignore[misc]
    assert attrs.evolve(Point(1, 2), x=3) == Point(3, 2)


def test_every_attrs_class_in_pufa_is_a_valueclass() -> None:
    """Start-up budget (docs/performance.md): every attrs class in pufa is made by @valueclass,
    whose methods are shared code; attrs generates none of __eq__/__hash__/__repr__ for it."""
    made = {name: getattr(Empty, name).__code__ for name in ("__eq__", "__hash__", "__repr__")}
    found = []
    for info in pkgutil.walk_packages(pufa.__path__, "pufa."):
        if info.name.startswith("pufa.cli") or info.name == "pufa.__main__":
            continue  # the CLI defines no attrs classes; __main__ would run it
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if isinstance(cls, type) and attrs.has(cls) and cls.__module__ == info.name:
                found.append(cls)
                assert {n: vars(cls)[n].__code__ for n in made} == made, cls
    assert len(found) > 40
