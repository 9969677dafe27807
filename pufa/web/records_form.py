"""The log and edit form of the records pages as plain data: its pick lists, what a POST typed
(as the raw strings :class:`pufa.intake.Entry` takes), a stored record as the form shows it,
and the library's :class:`~pufa.errors.Problem` lines placed next to their fields.

Field names: ``kind``, ``date``, ``township``, ``dept``, ``village``, ``title``, ``status``
(``held``/``planned``, and ``cancelled`` on the edit form), ``note``; each kind's own fields and
measures in a fieldset of their own, named ``<kind>.<field>`` (``seven-into.venue``,
``seven-into.participants``): only the chosen kind's are read. ``allow_duplicate`` (仍然保存),
``locked_reason`` (the office's reason to change a locked month), on the edit form ``reason`` and
``revision`` (the version read: a newer one refuses the edit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from pufa import vocab
from pufa.display import detail_text, village_name
from pufa.errors import Problem, render
from pufa.event import SPECS, Event
from pufa.model import County, Kind, Mode, Status
from pufa.users import Role, User
from pufa.value import valueclass

#: the fields every kind shares, in the order the form shows them
COMMON = ("kind", "date", "township", "dept", "village", "title", "status", "note")
#: problems of these fields are shown next to another one
SHOWN_AT = {"owner": "township", "locked_month": "date", "changes": "title", "end": "date"}


@valueclass
class Field:
    """One of a kind's own inputs: its form name, label, unit (measures), whether a pick list."""

    name: str
    key: str
    label: str
    unit: str = ""
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    number: bool = False


@valueclass
class KindFields:
    """A kind's fieldset: its slug and label, its details and measures."""

    slug: str
    label: str
    fields: tuple[Field, ...]


@valueclass
class Choices:
    """The pick lists of the form for one user: kinds, townships, departments, villages (by
    township), each kind's fields."""

    kinds: tuple[tuple[str, str], ...]
    townships: tuple[str, ...]
    depts: tuple[str, ...]
    villages: tuple[tuple[str, tuple[str, ...]], ...]
    kind_fields: tuple[KindFields, ...]


def kind_fields(county: County, kind: Kind) -> KindFields:
    """A kind's own inputs: its details (venue and mode as pick lists) and its measures, labelled
    and with units as ``pufa log`` asks for them (:data:`pufa.event.SPECS`, :mod:`pufa.vocab`)."""
    spec = SPECS[kind]
    fields = []
    for name in spec.fields:
        choices: tuple[tuple[str, str], ...] = ()
        if name == "venue":
            choices = tuple((v.name, v.name) for v in county.venues_for(kind))
        elif name == "mode":
            choices = tuple((m.slug, m.label) for m in Mode)
        required = name in spec.required_fields
        fields.append(Field(f"{kind.slug}.{name}", name, vocab.label(name), "", required, choices))
    for measure in spec.measures:
        required = measure in spec.required_when_held
        key = measure._value_
        label, unit = spec.label(measure), spec.unit(measure)
        fields.append(Field(f"{kind.slug}.{key}", key, label, unit, required, number=True))
    return KindFields(kind.slug, kind.label, tuple(fields))


def choices(county: County, user: User) -> Choices:
    """The pick lists ``user`` may choose from: a township user only their township (and its
    villages), a department user only their unit, the office every one."""
    towns = [
        t for t in county.townships if user.role is not Role.TOWNSHIP or t.code == user.township
    ]
    depts = [
        d for d in county.departments if user.role is not Role.DEPARTMENT or d.slug == user.dept
    ]
    if user.role is Role.TOWNSHIP:
        depts = []
    if user.role is Role.DEPARTMENT:
        towns = []
    return Choices(
        kinds=tuple((k.slug, k.label) for k in Kind),
        townships=tuple(t.name for t in towns),
        depts=tuple(d.name for d in depts),
        villages=tuple((t.name, tuple(v.name for v in t.villages)) for t in towns),
        kind_fields=tuple(kind_fields(county, k) for k in Kind),
    )


def entry_values(form: Mapping[str, str], kind: str) -> dict[str, str | None]:
    """What the form typed for a record of ``kind`` as :class:`pufa.intake.Entry` values: empty
    fields not given; only the chosen kind's own fields read."""
    values: dict[str, str | None] = {}
    for name in ("date", "township", "dept", "village", "title", "status", "note"):
        text = form.get(name, "")
        values[name] = text if text.strip() else None
    try:
        spec = SPECS[Kind(kind)]
    except ValueError:
        return values
    for key in (*spec.fields, *(m._value_ for m in spec.measures)):
        text = form.get(f"{kind}.{key}", "")
        values[key] = text if text.strip() else None
    return values


def typed(form: Mapping[str, str]) -> dict[str, str]:
    """Everything the form typed, to show again after a refusal (nothing is lost)."""
    return {name: form.get(name, "") for name in form}


def prefill(county: County, event: Event) -> dict[str, str]:
    """A stored record as the edit form shows it (names, not codes)."""
    shown: dict[str, str] = {
        "kind": event.kind.slug,
        "date": event.span.first_day.isoformat(),
        "township": county.township(event.township).name if event.township else "",
        "dept": county.department(event.dept).name if event.dept else "",
        "village": village_name(county, event.village) if event.village else "",
        "title": event.title,
        "status": event.status.value,
        "note": event.note,
        "revision": str(event.revision),
    }
    spec = event.spec
    for name in spec.fields:
        value = getattr(event.details, name, None)
        text = (
            value.slug if name == "mode" and value is not None else detail_text(county, event, name)
        )
        shown[f"{event.kind.slug}.{name}"] = text or ""
    for measure in spec.measures:
        count = event.measures.get(measure)
        shown[f"{event.kind.slug}.{measure._value_}"] = "" if count is None else str(count)
    return shown


def changed(before: Mapping[str, str], form: Mapping[str, str], kind: str) -> dict[str, str | None]:
    """The fields of an edit the form sent with a value other than it showed (``""`` clears a
    field); fields the form did not send are left as they are."""
    out: dict[str, str | None] = {}
    for name, value in entry_values(form, kind).items():
        key = name if name in COMMON else f"{kind}.{name}"
        if key in form and (value or "") != before.get(key, ""):
            out[name] = value if value is not None else ""
    return out


def placed(problems: Iterable[Problem], kind: str, shown: Iterable[str]) -> dict[str, list[str]]:
    """Each problem as ``pufa log`` prints it (:func:`pufa.errors.render`), under the form field it
    belongs next to (``""``: the form's top, for a field the form does not show)."""
    names = set(shown)
    out: dict[str, list[str]] = {}
    for problem in problems:
        field = SHOWN_AT.get(problem.field, problem.field)
        if f"{kind}.{field}" in names:
            field = f"{kind}.{field}"
        elif field not in names:
            field = ""
        out.setdefault(field, []).append(render(problem))
    return out


def form_names(kind: str) -> list[str]:
    """Every input name of the form for a record of ``kind``."""
    names = [*COMMON, "locked_reason", "reason"]
    try:
        fieldset = SPECS[Kind(kind)]
    except ValueError:
        return names
    return names + [
        f"{kind}.{k}" for k in (*fieldset.fields, *(m._value_ for m in fieldset.measures))
    ]


STATUS_CHOICES = (
    (Status.HELD.value, Status.HELD.label),
    (Status.PLANNED.value, Status.PLANNED.label),
)
