"""Chinese for what the command line's framework writes in English, through a gettext catalogue.

typer 0.28 vendors click as ``typer._click`` without gettext markers: its usage errors, help
headings and the help option's text are plain English strings, often composed of pieces
("Invalid value for 'ID': 'abc' is not a valid int."). So pufa translates at the one place they
reach a user — :mod:`pufa.cli.frame` hands every finished message, heading and help line to
:func:`text` — and the catalogue (``pufa/locale/zh_CN/LC_MESSAGES/pufa.po``, compiled to
``pufa.mo`` beside it) is keyed by click's English *templates*: ``{name}`` stands for a part click
fills in. A message matching a template becomes the template's translation with the same parts;
a part named ``message`` is itself translated (click nests one message in another). A message no
template matches is shown as it is.

Also here: display widths and a wrapper that folds Chinese text at 80 columns (click measures a
Chinese character as one column and wraps only at spaces).
"""

import gettext
import re
import unicodedata
from functools import cache
from pathlib import Path

#: where the catalogue lives, and its domain
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "pufa"

#: click's (and typer's) English message templates, the catalogue's keys — most specific first,
#: since the first template that matches a whole message is used
TEMPLATES: tuple[str, ...] = (
    "{message}. Did you mean {names}?",
    "Invalid value for {param}: {message}",
    "Invalid value: {message}",
    "Missing argument {param}.",
    "Missing option {param}.",
    "Missing parameter {param}.",
    "Missing argument {param}. {message}",
    "Missing option {param}. {message}",
    "No such option: {name} (Possible options: {names})",
    "No such option: {name}",
    "No such command {name}.",
    "No such command {name}",
    "Missing command.",
    "Got unexpected extra argument(s) ({args})",
    "Option {name} requires an argument.",
    "Option {name} requires {count} arguments.",
    "Option {name} does not take a value.",
    "Argument {name} takes {count} values.",
    "{value} is not a valid integer.",
    "{value} is not a valid int.",
    "{value} is not a valid float.",
    "{value} is not a valid int range.",
    "{value} is not a valid float range.",
    "{value} is not a valid boolean. Recognized values: {names}",
    "{value} is not one of {names}.",
    "{value} is not in the range {range}.",
    "{value} does not match the format {formats}.",
    "{value} does not match the formats {formats}.",
    "Could not open file {name}: {message}",
    "Aborted!",
    "Usage:",
    "Error:",
    "Try '{command} {option}' for help.",
    "Options",
    "Commands",
    "Arguments",
    "[OPTIONS]",
    "COMMAND [ARGS]...",
    "Show this message and exit.",
    "<str>",
    "<int>",
    "<int range>",
    "<float>",
    "<float range>",
    "<path>",
    "<filename>",
    "{low}<=x<={high}",
    "x>={low}",
    "x<={high}",
    "required",
    "default: {default}",
    "env var: {var}",
    "Install completion for the current shell.",
    "Show completion for the current shell, to copy it or customize the installation.",
    "{shell} completion installed in {path}",
    "Completion will take effect once you restart the terminal",
)


@cache
def catalogue() -> gettext.NullTranslations:
    """The zh_CN catalogue (read on first use: `pufa log` that succeeds never opens it)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"], fallback=True)


@cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each template as a regular expression matching a whole message, with its template."""
    found = []
    for template in TEMPLATES:
        parts = re.split(r"\{(\w+)\}", template)
        pattern = "".join(
            re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
        )
        found.append((re.compile(pattern, re.DOTALL), template))
    return tuple(found)


def text(message: str) -> str:
    """``message`` in Chinese when a catalogue template matches it whole, else unchanged."""
    for pattern, template in _patterns():
        matched = pattern.fullmatch(message)
        if matched is None:
            continue
        parts = matched.groupdict()
        if "names" in parts:  # click lists candidates with ", "; Chinese lists with "、"
            parts["names"] = parts["names"].replace(", ", "、")
        if "message" in parts:
            parts["message"] = text(parts["message"])
        return catalogue().gettext(template).format(**parts)
    return message


def help_line(line: str) -> str:
    """A help text with click's trailing ``[env var: …; default: …; required]`` in Chinese."""
    matched = re.fullmatch(r"(.*?)(\s*)\[([^\[\]]*)\]", line, re.DOTALL)
    if matched is None:
        return text(line)
    prose, space, extras = matched.groups()
    shown = "; ".join(text(extra) for extra in extras.split("; "))
    return f"{text(prose)}{space}[{shown}]"


def metavars(names: str) -> str:
    """An option's names with click's type placeholders in Chinese (``--year <int>`` → ``<整数>``)."""
    return re.sub(r"<[a-z ]+>", lambda found: text(found.group(0)), names)


def usage_args(args: str) -> str:
    """The usage line's arguments with click's placeholders in Chinese."""
    for placeholder in ("[OPTIONS]", "COMMAND [ARGS]..."):
        args = args.replace(placeholder, text(placeholder))
    return args


def width(line: str) -> int:
    """Columns ``line`` takes on a terminal: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


#: characters a line must not start with (they stay with the character before them)
_NO_START = set(",。、;:?!))」』》〉】”’·…%,.;:?!]}")
#: characters a line must not end with (they stay with the character after them)
_NO_END = set("((「『《〈【“‘[{")


def _units(line: str) -> list[str]:
    """``line`` cut where a break may go: after a space, around a wide character, never
    inside an ASCII word nor before closing punctuation."""
    units: list[str] = []
    for piece in re.findall(r"[^\s\u2e80-\uffef]+\s*|[\u2e80-\uffef]\s*|\s+", line):
        if units and (piece[0] in _NO_START or units[-1][-1] in _NO_END):
            units[-1] += piece
        else:
            units.append(piece)
    return units


def flow(paragraph: str) -> str:
    """``paragraph``'s lines joined into one: by a space, or by nothing between two wide characters."""
    joined = ""
    for line in (line.strip() for line in paragraph.splitlines()):
        wide = joined and line and width(joined[-1]) == 2 and width(line[0]) == 2
        joined = f"{joined}{line}" if wide or not joined else f"{joined} {line}"
    return joined


def wrap(paragraph: str, columns: int) -> list[str]:
    """``paragraph`` folded into lines of at most ``columns`` (a longer single word stays whole)."""
    lines: list[str] = []
    for source in paragraph.splitlines() or [""]:
        line = ""
        for unit in _units(source):
            if line and width(line + unit.rstrip()) > columns:
                lines.append(line.rstrip())
                line = unit.lstrip()
            else:
                line += unit
        lines.append(line.rstrip())
    return lines
