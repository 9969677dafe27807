"""``@valueclass``: pufa's frozen attrs classes, with equality, hashing and repr written once.

attrs writes and compiles ``__eq__``, ``__hash__`` and ``__repr__`` for every class it decorates,
at import time, and that code generation is most of a class's cost (attrs#575): for the classes
``pufa log`` imports, more than its whole start-up budget (docs/performance.md, "issue 11").
``@valueclass`` asks attrs for a frozen, slotted class with its validated ``__init__`` only, then
gives it these three methods, built from the class's fields and honouring each field's ``eq=``,
``hash=`` and ``repr=`` as attrs does: equal when the class and every compared field are equal,
hashed on the same fields, shown as ``Township(code='520121200', …)``. The one field option it
cannot honour, ``eq=`` a key function, it refuses. ``tests/test_value.py`` pins all of this.

It is named like :func:`dataclasses.dataclass` because ``value`` is a local name everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, dataclass_transform

import attrs

__all__ = ["valueclass"]

_Values = Callable[[Any], Any]


def _values(names: list[str]) -> _Values:
    """A function from an instance to the values of ``names`` (one value, a tuple, or ``()``)."""
    return attrgetter(*names) if names else _nothing


def _nothing(_: object) -> tuple[()]:
    return ()


def _hashed(field: attrs.Attribute[Any]) -> bool:
    """attrs' rule: a field is hashed when ``hash=True``, or ``hash=None`` (the default) and eq."""
    return field.hash is True or (field.hash is None and bool(field.eq))


def _valueclass(cls: type) -> type:
    """``cls`` as a frozen attrs class with value semantics: see the module docstring."""
    made = attrs.frozen(eq=False, repr=False)(cls)
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(made)
    for field in fields:
        if getattr(field, "eq_key", None) is not None:  # eq=<key function> (not in the stubs)
            raise TypeError(f"@valueclass cannot compare {made.__name__}.{field.name} by a key")
    compared = _values([f.name for f in fields if f.eq])
    hashed = _values([f.name for f in fields if _hashed(f)])
    shown = [(f.name, f.repr if callable(f.repr) else repr) for f in fields if f.repr]

    def eq(self: object, other: object) -> object:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compared(self) == compared(other)

    def hash_(self: object) -> int:
        return hash((made, hashed(self)))

    def repr_(self: object) -> str:
        inner = ", ".join(f"{name}={show(getattr(self, name))}" for name, show in shown)
        return f"{made.__qualname__}({inner})"

    for name, method in (("__eq__", eq), ("__hash__", hash_), ("__repr__", repr_)):
        setattr(made, name, method)
    return made


if TYPE_CHECKING:
    # mypy's attrs plugin knows attrs.frozen by name, and through it attrs.evolve, attrs.asdict
    # and ``@field.validator`` on our classes; dataclass_transform alone would lose those to mypy.
    from attrs import frozen as valueclass
else:
    valueclass = dataclass_transform(frozen_default=True, field_specifiers=(attrs.field,))(
        _valueclass
    )
