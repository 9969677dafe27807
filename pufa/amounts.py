"""How pufa writes a number: one home for the text, the JSON value and the file size.

A leaf module: it imports nothing of pufa's, so the targets, the report, the summary's text cells,
the ``--json`` schema, the ledger's messages and the CLI's tables all write numbers the same way.

- :func:`text`: whole numbers without a decimal point (``113``), others to two places with
  trailing zeros dropped (``12.5``, ``0.87``); no value (``None``, NaN) is empty.
- :func:`json_value`: the same number for JSON and CSV cells: an ``int`` when whole, else rounded
  to two places; ``None`` for no value and for NaN (a rate with nothing to divide by yet).
- :func:`mib`: a byte count in MiB to one place, digits grouped (``1,024.0 MiB``).

Limits quoted in messages use Python's own grouping (``f"{COUNT_MAX:,}"`` → ``10,000,000``).
"""

from __future__ import annotations


def text(value: float | None) -> str:
    """``113.0`` → ``113``, ``12.50`` → ``12.5``, ``0.8666`` → ``0.87``; ``None`` and NaN → ``""``."""
    if value is None or value != value:  # None, or NaN (a rate with no data yet)
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def json_value(value: float | None) -> float | int | None:
    """``113.0`` → ``113``, ``0.8666`` → ``0.87``; ``None`` and NaN → ``None``."""
    if value is None or value != value:  # None, or NaN (a rate with no data yet)
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def mib(size: float) -> str:
    """A size in bytes as MiB to one place: ``1,024.0 MiB``."""
    return f"{size / 2**20:,.1f} MiB"
