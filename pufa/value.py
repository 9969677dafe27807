"""The base of pufa's attrs classes: equality, hashing and repr, written once for all of them.

attrs writes and compiles ``__eq__``, ``__hash__`` and ``__repr__`` for every class it decorates,
at import time. Across the ~30 classes a ``pufa log`` imports, that is more than the start-up budget
of the whole command (docs/performance.md). So pufa's classes are declared

    @attrs.frozen(eq=False, repr=False)
    class Township(Value): ...

and inherit these generic methods, which read the same field list attrs keeps on the class
(``__attrs_attrs__``): equal when the class and every field are equal, hashed on the same values,
shown as ``Township(code='520121200', …)``. attrs still generates ``__init__`` with its validators.
``tests/test_model.py`` checks every attrs class in pufa is declared this way.
"""

from collections.abc import Callable
from operator import attrgetter
from typing import Any

_Values = Callable[[Any], Any]
_VALUES: dict[type, _Values] = {}


def _values_of(cls: type) -> _Values:
    """A getter for the field values of ``cls``'s instances (made once per class)."""
    found = _VALUES.get(cls)
    if found is None:
        names = [a.name for a in cls.__attrs_attrs__]  # type: ignore[attr-defined]
        found = attrgetter(*names) if names else _no_fields
        _VALUES[cls] = found
    return found


def _no_fields(_: object) -> tuple[()]:
    return ()


class Value:
    """Value semantics for a frozen attrs class: see the module docstring."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        values = _values_of(self.__class__)
        return bool(values(self) == values(other))

    def __hash__(self) -> int:
        return hash((self.__class__, _values_of(self.__class__)(self)))

    def __repr__(self) -> str:
        fields = self.__attrs_attrs__  # type: ignore[attr-defined]
        inner = ", ".join(f"{a.name}={getattr(self, a.name)!r}" for a in fields)
        return f"{self.__class__.__qualname__}({inner})"
