// Read iCalendar files with ical.js (Thunderbird's parser); print JSON like libical_read.py:
// `node icaljs_read.mjs FILE...` prints {file name: [{uid, summary, status, start, end}]}, times in
// UTC as YYYY-MM-DDTHH:MM:SSZ and dates as YYYY-MM-DD; end is null without DTEND.
// Run by tests/test_readers.py; ical.js comes from `npm install --prefix tests/readers ical.js`.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import ICAL from "ical.js";

const pad = (n, width = 2) => String(n).padStart(width, "0");

function shown(time) {
  if (time === null || time === undefined) return null;
  const day = `${pad(time.year, 4)}-${pad(time.month)}-${pad(time.day)}`;
  if (time.isDate) return day;
  const utc = time.convertToZone(ICAL.Timezone.utcTimezone);
  return `${pad(utc.year, 4)}-${pad(utc.month)}-${pad(utc.day)}T${pad(utc.hour)}:${pad(utc.minute)}:${pad(utc.second)}Z`;
}

function events(path) {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(path, "utf8")));
  for (const zone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(zone);
  }
  return calendar.getAllSubcomponents("vevent").map((item) => ({
    uid: item.getFirstPropertyValue("uid"),
    summary: item.getFirstPropertyValue("summary"),
    status: item.getFirstPropertyValue("status"),
    start: shown(item.getFirstPropertyValue("dtstart")),
    end: item.hasProperty("dtend") ? shown(item.getFirstPropertyValue("dtend")) : null,
  }));
}

const out = {};
for (const path of process.argv.slice(2)) out[basename(path)] = events(path);
process.stdout.write(JSON.stringify(out));
