"""The domain's building blocks as plain data: bounds, kinds, statuses, measures, places, spans.

Frozen attrs classes and enums with validators — no I/O, no SQL, no terminal. A record built from
them (its details, counts, the event and its revisions) is :mod:`pufa.event`.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs
import pendulum

import pufa.text as safe_text
from pufa import vocab
from pufa.errors import InvalidInput, Problem
from pufa.value import valueclass

# --------------------------------------------------------------------------------------------------
# Bounds: what a county's 台账 can plausibly hold, the same on every engine and at every entrance.

#: the upper bound of every count (场次, 人次, 份 …): a county's year is far below it, and sums of
#: bounded counts can never overflow a 64-bit total (nor a PostgreSQL INTEGER column)
COUNT_MAX = 10_000_000
#: the dates a record may have (a timed date before 1901 would get a local mean time offset)
DATE_MIN = pendulum.Date(1949, 1, 1)
DATE_MAX = pendulum.Date(2100, 12, 31)
#: the longest title, reason, note and actor name (characters)
TITLE_MAX = 200
REASON_MAX = 500
NOTE_MAX = 2000
ACTOR_MAX = 100


def date_problem(field: str, value: object, day: pendulum.Date) -> Problem | None:
    """The problem with a record date outside :data:`DATE_MIN`..:data:`DATE_MAX`, if it is."""
    if DATE_MIN <= day <= DATE_MAX:
        return None
    return Problem(field, value, f"应在 {DATE_MIN.isoformat()} 至 {DATE_MAX.isoformat()} 之间")


def text_problems(
    field: str, value: str, *, max_len: int, multiline: bool = False
) -> list[Problem]:
    """What is wrong with a piece of typed text: refused control characters, too long."""
    problems = []
    found = safe_text.controls(value, multiline=multiline)
    if found:
        problems.append(
            Problem(
                field,
                safe_text.clip(safe_text.visible(value, multiline=multiline)),
                f"不能含控制字符 {' '.join(found)}",
                "请删去这些不可见字符后重新输入",
            )
        )
    if len(value) > max_len:
        problems.append(
            Problem(field, safe_text.clip(value), f"不能超过 {max_len} 字(现有 {len(value)} 字)")
        )
    return problems


# --------------------------------------------------------------------------------------------------
# Enums: every value has an ASCII slug (its value) and a Chinese label (from pufa.vocab).


class Labelled(enum.Enum):
    """An enum whose value is the ASCII slug and whose ``label`` is what a user reads."""

    @property
    def slug(self) -> str:
        return str(self.value)

    @property
    def term(self) -> vocab.Term:
        """The words for this member: label, short form, unit (:data:`pufa.vocab.ENUMS`)."""
        return vocab.enum_term(type(self).__name__, self.slug)

    @property
    def label(self) -> str:
        return self.term.label


class Kind(Labelled):
    """Kinds of 普法 activity (docs/guide.md, "3. 活动类型")."""

    SEVEN_INTO = "seven-into"
    CONSTITUTION = "constitution"
    CAMPAIGN = "campaign"
    SCHOOL_LECTURE = "school-lecture"
    LITERATE_TRAINING = "literate-training"
    CADRE_EXAM = "cadre-exam"
    CADRE_TRAINING = "cadre-training"
    LECTURE = "lecture"
    MEDIA_RELEASE = "media-release"


class Status(Labelled):
    """Where a record is in its life: planned, then held (with actual measures) or cancelled."""

    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


#: Status changes an edit may make; held is final (a mistaken record is voided instead).
STATUS_MOVES: Mapping[Status, frozenset[Status]] = {
    Status.PLANNED: frozenset({Status.HELD, Status.CANCELLED}),
    Status.CANCELLED: frozenset({Status.PLANNED}),
    Status.HELD: frozenset(),
}


class Mode(Labelled):
    """How a 法律明白人 training is given."""

    OFFLINE = "offline"
    ONLINE = "online"


class Measure(Labelled):
    """What a record counts. ``unit`` is how the reports write it (场次, 人次, 份 …)."""

    SESSIONS = "sessions"
    PARTICIPANTS = "participants"
    MATERIALS = "materials"
    BANNERS = "banners"
    SCREENS = "screens"
    ITEMS = "items"
    TRAINEES = "trainees"
    CERTIFIED = "certified"
    PASSED = "passed"

    @property
    def unit(self) -> str:
        return self.term.unit or ""


#: (measure, attribute name) pairs, for loops that run once per record (enum lookups are slow)
MEASURE_NAMES: tuple[tuple[Measure, str], ...] = tuple((m, m._value_) for m in Measure)

# --------------------------------------------------------------------------------------------------
# Places and the county profile.


@valueclass
class Venue:
    """A 进 venue of the county (学校, 社区 …) with the synonyms folded into it."""

    slug: str
    name: str
    synonyms: tuple[str, ...] = ()


#: the kinds of township-level unit: 乡, 镇, 街道 (苏木 in Inner Mongolia) and the units the
#: division codes list beside them (开发区, 园区, 农场, 林场; 其他 for 办事处, 管理区 …)
TOWNSHIP_KINDS = ("乡", "镇", "街道", "苏木", "开发区", "园区", "农场", "林场", "其他")


@valueclass
class Village:
    """A 村 or 社区 (村(居)) of a township: its 12-digit code, official and short name."""

    code: str
    name: str
    short_name: str

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: official name, short name and code."""
        return (self.name, self.short_name, self.code)


