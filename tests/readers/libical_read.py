"""Read iCalendar files with libical (Evolution's parser) through PyGObject (libical-glib); print JSON.

Run by tests/test_readers.py with the system Python (Debian: gir1.2-ical-3.0, python3-gi):
``python3 libical_read.py FILE...`` prints ``{file name: [{uid, summary, status, start, end}]}``,
times in UTC as ``YYYY-MM-DDTHH:MM:SSZ`` and dates as ``YYYY-MM-DD``; ``end`` is null without DTEND.
"""

import json
import sys
from pathlib import Path

import gi

gi.require_version("ICalGLib", "3.0")
from gi.repository import ICalGLib as ICal  # noqa: E402

UTC = ICal.Timezone.get_utc_timezone()


def shown(value):
    if value is None or value.is_null_time():
        return None
    if value.is_date():
        return f"{value.get_year():04}-{value.get_month():02}-{value.get_day():02}"
    value = value.clone()
    value.convert_to_zone_inplace(UTC)
    return (
        f"{value.get_year():04}-{value.get_month():02}-{value.get_day():02}T"
        f"{value.get_hour():02}:{value.get_minute():02}:{value.get_second():02}Z"
    )


def events(path):
    calendar = ICal.Component.new_from_string(path.read_text(encoding="utf-8"))
    if calendar is None:
        raise SystemExit(f"libical could not parse {path}")
    found = []
    item = calendar.get_first_component(ICal.ComponentKind.VEVENT_COMPONENT)
    while item is not None:
        has_end = item.get_first_property(ICal.PropertyKind.DTEND_PROPERTY) is not None
        found.append(
            {
                "uid": item.get_uid(),
                "summary": item.get_summary(),
                "status": ICal.Property.status_to_string(item.get_status()),
                "start": shown(item.get_dtstart()),
                "end": shown(item.get_dtend()) if has_end else None,
            }
        )
        item = calendar.get_next_component(ICal.ComponentKind.VEVENT_COMPONENT)
    return found


print(json.dumps({Path(p).name: events(Path(p)) for p in sys.argv[1:]}, ensure_ascii=False))
