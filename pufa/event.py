"""One 普法 record: its kind's details, what each kind takes, its counts, the event and its audit trail.

The building blocks (enums, places, spans, bounds) are :mod:`pufa.model`; this module puts them
together into an :class:`Event`, checks the rules across its fields, and describes its revisions.
Frozen attrs classes only — no I/O, no SQL, no terminal. Change a record with :func:`attrs.evolve`;
the validators run again and reject impossible values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import attrs
import pendulum

import pufa.text as safe_text
from pufa import vocab
from pufa.errors import InvalidInput, Problem
from pufa.model import (
    MEASURE_NAMES,
    NOTE_MAX,
    REASON_MAX,
    TITLE_MAX,
    Kind,
    Labelled,
    Measure,
    Mode,
    Span,
    Status,
    iso,
)
from pufa.value import valueclass

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


_PUBLICITY = (Measure.SESSIONS, Measure.PARTICIPANTS, Measure.MATERIALS, Measure.BANNERS)
SPECS: Mapping[Kind, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(Kind.SEVEN_INTO, SevenInto, _PUBLICITY),
        KindSpec(Kind.CONSTITUTION, Constitution, (*_PUBLICITY, Measure.SCREENS, Measure.ITEMS)),
        KindSpec(Kind.CAMPAIGN, Campaign, (*_PUBLICITY, Measure.SCREENS, Measure.ITEMS)),
        KindSpec(
            Kind.SCHOOL_LECTURE,
            SchoolLecture,
            (Measure.SESSIONS, Measure.PARTICIPANTS, Measure.MATERIALS),
        ),
        KindSpec(
            Kind.LITERATE_TRAINING,
            LiterateTraining,
            (Measure.SESSIONS, Measure.TRAINEES, Measure.CERTIFIED, Measure.MATERIALS),
            required_when_held=(Measure.TRAINEES,),
        ),
        KindSpec(
            Kind.CADRE_EXAM,
            CadreExam,
            (Measure.PARTICIPANTS, Measure.PASSED),
            required_when_held=(Measure.PARTICIPANTS,),
        ),
        KindSpec(
            Kind.CADRE_TRAINING,
            CadreTraining,
            (Measure.SESSIONS, Measure.PARTICIPANTS, Measure.MATERIALS),
        ),
        KindSpec(
            Kind.LECTURE, Lecture, (Measure.SESSIONS, Measure.PARTICIPANTS, Measure.MATERIALS)
        ),
        KindSpec(
            Kind.MEDIA_RELEASE,
            MediaRelease,
            (Measure.SESSIONS, Measure.ITEMS),
            required_when_held=(Measure.ITEMS,),
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


def _village_check(event: Event, _attr: attrs.Attribute[Any], village: str | None) -> None:
    if village is None:
        return
    township = event.township or ""
    if not (village.isascii() and village.isdigit() and len(village) == 12):
        raise InvalidInput.one("village", safe_text.clip(village), "应为 12 位村(居)代码")
    if not village.startswith(township) or not township:
        raise InvalidInput.one("village", village, "须属于记录所在的乡(镇、街道)")


@valueclass
class Event:
    """One 普法 activity of one kind: what, when, whose, its status, counts and audit data.

    ``township`` is a township code, ``dept`` a department slug; exactly one is set.
    ``village`` is the code of a 村(居) of the township, or None (a township- or county-level event).
    ``id``, ``revision`` and the stamps are given by the store.
    """

    details: Details
    title: str = attrs.field(validator=_text("title"))
    span: Span = attrs.field(validator=attrs.validators.instance_of(Span))
    township: str | None = None
    dept: str | None = attrs.field(default=None, validator=_owner_check)
    village: str | None = attrs.field(default=None, validator=_village_check)
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
        "village": event.village,
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
