"""The domain as plain data: kinds, measures, places, the county, events and their revisions.

Everything here is frozen attrs classes and enums with validators — no I/O, no SQL, no terminal.
Change a record with :func:`attrs.evolve`; the validators run again and reject impossible values.
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
    """Kinds of 普法 activity (DESIGN.md, "Activity kinds")."""

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
# Small validators whose messages name the field, the value and the expectation (Chinese).


def _text(key: str, *, max_len: int = TITLE_MAX) -> Any:
    def check(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > max_len:
            raise InvalidInput.one(key, safe_text.clip(value), f"应为非空文字(不超过{max_len}字)")

    return check


def _optional_text(key: str, *, max_len: int = TITLE_MAX) -> Any:
    inner = _text(key, max_len=max_len)

    def check(inst: object, attr: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            inner(inst, attr, value)

    return check


def _note(_inst: object, _attr: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or len(value) > NOTE_MAX:
        size = f"(现有 {len(value)} 字)" if isinstance(value, str) else ""
        raise InvalidInput.one(
            "note", safe_text.clip(value), f"应为文字,不超过 {NOTE_MAX} 字{size}"
        )


def _count(_inst: object, attr: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        measure = Measure(attr.name)
        raise InvalidInput.one(attr.name, value, f"应为不小于 0 的整数({measure.unit})")


# --------------------------------------------------------------------------------------------------
# Places and the county profile.


@valueclass
class Venue:
    """A 进 venue of the county (学校, 社区 …) with the synonyms folded into it."""

    slug: str
    name: str
    synonyms: tuple[str, ...] = ()


@valueclass
class Township:
    """A 乡, 镇 or 街道 of the county, with every name a user may type for it."""

    code: str
    name: str
    short_name: str
    kind: str = attrs.field(validator=attrs.validators.in_(("乡", "镇", "街道")))
    slug: str = ""
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every accepted spelling: name, short name, aliases, slug and code."""
        return (self.name, self.short_name, *self.aliases, self.slug, self.code)


@valueclass
class Department:
    """A county department (部门) that organises activities, e.g. 县司法局."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()

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


# --------------------------------------------------------------------------------------------------
# Kind-specific fields: one attrs class per kind. Venue values are the county's venue slugs.


@valueclass
class SevenInto:
    """法律七进: which 进 the session went to."""

    venue: str = attrs.field(validator=_text("venue"))


@valueclass
class Constitution:
    """宪法宣传: the occasion (宪法宣传周, 国家宪法日 …) and, if any, the 宪法进 venue."""

    occasion: str = attrs.field(default="宪法宣传周", validator=_text("occasion"))
    venue: str | None = attrs.field(default=None, validator=_optional_text("venue"))


@valueclass
class Campaign:
    """重大法治集中宣传: the calendar node it hangs on (4·15, 民法典宣传月 …)."""

    occasion: str = attrs.field(validator=_text("occasion"))


@valueclass
class SchoolLecture:
    """进校宣讲: the school and the 法治副校长/辅导员 who spoke."""

    school: str = attrs.field(validator=_text("school"))
    lecturer: str | None = attrs.field(default=None, validator=_optional_text("lecturer"))


@valueclass
class LiterateTraining:
    """法律明白人培训: offline directed training or the online course."""

    mode: Mode = attrs.field(default=Mode.OFFLINE, validator=attrs.validators.instance_of(Mode))


@valueclass
class CadreExam:
    """学法用法考试 on 法宣在线: counted by participants and passed."""


@valueclass
class CadreTraining:
    """领导干部/执法人员法治培训."""


@valueclass
class Lecture:
    """法治讲座: who it was for."""

    audience: str | None = attrs.field(default=None, validator=_optional_text("audience"))


@valueclass
class MediaRelease:
    """新媒体普法信息发布: the channel (法治开阳 公众号 …)."""

    channel: str = attrs.field(validator=_text("channel"))


Details: TypeAlias = (
    SevenInto
    | Constitution
    | Campaign
    | SchoolLecture
    | LiterateTraining
    | CadreExam
    | CadreTraining
    | Lecture
    | MediaRelease
)


_FIELDS_OF: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _detail_fields(details: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A details class's field names and its required ones (asked for on every record: cached)."""
    found = _FIELDS_OF.get(details.__name__)
    if found is None:
        fields = attrs.fields(details)
        names = tuple(a.name for a in fields)
        found = names, tuple(a.name for a in fields if a.default is attrs.NOTHING)
        _FIELDS_OF[details.__name__] = found
    return found


