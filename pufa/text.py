"""Text safety: control characters, echoed values, personal-data patterns (one home for each).

A leaf module: it imports nothing of pufa's, so the model, the loaders, the ledger, the feeds and
the CLI can all use it.

- :func:`controls` finds the characters refused at every entrance (CLI, ledger, plans, web):
  C0/C1 control characters (ESC, NUL …), and the invisible bidirectional overrides that can make a
  title read differently from what it holds. Line breaks and tabs are allowed only where a field is
  multi-line (a note, a reason): a title is one line (a one-line agenda shows it whole).
- :func:`visible` shows such characters as ``\\x1b``-style escapes, for output of older data.
- :func:`clip` keeps an echoed value short in a message (a 64 MiB cell is not a message).
- :func:`personal` / :func:`mask` find and mask phone and 身份证 numbers typed into public text.
"""

from __future__ import annotations

import re

#: refused everywhere: C0 controls but tab/LF/CR, DEL, C1 controls, bidi embeddings/overrides/isolates,
#: line/paragraph separators
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
#: refused in single-line fields as well
_LINE_BREAKS = re.compile(r"[\t\n\r]")
_ANY = re.compile(_CONTROL.pattern[:-1] + r"\t\n\r]")

#: a mainland mobile number, a landline with area code, an 18-digit 身份证 number
_PHONE = r"(?<!\d)1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)"
_LANDLINE = r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"
_ID_CARD = r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
_PERSONAL = re.compile(f"{_ID_CARD}|{_PHONE}|{_LANDLINE}")


#: the refused characters a clerk may not recognise by their code, named in messages
_NAMES = {"\t": "制表符", "\n": "换行符", "\r": "回车符", "\x7f": "删除符"}


def controls(text: str, *, multiline: bool = False) -> list[str]:
    """The refused characters in ``text``, each shown escaped (``\\x1b``; a line break or tab also
    named: ``\\x0a(换行符)``), in order, without repeats."""
    pattern = _CONTROL if multiline else _ANY
    found: list[str] = []
    for match in pattern.finditer(text):
        char = match.group()
        shown = _escape(char) + (f"({_NAMES[char]})" if char in _NAMES else "")
        if shown not in found:
            found.append(shown)
    return found


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, *, multiline: bool = False) -> str:
    """``text`` with every refused character replaced by its escape, safe for a terminal or a file."""
    pattern = _CONTROL if multiline else _ANY
    return pattern.sub(lambda m: _escape(m.group()), text)


def clip(value: object, limit: int = 50) -> object:
    """A value to echo in a message: long text cut to ``limit`` characters with its full length said."""
    if isinstance(value, str) and len(value) > limit:
        return f"{value[:limit]}…(共 {len(value)} 字)"
    return value


def personal(text: str) -> list[str]:
    """The phone and 身份证 numbers that ``text`` seems to contain."""
    return [m.group() for m in _PERSONAL.finditer(text)]


def mask(text: str) -> str:
    """``text`` with phone and 身份证 numbers masked (138****5678, 520121********1234)."""
    return _PERSONAL.sub(_masked, text)


def _masked(match: re.Match[str]) -> str:
    found = match.group()
    digits = found.replace(" ", "").replace("-", "")
    if len(digits) == 18:  # 身份证: keep the region code and the last four
        return digits[:6] + "*" * 8 + digits[-4:]
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]
