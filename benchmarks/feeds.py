"""How long does publishing every township's feed take, for a county-year of planned records?

Fills a workspace with ~5,000 planned records (the 2024 plan applied, then the same items repeated
until the count is reached), then measures in this process, alternately and several times:

  baseline   serialising every event once with icalendar (one VEVENT each, to bytes);
  publish    `ical.publish` into an empty folder: the county feed, 18 township feeds, index.html;
  unchanged  `ical.publish` again with nothing changed (the fast path);
  one change `ical.publish` after one record was edited (only that event is serialised, from the
             event cache beside the manifest; two files differ).

With ``--scale 10`` it then fills a second workspace with 10× the records and times one full
publish of it (the issue's 50,000 events, a province's year).

Prints medians and ratios. Goals (issues 4 and 15): publish ≤ 2× baseline (each event is
serialised once even though it is in two feeds); an unchanged re-publish ≤ 10% of a full publish;
a one-change re-publish ≤ 5% of a full publish; 10× the records in ≤ 10× the time.

    python benchmarks/feeds.py [--records 5000] [--runs 5] [--scale 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from pufa import ical, plans, records
from pufa import workspace as ws
from pufa.intake import Entry, build
from pufa.store import Query


def fill(workspace: ws.Workspace, size: int) -> None:
    """The 2024 plan's planned records, repeated on the same days until ``size`` records."""
    county = workspace.county()
    plan, calendar = workspace.root / "plan-2024.toml", plans.calendar_path(workspace)
    with workspace.open() as store:
        prepared = plans.prepare(county, store, plan, calendar)
        with store.transaction():
            stamp = ws.stamp("bench")
            slots = prepared.schedule.slots
            for n in range(size):
                slot = slots[n % len(slots)]
                store.add(build(county, Entry(slot.item.kind.slug, slot.values(county))), stamp)


def publish(workspace: ws.Workspace, out: Path) -> list[tuple[ical.Feed, bool]]:
    """`pufa feeds publish` without the CLI: the county, an open store, ``ical.publish`` with the
    publishing time (as the CLI gives it: the page then reads only the planned records)."""
    county = workspace.county()
    with workspace.open() as store:
        return ical.publish(county, store, out, now=ws.now())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scale", type=int, default=0, help="also publish N× the records once")
    args = parser.parse_args()
    os.environ.setdefault("PUFA_NOW", "2024-01-10T10:00:00+08:00")
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as tmp:
        workspace = ws.init(Path(tmp) / "w")
        started = time.perf_counter()
        fill(workspace, args.records)
        print(
            f"{args.records:,} planned records (filled in {time.perf_counter() - started:.1f} s), {args.runs} runs"
        )
        county = workspace.county()
        with workspace.open() as store:
            events = store.events(Query(include_voided=True))
        out = Path(tmp) / "feeds"
        times: dict[str, list[float]] = {
            "baseline": [],
            "publish": [],
            "unchanged": [],
            "one change": [],
        }
        for run in range(args.runs):
            start = time.perf_counter()
            for event in events:
                ical.vevent(county, event, store_id="0" * 32).to_ical()
            times["baseline"].append(time.perf_counter() - start)

            shutil.rmtree(out, ignore_errors=True)
            start = time.perf_counter()
            publish(workspace, out)
            times["publish"].append(time.perf_counter() - start)

            start = time.perf_counter()
            assert publish(workspace, out) == []
            times["unchanged"].append(time.perf_counter() - start)

            with workspace.open() as store:
                records.edit(
                    store, county, 1, {"title": f"基准修改 {run}"}, "基准", ws.stamp("bench")
                )
            start = time.perf_counter()
            changed = publish(workspace, out)
            times["one change"].append(time.perf_counter() - start)
            assert sum(1 for _, did in changed if did) == 2  # the county feed and one township's
    median = {name: statistics.median(values) for name, values in times.items()}
    for name, value in median.items():
        print(f"  {name:10} median {value * 1000:8.1f} ms")
    print(f"publish / baseline   = {median['publish'] / median['baseline']:.2f}x   (goal <= 2x)")
    print(
        f"unchanged / publish  = {100 * median['unchanged'] / median['publish']:.1f}%   (goal <= 10%)"
    )
    print(
        f"one change / publish = {100 * median['one change'] / median['publish']:.1f}%   (goal <= 5%)"
    )
    if args.scale:
        big = scaled(args.records * args.scale)
        print(
            f"{args.records * args.scale:,} records: publish {big * 1000:.1f} ms = "
            f"{big / median['publish']:.1f}x the {args.records:,}-record publish "
            f"(goal <= {args.scale}x)"
        )


def scaled(size: int) -> float:
    """Seconds for one full publish of a fresh workspace holding ``size`` records."""
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as tmp:
        workspace = ws.init(Path(tmp) / "w")
        fill(workspace, size)
        start = time.perf_counter()
        publish(workspace, Path(tmp) / "feeds")
        return time.perf_counter() - start


if __name__ == "__main__":
    main()