@valueclass
class KindSpec:
    """What a kind takes: its details class, allowed measures, and which are required once held."""

    kind: Kind
    details: type[Details]
    measures: tuple[Measure, ...]
    required_when_held: tuple[Measure, ...] = ()

    @property
    def fields(self) -> tuple[str, ...]:
        return _detail_fields(self.details)[0]

    @property
    def required_fields(self) -> tuple[str, ...]:
        return _detail_fields(self.details)[1]

    def key(self, measure: Measure) -> str:
        """The vocabulary key of a measure as this kind words it (``cadre-exam.participants``)."""
        return vocab.kind_key(self.kind.slug, measure._value_)

    def label(self, measure: Measure) -> str:
        """The measure's label for this kind (:data:`pufa.vocab.KIND_FIELDS`, else the generic)."""
        return vocab.label(self.key(measure))

    def unit(self, measure: Measure) -> str:
        found = vocab.term(self.key(measure))
        return (found.unit if found is not None else None) or measure.unit


M = Measure
_PUBLICITY = (M.SESSIONS, M.PARTICIPANTS, M.MATERIALS, M.BANNERS)
SPECS: Mapping[Kind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(Kind.SEVEN_INTO, SevenInto, _PUBLICITY),
        KindSpec(Kind.CONSTITUTION, Constitution, (*_PUBLICITY, M.SCREENS, M.ITEMS)),
        KindSpec(Kind.CAMPAIGN, Campaign, (*_PUBLICITY, M.SCREENS, M.ITEMS)),
        KindSpec(Kind.SCHOOL_LECTURE, SchoolLecture, (M.SESSIONS, M.PARTICIPANTS, M.MATERIALS)),
        KindSpec(
            Kind.LITERATE_TRAINING,
            LiterateTraining,
            (M.SESSIONS, M.TRAINEES, M.CERTIFIED, M.MATERIALS),
            required_when_held=(M.TRAINEES,),
        ),
        KindSpec(
            Kind.CADRE_EXAM,
            CadreExam,
            (M.PARTICIPANTS, M.PASSED),
            required_when_held=(M.PARTICIPANTS,),
        ),
        KindSpec(Kind.CADRE_TRAINING, CadreTraining, (M.SESSIONS, M.PARTICIPANTS, M.MATERIALS)),
        KindSpec(Kind.LECTURE, Lecture, (M.SESSIONS, M.PARTICIPANTS, M.MATERIALS)),
        KindSpec(
            Kind.MEDIA_RELEASE, MediaRelease, (M.SESSIONS, M.ITEMS), required_when_held=(M.ITEMS,)
        ),
    )
}
KIND_OF: Mapping[type, Kind] = {spec.details: kind for kind, spec in SPECS.items()}
#: every kind-specific field name, in a stable order (the store has one column each)
DETAIL_FIELDS: tuple[str, ...] = vocab.DETAILS


@valueclass
class Measures:
    """The counts of one record. ``sessions`` defaults to 1: a record is one 场次 of its kind."""

    sessions: int = attrs.field(default=1, validator=_count)
    participants: int | None = attrs.field(default=None, validator=_count)
    materials: int | None = attrs.field(default=None, validator=_count)
    banners: int | None = attrs.field(default=None, validator=_count)
    screens: int | None = attrs.field(default=None, validator=_count)
    items: int | None = attrs.field(default=None, validator=_count)
    trainees: int | None = attrs.field(default=None, validator=_count)
    certified: int | None = attrs.field(default=None, validator=_count)
    passed: int | None = attrs.field(default=None, validator=_count)

    def get(self, measure: Measure) -> int | None:
        value: int | None = getattr(self, measure._value_)
        return value

    def given(self) -> dict[Measure, int]:
        """The measures that have a value, sessions included."""
        return {m: v for m, name in MEASURE_NAMES if (v := getattr(self, name)) is not None}


# --------------------------------------------------------------------------------------------------
# Events and their audit trail.


@valueclass
class Stamp:
    """Who did something, and when (UTC)."""

    at: pendulum.DateTime
    by: str


@valueclass
class Voiding:
    """Why and by whom a record was voided. A voided record stays, but never counts."""

    reason: str = attrs.field(validator=_text("reason", max_len=REASON_MAX))
    stamp: Stamp | None = None


def _event_check(event: Event, _attr: attrs.Attribute[Any], _value: object) -> None:
    problems = event_problems(event)
    if problems:
        raise InvalidInput(problems)


