"""`pufa web` under load: 50 township clerks at once, on SQLite and on PostgreSQL.

For each engine: the demo workspace (pufa.demo) plus one township clerk account per simulated clerk
(spread over the county's townships), served by `pufa web`'s waitress (8 threads) on a free port
in this process. Each clerk is a thread with its own cookie jar (http.cookiejar + urllib, a new
connection per request, redirects not followed); all start together and each does, ``--rounds``
times: log in (GET + POST /login; the POST timed), open the home page (GET /), open the form
(GET /records/new), POST a record (303 expected), list (GET /records), open the dashboard
(GET /dashboard), pausing between clicks as a person does (``--think`` s on average, uniform in
[0, 2 × think], seeded by the clerk's name; 0 for a burst). Before the run the current year is
filled with the 【示例】 part-year log (``sample.part_year``), so the dashboard tallies a real year.
Pages this build does not have (404) are left out and said so. The clerks
wait for each other after logging in — 50 argon2 verifications (~0.3 s of CPU each, by design)
would otherwise queue every other request behind them; ``--mixed`` drops that pause.

Reports per request type p50/p95/p99, and per engine requests/s, errors (any other status or a
failed connection) and lost writes (records in the store with the run's titles vs POSTs answered
303). The dashboard is compared with the work `pufa summary --year Y --json` does, timed in this
process on the same store after the run (median of 21), and with the pages timed for one clerk
alone (median of 21 requests), which separates a page's own cost from queueing under load.

Goals (issue 16): 0 errors, 0 lost writes, record POST p95 ≤ 150 ms, dashboard p95 ≤ 1.5× summary.

    python benchmarks/web.py [--clerks 50] [--rounds 1] [--engines sqlite,postgresql]
                             [--pg-url URL] [--threads 8] [--mixed] [--think 1.0]
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

import pendulum

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from dashboard import summary_work  # noqa: E402  (benchmarks/dashboard.py)

from pufa import accounts, records, sample  # noqa: E402
from pufa import workspace as ws  # noqa: E402
from pufa.event import Stamp  # noqa: E402
from pufa.store import Query  # noqa: E402
from tests import pgserver  # noqa: E402
from tests.webserver import Client, demo_workspace, live_server  # noqa: E402

YEAR = 2026
TODAY = pendulum.datetime(2026, 11, 29, 10, 0, tz="Asia/Shanghai")
PASSWORD = "clerk-password-2026"
PREFIX = "【压测】"
#: the request types, in a clerk's order, with the status each must answer
EXPECTED = {"login": 302, "home": 200, "form": 200, "post": 303, "list": 200, "dashboard": 200}
#: the pages also timed with one clerk alone on the server
QUIET = {"home": "/", "list": "/records", "dashboard": "/dashboard"}
TOWNSHIP = re.compile(r'<select[^>]*name="township".*?</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"( selected)?')


class Tally:
    """Timings and failures of every request, from every clerk's thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.written = 0

    def time(self, kind: str, client: Client, path: str, form: dict[str, str] | None = None) -> str:
        """One request, timed; a wrong status or a failure is an error. Returns the body."""
        start = time.perf_counter()
        try:
            status, body, _ = client.request(path, form)
        except OSError as exc:
            status, body = 0, str(exc)
        took = time.perf_counter() - start
        with self.lock:
            self.times[kind].append(took)
            if status != EXPECTED[kind]:
                self.errors.append(f"{kind} {path}: {status} {body[:120]!r}")
            elif kind == "post":
                self.written += 1
        return body


def clerks(workspace: ws.Workspace, count: int) -> list[str]:
    """``count`` township clerk accounts, one township after another; their names."""
    county = workspace.county()
    stamp = Stamp(TODAY, "压测")
    names = []
    with workspace.open() as store, store.transaction():
        for n in range(count):
            township = county.townships[n % len(county.townships)].name
            name = f"压测文书{n + 1:02d}"
            accounts.add_user(store, county, (name, "township", township, None), PASSWORD, stamp)
            names.append(name)
    return names


def township_value(form_page: str) -> str:
    """The township the form offers the clerk (the selected option, else the first)."""
    found = TOWNSHIP.search(form_page)
    options = OPTION.findall(found.group(0)) if found else []
    chosen = [value for value, selected in options if selected] or [v for v, _ in options]
    return chosen[0] if chosen else ""


def clerk(
    base: str,
    name: str,
    pages: set[str],
    tally: Tally,
    go: threading.Barrier,
    args: argparse.Namespace,
) -> None:
    """One clerk: ``rounds`` × (log in, home, form, POST, list, dashboard)."""
    client = Client(base)
    pause = Pauses(name, args.think)
    go.wait()
    rounds, together = args.rounds, not args.mixed
    for n in range(rounds):
        _, login, _ = client.request("/login")
        form = {"name": name, "password": PASSWORD, "csrf_token": client.token(login)}
        tally.time("login", client, "/login", form)
        if together:
            go.wait()  # every clerk signed in: the pages are timed apart from the argon2 logins
        pause()
        tally.time("home", client, "/")
        if "form" not in pages:
            continue
        pause()
        page = tally.time("form", client, "/records/new")
        record = {"csrf_token": client.token(page), "kind": "lecture", "date": "2026-11-20",
                  "township": township_value(page), "title": f"{PREFIX}{name} 第{n + 1}次",
                  "lecture.participants": "40", "status": "held"}  # fmt: skip
        pause()
        tally.time("post", client, "/records/new", record)
        if "list" in pages:
            pause()
            tally.time("list", client, "/records")
        if "dashboard" in pages:
            pause()
            tally.time("dashboard", client, "/dashboard")


