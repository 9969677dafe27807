"""How much more does the dashboard cost than `pufa summary --json` for the same year?

Builds the demo workspace (pufa.demo) in a temporary folder — or, with --size N, a workspace of N
records of 2023 (benchmarks/summary.py's fill) — and times, alternately, in this process, on one
open store:

  summary    what `pufa summary --year Y --json` does after opening the store: read the goals,
             `yearly.load_year`, `jsonout.summary_json`, `json.dumps`;
  dashboard  `overview.load_dashboard` for the same year: the same tally, plus the month bars and
             the township × indicator heat map (`pufa.dashboard`);
  page       the dashboard and its partial `_dashboard.html` rendered (charts from pufa/web/charts.py),
             what the web route adds to it before the response.

Prints the medians and the ratio dashboard / summary. Goal (issue 16): ≤ 1.5 (the web benchmark's
dashboard p95 is held to 1.5× this summary time).

    python benchmarks/dashboard.py [--runs 31] [--year 2023] [--size N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import jinja2

from pufa import demo, jsonout, overview, yearly
from pufa import workspace as ws
from pufa.model import County
from pufa.store import Store
from pufa.web import charts

PARTIAL = jinja2.Environment(loader=jinja2.PackageLoader("pufa.web"), autoescape=True).get_template(
    "_dashboard.html"
)


def summary_work(workspace: ws.Workspace, county: County, store: Store, year: int) -> str:
    """`pufa summary --year Y --json`'s work on an open store."""
    goals = yearly.read_goals(workspace, county, year)
    data = yearly.load_year(county, store, goals)
    return json.dumps(jsonout.summary_json(data.summary), ensure_ascii=False)


def made(root: Path, size: int | None) -> ws.Workspace:
    """The demo workspace, or one of ``size`` records of 2023."""
    if size is None:
        return demo.init(root / "demo")
    from summary import fill  # benchmarks/summary.py

    workspace = ws.init(root / "w")
    fill(workspace, size)
    return workspace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument(
        "--size", type=int, default=None, help="records of 2023 instead of the demo"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pufa-bench-") as folder:
        workspace = made(Path(folder), args.size)
        county = workspace.county()
        with workspace.open() as store:
            summary_work(workspace, county, store, args.year)  # warm caches once
            overview.load_dashboard(workspace, county, store, args.year)
            summaries, dashboards, pages = [], [], []
            for _ in range(args.runs):
                start = time.perf_counter()
                summary_work(workspace, county, store, args.year)
                summaries.append(time.perf_counter() - start)
                start = time.perf_counter()
                overview.load_dashboard(workspace, county, store, args.year)
                dashboards.append(time.perf_counter() - start)
                start = time.perf_counter()
                found = overview.load_dashboard(workspace, county, store, args.year)
                PARTIAL.render(dashboard=found, charts=charts)
                pages.append(time.perf_counter() - start)
    summary, dashboard = statistics.median(summaries), statistics.median(dashboards)
    page = statistics.median(pages)
    what = "demo workspace" if args.size is None else f"{args.size:,} records"
    print(f"{what}, {args.year}, median of {args.runs} runs (SQLite, one open store)")
    print(f"  summary --json work  {summary * 1000:8.1f} ms")
    print(f"  load_dashboard       {dashboard * 1000:8.1f} ms")
    print(f"  + _dashboard.html    {page * 1000:8.1f} ms")
    print(f"  dashboard / summary  {dashboard / summary:8.2f}  (goal ≤ 1.5)")
    print(f"  page / summary       {page / summary:8.2f}")


if __name__ == "__main__":
    main()
