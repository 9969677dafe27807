"""Model → plain JSON-ready dicts: the stable schema of every ``--json`` output.

Keys are English and fixed; each coded value comes with its Chinese label. Changing a key is a
breaking change (docs/cli.md lists the schema).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pufa import vocab
from pufa.event import SPECS, Event, Revision, Stamp
from pufa.model import County, Kind, Labelled, Mode, Status, iso

if TYPE_CHECKING:  # the summary's classes load only with `pufa summary`, not on `pufa log`
    from pufa.tally import Summary
    from pufa.targets import Figure


def _stamp(stamp: Stamp | None) -> dict[str, str] | None:
    if stamp is None:
        return None
    return {"at": stamp.at.in_timezone("UTC").isoformat(), "by": stamp.by}


def owner_name(county: County, event: Event) -> str:
    """The township's official name or the department's name."""
    if event.township is not None:
        try:
            return county.township(event.township).name
        except KeyError:
            return event.township
    assert event.dept is not None
    try:
        return county.department(event.dept).name
    except KeyError:
        return event.dept


def value_text(county: County, field: str, value: str | int | None) -> str:
    """A stored field value as a user reads it: codes and slugs become names and labels."""
    if value is None or value == "":
        return "(空)"
    text = str(value)
    if field in ("start", "end") and "T" in text:  # a stored time, shown as the list shows it
        return text[:16].replace("T", " ")
    lookups = {
        "township": lambda: county.township(text).name,
        "dept": lambda: county.department(text).name,
        "venue": lambda: county.venue(text).name,
        "kind": lambda: Kind(text).label,
        "status": lambda: Status(text).label,
        "mode": lambda: Mode(text).label,
    }
    if field in lookups:
        try:
            return lookups[field]()
        except (KeyError, ValueError):
            return text
    return text


def detail_text(county: County, event: Event, name: str) -> str | None:
    """A kind-specific field as a user reads it (venue slug → 学校, mode → 线下定向)."""
    value = getattr(event.details, name, None)
    if value is None:
        return None
    if isinstance(value, Labelled):
        return value.label
    if name == "venue":
        try:
            return county.venue(value).name
        except KeyError:
            return str(value)
    return str(value)


def event_json(county: County, event: Event) -> dict[str, Any]:
    """One record in the stable ``--json`` schema."""
    spec = event.spec
    fields: dict[str, Any] = {}
    for name in spec.fields:
        value = getattr(event.details, name)
        fields[name] = value.slug if isinstance(value, Labelled) else value
        fields[f"{name}_label"] = detail_text(county, event, name)
    return {
        "id": event.id,
        "kind": event.kind.slug,
        "kind_label": event.kind.label,
        "title": event.title,
        "start": iso(event.span.start),
        "end": iso(event.span.end),
        "all_day": event.span.all_day,
        "township": event.township,
        "dept": event.dept,
        "owner_label": owner_name(county, event),
        "status": event.status.slug,
        "status_label": event.status.label,
        "fields": fields,
        "measures": {m.slug: v for m, v in event.measures.given().items()},
        "note": event.note,
        "source": event.source,
        "revision": event.revision,
        "created": _stamp(event.created),
        "updated": _stamp(event.updated),
        "voided": (
            None
            if event.voided is None
            else {"reason": event.voided.reason, **(_stamp(event.voided.stamp) or {})}
        ),
    }


def revision_json(revision: Revision) -> dict[str, Any]:
    return {
        "event_id": revision.event_id,
        "seq": revision.seq,
        "action": revision.action.slug,
        "action_label": revision.action.label,
        "at": revision.stamp.at.in_timezone("UTC").isoformat(),
        "by": revision.stamp.by,
        "reason": revision.reason,
        "changes": [
            {
                "field": c.field,
                "label": vocab.label(c.field),
                "old": c.old,
                "new": c.new,
            }
            for c in revision.changes
        ],
    }


def kinds_json(county: County) -> list[dict[str, Any]]:
    """Each kind with its fields (and, for venue, the county's choices) and measures with units."""
    out = []
    for kind in Kind:
        spec = SPECS[kind]
        fields = []
        for name in spec.fields:
            entry: dict[str, Any] = {
                "name": name,
                "label": vocab.label(name),
                "required": name in spec.required_fields,
            }
            if name == "venue":
                entry["choices"] = [v.name for v in county.venues_for(kind)]
            if name == "mode":
                entry["choices"] = [m.label for m in Mode]
            fields.append(entry)
        out.append(
            {
                "kind": kind.slug,
                "label": kind.label,
                "fields": fields,
                "measures": [
                    {
                        "name": m.slug,
                        "label": spec.label(m),
                        "unit": spec.unit(m),
                        "required_when_held": m in spec.required_when_held,
                    }
                    for m in spec.measures
                ],
            }
        )
    return out


def _number(value: float | None) -> float | int | None:
    if value is None or value != value:  # None, or NaN (a rate with no data yet)
        return None
    return int(value) if float(value).is_integer() else round(value, 2)


def summary_json(summary: Summary) -> dict[str, Any]:
    """A year's tally in the stable ``summary --json`` schema."""
    return {
        "year": summary.year,
        "as_of": summary.as_of.isoformat(),
        "township": summary.township,
        "targets_file": summary.targets_path,
        "rows": [
            {
                "indicator": row.indicator.key,
                "name": row.indicator.name,
                "count": row.indicator.count.slug,
                "unit": row.target.unit,
                "held": _number(row.held),
                "planned": _number(row.planned),
                "target": {
                    "figure": row.target.figure.text,
                    "threshold": _number(row.threshold),
                    "comparator": row.target.comparator.slug,
                    "quote": row.target.quote,
                },
                "percent": _number(row.percent),
                "remaining": _number(row.remaining),
                "profile": row.profile.key,
                "share": _number(row.share),
                "expected": _number(row.expected),
                "status": row.pace.value,
                "status_label": row.pace.label,
                "projection": _number(row.projection),
            }
            for row in summary.rows
        ],
        "untracked": [
            {"name": u.name, "figure": u.figure, "unit": u.unit, "quote": u.quote, "why": u.why}
            for u in summary.untracked
        ],
    }


def figure_text(figure: Figure, unit: str) -> str:
    """A figure with its unit as Chinese writes it: 113场次, 11万余份, 5名以上, 100%."""
    if figure.percent:
        return figure.text
    return f"{figure.number_text}{unit}{'以上' if figure.qualifier == '以上' else ''}"


SUMMARY_COLUMNS = (
    "指标",
    "已完成",
    "另有计划",
    "目标",
    "完成率%",
    "尚差",
    "应完成",
    "状态",
    "年末预计",
    "进度曲线",
)


def summary_rows(summary: Summary) -> list[list[str]]:
    """The summary as text cells (CSV and plain output), one row per target."""

    def show(value: float | None) -> str:
        number = _number(value)  # None and NaN (no data) show as empty
        return "" if number is None else str(number)

    return [
        [
            row.indicator.name,
            show(row.held),
            show(row.planned),
            figure_text(row.target.figure, row.target.unit),
            show(round(row.percent, 1) if row.percent == row.percent else None),
            show(row.remaining),
            show(round(row.expected, 1)),
            row.pace.label,
            show(None if row.projection is None else round(row.projection, 1)),
            row.profile.label,
        ]
        for row in summary.rows
    ]
