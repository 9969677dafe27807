"""campaigns/ TOML files → model objects; every problem is reported at once, with file and line.

- :mod:`pufa.load.reader`: :func:`read_toml`, :class:`Reader` (typed values, problems with lines),
  :class:`Locator` (the line of a key);
- :mod:`pufa.load.county`: :func:`load_county` (``county.toml``);
- :mod:`pufa.load.indicators`: :func:`load_indicators` and :func:`load_targets`;
- :mod:`pufa.load.campaigns`: :func:`load_calendar` (``calendar.toml``) and :func:`load_plan`;
- :mod:`pufa.load.programme`: :func:`load_programme` (``programme-<first>-<last>.toml``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from pufa.load.county import load_county
from pufa.load.reader import read_toml

if TYPE_CHECKING:
    from pufa.load.campaigns import load_calendar, load_plan
    from pufa.load.indicators import load_indicators, load_targets
    from pufa.load.programme import load_programme

__all__ = [
    "load_calendar",
    "load_county",
    "load_indicators",
    "load_plan",
    "load_programme",
    "load_targets",
    "read_toml",
]

# on first use: `pufa log` must not import pufa.targets/days/scheduling (tests/test_cli.py start-up)
_ON_FIRST_USE = {
    "load_indicators": "indicators",
    "load_targets": "indicators",
    "load_calendar": "campaigns",
    "load_plan": "campaigns",
    "load_programme": "programme",
}


def __getattr__(name: str) -> object:
    """The indicator and campaign loaders, imported when first asked for (PEP 562)."""
    if name not in _ON_FIRST_USE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_ON_FIRST_USE[name]}")
    return getattr(module, name)