class Pauses:
    """A clerk's pauses between clicks (reading a page, filling the form): uniform in
    [0, 2 × ``mean``] seconds, seeded by the clerk's name, so a run is repeatable; none for 0."""

    def __init__(self, name: str, mean: float) -> None:
        self.random, self.mean = random.Random(name), mean

    def __call__(self) -> None:
        if self.mean > 0:
            time.sleep(self.random.uniform(0, 2 * self.mean))


def this_year(workspace: ws.Workspace) -> int:
    """Fill 2026 with the 【示例】 part-year log up to today (sample.part_year), as a county office
    late in the year has it: the 2026 dashboard and summary then tally ~900 records, not none."""
    county = workspace.county()
    stamp = Stamp(TODAY, "压测")
    entries = sample.part_year(county, YEAR, TODAY.date())
    with workspace.open() as store, store.transaction():
        for entry in entries:
            records.log(store, county, entry, stamp)
    return len(entries)


def present(base: str, name: str) -> set[str]:
    """Which of the pages this build serves (a 404 means not yet)."""
    client = Client(base)
    client.login(name, PASSWORD)
    found = {"login", "home"}
    for kind, path in (("form", "/records/new"), ("list", "/records"), ("dashboard", "/dashboard")):
        if client.request(path)[0] != 404:
            found.add(kind)
    if "form" in found:
        found.add("post")
    return found


def quiet(base: str, name: str, path: str, runs: int = 21) -> float:
    """The median time of ``path`` for one clerk alone on the server."""
    client = Client(base)
    client.login(name, PASSWORD)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        client.request(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def summary_time(workspace: ws.Workspace, runs: int = 21) -> float:
    """The median time of `pufa summary --year 2026 --json`'s work, in this process."""
    county = workspace.county()
    with workspace.open() as store:
        summary_work(workspace, county, store, YEAR)
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            summary_work(workspace, county, store, YEAR)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def percentile(times: list[float], share: float) -> float:
    """The ``share`` percentile (nearest rank) of ``times``, in ms."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000


def run(engine: str, workspace: ws.Workspace, args: argparse.Namespace) -> None:
    """Load the server of ``workspace`` and print the figures."""
    filled = this_year(workspace)
    names = clerks(workspace, args.clerks)
    tally = Tally()
    with live_server(workspace.root, threads=args.threads, now=lambda: TODAY) as base:
        pages = present(base, names[0])
        go = threading.Barrier(len(names))
        threads = [threading.Thread(target=clerk, args=(base, name, pages, tally, go, args))
                   for name in names]  # fmt: skip
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - start
        alone = {k: quiet(base, names[0], p) for k, p in QUIET.items() if k in pages}
    with workspace.open() as store:
        stored = sum(e.title.startswith(PREFIX) for e in store.events(Query(year=YEAR)))
    summary = summary_time(workspace)
    total = sum(len(t) for t in tally.times.values())
    print(
        f"\n{engine}: {len(names)} clerks × {args.rounds} round(s), waitress {args.threads} threads,"
        f" think time {args.think:g} s on average; {filled} 【示例】 records of {YEAR} beforehand"
    )
    print(f"  {'request':<10} {'n':>5} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
    for kind in EXPECTED:
        times = tally.times.get(kind)
        if not times:
            print(f"  {kind:<10}  (page not in this build)")
            continue
        p50, p95, p99 = (percentile(times, s) for s in (0.50, 0.95, 0.99))
        print(f"  {kind:<10} {len(times):>5} {p50:>9.1f} {p95:>9.1f} {p99:>9.1f}")
    print(f"  requests/s {total / wall:.1f} ({total} in {wall:.2f} s)")
    print(f"  errors {len(tally.errors)}" + "".join(f"\n    {e}" for e in tally.errors[:5]))
    print(f"  lost writes {tally.written - stored} (303 answers {tally.written}, stored {stored})")
    print(f"  summary --json work (in-process, median) {summary * 1000:.1f} ms")
    if tally.times.get("dashboard"):
        ratio = percentile(tally.times["dashboard"], 0.95) / (summary * 1000)
        print(f"  dashboard p95 / summary {ratio:.2f} (goal ≤ 1.5)")
    for kind, took in alone.items():
        print(
            f"  {kind} alone (one clerk, median) {took * 1000:.1f} ms = {took / summary:.2f}× summary"
        )
    post = tally.times.get("post")
    if post:
        print(f"  record POST p95 {percentile(post, 0.95):.1f} ms (goal ≤ 150)")


@contextmanager
def postgres(url: str | None) -> Iterator[str]:
    """A fresh database: in the server at ``url``, else in a throwaway server (tests/pgserver.py)."""
    with (
        nullcontext(url) if url else pgserver.server() as server,
        pgserver.database(server, "pufa_bench") as fresh,
    ):
        yield fresh


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (pufa web: 8)")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="a clerk's mean pause between clicks, s (0: every request at once)",
    )
    parser.add_argument(
        "--mixed", action="store_true", help="no pause after logging in: pages queue behind logins"
    )
    parser.add_argument(
        "--pg-url", default=None, help="a PostgreSQL server to use (its postgres db)"
    )
    args = parser.parse_args()
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth is N": expected
    os.environ["PUFA_NOW"] = TODAY.isoformat()  # the library's "today" for the held records' dates
    with tempfile.TemporaryDirectory(prefix="pufa-bench-web-") as folder:
        for engine in args.engines.split(","):
            root = Path(folder) / engine
            if engine == "sqlite":
                run(engine, demo_workspace(root), args)
            else:
                with postgres(args.pg_url) as url:
                    run(engine, demo_workspace(root, db=url), args)


if __name__ == "__main__":
    main()
