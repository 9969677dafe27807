"""Plain-text output for the hot write path (``pufa log``): no rich, so start-up stays fast."""

from __future__ import annotations

import json

from pufa import vocab
from pufa.display import detail_text, owner_name, village_name
from pufa.event import Event
from pufa.model import County, Measure
from pufa.text import visible


def event_lines(county: County, event: Event) -> list[str]:
    """A stored record as labelled lines, Chinese labels, one field per line; control characters
    that older data may hold are shown escaped (``\x1b``), never sent to the terminal."""
    spec = event.spec
    head = f"#{event.id}  {event.kind.label}  [{event.status.label}]"
    if event.voided is not None:
        head += f"  [已作废:{visible(event.voided.reason)}]"
    lines = [
        head,
        f"  标题:{visible(event.title)}",
        f"  时间:{event.span.text()}",
        f"  {'乡镇' if event.township else '部门'}:{owner_name(county, event)}",
    ]
    if event.village is not None:
        lines.append(f"  {vocab.label('village')}:{village_name(county, event.village)}")
    for name in spec.fields:
        text = detail_text(county, event, name)
        if text is not None:
            lines.append(f"  {vocab.label(name)}:{visible(text)}")
    for measure, value in shown_measures(event).items():
        lines.append(f"  {spec.label(measure)}:{value} {spec.unit(measure)}")
    if event.note:
        lines.append(f"  备注:{visible(event.note, multiline=True)}")
    return lines


def shown_measures(event: Event) -> dict[Measure, int]:
    """The counts worth showing: all given, but 场次 only where the kind counts 场次."""
    return {
        m: v
        for m, v in event.measures.given().items()
        if m is not Measure.SESSIONS or m in event.spec.measures
    }


def dumps(data: object) -> str:
    """JSON as every ``--json`` prints it: UTF-8 text, CJK unescaped, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2)