def _owner_check(event: Event, _attr: attrs.Attribute[Any], dept: str | None) -> None:
    if (event.township is None) == (dept is None):
        raise InvalidInput.one(
            "owner",
            event.township or dept,
            "须在乡(镇、街道)和组织部门中二者选一",
        )


@valueclass
class Event:
    """One 普法 activity of one kind: what, when, whose, its status, counts and audit data.

    ``township`` is a township code, ``dept`` a department slug; exactly one is set.
    ``id``, ``revision`` and the stamps are given by the store.
    """

    details: Details
    title: str = attrs.field(validator=_text("title"))
    span: Span = attrs.field(validator=attrs.validators.instance_of(Span))
    township: str | None = None
    dept: str | None = attrs.field(default=None, validator=_owner_check)
    status: Status = attrs.field(
        default=Status.HELD, validator=attrs.validators.instance_of(Status)
    )
    measures: Measures = attrs.field(factory=Measures, validator=_event_check)
    note: str = attrs.field(default="", validator=_note)
    source: str | None = None
    id: int | None = None
    revision: int = 0
    created: Stamp | None = None
    updated: Stamp | None = None
    voided: Voiding | None = None

    @property
    def kind(self) -> Kind:
        return KIND_OF[type(self.details)]

    @property
    def spec(self) -> KindSpec:
        return SPECS[self.kind]


def event_problems(event: Event) -> list[Problem]:
    """Rules across fields: measures the kind takes, required measures, passed ≤ participants …"""
    return measure_problems(event.spec, event.measures, event.status)


def measure_problems(spec: KindSpec, measures: Measures, status: Status) -> list[Problem]:
    """The rules a kind puts on its counts (used before an Event exists, to report all at once)."""
    problems: list[Problem] = []
    for measure, value in measures.given().items():
        if measure not in spec.measures and not (measure is Measure.SESSIONS and value == 1):
            allowed = "、".join(vocab.spelled(spec.key(m)) for m in spec.measures)
            problems.append(
                Problem(
                    measure._value_,
                    value,
                    f"{spec.kind.label}不计此项;它只计 {allowed}",
                )
            )
    if status is Status.HELD:
        for measure in spec.required_when_held:
            if measures.get(measure) is None:
                problems.append(
                    Problem(
                        spec.key(measure),
                        None,
                        f"已开展的{spec.kind.label}必须填写({spec.unit(measure)})",
                    )
                )
    for part, whole, part_m, whole_m in (
        (measures.passed, measures.participants, Measure.PASSED, Measure.PARTICIPANTS),
        (measures.certified, measures.trainees, Measure.CERTIFIED, Measure.TRAINEES),
    ):
        if part is not None and whole is not None and part > whole:
            problems.append(
                Problem(
                    spec.key(part_m),
                    part,
                    f"不能超过{spec.label(whole_m)} {whole}",
                )
            )
    return problems


class Action(Labelled):
    """What a revision did to a record."""

    CREATE = "create"
    EDIT = "edit"
    VOID = "void"


@valueclass
class Change:
    """One field of a record going from ``old`` to ``new`` (plain values, as stored)."""

    field: str
    old: str | int | None
    new: str | int | None


@valueclass
class Revision:
    """One audited change of a record: who, when, what changed from what to what, and why."""

    event_id: int
    seq: int
    action: Action
    stamp: Stamp
    reason: str | None
    changes: tuple[Change, ...]


Flat: TypeAlias = dict[str, str | int | None]


def flatten(event: Event) -> Flat:
    """The record's user-editable fields as plain values, in a fixed order (diffs and columns)."""
    details = event.details
    given = _detail_fields(type(details))[0]
    flat: Flat = {
        "kind": event.kind.slug,
        "title": event.title,
        "start": iso(event.span.start),
        "end": iso(event.span.end),
        "township": event.township,
        "dept": event.dept,
        "status": event.status.slug,
    }
    for name in DETAIL_FIELDS:
        value = getattr(details, name) if name in given else None
        flat[name] = value.slug if isinstance(value, Labelled) else value
    measures = event.measures
    for _, name in MEASURE_NAMES:
        flat[name] = getattr(measures, name)
    flat["note"] = event.note
    return flat


def diff(old: Event, new: Event) -> tuple[Change, ...]:
    """The fields that differ between two versions of a record, in field order."""
    before, after = flatten(old), flatten(new)
    return tuple(Change(k, before[k], after[k]) for k in before if before[k] != after[k])
