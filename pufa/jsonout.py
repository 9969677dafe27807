"""Model → plain JSON-ready dicts: the stable schema of every ``--json`` output.

Keys are English and fixed; each coded value comes with its Chinese label. Changing a key is a
breaking change (docs/cli.md lists the schema).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pufa import amounts, vocab
from pufa.display import detail_text, owner_name, village_name
from pufa.event import SPECS, Event, Revision, Stamp
from pufa.model import County, Kind, Labelled, Mode, Township, iso

if TYPE_CHECKING:  # the summary's classes load only with `pufa summary`, not on `pufa log`
    from collections.abc import Sequence

    from pufa.programme import Change, PeriodSummary
    from pufa.tally import Summary


def _stamp(stamp: Stamp | None) -> dict[str, str] | None:
    if stamp is None:
        return None
    return {"at": stamp.at.in_timezone("UTC").isoformat(), "by": stamp.by}


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
        "village": village_json(county, event.village),
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


def village_json(county: County, code: str | None) -> dict[str, str] | None:
    """A record's 村(居): its code and official name, or None."""
    return None if code is None else {"code": code, "name": village_name(county, code)}


def places_json(townships: Sequence[Township]) -> list[dict[str, Any]]:
    """Townships and their 村(居) (``pufa places --json``)."""
    return [
        {
            "code": t.code,
            "name": t.name,
            "short_name": t.short_name,
            "villages": [
                {"code": v.code, "name": v.name, "short_name": v.short_name} for v in t.villages
            ],
        }
        for t in townships
    ]


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


def summary_json(summary: Summary) -> dict[str, Any]:
    """A year's tally in the stable ``summary --json`` schema."""
    return {
        "year": summary.year,
        "as_of": summary.as_of.isoformat(),
        "township": summary.township,
        "targets_file": summary.targets_path or None,
        "hint": summary.hint or None,
        "rows": [
            {
                "indicator": row.indicator.key,
                "name": row.indicator.name,
                "count": row.indicator.count.slug,
                "unit": row.unit,
                "held": amounts.json_value(row.held),
                "planned": amounts.json_value(row.planned),
                "target": None
                if row.target is None
                else {
                    "figure": row.target.figure.text,
                    "threshold": amounts.json_value(row.threshold),
                    "comparator": row.target.comparator.slug,
                    "quote": row.target.quote,
                    "confirmed": row.target.confirmed,
                },
                "percent": amounts.json_value(row.percent),
                "remaining": amounts.json_value(row.remaining),
                "profile": row.profile.key,
                "share": amounts.json_value(row.share),
                "expected": amounts.json_value(row.expected),
                "status": row.pace.value,
                "status_label": row.pace.label,
                "projection": amounts.json_value(row.projection),
            }
            for row in summary.rows
        ],
        "untracked": [
            {"name": u.name, "figure": u.figure, "unit": u.unit, "quote": u.quote, "why": u.why}
            for u in summary.untracked
        ],
    }


def period_json(summary: PeriodSummary) -> dict[str, Any]:
    """A period's tally in the stable ``summary --period --json`` schema."""
    return {
        "period": f"{summary.first}-{summary.last}",
        "name": summary.name,
        "as_of": summary.as_of.isoformat(),
        "programme_file": summary.programme_path or None,
        "hint": summary.hint or None,
        "rows": [
            {
                "indicator": row.indicator.key,
                "name": row.indicator.name,
                "unit": row.indicator.unit,
                "years": {
                    str(y): amounts.json_value(v)
                    for y, v in zip(row.years, row.values, strict=True)
                },
                "total": amounts.json_value(row.total),
                "target": None
                if row.target is None
                else {
                    "shape": row.target.shape.slug,
                    "shape_label": row.target.shape.label,
                    "figure": row.target.figure.text,
                    "threshold": amounts.json_value(row.target.figure.threshold),
                    "quote": row.target.quote,
                    "section": row.target.section,
                    "confirmed": row.target.confirmed,
                    "assumed": row.target.assumed,
                },
                "share": amounts.json_value(row.share),
                "status": row.pace.slug,
                "status_label": row.pace.label,
                "short_years": list(row.short_years),
            }
            for row in summary.rows
        ],
    }


def compare_json(year: int, base: int, changes: Sequence[Change]) -> dict[str, Any]:
    """Year over year in the stable ``summary --compare --json`` schema."""
    return {
        "year": year,
        "compare": base,
        "rows": [
            {
                "indicator": c.indicator.key,
                "name": c.indicator.name,
                "unit": c.indicator.unit,
                "base": amounts.json_value(c.base),
                "value": amounts.json_value(c.value),
                "change": amounts.json_value(c.delta),
                "percent": None if c.percent is None else round(c.percent, 1),
            }
            for c in changes
        ],
    }
