"""How long does `pufa log` take, relative to the imports it cannot avoid?

Runs three commands alternately, many times, in one process:

  log    `pufa log seven-into …` — one held event into an existing workspace (a fresh one per run
         of this script, made with `pufa init`; with --engine postgresql its store is a fresh
         database on a PostgreSQL server: PUFA_BENCH_PG_URL, or a throwaway one started here);
  floor  `python -c "import typer, attrs, pendulum, sqlite3"` — the libraries `log` needs
         (with psycopg instead of sqlite3 for the PostgreSQL run);
  bare   `python -c pass` — interpreter start-up;
  floor+freeze  the floor ending with `gc.freeze()`, as `pufa` itself ends (pufa/cli/entry.py): the
         interpreter's last collection then skips everything, so this is the like-for-like floor.

Prints the median wall time of each and the ratios. Goal (issue 2): log / floor ≤ 1.2. The second
ratio, log / floor+freeze, shows what pufa's own imports and work cost over the libraries.
Absolute times on these machines are noisy; only the ratios from one run mean anything.

    python benchmarks/cli_latency.py [--runs 40] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

#: the database driver `log` cannot avoid, per engine (part of the import floor)
FLOOR_DRIVER = {"sqlite": "sqlite3", "postgresql": "psycopg"}


def pufa_command() -> list[str]:
    """The installed console script next to this interpreter (what a user runs)."""
    script = Path(sys.executable).with_name("pufa")
    if script.exists():
        return [str(script)]
    found = shutil.which("pufa")
    if found is None:
        sys.exit("pufa is not installed in this environment: pip install .")
    return [found]


@contextmanager
def postgres_database() -> Iterator[str]:
    """A fresh, empty database URL: on PUFA_BENCH_PG_URL's server, or on a throwaway server."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    import pgserver  # the test suite's throwaway server and fresh databases

    server = os.environ.get("PUFA_BENCH_PG_URL")
    with ExitStack() as stack:
        if server is None:
            server = stack.enter_context(pgserver.server())
        yield stack.enter_context(pgserver.database(server, "pufa_bench"))


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def measure(engine: str, runs: int) -> None:
    pufa = pufa_command()
    commands = {
        "log": [
            *pufa, "log", "seven-into", "--date", "2024-03-05", "--township", "禾丰乡",
            "--title", "基准:法律进学校", "--venue", "学校", "--participants", "120", "--allow-duplicate",
        ],
        "floor": [sys.executable, "-c", f"import typer, attrs, pendulum, {FLOOR_DRIVER[engine]}"],
        "floor+freeze": [
            sys.executable, "-c",
            f"import typer, attrs, pendulum, {FLOOR_DRIVER[engine]}; import gc; gc.freeze()",
        ],
        "bare": [sys.executable, "-c", "pass"],
    }  # fmt: skip
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="pufa-bench-")))
        init = [*pufa, "init", str(root)]
        if engine == "postgresql":
            init += ["--db", stack.enter_context(postgres_database())]
        os.environ["PUFA_USER"] = "benchmark"
        subprocess.run(init, check=True, stdout=subprocess.DEVNULL)
        for command in commands.values():  # warm the page cache and __pycache__ once
            timed(command, root)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(runs):
            for name, command in commands.items():
                times[name].append(timed(command, root))

    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"[{engine}] runs per command: {runs}  (python {sys.version.split()[0]}, {sys.executable})"
    )
    for name, value in median.items():
        spread = statistics.quantiles(times[name], n=4)
        print(
            f"  {name:12} median {value * 1000:7.1f} ms   "
            f"(quartiles {spread[0] * 1000:.1f}–{spread[2] * 1000:.1f} ms)"
        )
    print(f"floor / bare = {median['floor'] / median['bare']:.2f}x")
    print(f"log   / bare = {median['log'] / median['bare']:.2f}x")
    ratio = median["log"] / median["floor"]
    verdict = "meets" if ratio <= 1.2 else "misses"
    print(f"log   / floor = {ratio:.2f}x   (goal <= 1.20x: {verdict})")
    like = median["log"] / median["floor+freeze"]
    print(f"log   / floor+freeze = {like:.2f}x   (like for like: both skip the exit collection)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=40, help="runs of each command (default 40)")
    parser.add_argument(
        "--engine", choices=("sqlite", "postgresql", "both"), default="both",
        help="store engine of the workspace (default: both, one after the other)",
    )  # fmt: skip
    args = parser.parse_args()
    for engine in ("sqlite", "postgresql") if args.engine == "both" else (args.engine,):
        measure(engine, args.runs)


if __name__ == "__main__":
    main()
