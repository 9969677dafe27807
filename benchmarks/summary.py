"""How fast is `pufa summary`, for a county-year and for a province-scale store?

Fills a workspace with N records of one year (default: 5,000, a county-year, and 200,000, a
province-scale deployment), then times, alternately and several times:

  summary  `pufa summary --year 2023 --json` — the whole command, interpreter start-up included;
  floor    the same aggregates issued directly through the driver in this process (the cube
           GROUP BY query and the distinct-lecturer query that `summary` runs);

and prints medians, the ratio summary / floor, and the summary's peak memory (max RSS).
Goals (issue 3): county-year summary ≤ 0.5 s; 200,000 records ≤ 1.5 s and ≤ 3× the floor;
peak memory ≤ 150 MiB. With --engine postgresql (or both) the store is a fresh PostgreSQL
database (PUFA_BENCH_PG_URL's server, or a throwaway one) and the floor uses psycopg (issue 6).

    python benchmarks/summary.py [--sizes 5000,200000] [--runs 5] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cli_latency import postgres_database, pufa_command

from pufa import sample
from pufa import workspace as ws
from pufa.intake import build
from pufa.store.aggregates import CUBE_DIMENSIONS, MEASURE_COLUMNS
from pufa.store.rows import stamp_text, to_columns

AS_OF = "2023-12-31"


def fill(workspace: ws.Workspace, size: int) -> None:
    """``size`` records of 2023: the sample county-year's records, repeated with shifted days."""
    county = workspace.county()
    templates = [to_columns(build(county, entry)) for entry in sample.year_2023(county)]
    at = stamp_text(ws.now())
    with workspace.open() as store, store.transaction():
        for start in range(0, size, 5000):
            events, revisions = [], []
            for n in range(start, min(size, start + 5000)):
                row = dict(templates[n % len(templates)])
                row.update(id=n + 1, revision=1, created_at=at, created_by="bench", updated_at=at,
                           updated_by="bench", voided_reason=None, voided_at=None, voided_by=None)  # fmt: skip
                row["source"] = None
                events.append(row)
                revisions.append({"id": n + 1, "event_id": n + 1, "seq": 1, "action": "create",
                                  "changed_at": at, "changed_by": "bench", "reason": None, "changes": "[]"})  # fmt: skip
            store.put_rows("events", events)
            store.put_rows("revisions", revisions)
        store.after_copy()


def floor_query(location: str | Path) -> Any:
    """The aggregates `pufa summary` needs, issued directly through the driver."""
    sums = ", ".join(f"SUM({m})" for m in MEASURE_COLUMNS)
    dims = ", ".join(CUBE_DIMENSIONS)
    where = "year = 2023 AND voided_reason IS NULL AND status <> 'cancelled'"
    cube = (
        f"SELECT {dims}, substr(day, 6, 2), CASE WHEN day <= '{AS_OF}' THEN 1 ELSE 0 END, COUNT(*), {sums} "
        f"FROM events WHERE {where} GROUP BY {', '.join(str(i) for i in range(1, len(CUBE_DIMENSIONS) + 3))}"
    )
    distinct = (
        f"SELECT DISTINCT {dims}, substr(day, 6, 2), CASE WHEN day <= '{AS_OF}' THEN 1 ELSE 0 END, lecturer "
        f"FROM events WHERE {where} AND lecturer IS NOT NULL"
    )
    if str(location).startswith("postgresql://"):
        import psycopg

        with psycopg.connect(str(location)) as conn:
            return conn.execute(cube).fetchall(), conn.execute(distinct).fetchall()
    import sqlite3

    conn = sqlite3.connect(location)
    try:
        return conn.execute(cube).fetchall(), conn.execute(distinct).fetchall()
    finally:
        conn.close()


def measure(engine: str, size: int, runs: int) -> None:
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pufa-bench-")))
        db = stack.enter_context(postgres_database()) if engine == "postgresql" else None
        workspace = ws.init(root / "w", db=db)
        started = time.perf_counter()
        fill(workspace, size)
        filled = time.perf_counter() - started
        command = [
            *pufa_command(),
            "-w",
            str(workspace.root),
            "summary",
            "--year",
            "2023",
            "--json",
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)  # warm caches once
        floor_query(workspace.location)
        summaries, floors = [], []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            summaries.append(time.perf_counter() - start)
            start = time.perf_counter()
            floor_query(workspace.location)
            floors.append(time.perf_counter() - start)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB → MiB (Linux)
    summary, floor = statistics.median(summaries), statistics.median(floors)
    print(f"[{engine}] {size:,} records (filled in {filled:.1f} s), {runs} runs")
    print(f"  summary median {summary * 1000:8.1f} ms   (whole command, start-up included)")
    print(f"  floor   median {floor * 1000:8.1f} ms   (the same aggregates, directly)")
    print(
        f"  summary / floor = {summary / floor:.2f}x;  peak memory of the children so far ≤ {peak:.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,200000", help="store sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    os.environ.setdefault("PUFA_NOW", "2024-02-28T10:00:00+08:00")
    for engine in ("sqlite", "postgresql") if args.engine == "both" else (args.engine,):
        for size in (int(s) for s in args.sizes.split(",")):
            measure(engine, size, args.runs)


if __name__ == "__main__":
    main()