#: the levels of school a 法治副校长 serves (学校清单 ``level``)
SCHOOL_LEVELS = ("小学", "初中", "高中", "中职")


@valueclass
class School:
    """A school of a township (学校清单): its name, unique in the county, and its level."""

    name: str
    level: str = attrs.field(default="小学", validator=attrs.validators.in_(SCHOOL_LEVELS))


@valueclass
class Township:
    """A 乡, 镇 or 街道 (or a 开发区/园区/农场-type unit) of the county, with every name a user
    may type for it and its 村(居)."""

    code: str
    name: str
    short_name: str
    kind: str = attrs.field(validator=attrs.validators.in_(TOWNSHIP_KINDS))
    slug: str = ""
    aliases: tuple[str, ...] = ()
    villages: tuple[Village, ...] = ()
    schools: tuple[School, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: name, short name, aliases, slug and code."""
        return (self.name, self.short_name, *self.aliases, self.slug, self.code)


#: the kinds of responsible unit under 谁执法谁普法 (a department's ``kind`` in county.toml)
DEPT_KINDS = ("党委部门", "政府部门", "司法机关", "人大政协", "群团", "事业单位", "其他")


@valueclass
class Department:
    """A county department (部门) that organises activities, e.g. 县司法局; ``kind`` is one of
    :data:`DEPT_KINDS` (其他 when the profile does not say)."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = attrs.field(default="其他", validator=attrs.validators.in_(DEPT_KINDS))

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, self.slug)


@valueclass
class County:
    """A county profile: its townships, venues, departments, villages and time zone."""

    code: str
    name: str
    short_name: str
    slug: str
    timezone: str
    villages: int
    venues: tuple[Venue, ...]
    venue_lists: Mapping[Kind, tuple[str, ...]]
    townships: tuple[Township, ...]
    departments: tuple[Department, ...]
    city: str = ""
    province: str = ""

    def township(self, code: str) -> Township:
        """The township with this code (codes come from the store, so they are known)."""
        for township in self.townships:
            if township.code == code:
                return township
        raise KeyError(code)

    def department(self, slug: str) -> Department:
        for dept in self.departments:
            if dept.slug == slug:
                return dept
        raise KeyError(slug)

    def venue(self, slug: str) -> Venue:
        for venue in self.venues:
            if venue.slug == slug:
                return venue
        raise KeyError(slug)

    def venues_for(self, kind: Kind) -> tuple[Venue, ...]:
        """The venues a kind may use (empty when the kind takes no venue)."""
        return tuple(self.venue(slug) for slug in self.venue_lists.get(kind, ()))


# --------------------------------------------------------------------------------------------------
# Time: all-day, timed and multi-day spans, as pendulum values in the county's zone.

When: TypeAlias = pendulum.Date | pendulum.DateTime


def _span_check(span: Span, _attr: attrs.Attribute[Any], end: When) -> None:
    start = span.start
    timed = isinstance(start, pendulum.DateTime)
    if timed != isinstance(end, pendulum.DateTime):
        raise InvalidInput.one("end", str(end), "应与开始同一形式(都是日期,或都是日期时间)")
    if timed and (getattr(start, "tzinfo", None) is None or getattr(end, "tzinfo", None) is None):
        raise InvalidInput.one("date", str(start), "应为带时区的时间")
    if end < start:
        raise InvalidInput.one("end", _iso(end), f"不能早于开始 {_iso(start)}")


def _iso(value: When) -> str:
    if isinstance(value, pendulum.DateTime):
        return value.format("YYYY-MM-DD HH:mm")
    return value.isoformat()


@valueclass
class Span:
    """When an activity happens: ``start``..``end`` inclusive, both dates (all-day) or both times."""

    start: When
    end: When = attrs.field(validator=_span_check)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, pendulum.DateTime)

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def first_day(self) -> pendulum.Date:
        """The local date the span starts on."""
        if isinstance(self.start, pendulum.DateTime):
            return self.start.date()
        return self.start

    def text(self) -> str:
        """Human form: ``2024-03-05``, ``2024-03-05 ~ 2024-03-07``, ``2024-03-05 09:30 ~ 11:30``."""
        start, end = _iso(self.start), _iso(self.end)
        if start == end:
            return start
        if not self.all_day and start[:10] == end[:10]:
            return f"{start} ~ {end[11:]}"
        return f"{start} ~ {end}"


def iso(value: When) -> str:
    """Canonical storage form: ``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM:SS+08:00``."""
    return value.isoformat()
