"""Targets and indicators as plain data: what a figure counts, the figure itself, and its pace.

An :class:`Indicator` says what to count in the log; a :class:`Target` is a figure of the report
(``113``, ``110余``, ``11万余``, ``5以上``, ``100%``) for one indicator and year; a :class:`Profile`
says how a year's work is expected to spread over the months. No I/O here: :mod:`pufa.load` reads
them from ``campaigns/``, :mod:`pufa.tally` computes with them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import attrs
import pendulum

from pufa import amounts
from pufa.errors import InvalidInput
from pufa.model import Kind, Labelled, Measure
from pufa.value import valueclass


class Count(Labelled):
    """How an indicator turns records into one number."""

    SUM = "sum"
    DISTINCT = "distinct"
    RATE = "rate"
    PER_VILLAGE = "per-village"
    TOWNSHIPS = "townships"

    @property
    def paced(self) -> bool:
        """Whether the value builds up over the year (a rate does not)."""
        return self is not Count.RATE


#: what a profile's weights must be, as a message says it
WEIGHTS_EXPECTED = "应为 12 个非负数(1–12 月的权重),不全为 0"


@valueclass
class Profile:
    """Expected share of a year's work by month (normalised weights, January … December)."""

    key: str
    weights: tuple[float, ...] = attrs.field()
    name: str = ""

    @weights.validator
    def _twelve(self, _attr: attrs.Attribute[tuple[float, ...]], value: tuple[float, ...]) -> None:
        if len(value) != 12 or any(w < 0 for w in value) or not sum(value):
            raise InvalidInput.one(
                "weights", list(value), WEIGHTS_EXPECTED, f"见季节分布“{self.key}”"
            )

    @property
    def label(self) -> str:
        return self.name or ("全年平均" if self.key == "even" else self.key)

    def share(self, year: int, as_of: pendulum.Date) -> float:
        """The fraction of ``year``'s work expected to be done by the end of ``as_of``."""
        if as_of.year < year:
            return 0.0
        if as_of.year > year:
            return 1.0
        total = sum(self.weights)
        done = sum(self.weights[: as_of.month - 1])
        done += self.weights[as_of.month - 1] * as_of.day / as_of.days_in_month
        return min(1.0, done / total)


EVEN = Profile("even", (1.0,) * 12)


@valueclass
class Indicator:
    """What one indicator counts: which records (kinds, field values) and how (see :class:`Count`)."""

    key: str
    name: str
    count: Count
    unit: str
    kinds: tuple[Kind, ...] = ()
    match: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    measure: Measure | None = None
    field: str | None = None
    numerator: Measure | None = None
    denominator: Measure | None = None
    at_least: int = 1
    profile: str = "even"

    def takes(self, kind: str, fields: Mapping[str, str | None]) -> bool:
        """Whether a record (or a group of them) of ``kind`` with these field values counts."""
        if self.kinds and kind not in {k.slug for k in self.kinds}:
            return False
        return all(fields.get(name) in allowed for name, allowed in self.match.items())


#: the figures a report writes, as a message says them
FIGURE_FORMS = "如 113、110余、100多、11万余、5以上、不少于50、近千、100% 的非负数"
_FIGURE = re.compile(r"^(不少于|近)?(?:(\d+(?:\.\d+)?)(万)?|([百千万]))(余|多|以上)?(%)?$")
#: 近千, 近百, 近万: the word for the round number
_ROUND = {"百": 100, "千": 1000, "万": 10000}
#: a figure 近N counts as reached at this share of N (近千 → 900)
NEAR_SHARE = 0.9


@valueclass
class Figure:
    """A figure as the report writes it, and how to write another value the same way.

    ``110余`` → threshold 110, precision 10, qualifier 余: 112 is written ``110余``, 110 ``110``;
    ``100多`` the same with 多. ``11万余`` → 110000 written in 万; ``5以上`` → 5 (the phrase
    carries 以上); ``不少于50`` → 50; ``近千`` → 1000, reached at 900 (:data:`NEAR_SHARE`);
    ``100%`` → a rate. ``text`` keeps the figure as written, qualifier and all.
    """

    text: str
    threshold: float
    qualifier: str = ""
    wan: bool = False
    percent: bool = False
    precision: int = 1

    @classmethod
    def parse(cls, text: str) -> Figure:
        """``110余`` → a figure; :class:`InvalidInput` (a ValueError) for anything else."""
        match = _FIGURE.match(text.strip()) if isinstance(text, str) else None
        if match is None or (match.group(4) and match.group(1) != "近"):
            raise InvalidInput.one("figure", text, f"应为{FIGURE_FORMS}")
        prefix, digits, wan, word, suffix, percent = match.groups()
        if prefix and suffix:
            raise InvalidInput.one(
                "figure", text, f"应为{FIGURE_FORMS}(“{prefix}”不与“{suffix}”同用)"
            )
        if word:
            digits, wan = str(_ROUND[word]), None
        number = float(digits) * (10000 if wan else 1)
        precision = 1
        if suffix in ("余", "多") and "." not in digits:
            zeros = len(digits) - len(digits.rstrip("0"))
            precision = 10 ** min(zeros, len(digits) - 1) * (10000 if wan else 1)
        threshold = number * NEAR_SHARE if prefix == "近" else number
        qualifier = prefix or suffix or ""
        return cls(text.strip(), threshold, qualifier, bool(wan), bool(percent), precision)

    @property
    def number_text(self) -> str:
        """The figure without 以上 (which follows the unit in Chinese: 5名以上)."""
        return self.text.removesuffix("以上")

    def write(self, value: float, *, exact: bool = False) -> str:
        """``value`` in this figure's form, rounded down to its precision (or exactly)."""
        if self.percent:
            return f"{amounts.text(math.floor(value * 100) / 100)}%"
        if exact or (self.qualifier not in ("余", "多") and not self.wan):
            return amounts.text(value if exact else math.floor(value + 1e-9))
        rounded = math.floor(value / self.precision + 1e-9) * self.precision
        if rounded == 0:  # less than one unit of the figure: "0余" says nothing, write the number
            return amounts.text(math.floor(value + 1e-9))
        text = amounts.text(rounded / 10000) + "万" if self.wan else amounts.text(rounded)
        if self.qualifier in ("余", "多") and value > rounded:
            text += self.qualifier
        return text


