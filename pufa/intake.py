"""What a user typed (strings) → a validated :class:`Event`, reporting every problem at once.

The CLI, and later the ledger import, hand raw text here; names are resolved against the county
(aliases, slugs, closest-match hints), dates parsed in the county's time zone, counts checked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import attrs
import pendulum

from pufa import names, vocab
from pufa import text as safe_text
from pufa.dates import DATE_FORMS, moved_span, parse_span
from pufa.errors import InvalidInput, Problem
from pufa.event import DETAIL_FIELDS, SPECS, Details, Event, Measures, measure_problems
from pufa.model import (
    COUNT_MAX,
    MEASURE_NAMES,
    NOTE_MAX,
    STATUS_MOVES,
    TITLE_MAX,
    County,
    Kind,
    Measure,
    Span,
    Status,
    text_problems,
)
from pufa.value import valueclass

#: the shortest run of digits (spaces and dashes between) a phone or 身份证 number holds
_SEVEN_DIGITS = r"\d(?:[ -]?\d){6}"

#: a record's counts before any is given (one shared, immutable instance)
NO_COUNTS = Measures()

#: the raw fields an entry may carry, besides kind: user-facing option name → internal field
EDITABLE = (
    "title",
    "date",
    "end",
    "township",
    "village",
    "dept",
    "status",
    *DETAIL_FIELDS,
    *(m.value for m in Measure),
    "note",
)


@valueclass
class Entry:
    """Raw input for one record: every value as the user typed it (``None`` = not given)."""

    kind: str
    values: Mapping[str, str | None] = attrs.field(factory=dict)


def parse_count(measure: Measure, text: str) -> int:
    """A count as typed on the command line: digits only, no sign, no unit."""
    cleaned = text.strip().replace(",", "").replace(",", "")
    field = measure._value_
    if not cleaned.isdigit() or not cleaned.isascii():
        raise InvalidInput.one(
            field, safe_text.clip(text), f"应为不小于 0 的整数({measure.unit}),如 120"
        )
    digits = cleaned.lstrip("0") or "0"
    # a digit string longer than the bound's is over it: never turned into a huge int
    if len(digits) > len(str(COUNT_MAX)) or int(digits) > COUNT_MAX:
        raise InvalidInput.one(field, safe_text.clip(text), f"应为不超过 {COUNT_MAX:,} 的整数")
    return int(digits)


def _unsafe(values: Mapping[str, str | None], problems: list[Problem]) -> set[str]:
    """The raw fields holding control characters or too much text (each reported); the rest of
    the checks leave them out, so that each is reported once."""
    bad = set()
    for key, value in values.items():
        if value is None:
            continue
        multiline = key == "note"
        limit = NOTE_MAX if multiline else TITLE_MAX
        if len(value) <= limit and not safe_text.controls(value, multiline=multiline):
            continue  # the common case: no label built (an import checks millions of values)
        problems.extend(text_problems(key, value, max_len=limit, multiline=multiline))
        bad.add(key)
    return bad


def notices(event: Event) -> list[str]:
    """Warnings (not errors) about a record: phone or 身份证 numbers typed into its public text,
    which the public calendars mask."""
    found = []
    details = event.details
    for label, value in (
        ("标题", event.title),
        *((vocab.label(n), getattr(details, n)) for n in event.spec.fields),
    ):
        if not isinstance(value, str) or not re.search(_SEVEN_DIGITS, value):
            continue  # no number long enough to be a phone or 身份证 number: the common case
        numbers = safe_text.personal(value)
        if numbers:
            masked = "、".join(safe_text.mask(n) for n in numbers)
            found.append(
                f"{label}“{safe_text.clip(safe_text.mask(value))}”似含手机号或身份证号"
                f"({masked}):公开日历中已隐去;个人信息请勿写入标题和地点"
            )
    return found


def _gather(problems: list[Problem], func: object, *args: object) -> object:
    """Call ``func``; on :class:`InvalidInput` keep its problems and return None."""
    try:
        return func(*args)  # type: ignore[operator]
    except InvalidInput as exc:
        problems.extend(exc.problems)
        return None


def _not_yet(
    span: object, status: Status, text: str | None, today: pendulum.Date | None
) -> Problem | None:
    """A held record that starts after ``today`` cannot have happened yet."""
    if today is None or status is not Status.HELD or not isinstance(span, Span):
        return None
    if span.first_day <= today:
        return None
    return Problem(
        "date",
        text,
        f"已开展的活动不能晚于今天({today.isoformat()})",
        "尚未开展的请登记为计划(--planned)",
    )


def _moved_ahead(
    event: Event, changes: Mapping[str, object], text: str | None, today: pendulum.Date | None
) -> Problem | None:
    """An edit that leaves ``event`` held on a day after ``today`` (moved, or marked held)."""
    span = changes.get("span", event.span)
    status = changes.get("status", event.status)
    if not isinstance(span, Span) or not isinstance(status, Status):
        return None
    return _not_yet(span, status, text or span.first_day.isoformat(), today)


def build(county: County, entry: Entry, *, today: pendulum.Date | None = None) -> Event:
    """A new record from raw input; every problem in it raised together. With ``today``, a held
    record dated after it is refused (it cannot have happened yet)."""
    values = dict(entry.values)
    problems: list[Problem] = []
    kind = _gather(problems, names.kind, entry.kind)
    if not isinstance(kind, Kind):
        raise InvalidInput(problems)
    bad = _unsafe(values, problems)
    values = {k: v for k, v in values.items() if k not in bad}
    for key in ("title", "date"):
        if key not in bad and not (values.get(key) or "").strip():
            expected = "必填" if key == "title" else f"必填:{DATE_FORMS}"
            problems.append(Problem(key, None, expected))
    township, dept, village = _place(county, values, problems, bad)
    status = Status.PLANNED if values.get("status") == "planned" else Status.HELD
    if values.get("status") not in (None, "planned", "held"):
        status = _gather(problems, names.status, values["status"]) or Status.HELD  # type: ignore[assignment]
    span = None
    if values.get("date"):
        span = _gather(problems, parse_span, values["date"], values.get("end"), county.timezone)
        future = _not_yet(span, status, values["date"], today)
        problems += [future] if future is not None else []
    details = _details(county, kind, values, problems, base={})
    measures = _measures(kind, values, problems, base=NO_COUNTS, status=status)
    if problems:
        raise InvalidInput(problems)
    assert isinstance(span, Span)
    assert details is not None
    assert measures is not None
    return Event(
        details=details,
        title=(values.get("title") or "").strip(),
        span=span,
        township=township,
        dept=dept,
        village=village,
        status=status,
        measures=measures,
        note=(values.get("note") or "").strip(),
    )


def revise(
    county: County,
    event: Event,
    values: Mapping[str, str | None],
    *,
    today: pendulum.Date | None = None,
) -> Event:
    """``event`` with the given raw fields changed (``None`` = leave as is); all problems together.
    With ``today``, moving a held record (or marking one held) to a day after it is refused."""
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise InvalidInput.one(
            "changes", None, "至少要给出一个要修改的字段,如 --title、--participants"
        )
    problems: list[Problem] = []
    bad = _unsafe(given, problems)
    given = {k: v for k, v in given.items() if k not in bad}
    changes: dict[str, object] = {}
    if "title" in given:
        changes["title"] = given["title"].strip()
    if "note" in given:
        changes["note"] = given["note"].strip()
    if "date" in given or "end" in given:
        span = _gather(
            problems, moved_span, event.span, given.get("date"), given.get("end"), county.timezone
        )
        if span is not None:
            changes["span"] = span
    if {"township", "dept", "village"} & set(given):
        changes.update(_moved_place(county, event, given, problems))
    if "status" in given:
        status = _gather(problems, names.status, given["status"])
        if isinstance(status, Status) and status is not event.status:
            if status not in STATUS_MOVES[event.status]:
                moves = "、".join(s.label for s in STATUS_MOVES[event.status])
                expected = (
                    f"从“{event.status.label}”只能改为:{moves}"
                    if moves
                    else f"“{event.status.label}”的记录不能再改状态;如有误请作废(pufa void)"
                )
                problems.append(Problem("status", given["status"], expected))
            else:
                changes["status"] = status
    base_details = attrs.asdict(event.details, recurse=False)
    details = _details(county, event.kind, given, problems, base=base_details)
    measures = _measures(
        event.kind,
        given,
        problems,
        base=event.measures,
        status=changes.get("status", event.status),  # type: ignore[arg-type]
    )
    if "span" in changes or "status" in changes:
        future = _moved_ahead(event, changes, given.get("date"), today)
        problems += [future] if future is not None else []
    if problems:
        raise InvalidInput(problems)
    return attrs.evolve(event, details=details, measures=measures, **changes)  # type: ignore[arg-type]


def owner_example(county: County) -> str:
    """``--township 禾丰乡 或 --dept 县司法局``, from the county at hand (:func:`names.example_township`,
    :func:`names.example_dept`)."""
    township, dept = names.example_township(county), names.example_dept(county)
    parts = [f"--township {township[0]}"] if township else []
    parts += [f"--dept {dept.name}"] if dept else []
    return " 或 ".join(parts) or "--township 或 --dept"


def _place(
    county: County, values: Mapping[str, str | None], problems: list[Problem], bad: set[str]
) -> tuple[str | None, str | None, str | None]:
    """Township, department and 村(居) of a new record: a village alone implies its township."""
    text = (values.get("village") or "").strip()
    if text and not values.get("township") and not values.get("dept"):
        hit = _gather(problems, names.village, county, text)
        return (hit[0].code, None, hit[1].code) if isinstance(hit, tuple) else (None, None, None)
    township, dept = _owner(county, values, problems, required=not {"township", "dept"} & bad)
    return township, dept, _gather(problems, names.village_code, county, text, township, dept)  # type: ignore[return-value]


def _moved_place(
    county: County, event: Event, given: Mapping[str, str], problems: list[Problem]
) -> dict[str, object]:
    """Owner and 村(居) of an edit: ``--village ""`` clears it; a new township drops one not in it."""
    changes: dict[str, object] = {"township": event.township, "dept": event.dept}
    if "township" in given or "dept" in given:
        changes["township"], changes["dept"] = _owner(county, given, problems, required=True)
    village, town = event.village, changes["township"]
    if "village" in given:
        village = _gather(
            problems, names.village_code, county, given["village"], town, changes["dept"]
        )  # type: ignore[assignment]
    elif village is not None and not village.startswith(str(town)):
        village = None
    return {**changes, "village": village}


def _owner(
    county: County, values: Mapping[str, str | None], problems: list[Problem], *, required: bool
) -> tuple[str | None, str | None]:
    township_text, dept_text = values.get("township"), values.get("dept")
    if township_text and dept_text:
        problems.append(Problem("owner", f"{township_text} / {dept_text}", "只能填其一"))
        return None, None
    if township_text:
        township = _gather(problems, names.township, county, township_text)
        return (getattr(township, "code", None), None)
    if dept_text:
        dept = _gather(problems, names.department, county, dept_text)
        return (None, getattr(dept, "slug", None))
    if required:
        problems.append(
            Problem(
                "owner",
                None,
                f"必须填其一,如 {owner_example(county)}",
            )
        )
    return None, None


def _details(
    county: County,
    kind: Kind,
    values: Mapping[str, str | None],
    problems: list[Problem],
    *,
    base: Mapping[str, Any],
) -> Details | None:
    spec = SPECS[kind]
    fields: dict[str, Any] = dict(base)
    for name in DETAIL_FIELDS:
        text = values.get(name)
        if text is None:
            continue
        if name not in spec.fields:
            takes = "、".join(f"--{f}" for f in spec.fields)
            own = f"它的专有字段为 {takes}" if takes else "它没有专有字段"
            problems.append(
                Problem(
                    name,
                    text,
                    f"{kind.label}没有此项;{own}",
                )
            )
            continue
        if name == "venue":
            fields[name] = _gather(problems, names.venue, county, kind, text)
        elif name == "mode":
            fields[name] = _gather(problems, names.mode, text)
        else:
            fields[name] = text.strip()
    missing = [f for f in spec.required_fields if not fields.get(f)]
    for name in missing:
        if values.get(name) is None:  # a bad value was reported already
            problems.append(Problem(name, None, f"必填({kind.label})"))
    if any(fields.get(f) is None and f in spec.required_fields for f in spec.fields):
        return None
    try:
        return spec.details(
            **{k: v for k, v in fields.items() if k in spec.fields and v is not None}
        )
    except InvalidInput as exc:
        problems.extend(exc.problems)
        return None


def _measures(
    kind: Kind,
    values: Mapping[str, str | None],
    problems: list[Problem],
    *,
    base: Measures,
    status: Status,
) -> Measures | None:
    counts: dict[str, int] = {}
    for measure, name in MEASURE_NAMES:
        text = values.get(name)
        if text is None:
            continue
        count = _gather(problems, parse_count, measure, text)
        if isinstance(count, int):
            counts[name] = count
    try:
        if not counts:
            measures = base
        elif base is NO_COUNTS:  # a new record (every import row): no need for evolve's copy
            measures = Measures(**counts)
        else:
            measures = attrs.evolve(base, **counts)
    except InvalidInput as exc:
        problems.extend(exc.problems)
        return None
    if problems:  # no Event will be built to check them: report the count rules here, with the rest
        problems.extend(measure_problems(SPECS[kind], measures, status))
    return measures