#: a target's ``status`` until the office has checked its figure (``pufa year start`` drafts so)
UNCONFIRMED = "待核实"
#: what a target's ``status`` may say (none: confirmed)
STATUSES = (UNCONFIRMED, "已核实")


class Comparator(Labelled):
    """How the actual value meets the figure."""

    AT_LEAST = ">="
    EXACTLY = "="


@valueclass
class Target:
    """One figure for one indicator and year, with the report's words around it."""

    indicator: str
    figure: Figure
    comparator: Comparator
    unit: str
    quote: str
    phrase: str
    #: where in the source the figure stands (``(八)… / 3.完善公共法律服务体系``), see :func:`section_text`
    section: str = ""
    #: :data:`UNCONFIRMED` while the office has not checked the figure; "" (or 已核实) once it has
    status: str = ""

    @property
    def confirmed(self) -> bool:
        """Whether the office has confirmed the figure (no ``status = "待核实"``)."""
        return self.status != UNCONFIRMED

    def met(self, value: float) -> bool:
        if self.comparator is Comparator.EXACTLY:
            return math.isclose(value, self.figure.threshold)
        return value >= self.figure.threshold - 1e-9

    def sentence(self, value: float, *, exact: bool = False) -> str:
        """The report's phrase with ``value`` written in the figure's form."""
        return self.phrase.replace("{}", self.figure.write(value, exact=exact))


@valueclass
class Untracked:
    """A report figure the log cannot count (not an activity): shown for the office to fill in."""

    name: str
    figure: str
    unit: str
    quote: str
    why: str
    section: str = ""


#: heading markers of a report, outermost first: 一、 / (一) / 1.
_HEADINGS = (
    re.compile(r"[一二三四五六七八九十]+、"),
    re.compile(r"[((][一二三四五六七八九十]+[))]"),
    re.compile(r"\d+[.．]"),
)


def _level(line: str) -> int | None:
    """The heading level a line starts with (0 = 一、), or None for body text."""
    for level, pattern in enumerate(_HEADINGS):
        if pattern.match(line):
            return level
    return None


def _outranks(line: str, level: int) -> bool:
    """Whether ``line`` is a heading of ``level`` or above (so it ends a section of ``level``)."""
    own = _level(line)
    return own is not None and own <= level


def section_text(report: str, section: str) -> str | None:
    """The text of ``section`` in ``report``: each ``/``-separated part is the start of a heading
    line (``(八)健全共建共治共享的社会治理体系 / 3.完善公共法律服务体系``), looked for inside the
    previous part and running to the next heading of its level or above; None when not found."""
    lines = report.splitlines()
    start, end = 0, len(lines)
    for part in (p.strip() for p in section.split("/")):
        found = next((i for i in range(start, end) if lines[i].startswith(part)), None)
        level = _level(part)
        if not part or found is None or level is None:
            return None
        after = (i for i in range(found + 1, end) if _outranks(lines[i], level))
        start, end = found, next(after, end)
    return "\n".join(lines[start:end])


@valueclass
class TargetSet:
    """A year's targets, in the order the report gives them."""

    year: int
    source: str
    section: str
    targets: tuple[Target, ...]
    untracked: tuple[Untracked, ...] = ()
    basis: str = ""
    path: str = ""
    #: set when the year has no targets file: the one line saying how to start the year
    hint: str = ""


@valueclass
class Indicators:
    """The indicator definitions and seasonal profiles of a county."""

    indicators: Mapping[str, Indicator]
    profiles: Mapping[str, Profile]

    def profile(self, indicator: Indicator) -> Profile:
        return self.profiles.get(indicator.profile, EVEN)
